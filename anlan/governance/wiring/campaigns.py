"""What 安委会议定事项 and 专项整治 contribute (seed-map A9, D1–D3): the 安委办 records meetings and assigns their
decisions to departments, towns and park committees, which answer as themselves and never close their own; it
runs campaigns with member units and liaison officers, sends monthly task cards (kernel receipts), tags the
records a campaign covers (the hazards and inspections it declares taggable here) and issues the 调度/通报/总结."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            "governance.manage_meetings": {Role.COMMITTEE_OFFICE},
            "governance.manage_campaigns": {Role.COMMITTEE_OFFICE},
            "governance.answer_decisions": {Role.DEPARTMENT, Role.TOWN},
            "governance.export": SUPERVISORS | {Role.LEADER},
        }
    )
    # Government units' work (安委会 member units and the 安委办; leaders read): not the enterprise's menu.
    MEETINGS = ("governance.manage_meetings", "governance.answer_decisions", "governance.export")
    CAMPAIGNS = ("governance.manage_campaigns", "governance.answer_decisions", "governance.export")
    c.nav(
        contract.NavEntry(
            "governance-meetings",
            _("安委会会议"),
            "governance:meeting-list",
            right=MEETINGS,
            order=30,
            group="governance",
            active="name:meeting-",
        ),
        contract.NavEntry(
            "governance-decisions",
            _("议定事项督办"),
            "governance:decision-task-list",
            right=MEETINGS,
            order=31,
            group="governance",
            active="name:decision-",
        ),
        contract.NavEntry(
            "governance-campaigns",
            _("专项整治"),
            "governance:campaign-list",
            right=CAMPAIGNS,
            order=32,
            group="governance",
            active="name:campaign-",
        ),
        contract.NavEntry(
            "governance-cards",
            _("我收到的提示卡"),
            "governance:card-received",
            right=CAMPAIGNS,
            order=33,
            group="governance",
            active="name:card-re",
        ),
    )
    c.todo(
        contract.TodoProvider(
            "governance.decisions_to_do",
            _("待办理的安委会议定事项"),
            queryset="anlan.governance.selectors.campaigns.my_open_tasks",
            url="anlan.governance.selectors.campaigns.my_tasks_url",
            items="anlan.governance.selectors.campaigns.task_todo_items",
            order=30,
        ),
        contract.TodoProvider(
            "governance.decisions_to_confirm",
            _("待确认办结的议定事项"),
            queryset="anlan.governance.selectors.campaigns.tasks_to_confirm",
            url="anlan.governance.selectors.campaigns.to_confirm_url",
            items="anlan.governance.selectors.campaigns.task_todo_items",
            order=31,
            right="governance.manage_meetings",
        ),
        contract.TodoProvider(
            "governance.cards_to_report",
            _("待报送的专项整治提示卡"),
            queryset="anlan.governance.selectors.campaigns.cards_to_report",
            url="anlan.governance.selectors.campaigns.my_cards_url",
            items="anlan.governance.selectors.campaigns.card_todo_items",
            order=32,
        ),
    )
    c.sweep("governance_decisions", "anlan.governance.services.campaigns.sweep", every=timedelta(hours=6))
    c.sweep(
        "governance_campaign_tags", "anlan.governance.services.campaigns.tag_sweep", every=timedelta(hours=24)
    )
    # 每季一通报、每年一总结 (D3): daily, the 季度通报/年度总结 of each campaign's latest period that is over, once.
    c.sweep(
        "governance_campaign_reports",
        "anlan.governance.services.campaigns.report_sweep",
        every=timedelta(hours=24),
    )
    c.ledger(
        "governance_decisions",
        "anlan.governance.views.campaigns.ledger",
        "governance.export",
        _("议定事项督办台账"),
    )
    c.matrix("anlan.governance.tests.matrix_campaigns")
    c.api("governance/meetings", "anlan.governance.api.campaigns.MeetingViewSet", "governance-meeting")
    c.api(
        "governance/decision-tasks",
        "anlan.governance.api.campaigns.DecisionTaskViewSet",
        "governance-decision-task",
    )
    c.api("governance/campaigns", "anlan.governance.api.campaigns.CampaignViewSet", "governance-campaign")
    c.demo("governance_campaigns", "anlan.governance.demo.campaigns.step", after=["hazards", "inspections"])
