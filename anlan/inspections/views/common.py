"""What the inspection pages share: the module's first breadcrumb, the context of a form page and file
downloads. Each view parses input, calls one service and renders through `anlan.core.entry` (form pages,
POST actions, filtered lists and the transition endpoints); scope first (404), then right (403)."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from anlan.core.entry import crumbs

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def root():
    """The module's first breadcrumb."""
    return (_("监督检查"), reverse("inspections:inspection-list"))


def form_context(title, trail, cancel: str, **extra) -> dict:
    """The context of a form page (`inspections/form.html`): its title, breadcrumbs ending with the title, and
    where 取消 goes."""
    return {"title": title, "cancel_url": cancel, "breadcrumbs": crumbs(*trail, (title, "")), **extra}


def download(field_file, filename: str, content_type: str = DOCX):
    return FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
