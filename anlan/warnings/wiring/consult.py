"""What 会商研判 contributes: supervisors (安委办/应急管理局, departments such as 自然资源、水利、气象, towns) record
joint meetings for the units they act for and send 安全风险提示单 from them; recipient units confirm and report as
themselves (no role right needed, the kernel's receipt decides); the kernel's sweep escalates unconfirmed ones.
Issue text: 「应急、自然资源、水利、气象等部门要密切沟通联系，定期会商研判」."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.permissions import SUPERVISORS

    c.rights({"warnings.manage_consultations": SUPERVISORS})
    c.nav(
        contract.NavEntry(
            "warnings-consultations",
            _("会商研判"),
            "warnings:consultation-list",
            order=20,
            right=("warnings.manage_consultations", "warnings.export"),
            group="warnings",
            active="name:consultation-",
        ),
        contract.NavEntry(
            "warnings-bulletins",
            _("安全风险提示单"),
            "warnings:bulletin-list",
            order=21,
            right=("warnings.manage_consultations", "warnings.export"),
            group="warnings",
            active="name:bulletin-",
        ),
        contract.NavEntry(
            "warnings-bulletins-received",
            _("我收到的风险提示单"),
            "warnings:bulletin-received",
            order=22,
            group="warnings",
            active="name:bulletin-re",
        ),
    )
    c.on("core.receipt_escalated", "anlan.warnings.services.consult.bulletin_escalated")
    c.todo(
        contract.TodoProvider(
            "warnings.bulletins_to_confirm",
            _("待确认的安全风险提示单"),
            queryset="anlan.warnings.selectors.consult.my_open_receipts",
            url="anlan.warnings.views.consult.received_url",
            items="anlan.warnings.selectors.consult.todo_items",
            order=7,
        )
    )
    c.ledger(
        "warning_consultations", "anlan.warnings.views.consult.ledger", "warnings.export", _("会商研判台账")
    )
    c.matrix("anlan.warnings.tests.matrix_consult")
    c.api("warnings/consultations", "anlan.warnings.api.consult.ConsultationViewSet", "warnings-consultation")
    c.api("warnings/bulletins", "anlan.warnings.api.consult.BulletinViewSet", "warnings-bulletin")
    c.demo("warnings_consult", "anlan.warnings.demo.consult.step", after=["warnings"])
