"""The warnings module's URLconf: each part keeps its routes in a module of its own."""

from . import warnings

app_name = "warnings"

urlpatterns = [
    *warnings.urlpatterns,
]
