"""Scoped reads of 四级包保: the assignments and visits a user may see, the office units and leaders an office
may pick, the targets in its scope (towns and enterprises from the kernel, geohazard points through the
warnings module's public selector), overdue as one Q on the stored due day, and the leader's 待办."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from anlan.core import units
from anlan.core.contract import TodoItem
from anlan.core.models import Enterprise, Region, Role, Unit, User
from anlan.core.rules import subtree_bounds
from anlan.core.scope import memberships_of
from anlan.core.selectors import access

from ..models import Assignment, Visit
from ..models.baobao import MANAGE_BAOBAO

# The roles a paired leader may hold (government people: county leaders, the office, towns, departments).
LEADER_ROLES = (Role.LEADER, Role.COMMITTEE_OFFICE, Role.TOWN, Role.DEPARTMENT)


def overdue_q(today: date) -> Q:
    """Active assignments whose next visit was due before `today` (rules.baobao_visit_is_overdue)."""
    return Q(is_active=True, due_on__lt=today)


def office_units(user) -> QuerySet[Unit]:
    """The 安委办 units the user keeps the list for: the county (or higher) 安委办 of each of their
    COMMITTEE_OFFICE memberships (made on first use)."""
    for membership in memberships_of(user):
        region = membership.region
        if (
            membership.role == Role.COMMITTEE_OFFICE
            and region is not None
            and region.level <= Region.Level.COUNTY
        ):
            units.committee_office_for(region)
    in_scope = Unit.objects.for_user(user, MANAGE_BAOBAO).values("pk")
    return units.units_of(user).filter(pk__in=in_scope, kind=Unit.Kind.COMMITTEE_OFFICE).order_by("name")


def leader_candidates(user) -> QuerySet[User]:
    """Active government people of the regions the user's offices cover: their membership's region, or their
    department's region, within the office's subtree."""
    condition = Q(pk__in=[])
    for office in office_units(user):
        low, high = subtree_bounds(office.region_id, office.region.level)
        condition |= Q(memberships__region_id__gte=low, memberships__region_id__lte=high) | Q(
            memberships__department__region_id__gte=low, memberships__department__region_id__lte=high
        )
    return (
        User.objects.filter(
            condition, is_active=True, memberships__is_active=True, memberships__role__in=LEADER_ROLES
        )
        .distinct()
        .order_by("real_name", "username")
    )


def town_targets(user) -> QuerySet[Unit]:
    return Unit.objects.for_user(user).filter(kind=Unit.Kind.TOWN, is_active=True).order_by("region_id")


def enterprise_targets(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.for_user(user).order_by("name")


def point_targets(user):
    from anlan.warnings.selectors.points import point_list

    return point_list(user).filter(is_active=True).order_by("region_id", "name")


def assignment_list(user, action: str | None = None) -> QuerySet[Assignment]:
    return (
        Assignment.objects.for_user(user, action)
        .select_related("leader", "town", "enterprise", "point", "region", "owner_unit")
        .order_by("level", "leader__real_name", "pk")
    )


def access_assignment(user, pk, *, for_update: bool = False) -> Assignment:
    return access(
        Assignment.objects.select_related("leader", "town", "enterprise", "point", "region", "owner_unit"),
        user,
        pk,
        for_update=for_update,
    )


def visits_of(user, assignment: Assignment) -> QuerySet[Visit]:
    return Visit.objects.for_user(user).filter(assignment=assignment).select_related("recorded_by")


def visit_list(user) -> QuerySet[Visit]:
    return Visit.objects.for_user(user).select_related("assignment", "assignment__leader", "recorded_by")


def mine(user) -> QuerySet[Assignment]:
    """我的包保: the active pairings of this leader, the most urgent first."""
    return assignment_list(user).filter(leader=user, is_active=True).order_by("due_on", "pk")


def my_overdue(user) -> QuerySet[Assignment]:
    """The leader's pairings whose visit is overdue today (the 待办)."""
    return mine(user).filter(overdue_q(timezone.localdate()))


def my_url(user) -> str:
    return reverse("governance:baobao-mine")


def todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=f"{row.get_kind_display()}：{row.target_name}",
            url=reverse("governance:baobao-detail", args=[row.pk]),
            due=row.due_on,
        )
        for row in rows[:limit]
    ]


def of_enterprise(user, enterprise) -> QuerySet[Assignment]:
    """Who 包保s an enterprise (its page's panel)."""
    return assignment_list(user).filter(enterprise=enterprise, is_active=True)
