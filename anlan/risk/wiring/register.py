"""What the register part contributes: the 双重预防 risk register the enterprise keeps (risk points, LEC/LS
assessments, control measures at their 管控层级, hazard checks, the site plan and its four-colour map) and
supervisors in scope read; the county's four-colour map; the county office's LS variant; the enterprise-page
panel, the enterprise's 待办, the enterprise attribute `risk.highest_level`, the ledger, matrix rows, the
read-only API and the demo's registers."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # The enterprise keeps its own register (主体责任); supervisors read it within their scope.
            "risk.manage_register": {Role.ENTERPRISE},
            "risk.configure_grading": {Role.COMMITTEE_OFFICE},
            "risk.export_register": SUPERVISORS | {Role.ENTERPRISE, Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "risk-register",
            _("风险分级管控"),
            "risk:point-list",
            order=10,
            group="risk",
            active="name:point-",
        ),
        contract.NavEntry(
            "risk-map",
            _("风险四色图"),
            "risk:county-map",
            order=11,
            right=("risk.export_register",),
            group="risk",
            active="name:county-map",
        ),
    )
    c.panel(contract.Panel("risk-register", "risk:enterprise-panel", order=15))
    c.todo(
        contract.TodoProvider(
            "risk.register",
            _("待建立或评价的风险辨识清单"),
            queryset="anlan.risk.selectors.register.enterprises_needing_register",
            url="anlan.risk.views.register.register_url",
            items="anlan.risk.views.register.todo_items",
            order=12,
        )
    )
    c.enterprise_attribute(
        contract.EnterpriseAttribute(
            "risk.highest_level", _("最高风险等级"), "anlan.risk.selectors.register.highest_levels"
        )
    )
    c.ledger("risk_points", "anlan.risk.views.register.ledger", "risk.export_register", _("风险分级管控清单"))
    c.matrix("anlan.risk.tests.matrix_register")
    c.api("risk/points", "anlan.risk.api.register.RiskPointViewSet", "risk-point")
    c.demo("risk_register", "anlan.risk.demo.register.step", after=["users"])
