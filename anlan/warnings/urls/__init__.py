"""The warnings module's URLconf: each part keeps its routes in a module of its own."""

from . import cap, evacuation, points, receivers, warnings

app_name = "warnings"

urlpatterns = [
    *cap.urlpatterns,
    *evacuation.urlpatterns,
    *points.urlpatterns,
    *receivers.urlpatterns,
    *warnings.urlpatterns,
]
