from django.urls import path

from . import views

app_name = "accidents"

urlpatterns = [
    path("", views.accident_list, name="accident-list"),
    path("new/", views.accident_create, name="accident-create"),
    path("export/", views.accident_export, name="accident-export"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics-export"),
    path("economy/", views.economy_list, name="economy-list"),
    path("minor-events/", views.minor_event_list, name="minor-event-list"),
    path("<int:pk>/", views.accident_detail, name="accident-detail"),
    path("<int:pk>/reports/new/", views.accident_report, name="accident-report"),
    path("<int:pk>/forward/", views.accident_forward, name="accident-forward"),
    path("<int:pk>/findings/new/", views.accident_finding, name="accident-finding"),
    path("<int:pk>/investigation/new/", views.investigation_create, name="investigation-create"),
    path("<int:pk>/investigation/extend/", views.investigation_extend, name="investigation-extend"),
    path("<int:pk>/investigation/conclude/", views.investigation_conclude, name="investigation-conclude"),
    path("<int:pk>/investigation/close/", views.investigation_close, name="investigation-close"),
    path(
        "<int:pk>/investigation/responsibilities/new/",
        views.responsibility_create,
        name="responsibility-create",
    ),
    path("<int:pk>/investigation/measures/new/", views.measure_create, name="measure-create"),
    path(
        "<int:pk>/investigation/measures/<int:measure_pk>/complete/",
        views.measure_complete,
        name="measure-complete",
    ),
]
