"""Scoped reads of 督查问题, 两书一函 and 问责记录: lists as the user's scope allows (a department sees only what
is addressed to its own unit), the units a user may issue for or assign to, overdue as one Q, statistics as
SQL aggregates grouped by unit and status over the problems' hazards, and the letters' to-dos. A problem's
state, deadline and overdue flag are its hazard's (`anlan.hazards.selectors`); the assignee's and the issuer's
to-dos are the hazards' own (待我整改 / 待我验收)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse

from anlan.core import units
from anlan.core.contract import TodoItem
from anlan.core.models import Region, Role, Unit
from anlan.core.scope import memberships_of
from anlan.core.selectors import access
from anlan.hazards import selectors as hazards

from .. import rules
from ..models import AccountabilityRecord, GovernmentLetter, Problem, SupervisionVisit
from ..models.problems import MANAGE_PROBLEMS

# Units a problem or letter may be addressed to (seed-map B7: departments, towns, park committees).
ASSIGNEE_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.TOWN, Unit.Kind.PARK_COMMITTEE)
# A problem's state is its hazard's (registered → rectifying → awaiting verification → closed, or voided).
STATUS_CHOICES = hazards.STATUS_CHOICES
H = "hazard__"


def open_q() -> Q:
    """Problems whose hazard is neither closed out nor voided."""
    return hazards.open_q(H)


def overdue_q(today: date) -> Q:
    """Problems overdue on `today`: their hazard open past its due date (the hazards' rule, rules.is_overdue)."""
    return hazards.overdue_q(today, H)


def late_q(today: date) -> Q:
    """Overdue now, or closed out after the deadline (both count against the unit)."""
    return overdue_q(today) | hazards.closed_late_q(H)


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
            open_count=Count("problems", filter=hazards.open_q("problems__hazard__"), distinct=True),
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


PROBLEM_RELATED = ("visit", "visit__issuer", "hazard", "hazard__responsible_unit", "hazard__region")


def problem_list(user, action: str | None = None) -> QuerySet[Problem]:
    return (
        Problem.objects.for_user(user, action)
        .select_related(*PROBLEM_RELATED)
        .order_by("hazard__due_on", "pk")
    )


def access_problem(user, pk, *, for_update: bool = False) -> Problem:
    return access(Problem.objects.select_related(*PROBLEM_RELATED), user, pk, for_update=for_update)


def problems_of_visit(user, visit) -> QuerySet[Problem]:
    """The problems of a visit the user may see (a department only its own)."""
    return problem_list(user).filter(visit=visit).order_by("position")


def measure_list(user) -> QuerySet[Problem]:
    """制度措施清单: the problems whose assignee recorded a systemic measure."""
    return problem_list(user).exclude(systemic_measure="").order_by("-hazard__closed_on", "-pk")


def statistics(queryset: QuerySet[Problem], today: date) -> dict:
    """Totals and one row per assignee unit (one grouped query each) over the problems' hazards: found,
    closed, open, awaiting verification, overdue, closed on time, and the 按期整改率 over the problems already
    due (deadline passed) or closed."""
    closed = hazards.closed_q(H)
    due = Q(hazard__due_on__lt=today) | closed
    figures = {
        "total": Count("pk"),
        "closed": Count("pk", filter=closed),
        "open": Count("pk", filter=open_q()),
        "reported": Count("pk", filter=Q(hazard__status=hazards.AWAITING_VERIFICATION)),
        "overdue": Count("pk", filter=overdue_q(today)),
        "due": Count("pk", filter=due),
        "closed_on_time": Count("pk", filter=closed & Q(hazard__closed_on__lte=F("hazard__due_on"))),
    }
    totals = queryset.order_by().aggregate(**figures)
    totals["on_time_rate"] = rules.on_time_rate(totals["closed_on_time"], totals["due"])
    rows = list(
        queryset.order_by()
        .values(
            assignee_id=F("hazard__responsible_unit_id"),
            assignee__name=F("hazard__responsible_unit__name"),
            assignee__kind=F("hazard__responsible_unit__kind"),
        )
        .annotate(**figures)
        .order_by("-overdue", "-open", "assignee__name")
    )
    for row in rows:
        row["on_time_rate"] = rules.on_time_rate(row["closed_on_time"], row["due"])
    by_status = dict(queryset.order_by().values_list("hazard__status").annotate(n=Count("pk")))
    return {
        "totals": totals,
        "units": rows,
        "by_status": [(label, by_status.get(value, 0)) for value, label in STATUS_CHOICES],
    }


# ---------------------------------------------------------------- 两书一函


def letter_list(user) -> QuerySet[GovernmentLetter]:
    return GovernmentLetter.objects.for_user(user).select_related(
        "issuer", "recipient", "document", "problem__hazard"
    )


def access_letter(user, pk, *, for_update: bool = False) -> GovernmentLetter:
    return access(
        GovernmentLetter.objects.select_related(
            "issuer", "recipient", "document", "problem__hazard", "issued_by"
        ),
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
        "subject_unit", "decided_by", "problem__hazard", "document", "cause_type"
    )


def access_accountability(user, pk, *, for_update: bool = False) -> AccountabilityRecord:
    return access(
        AccountabilityRecord.objects.select_related(
            "subject_unit", "decided_by", "problem__hazard", "document", "cause_type", "recorded_by"
        ),
        user,
        pk,
        for_update=for_update,
    )
