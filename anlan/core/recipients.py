"""Recipients: who is told about an enterprise / region / department event, in one place for every app.

Each function returns a QuerySet of active users (union them with `|`), so callers pass it straight to
`notifications.notify` or to a receipt-confirmed task. Nobody is chosen who could not open the record:
the enterprise's own users, the town, the supervising departments and the 安委办 of the region all see it
through their scope. Modules add groups of their own (`c.recipient_group("duty_officers", …)` in the
emergency module); `group(name, **context)` reads them and is empty while no module declares the group.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Case, Q, QuerySet, When

from . import contract, rules, trees
from .models import Department, Membership, Role


def members(region=None, department=None, roles: Iterable[str] | None = None, *, enterprise=None) -> QuerySet:
    """Active users holding an active membership anchored at this region, department or enterprise.

    `members(region=county, roles=[Role.COMMITTEE_OFFICE])` is the county's 安委办/应急管理局;
    `members(department=housing)` are the members of 住建局; `members(enterprise=x, roles=[Role.ENTERPRISE])`
    are the enterprise's own users. Regions match exactly (the office *of* that region, not of its towns).
    """
    User = get_user_model()
    if region is None and department is None and enterprise is None and roles is None:
        return User.objects.none()
    where = Q()
    if region is not None:
        where &= Q(region_id=getattr(region, "pk", region))
    if department is not None:
        where &= Q(department_id=getattr(department, "pk", department))
    if enterprise is not None:
        where &= Q(enterprise_id=getattr(enterprise, "pk", enterprise))
    if roles is not None:
        where &= Q(role__in=list(roles))
    user_ids = Membership.objects.filter(where, is_active=True).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True)


def nobody() -> QuerySet:
    return get_user_model().objects.none()


def enterprise_users(enterprise) -> QuerySet:
    """The enterprise's own accounts (主体责任)."""
    return members(enterprise=enterprise, roles=[Role.ENTERPRISE])


def town_office(region_code: str) -> QuerySet:
    """The town (乡镇/街道) officers of the town a region code lies in (属地)."""
    if rules.level_of_code(region_code) < trees.TOWN:
        return nobody()
    return members(region=trees.town_of(region_code), roles=[Role.TOWN])


def committee_office(region_code: str, level: int = trees.COUNTY) -> QuerySet:
    """The 安委办 (with the 应急管理局 staff holding that role) of the county — or another `level` — of a code."""
    return members(region=trees.ancestor_code(region_code, level), roles=[Role.COMMITTEE_OFFICE])


def department_staff(department) -> QuerySet:
    if department is None:
        return nobody()
    return members(department=department)


def supervising_departments(region_code: str, industry_id: int | None, *, level: int | None = None):
    """Active departments that supervise this industry where the code lies (三管三必须): a department
    supervises an industry when it holds it or one of its ancestors and its region contains the code.
    Member departments (成员单位) are left out. With `level`, only the departments of that level's region.
    Ordered nearest level first, an industry department before the comprehensive one."""
    if industry_id is None:
        return Department.objects.none()
    regions = trees.ancestor_codes(region_code)
    if level is not None:
        regions = [trees.ancestor_code(region_code, level)]
    return (
        Department.objects.filter(
            is_active=True, region_id__in=regions, industries__in=trees.industry_lineage(industry_id)
        )
        .exclude(kind=Department.Kind.MEMBER)
        .select_related("region")
        .distinct()
        .order_by("-region__level", Case(When(kind=Department.Kind.INDUSTRY, then=0), default=1), "pk")
    )


def supervising_department(region_code: str, industry_id: int | None) -> Department | None:
    """The one department that supervises (nearest level first, an industry department before the
    comprehensive one), or None: a 监管盲区 the 安委办 must resolve."""
    return supervising_departments(region_code, industry_id).first()


class DepartmentRouter:
    """`supervising_department` for many (region, industry) pairs at once, for a ledger: every active
    department that may supervise (member departments left out) and its industries are read once, with the
    industry tree — three queries whatever the number of rows — and each pair is answered in Python by the
    same rule: a department of the region or one of its ancestors holding the industry or one of its
    ancestors; nearest level first, an industry department before the comprehensive one, then the lowest id."""

    def __init__(self):
        self.tree = trees.IndustryTree.load()
        departments = Department.objects.filter(is_active=True).exclude(kind=Department.Kind.MEMBER)
        self.rank: dict[int, tuple] = {}
        self.names: dict[int, str] = {}
        regions: dict[int, str] = {}
        rows = departments.values_list("pk", "name", "region_id", "region__level", "kind")
        for pk, name, region_id, level, kind in rows:
            self.rank[pk] = (-level, 0 if kind == Department.Kind.INDUSTRY else 1, pk)
            self.names[pk], regions[pk] = name, region_id
        self.holding: dict[tuple[str, int], list[int]] = {}
        through = Department.industries.through.objects.filter(department_id__in=departments.values("pk"))
        for department_id, industry_id in through.values_list("department_id", "industry_id"):
            self.holding.setdefault((regions[department_id], industry_id), []).append(department_id)
        self.chosen: dict[tuple[str, int], int | None] = {}

    def department_id(self, region_code: str, industry_id: int | None) -> int | None:
        """The id of the department `supervising_department(region_code, industry_id)` gives, or None."""
        if industry_id is None or not region_code:
            return None
        key = (region_code, industry_id)
        if key not in self.chosen:
            lineage = self.tree.lineage(industry_id)
            candidates = [
                pk
                for code in trees.ancestor_codes(region_code)
                for industry in lineage
                for pk in self.holding.get((code, industry), ())
            ]
            self.chosen[key] = min(candidates, key=self.rank.__getitem__, default=None)
        return self.chosen[key]

    def name(self, region_code: str, industry_id: int | None) -> str:
        pk = self.department_id(region_code, industry_id)
        return self.names[pk] if pk is not None else ""


def supervising_staff(region_code: str, industry_id: int | None, *, level: int | None = None) -> QuerySet:
    """The staff of every department supervising the industry there (see `supervising_departments`)."""
    departments = supervising_departments(region_code, industry_id, level=level)
    user_ids = Membership.objects.filter(
        role=Role.DEPARTMENT, is_active=True, department__in=departments.values("pk")
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)


def unit_heads(unit) -> QuerySet:
    """The heads (单位负责人) of a unit: its members flagged `is_head` — for an enterprise also the account of
    its 主要负责人 — told first when the unit leaves a receipt-confirmed task unconfirmed."""
    if unit is None:
        return nobody()
    where = Q(is_active=True, is_head=True)
    if unit.department_id:
        where &= Q(department_id=unit.department_id)
    elif unit.enterprise_id:
        where &= Q(enterprise_id=unit.enterprise_id)
    else:
        role = {"committee_office": Role.COMMITTEE_OFFICE, "town": Role.TOWN}.get(unit.kind)
        if role is None:
            return nobody()
        where &= Q(region_id=unit.region_id, role=role)
    User = get_user_model()
    heads = Q(pk__in=Membership.objects.filter(where).values("user_id"))
    if unit.enterprise_id:
        heads |= Q(person__principal_of__pk=unit.enterprise_id)
    return User.objects.filter(heads, is_active=True).distinct()


def group(name: str, **context) -> QuerySet:
    """A recipient group another module declares (e.g. "duty_officers"); empty while none does."""
    if name not in contract.registry().recipient_groups:
        return nobody()
    return contract.recipient_group(name, **context)


def duty_office(region_code: str, level: int = trees.COUNTY) -> QuerySet:
    """Who is on duty for a region: the duty officers once a module declares them, else the 安委办."""
    on_duty = group("duty_officers", region=trees.ancestor_code(region_code, level))
    return on_duty if on_duty.exists() else committee_office(region_code, level)
