"""Scoped reads of inspections. Out of scope is 404; an enterprise never sees a planned 四不两直 visit."""

from __future__ import annotations

from anlan.core.models import Industry
from anlan.core.selectors import access

from .models import (
    EnforcementAction,
    Inspection,
    InspectionPlan,
    Inspector,
    RandomDraw,
    Resumption,
    ScoredPerson,
    Suspension,
)


def industry_roots() -> dict[int, str]:
    """Each industry's root code (the tree is two levels deep; walk it anyway)."""
    rows = {
        pk: (code, parent) for pk, code, parent in Industry.objects.values_list("pk", "code", "parent_id")
    }
    roots = {}
    for pk in rows:
        node = pk
        while rows[node][1] is not None:
            node = rows[node][1]
        roots[pk] = rows[node][0]
    return roots


def access_plan(user, pk, *, for_update: bool = False) -> InspectionPlan:
    return access(
        InspectionPlan.objects.select_related("department__region"), user, pk, for_update=for_update
    )


def access_inspector(user, pk, *, for_update: bool = False) -> Inspector:
    return access(Inspector.objects.select_related("department"), user, pk, for_update=for_update)


def access_draw(user, pk, *, for_update: bool = False) -> RandomDraw:
    return access(
        RandomDraw.objects.select_related("department", "region", "industry"), user, pk, for_update=for_update
    )


def access_inspection(user, pk, *, for_update: bool = False) -> Inspection:
    queryset = Inspection.objects.select_related(
        "department__region", "enterprise", "region", "industry", "draw"
    )
    if for_update:
        # SELECT … FOR UPDATE cannot lock the nullable side of an outer join on PostgreSQL.
        queryset = Inspection.objects.select_related("department__region")
    return access(queryset, user, pk, for_update=for_update)


def access_action(user, pk, *, for_update: bool = False) -> EnforcementAction:
    return access(EnforcementAction.objects.select_related("inspection"), user, pk, for_update=for_update)


def access_suspension(user, pk, *, for_update: bool = False) -> Suspension:
    return access(
        Suspension.objects.select_related("enterprise", "action__inspection__department"),
        user,
        pk,
        for_update=for_update,
    )


def access_resumption(user, pk, *, for_update: bool = False) -> Resumption:
    return access(Resumption.objects.all(), user, pk, for_update=for_update)


def access_person(user, pk, *, for_update: bool = False) -> ScoredPerson:
    return access(ScoredPerson.objects.select_related("enterprise"), user, pk, for_update=for_update)


def inspection_list(user):
    return Inspection.objects.for_user(user).select_related("department", "enterprise", "region")
