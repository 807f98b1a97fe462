from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class EmergencyConfig(contract.ModuleConfig):
    name = "anlan.emergency"
    label = "emergency"
    verbose_name = _("应急管理")

    def contribute(self, c: contract.Contributions) -> None:
        from .wiring import drills, duty, experts, plans, resources, response

        c.nav_group("emergency", _("应急管理"))
        c.urls("emergency/", "anlan.emergency.urls")
        # Each part declares its own rights, pages, to-dos, sweeps, events and demo step.
        for part in (duty, response, plans, drills, resources, experts):
            part.contribute(c)
