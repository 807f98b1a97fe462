"""Plan pages (应急预案). Views parse input, call one service (services/plans.py) and render; what the detail page
shows comes from `selectors.plans.plan_detail`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anlan.core import entry, exporting, uploads
from anlan.core.exports import DATE, Column, Ledger, choice_labels, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import has_right, require_right
from anlan.core.units import acts_for

from .. import rules
from ..forms import plans as forms
from ..models import Plan, PlanFiling
from ..selectors import plans as selectors
from ..services import plans as services

MANAGE = selectors.MANAGE
CHECK = selectors.CHECK_FILING
EXPORT = "emergency.export_plan"


def _list_crumb():
    return (_("应急预案"), reverse("emergency:plan-list"))


def _detail_url(pk) -> str:
    return reverse("emergency:plan-detail", args=[pk])


def filings_to_check_url(user) -> str:
    return reverse("emergency:plan-list") + "?filing_status=submitted"


def plans_to_file_url(user) -> str:
    return reverse("emergency:plan-list") + "?filing_status=unfiled"


# ---------------------------------------------------------------- list, export, detail


@login_required
@require_GET
def plan_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.plan_list(user),
        filterset_class=forms.PlanFilter,
        template="emergency/plans/list.html",
        fragment="emergency/plans/_table.html",
        context={
            "can_create": has_right(user, MANAGE),
            "can_export": has_right(user, EXPORT),
            "today": timezone.localdate(),
            "breadcrumbs": entry.crumbs((_("应急预案"), "")),
        },
    )


COLUMNS = [
    Column(_("预案名称"), 30),
    Column(_("预案编号"), 14),
    Column(_("预案类别"), 14),
    Column(_("编制单位"), 24),
    Column(_("所属区划"), 12),
    Column(_("状态"), 8),
    Column(_("版本"), 4),
    Column(_("公布日期"), 10, DATE),
    Column(_("备案状态"), 12),
    Column(_("备案期限"), 10, DATE),
    Column(_("下次评估期限"), 10, DATE),
]


def _ledger_rows(queryset):
    kinds = dict(rules.PLAN_KINDS_WITH_CARD)
    statuses = choice_labels(Plan, "status")
    filing = choice_labels(Plan, "filing_status")
    for p in queryset.select_related("owner", "region").iterator(chunk_size=500):
        yield [
            p.title,
            p.number,
            str(kinds.get(p.kind, p.kind)),
            p.owner.name,
            p.region.name,
            str(statuses.get(p.status, p.status)),
            p.version,
            p.published_on,
            str(filing.get(p.filing_status, p.filing_status)),
            p.filing_due_on,
            p.evaluation_due_on,
        ]


def plan_ledger(user, params) -> Ledger:
    """The plan ledger (台账) the user may export, filtered as the list."""
    queryset = Plan.objects.for_user(user, EXPORT).order_by("-created_at", "-pk")
    filterset = forms.PlanFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="emergency-plans",
        sheet_title=_("应急预案台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=_ledger_rows,
        user=user,
        filterset=filterset,
    )


@login_required
@require_GET
def plan_export(request):
    return exporting.export(request, "emergency_plans")


def _manages(user, plan: Plan) -> bool:
    return acts_for(user, plan.owner, MANAGE)


@login_required
@require_GET
def plan_detail(request, pk):
    user = request.user
    detail = selectors.plan_detail(user, pk)
    plan = detail.plan
    manages = _manages(user, plan)
    status = plan.status
    S = Plan.Status
    context = {
        "plan": plan,
        "detail": detail,
        "manages": manages,
        "today": timezone.localdate(),
        "breadcrumbs": entry.crumbs(_list_crumb(), (plan.title, "")),
    }
    if manages:
        context.update(
            review_form=forms.ReviewForm() if status == S.DRAFT else None,
            sign_form=forms.SignForm() if status == S.REVIEWED else None,
            publish_form=forms.PublishForm() if status == S.SIGNED else None,
            revise_form=forms.ReviseForm() if status in (S.REVIEWED, S.SIGNED, S.PUBLISHED) else None,
            end_form=forms.EndForm() if plan.is_current else None,
            evaluation_form=forms.EvaluationForm() if status == S.PUBLISHED else None,
            filing_form=forms.FilingForm(receivers=selectors.filing_receivers(plan))
            if status == S.PUBLISHED
            and plan.filing_status in (Plan.FilingStatus.UNFILED, Plan.FilingStatus.RETURNED)
            else None,
        )
    return render(request, "emergency/plans/detail.html", context)


# ---------------------------------------------------------------- create, edit


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    user = request.user
    require_right(user, MANAGE)
    owners = selectors.owner_units(user)
    if not owners:
        raise PermissionDenied(_("您不属于可编制预案的单位。"))
    form = forms.PlanForm(request.POST or None, request.FILES or None, owners=owners)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.register_plan(
            actor=user, owner_pk=data["owner"], data=data, file=data.get("file")
        ),
        success_url=lambda plan: _detail_url(plan.pk),
        template="emergency/plans/form.html",
        context={
            "title": _("登记应急预案"),
            "cancel_url": reverse("emergency:plan-list"),
            "breadcrumbs": entry.crumbs(_list_crumb(), (_("登记"), "")),
        },
        message=_("预案已登记。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_update(request, pk):
    user = request.user
    plan = selectors.access_plan(user, pk)
    if not _manages(user, plan):
        raise PermissionDenied(_("只有预案编制单位可以办理此事项。"))
    initial = {
        "kind": plan.kind,
        "title": plan.title,
        "number": plan.number,
        "applies_to": plan.applies_to,
        "response_levels": [str(level) for level in plan.response_levels],
    }
    form = forms.PlanForm(request.POST or None, initial=initial, editing=True)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.update_plan(actor=user, plan_pk=plan.pk, data=data),
        success_url=_detail_url(plan.pk),
        template="emergency/plans/form.html",
        context={
            "title": _("修改应急预案"),
            "cancel_url": _detail_url(plan.pk),
            "breadcrumbs": entry.crumbs(_list_crumb(), (plan.title, _detail_url(plan.pk)), (_("修改"), "")),
        },
        message=_("预案已保存。"),
    )


# ---------------------------------------------------------------- steps of the plan (POST from the detail page)


def _step(request, pk, form_class, call, message, **form_kwargs):
    user = request.user
    plan = selectors.access_plan(user, pk)
    if not _manages(user, plan):
        raise PermissionDenied(_("只有预案编制单位可以办理此事项。"))
    form = form_class(request.POST, request.FILES or None, **form_kwargs)
    return entry.post_action(
        request,
        form=form,
        call=lambda data: call(user, plan, data),
        back=_detail_url(plan.pk),
        message=message,
    )


@login_required
@require_POST
def plan_review(request, pk):
    return _step(
        request,
        pk,
        forms.ReviewForm,
        lambda user, plan, d: services.record_review(actor=user, plan_pk=plan.pk, **d),
        _("评审记录已保存。"),
    )


@login_required
@require_POST
def plan_sign(request, pk):
    return _step(
        request,
        pk,
        forms.SignForm,
        lambda user, plan, d: services.sign_plan(actor=user, plan_pk=plan.pk, **d),
        _("预案已签署。"),
    )


@login_required
@require_POST
def plan_publish(request, pk):
    return _step(
        request,
        pk,
        forms.PublishForm,
        lambda user, plan, d: services.publish_plan(actor=user, plan_pk=plan.pk, **d),
        _("预案已公布，请在20个工作日内备案。"),
    )


@login_required
@require_POST
def plan_revise(request, pk):
    return _step(
        request,
        pk,
        forms.ReviseForm,
        lambda user, plan, d: services.revise_plan(actor=user, plan_pk=plan.pk, **d),
        _("已开始修订，新版本待评审。"),
    )


@login_required
@require_POST
def plan_end(request, pk):
    return _step(
        request,
        pk,
        forms.EndForm,
        lambda user, plan, d: services.end_plan(actor=user, plan_pk=plan.pk, **d),
        _("预案已停止使用。"),
    )


@login_required
@require_POST
def plan_evaluate(request, pk):
    return _step(
        request,
        pk,
        forms.EvaluationForm,
        lambda user, plan, d: services.record_evaluation(actor=user, plan_pk=plan.pk, **d),
        _("评估已记录。"),
    )


@login_required
@require_POST
def plan_file(request, pk):
    user = request.user
    plan = selectors.access_plan(user, pk)
    if not _manages(user, plan):
        raise PermissionDenied(_("只有预案编制单位可以办理此事项。"))
    return _step(
        request,
        pk,
        forms.FilingForm,
        lambda user, plan, d: services.submit_filing(
            actor=user, plan_pk=plan.pk, receiver_pk=d["receiver"], submitted_on=d["submitted_on"]
        ),
        _("已报送备案，受理部门将在5个工作日内审查。"),
        receivers=selectors.filing_receivers(plan),
    )


@login_required
@require_GET
def version_file(request, pk, version_pk):
    plan = selectors.access_plan(request.user, pk)
    version = plan.versions.filter(pk=version_pk).first()
    if version is None or not version.file:
        raise Http404(_("该版本没有上传文本。"))
    return uploads.serve(version.file, version.file_name)


# ---------------------------------------------------------------- the receiving department's check


def _checker(user, filing: PlanFiling) -> None:
    if not acts_for(user, filing.receiver, CHECK):
        raise PermissionDenied(_("只有受理部门可以审查该备案。"))


@login_required
@require_GET
def filing_check(request, pk):
    user = request.user
    filing = selectors.access_filing(user, pk)
    _checker(user, filing)
    open_ = filing.status == PlanFiling.Status.SUBMITTED
    return render(
        request,
        "emergency/plans/filing_check.html",
        {
            "filing": filing,
            "plan": filing.plan,
            "detail": selectors.plan_detail(user, filing.plan_id),
            "accept_form": forms.AcceptForm() if open_ else None,
            "return_form": forms.ReturnForm() if open_ else None,
            "breadcrumbs": entry.crumbs(
                _list_crumb(), (filing.plan.title, _detail_url(filing.plan_id)), (_("备案审查"), "")
            ),
        },
    )


def _answer(request, pk, form_class, call, message):
    user = request.user
    filing = selectors.access_filing(user, pk)
    _checker(user, filing)
    form = form_class(request.POST)
    return entry.post_action(
        request,
        form=form,
        call=lambda data: call(user, filing, data),
        back=reverse("emergency:plan-filing-check", args=[filing.pk]),
        message=message,
    )


@login_required
@require_POST
def filing_accept(request, pk):
    return _answer(
        request,
        pk,
        forms.AcceptForm,
        lambda user, filing, d: services.accept_filing(actor=user, filing_pk=filing.pk, **d),
        _("已予以备案，可下载备案登记表。"),
    )


@login_required
@require_POST
def filing_return(request, pk):
    return _answer(
        request,
        pk,
        forms.ReturnForm,
        lambda user, filing, d: services.return_filing(actor=user, filing_pk=filing.pk, **d),
        _("已一次性告知需补正的材料。"),
    )


@login_required
@require_GET
def filing_docx(request, pk):
    filing = selectors.access_filing(request.user, pk)
    if not filing.is_filed:
        raise Http404(_("该备案尚未完成，没有备案登记表。"))
    response = HttpResponse(
        services.registration_form_docx(filing),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="plan-filing-{filing.pk}.docx"'
    return response
