"""What the alarms part contributes: the monitoring alarms of 两重点一重大 enterprises — handled by the enterprise
itself (主体责任), seen by its supervising department, its town and the county (scope through the enterprise);
imported by supervisors or the enterprise, pushed by monitoring systems through a signed webhook. Pages, the
ledger and the import, the enterprise's 待办, matrix rows, the read-only API and the demo's alarms."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # The enterprise answers for its own monitoring (design.md §1: 企业, 主体责任): it checks and closes.
            "warnings.handle_alarm": {Role.ENTERPRISE},
            "warnings.import_alarms": SUPERVISORS | {Role.ENTERPRISE},
            "warnings.view_alarms": SUPERVISORS | {Role.ENTERPRISE, Role.LEADER},
        }
    )
    c.nav(
        contract.NavEntry(
            "warnings-alarms",
            _("监测报警"),
            "warnings:alarm-list",
            order=34,
            right=("warnings.view_alarms",),
            group="warnings",
            active="name:alarm-",
        )
    )
    c.todo(
        contract.TodoProvider(
            "warnings.alarms",
            _("待处置的监测报警"),
            queryset="anlan.warnings.selectors.alarms.my_open_alarms",
            url="anlan.warnings.views.alarms.alarms_url",
            order=4,
        )
    )
    c.ledger("warning_alarms", "anlan.warnings.views.alarms.ledger", "warnings.export", _("监测报警台账"))
    c.importer(
        "warning_alarms",
        "anlan.warnings.services.alarm_imports.import_alarms",
        "warnings.import_alarms",
        _("监测报警"),
    )
    c.matrix("anlan.warnings.tests.matrix_alarms")
    c.api("warnings/alarms", "anlan.warnings.api.alarms.AlarmViewSet", "warnings-alarm")
    c.demo("warnings_alarms", "anlan.warnings.demo.alarms.step", after=["users"])
