"""Routes of 考核."""

from django.urls import include, path

from anlan.core.entry import transition_patterns

from ..models import AssessmentRun, AssessmentScheme, ManualScore
from ..views import assessment as views

urlpatterns = [
    path("assessment/schemes/", views.scheme_list, name="assessment-scheme-list"),
    path("assessment/schemes/new/", views.scheme_create, name="assessment-scheme-create"),
    path("assessment/schemes/<int:pk>/", views.scheme_detail, name="assessment-scheme-detail"),
    path("assessment/schemes/<int:pk>/edit/", views.scheme_edit, name="assessment-scheme-edit"),
    path(
        "assessment/schemes/<int:pk>/indicators/new/",
        views.indicator_create,
        name="assessment-indicator-create",
    ),
    path("assessment/schemes/<int:pk>/manual/", views.manual_scores, name="assessment-manual"),
    path("assessment/schemes/<int:pk>/score/", views.scheme_score, name="assessment-scheme-score"),
    path(
        "assessment/schemes/",
        include(
            transition_patterns("assessment-scheme", AssessmentScheme.TRANSITIONS, views.scheme_transition)
        ),
    ),
    path("assessment/indicators/<int:pk>/edit/", views.indicator_edit, name="assessment-indicator-edit"),
    path(
        "assessment/indicators/<int:pk>/delete/", views.indicator_delete, name="assessment-indicator-delete"
    ),
    path(
        "assessment/manual/",
        include(transition_patterns("assessment-manual", ManualScore.TRANSITIONS, views.manual_transition)),
    ),
    path("assessment/results/", views.run_list, name="assessment-run-list"),
    path("assessment/results/<int:pk>/", views.run_detail, name="assessment-run-detail"),
    path("assessment/results/<int:pk>/export/", views.run_export, name="assessment-run-export"),
    path(
        "assessment/results/",
        include(transition_patterns("assessment-run", AssessmentRun.TRANSITIONS, views.run_transition)),
    ),
    path("assessment/units/<int:pk>/", views.result_detail, name="assessment-result-detail"),
]
