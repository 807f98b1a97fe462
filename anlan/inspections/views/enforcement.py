"""Pages of enforcement and documents: deciding an enforcement action, completing or revoking it (its
TRANSITIONS table), issuing a letter, and downloading an issued document."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anlan.core import entry
from anlan.core.permissions import require
from anlan.documents.models import IssuedDocument

from .. import selectors, services
from ..forms import EnforcementForm, LetterForm
from ..models import ClosureProposal, EnforcementAction, Inspection, Resumption
from .common import download, form_context, root


def _inspection_url(pk) -> str:
    return reverse("inspections:inspection-detail", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_create(request, pk):
    user = request.user
    inspection = selectors.access_inspection(user, pk)
    require(user, "inspections.enforce", inspection)
    if not services.may_enforce(user, inspection):
        raise PermissionDenied(_("只有持有效执法证的执法人员才能采取执法措施。"))
    form = EnforcementForm(request.POST or None, inspection=inspection, user=user)
    back = _inspection_url(inspection.pk)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.take_enforcement(
            actor=user,
            inspection_pk=inspection.pk,
            data={k: data[k] for k in services.ACTION_FIELDS},
            finding_ids=[a.pk for a in data["findings"]],
            supervision_pk=data["supervision"].pk if data.get("supervision") else None,
        ),
        success_url=back,
        template="inspections/form.html",
        context=form_context(
            _("采取执法措施"),
            [root(), (inspection.subject, back)],
            back,
            confirm=_("执法文书一经出具即编号生效，不能修改。确认出具？"),
        ),
        message=_("执法措施已决定，文书已生成。"),
    )


# 执行完毕 and 撤销 from EnforcementAction.TRANSITIONS (`enforcement-complete`, `enforcement-revoke`).
enforcement_transition = entry.transition_view(
    access=selectors.access_action,
    table=EnforcementAction.TRANSITIONS,
    perform=lambda user, action, transition, data: services.move_action(
        actor=user, action_pk=action.pk, transition=transition.name, reason=data.get("reason", "")
    ),
    detail_url=lambda action: _inspection_url(action.inspection_id),
)


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request, pk):
    user = request.user
    inspection = selectors.access_inspection(user, pk)
    require(user, "inspections.enforce", inspection)
    if not services.may_enforce(user, inspection):
        raise PermissionDenied(_("只有持有效执法证的执法人员才能出具执法文书。"))
    form = LetterForm(request.POST or None, inspection=inspection)
    back = _inspection_url(inspection.pk)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.issue_letter(
            actor=user,
            inspection_pk=inspection.pk,
            kind=data["kind"],
            addressee=data["addressee"],
            content=data["content"],
            action_pk=data["action"].pk if data["action"] else None,
            passed=data.get("passed"),
        ),
        success_url=back,
        template="inspections/form.html",
        context=form_context(
            _("出具文书"),
            [root(), (inspection.subject, back)],
            back,
            confirm=_("文书一经出具即编号生效，不能修改。确认出具？"),
        ),
        message=_("文书已生成。"),
    )


# ---------------------------------------------------------------- documents


@login_required
def document(request, pk):
    """An issued document of this module, if the user can see the inspection or action it belongs to."""
    issued = IssuedDocument.objects.filter(pk=pk).select_related("target_type").first()
    if issued is None or issued.target_type is None:
        raise Http404
    model = issued.target_type.model_class()
    if model is Inspection:
        selectors.access_inspection(request.user, issued.target_id)
    elif model is EnforcementAction:
        selectors.access_action(request.user, issued.target_id)
    elif model is Resumption:
        selectors.access_resumption(request.user, issued.target_id)
    elif model is ClosureProposal:
        selectors.access_closure(request.user, issued.target_id)
    else:
        raise Http404
    return download(issued.file, f"{issued.number}.docx")
