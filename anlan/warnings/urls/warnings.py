from django.urls import path

from ..views import warnings as views

urlpatterns = [
    path("", views.warning_list, name="warning-list"),
    path("export/", views.warning_export, name="warning-export"),
    path("new/", views.warning_create, name="warning-create"),
    path("received/", views.received, name="received"),
    path("c/<str:token>/", views.confirm_link, name="warning-confirm-link"),
    path("<int:pk>/", views.warning_detail, name="warning-detail"),
    path("<int:pk>/edit/", views.warning_edit, name="warning-edit"),
    path("<int:pk>/build/", views.warning_build, name="warning-build"),
    path("<int:pk>/issue/", views.warning_issue, name="warning-issue"),
    path("<int:pk>/level/", views.warning_level, name="warning-level"),
    path("<int:pk>/lift/", views.warning_lift, name="warning-lift"),
    path("<int:pk>/withdraw/", views.warning_withdraw, name="warning-withdraw"),
    path("<int:pk>/confirm/", views.warning_confirm, name="warning-confirm"),
    path("<int:pk>/report/", views.warning_report, name="warning-report"),
    path("<int:pk>/recipients/", views.warning_recipients, name="warning-recipients"),
    path("<int:pk>/board/", views.warning_board, name="warning-board"),
]
