from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "anlan.inspections"
    label = "inspections"
    verbose_name = _("监督检查与执法")
