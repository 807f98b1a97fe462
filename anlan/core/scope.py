"""Jurisdiction scoping (design.md §2): a user's memberships become one Q, applied by `for_user`.

Territorial roles see their region subtree; a department sees its region subtree *and* the
industries it supervises (三管三必须, with their sub-industries); a grid worker sees their grid;
an enterprise user sees their own enterprise; an expert sees cases assigned to them. A subtree is
a range of 12-digit region codes, so the filter uses the region foreign-key index and no join.
"""

from __future__ import annotations

from collections.abc import Callable
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
    # Extensions beyond territory and industry (each a lookup path, or None):
    # owner_unit — a Unit owning the record: the members of that unit see it (a department's, an
    #   enterprise's or a town's own records, wherever the region is);
    # participant — users taking part (FK or M2M to User): each of them sees it;
    # addressee — the user the record is addressed to;
    # public — a boolean: true rows are seen by every signed-in user (and by `public()` for the portal);
    # token — a field holding an access token: `for_token(value)` gives the rows it opens.
    owner_unit: str | None = None
    participant: str | None = None
    addressee: str | None = None
    public: str | None = None
    token: str | None = None
    # A per-role narrowing: `refine(membership, q) -> Q` returns what that membership may see of the rows
    # its territorial/industry rule gives (e.g. a planned 四不两直 visit hidden from the enterprise).
    refine: Callable[[Membership, Q], Q] | None = None

    @classmethod
    def through_enterprise(cls, path: str = "enterprise", **extra) -> ScopeSpec:
        """The scope of a record that hangs off an enterprise at `path`: its region, industry, grid and itself."""
        return cls(
            region=f"{path}__region",
            industry=f"{path}__industry",
            grid=f"{path}__grid",
            enterprise=path,
            **extra,
        )


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
    """A department's industries with all their descendants (the industry tree is small: one query)."""
    from .trees import IndustryTree

    cache = getattr(department, "_anlan_industry_ids", None)
    if cache is None:
        cache = IndustryTree.load().descendants(department.industries.values_list("pk", flat=True))
        department._anlan_industry_ids = cache
    return cache


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


def unit_q(user, spec: ScopeSpec, memberships: list[Membership], *, employer: bool = True) -> Q:
    """Rows owned by a Unit the user belongs to: their department, their enterprise, their town or 安委办
    (by region), or — with `employer`, for park committees and outside bodies — the unit that employs them
    as a Person (which lets them see, not act: no role holds a right through it)."""
    path = spec.owner_unit
    parts = []
    for m in memberships:
        if m.department_id:
            parts.append(Q(**{f"{path}__department_id": m.department_id}))
        if m.enterprise_id:
            parts.append(Q(**{f"{path}__enterprise_id": m.enterprise_id}))
        if m.role in ("town", "committee_office") and m.region_id:
            parts.append(Q(**{f"{path}__kind": m.role, f"{path}__region_id": m.region_id}))
    if employer:
        from .models import Person

        employers = Person.objects.filter(user=user, employer__isnull=False).values("employer_id")
        parts.append(Q(**{f"{path}__in": employers}))
    return reduce(or_, parts) if parts else NOTHING


def personal_q(user, spec: ScopeSpec) -> Q:
    """Rows the user sees as a person rather than through a role: taking part, addressed, public."""
    parts = []
    if spec.participant:
        parts.append(Q(**{spec.participant: user.pk}))
    if spec.addressee:
        parts.append(Q(**{spec.addressee: user.pk}))
    if spec.public:
        parts.append(Q(**{spec.public: True}))
    return reduce(or_, parts) if parts else NOTHING


def scope_q(user, spec: ScopeSpec, roles: frozenset[str] | None = None) -> Q:
    """The one Q for a user and model; `roles` limits it to memberships that hold an action right (and then
    the personal extensions — taking part, addressed, public — give no right to act)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    memberships = [m for m in memberships_of(user) if roles is None or m.role in roles]
    parts = []
    for m in memberships:
        q = membership_q(spec, m)
        parts.append(spec.refine(m, q) if spec.refine else q)
    if spec.owner_unit:
        parts.append(unit_q(user, spec, memberships, employer=roles is None))
    if roles is None:
        parts.append(personal_q(user, spec))
    parts = [part for part in parts if part != NOTHING]
    return reduce(or_, parts) if parts else NOTHING


class ScopedQuerySet(models.QuerySet):
    """The default manager's queryset for every domain model: `Model.objects.for_user(user)`."""

    def for_user(self, user, action: str | None = None):
        """Rows the user may see; with an action, rows on which one of their roles may do it."""
        from .permissions import roles_with_right

        roles = roles_with_right(action) if action else None
        spec: ScopeSpec = self.model.scope
        return self.filter(scope_q(user, spec, roles))

    def public(self):
        """Rows published to everyone (the portal); none for a model without a `public` path."""
        spec: ScopeSpec = self.model.scope
        return self.filter(**{spec.public: True}) if spec.public else self.none()

    def for_token(self, token: str):
        """Rows an access token opens (e.g. a warning's one-tap confirmation link); none without one."""
        spec: ScopeSpec = self.model.scope
        if not spec.token or not token:
            return self.none()
        return self.filter(**{spec.token: token})
