"""The risk module's URLconf: each part keeps its routes in a module of its own."""

app_name = "risk"

urlpatterns: list = []
