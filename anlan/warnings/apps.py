from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class WarningsConfig(contract.ModuleConfig):
    name = "anlan.warnings"
    label = "warnings"
    verbose_name = _("监测预警")

    def contribute(self, c: contract.Contributions) -> None:
        from .wiring import alarms, consult, evacuation, points, warnings

        c.nav_group("warnings", _("监测预警"))
        c.urls("warnings/", "anlan.warnings.urls")
        # Each part declares its own rights, pages, to-dos, sweeps, events and demo step.
        for part in (warnings, points, evacuation, consult, alarms):
            part.contribute(c)
