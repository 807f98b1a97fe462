"""Routes of the drills part (joined in urls/__init__.py under the `emergency` namespace)."""

urlpatterns: list = []
