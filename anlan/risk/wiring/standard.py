"""What the standard part contributes (issue #18; seed-map A10, I2, I3; regulations.md §9): 安全生产标准化 grades
(recorded by the enterprise, confirmed and withdrawn by its supervisors, flagged for withdrawal by a reported
accident), 安责险 policies with their technical services and the 应投未投 list, the year's 安全生产费用, the
全员安全生产责任制, the enterprise page's 一必须五到位 panel, the enterprise attributes `risk.standardisation_grade`
and `risk.insured`, the daily sweep, to-dos, ledgers, matrix rows, the read-only API and the demo."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # The enterprise keeps its own records (主体责任): its grade (which its supervisors then confirm), policy,
            # spending and responsibility system. A supervisor never enters them for it.
            "risk.record_standard": {Role.ENTERPRISE},
            # Confirming and withdrawing a grade is the supervising department's (and the 安委办's), never the
            # enterprise's (应急〔2021〕83号: 由原定级部门撤销).
            "risk.confirm_grade": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
            "risk.withdraw_grade": {Role.COMMITTEE_OFFICE, Role.DEPARTMENT},
            "risk.view_standard": SUPERVISORS | {Role.ENTERPRISE, Role.LEADER},
            "risk.export_standard": SUPERVISORS | {Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "risk-standard-grades",
            _("安全生产标准化"),
            "risk:standard-grade-list",
            right=("risk.view_standard",),
            order=60,
            group="risk",
            active="name:standard-grade",
        ),
        contract.NavEntry(
            "risk-standard-policies",
            _("安责险"),
            "risk:standard-policy-list",
            right=("risk.view_standard",),
            order=61,
            group="risk",
            active="name:standard-policy",
        ),
        contract.NavEntry(
            "risk-standard-uninsured",
            _("应投未投安责险"),
            "risk:standard-uninsured",
            right=("risk.export_standard",),
            order=62,
            group="risk",
            active="name:standard-uninsured",
        ),
        contract.NavEntry(
            "risk-standard-spending",
            _("安全生产费用"),
            "risk:standard-spending-list",
            right=("risk.view_standard",),
            order=63,
            group="risk",
            active="name:standard-spending",
        ),
    )
    c.todo(
        contract.TodoProvider(
            "risk.policy_lapsed",
            _("安责险应投未投"),
            queryset="anlan.risk.selectors.standard.lapsed_policies",
            url="anlan.risk.selectors.standard.policy_todo_url",
            items="anlan.risk.selectors.standard.policy_todo_items",
            right="risk.record_standard",
            order=60,
        ),
        contract.TodoProvider(
            "risk.grade_expired",
            _("标准化等级已过期"),
            queryset="anlan.risk.selectors.standard.expired_grades",
            url="anlan.risk.selectors.standard.grade_todo_url",
            items="anlan.risk.selectors.standard.grade_todo_items",
            right="risk.record_standard",
            order=61,
        ),
        contract.TodoProvider(
            "risk.grade_review",
            _("待撤销审查的标准化等级"),
            queryset="anlan.risk.selectors.standard.grades_to_review",
            url="anlan.risk.selectors.standard.review_todo_url",
            items="anlan.risk.selectors.standard.review_todo_items",
            right="risk.withdraw_grade",
            order=62,
        ),
    )
    c.panel(contract.Panel("risk_standard_profile", "risk:standard-enterprise-panel", order=40))
    c.enterprise_attribute(
        contract.EnterpriseAttribute(
            "risk.standardisation_grade",
            _("安全生产标准化等级"),
            "anlan.risk.selectors.standard.standardisation_grades",
        )
    )
    c.enterprise_attribute(
        contract.EnterpriseAttribute(
            "risk.insured", _("已投保安责险"), "anlan.risk.selectors.standard.insured"
        )
    )
    c.on("accidents.reported", "anlan.risk.services.standard.on_accident_reported")
    c.sweep("risk_standard", "anlan.risk.services.standard.sweep", every=timedelta(hours=24))
    c.ledger(
        "risk_standard_grades",
        "anlan.risk.views.standard.grade_ledger",
        "risk.export_standard",
        _("标准化等级台账"),
    )
    c.ledger(
        "risk_standard_policies",
        "anlan.risk.views.standard.policy_ledger",
        "risk.export_standard",
        _("安责险台账"),
    )
    c.ledger(
        "risk_standard_uninsured",
        "anlan.risk.views.standard.uninsured_ledger",
        "risk.export_standard",
        _("应投未投安责险企业台账"),
    )
    c.matrix("anlan.risk.tests.matrix_standard")
    c.api("risk/standard-grades", "anlan.risk.api.standard.GradeViewSet", "risk-standard-grade")
    c.api("risk/liability-policies", "anlan.risk.api.standard.PolicyViewSet", "risk-standard-policy")
    c.api("risk/safety-spending", "anlan.risk.api.standard.SpendingViewSet", "risk-standard-spending")
    c.demo("risk_standard", "anlan.risk.demo.standard.step", after=["users", "accidents"])
