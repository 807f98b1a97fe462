"""What the evacuation part contributes: 转移避险 registered by the town offices and the county 安委办/应急管理局
(who answer for moving people, 属地管理) — departments and leaders read it in their scope; the towns' 待办 of
households still to move; matrix rows."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role

    c.rights({"warnings.evacuate": frozenset({Role.COMMITTEE_OFFICE, Role.TOWN})})
    c.nav(
        contract.NavEntry(
            "warnings-evacuation",
            _("转移避险"),
            "warnings:evacuation-list",
            order=32,
            right=("warnings.evacuate", "warnings.export"),
            group="warnings",
            active="name:evacuation-",
        )
    )
    c.todo(
        contract.TodoProvider(
            "warnings.evacuation",
            _("待转移的群众"),
            queryset="anlan.warnings.selectors.evacuation.my_unmoved",
            url="anlan.warnings.views.evacuation.evacuations_url",
            order=7,
        )
    )
    c.ledger(
        "warning_households",
        "anlan.warnings.views.evacuation.ledger",
        "warnings.export",
        _("转移避险台账"),
    )
    c.api("warnings/evacuations", "anlan.warnings.api.evacuation.EvacuationViewSet", "warnings-evacuation")
    c.api("warnings/households", "anlan.warnings.api.evacuation.HouseholdViewSet", "warnings-household")
    c.matrix("anlan.warnings.tests.matrix_evacuation")
    c.demo(
        "warnings_evacuation", "anlan.warnings.demo.evacuation.step", after=["warnings", "emergency_forces"]
    )
