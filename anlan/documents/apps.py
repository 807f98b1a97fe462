from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class DocumentsConfig(contract.ModuleConfig):
    """Official documents (公文): numbering and DOCX; other modules issue them through its services."""

    name = "anlan.documents"
    label = "documents"
    verbose_name = _("公文")
