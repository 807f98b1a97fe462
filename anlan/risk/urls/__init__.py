"""The risk module's URLconf: each part keeps its routes in a module of its own."""

from . import people, register, selfcheck, standard

app_name = "risk"

urlpatterns: list = [
    *register.urlpatterns,
    *standard.urlpatterns,
    *people.urlpatterns,
    *selfcheck.urlpatterns,
]
