"""What the materials part of the emergency module contributes to the kernel (called from apps.py)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # The unit that keeps a warehouse manages its stock; supervisors and leaders read and export.
            "emergency.manage_materials": SUPERVISORS | {Role.ENTERPRISE},
            "emergency.export_materials": SUPERVISORS | {Role.ENTERPRISE, Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "emergency-materials",
            _("应急物资"),
            "emergency:material-warehouse-list",
            order=40,
            group="emergency",
            active="name:material",
        )
    )
    c.todo(
        contract.TodoProvider(
            "emergency.material_alerts",
            _("应急物资预警"),
            queryset="anlan.emergency.selectors.materials.my_alerts",
            url="anlan.emergency.views.materials.alerts_url",
            items="anlan.emergency.selectors.materials.alert_todo_items",
            order=40,
        )
    )
    c.ledger(
        "emergency_materials",
        "anlan.emergency.views.materials.material_ledger",
        "emergency.export_materials",
        _("应急物资台账"),
    )
    c.sweep("emergency_materials", "anlan.emergency.services.materials.sweep", every=timedelta(hours=24))
    c.demo("emergency_materials", "anlan.emergency.demo.materials.step", after=["users"])
    c.api("emergency/warehouses", "anlan.emergency.api.preparedness.WarehouseViewSet", "emergency-warehouse")
    c.api("emergency/materials", "anlan.emergency.api.preparedness.MaterialViewSet", "emergency-material")
    c.matrix("anlan.emergency.tests.matrix_materials")
