"""The governance module's URLconf: each part keeps its routes in a module of its own."""

from . import campaigns

app_name = "governance"

urlpatterns: list = [
    *campaigns.urlpatterns,
]
