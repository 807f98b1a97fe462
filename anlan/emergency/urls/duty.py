"""Routes of duty (值班值守): who is on duty now, rosters, shifts, swaps, handover, the duty log."""

from django.urls import path

from ..views import duty as views

urlpatterns = [
    path("duty/", views.now, name="duty-now"),
    path("duty/header/", views.header, name="duty-header"),
    path("duty/gaps/", views.gaps, name="duty-gaps"),
    path("duty/rosters/", views.roster_list, name="duty-roster-list"),
    path("duty/rosters/new/", views.roster_create, name="duty-roster-create"),
    path("duty/rosters/<int:pk>/", views.roster_detail, name="duty-roster-detail"),
    path("duty/rosters/<int:pk>/fill/", views.roster_fill, name="duty-roster-fill"),
    path("duty/rosters/<int:pk>/publish/", views.roster_publish, name="duty-roster-publish"),
    path("duty/shifts/<int:pk>/remove/", views.shift_remove, name="duty-shift-remove"),
    path("duty/shifts/<int:pk>/swap/", views.shift_swap, name="duty-shift-swap"),
    path("duty/shifts/<int:pk>/handover/", views.shift_handover, name="duty-shift-handover"),
    path("duty/swaps/<int:pk>/decide/", views.swap_decide, name="duty-swap-decide"),
    path("duty/log/", views.log_list, name="duty-log-list"),
    path("duty/log/export/", views.log_export, name="duty-log-export"),
    path("duty/log/new/", views.log_create, name="duty-log-create"),
    path("duty/log/<int:pk>/", views.log_detail, name="duty-log-detail"),
    path("duty/log/<int:pk>/pass/", views.log_pass, name="duty-log-pass"),
    path("duty/log/<int:pk>/confirm/", views.log_confirm, name="duty-log-confirm"),
]
