"""Routes of CAP 1.2 export and import."""

from django.urls import path

from ..views import cap as views

urlpatterns = [
    path("cap/import/", views.cap_import, name="cap-import"),
    path("<int:pk>/cap/", views.warning_cap, name="warning-cap"),
]
