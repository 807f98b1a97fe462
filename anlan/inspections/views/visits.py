"""Pages of visits and checklists: the inspection list, planning, the detail with its timeline, recording
with the checklist, cancelling, the signature scan and answer photos; the statistics page and the inspection
panel of an enterprise's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anlan.core import audit, entry, uploads
from anlan.core.filters import IndustryGroupingForm
from anlan.core.permissions import can, has_right, require, require_right

from .. import guards, selectors, services, statistics
from ..filters import InspectionFilter
from ..forms import InspectionForm, OwnCheckForm, RecordForm
from ..models import (
    Answer,
    AnswerPhoto,
    ClosureProposal,
    EnforcementAction,
    Inspection,
    InspectionPlan,
    Letter,
    Suspension,
)
from .common import form_context, root


def _detail_url(pk) -> str:
    return reverse("inspections:inspection-detail", args=[pk])


@login_required
def inspection_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.inspection_list(user).order_by("-planned_on", "-id"),
        filterset_class=InspectionFilter,
        template="inspections/inspection_list.html",
        fragment="inspections/_inspection_table.html",
        context={
            # Planning an inspection needs a department to plan in (a town records its own checks instead).
            "can_create": has_right(user, "inspections.inspect") and _plans_for_a_department(user),
            "shows_planning": _plans_for_a_department(user) or InspectionPlan.objects.for_user(user).exists(),
            "can_own_check": has_right(user, "inspections.own_check"),
            "can_draw": has_right(user, "inspections.draw"),
            "can_view_closures": has_right(user, "inspections.view_closure"),
            "breadcrumbs": entry.crumbs((_("监督检查"), "")),
        },
    )


def _plans_for_a_department(user) -> bool:
    return selectors.departments_for(user, "inspections.inspect").exists()


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    user = request.user
    require_right(user, "inspections.inspect")
    if not _plans_for_a_department(user):
        raise PermissionDenied(_("只有部门人员可以安排本部门的检查；乡镇和领导请登记自行开展的检查。"))
    form = InspectionForm(request.POST or None, user=user)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.create_inspection(
            actor=user, data=form.service_data(), team_ids=[i.pk for i in data["team"]]
        ),
        success_url=lambda inspection: _detail_url(inspection.pk),
        template="inspections/form.html",
        context=form_context(_("安排检查"), [root()], reverse("inspections:inspection-list")),
        message=_("检查已安排。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def own_check_create(request):
    """A town's or a leader's own check (四不两直, 督查), recorded afterwards on its record page."""
    user = request.user
    require_right(user, "inspections.own_check")
    form = OwnCheckForm(request.POST or None, user=user)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.create_own_check(actor=user, data=form.service_data()),
        success_url=lambda inspection: reverse("inspections:inspection-record", args=[inspection.pk]),
        template="inspections/form.html",
        context=form_context(_("登记乡镇/领导检查"), [root()], reverse("inspections:inspection-list")),
        message=_("检查已登记，请记录检查情况。"),
    )


def _timeline(inspection: Inspection):
    related = [
        (Answer.history.filter(inspection_id=inspection.pk), Answer, _("检查项")),
        (AnswerPhoto.history.filter(answer__inspection_id=inspection.pk), AnswerPhoto, _("检查照片")),
        (EnforcementAction.history.filter(inspection_id=inspection.pk), EnforcementAction, _("执法措施")),
        (Letter.history.filter(inspection_id=inspection.pk), Letter, _("检查文书")),
    ]
    return audit.timeline(inspection, related)


@login_required
def inspection_detail(request, pk):
    user = request.user
    inspection = selectors.access_inspection(user, pk)
    context = {
        "inspection": inspection,
        "team": list(inspection.team.all()),
        "answers": list(inspection.answers.select_related("hazard").prefetch_related("photos")),
        "actions": list(inspection.actions.select_related("document")),
        "letters": list(inspection.letters.select_related("document")),
        # Enforcement and letters need the right on a recorded inspection; an action's own steps come from
        # its TRANSITIONS table ({% transition_buttons %}).
        # Only a certified inspector, never on a town's or a leader's own check (services.may_enforce).
        "can_enforce": services.may_enforce(user, inspection),
        # A leader records their own check on its page (they hold no `inspections.inspect` for the button).
        "can_record_own": inspection.is_own_check
        and inspection.status == Inspection.Status.PLANNED
        and can(user, "inspections.own_check", inspection)
        and not can(user, "inspections.inspect", inspection),
        "timeline": _timeline(inspection),
        # The draw is linked only for those who may open it (a town sees the inspection, not the draw).
        "draw_visible": selectors.may_see_draw(user, inspection),
        "breadcrumbs": entry.crumbs(root(), (str(inspection.subject), "")),
    }
    return render(request, "inspections/inspection_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_record(request, pk):
    """The `record` transition: its own page, since the step asks for the whole checklist."""
    user = request.user
    inspection = selectors.access_inspection(user, pk)
    require(user, services.record_right(inspection), inspection)
    if guards.of_its_department(inspection, user) is not None:
        raise PermissionDenied(_("部门的检查只能由该部门的执法人员记录或取消。"))
    form = RecordForm(request.POST or None, request.FILES or None, inspection=inspection)

    def call(data):
        record, answers, photos = form.service_args()
        return services.record_inspection(
            actor=user,
            inspection_pk=inspection.pk,
            data=record,
            answers=answers,
            photos=photos,
            signature=data.get("signature_scan"),
        )

    back = _detail_url(inspection.pk)
    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=back,
        template="inspections/record.html",
        context=form_context(
            _("记录检查结果"), [root(), (inspection.subject, back)], back, inspection=inspection
        ),
        message=_("检查结果已记录。"),
    )


# The `cancel` step (a reason asked on its own page) from Inspection.TRANSITIONS; `record` is the page above.
inspection_transition = entry.transition_view(
    access=selectors.access_inspection,
    table=[t for t in Inspection.TRANSITIONS if t.name == "cancel"],
    perform=lambda user, inspection, transition, data: services.cancel_inspection(
        actor=user, inspection_pk=inspection.pk, reason=data["reason"]
    ),
    detail_url=lambda inspection: _detail_url(inspection.pk),
)


@login_required
def inspection_signature(request, pk):
    inspection = selectors.access_inspection(request.user, pk)
    if not inspection.signature_scan:
        raise Http404(_("没有签字扫描件。"))
    return uploads.serve(inspection.signature_scan, _("签字确认扫描件"))


@login_required
def answer_photo(request, pk):
    photo = AnswerPhoto.objects.select_related("answer").filter(pk=pk).first()
    if photo is None:
        raise Http404
    selectors.access_inspection(request.user, photo.answer.inspection_id)
    return uploads.serve(photo.file, photo.name)


# ---------------------------------------------------------------- statistics


@login_required
def inspection_statistics(request):
    year = timezone.localdate().year
    grouping = IndustryGroupingForm(request.GET or None)
    departments = statistics.by_department(request.user, year)
    coverage = statistics.coverage(request.user, year)
    enforcement = statistics.enforcement(request.user, year)
    charts = {
        "labels": {"planned": _("计划"), "recorded": _("已检查")},
        "departments": [
            {"name": r["department__name"], "planned": r["planned"], "recorded": r["recorded"]}
            for r in departments
        ],
        "coverage": [{"name": str(r["label"]), "value": r["share"] or 0} for r in coverage],
        "enforcement": [{"name": str(r["label"]), "value": r["n"]} for r in enforcement["rows"] if r["n"]],
    }
    context = {
        "year": year,
        "departments": departments,
        "coverage": coverage,
        "colour_coverage": statistics.coverage_by_colour(request.user, year),
        "findings": statistics.findings(request.user, year),
        "grouping_form": grouping,
        "grouping": grouping.grouping,
        "by_industry": statistics.by_industry(request.user, year, grouping.grouping),
        "enforcement": enforcement,
        "suspensions": statistics.suspensions(request.user),
        "charts": charts,
        "breadcrumbs": entry.crumbs(root(), (_("统计分析"), "")),
    }
    return render(request, "inspections/statistics.html", context)


@login_required
def enterprise_inspections(request, pk):
    """The inspection history shown on an enterprise's page (loaded into it by htmx); a planned 四不两直
    visit is not in it for the enterprise's own users (the scope drops it)."""
    from anlan.core import selectors as core_selectors

    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    inspections = (
        Inspection.objects.for_user(user)
        .filter(enterprise=enterprise)
        .select_related("department")
        .order_by("-planned_on", "-id")
    )
    context = {
        "enterprise": enterprise,
        "inspections": inspections[:20],
        "suspensions": list(
            Suspension.objects.for_user(user).filter(enterprise=enterprise).order_by("-id")[:5]
        ),
        # 已达提请关闭条件: supervisors only (the scope of ClosureProposal leaves out the enterprise's users).
        "closure": ClosureProposal.objects.for_user(user)
        .filter(enterprise=enterprise, status__in=ClosureProposal.OPEN)
        .first(),
    }
    return render(request, "inspections/_enterprise_inspections.html", context)
