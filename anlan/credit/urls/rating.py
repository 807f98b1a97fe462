"""Routes of the five-colour rating."""

from django.urls import path

from ..views import rating as views

urlpatterns = [
    path("ratings/", views.rating_list, name="rating-list"),
    path("ratings/export/", views.rating_export, name="rating-export"),
    path("ratings/queue/", views.queue, name="rating-queue"),
    path("ratings/queue/approve/", views.approve_batch, name="rating-approve-batch"),
    path("ratings/recompute/", views.recompute_all, name="rating-recompute-all"),
    path("ratings/<int:pk>/approve/", views.approve, name="rating-approve"),
    path("ratings/enterprise/<int:pk>/", views.enterprise_panel, name="rating-enterprise-panel"),
    path("ratings/enterprise/<int:pk>/recompute/", views.recompute, name="rating-recompute"),
    path("ratings/config/<str:code>/", views.config_detail, name="rating-config"),
    path("ratings/config/<str:code>/edit/", views.config_edit, name="rating-config-edit"),
]
