"""CAP 1.2 pages: the alert of a warning as a download, and the import of a feed file as drafts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anlan.core import entry
from anlan.core.errors import DomainError
from anlan.core.forms import add_domain_error
from anlan.core.permissions import require_right
from anlan.core.selectors import regions_for_choice

from .. import cap
from ..forms.cap import CapImportForm
from ..selectors import warnings as selectors
from ..services import cap as services


@login_required
@require_GET
def warning_cap(request, pk):
    """The warning as a CAP 1.2 alert (application/cap+xml), for whoever may open it."""
    warning = selectors.access_warning(request.user, pk)
    response = HttpResponse(services.export(warning), content_type="application/cap+xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="warning-{warning.pk}-r{warning.revision}.cap.xml"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def cap_import(request):
    """导入 CAP: a feed file's alerts become drafts in the chosen region (nothing is issued)."""
    user = request.user
    require_right(user, services.DRAFT)
    form = CapImportForm(
        request.POST or None, request.FILES or None, regions=regions_for_choice(user, min_level=3)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(cap.MAX_BYTES + 1)
        try:
            done = services.import_file(actor=user, data=data, region=form.cleaned_data["region"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("已从 CAP 文件处理 %(n)s 条预警，请核对后生成接收名单并发布。") % {"n": len(done)}
            )
            if len(done) == 1:
                return redirect("warnings:warning-detail", pk=done[0].pk)
            return redirect(reverse("warnings:warning-list") + "?status=draft")
    return render(
        request,
        "warnings/cap_import.html",
        {
            "form": form,
            "breadcrumbs": entry.crumbs(
                (_("预警发布"), reverse("warnings:warning-list")), (_("导入 CAP"), "")
            ),
        },
    )
