"""The risk module's URLconf: each part keeps its routes in a module of its own."""

from . import standard

app_name = "risk"

urlpatterns: list = [
    *standard.urlpatterns,
]
