"""Routes of 自查自改."""

from django.urls import path

from ..views import selfcheck as views

urlpatterns = [
    path("selfcheck/checklists/", views.checklist_list, name="selfcheck-checklist-list"),
    path("selfcheck/checklists/<int:pk>/", views.checklist_detail, name="selfcheck-checklist-detail"),
    path("selfcheck/checklists/<int:pk>/edit/", views.checklist_edit, name="selfcheck-checklist-edit"),
    path("selfcheck/checklists/<int:pk>/runs/new/", views.run_create, name="selfcheck-run-create"),
    path("selfcheck/runs/", views.run_list, name="selfcheck-run-list"),
    path("selfcheck/runs/export/", views.run_export, name="selfcheck-run-export"),
    path("selfcheck/runs/<int:pk>/", views.run_detail, name="selfcheck-run-detail"),
    path("selfcheck/compliance/", views.compliance_list, name="selfcheck-compliance"),
    path("selfcheck/compliance/export/", views.compliance_export, name="selfcheck-compliance-export"),
    path("selfcheck/enterprise/<int:pk>/", views.enterprise_panel, name="selfcheck-enterprise-panel"),
    path("selfcheck/enterprise/<int:pk>/calendar/", views.calendar_page, name="selfcheck-calendar"),
    path(
        "selfcheck/enterprise/<int:pk>/checklists/new/",
        views.checklist_create,
        name="selfcheck-checklist-create",
    ),
]
