"""Routes of the points part."""

from django.urls import path

from ..views import points as views

urlpatterns = [
    path("points/", views.point_list, name="point-list"),
    path("points/new/", views.point_create, name="point-create"),
    path("points/export/", views.point_export, name="point-export"),
    path("points/<int:pk>/", views.point_detail, name="point-detail"),
    path("points/<int:pk>/edit/", views.point_edit, name="point-edit"),
    path("points/<int:pk>/observe/", views.point_observe, name="point-observe"),
    path("points/<int:pk>/close/", views.point_close, name="point-close"),
    path("patrols/", views.patrol_list, name="patrol-list"),
    path("patrols/<int:pk>/", views.patrol_report, name="patrol-report"),
    path("patrols/<int:pk>/photo/", views.patrol_photo, name="patrol-photo"),
]
