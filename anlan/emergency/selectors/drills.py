"""Scoped reads of drills, and each published plan's drill compliance (on time / due soon / overdue)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q, QuerySet

from anlan.core.selectors import access

from .. import rules
from ..models import Drill, DrillProblem, Plan


def access_drill(user, pk, *, for_update: bool = False) -> Drill:
    return access(
        Drill.objects.select_related("plan", "owner", "region", "reported_to", "acknowledged_by"),
        user,
        pk,
        for_update=for_update,
    )


def access_problem(user, pk, *, for_update: bool = False) -> DrillProblem:
    return access(DrillProblem.objects.select_related("drill"), user, pk, for_update=for_update)


def drill_list(user) -> QuerySet:
    return Drill.objects.for_user(user).select_related("plan", "owner", "region")


def problems(drill: Drill) -> list[DrillProblem]:
    return list(drill.problems.select_related("hazard"))


def plans_to_drill(user) -> QuerySet:
    """Published plans (not cards) whose owner the user acts for: the choices of a new drill."""
    from .duty import member_units

    return (
        Plan.objects.for_user(user)
        .filter(status=Plan.Status.PUBLISHED, owner__in=member_units(user))
        .exclude(kind=rules.CARD)
        .order_by("title")
    )


@dataclass
class ComplianceRow:
    plan: Plan
    requirement: rules.DrillRequirement
    last_drilled_on: date | None
    due_on: date
    status: str

    @property
    def status_label(self):
        return rules.COMPLIANCE_LABELS[self.status]


def compliance_rows(plans: QuerySet, *, today: date) -> list[ComplianceRow]:
    """Each published plan's requirement (rules.drill_requirement by its kind and its owner's category), its
    last drill (one aggregate query) and its status (rules.drill_status, counted from publication when never
    drilled)."""
    rows = []
    queryset = (
        plans.filter(status=Plan.Status.PUBLISHED, published_on__isnull=False)
        .exclude(kind=rules.CARD)
        .select_related("owner", "region")
        .annotate(last_drilled_on=Max("drills__held_on"))
        .order_by("owner__name", "title")
    )
    for plan in queryset:
        requirement = rules.drill_requirement(plan_kind=plan.kind, unit_category=plan.unit_category)
        if requirement is None:
            continue
        last = plan.last_drilled_on
        due_on = rules.add_months(last or plan.published_on, requirement.months)
        status = rules.drill_status(last, requirement=requirement, today=today, since=plan.published_on)
        rows.append(ComplianceRow(plan, requirement, last, due_on, status))
    return rows


def compliance(
    user, *, today: date, status: str = "", query: str = ""
) -> tuple[list[ComplianceRow], Counter]:
    plans = Plan.objects.for_user(user)
    if query:
        plans = plans.filter(Q(title__icontains=query) | Q(owner__name__icontains=query))
    rows = compliance_rows(plans, today=today)
    counts = Counter(row.status for row in rows)
    if status:
        rows = [row for row in rows if row.status == status]
    return rows, counts


def reports_to_acknowledge(user) -> QuerySet:
    """To-do of a department: drill reports addressed to a unit it acts for, not yet acknowledged."""
    if not getattr(user, "is_authenticated", False):
        return Drill.objects.none()
    from .duty import member_units

    return drill_list(user).filter(status=Drill.Status.REPORTED, reported_to__in=member_units(user))


def acknowledge_todo_items(rows, limit):
    from django.urls import reverse

    from anlan.core.contract import TodoItem

    return [
        TodoItem(
            f"{d.owner.name}：{d.title}", reverse("emergency:drill-detail", args=[d.pk]), note=str(d.held_on)
        )
        for d in rows[:limit]
    ]
