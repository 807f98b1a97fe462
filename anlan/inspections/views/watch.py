"""Pages of 盯守 and 跟踪问效 (回头看): the list for supervisors, one plan with its visits, editing a plan,
recording a visit on a phone, a visit's photo; and the 联合惩戒措施 of a suspension: sending, the recipient's
page with its confirmation, lifting after 复产. The enterprise never sees any of them (404 by scope)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, receipts, uploads
from anlan.core.permissions import can, require, require_right

from .. import rules, selectors, services
from ..filters import WatchPlanFilter
from ..forms import JointMeasureForm, WatchPlanForm, WatchVisitForm
from ..models import JointMeasure, ScoreProposal, Suspension, WatchPlan, WatchVisitPhoto
from .common import form_context, root

WATCH = "inspections.watch"


def _watch_crumb():
    return (_("盯守与跟踪问效"), reverse("inspections:watch-list"))


def _plan_url(pk) -> str:
    return reverse("inspections:watch-detail", args=[pk])


@login_required
def watch_list(request):
    """盯守 (停产整顿) and 跟踪问效 (关闭退出) plans in scope, the most urgent first; filter the overdue."""
    require_right(request.user, WATCH)
    return entry.list_page(
        request,
        queryset=WatchPlan.objects.for_user(request.user)
        .select_related("enterprise", "department")
        .order_by("-is_active", "next_due_on", "pk"),
        filterset_class=WatchPlanFilter,
        template="inspections/watch_list.html",
        fragment="inspections/_watch_table.html",
        context={"breadcrumbs": entry.crumbs(root(), (_("盯守与跟踪问效"), "")), "today": _today()},
    )


def _today():
    return timezone.localdate()


@login_required
def watch_detail(request, pk):
    user = request.user
    plan = selectors.access_watch_plan(user, pk)
    visits = list(plan.visits.select_related("watcher").prefetch_related("photos"))
    proposals = list(
        ScoreProposal.objects.for_user(user)
        .filter(watch_visit__plan=plan)
        .select_related("rule", "watch_visit", "entry__person")
    )
    context = {
        "plan": plan,
        "visits": visits,
        "watchers": list(plan.watchers.all()),
        "overdue": plan.is_active and rules.watch_overdue(plan.next_due_on, _today()),
        "can_edit": plan.is_active and can(user, "inspections.manage_watch", plan),
        "can_visit": services.may_record_visit(user, plan),
        "proposals": proposals,
        "can_score": can(user, "inspections.score", plan.enterprise),
        "enterprise": plan.enterprise,
        "timeline": audit.timeline(plan),
        "breadcrumbs": entry.crumbs(root(), _watch_crumb(), (plan.enterprise.name, "")),
    }
    return render(request, "inspections/watch_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def watch_edit(request, pk):
    user = request.user
    plan = selectors.access_watch_plan(user, pk)
    require(user, "inspections.manage_watch", plan)
    initial = {"every_days": plan.every_days, "watchers": list(plan.watchers.values_list("pk", flat=True))}
    form = WatchPlanForm(request.POST or None, initial=initial, candidates=services.watcher_candidates(plan))
    back = _plan_url(pk)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.save_watch_plan(
            actor=user,
            plan_pk=pk,
            every_days=data["every_days"],
            watcher_ids=[u.pk for u in data["watchers"]],
        ),
        success_url=back,
        template="inspections/form.html",
        context=form_context(_("调整盯守计划"), [root(), _watch_crumb(), (plan.enterprise.name, back)], back),
        message=_("盯守计划已保存。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def watch_visit_create(request, pk):
    """The watcher's phone form: date, time, what they saw, whether the unit was producing, photos."""
    user = request.user
    plan = selectors.access_watch_plan(user, pk)
    if not can(user, "inspections.manage_watch", plan):
        require(user, WATCH, plan)
    form = WatchVisitForm(request.POST or None, request.FILES or None)
    back = _plan_url(pk)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.record_visit(
            actor=user, plan_pk=pk, data=data, photos=data.get("photos") or []
        ),
        success_url=back,
        template="inspections/form.html",
        context=form_context(
            _("记录巡查情况"),
            [root(), _watch_crumb(), (plan.enterprise.name, back)],
            back,
            confirm=_("确认提交巡查记录？发现组织生产的，将立即认定擅自复产并上报。"),
        ),
        message=_("巡查情况已记录。"),
    )


@login_required
def watch_visit_photo(request, pk):
    photo = WatchVisitPhoto.objects.for_user(request.user).filter(pk=pk).first()
    if photo is None:
        raise Http404
    return uploads.serve(photo.file, photo.name)


# ---------------------------------------------------------------- 联合惩戒措施


@login_required
@require_http_methods(["GET", "POST"])
def joint_measure_create(request, pk):
    user = request.user
    suspension = selectors.access_suspension(user, pk)
    require(user, "inspections.joint_measure", suspension)
    form = JointMeasureForm(request.POST or None, recipients=services.measure_recipients(user, suspension))
    back = reverse("inspections:suspension-detail", args=[pk])
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.send_joint_measure(
            actor=user,
            suspension_pk=pk,
            kind=data["kind"],
            recipient_pk=data["recipient"].pk,
            note=data["note"],
        ),
        success_url=back,
        template="inspections/form.html",
        context=form_context(
            _("发送联合惩戒措施"),
            [
                root(),
                (_("停产整顿"), reverse("inspections:suspension-list")),
                (suspension.enterprise.name, back),
            ],
            back,
        ),
        message=_("联合惩戒措施已发送，待接收单位确认。"),
    )


@login_required
def joint_measure_detail(request, pk):
    """The measure as its recipient body sees it, with the confirmation (the kernel's receipt)."""
    user = request.user
    measure = selectors.access_joint_measure(user, pk)
    tasks = [t for t in (measure.task, measure.lift_task) if t is not None]
    context = {
        "measure": measure,
        "tasks": [(t, t.status in receipts.OPEN and receipts.may_confirm(user, t)) for t in tasks],
        "sees_suspension": Suspension.objects.for_user(user).filter(pk=measure.suspension_id).exists(),
        "breadcrumbs": entry.crumbs(root(), (_("联合惩戒措施"), "")),
    }
    return render(request, "inspections/joint_measure_detail.html", context)


@login_required
@require_POST
def joint_measure_confirm(request, pk):
    user = request.user
    measure = selectors.access_joint_measure(user, pk)
    lifting = request.POST.get("lifting") == "1"
    task = measure.lift_task if lifting else measure.task
    if task is None or not receipts.may_confirm(user, task):
        raise PermissionDenied(_("只有接收单位的人员可以确认。"))
    return entry.post_action(
        request,
        form=forms.Form(request.POST),
        call=lambda data: services.confirm_joint_measure(actor=user, measure_pk=pk, lifting=lifting),
        back=reverse("inspections:joint-measure-detail", args=[pk]),
        message=_("已确认收到。"),
    )


@login_required
@require_POST
def joint_measure_lift(request, pk):
    user = request.user
    measure = selectors.access_joint_measure(user, pk)
    require(user, "inspections.joint_measure", measure.suspension)
    return entry.post_action(
        request,
        form=forms.Form(request.POST),
        call=lambda data: services.lift_joint_measure(actor=user, measure_pk=pk),
        back=reverse("inspections:suspension-detail", args=[measure.suspension_id]),
        message=_("解除通知已发送，待接收单位确认。"),
    )


def suspension_watch_context(user, suspension) -> dict:
    """The 盯守 plan and the 联合惩戒措施 of a suspension, as far as the user sees them (the suspension page)."""
    plan = WatchPlan.objects.for_user(user).filter(suspension=suspension).first()
    measures = list(
        JointMeasure.objects.for_user(user)
        .filter(suspension=suspension)
        .select_related("recipient", "task", "lift_task")
    )
    return {
        "watch_plan": plan,
        "watch_visits": list(plan.visits.select_related("watcher")[:5]) if plan else [],
        "watch_overdue": plan is not None
        and plan.is_active
        and rules.watch_overdue(plan.next_due_on, _today()),
        "joint_measures": measures,
        "can_send_measures": can(user, "inspections.joint_measure", suspension)
        and suspension.status != suspension.Status.RESUMED,
        "can_lift_measures": can(user, "inspections.joint_measure", suspension)
        and suspension.status == suspension.Status.RESUMED,
    }
