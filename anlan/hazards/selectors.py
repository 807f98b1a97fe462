"""Scoped reads of hazards: access (404 out of scope), lists, and the statistics as SQL aggregates."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth

from anlan.core.models import Role
from anlan.core.selectors import access
from anlan.core.workflow import Transition, available_transitions_by_pk

from .models import TRANSITIONS, Hazard, Lead

__all__ = ["access", "access_hazard", "access_lead", "hazard_list", "lead_list", "overdue_q"]


def access_hazard(user, pk, *, for_update: bool = False) -> Hazard:
    return access(
        Hazard.objects.select_related("enterprise", "region", "industry", "grid", "supervising_department"),
        user,
        pk,
        for_update=for_update,
    )


def access_lead(user, pk, *, for_update: bool = False) -> Lead:
    return access(
        Lead.objects.select_related("enterprise", "region", "grid", "hazard"), user, pk, for_update=for_update
    )


def hazard_actions_by_pk(hazards: list[Hazard], user) -> dict[int, list[Transition]]:
    """The transitions to offer: those the user holds the right for, without verification for the person
    who submitted the rectification (the service would refuse it)."""
    actions = available_transitions_by_pk(hazards, user, TRANSITIONS)
    for hazard in hazards:
        if hazard.submitted_by_id == user.pk:
            actions[hazard.pk] = [t for t in actions[hazard.pk] if t.name not in ("verify", "reject")]
    return actions


def hazard_actions(hazard: Hazard, user) -> list[Transition]:
    """The buttons of one hazard's page (see `hazard_actions_by_pk`)."""
    return hazard_actions_by_pk([hazard], user)[hazard.pk]


def hazard_list(user, action: str | None = None) -> QuerySet:
    return Hazard.objects.for_user(user, action).select_related("enterprise", "region", "industry")


def lead_list(user) -> QuerySet:
    return Lead.objects.for_user(user).select_related("enterprise", "region", "grid", "hazard")


def overdue_q(today: date) -> Q:
    """Open and past the due date (the due date itself is not overdue: rules.is_overdue)."""
    return Q(status__in=Hazard.OPEN, due_on__lt=today)


def experts() -> QuerySet:
    """Active users with an active expert membership: whom a hazard can be assigned to (专家会诊)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Role.EXPERT, memberships__is_active=True)
        .distinct()
    )


# ---------------------------------------------------------------- statistics (SQL aggregates only)


def totals(queryset: QuerySet, today: date) -> dict:
    """One query: found, closed, open, overdue, major, due in the period and closed on time, average days."""
    due = Q(due_on__lte=today)
    row = queryset.aggregate(
        found=Count("pk", filter=~Q(status=Hazard.Status.VOIDED)),
        closed=Count("pk", filter=Q(status=Hazard.Status.CLOSED)),
        open=Count("pk", filter=Q(status__in=Hazard.OPEN)),
        overdue=Count("pk", filter=overdue_q(today)),
        major=Count("pk", filter=Q(grade=Hazard.Grade.MAJOR) & ~Q(status=Hazard.Status.VOIDED)),
        due_in_period=Count("pk", filter=due & ~Q(status=Hazard.Status.VOIDED)),
        closed_on_time=Count("pk", filter=due & Q(status=Hazard.Status.CLOSED, closed_on__lte=F("due_on"))),
        days_to_close=Avg(
            ExpressionWrapper(F("closed_on") - F("found_on"), output_field=DurationField()),
            filter=Q(status=Hazard.Status.CLOSED),
        ),
    )
    days = row.pop("days_to_close")
    row["avg_days_to_close"] = round(days.total_seconds() / 86400, 1) if days is not None else None
    return row


def counts_by(queryset: QuerySet, field: str) -> list[dict]:
    return list(queryset.values(field).annotate(n=Count("pk")).order_by(field))


def monthly(queryset: QuerySet) -> list[dict]:
    """Found and closed per month of finding (one grouped query)."""
    return list(
        queryset.annotate(month=TruncMonth("found_on"))
        .values("month")
        .annotate(found=Count("pk"), closed=Count("pk", filter=Q(status=Hazard.Status.CLOSED)))
        .order_by("month")
    )


def by_region_prefix(queryset: QuerySet, length: int, today: date) -> dict[str, dict]:
    """Found / closed / overdue grouped by the first `length` digits of the region code (a child region)."""
    rows = (
        queryset.annotate(prefix=Substr("region_id", 1, length))
        .values("prefix")
        .annotate(
            found=Count("pk"),
            closed=Count("pk", filter=Q(status=Hazard.Status.CLOSED)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
        .order_by("prefix")
    )
    return {row["prefix"]: row for row in rows}
