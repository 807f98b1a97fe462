"""Pages of 安全生产记分: the scored people with their current totals, adding a person, a person's scores,
scoring."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import entry
from anlan.core.paging import page_of
from anlan.core.permissions import can, has_right, require, require_right

from .. import rules, selectors, services, statistics
from ..forms import PersonForm, ScoreForm, ScoreProposalForm
from ..models import ScoredPerson, ScoreEntry
from .common import form_context, root


def _people_crumb():
    return (_("安全生产记分"), reverse("inspections:person-list"))


@login_required
def person_list(request):
    queryset = ScoredPerson.objects.for_user(request.user).select_related("enterprise")
    context = {
        "page": page_of(request, queryset.order_by("enterprise_id", "name", "id"), entry.PAGE_SIZE),
        "totals": statistics.current_scores(request.user),
        "can_score": has_right(request.user, "inspections.score"),
        "breadcrumbs": entry.crumbs(root(), (_("安全生产记分"), "")),
    }
    return render(request, "inspections/person_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    require_right(request.user, "inspections.score")
    form = PersonForm(request.POST or None, user=request.user)

    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.add_scored_person(
            actor=request.user,
            enterprise_pk=data["enterprise"].pk,
            name=data["name"],
            position=data["position"],
        ),
        success_url=lambda person: reverse("inspections:person-detail", args=[person.pk]),
        template="inspections/form.html",
        context=form_context(
            _("添加记分对象"), [root(), _people_crumb()], reverse("inspections:person-list")
        ),
        message=_("记分对象已添加。"),
    )


@login_required
def person_detail(request, pk):
    person = selectors.access_person(request.user, pk)
    context = {
        "person": person,
        "entries": list(
            ScoreEntry.objects.filter(person=person).select_related("rule", "inspection", "recorded_by")
        ),
        "can_score": can(request.user, "inspections.score", person),
        "threshold": rules.SCORE_THRESHOLD,
        "breadcrumbs": entry.crumbs(root(), _people_crumb(), (person.name, "")),
    }
    return render(request, "inspections/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def score_create(request, pk):
    person = selectors.access_person(request.user, pk)
    require(request.user, "inspections.score", person)
    form = ScoreForm(request.POST or None, person=person, user=request.user)

    back = reverse("inspections:person-detail", args=[person.pk])
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.score(
            actor=request.user,
            person_pk=person.pk,
            rule_pk=data["rule"].pk,
            scored_on=data["scored_on"],
            inspection_pk=data["inspection"].pk if data["inspection"] else None,
        ),
        success_url=back,
        template="inspections/form.html",
        context=form_context(_("记分"), [root(), _people_crumb(), (person.name, back)], back),
        message=_("记分已记录。"),
    )


@login_required
@require_POST
def score_proposal_decide(request, pk):
    """A supervisor confirms (for a named person) or dismisses (with a reason) a proposed 记分."""
    user = request.user
    proposal = selectors.access_score_proposal(user, pk)
    require(user, "inspections.score", proposal)
    form = ScoreProposalForm(request.POST, proposal=proposal)

    def call(data):
        if data["confirm"]:
            return services.confirm_score_proposal(
                actor=user,
                proposal_pk=proposal.pk,
                person_pk=data["person"].pk if data["person"] else None,
                name=data["name"],
                position=data["position"],
            )
        return services.dismiss_score_proposal(actor=user, proposal_pk=proposal.pk, reason=data["reason"])

    suspension = proposal.inspection.enterprise.suspensions.order_by("-id").first()
    back = (
        reverse("inspections:suspension-detail", args=[suspension.pk])
        if suspension is not None
        else reverse("inspections:inspection-detail", args=[proposal.inspection_id])
    )
    return entry.post_action(request, form=form, call=call, back=back, message=_("记分建议已处理。"))
