"""The risk module's URLconf: each part keeps its routes in a module of its own."""

from . import selfcheck, standard

app_name = "risk"

urlpatterns: list = [
    *standard.urlpatterns,
    *selfcheck.urlpatterns,
]
