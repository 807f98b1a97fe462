"""Acting capacity: may this user act or sign for this enterprise / region / department, and in which role.

Seeing a record is the scope's business (`scope.py`); acting *for* a body is this module's. A membership
gives its holder a capacity when it holds the right (or one of the roles asked for) and its jurisdiction
covers every target given:

- `region` (a 12-digit code): the membership's anchor region contains it (an enterprise's or a grid's
  region for those roles);
- `industry` (an Industry id): a department supervises it (its industries with their descendants);
  an enterprise user's own enterprise is in it (main or other industry); territorial roles cover all;
- `enterprise` (an Enterprise or id): the enterprise lies in the membership's scope (the same rule as
  `Enterprise.objects.for_user`);
- `department` (a Department or id): the membership belongs to that department, or is the 安委办 of the
  department's region acting for its comprehensive office (综合监管部门).

Superusers act for everything. Every answer is computed from the user's memberships loaded once per
request (`memberships_of`), with at most one query per target kind.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Department, Enterprise, Membership, Role
from .scope import memberships_of, supervised_industry_ids


def _pk(value):
    return getattr(value, "pk", value)


def _roles(right: str | None, roles: Iterable[str] | None) -> frozenset[str] | None:
    if right is None:
        return frozenset(roles) if roles is not None else None
    from .permissions import roles_with_right

    held = roles_with_right(right)
    return held & frozenset(roles) if roles is not None else held


def _covers_region(membership: Membership, code: str) -> bool:
    anchor = membership.anchor_region
    return anchor is not None and anchor.contains(code)


def _covers_industry(membership: Membership, industry_id: int) -> bool:
    if membership.role == Role.DEPARTMENT:
        return industry_id in supervised_industry_ids(membership.department)
    if membership.role == Role.ENTERPRISE:
        enterprise = membership.enterprise
        if enterprise.industry_id == industry_id:
            return True
        return enterprise.other_industries.filter(pk=industry_id).exists()
    return True


def _covers_department(membership: Membership, department: Department) -> bool:
    if membership.department_id == department.pk:
        return True
    return (
        membership.role == Role.COMMITTEE_OFFICE
        and department.kind == Department.Kind.COMPREHENSIVE
        and membership.region_id == department.region_id
    )


def capacities(
    user,
    *,
    right: str | None = None,
    roles: Iterable[str] | None = None,
    region: str | None = None,
    industry: int | None = None,
    enterprise=None,
    department=None,
) -> list[Membership]:
    """The user's memberships that may act for every target given, holding `right` (and/or one of `roles`)."""
    allowed = _roles(right, roles)
    found = [m for m in memberships_of(user) if allowed is None or m.role in allowed]
    if region is not None:
        found = [m for m in found if _covers_region(m, region)]
    if industry is not None:
        found = [m for m in found if _covers_industry(m, _pk(industry))]
    if enterprise is not None and found:
        ids = {m.pk for m in found if _enterprise_in_scope(m, _pk(enterprise))}
        found = [m for m in found if m.pk in ids]
    if department is not None and found:
        if not isinstance(department, Department):
            department = Department.objects.get(pk=department)
        found = [m for m in found if _covers_department(m, department)]
    return found


def own_enterprise_ids(user, *, right: str | None = None) -> list[int]:
    """The enterprises the user works for (their enterprise memberships, holding `right` if given)."""
    return [
        m.enterprise_id for m in capacities(user, right=right, roles=[Role.ENTERPRISE]) if m.enterprise_id
    ]


def _enterprise_in_scope(membership: Membership, enterprise_id: int) -> bool:
    from .scope import membership_q

    if membership.role == Role.ENTERPRISE:
        return membership.enterprise_id == enterprise_id
    q = membership_q(Enterprise.scope, membership)
    return Enterprise.objects.filter(q, pk=enterprise_id).exists()


def acts_for(user, **targets) -> bool:
    """Whether the user has at least one capacity for the targets (see `capacities`); superusers always."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(capacities(user, **targets))


def acting_department(user, *, right: str) -> Department | None:
    """The department the user acts in the name of with this right: their own department, or for a
    安委办 member without one, the comprehensive department (综合监管部门) of their region."""
    for membership in capacities(user, right=right):
        if membership.department_id:
            return membership.department
        if membership.role != Role.COMMITTEE_OFFICE:
            continue  # a town or a leader has no department to act in the name of (as `signs_for` says)
        office = (
            Department.objects.filter(
                region=membership.region, kind=Department.Kind.COMPREHENSIVE, is_active=True
            )
            .order_by("pk")
            .first()
        )
        if office is not None:
            return office
    return None


def signs_for(user, department) -> bool:
    """Whether the user may sign in the name of `department` (its staff, or the 安委办 of its region for
    the comprehensive office)."""
    if getattr(user, "is_superuser", False):
        return True
    return acts_for(user, department=department)


def acting_unit(user, *, right: str | None = None, **targets):
    """The Unit the user acts for with this right (and over these targets, as `capacities`): their
    department's, their enterprise's, their town's, the 安委办 of their region, or for a grid worker the town
    their grid lies in. None for an expert, a leader or a user without such a capacity."""
    from . import units
    from .models import Region
    from .rules import ancestor_code

    for membership in capacities(user, right=right, **targets):
        role = membership.role
        if role == Role.DEPARTMENT and membership.department_id:
            return units.unit_for(membership.department)
        if role == Role.ENTERPRISE and membership.enterprise_id:
            return units.unit_for(membership.enterprise)
        if role == Role.COMMITTEE_OFFICE and membership.region_id:
            return units.committee_office_for(membership.region)
        if role in (Role.TOWN, Role.GRID_WORKER):
            code = membership.grid.region_id if role == Role.GRID_WORKER else membership.region_id
            town = Region.objects.filter(
                pk=ancestor_code(code, Region.Level.TOWN), level=Region.Level.TOWN
            ).first()
            if town is not None:
                return units.unit_for(town)
    return None
