"""What 四级包保 contributes (seed-map A6): the county 安委办 keeps the list of leaders paired with towns,
enterprises and geohazard points (安全生产包保 / 防汛挂联); the paired leader records each visit; a daily sweep
flags a visit overdue once per due day. Rights, pages, the leader's 待办, the sweep, the ledger, matrix rows,
read-only API, the enterprise page's 包保领导 panel and the demo."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # The county 安委办 keeps the list (S2 L711 「落实“四级”安全生产包保责任体系」).
            "governance.manage_baobao": {Role.COMMITTEE_OFFICE},
            "governance.export_baobao": SUPERVISORS | {Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "governance-baobao",
            _("四级包保"),
            "governance:baobao-list",
            right=("governance.manage_baobao", "governance.export_baobao"),
            order=50,
            group="governance",
            active="name:baobao-",
        ),
        contract.NavEntry(
            "governance-my-baobao",
            _("我的包保"),
            "governance:baobao-mine",
            right=("governance.export_baobao",),
            order=51,
            group="governance",
            active="name:baobao-mine",
        ),
    )
    c.todo(
        contract.TodoProvider(
            "governance.baobao_due",
            _("逾期未走访的包保对象"),
            queryset="anlan.governance.selectors.baobao.my_overdue",
            url="anlan.governance.selectors.baobao.my_url",
            items="anlan.governance.selectors.baobao.todo_items",
            order=50,
        ),
    )
    c.panel(contract.Panel("governance_baobao", "governance:baobao-enterprise-panel", order=90))
    c.sweep("governance_baobao", "anlan.governance.services.baobao.sweep_overdue", every=timedelta(hours=24))
    c.ledger(
        "governance_baobao",
        "anlan.governance.views.baobao.ledger",
        "governance.export_baobao",
        _("四级包保台账"),
    )
    c.matrix("anlan.governance.tests.matrix_baobao")
    c.api("governance/baobao", "anlan.governance.api.baobao.AssignmentViewSet", "governance-baobao")
    c.api("governance/baobao-visits", "anlan.governance.api.baobao.VisitViewSet", "governance-baobao-visit")
    c.demo(
        "governance_baobao", "anlan.governance.demo.baobao.step", after=["warnings_points", "users", "units"]
    )
