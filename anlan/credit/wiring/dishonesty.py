"""What the dishonesty part contributes (issue #18; seed-map H6; regulations.md §4): the 严重失信主体名单 of
应急管理部令第11号 — candidates from the accidents module's data (daily sweep) and by hand, the procedure 告知 → 陈述申辩
→ decision → listing → early removal or expiry with its documents, the county settings (local stricter rule,
statement period), the enterprise attributes `credit.dishonest` / `credit.dishonest_until`, the enterprise page's
banner, the hook `credit.dishonesty_basis` the accidents module reads, to-dos, the ledger, matrix rows, the
read-only API and the demo."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    DECIDERS = {Role.COMMITTEE_OFFICE, Role.DEPARTMENT}
    c.rights(
        {
            "credit.view_dishonesty": SUPERVISORS | {Role.LEADER, Role.ENTERPRISE},
            # Candidates by hand and every deciding step: departments that impose penalties (and the 安委办 for
            # the 应急管理局); each step is further limited to the deciding unit's members (谁处罚、谁决定).
            "credit.propose_dishonesty": DECIDERS,
            "credit.decide_dishonesty": DECIDERS,
            # The party files its 陈述申辩 and its removal application; it decides nothing.
            "credit.respond_dishonesty": {Role.ENTERPRISE},
            "credit.configure_dishonesty": {Role.COMMITTEE_OFFICE},
            "credit.export_dishonesty": SUPERVISORS | {Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "credit-dishonesty",
            _("严重失信主体名单"),
            "credit:dishonesty-list",
            right=("credit.view_dishonesty",),
            order=70,
            group="credit",
            active="name:dishonesty-",
        ),
        contract.NavEntry(
            "credit-dishonesty-candidates",
            _("失信候选待办"),
            "credit:dishonesty-candidates",
            right=("credit.decide_dishonesty",),
            order=71,
            group="credit",
            active="name:dishonesty-candidates",
        ),
        contract.NavEntry(
            "credit-dishonesty-settings",
            _("失信名单设置"),
            "credit:dishonesty-settings",
            right=("credit.configure_dishonesty",),
            order=72,
            group="credit",
            active="name:dishonesty-settings",
        ),
    )
    c.todo(
        contract.TodoProvider(
            "credit.dishonesty_to_decide",
            _("待办理的严重失信名单案件"),
            queryset="anlan.credit.selectors.dishonesty.awaiting_decision",
            url="anlan.credit.selectors.dishonesty.candidate_todo_url",
            items="anlan.credit.selectors.dishonesty.candidate_todo_items",
            right="credit.decide_dishonesty",
            order=70,
        ),
        contract.TodoProvider(
            "credit.dishonesty_statement",
            _("陈述申辩期内的严重失信名单告知"),
            queryset="anlan.credit.selectors.dishonesty.awaiting_statement",
            url="anlan.credit.selectors.dishonesty.statement_todo_url",
            items="anlan.credit.selectors.dishonesty.statement_todo_items",
            right="credit.respond_dishonesty",
            order=5,
        ),
    )
    c.panel(contract.Panel("credit_dishonesty", "credit:dishonesty-enterprise-panel", order=5))
    c.enterprise_attribute(
        contract.EnterpriseAttribute(
            "credit.dishonest", _("列入严重失信主体名单"), "anlan.credit.selectors.dishonesty.dishonest"
        )
    )
    c.enterprise_attribute(
        contract.EnterpriseAttribute(
            "credit.dishonest_until",
            _("严重失信名单管理期限至"),
            "anlan.credit.selectors.dishonesty.dishonest_until",
        )
    )
    c.provide("credit.dishonesty_basis", "anlan.credit.selectors.dishonesty.basis_text")
    c.sweep("credit_dishonesty", "anlan.credit.services.dishonesty.sweep", every=timedelta(hours=24))
    c.ledger(
        "credit_dishonesty",
        "anlan.credit.views.dishonesty.ledger",
        "credit.export_dishonesty",
        _("严重失信主体名单台账"),
    )
    c.matrix("anlan.credit.tests.matrix_dishonesty")
    c.api("credit/dishonesty-cases", "anlan.credit.api.dishonesty.CaseViewSet", "credit-dishonesty-case")
    c.demo(
        "credit_dishonesty", "anlan.credit.demo.dishonesty.step", after=["users", "accidents", "inspections"]
    )
