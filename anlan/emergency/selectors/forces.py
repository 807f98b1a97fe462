"""Scoped reads of the forces part: teams, shelters, experts, consultations and the towns' 四有."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from anlan.core.contract import TodoItem
from anlan.core.models import Region
from anlan.core.selectors import access

from .. import rules
from ..models import (
    ConsultationAssignment,
    Expert,
    ExpertConsultation,
    RescueTeam,
    Shelter,
    TownCapacity,
)

OPINION = "emergency.give_expert_opinion"


# ---------------------------------------------------------------- teams, shelters, experts


def team_list(user) -> QuerySet[RescueTeam]:
    return RescueTeam.objects.for_user(user).select_related("region", "unit")


def access_team(user, pk, *, for_update: bool = False) -> RescueTeam:
    return access(RescueTeam.objects.select_related("region", "unit"), user, pk, for_update=for_update)


def shelter_list(user) -> QuerySet[Shelter]:
    return Shelter.objects.for_user(user).select_related("region")


def access_shelter(user, pk, *, for_update: bool = False) -> Shelter:
    return access(Shelter.objects.select_related("region"), user, pk, for_update=for_update)


def shelter_contacts(low: str, high: str) -> list[tuple[str, str, str, str]]:
    """(manager, phone, region code, shelter name) of the shelters in a region subtree — its codes between `low`
    and `high` (core.rules.subtree_bounds) — for a warning's recipient list (a system read, not a user's)."""
    rows = Shelter.objects.filter(region_id__gte=low, region_id__lte=high).exclude(manager_phone="")
    return list(rows.order_by("pk").values_list("manager", "manager_phone", "region_id", "name"))


def expert_list(user) -> QuerySet[Expert]:
    return Expert.objects.for_user(user).select_related("region", "user")


def access_expert(user, pk, *, for_update: bool = False) -> Expert:
    return access(Expert.objects.select_related("region", "user"), user, pk, for_update=for_update)


def available_q(today: date) -> Q:
    """SQL form of rules.expert_is_available (kept beside it in the tests)."""
    return Q(is_available=True) & (Q(unavailable_until__isnull=True) | Q(unavailable_until__lt=today))


def with_specialty(queryset: QuerySet[Expert], code: str) -> QuerySet[Expert]:
    return queryset.filter(specialties__contains=rules.specialty_pattern(code))


# ---------------------------------------------------------------- consultations


def consultation_list(user) -> QuerySet[ExpertConsultation]:
    return (
        ExpertConsultation.objects.for_user(user)
        .select_related("region", "requested_by", "incident")
        .annotate(
            expert_count=Count("assignments", distinct=True),
            opinion_count=Count(
                "assignments", filter=Q(assignments__opinion_at__isnull=False), distinct=True
            ),
        )
        .order_by("-requested_at", "-id")  # an aggregate drops Meta.ordering
    )


def access_consultation(user, pk, *, for_update: bool = False) -> ExpertConsultation:
    return access(
        ExpertConsultation.objects.select_related("region", "requested_by", "incident"),
        user,
        pk,
        for_update=for_update,
    )


def access_assignment(user, pk, *, for_update: bool = False) -> ConsultationAssignment:
    return access(
        ConsultationAssignment.objects.select_related("consultation", "expert"),
        user,
        pk,
        for_update=for_update,
    )


def assignments_of(consultation) -> QuerySet[ConsultationAssignment]:
    return consultation.assignments.select_related("expert", "expert__user", "assigned_by")


def assignment_history(consultation):
    """History rows of the consultation's assignments (for its timeline)."""
    return ConsultationAssignment.history.filter(consultation_id=consultation.pk)


def opinions_due(user) -> QuerySet[ConsultationAssignment]:
    """待出具意见的会诊: the user's own assignments on open consultations, without an opinion yet."""
    return (
        ConsultationAssignment.objects.for_user(user, OPINION)
        .filter(opinion_at__isnull=True, consultation__status=ExpertConsultation.Status.OPEN)
        .select_related("consultation")
        .order_by("assigned_at", "pk")
    )


def opinion_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=row.consultation.title,
            url=reverse("emergency:forces-consultation-detail", args=[row.consultation_id]),
        )
        for row in rows[:limit]
    ]


# ---------------------------------------------------------------- towns' 四有

CAPACITY_FLAGS = tuple(f"has_{code}" for code, _label in rules.CAPACITY_ITEMS)


def town_list(user) -> QuerySet[Region]:
    """The towns (乡镇/街道) in the user's scope."""
    return Region.objects.for_user(user).filter(level=Region.Level.TOWN).order_by("code")


def access_town(user, code) -> Region:
    return access(Region.objects.filter(level=Region.Level.TOWN), user, code)


def town_capacities(user) -> QuerySet[Region]:
    """Every town in scope with its 四有 flags (False where the town has recorded nothing)."""
    flags = {
        flag: Count("emergency_capacity", filter=Q(**{f"emergency_capacity__{flag}": True}))
        for flag in CAPACITY_FLAGS
    }
    return town_list(user).select_related("emergency_capacity").annotate(**flags)


@dataclass(frozen=True)
class CapacitySummary:
    towns: int
    site: int
    organization: int
    staff: int
    funding: int
    complete: int


def capacity_summary(user) -> CapacitySummary:
    """How many towns in scope have each of the four, and all four: one aggregate query."""
    has = {code: Q(**{f"emergency_capacity__has_{code}": True}) for code, _label in rules.CAPACITY_ITEMS}
    every = Q()
    for q in has.values():
        every &= q
    totals = town_list(user).aggregate(
        towns=Count("pk"),
        complete=Count("pk", filter=every),
        **{code: Count("pk", filter=q) for code, q in has.items()},
    )
    return CapacitySummary(**totals)


def capacity_of(town) -> TownCapacity | None:
    return TownCapacity.objects.filter(town=town).first()
