"""What the response part of the emergency module contributes to the kernel (called from apps.py).

Rights: the county 安委办 (应急局) commands a response and issues public releases — the services also require
acting for the 安委办 of the incident's county; duty offices (安委办, departments, towns) type in incidents;
towns record their 先期处置 (only the town where it happened); tasked units confirm and report their tasks and
reviewer units decide releases as members of those units (no role right needed); leaders read in scope."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # 突发事件应对法 第七十一条至第七十九条: the county government (its 应急管理部门) starts and leads the
            # response; here the county 安委办 acts for it.
            "emergency.manage_response": {Role.COMMITTEE_OFFICE},
            "emergency.record_incident": SUPERVISORS,
            # 突发事件应对法 第七十六条: the town where it happens organises the first measures.
            "emergency.record_first_response": {Role.TOWN},
            "emergency.export_incidents": SUPERVISORS | {Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "emergency-response",
            _("突发事件与应急响应"),
            "emergency:response-list",
            order=20,
            group="emergency",
            active="name:response-",
        )
    )
    c.todo(
        contract.TodoProvider(
            "emergency.response_tasks",
            _("待办理的应急任务"),
            queryset="anlan.emergency.selectors.response.tasks_to_do",
            url="anlan.emergency.views.response.tasks_url",
            items="anlan.emergency.selectors.response.task_todo_items",
            order=15,
        )
    )
    c.ledger(
        "emergency_incidents",
        "anlan.emergency.views.response.incident_ledger",
        "emergency.export_incidents",
        _("突发事件台账"),
    )
    c.demo(
        "emergency_response",
        "anlan.emergency.demo.response.step",
        after=["emergency_duty", "emergency_plans"],
    )
    c.api("emergency/incidents", "anlan.emergency.api.response.IncidentViewSet", "emergency-incident")
    c.matrix("anlan.emergency.tests.matrix_response")
