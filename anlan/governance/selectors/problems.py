"""Scoped reads of 督查问题, 两书一函 and 问责记录: lists as the user's scope allows (a department sees only what
is addressed to its own unit), the units a user may issue for or assign to, overdue as one Q, statistics as
SQL aggregates grouped by unit and status, and the to-dos of assignees and issuers."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse

from anlan.core import units
from anlan.core.contract import TodoItem
from anlan.core.models import Region, Role, Unit
from anlan.core.scope import memberships_of
from anlan.core.selectors import access

from .. import rules
from ..models import AccountabilityRecord, GovernmentLetter, Problem, SupervisionVisit
from ..models.problems import MANAGE_PROBLEMS

# Units a problem or letter may be addressed to (seed-map B7: departments, towns, park committees).
ASSIGNEE_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.TOWN, Unit.Kind.PARK_COMMITTEE)
OPEN = Problem.OPEN


def overdue_q(today: date) -> Q:
    """Problems overdue on `today`: not closed out and their deadline passed (rules.problem_is_overdue)."""
    return Q(status__in=OPEN, due_on__lte=rules.problem_overdue_cutoff(today))


def late_q(today: date) -> Q:
    """Overdue now, or closed out after the deadline (both count against the unit)."""
    return overdue_q(today) | Q(status=Problem.Status.CLOSED, closed_on__gt=F("due_on"))


# ---------------------------------------------------------------- units


def issuing_units(user) -> QuerySet[Unit]:
    """The 安委办 units a user may issue 督查 and letters for: the county (or higher) 安委办 of each of their
    COMMITTEE_OFFICE memberships (made on first use)."""
    for membership in memberships_of(user):
        region = membership.region
        if (
            membership.role == Role.COMMITTEE_OFFICE
            and region is not None
            and region.level <= Region.Level.COUNTY
        ):
            units.committee_office_for(region)
    in_scope = Unit.objects.for_user(user, MANAGE_PROBLEMS).values("pk")
    return units.units_of(user).filter(pk__in=in_scope, kind=Unit.Kind.COMMITTEE_OFFICE).order_by("name")


def assignable_units(user) -> QuerySet[Unit]:
    """Active departments, towns and park committees in the user's scope (registry read)."""
    return (
        Unit.objects.for_user(user).filter(is_active=True, kind__in=ASSIGNEE_KINDS).order_by("kind", "name")
    )


# ---------------------------------------------------------------- 督查 and problems


def visit_list(user) -> QuerySet[SupervisionVisit]:
    return (
        SupervisionVisit.objects.for_user(user)
        .select_related("issuer", "region")
        .annotate(
            problem_count=Count("problems", distinct=True),
            open_count=Count("problems", filter=Q(problems__status__in=OPEN), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def access_visit(user, pk, *, for_update: bool = False) -> SupervisionVisit:
    return access(
        SupervisionVisit.objects.select_related("issuer", "region", "recorded_by"),
        user,
        pk,
        for_update=for_update,
    )


def problem_list(user, action: str | None = None) -> QuerySet[Problem]:
    return (
        Problem.objects.for_user(user, action)
        .select_related("visit", "visit__issuer", "assignee", "region")
        .order_by("due_on", "pk")
    )


def access_problem(user, pk, *, for_update: bool = False) -> Problem:
    return access(
        Problem.objects.select_related("visit", "visit__issuer", "assignee", "region"),
        user,
        pk,
        for_update=for_update,
    )


def problems_of_visit(user, visit) -> QuerySet[Problem]:
    """The problems of a visit the user may see (a department only its own)."""
    return problem_list(user).filter(visit=visit).order_by("position")


def measure_list(user) -> QuerySet[Problem]:
    """制度措施清单: the problems whose assignee recorded a systemic measure."""
    return problem_list(user).exclude(systemic_measure="").order_by("-reported_on", "-pk")


def my_problems(user) -> QuerySet[Problem]:
    """Open problems addressed to the user's units that wait for them (a plan or a report): the 待办."""
    return (
        Problem.objects.for_user(user)
        .filter(
            assignee__in=units.units_of(user),
            status__in=(Problem.Status.ASSIGNED, Problem.Status.RECTIFYING),
        )
        .select_related("assignee", "visit")
        .order_by("due_on", "pk")
    )


def to_close_out(user) -> QuerySet[Problem]:
    """Problems reported rectified that wait for the user's issuing unit to close them out: its 待办."""
    return (
        Problem.objects.for_user(user, MANAGE_PROBLEMS)
        .filter(status=Problem.Status.REPORTED, visit__issuer__in=units.units_of(user))
        .select_related("assignee", "visit")
        .order_by("reported_on", "pk")
    )


def problem_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=f"{row.assignee.name}：{row.description[:40]}",
            url=reverse("governance:problem-detail", args=[row.pk]),
            due=row.due_on,
        )
        for row in rows[:limit]
    ]


def statistics(queryset: QuerySet[Problem], today: date) -> dict:
    """Totals and one row per assignee unit (one grouped query each): found, closed, open, overdue, closed on
    time, and the 按期整改率 over the problems already due (deadline passed) or closed."""
    due = Q(due_on__lt=today) | Q(status=Problem.Status.CLOSED)
    figures = {
        "total": Count("pk"),
        "closed": Count("pk", filter=Q(status=Problem.Status.CLOSED)),
        "open": Count("pk", filter=Q(status__in=OPEN)),
        "reported": Count("pk", filter=Q(status=Problem.Status.REPORTED)),
        "overdue": Count("pk", filter=overdue_q(today)),
        "due": Count("pk", filter=due),
        "closed_on_time": Count("pk", filter=Q(status=Problem.Status.CLOSED, closed_on__lte=F("due_on"))),
    }
    totals = queryset.order_by().aggregate(**figures)
    totals["on_time_rate"] = rules.on_time_rate(totals["closed_on_time"], totals["due"])
    rows = list(
        queryset.order_by()
        .values("assignee_id", "assignee__name", "assignee__kind")
        .annotate(**figures)
        .order_by("-overdue", "-open", "assignee__name")
    )
    for row in rows:
        row["on_time_rate"] = rules.on_time_rate(row["closed_on_time"], row["due"])
    by_status = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "totals": totals,
        "units": rows,
        "by_status": [(label, by_status.get(value, 0)) for value, label in Problem.Status.choices],
    }


# ---------------------------------------------------------------- 两书一函


def letter_list(user) -> QuerySet[GovernmentLetter]:
    return GovernmentLetter.objects.for_user(user).select_related(
        "issuer", "recipient", "document", "problem"
    )


def access_letter(user, pk, *, for_update: bool = False) -> GovernmentLetter:
    return access(
        GovernmentLetter.objects.select_related("issuer", "recipient", "document", "problem", "issued_by"),
        user,
        pk,
        for_update=for_update,
    )


def letter_overdue_q(today: date) -> Q:
    """Letters whose written reply is late on `today` (rules.letter_reply_is_overdue)."""
    return Q(status=GovernmentLetter.Status.ISSUED, reply_due_on__lte=rules.problem_overdue_cutoff(today))


def my_letters(user) -> QuerySet[GovernmentLetter]:
    """Letters to the user's units still waiting for a reply (the 待办)."""
    return (
        GovernmentLetter.objects.for_user(user)
        .filter(recipient__in=units.units_of(user), status=GovernmentLetter.Status.ISSUED)
        .select_related("recipient")
        .order_by("reply_due_on", "pk")
    )


def letter_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=row.title, url=reverse("governance:letter-detail", args=[row.pk]), due=row.reply_due_on
        )
        for row in rows[:limit]
    ]


# ---------------------------------------------------------------- 问责


def accountability_list(user) -> QuerySet[AccountabilityRecord]:
    return AccountabilityRecord.objects.for_user(user).select_related(
        "subject_unit", "decided_by", "problem", "document", "cause_type"
    )


def access_accountability(user, pk, *, for_update: bool = False) -> AccountabilityRecord:
    return access(
        AccountabilityRecord.objects.select_related(
            "subject_unit", "decided_by", "problem", "document", "cause_type", "recorded_by"
        ),
        user,
        pk,
        for_update=for_update,
    )
