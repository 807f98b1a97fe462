"""Pages of 停产整顿 and 复产验收: the suspensions, one suspension with its applications and the step to
decide, applying for 复产验收 and deciding a step."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, uploads
from anlan.core.permissions import can, require, require_right
from anlan.core.workflow import available_transitions, find

from .. import guards, rules, selectors, services
from ..filters import SuspensionFilter
from ..forms import DecisionForm, ResumptionForm, ScoreProposalForm, SupervisionLinkForm
from ..models import Resumption, ScoreProposal, Suspension
from .common import form_context, root
from .watch import suspension_watch_context


def _suspensions_crumb():
    return (_("停产整顿"), reverse("inspections:suspension-list"))


def _detail_url(pk) -> str:
    return reverse("inspections:suspension-detail", args=[pk])


@login_required
def suspension_list(request):
    return entry.list_page(
        request,
        queryset=Suspension.objects.for_user(request.user)
        .select_related("enterprise", "action")
        .order_by("-id"),
        filterset_class=SuspensionFilter,
        template="inspections/suspension_list.html",
        fragment="inspections/_suspension_table.html",
        context={"breadcrumbs": entry.crumbs(root(), (_("停产整顿"), ""))},
    )


@login_required
def suspension_detail(request, pk):
    user = request.user
    suspension = selectors.access_suspension(user, pk)
    applications = list(
        suspension.applications.prefetch_related("steps__decided_by").select_related("notice")
    )
    pending = next((a for a in applications if a.status == Resumption.Status.PENDING), None)
    allowed = available_transitions(pending, user, Resumption.TRANSITIONS) if pending is not None else []
    hazards, orders = guards.open_blockers(suspension)
    proposals = list(
        ScoreProposal.objects.for_user(user)
        .filter(enterprise_id=suspension.enterprise_id)
        .select_related("rule", "inspection", "watch_visit", "entry__person")
    )
    context = {
        "suspension": suspension,
        "applications": applications,
        "pending": pending,
        "current": services.current_step(pending) if pending is not None else None,
        # Only the approver of the current step may decide it (the guard of Resumption.TRANSITIONS).
        "can_decide": pending is not None and bool(allowed),
        # 同意 is offered only when the step may pass (nobody signs two steps; the last step not while a
        # major hazard or an order is open: guards.clear_to_resume).
        "can_approve": any(t.name == "approve" for t in allowed),
        "blocked": guards.clear_to_resume(pending, user) if pending is not None else None,
        "open_major_hazards": hazards,
        "open_orders": orders,
        "proposals": proposals,
        "can_score": can(user, "inspections.score", suspension),
        "proposal_form": ScoreProposalForm(),
        # The enterprise's step of Suspension.TRANSITIONS (its page: `resumption-apply`); the others are taken
        # by the chain's decisions below.
        "apply_step": [find(Suspension.TRANSITIONS, "apply")],
        "decision_form": DecisionForm(),
        **suspension_watch_context(user, suspension),
        "timeline": audit.timeline(suspension),
        # The 挂牌督办 the halt follows; the department may name it while the suspension is in force.
        "can_link_supervision": not suspension.supervision_id
        and suspension.status != Suspension.Status.RESUMED
        and can(user, "inspections.enforce", suspension)
        and selectors.supervisions_to_link(user, suspension.enterprise_id).exists(),
        "review": _review(pending),
        "breadcrumbs": entry.crumbs(root(), _suspensions_crumb(), (suspension.enterprise.name, "")),
    }
    return render(request, "inspections/suspension_detail.html", context)


def _review(application: Resumption | None) -> dict | None:
    """The on-site review deadline of a pending application after a 挂牌督办 halt: due day, days left (negative
    when overdue), whether it was made."""
    if application is None or application.review_due_on is None:
        return None
    today = timezone.localdate()
    return {
        "due_on": application.review_due_on,
        "reviewed_on": application.reviewed_on,
        "today": today,
        "overdue": not application.reviewed_on and rules.is_past_due(application.review_due_on, today),
    }


@login_required
@require_http_methods(["GET", "POST"])
def suspension_link_supervision(request, pk):
    """Name the 挂牌督办 an existing 停产整顿 follows (the department, while it is in force)."""
    user = request.user
    suspension = selectors.access_suspension(user, pk)
    require(user, "inspections.enforce", suspension)
    form = SupervisionLinkForm(request.POST or None, suspension=suspension, user=user)
    back = _detail_url(pk)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.link_supervision(
            actor=user, suspension_pk=pk, supervision_pk=data["supervision"].pk
        ),
        success_url=back,
        template="inspections/form.html",
        context=form_context(
            _("关联挂牌督办"), [root(), _suspensions_crumb(), (suspension.enterprise.name, back)], back
        ),
        message=_("已关联挂牌督办。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resumption_apply(request, pk):
    """The `apply` transition of a suspension: its own page, since the step asks for evidence and a file."""
    user = request.user
    suspension = selectors.access_suspension(user, pk)
    require(user, "inspections.apply_resumption", suspension)
    form = ResumptionForm(request.POST or None, request.FILES or None)
    back = _detail_url(pk)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.apply_resumption(
            actor=user, suspension_pk=pk, evidence=data["evidence"], attachment=data.get("attachment")
        ),
        success_url=back,
        template="inspections/form.html",
        context=form_context(
            _("申请复产验收"), [root(), _suspensions_crumb(), (suspension.enterprise.name, back)], back
        ),
        message=_("复产验收申请已提交。"),
    )


@login_required
@require_POST
def resumption_decide(request, pk):
    user = request.user
    application = selectors.access_resumption(user, pk)
    require_right(user, "inspections.approve_resumption")
    return entry.post_action(
        request,
        form=DecisionForm(request.POST),
        call=lambda data: services.decide_resumption(
            actor=user, application_pk=pk, approve=data["approve"], opinion=data["opinion"]
        ),
        back=_detail_url(application.suspension_id),
        message=_("审批意见已记录。"),
    )


@login_required
def resumption_proof(request, pk):
    """The proof file the enterprise attached to its application, for everyone who sees the application
    (each approver reads it at their step)."""
    application = selectors.access_resumption(request.user, pk)
    if not application.attachment:
        raise Http404(_("没有证明材料。"))
    return uploads.serve(application.attachment, _("复产证明材料"))
