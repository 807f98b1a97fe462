"""The warnings module's URLconf: each part keeps its routes in a module of its own."""

from . import alarms, cap, consult, evacuation, points, receivers, warnings

app_name = "warnings"

urlpatterns = [
    *alarms.urlpatterns,
    *cap.urlpatterns,
    *evacuation.urlpatterns,
    *consult.urlpatterns,
    *points.urlpatterns,
    *receivers.urlpatterns,
    *warnings.urlpatterns,
]
