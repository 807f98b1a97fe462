from django.urls import include, path

from . import pwa, views
from .entry import transition_patterns
from .models import LicenceChange

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("todos/count/", views.todo_count, name="todo-count"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise-create"),
    path("enterprises/search/", views.enterprise_search, name="enterprise-search"),
    path("enterprises/export/", views.enterprise_export, name="enterprise-export"),
    path("enterprises/import/", views.enterprise_import, name="enterprise-import"),
    path("enterprises/import/template/", views.enterprise_import_template, name="enterprise-import-template"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("enterprises/<int:pk>/status/", views.enterprise_status, name="enterprise-status"),
    path("enterprises/<int:pk>/licences/new/", views.licence_edit, name="licence-create"),
    path("enterprises/<int:pk>/licences/<int:licence_pk>/edit/", views.licence_edit, name="licence-edit"),
    path(
        "enterprises/<int:pk>/licences/<int:licence_pk>/delete/", views.licence_delete, name="licence-delete"
    ),
    path("enterprises/<int:pk>/licences/propose/", views.licence_propose, name="licence-propose"),
    path(
        "licence-changes/",
        include(transition_patterns("licence-change", LicenceChange.TRANSITIONS, views.licence_change_step)),
    ),
    path("regions/", views.region_list, name="region-list"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
    path("regions/<str:code>/new/", views.region_create, name="region-create"),
    path("regions/<str:code>/edit/", views.region_edit, name="region-edit"),
    path("regions/<str:code>/delete/", views.region_delete, name="region-delete"),
    path("regions/<str:code>/import/", views.region_import, name="region-import"),
    path("grids/", views.grid_list, name="grid-list"),
    path("grids/new/", views.grid_edit, name="grid-create"),
    path("grids/<int:pk>/edit/", views.grid_edit, name="grid-edit"),
    path("grids/<int:pk>/delete/", views.grid_delete, name="grid-delete"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/new/", views.department_edit, name="department-create"),
    path("departments/<int:pk>/", views.department_detail, name="department-detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department-edit"),
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
    path("jobs/<int:pk>/import-valid-rows/", views.job_import_valid_rows, name="job-import-valid-rows"),
    path("jobs/<int:pk>/confirm-updates/", views.job_confirm_updates, name="job-confirm-updates"),
]
