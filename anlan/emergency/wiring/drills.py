"""What the drills part of the emergency module contributes to the kernel (called from apps.py)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # 生产安全事故应急条例 第八条: the plan's owner drills; the county-level department receives the report.
            "emergency.manage_drill": SUPERVISORS | {Role.ENTERPRISE},
            "emergency.acknowledge_drill": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
        }
    )
    c.nav(
        contract.NavEntry(
            "emergency-drills",
            _("应急演练"),
            "emergency:drill-list",
            order=30,
            group="emergency",
            active="name:drill",
        )
    )
    c.todo(
        contract.TodoProvider(
            "emergency.drill_reports",
            _("待确认的演练报告"),
            queryset="anlan.emergency.selectors.drills.reports_to_acknowledge",
            url="anlan.emergency.views.drills.acknowledge_url",
            items="anlan.emergency.selectors.drills.acknowledge_todo_items",
            order=22,
        )
    )
    c.sweep("emergency_drills", "anlan.emergency.services.drills.sweep", every=timedelta(hours=24))
    c.demo("emergency_drills", "anlan.emergency.demo.drills.step", after=["emergency_plans"])
    c.api("emergency/drills", "anlan.emergency.api.preparedness.DrillViewSet", "emergency-drill")
    c.matrix("anlan.emergency.tests.matrix_drills")
