"""What the selfcheck part contributes (issue #18; seed-map B8; regulations.md §2.3): the enterprise's own
checklists and runs (自查自改) — a run that found nothing recorded as such, problems registered as hazards with
source 企业自查 — the nightly sweep marking missed periods, the enterprise's 待办 and month calendar, the
supervisors' compliance list and the enterprise page's panel, the enterprise attribute `risk.selfcheck_missing`,
ledgers, matrix rows, the read-only API and the demo."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # The enterprise inspects itself (主体责任; 16号令 第十条); supervisors only read what it did.
            "risk.record_selfcheck": {Role.ENTERPRISE},
            "risk.view_selfcheck": SUPERVISORS | {Role.ENTERPRISE, Role.LEADER},
            "risk.export_selfcheck": SUPERVISORS | {Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "risk-selfcheck-checklists",
            _("自查自改"),
            "risk:selfcheck-checklist-list",
            right=("risk.view_selfcheck",),
            order=50,
            group="risk",
            active="name:selfcheck-checklist",
        ),
        contract.NavEntry(
            "risk-selfcheck-compliance",
            _("企业自查开展情况"),
            "risk:selfcheck-compliance",
            right=("risk.export_selfcheck",),
            order=51,
            group="risk",
            active="name:selfcheck-compliance",
        ),
    )
    c.todo(
        contract.TodoProvider(
            "risk.selfcheck_due",
            _("本周待开展的自查"),
            queryset="anlan.risk.selectors.selfcheck.due_checklists",
            url="anlan.risk.selectors.selfcheck.todo_url",
            items="anlan.risk.selectors.selfcheck.todo_items",
            right="risk.record_selfcheck",
            order=50,
        )
    )
    c.panel(contract.Panel("risk_selfcheck", "risk:selfcheck-enterprise-panel", order=41))
    c.enterprise_attribute(
        contract.EnterpriseAttribute(
            "risk.selfcheck_missing",
            _("近 90 天缺失自查次数"),
            "anlan.risk.selectors.selfcheck.selfcheck_missing",
        )
    )
    c.sweep("risk_selfcheck", "anlan.risk.services.selfcheck.sweep", every=timedelta(hours=24))
    c.ledger(
        "risk_selfcheck_compliance",
        "anlan.risk.views.selfcheck.compliance_ledger",
        "risk.export_selfcheck",
        _("企业自查开展情况台账"),
    )
    c.ledger(
        "risk_selfcheck_runs",
        "anlan.risk.views.selfcheck.run_ledger",
        "risk.view_selfcheck",
        _("自查记录台账"),
    )
    c.matrix("anlan.risk.tests.matrix_selfcheck")
    c.api("risk/selfcheck-runs", "anlan.risk.api.selfcheck.RunViewSet", "risk-selfcheck-run")
    c.demo("risk_selfcheck", "anlan.risk.demo.selfcheck.step", after=["users", "hazards"])
