"""Scoped reads of plans (应急预案): the list, a plan, a filing, whom a plan may be filed with, the to-dos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import recipients, trees
from anlan.core.contract import TodoItem
from anlan.core.models import Region, Role, Unit
from anlan.core.scope import memberships_of
from anlan.core.selectors import access
from anlan.core.units import committee_office_for, unit_for

from ..models import Plan, PlanEvaluation, PlanFiling, PlanReview, PlanVersion

MANAGE = "emergency.manage_plan"
CHECK_FILING = "emergency.check_plan_filing"
# The roles that may own plans, and those that receive filings (the rights table in wiring/plans.py agrees).
OWNER_ROLES = (Role.COMMITTEE_OFFICE, Role.DEPARTMENT, Role.TOWN, Role.ENTERPRISE)
RECEIVER_ROLES = (Role.COMMITTEE_OFFICE, Role.DEPARTMENT)


def access_plan(user, pk, *, for_update: bool = False) -> Plan:
    return access(
        Plan.objects.select_related("owner", "region", "enterprise", "industry"),
        user,
        pk,
        for_update=for_update,
    )


def access_filing(user, pk, *, for_update: bool = False) -> PlanFiling:
    return access(
        PlanFiling.objects.select_related("plan", "plan__owner", "receiver"), user, pk, for_update=for_update
    )


def plan_list(user) -> QuerySet:
    return Plan.objects.for_user(user).select_related("owner", "region", "enterprise")


def _units_of(user, roles) -> list[Unit]:
    """The Units the user acts for through a membership of `roles` (made on first use by core.units)."""
    found: list[Unit] = []
    for m in memberships_of(user):
        if m.role not in roles:
            continue
        if m.role == Role.DEPARTMENT and m.department_id:
            found.append(unit_for(m.department))
        elif m.role == Role.ENTERPRISE and m.enterprise_id:
            found.append(unit_for(m.enterprise))
        elif m.role == Role.TOWN and m.region_id:
            found.append(unit_for(m.region))
        elif m.role == Role.COMMITTEE_OFFICE and m.region_id and m.region.level <= Region.Level.COUNTY:
            found.append(committee_office_for(m.region))
    return list({unit.pk: unit for unit in found}.values())


def owner_units(user) -> list[Unit]:
    """The units whose plans the user manages (an enterprise its own, a department, town or 安委办 its own)."""
    return _units_of(user, OWNER_ROLES)


def receiving_units(user) -> list[Unit]:
    """The units whose filings the user checks (a department or an 安委办 the user works for)."""
    return _units_of(user, RECEIVER_ROLES)


def filing_receivers(plan: Plan) -> list[Unit]:
    """Where a plan may be filed (属地, 预案管理办法 第二十六条): an enterprise's with the county departments
    supervising its industry or the county 安委办 (应急管理部门); a town's or a county department's with the
    county 安委办; a county 安委办's with the one above."""
    county_code = trees.county_of(plan.region_id)
    county = Region.objects.filter(pk=county_code).first()
    if plan.owner.kind == Unit.Kind.COMMITTEE_OFFICE:
        parent = plan.owner.region.parent
        return [committee_office_for(parent)] if parent is not None else []
    units = []
    if plan.enterprise_id:
        departments = recipients.supervising_departments(plan.region_id, plan.industry_id)
        units = [unit_for(d) for d in departments if d.region_id == county_code]
    if county is not None:
        units.append(committee_office_for(county))
    return [unit for unit in units if unit.pk != plan.owner_id]


@dataclass
class PlanDetail:
    plan: Plan
    versions: list[PlanVersion]
    reviews: list[PlanReview]
    filings: list[PlanFiling]
    evaluations: list[PlanEvaluation]
    timeline: list[tuple[date, str, str]]


def plan_detail(user, pk) -> PlanDetail:
    """A plan with its versions, reviews, filings and evaluations, and one timeline merging them."""
    plan = access_plan(user, pk)
    versions = list(plan.versions.select_related("created_by"))
    reviews = list(plan.reviews.all())
    filings = list(plan.filings.select_related("receiver"))
    evaluations = list(plan.evaluations.all())
    timeline: list[tuple[date, str, str]] = []
    for v in versions:
        timeline.append(
            (timezone.localdate(v.created_at), _("第%(n)d版") % {"n": v.number}, v.get_reason_display())
        )
    for r in reviews:
        timeline.append((r.held_on, r.get_kind_display(), f"{r.get_conclusion_display()} · {r.reviewers}"))
    if plan.signed_on:
        timeline.append((plan.signed_on, _("签署"), plan.signed_by))
    if plan.published_on:
        timeline.append((plan.published_on, _("公布"), ""))
    for f in sorted(filings, key=lambda f: (f.submitted_on, f.pk)):
        timeline.append((f.submitted_on, _("报送备案"), f.receiver.name))
        if f.answered_on:
            timeline.append((f.answered_on, f.get_status_display(), "；".join(f.missing_labels)))
    for e in evaluations:
        timeline.append((e.evaluated_on, _("评估"), e.conclusion))
    # Newest first; within a day the later step first (rows are appended in the order the steps happen).
    ranked = sorted(enumerate(timeline), key=lambda pair: (pair[1][0], pair[0]), reverse=True)
    timeline = [row for _n, row in ranked]
    return PlanDetail(plan, versions, reviews, filings, evaluations, timeline)


# ---------------------------------------------------------------- to-dos


def filings_to_check(user) -> QuerySet:
    """Filings waiting for the user's department or 安委办 to check, oldest deadline first."""
    units = [unit.pk for unit in receiving_units(user)]
    return (
        PlanFiling.objects.for_user(user)
        .filter(status=PlanFiling.Status.SUBMITTED, receiver_id__in=units)
        .exclude(plan__owner_id__in=units)
        .select_related("plan")
        .order_by("check_due_on", "pk")
    )


def plans_to_file(user) -> QuerySet:
    """Published plans of the user's own units not filed yet (or returned for completion)."""
    units = [unit.pk for unit in owner_units(user)]
    return (
        Plan.objects.for_user(user)
        .filter(
            owner_id__in=units,
            status=Plan.Status.PUBLISHED,
            filing_status__in=(Plan.FilingStatus.UNFILED, Plan.FilingStatus.RETURNED),
        )
        .order_by("filing_due_on", "pk")
    )


def filing_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(str(f.plan), reverse("emergency:plan-filing-check", args=[f.pk]), f.check_due_on)
        for f in rows[:limit]
    ]


def plan_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(str(p), reverse("emergency:plan-detail", args=[p.pk]), p.filing_due_on) for p in rows[:limit]
    ]


def overdue_filing_q(today: date) -> Q:
    """Published plans whose 备案 is late: not filed (or returned) after the filing deadline."""
    return Q(
        status=Plan.Status.PUBLISHED,
        filing_status__in=(Plan.FilingStatus.UNFILED, Plan.FilingStatus.RETURNED),
        filing_due_on__lt=today,
    )


def overdue_evaluation_q(today: date) -> Q:
    return Q(status=Plan.Status.PUBLISHED, evaluation_due_on__lt=today)


def overdue_revision_q(today: date) -> Q:
    """Published plans found to need a revision (an evaluation's trigger) with none started by its day."""
    return Q(status=Plan.Status.PUBLISHED, revision_due_on__lt=today)
