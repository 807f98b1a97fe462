"""The emergency module's URLconf: each part keeps its routes in a module of its own."""

from . import drills, duty, experts, plans, resources, response

app_name = "emergency"

urlpatterns = [
    *duty.urlpatterns,
    *response.urlpatterns,
    *plans.urlpatterns,
    *drills.urlpatterns,
    *resources.urlpatterns,
    *experts.urlpatterns,
]
