"""Pages of plans and draws: yearly plans with their progress, the inspector pool with conflicts, and 双随机
draws (run, check, confirm, publish)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anlan.core import entry
from anlan.core.paging import page_of
from anlan.core.permissions import has_right, require_right

from .. import selectors, services, statistics
from ..filters import DrawFilter
from ..forms import ConflictForm, DrawForm, InspectorForm, PlanForm
from ..models import InspectionPlan, Inspector, RandomDraw
from .common import form_context, root

PAGE_SIZE = entry.PAGE_SIZE

# ---------------------------------------------------------------- plans


def _keeps_planning(user, right: str) -> bool:
    """Whether the user keeps some department's planning with `right` (the create buttons)."""
    return has_right(user, right) and selectors.planning_departments(user, right).exists()


def _require_keeper(user, right: str) -> None:
    """403 for a create page of planning when the user keeps no department's (the 安委办 reads them only)."""
    require_right(user, right)
    if not selectors.planning_departments(user, right).exists():
        raise PermissionDenied(_("只有本部门人员可以办理本部门的检查计划、执法人员和双随机抽取。"))


def _own_department_ids(user, right: str) -> set[int]:
    return set(selectors.planning_departments(user, right).values_list("pk", flat=True))


def _plans_crumb():
    return (_("检查计划"), reverse("inspections:plan-list"))


@login_required
def plan_list(request):
    plans = InspectionPlan.objects.for_user(request.user).select_related("department")
    progress = statistics.plan_progress(request.user, list(plans))
    context = {
        "rows": progress,
        "can_create": _keeps_planning(request.user, "inspections.manage_plan"),
        "breadcrumbs": entry.crumbs(root(), (_("检查计划"), "")),
    }
    return render(request, "inspections/plan_list.html", context)


def _planform_page(request, plan=None):
    _require_keeper(request.user, "inspections.manage_plan")
    initial = None
    if plan is not None:
        selectors.require_planning(request.user, "inspections.manage_plan", plan)
        initial = {"department": plan.department, "year": plan.year, "title": plan.title, "notes": plan.notes}
        initial.update({f"m{n}": v for n, v in enumerate(plan.monthly_counts, 1)})
        for row, target in enumerate(plan.targets.all()[:3]):
            initial.update(
                {
                    f"t{row}_industry": target.industry,
                    f"t{row}_risk": target.risk_level,
                    f"t{row}_count": target.count,
                }
            )
    form = PlanForm(request.POST or None, initial=initial, user=request.user)

    def call(data):
        values, targets = form.service_data()
        return services.save_plan(
            actor=request.user, data=values, targets=targets, plan_pk=plan.pk if plan else None
        )

    title = _("修改检查计划") if plan else _("制定检查计划")
    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=lambda saved: reverse("inspections:plan-detail", args=[saved.pk]),
        template="inspections/form.html",
        context=form_context(title, [root(), _plans_crumb()], reverse("inspections:plan-list")),
        message=_("检查计划已保存。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    return _planform_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    return _planform_page(request, selectors.access_plan(request.user, pk))


@login_required
def plan_detail(request, pk):
    plan = selectors.access_plan(request.user, pk)
    row = statistics.plan_progress(request.user, [plan])[0]
    context = {
        "plan": plan,
        "row": row,
        "months": list(zip(range(1, 13), plan.monthly_counts, row["monthly_done"], strict=False)),
        "targets": list(plan.targets.select_related("industry")),
        "can_edit": selectors.may_plan(request.user, "inspections.manage_plan", plan),
        "breadcrumbs": entry.crumbs(root(), _plans_crumb(), (plan.title, "")),
    }
    return render(request, "inspections/plan_detail.html", context)


# ---------------------------------------------------------------- inspector pool


def _pool_crumb():
    return (_("执法人员库"), reverse("inspections:inspector-list"))


@login_required
def inspector_list(request):
    queryset = (
        Inspector.objects.for_user(request.user).select_related("department").prefetch_related("specialties")
    )
    context = {
        "page": page_of(request, queryset.order_by("department_id", "name", "id"), PAGE_SIZE),
        "today": timezone.localdate(),
        "can_manage": _keeps_planning(request.user, "inspections.manage_inspector"),
        "own_departments": _own_department_ids(request.user, "inspections.manage_inspector"),
        "breadcrumbs": entry.crumbs(root(), (_("执法人员库"), "")),
    }
    return render(request, "inspections/inspector_list.html", context)


def _inspectorform_page(request, inspector=None):
    _require_keeper(request.user, "inspections.manage_inspector")
    if inspector is not None:
        selectors.require_planning(request.user, "inspections.manage_inspector", inspector)
    form = InspectorForm(
        request.POST or None,
        instance=inspector,
        user=request.user,
        initial={"specialties": list(inspector.specialties.all())} if inspector else None,
    )

    def call(data):
        fields = {k: data[k] for k in ("name", "certificate_number", "certificate_expires_on", "is_active")}
        fields["department"] = data["department"].pk
        return services.save_inspector(
            actor=request.user,
            data=fields,
            specialties=data["specialties"],
            inspector_pk=inspector.pk if inspector else None,
        )

    conflicts = list(inspector.conflicts.select_related("enterprise")) if inspector else []
    title = _("修改执法人员") if inspector else _("添加执法人员")
    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=reverse("inspections:inspector-list"),
        template="inspections/inspector_form.html",
        context=form_context(
            title,
            [root(), _pool_crumb()],
            reverse("inspections:inspector-list"),
            inspector=inspector,
            conflicts=conflicts,
        ),
        message=_("执法人员已保存。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspector_create(request):
    return _inspectorform_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def inspector_edit(request, pk):
    return _inspectorform_page(request, selectors.access_inspector(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def conflict_create(request, pk):
    inspector = selectors.access_inspector(request.user, pk)
    selectors.require_planning(request.user, "inspections.manage_inspector", inspector)
    form = ConflictForm(request.POST or None, user=request.user)

    def call(data):
        return services.declare_conflict(
            actor=request.user,
            inspector_pk=inspector.pk,
            enterprise_pk=data["enterprise"].pk,
            reason=data["reason"],
            declared_on=data["declared_on"],
        )

    back = reverse("inspections:inspector-edit", args=[inspector.pk])
    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=back,
        template="inspections/form.html",
        context=form_context(_("申报回避"), [root(), _pool_crumb(), (inspector.name, back)], back),
        message=_("回避关系已申报。"),
    )


# ---------------------------------------------------------------- draws


def _draws_crumb():
    return (_("双随机抽取"), reverse("inspections:draw-list"))


@login_required
def draw_list(request):
    queryset = (
        RandomDraw.objects.for_user(request.user)
        .select_related("department", "region")
        .defer("pool", "weights", "inspectors", "conflicts", "used_pairs")
    )
    return entry.list_page(
        request,
        queryset=queryset.order_by("-drawn_at", "-id"),
        filterset_class=DrawFilter,
        template="inspections/draw_list.html",
        fragment="inspections/_draw_table.html",
        per_page=PAGE_SIZE,
        context={
            "can_draw": _keeps_planning(request.user, "inspections.draw"),
            "today": timezone.localdate(),
            "breadcrumbs": entry.crumbs(root(), (_("双随机抽取"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def draw_create(request):
    _require_keeper(request.user, "inspections.draw")
    form = DrawForm(request.POST or None, user=request.user)

    def call(data):
        values = dict(data)
        values["department"] = data["department"].pk
        return services.create_draw(actor=request.user, data=values)

    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=lambda draw: reverse("inspections:draw-detail", args=[draw.pk]),
        template="inspections/form.html",
        context=form_context(_("双随机抽取"), [root(), _draws_crumb()], reverse("inspections:draw-list")),
        message=_("已完成抽取，请核对后确认。"),
    )


@login_required
def draw_detail(request, pk):
    from anlan.core.models import Enterprise

    draw = selectors.access_draw(request.user, pk)
    enterprises = Enterprise.objects.in_bulk([entry["enterprise"] for entry in draw.result])
    people = Inspector.objects.in_bulk({p for entry in draw.result for p in entry["team"]})
    rows = [
        (enterprises.get(entry["enterprise"]), [people.get(p) for p in entry["team"]])
        for entry in draw.result
    ]
    verified = None
    if request.GET.get("verify"):
        verified = services.rerun_draw(draw) == draw.result
    context = {
        "draw": draw,
        "rows": rows,
        "verified": verified,
        "pool_size": len(draw.pool),
        "inspector_count": len(draw.inspectors),
        "inspections": list(draw.inspections.select_related("enterprise")),
        "today": timezone.localdate(),
        "breadcrumbs": entry.crumbs(root(), _draws_crumb(), (draw.title, "")),
    }
    return render(request, "inspections/draw_detail.html", context)


# 确认 and 公开 from RandomDraw.TRANSITIONS: one URL each (`draw-confirm`, `draw-publish`), served by one view.
DRAW_STEPS = {"confirm": services.confirm_draw, "publish": services.publish_draw}

draw_transition = entry.transition_view(
    access=selectors.access_own_draw,
    table=RandomDraw.TRANSITIONS,
    perform=lambda user, draw, transition, data: DRAW_STEPS[transition.name](actor=user, draw_pk=draw.pk),
    detail_url=lambda draw: reverse("inspections:draw-detail", args=[draw.pk]),
)
