"""What the plans part of the emergency module contributes to the kernel (called from apps.py).

Rights: the units that own plans (an enterprise, a department, a town, the 安委办) manage them — the services
also require acting for the plan's owner unit, so a county office reads an enterprise's plan but does not edit
it; departments and the 安委办 check the filings addressed to them (never their own); leaders read."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            "emergency.manage_plan": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT, Role.TOWN, Role.ENTERPRISE},
            "emergency.check_plan_filing": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
            "emergency.export_plan": SUPERVISORS | {Role.LEADER, Role.ENTERPRISE},
        }
    )
    c.nav(
        contract.NavEntry(
            "emergency-plans",
            _("应急预案"),
            "emergency:plan-list",
            order=62,
            active="name:plan-",
            group="emergency",
        )
    )
    c.todo(
        contract.TodoProvider(
            "emergency.plan_filings_to_check",
            _("待审查的预案备案"),
            queryset="anlan.emergency.selectors.plans.filings_to_check",
            url="anlan.emergency.views.plans.filings_to_check_url",
            items="anlan.emergency.selectors.plans.filing_todo_items",
            order=60,
            right="emergency.check_plan_filing",
        ),
        contract.TodoProvider(
            "emergency.plans_to_file",
            _("待备案的预案"),
            queryset="anlan.emergency.selectors.plans.plans_to_file",
            url="anlan.emergency.views.plans.plans_to_file_url",
            items="anlan.emergency.selectors.plans.plan_todo_items",
            order=61,
            right="emergency.manage_plan",
        ),
    )
    c.sweep("emergency_plans", "anlan.emergency.services.plans.run_sweep", every=timedelta(hours=1))
    c.ledger(
        "emergency_plans",
        "anlan.emergency.views.plans.plan_ledger",
        "emergency.export_plan",
        _("应急预案台账"),
    )
    c.demo("emergency_plans", "anlan.emergency.demo.plans.step", after=["users", "units"])
    c.api("emergency/plans", "anlan.emergency.api.preparedness.PlanViewSet", "emergency-plan")
    c.matrix("anlan.emergency.tests.matrix_plans")
