"""Jurisdiction scoping (design.md §2): a user's memberships become one Q, applied by `for_user`.

Territorial roles see their region subtree; a department sees its region subtree *and* the
industries it supervises (三管三必须, with their sub-industries); a grid worker sees their grid;
an enterprise user sees their own enterprise; an expert sees cases assigned to them. A subtree is
a range of 12-digit region codes, so the filter uses the region foreign-key index and no join.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from . import rules

if TYPE_CHECKING:
    from .models import Membership

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeSpec:
    """Where a model keeps the facts scoping needs, as lookup paths.

    region: a path whose value is the 12-digit region code (a Region foreign key or the code itself).
    industry: path to the main Industry; extra_industries: also match the enterprise's other industries.
    grid / enterprise / department / expert: paths to those anchors, or None where the model has none.
    """

    region: str
    industry: str | None = None
    extra_industries: bool = False
    grid: str | None = None
    enterprise: str | None = None
    department: str | None = None
    expert: str | None = None


def memberships_of(user) -> list[Membership]:
    """The user's active memberships, loaded once per request object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_anlan_memberships", None)
    if cached is None:
        cached = list(
            user.memberships.filter(is_active=True).select_related(
                "region", "department__region", "enterprise__region", "grid__region"
            )
        )
        user._anlan_memberships = cached
    return cached


def supervised_industry_ids(department) -> frozenset[int]:
    """A department's industries with all their descendants (the industry tree is small)."""
    from .models import Industry

    cache = getattr(department, "_anlan_industry_ids", None)
    if cache is not None:
        return cache
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Industry.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(department.industries.values_list("pk", flat=True))
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    department._anlan_industry_ids = frozenset(found)
    return department._anlan_industry_ids


def region_q(spec: ScopeSpec, region) -> Q:
    low, high = rules.subtree_bounds(region.code, region.level)
    return Q(**{f"{spec.region}__gte": low, f"{spec.region}__lte": high})


def industry_q(spec: ScopeSpec, industry_ids: frozenset[int]) -> Q:
    if spec.industry is None:
        return Q()
    q = Q(**{f"{spec.industry}__in": industry_ids})
    if spec.extra_industries and spec.enterprise:
        from .models import Enterprise

        through = Enterprise.other_industries.through.objects.filter(industry_id__in=industry_ids)
        q |= Q(**{f"{spec.enterprise}__in": through.values("enterprise_id")})
    return q


def membership_q(spec: ScopeSpec, membership: Membership) -> Q:
    """What one membership lets its holder see of a model described by `spec`."""
    from .models import Role

    role = membership.role
    if role in (Role.COMMITTEE_OFFICE, Role.TOWN, Role.LEADER):
        return region_q(spec, membership.region)
    if role == Role.DEPARTMENT:
        department = membership.department
        q = region_q(spec, department.region)
        if spec.department:
            # A department always sees its own record, even when its region is above the subtree.
            q |= Q(**{spec.department: department.pk})
        return q & industry_q(spec, supervised_industry_ids(department))
    if role == Role.GRID_WORKER:
        return Q(**{spec.grid: membership.grid_id}) if spec.grid else NOTHING
    if role == Role.ENTERPRISE:
        return Q(**{spec.enterprise: membership.enterprise_id}) if spec.enterprise else NOTHING
    if role == Role.EXPERT:
        return Q(**{spec.expert: membership.user_id}) if spec.expert else NOTHING
    return NOTHING


def scope_q(user, spec: ScopeSpec, roles: frozenset[str] | None = None) -> Q:
    """The one Q for a user and model; `roles` limits it to memberships that hold an action right."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    parts = [membership_q(spec, m) for m in memberships_of(user) if roles is None or m.role in roles]
    return reduce(or_, parts) if parts else NOTHING


class ScopedQuerySet(models.QuerySet):
    """The default manager's queryset for every domain model: `Model.objects.for_user(user)`."""

    def for_user(self, user, action: str | None = None):
        """Rows the user may see; with an action, rows on which one of their roles may do it."""
        from .permissions import roles_with_right

        roles = roles_with_right(action) if action else None
        spec: ScopeSpec = self.model.scope
        return self.filter(scope_q(user, spec, roles))
