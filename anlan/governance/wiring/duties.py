"""What 两个清单 contributes: departments and towns draft their own 责任清单 and keep their 工作任务清单; the 安委办
drafts the leaders' lists, reviews every list (never its own) and confirms completed tasks (never for its own
unit); leaders and supervisors read them; the 照单追责 view hangs off the accident page; the 监管盲区 are the
安委办's. Issue text: 「“工作任务清单”…由同级安委办审核督办，每年进行修订」; 「发生事故要照单追责」 (S2 L191)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            "governance.draft_duties": SUPERVISORS,
            "governance.review_duties": {Role.COMMITTEE_OFFICE},
            "governance.view_duties": SUPERVISORS | {Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "governance-lists",
            _("责任清单"),
            "governance:list-list",
            order=10,
            right="governance.view_duties",
            group="governance",
            active="name:list-",
        ),
        contract.NavEntry(
            "governance-tasks",
            _("工作任务清单"),
            "governance:task-list",
            order=11,
            right="governance.view_duties",
            group="governance",
            active="name:task-",
        ),
        contract.NavEntry(
            "governance-groundwork",
            _("基础工作"),
            "governance:groundwork",
            order=11,
            right="governance.view_duties",
            group="governance",
            active="name:groundwork",
        ),
        contract.NavEntry(
            "governance-accountability",
            _("照单追责"),
            "governance:accountability",
            order=12,
            right="governance.view_duties",
            group="governance",
            active="name:accident-duties",
        ),
        contract.NavEntry(
            "governance-blind-spots",
            _("监管盲区"),
            "governance:blind-spots",
            order=13,
            right="governance.review_duties",
            group="governance",
            active="name:blind-",
        ),
    )
    c.action(
        contract.RecordAction(
            "accidents.accident",
            "governance-duties",
            _("照单追责"),
            "governance:accident-duties",
            right="governance.view_duties",
            order=50,
        )
    )
    c.todo(
        contract.TodoProvider(
            "governance.overdue_tasks",
            _("逾期的工作任务"),
            queryset="anlan.governance.selectors.duties.my_overdue_tasks",
            url="anlan.governance.selectors.duties.overdue_url",
            items="anlan.governance.selectors.duties.task_todo_items",
            right="governance.draft_duties",
            order=30,
        ),
        contract.TodoProvider(
            "governance.reports_to_confirm",
            _("待确认的工作任务"),
            queryset="anlan.governance.selectors.duties.reports_to_confirm",
            url="anlan.governance.selectors.duties.reports_url",
            items="anlan.governance.selectors.duties.task_todo_items",
            right="governance.review_duties",
            order=31,
        ),
        contract.TodoProvider(
            "governance.lists_to_review",
            _("待审核的责任清单"),
            queryset="anlan.governance.selectors.duties.lists_to_review",
            url="anlan.governance.selectors.duties.lists_url",
            items="anlan.governance.selectors.duties.list_todo_items",
            right="governance.review_duties",
            order=32,
        ),
    )
    c.indicator(
        contract.Indicator(
            "governance.overdue_tasks",
            _("逾期工作任务"),
            queryset="anlan.governance.selectors.duties.overdue_tasks",
            url="anlan.governance.selectors.duties.overdue_url",
            unit=_("项"),
            right="governance.review_duties",
            order=60,
        )
    )
    c.sweep("governance_duties", "anlan.governance.services.duties.run_sweep", every=timedelta(days=1))
    c.ledger(
        "governance_tasks",
        "anlan.governance.views.duties.task_ledger",
        "governance.view_duties",
        _("工作任务清单台账"),
    )
    c.ledger(
        "governance_blind_spots",
        "anlan.governance.views.duties.blind_ledger",
        "governance.review_duties",
        _("监管盲区企业台账"),
    )
    c.matrix("anlan.governance.tests.matrix_duties")
    c.api("governance/duty-lists", "anlan.governance.api.duties.DutyListViewSet", "governance-duty-list")
    c.api("governance/tasks", "anlan.governance.api.duties.WorkTaskViewSet", "governance-task")
    c.demo(
        "governance_duties",
        "anlan.governance.demo.duties.step",
        after=["users", "units", "hazards", "accidents"],
    )
