"""Routes of the alarms part."""

from django.urls import include, path

from anlan.core.entry import transition_patterns

from ..models import Alarm
from ..views import alarms as views

urlpatterns = [
    path("alarms/", views.alarm_list, name="alarm-list"),
    path("alarms/export/", views.alarm_export, name="alarm-export"),
    path("alarms/statistics/", views.alarm_statistics, name="alarm-statistics"),
    path("alarms/import/", views.alarm_import, name="alarm-import"),
    path("alarms/import/template/", views.alarm_import_template, name="alarm-import-template"),
    path("alarms/webhook/<slug:source>/", views.alarm_webhook, name="alarm-webhook"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm-detail"),
    path("alarms/", include(transition_patterns("alarm", Alarm.TRANSITIONS, views.alarm_transition))),
]
