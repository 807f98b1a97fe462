"""The warnings module's URLconf: each part keeps its routes in a module of its own."""

from . import cap, receivers, warnings

app_name = "warnings"

urlpatterns = [
    *cap.urlpatterns,
    *receivers.urlpatterns,
    *warnings.urlpatterns,
]
