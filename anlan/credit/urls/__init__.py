"""The credit module's URLconf: each part keeps its routes in a module of its own."""

from . import dishonesty, rating

app_name = "credit"

urlpatterns: list = [
    *dishonesty.urlpatterns,
    *rating.urlpatterns,
]
