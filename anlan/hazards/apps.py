from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "anlan.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")

    def ready(self):
        from anlan.core.sweeps import register

        register("hazards", "anlan.hazards.sweeps.run")
