from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccidentsConfig(AppConfig):
    name = "anlan.accidents"
    label = "accidents"
    verbose_name = _("生产安全事故")

    def ready(self):
        from anlan.core.sweeps import register

        register("accidents", "anlan.accidents.sweeps.run")
