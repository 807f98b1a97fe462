"""Pages of drills: the list, recording a held drill, its page (evaluate, problems → hazards, report,
acknowledge) and the compliance of every published plan in scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anlan.core import entry
from anlan.core.errors import DomainError
from anlan.core.paging import query_without_page
from anlan.core.permissions import has_right
from anlan.core.units import acts_for, is_member

from .. import rules
from ..forms import drills as forms
from ..selectors import drills as selectors
from ..services import drills as services

MANAGE = services.MANAGE
ACKNOWLEDGE = services.ACKNOWLEDGE


def _crumbs(*items):
    return entry.crumbs((_("应急演练"), reverse("emergency:drill-list")), *items)


@login_required
def drill_list(request):
    return entry.list_page(
        request,
        queryset=selectors.drill_list(request.user),
        filterset_class=forms.DrillFilter,
        template="emergency/drills/list.html",
        fragment="emergency/drills/_table.html",
        context={
            "can_record": has_right(request.user, MANAGE),
            "breadcrumbs": entry.crumbs((_("应急演练"), "")),
        },
    )


@login_required
def drill_create(request):
    user = request.user
    if not has_right(user, MANAGE):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    plans = selectors.plans_to_drill(user)
    form = forms.DrillForm(request.POST or None, plans=plans, initial={"plan": request.GET.get("plan")})
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.record_drill(actor=user, plan_pk=data["plan"].pk, data=data),
        success_url=lambda drill: reverse("emergency:drill-detail", args=[drill.pk]),
        template="core/simple_form.html",
        context={
            "title": _("登记演练"),
            "cancel_url": reverse("emergency:drill-list"),
            "breadcrumbs": _crumbs((_("登记演练"), "")),
            "empty_note": None if plans.exists() else _("本单位没有已公布的预案，先到应急预案中公布预案。"),
        },
        message=_("演练已登记，请评估并报告。"),
    )


@login_required
def drill_detail(request, pk):
    user = request.user
    drill = selectors.access_drill(user, pk)
    organiser = acts_for(user, drill.owner, MANAGE)
    receiver = (
        drill.reported_to is not None
        and has_right(user, ACKNOWLEDGE)
        and is_member(user, drill.reported_to)
        and not is_member(user, drill.owner)
    )
    return render(
        request,
        "emergency/drills/detail.html",
        {
            "drill": drill,
            "problems": selectors.problems(drill),
            "organiser": organiser,
            "receiver": receiver,
            "evaluate_form": forms.EvaluateForm(initial={"evaluated_on": timezone.localdate()}),
            "problem_form": forms.ProblemForm(),
            "breadcrumbs": _crumbs((drill.title, "")),
        },
    )


def _act(request, call, back, message):
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect(back)


@login_required
@require_POST
def drill_evaluate(request, pk):
    drill = selectors.access_drill(request.user, pk)
    back = reverse("emergency:drill-detail", args=[drill.pk])
    return entry.post_action(
        request,
        form=forms.EvaluateForm(request.POST),
        call=lambda data: services.evaluate_drill(actor=request.user, drill_pk=drill.pk, data=data),
        back=back,
        message=_("评估已记录。"),
    )


@login_required
@require_POST
def drill_problem(request, pk):
    drill = selectors.access_drill(request.user, pk)
    return entry.post_action(
        request,
        form=forms.ProblemForm(request.POST),
        call=lambda data: services.add_problem(
            actor=request.user, drill_pk=drill.pk, description=data["description"]
        ),
        back=reverse("emergency:drill-detail", args=[drill.pk]),
        message=_("问题已登记。"),
    )


@login_required
@require_POST
def problem_hazard(request, pk):
    problem = selectors.access_problem(request.user, pk)
    return entry.post_action(
        request,
        form=forms.HazardForm(request.POST),
        call=lambda data: services.problem_to_hazard(
            actor=request.user, problem_pk=problem.pk, due_on=data["due_on"]
        ),
        back=reverse("emergency:drill-detail", args=[problem.drill_id]),
        message=_("已列为隐患，按隐患整改闭环。"),
    )


@login_required
@require_POST
def drill_report(request, pk):
    drill = selectors.access_drill(request.user, pk)
    return _act(
        request,
        lambda: services.report_drill(actor=request.user, drill_pk=drill.pk),
        reverse("emergency:drill-detail", args=[drill.pk]),
        _("已报告县级主管部门。"),
    )


@login_required
@require_POST
def drill_acknowledge(request, pk):
    drill = selectors.access_drill(request.user, pk)
    return _act(
        request,
        lambda: services.acknowledge_drill(actor=request.user, drill_pk=drill.pk),
        reverse("emergency:drill-detail", args=[drill.pk]),
        _("已确认收到演练报告。"),
    )


@login_required
def compliance(request):
    """演练频次落实情况: each published plan in scope against its required frequency."""
    status = request.GET.get("status", "")
    if status not in rules.COMPLIANCE_LABELS:
        status = ""
    query = request.GET.get("q", "").strip()
    rows, counts = selectors.compliance(request.user, today=timezone.localdate(), status=status, query=query)
    return render(
        request,
        "emergency/drills/compliance.html",
        {
            "page": Paginator(rows, 30).get_page(request.GET.get("page")),
            "query": query_without_page(request),
            "counts": [(code, label, counts.get(code, 0)) for code, label in rules.COMPLIANCE_LABELS.items()],
            "status": status,
            "q": query,
            "breadcrumbs": _crumbs((_("演练频次落实情况"), "")),
        },
    )


def acknowledge_url(user) -> str:
    return reverse("emergency:drill-list") + "?status=reported"
