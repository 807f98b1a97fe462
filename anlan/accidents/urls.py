from django.urls import include, path

from anlan.core.entry import transition_patterns

from . import views
from .models import Investigation, PreventiveMeasure

app_name = "accidents"

urlpatterns = [
    path("", views.accident_list, name="accident-list"),
    path("new/", views.accident_create, name="accident-create"),
    path("export/", views.accident_export, name="accident-export"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics-export"),
    path("economy/", views.economy_list, name="economy-list"),
    path("minor-events/", views.minor_event_list, name="minor-event-list"),
    path("near-misses/", views.near_miss_list, name="near-miss-list"),
    path("<int:pk>/", views.accident_detail, name="accident-detail"),
    path("<int:pk>/reports/new/", views.accident_report, name="accident-report"),
    path("<int:pk>/forward/", views.accident_forward, name="accident-forward"),
    path("<int:pk>/findings/new/", views.accident_finding, name="accident-finding"),
    path("<int:pk>/injured/new/", views.injured_create, name="injured-create"),
    path("<int:pk>/injured/<int:person_pk>/", views.injured_update, name="injured-update"),
    path("<int:pk>/injured/<int:person_pk>/remove/", views.injured_remove, name="injured-remove"),
    path("<int:pk>/investigation/new/", views.investigation_create, name="investigation-create"),
    path(
        "<int:pk>/investigation/responsibilities/new/",
        views.responsibility_create,
        name="responsibility-create",
    ),
    path("<int:pk>/investigation/measures/new/", views.measure_create, name="measure-create"),
    path("<int:pk>/investigation/report-received/", views.report_received, name="report-received"),
    path("<int:pk>/investigation/reply/extend/", views.reply_extend, name="reply-extend"),
    path("<int:pk>/investigation/reply/", views.reply_record, name="reply-record"),
    # investigations/<pk>/extend|conclude|close/ and measures/<pk>/complete/, from the TRANSITIONS tables
    path(
        "investigations/",
        include(
            transition_patterns("investigation", Investigation.TRANSITIONS, views.investigation_transition)
        ),
    ),
    path(
        "measures/",
        include(transition_patterns("measure", PreventiveMeasure.TRANSITIONS, views.measure_transition)),
    ),
]
