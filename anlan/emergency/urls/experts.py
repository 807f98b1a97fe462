"""Routes of the forces part — teams, shelters, experts, consultations, the towns' 四有 (joined in
urls/__init__.py under the `emergency` namespace)."""

from django.urls import path

from ..views import forces as views

urlpatterns: list = [
    path("forces/teams/", views.team_list, name="forces-team-list"),
    path("forces/teams/export/", views.team_export, name="forces-team-export"),
    path("forces/teams/new/", views.team_create, name="forces-team-create"),
    path("forces/teams/<int:pk>/", views.team_detail, name="forces-team-detail"),
    path("forces/teams/<int:pk>/edit/", views.team_edit, name="forces-team-edit"),
    path("forces/teams/<int:pk>/status/", views.team_status, name="forces-team-status"),
    path("forces/shelters/", views.shelter_list, name="forces-shelter-list"),
    path("forces/shelters/export/", views.shelter_export, name="forces-shelter-export"),
    path("forces/shelters/new/", views.shelter_create, name="forces-shelter-create"),
    path("forces/shelters/<int:pk>/", views.shelter_detail, name="forces-shelter-detail"),
    path("forces/shelters/<int:pk>/edit/", views.shelter_edit, name="forces-shelter-edit"),
    path("forces/shelters/<int:pk>/status/", views.shelter_status, name="forces-shelter-status"),
    path("forces/experts/", views.expert_list, name="forces-expert-list"),
    path("forces/experts/export/", views.expert_export, name="forces-expert-export"),
    path("forces/experts/new/", views.expert_create, name="forces-expert-create"),
    path("forces/experts/<int:pk>/", views.expert_detail, name="forces-expert-detail"),
    path("forces/experts/<int:pk>/edit/", views.expert_edit, name="forces-expert-edit"),
    path("forces/consultations/", views.consultation_list, name="forces-consultation-list"),
    path("forces/consultations/new/", views.consultation_create, name="forces-consultation-create"),
    path("forces/consultations/<int:pk>/", views.consultation_detail, name="forces-consultation-detail"),
    path(
        "forces/consultations/<int:pk>/assign/", views.consultation_assign, name="forces-consultation-assign"
    ),
    path("forces/consultations/<int:pk>/close/", views.consultation_close, name="forces-consultation-close"),
    path(
        "forces/assignments/<int:pk>/opinion/", views.consultation_opinion, name="forces-consultation-opinion"
    ),
    path("forces/capacity/", views.capacity_list, name="forces-capacity-list"),
    path("forces/capacity/<str:code>/edit/", views.capacity_edit, name="forces-capacity-edit"),
    path(
        "forces/capacity/<str:code>/<str:item>/evidence/",
        views.capacity_evidence,
        name="forces-capacity-evidence",
    ),
]
