"""Hazard pages. Each view parses input, calls one service and renders (core.entry); scope first (404), then
right (403). A step of a `TRANSITIONS` table the user may not take now (its state, or a guard: the submitter
verifying, a major hazard fixed on the spot …) is not offered, and its page sends the user back with the rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, exporting, importing, uploads
from anlan.core import selectors as core_selectors
from anlan.core.filters import IndustryGroupingForm
from anlan.core.forms import ImportForm
from anlan.core.paging import filtered, query_without_page
from anlan.core.permissions import can, has_right, require, require_right
from anlan.core.pwa import offline_form
from anlan.core.workflow import Transition, available_transitions, find

from . import guards, imports, selectors, services, statistics
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
    RejectForm,
    SupervisionForm,
    VerifyForm,
)
from .models import (
    Extension,
    Hazard,
    Lead,
    Recheck,
    Rectification,
    RectificationPlan,
    Supervision,
    Verification,
)


def _hazards_crumb():
    return (_("隐患排查治理"), reverse("hazards:hazard-list"))


def _leads_crumb():
    return (_("隐患线索"), reverse("hazards:lead-list"))


def _detail_url(hazard) -> str:
    return reverse("hazards:hazard-detail", args=[hazard.pk])


def _refused(record, transition: Transition, user) -> str | None:
    """Why the user may not take `transition` on `record` now (its state, or a guard's rule), or None."""
    if record.status not in transition.sources:
        return _("当前状态为“%(state)s”，不能执行“%(action)s”。") % {
            "state": record.get_status_display(),
            "action": transition.label,
        }
    refused = transition.refusal(record, user)
    return refused.message if refused is not None else None


def _step_page(request, hazard: Hazard, *, step: str, form, call, title: str, message, revisable=False):
    """The form page of one step of a hazard's table: 403 without the right, back to the hazard with the
    rule when the step is not open to the user now, else `entry.form_page`."""
    user = request.user
    transition = find(Hazard.TRANSITIONS, step)
    require(user, transition.right, hazard)
    back = _detail_url(hazard)
    refused = None if revisable else _refused(hazard, transition, user)
    if refused:
        messages.error(request, refused)
        return redirect(back)
    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=back,
        template="hazards/form.html",
        message=message,
        context={
            "hazard": hazard,
            "title": title,
            "cancel_url": back,
            "breadcrumbs": entry.crumbs(_hazards_crumb(), (hazard.number, back), (title, "")),
        },
    )


def _hazard_form_page(request, hazard: Hazard, *, right: str, form, call, title: str, message):
    """The form page of a step that is not a transition (extension, 挂牌督办, 回头看)."""
    require(request.user, right, hazard)
    back = _detail_url(hazard)
    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=back,
        template="hazards/form.html",
        message=message,
        context={
            "hazard": hazard,
            "title": title,
            "cancel_url": back,
            "breadcrumbs": entry.crumbs(_hazards_crumb(), (hazard.number, back), (title, "")),
        },
    )


# ---------------------------------------------------------------- list, detail, register


@login_required
def hazard_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.hazard_list(user).order_by("-found_on", "-id"),
        filterset_class=HazardFilter,
        template="hazards/hazard_list.html",
        fragment="hazards/_hazard_table.html",
        context={
            "can_register": has_right(user, "hazards.register_hazard"),
            "can_export": has_right(user, "hazards.export_hazard"),
            "can_import": has_right(user, "hazards.import_hazard"),
            "industries": core_selectors.industry_tree(),
            "breadcrumbs": entry.crumbs((_("隐患排查治理"), "")),
        },
    )


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


def _with_actions(records: list, user, hazard: Hazard, slug: str | None = None) -> list:
    """Give each extension or supervision of the page its available transitions (and their URLs)."""
    for record in records:
        record.hazard = hazard
        table = type(record).TRANSITIONS
        record.actions = (
            entry.buttons(record, user, table, "hazards", slug)
            if slug
            else available_transitions(record, user, table)
        )
    return records


@login_required
def hazard_detail(request, pk):
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    context = {
        "hazard": hazard,
        "plan": hazard.current_plan(),
        "rectifications": hazard.rectifications.select_related("submitted_by"),
        "verifications": hazard.verifications.select_related("verified_by", "document"),
        "extensions": _with_actions(
            list(hazard.extensions.select_related("requested_by", "decided_by")), user, hazard
        ),
        "supervisions": _with_actions(
            list(hazard.supervisions.select_related("issuer", "document", "lifted_by")),
            user,
            hazard,
            "supervision",
        ),
        "rechecks": hazard.rechecks.select_related("checked_by", "new_hazard"),
        "photos": list(hazard.photos.all()),
        "actions": entry.buttons(hazard, user, Hazard.TRANSITIONS, "hazards", "hazard"),
        # Revising the plan and asking for more time are the rectifier's, as planning is (no 代管).
        "can_revise_plan": hazard.plan_revisable
        and can(user, "hazards.plan", hazard)
        and guards.may_rectify(hazard, user) is None,
        "can_extend": hazard.is_open
        and can(user, "hazards.request_extension", hazard)
        and guards.may_rectify(hazard, user) is None,
        "can_supervise": hazard.is_open
        and can(user, "hazards.supervise", hazard)
        and not guards.is_rectifying_unit_member(user, hazard),
        "can_recheck": hazard.is_closed and can(user, "hazards.recheck", hazard),
        "reason_form": ReasonForm(),
        "reject_form": RejectForm(),
        "show_finder": selectors.shows_finder(user, hazard),
        "expert_form": ExpertForm()
        if hazard.is_open
        and can(user, "hazards.assign_expert", hazard)
        and not guards.is_rectifying_unit_member(user, hazard)
        else None,
        "timeline": _timeline(hazard),
        "breadcrumbs": entry.crumbs(_hazards_crumb(), (hazard.number, "")),
    }
    return render(request, "hazards/hazard_detail.html", context)


def _registered(request, hazard: Hazard) -> Hazard:
    messages.success(request, _("已登记隐患 %(number)s。") % {"number": hazard.number})
    return hazard


def _confirmed(request, hazard: Hazard) -> Hazard:
    messages.success(request, _("线索已确认为隐患 %(number)s。") % {"number": hazard.number})
    return hazard


def _without_photos(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "photos"}


@login_required
@require_http_methods(["GET", "POST"])
def hazard_create(request):
    user = request.user
    require_right(user, "hazards.register_hazard")
    initial = {
        "found_on": timezone.localdate(),
        "due_on": selectors.default_due_on(),
        "enterprise": request.GET.get("enterprise"),
    }
    title = _("登记隐患")
    page = entry.form_page(
        request,
        form=HazardForm(request.POST or None, request.FILES or None, user=user, initial=initial),
        call=lambda data: _registered(
            request, services.register_hazard(actor=user, data=_without_photos(data), photos=data["photos"])
        ),
        success_url=_detail_url,
        template="hazards/form.html",
        context={
            "title": title,
            "draft": "hazard",
            "cancel_url": reverse("hazards:hazard-list"),
            "breadcrumbs": entry.crumbs(_hazards_crumb(), (title, "")),
        },
    )
    return offline_form(request, page)


# ---------------------------------------------------------------- the closed loop


@login_required
@require_http_methods(["GET", "POST"])
def hazard_plan(request, pk):
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    plan = hazard.current_plan()
    initial = {"due_on": hazard.due_on}
    if plan is not None:
        initial = {name: getattr(plan, name) for name in PlanForm.base_fields}
    return _step_page(
        request,
        hazard,
        step="plan",
        revisable=hazard.plan_revisable,
        form=PlanForm(request.POST or None, initial=initial, major=hazard.is_major),
        call=lambda data: services.record_plan(
            actor=user,
            hazard_pk=hazard.pk,
            plan=data,
            responsible_phone=data.get("responsible_phone", ""),
        ),
        title=_("整改方案"),
        message=_("整改方案已保存。"),
    )


def _rectification_page(request, pk, step: str, service, title: str, message):
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    return _step_page(
        request,
        hazard,
        step=step,
        form=RectificationForm(request.POST or None, request.FILES or None),
        call=lambda data: service(
            actor=user, hazard_pk=hazard.pk, description=data["description"], photos=data["photos"]
        ),
        title=title,
        message=message,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hazard_submit(request, pk):
    return _rectification_page(
        request, pk, "submit", services.submit_rectification, _("提交整改"), _("整改情况已提交，等待验收。")
    )


@login_required
@require_http_methods(["GET", "POST"])
def hazard_fix_on_the_spot(request, pk):
    return _rectification_page(
        request, pk, "fix_on_the_spot", services.fix_on_the_spot, _("立即整改"), _("已立即整改，等待验收。")
    )


@login_required
@require_http_methods(["GET", "POST"])
def hazard_witness_fix(request, pk):
    return _rectification_page(
        request,
        pk,
        "witness_fix",
        services.witness_fix,
        _("当场整改"),
        _("已记录当场整改，等待其他人员验收。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def hazard_verify(request, pk):
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    return _step_page(
        request,
        hazard,
        step="verify",
        form=VerifyForm(request.POST or None),
        call=lambda data: services.verify_rectification(
            actor=user,
            hazard_pk=hazard.pk,
            passed=data["passed"],
            opinion=data["opinion"],
            method=data["method"],
        ),
        title=_("验收"),
        message=_("验收结果已记录。"),
    )


def _reason_step(request, pk, *, step: str, call, message, invalid, form_class=ReasonForm):
    """A step of the hazard table that needs only a reason (void; reject with its method), posted from the
    detail page."""
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    require(user, find(Hazard.TRANSITIONS, step).right, hazard)
    return entry.post_action(
        request,
        form=form_class(request.POST),
        call=lambda data: call(actor=user, hazard_pk=pk, **data),
        back=_detail_url(hazard),
        message=message,
        invalid=invalid,
    )


@login_required
@require_POST
def hazard_reject(request, pk):
    def reject(*, actor, hazard_pk, reason, method):
        return services.verify_rectification(
            actor=actor, hazard_pk=hazard_pk, passed=False, opinion=reason, method=method
        )

    return _reason_step(
        request,
        pk,
        step="reject",
        call=reject,
        message=_("验收不通过，已退回整改。"),
        invalid=_("验收不通过必须填写意见并选择验收方式。"),
        form_class=RejectForm,
    )


@login_required
@require_POST
def hazard_void(request, pk):
    return _reason_step(
        request,
        pk,
        step="void",
        call=services.void_hazard,
        message=_("隐患已作废。"),
        invalid=_("作废必须填写原因。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def extension_create(request, pk):
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    require(user, "hazards.request_extension", hazard)
    refused = guards.may_rectify(hazard, user)
    if refused is not None:  # the rectifier asks for time; a supervisor is sent back with the rule
        messages.error(request, refused.message)
        return redirect(_detail_url(hazard))
    return _hazard_form_page(
        request,
        hazard,
        right="hazards.request_extension",
        form=ExtensionForm(request.POST or None),
        call=lambda data: services.request_extension(
            actor=user, hazard_pk=hazard.pk, new_due_on=data["new_due_on"], reason=data["reason"]
        ),
        title=_("申请延期"),
        message=_("延期申请已提交。"),
    )


@login_required
@require_POST
def extension_decide(request, pk):
    user = request.user
    extension = selectors.access(Extension.objects.all(), user, pk)
    require(user, "hazards.approve_extension", extension)
    return entry.post_action(
        request,
        form=DecisionForm(request.POST),
        call=lambda data: services.decide_extension(
            actor=user, extension_pk=pk, approve=data["approve"], note=data["note"]
        ),
        back=reverse("hazards:hazard-detail", args=[extension.hazard_id]),
        message=_("延期申请已审批。"),
        invalid=_("请选择审批结论。"),
    )


@login_required
@require_POST
def hazard_assign_expert(request, pk):
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    require(user, "hazards.assign_expert", hazard)
    return entry.post_action(
        request,
        form=ExpertForm(request.POST),
        call=lambda data: services.assign_expert(actor=user, hazard_pk=pk, expert_pk=data["expert"].pk),
        back=_detail_url(hazard),
        message=_("已指派专家。"),
        invalid=_("请选择专家。"),
    )


# ---------------------------------------------------------------- 挂牌督办 and 回头看


@login_required
@require_http_methods(["GET", "POST"])
def supervision_create(request, pk):
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    initial = {"due_on": hazard.due_on, "responsible_unit": hazard.responsible_unit_id}
    return _hazard_form_page(
        request,
        hazard,
        right="hazards.supervise",
        form=SupervisionForm(request.POST or None, initial=initial, hazard=hazard),
        call=lambda data: services.issue_supervision(actor=user, hazard_pk=hazard.pk, **data),
        title=_("挂牌督办"),
        message=_("已挂牌督办，督办函已生成。"),
    )


@login_required
def supervision_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=Supervision.objects.for_user(user).select_related(
            "hazard__enterprise", "issuer", "responsible_unit"
        ),
        filterset_class=SupervisionFilter,
        template="hazards/supervision_list.html",
        fragment="hazards/supervision_list.html",
        context={"breadcrumbs": entry.crumbs(_hazards_crumb(), (_("挂牌督办"), ""))},
    )


@login_required
@require_POST
def supervision_lift(request, pk):
    user = request.user
    supervision = selectors.access(Supervision.objects.all(), user, pk)
    require(user, "hazards.supervise", supervision)
    return entry.post_action(
        request,
        form=LiftForm(request.POST),
        call=lambda data: services.lift_supervision(actor=user, supervision_pk=pk, opinion=data["opinion"]),
        back=reverse("hazards:hazard-detail", args=[supervision.hazard_id]),
        message=_("已摘牌。"),
        invalid=_("摘牌必须填写意见。"),
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
    user = request.user
    hazard = selectors.access_hazard(user, pk)
    return _hazard_form_page(
        request,
        hazard,
        right="hazards.recheck",
        form=RecheckForm(request.POST or None, initial={"checked_on": timezone.localdate()}),
        call=lambda data: services.record_recheck(actor=user, hazard_pk=hazard.pk, **data),
        title=_("回头看"),
        message=_("回头看已记录。"),
    )


@login_required
def photo(request, pk):
    """A picture, served only to those who may see its hazard or lead."""
    item = selectors.access_photo(request.user, pk)
    return uploads.serve(item.file, item.name)


# ---------------------------------------------------------------- leads


@login_required
def lead_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.lead_list(user),
        filterset_class=LeadFilter,
        template="hazards/lead_list.html",
        fragment="hazards/lead_list.html",
        context={
            "can_report": has_right(user, "hazards.report_lead"),
            "breadcrumbs": entry.crumbs(_hazards_crumb(), (_("隐患线索"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_create(request):
    user = request.user
    require_right(user, "hazards.report_lead")
    form = LeadForm(
        request.POST or None, request.FILES or None, user=user, initial={"reported_on": timezone.localdate()}
    )
    page = entry.form_page(
        request,
        form=form,
        call=lambda data: services.report_lead(actor=user, data=_without_photos(data), photos=data["photos"]),
        success_url=lambda lead: reverse("hazards:lead-detail", args=[lead.pk]),
        template="hazards/form.html",
        message=_("线索已上报。"),
        context={
            "title": _("上报隐患线索"),
            "draft": "lead",
            "cancel_url": reverse("hazards:lead-list"),
            "breadcrumbs": entry.crumbs(_hazards_crumb(), _leads_crumb(), (_("上报"), "")),
        },
    )
    return offline_form(request, page)


@login_required
def lead_detail(request, pk):
    user = request.user
    lead = selectors.access_lead(user, pk)
    context = {
        "lead": lead,
        "photos": list(lead.photos.all()),
        "actions": entry.buttons(lead, user, Lead.TRANSITIONS, "hazards", "lead"),
        "reason_form": ReasonForm(),
        "timeline": audit.timeline(lead),
        "breadcrumbs": entry.crumbs(_hazards_crumb(), _leads_crumb(), (str(lead), "")),
    }
    return render(request, "hazards/lead_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lead_confirm(request, pk):
    user = request.user
    lead = selectors.access_lead(user, pk)
    transition = find(Lead.TRANSITIONS, "confirm")
    require(user, transition.right, lead)
    back = reverse("hazards:lead-detail", args=[pk])
    refused = _refused(lead, transition, user)
    if refused:
        messages.error(request, refused)
        return redirect(back)
    initial = {"due_on": selectors.default_due_on(lead.reported_on), "industry": lead.industry_id}
    title = _("确认为隐患")
    return entry.form_page(
        request,
        form=LeadConfirmForm(request.POST or None, initial=initial, industry=lead.industry_id),
        call=lambda data: _confirmed(request, services.confirm_lead(actor=user, lead_pk=pk, data=data)),
        success_url=_detail_url,
        template="hazards/form.html",
        context={
            "lead": lead,
            "title": title,
            "cancel_url": back,
            "breadcrumbs": entry.crumbs(_hazards_crumb(), _leads_crumb(), (str(lead), back), (title, "")),
        },
    )


@login_required
@require_POST
def lead_dismiss(request, pk):
    user = request.user
    require(user, "hazards.confirm_lead", selectors.access_lead(user, pk))
    return entry.post_action(
        request,
        form=ReasonForm(request.POST),
        call=lambda data: services.dismiss_lead(actor=user, lead_pk=pk, reason=data["reason"]),
        back=reverse("hazards:lead-detail", args=[pk]),
        message=_("线索已排除。"),
        invalid=_("排除线索必须填写原因。"),
    )


# ---------------------------------------------------------------- ledger, import, statistics


@login_required
def hazard_export(request):
    """The ledger now, or as a background job when it is large (core/exporting.py)."""
    return exporting.export(request, "hazards")


@login_required
@require_http_methods(["GET", "POST"])
def hazard_import(request):
    user = request.user
    require_right(user, "hazards.import_hazard")
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {}
    if request.method == "POST" and form.is_valid():
        result = importing.submit(
            request, "hazards", form.cleaned_data["file"], valid_only=form.cleaned_data["valid_only"]
        )
        context = importing.shown(request, result, imported=_("已导入 %(n)d 条隐患。"))
        if context is None:  # a large file: its job's page reports
            return redirect("core:job-detail", pk=result.pk)
    context |= {
        "form": form,
        "columns": [title for title, _name in imports.COLUMNS],
        "breadcrumbs": entry.crumbs(_hazards_crumb(), (_("Excel 导入隐患台账"), "")),
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
    grouping = IndustryGroupingForm(request.GET or None)
    context = statistics.page(user, rows, parent, timezone.localdate(), grouping.grouping)
    context.update(
        {
            "filter": filterset,
            "grouping_form": grouping,
            "query": query_without_page(request),
            "breadcrumbs": entry.crumbs(_hazards_crumb(), (_("统计分析"), "")),
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
        "can_register": can(user, "hazards.register_hazard", enterprise),
    }
    return render(request, "hazards/_enterprise_hazards.html", context)
