"""Routes of the plans part (joined in urls/__init__.py under the `emergency` namespace)."""

urlpatterns: list = []
