"""Pages of 提请关闭 (安全生产法 第一百一十三条): the proposals, one proposal with its penalties, window,
document and steps, and the steps themselves (ClosureProposal.TRANSITIONS through core.entry). Supervisors
only: an enterprise's users hold no right here and see no proposal (404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from anlan.core import audit, entry
from anlan.core.permissions import require_right

from .. import selectors, services
from ..filters import ClosureFilter
from ..models import ClosureProposal
from .common import root

VIEW_RIGHT = "inspections.view_closure"


def _closures_crumb():
    return (_("提请关闭"), reverse("inspections:closure-list"))


def _detail_url(pk) -> str:
    return reverse("inspections:closure-detail", args=[pk])


@login_required
def closure_list(request):
    require_right(request.user, VIEW_RIGHT)
    return entry.list_page(
        request,
        queryset=ClosureProposal.objects.for_user(request.user)
        .select_related("enterprise", "department")
        .order_by("-flagged_on", "-id"),
        filterset_class=ClosureFilter,
        template="inspections/closure_list.html",
        fragment="inspections/_closure_table.html",
        context={"breadcrumbs": entry.crumbs(root(), (_("提请关闭"), ""))},
    )


@login_required
def closure_detail(request, pk):
    proposal = selectors.access_closure(request.user, pk)
    actions = proposal.actions.select_related("inspection", "document").order_by("issued_on", "pk")
    context = {
        "proposal": proposal,
        "actions": actions,
        "timeline": audit.timeline(proposal),
        "breadcrumbs": entry.crumbs(root(), _closures_crumb(), (proposal.enterprise.name, "")),
    }
    return render(request, "inspections/closure_detail.html", context)


# 提请关闭, 不予提请, 政府决定关闭, 不予关闭 (`closure-propose`, `closure-dismiss`, `closure-close`, `closure-keep-open`).
closure_transition = entry.transition_view(
    access=selectors.access_closure,
    table=ClosureProposal.TRANSITIONS,
    perform=lambda user, proposal, transition, data: services.move_closure(
        actor=user, proposal_pk=proposal.pk, transition=transition.name, data=data
    ),
    detail_url=lambda proposal: _detail_url(proposal.pk),
)
