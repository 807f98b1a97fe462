"""What the people part contributes (issue #18 "Training and certificates"; seed-map I1; regulations.md §9): the
enterprise's staff (kernel persons), their 特种作业操作证 and 考核合格证, the principal's and safety managers' 考核 and
the training records — kept by the enterprise, read by its supervisors; the daily 复审 and expiry sweep, the
enterprise's to-do, the supervisors' 证书到期/逾期 list, the accident page's 持证与培训倒查, the enterprise page's
panel, the enterprise attribute `risk.training_in_place`, ledgers, matrix rows, the read-only API and the demo."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # The enterprise keeps its own people, certificates and training (主体责任); supervisors read them.
            "risk.record_people": {Role.ENTERPRISE},
            "risk.view_people": SUPERVISORS | {Role.ENTERPRISE, Role.LEADER},
            # The 证书到期/逾期 list over the enterprises in scope and its ledger, and the accident trace.
            "risk.supervise_people": SUPERVISORS | {Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "risk-people-staff",
            _("从业人员与持证"),
            "risk:people-staff-list",
            right=("risk.view_people",),
            order=64,
            group="risk",
            active="name:people-staff",
        ),
        contract.NavEntry(
            "risk-people-certificates",
            _("证书"),
            "risk:people-certificate-list",
            right=("risk.view_people",),
            order=65,
            group="risk",
            active="name:people-certificate",
        ),
        contract.NavEntry(
            "risk-people-attention",
            _("证书到期/逾期"),
            "risk:people-attention",
            right=("risk.supervise_people",),
            order=66,
            group="risk",
            active="name:people-attention",
        ),
        contract.NavEntry(
            "risk-people-training",
            _("培训记录"),
            "risk:people-training-list",
            right=("risk.view_people",),
            order=67,
            group="risk",
            active="name:people-training",
        ),
    )
    c.todo(
        contract.TodoProvider(
            "risk.certificates_attention",
            _("证书待复审或到期"),
            queryset="anlan.risk.selectors.people.own_attention",
            url="anlan.risk.selectors.people.todo_url",
            items="anlan.risk.selectors.people.todo_items",
            right="risk.record_people",
            order=63,
        )
    )
    c.panel(contract.Panel("risk_people", "risk:people-enterprise-panel", order=41))
    c.action(
        contract.RecordAction(
            "accidents.accident",
            "risk-people-trace",
            _("持证与培训倒查"),
            "risk:people-accident-trace",
            right="risk.supervise_people",
            order=55,
        )
    )
    c.enterprise_attribute(
        contract.EnterpriseAttribute(
            "risk.training_in_place", _("安全培训到位"), "anlan.risk.selectors.people.training_in_place"
        )
    )
    c.sweep("risk_people", "anlan.risk.services.people.sweep", every=timedelta(hours=24))
    c.ledger(
        "risk_people_staff", "anlan.risk.views.people.staff_ledger", "risk.view_people", _("从业人员台账")
    )
    c.ledger(
        "risk_people_certificates",
        "anlan.risk.views.people.certificate_ledger",
        "risk.view_people",
        _("证书台账"),
    )
    c.ledger(
        "risk_people_attention",
        "anlan.risk.views.people.attention_ledger",
        "risk.supervise_people",
        _("证书到期及逾期未复审台账"),
    )
    c.ledger(
        "risk_people_training",
        "anlan.risk.views.people.training_ledger",
        "risk.view_people",
        _("培训记录台账"),
    )
    c.matrix("anlan.risk.tests.matrix_people")
    c.api("risk/staff", "anlan.risk.api.people.StaffViewSet", "risk-people-staff")
    c.api("risk/certificates", "anlan.risk.api.people.CertificateViewSet", "risk-people-certificate")
    c.demo("risk_people", "anlan.risk.demo.people.step", after=["users", "accidents"])
