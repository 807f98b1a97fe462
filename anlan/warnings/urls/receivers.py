"""Routes of the places' warning receivers (第六十五条)."""

from django.urls import path

from ..views import receivers as views

urlpatterns = [
    path("receivers/", views.receiver_list, name="receiver-list"),
    path("receivers/export/", views.receiver_export, name="receiver-export"),
    path("receivers/<int:pk>/", views.receiver_edit, name="receiver-edit"),
    path("receivers/enterprise/<int:pk>/", views.receiver_panel, name="enterprise-receiver"),
]
