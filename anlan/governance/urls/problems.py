"""Routes of 督查问题, 两书一函 and 问责记录."""

from django.urls import include, path

from anlan.core.entry import transition_patterns

from ..models import GovernmentLetter
from ..views import problems as views

urlpatterns = [
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/new/", views.visit_create, name="visit-create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/problems/new/", views.problem_create, name="problem-create"),
    path("visits/<int:pk>/import/", views.problem_import, name="problem-import"),
    path("problems/import-template/", views.problem_import_template, name="problem-import-template"),
    path("problems/", views.problem_list, name="problem-list"),
    path("problems/export/", views.problem_export, name="problem-export"),
    path("problems/statistics/", views.problem_statistics, name="problem-statistics"),
    path("problems/measures/", views.measure_list, name="measure-list"),
    path("problems/<int:pk>/", views.problem_detail, name="problem-detail"),
    path("problems/<int:pk>/measures/", views.problem_measures, name="problem-measures"),
    path("letters/", views.letter_list, name="letter-list"),
    path("letters/new/", views.letter_create, name="letter-create"),
    path("letters/<int:pk>/", views.letter_detail, name="letter-detail"),
    path("letters/<int:pk>/document/", views.letter_document, name="letter-document"),
    path("letters/<int:pk>/reply-file/", views.letter_reply_file, name="letter-reply-file"),
    path("letters/<int:pk>/confirm/", views.letter_confirm, name="letter-confirm"),
    path(
        "letters/",
        include(transition_patterns("letter", GovernmentLetter.TRANSITIONS, views.letter_transition)),
    ),
    path("accountability/", views.accountability_list, name="accountability-list"),
    path("accountability/new/", views.accountability_create, name="accountability-create"),
    path("accountability/export/", views.accountability_export, name="accountability-export"),
    path("accountability/<int:pk>/", views.accountability_detail, name="accountability-detail"),
    path("accountability/<int:pk>/file/", views.accountability_file, name="accountability-file"),
]
