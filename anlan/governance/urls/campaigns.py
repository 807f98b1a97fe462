"""Routes of 安委会会议/议定事项 and 专项整治."""

from django.urls import include, path

from anlan.core.entry import transition_patterns

from ..models import DecisionTask
from ..views import campaigns as views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/decisions/new/", views.decision_create, name="decision-create"),
    path("decisions/", views.task_list, name="decision-task-list"),
    path("decisions/export/", views.task_export, name="decision-task-export"),
    path("decisions/<int:pk>/", views.task_detail, name="decision-task-detail"),
    path("decisions/<int:pk>/progress/", views.task_progress, name="decision-task-progress"),
    path(
        "decisions/",
        include(transition_patterns("decision-task", DecisionTask.TRANSITIONS, views.task_transition)),
    ),
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/areas/new/", views.area_create, name="campaign-area-create"),
    path("campaigns/<int:pk>/members/new/", views.member_create, name="campaign-member-create"),
    path("campaign-areas/<int:pk>/edit/", views.area_edit, name="campaign-area-edit"),
    path("campaign-members/<int:pk>/edit/", views.member_edit, name="campaign-member-edit"),
    path("campaign-members/<int:pk>/remove/", views.member_remove, name="campaign-member-remove"),
    path("campaign-members/<int:pk>/restore/", views.member_restore, name="campaign-member-restore"),
    path("campaigns/<int:pk>/cards/new/", views.card_create, name="card-create"),
    path("campaigns/<int:pk>/apply-rule/", views.campaign_apply_rule, name="campaign-apply-rule"),
    path("campaigns/<int:pk>/tag/", views.campaign_tag, name="campaign-tag"),
    path("campaigns/<int:pk>/issue/", views.campaign_issue, name="campaign-issue"),
    path(
        "campaign-reports/<int:pk>/download/", views.campaign_report_download, name="campaign-report-download"
    ),
    path("cards/<int:pk>/", views.card_detail, name="card-detail"),
    path("card-receipts/", views.card_received, name="card-received"),
    path("card-receipts/<int:pk>/", views.card_receipt, name="card-receipt"),
    path("card-receipts/<int:pk>/confirm/", views.card_confirm, name="card-confirm"),
    path("card-receipts/<int:pk>/report/", views.card_report, name="card-report"),
    path("card-evidence/<int:pk>/file/", views.card_evidence_file, name="card-evidence-file"),
]
