"""The risk module's URLconf: each part keeps its routes in a module of its own."""

from . import people, standard

app_name = "risk"

urlpatterns: list = [
    *standard.urlpatterns,
    *people.urlpatterns,
]
