"""Routes of 会商研判 and 安全风险提示单."""

from django.urls import include, path

from anlan.core.entry import transition_patterns

from ..models import Bulletin
from ..views import consult as views

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation-list"),
    path("consultations/new/", views.consultation_create, name="consultation-create"),
    path("consultations/export/", views.consultation_export, name="consultation-export"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation-detail"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation-edit"),
    path("consultations/<int:pk>/bulletin/", views.bulletin_create, name="bulletin-create"),
    path("bulletins/", views.bulletin_list, name="bulletin-list"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin-detail"),
    path(
        "bulletins/",
        include(transition_patterns("bulletin", Bulletin.TRANSITIONS, views.bulletin_transition)),
    ),
    path("bulletin-receipts/", views.bulletin_received, name="bulletin-received"),
    path("bulletin-receipts/<int:pk>/", views.bulletin_receipt, name="bulletin-receipt"),
    path("bulletin-receipts/<int:pk>/confirm/", views.bulletin_confirm, name="bulletin-confirm"),
    path(
        "bulletin-receipts/<int:pk>/measures/<int:measure_pk>/",
        views.bulletin_report,
        name="bulletin-report",
    ),
]
