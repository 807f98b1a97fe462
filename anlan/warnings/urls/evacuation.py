"""Routes of the evacuation part."""

from django.urls import include, path

from anlan.core.entry import transition_patterns

from ..models import Household
from ..views import evacuation as views

# 登记已转移 has a page of its own (its form offers the user's shelters); the other steps share the kernel's view.
STEPS = [t for t in Household.TRANSITIONS if t.name != "move"]

urlpatterns = [
    path("evacuations/", views.evacuation_list, name="evacuation-list"),
    path("evacuations/export/", views.evacuation_export, name="evacuation-export"),
    path("evacuations/warning/<int:warning_pk>/", views.evacuation_board, name="evacuation-board"),
    path("evacuations/warning/<int:warning_pk>/open/", views.evacuation_open, name="evacuation-open"),
    path("evacuations/<int:pk>/", views.evacuation_detail, name="evacuation-detail"),
    path("evacuations/<int:pk>/add/", views.household_add, name="household-add"),
    path("households/<int:pk>/move/", views.household_move, name="household-move"),
    path("households/", include(transition_patterns("household", STEPS, views.household_step))),
]
