"""Hazard pages. Each view parses input, calls one service and renders; scope first (404), then right (403)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit
from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.forms import ImportForm, add_domain_error
from anlan.core.paging import filtered, page_of, query_without_page
from anlan.core.permissions import can, has_right, require, require_right
from anlan.core.workflow import available_transitions

from . import exports, imports, rules, selectors, services, statistics
from .filters import HazardFilter, LeadFilter, SupervisionFilter
from .forms import (
    DecisionForm,
    ExpertForm,
    ExtensionForm,
    HazardForm,
    LeadConfirmForm,
    LeadForm,
    LiftForm,
    PlanForm,
    ReasonForm,
    RecheckForm,
    RectificationForm,
    SupervisionForm,
    VerifyForm,
)
from .models import (
    LEAD_TRANSITIONS,
    Extension,
    Hazard,
    Lead,
    Photo,
    Recheck,
    Rectification,
    RectificationPlan,
    Supervision,
    Verification,
)

PAGE_SIZE = 20


def _crumbs(*items):
    return [(str(label), url) for label, url in items]


def _hazards_crumb():
    return (_("隐患排查治理"), reverse("hazards:hazard-list"))


def _post_action(request, *, form, call: Callable, done: str, invalid: str, back):
    """A POST-only step (void, decide, lift, dismiss …): validate the small form, call the service, go back."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    else:
        messages.error(request, invalid)
    return back


# ---------------------------------------------------------------- list, detail, register


@login_required
def hazard_list(request):
    user = request.user
    queryset = selectors.hazard_list(user).order_by("-found_on", "-id")
    filterset = HazardFilter(request.GET or None, queryset=queryset, request=request)
    rows = filtered(filterset)
    context = {
        "filter": filterset,
        "page": page_of(request, rows, PAGE_SIZE),
        "query": query_without_page(request),
        "today": timezone.localdate(),
        "can_register": has_right(user, "hazards.register_hazard"),
        "can_export": has_right(user, "hazards.export_hazard"),
        "can_import": has_right(user, "hazards.import_hazard"),
        "industries": core_selectors.industry_tree(),
        "breadcrumbs": _crumbs((_("隐患排查治理"), "")),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "hazards/_hazard_table.html", context)
    return render(request, "hazards/hazard_list.html", context)


def _timeline(hazard: Hazard):
    related = [
        (RectificationPlan.history.filter(hazard_id=hazard.pk), RectificationPlan, _("整改方案")),
        (Rectification.history.filter(hazard_id=hazard.pk), Rectification, _("整改情况")),
        (Verification.history.filter(hazard_id=hazard.pk), Verification, _("验收")),
        (Extension.history.filter(hazard_id=hazard.pk), Extension, _("延期申请")),
        (
            Supervision.history.filter(hazard_id=hazard.pk),
            Supervision,
            _("挂牌督办") + " {record.letter_number}",
        ),
        (Recheck.history.filter(hazard_id=hazard.pk), Recheck, _("回头看")),
    ]
    return audit.timeline(hazard, related)


@login_required
def hazard_detail(request, pk):
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    today = timezone.localdate()
    supervisions = list(hazard.supervisions.select_related("issuer", "document"))
    may_supervise = can(user, "hazards.supervise", hazard)
    may_assign = hazard.is_open and can(user, "hazards.assign_expert", hazard)
    context = {
        "hazard": hazard,
        "today": today,
        "overdue": rules.is_overdue(hazard.due_on, today, hazard.closed_on)
        and hazard.status != Hazard.Status.VOIDED,
        "plan": hazard.current_plan(),
        "rectifications": hazard.rectifications.select_related("submitted_by"),
        "verifications": hazard.verifications.select_related("verified_by"),
        "extensions": hazard.extensions.select_related("requested_by", "decided_by"),
        "supervisions": supervisions,
        "rechecks": hazard.rechecks.select_related("checked_by", "new_hazard"),
        "photos": list(hazard.photos.all()),
        "actions": selectors.hazard_actions(hazard, user),
        "can_plan": hazard.status == Hazard.Status.RECTIFYING and can(user, "hazards.plan", hazard),
        "can_extend": hazard.is_open and can(user, "hazards.request_extension", hazard),
        "can_decide": can(user, "hazards.approve_extension", hazard),
        "can_supervise": hazard.is_open and may_supervise,
        "can_lift": may_supervise,
        "can_recheck": hazard.status == Hazard.Status.CLOSED and can(user, "hazards.recheck", hazard),
        "void_form": ReasonForm(),
        "expert_form": ExpertForm() if may_assign else None,
        "timeline": _timeline(hazard),
        "breadcrumbs": _crumbs(_hazards_crumb(), (hazard.number, "")),
    }
    return render(request, "hazards/hazard_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hazard_create(request):
    user = request.user
    require_right(user, "hazards.register_hazard")
    initial = {"found_on": timezone.localdate(), "enterprise": request.GET.get("enterprise")}
    form = HazardForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        try:
            hazard = services.register_hazard(actor=user, data=data, photos=form.cleaned_data["photos"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已登记隐患 %(number)s。") % {"number": hazard.number})
            return redirect("hazards:hazard-detail", pk=hazard.pk)
    context = {
        "form": form,
        "title": _("登记隐患"),
        "cancel_url": reverse("hazards:hazard-list"),
        "breadcrumbs": _crumbs(_hazards_crumb(), (_("登记隐患"), "")),
    }
    return render(request, "hazards/form.html", context)


# ---------------------------------------------------------------- the closed loop


def _hazard_action(
    request,
    pk,
    *,
    right: str,
    form_factory: Callable,
    title: str,
    call: Callable,
    done: str,
):
    """A form page for one step on a hazard: GET shows the form, POST calls the service."""
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    require(user, right, hazard)
    form = form_factory(hazard, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(user, hazard, form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("hazards:hazard-detail", pk=pk)
    context = {
        "form": form,
        "hazard": hazard,
        "title": title,
        "cancel_url": reverse("hazards:hazard-detail", args=[pk]),
        "breadcrumbs": _crumbs(
            _hazards_crumb(), (hazard.number, reverse("hazards:hazard-detail", args=[pk])), (title, "")
        ),
    }
    return render(request, "hazards/form.html", context)


def _plan_form(hazard, data, files):
    plan = hazard.current_plan()
    initial = {"due_on": hazard.due_on}
    if plan is not None:
        initial = {name: getattr(plan, name) for name in PlanForm.base_fields}
    return PlanForm(data, initial=initial, major=hazard.is_major)


def _record_plan(user, hazard, data):
    fields = {k: v for k, v in data.items() if k != "responsible_phone"}
    services.record_plan(
        actor=user,
        hazard_pk=hazard.pk,
        plan=rules.PlanFields(**fields),
        responsible_phone=data.get("responsible_phone", ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def hazard_plan(request, pk):
    return _hazard_action(
        request,
        pk,
        right="hazards.plan",
        form_factory=_plan_form,
        title=_("整改方案"),
        call=_record_plan,
        done=_("整改方案已保存。"),
    )


def _rectification_view(request, pk, service: Callable, title: str, done: str):
    return _hazard_action(
        request,
        pk,
        right="hazards.submit_rectification",
        form_factory=lambda hazard, data, files: RectificationForm(data, files),
        title=title,
        call=lambda user, hazard, data: service(
            actor=user, hazard_pk=hazard.pk, description=data["description"], photos=data["photos"]
        ),
        done=done,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hazard_submit(request, pk):
    return _rectification_view(
        request, pk, services.submit_rectification, _("提交整改"), _("整改情况已提交，等待验收。")
    )


@login_required
@require_http_methods(["GET", "POST"])
def hazard_fix_on_the_spot(request, pk):
    return _rectification_view(
        request, pk, services.fix_on_the_spot, _("立即整改"), _("已立即整改，等待验收。")
    )


@login_required
@require_http_methods(["GET", "POST"])
def hazard_verify(request, pk):
    return _hazard_action(
        request,
        pk,
        right="hazards.verify",
        form_factory=lambda hazard, data, files: VerifyForm(data),
        title=_("验收"),
        call=lambda user, hazard, data: services.verify_rectification(
            actor=user, hazard_pk=hazard.pk, passed=data["passed"], opinion=data["opinion"]
        ),
        done=_("验收结果已记录。"),
    )


@login_required
@require_POST
def hazard_void(request, pk):
    user = request.user
    require(user, "hazards.void", selectors.access_hazard(user, pk))
    return _post_action(
        request,
        form=ReasonForm(request.POST),
        call=lambda data: services.void_hazard(actor=user, hazard_pk=pk, reason=data["reason"]),
        done=_("隐患已作废。"),
        invalid=_("作废必须填写原因。"),
        back=redirect("hazards:hazard-detail", pk=pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def extension_create(request, pk):
    return _hazard_action(
        request,
        pk,
        right="hazards.request_extension",
        form_factory=lambda hazard, data, files: ExtensionForm(data),
        title=_("申请延期"),
        call=lambda user, hazard, data: services.request_extension(
            actor=user, hazard_pk=hazard.pk, new_due_on=data["new_due_on"], reason=data["reason"]
        ),
        done=_("延期申请已提交。"),
    )


@login_required
@require_POST
def extension_decide(request, pk):
    user = request.user
    extension = selectors.access(Extension.objects.all(), user, pk)
    require(user, "hazards.approve_extension", extension)
    return _post_action(
        request,
        form=DecisionForm(request.POST),
        call=lambda data: services.decide_extension(
            actor=user, extension_pk=pk, approve=data["approve"], note=data["note"]
        ),
        done=_("延期申请已审批。"),
        invalid=_("请选择审批结论。"),
        back=redirect("hazards:hazard-detail", pk=extension.hazard_id),
    )


@login_required
@require_POST
def hazard_assign_expert(request, pk):
    user = request.user
    require(user, "hazards.assign_expert", selectors.access_hazard(user, pk))
    return _post_action(
        request,
        form=ExpertForm(request.POST),
        call=lambda data: services.assign_expert(actor=user, hazard_pk=pk, expert_pk=data["expert"].pk),
        done=_("已指派专家。"),
        invalid=_("请选择专家。"),
        back=redirect("hazards:hazard-detail", pk=pk),
    )


# ---------------------------------------------------------------- 挂牌督办 and 回头看


@login_required
@require_http_methods(["GET", "POST"])
def supervision_create(request, pk):
    def form_factory(hazard, data, files):
        unit = hazard.enterprise.name if hazard.enterprise_id else ""
        return SupervisionForm(data, initial={"due_on": hazard.due_on, "responsible_unit": unit})

    return _hazard_action(
        request,
        pk,
        right="hazards.supervise",
        form_factory=form_factory,
        title=_("挂牌督办"),
        call=lambda user, hazard, data: services.issue_supervision(actor=user, hazard_pk=hazard.pk, **data),
        done=_("已挂牌督办，督办函已生成。"),
    )


@login_required
def supervision_list(request):
    user = request.user
    queryset = Supervision.objects.for_user(user).select_related("hazard__enterprise", "issuer")
    filterset = SupervisionFilter(request.GET or None, queryset=queryset, request=request)
    rows = filtered(filterset)
    context = {
        "filter": filterset,
        "page": page_of(request, rows, PAGE_SIZE),
        "query": query_without_page(request),
        "breadcrumbs": _crumbs(_hazards_crumb(), (_("挂牌督办"), "")),
    }
    return render(request, "hazards/supervision_list.html", context)


@login_required
@require_POST
def supervision_lift(request, pk):
    user = request.user
    supervision = selectors.access(Supervision.objects.all(), user, pk)
    require(user, "hazards.supervise", supervision)
    return _post_action(
        request,
        form=LiftForm(request.POST),
        call=lambda data: services.lift_supervision(actor=user, supervision_pk=pk, opinion=data["opinion"]),
        done=_("已摘牌。"),
        invalid=_("摘牌必须填写意见。"),
        back=redirect("hazards:hazard-detail", pk=supervision.hazard_id),
    )


@login_required
def supervision_letter(request, pk):
    supervision = selectors.access(Supervision.objects.select_related("document"), request.user, pk)
    document = supervision.document
    handle = document.file.open("rb")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.number}.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recheck_create(request, pk):
    return _hazard_action(
        request,
        pk,
        right="hazards.recheck",
        form_factory=lambda hazard, data, files: RecheckForm(
            data, initial={"checked_on": timezone.localdate()}
        ),
        title=_("回头看"),
        call=lambda user, hazard, data: services.record_recheck(actor=user, hazard_pk=hazard.pk, **data),
        done=_("回头看已记录。"),
    )


@login_required
def photo(request, pk):
    """A picture, served only to those who may see its hazard or lead."""
    item = Photo.objects.select_related("hazard", "lead").filter(pk=pk).first()
    if item is None or not _photo_visible(request.user, item):
        from django.http import Http404

        raise Http404(_("记录不存在或不在您的管辖范围内。"))
    return FileResponse(item.file.open("rb"), filename=item.name)


def _photo_visible(user, item: Photo) -> bool:
    if item.hazard_id and Hazard.objects.for_user(user).filter(pk=item.hazard_id).exists():
        return True
    return bool(item.lead_id and Lead.objects.for_user(user).filter(pk=item.lead_id).exists())


# ---------------------------------------------------------------- leads


@login_required
def lead_list(request):
    user = request.user
    queryset = selectors.lead_list(user)
    filterset = LeadFilter(request.GET or None, queryset=queryset, request=request)
    rows = filtered(filterset)
    context = {
        "filter": filterset,
        "page": page_of(request, rows, PAGE_SIZE),
        "query": query_without_page(request),
        "can_report": has_right(user, "hazards.report_lead"),
        "breadcrumbs": _crumbs(_hazards_crumb(), (_("隐患线索"), "")),
    }
    return render(request, "hazards/lead_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lead_create(request):
    user = request.user
    require_right(user, "hazards.report_lead")
    form = LeadForm(
        request.POST or None, request.FILES or None, user=user, initial={"reported_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        try:
            lead = services.report_lead(actor=user, data=data, photos=form.cleaned_data["photos"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("线索已上报。"))
            return redirect("hazards:lead-detail", pk=lead.pk)
    context = {
        "form": form,
        "title": _("上报隐患线索"),
        "cancel_url": reverse("hazards:lead-list"),
        "breadcrumbs": _crumbs(
            _hazards_crumb(), (_("隐患线索"), reverse("hazards:lead-list")), (_("上报"), "")
        ),
    }
    return render(request, "hazards/form.html", context)


@login_required
def lead_detail(request, pk):
    user = request.user
    lead = selectors.access_lead(user, pk)
    context = {
        "lead": lead,
        "photos": list(lead.photos.all()),
        "actions": available_transitions(lead, user, LEAD_TRANSITIONS),
        "dismiss_form": ReasonForm(),
        "timeline": audit.timeline(lead),
        "breadcrumbs": _crumbs(
            _hazards_crumb(), (_("隐患线索"), reverse("hazards:lead-list")), (str(lead), "")
        ),
    }
    return render(request, "hazards/lead_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lead_confirm(request, pk):
    user = request.user
    lead = selectors.access_lead(user, pk)
    require(user, "hazards.confirm_lead", lead)
    initial = {"due_on": timezone.localdate() + timedelta(days=30), "industry": lead.industry_id}
    form = LeadConfirmForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            hazard = services.confirm_lead(actor=user, lead_pk=pk, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("线索已确认为隐患 %(number)s。") % {"number": hazard.number})
            return redirect("hazards:hazard-detail", pk=hazard.pk)
    context = {
        "form": form,
        "lead": lead,
        "title": _("确认为隐患"),
        "cancel_url": reverse("hazards:lead-detail", args=[pk]),
        "breadcrumbs": _crumbs(
            _hazards_crumb(),
            (_("隐患线索"), reverse("hazards:lead-list")),
            (str(lead), reverse("hazards:lead-detail", args=[pk])),
            (_("确认为隐患"), ""),
        ),
    }
    return render(request, "hazards/form.html", context)


@login_required
@require_POST
def lead_dismiss(request, pk):
    user = request.user
    require(user, "hazards.confirm_lead", selectors.access_lead(user, pk))
    return _post_action(
        request,
        form=ReasonForm(request.POST),
        call=lambda data: services.dismiss_lead(actor=user, lead_pk=pk, reason=data["reason"]),
        done=_("线索已排除。"),
        invalid=_("排除线索必须填写原因。"),
        back=redirect("hazards:lead-detail", pk=pk),
    )


# ---------------------------------------------------------------- ledger, import, statistics


@login_required
def hazard_export(request):
    user = request.user
    require_right(user, "hazards.export_hazard")
    queryset = exports.ledger_queryset(selectors.hazard_list(user, "hazards.export_hazard"))
    filterset = HazardFilter(request.GET or None, queryset=queryset, request=request)
    return exports.ledger_export(filtered(filterset))


@login_required
@require_http_methods(["GET", "POST"])
def hazard_import(request):
    user = request.user
    require_right(user, "hazards.import_hazard")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.import_hazards(
            actor=user, handle=form.cleaned_data["file"], valid_only=form.cleaned_data["valid_only"]
        )
        if report.imported:
            messages.success(request, _("已导入 %(n)d 条隐患。") % {"n": report.imported})
    context = {
        "form": form,
        "report": report,
        "columns": [title for title, _name in imports.COLUMNS],
        "breadcrumbs": _crumbs(_hazards_crumb(), (_("Excel 导入隐患台账"), "")),
    }
    return render(request, "hazards/import.html", context)


@login_required
def hazard_import_template(request):
    require_right(request.user, "hazards.import_hazard")
    workbook = imports.template_workbook(request.user)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="hazard-import-template.xlsx"'
    workbook.save(response)
    return response


@login_required
def hazard_statistics(request):
    user = request.user
    queryset = Hazard.objects.for_user(user)
    filterset = HazardFilter(request.GET or None, queryset=queryset, request=request)
    rows = filtered(filterset)
    parent = core_selectors.access_region(user, request.GET["region"]) if request.GET.get("region") else None
    context = statistics.page(user, rows, parent, timezone.localdate())
    context.update(
        {
            "filter": filterset,
            "query": query_without_page(request),
            "breadcrumbs": _crumbs(_hazards_crumb(), (_("统计分析"), "")),
        }
    )
    return render(request, "hazards/statistics.html", context)


@login_required
def enterprise_hazards(request, pk):
    """The hazard history shown on an enterprise's page (loaded into it by htmx)."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    hazards = Hazard.objects.for_user(user).filter(enterprise=enterprise).order_by("-found_on", "-id")
    context = {
        "enterprise": enterprise,
        "hazards": hazards[:50],
        "totals": selectors.totals(hazards, timezone.localdate()),
        "today": timezone.localdate(),
        "can_register": can(user, "hazards.register_hazard", enterprise),
    }
    return render(request, "hazards/_enterprise_hazards.html", context)
