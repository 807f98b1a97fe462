"""Routes of the register part."""

from django.urls import path

from ..views import register as views

urlpatterns = [
    path("points/", views.point_list, name="point-list"),
    path("points/export/", views.point_export, name="point-export"),
    path("points/<int:pk>/", views.point_detail, name="point-detail"),
    path("points/<int:pk>/edit/", views.point_edit, name="point-edit"),
    path("points/<int:pk>/place/", views.point_place, name="point-place"),
    path("points/<int:pk>/assess/", views.point_assess, name="point-assess"),
    path("points/<int:pk>/controls/new/", views.control_create, name="control-create"),
    path("controls/<int:pk>/edit/", views.control_edit, name="control-edit"),
    path("controls/<int:pk>/delete/", views.control_delete, name="control-delete"),
    path("controls/<int:pk>/checks/new/", views.check_create, name="check-create"),
    path("checks/<int:pk>/delete/", views.check_delete, name="check-delete"),
    path("enterprises/<int:pk>/points/new/", views.point_create, name="point-create"),
    path("enterprises/<int:pk>/map/", views.enterprise_map, name="enterprise-map"),
    path("enterprises/<int:pk>/plan/", views.site_plan_upload, name="site-plan-upload"),
    path("enterprises/<int:pk>/plan/image/", views.site_plan_image, name="site-plan-image"),
    path("enterprises/<int:pk>/panel/", views.enterprise_panel, name="enterprise-panel"),
    path("map/", views.county_map, name="county-map"),
    path("settings/", views.grading_settings, name="grading-settings"),
]
