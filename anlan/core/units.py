"""Units (单位): the one registry of the bodies that act — departments, towns/streets, park committees,
enterprises, outside bodies (公安, 电力, 供水 …) and the 安委办 of a region.

Departments, enterprises and towns get their unit on first use: `unit_for(obj)` is a get-or-create, so a
module that addresses one of them never has to know whether it exists yet; `ensure_units()` back-fills them
all (migration 0005 holds a copy of its logic). The 安委办 of a region is `committee_office_for(region)`.
Park committees and outside bodies are created, renamed and deactivated by the 安委办 (`core.manage_unit`).
Who belongs to a unit is `is_member(user, unit)` / `members(unit)`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import record_text, system_actor
from .errors import Code, DomainError, ErrorCode
from .models import Department, Enterprise, Person, Region, Role, Unit, User
from .permissions import has_right, require
from .records import ensure_in_scope, save_with_history, validate
from .scope import memberships_of
from .selectors import access

CHUNK = 1000
CLOSED = (Enterprise.Status.CLOSED, Enterprise.Status.DEREGISTERED)
# The role whose membership makes a user a member of a unit of each kind, and the membership field that must
# equal the unit's anchor. Park committees and outside bodies have no membership role: their members are the
# people registered as working there (Person.employer) who have a user account.
MEMBER_ROLE = {
    Unit.Kind.DEPARTMENT: (Role.DEPARTMENT, "department_id", "department_id"),
    Unit.Kind.ENTERPRISE: (Role.ENTERPRISE, "enterprise_id", "enterprise_id"),
    Unit.Kind.TOWN: (Role.TOWN, "region_id", "region_id"),
    Unit.Kind.COMMITTEE_OFFICE: (Role.COMMITTEE_OFFICE, "region_id", "region_id"),
}


# ---------------------------------------------------------------- the anchored units


def _anchored_values(obj) -> tuple[dict, dict]:
    """(lookup, defaults) of the unit of a Department, an Enterprise or a town-level Region."""
    if isinstance(obj, Department):
        return {"department": obj}, {
            "kind": Unit.Kind.DEPARTMENT,
            "name": obj.name,
            "region_id": obj.region_id,
            "phone": obj.phone,
            "is_active": obj.is_active,
        }
    if isinstance(obj, Enterprise):
        return {"enterprise": obj}, {
            "kind": Unit.Kind.ENTERPRISE,
            "name": obj.name,
            "region_id": obj.region_id,
            "phone": obj.safety_manager_phone or obj.principal_phone,
            "is_active": obj.status not in CLOSED,
        }
    if isinstance(obj, Region) and obj.level == Region.Level.TOWN:
        return {"kind": Unit.Kind.TOWN, "region": obj}, {"name": obj.name}
    raise DomainError(
        ErrorCode.UNIT_NO_ANCHOR,
        _("只有部门、生产经营单位和乡镇(街道)自动对应单位。"),
        field="__all__",
    )


def _get_or_create(lookup: dict, defaults: dict) -> Unit:
    unit = Unit.objects.filter(**lookup).first()
    if unit is not None:
        return unit
    unit = Unit(**lookup, **defaults)
    try:
        with transaction.atomic():
            save_with_history(unit, system_actor(), record_text(gettext_lazy("自动建立单位")))
    except DomainError:  # another request created it first (the anchors are unique)
        return Unit.objects.get(**lookup)
    return unit


def unit_for(obj) -> Unit:
    """The unit of a Department, an Enterprise or a town-level Region, created on first use (a Unit is
    returned as it is). Its name, region, phone and active flag are copied from the anchor when created."""
    if isinstance(obj, Unit):
        return obj
    lookup, defaults = _anchored_values(obj)
    return _get_or_create(lookup, defaults)


def follow_anchor(obj, actor) -> Unit:
    """The unit of a Department, an Enterprise or a town-level Region, created if missing, with its name,
    region, phone and active flag brought up to date from the anchor (one history row by `actor` when any of
    them changed), so a letter or task addressed to the unit never carries a stale name."""
    lookup, values = _anchored_values(obj)
    unit = _get_or_create(lookup, values)
    changed = {key: value for key, value in values.items() if getattr(unit, key) != value}
    if changed:
        for key, value in changed.items():
            setattr(unit, key, value)
        save_with_history(unit, actor, record_text(gettext_lazy("随所属记录更新")))
    return unit


def committee_office_for(region: Region) -> Unit:
    """The 安委办 of a region (county level or above), created on first use."""
    if region.level > Region.Level.COUNTY:
        raise DomainError(ErrorCode.UNIT_NO_ANCHOR, _("安委办设在县级及以上区划。"), field="region")
    lookup = {"kind": Unit.Kind.COMMITTEE_OFFICE, "region": region}
    return _get_or_create(lookup, {"name": record_text(gettext_lazy("%(region)s安委办"), region=region.name)})


def ensure_units() -> dict[str, int]:
    """Create the missing units of every department, enterprise and town-level region (idempotent); returns
    how many of each were created. Large tables are walked in chunks of ids."""
    actor = system_actor()
    reason = record_text(gettext_lazy("单位库初始化"))
    created = {"department": 0, "enterprise": 0, "town": 0}
    sources = (
        ("department", Department.objects.filter(unit__isnull=True)),
        ("enterprise", Enterprise.objects.filter(unit__isnull=True)),
        (
            "town",
            Region.objects.filter(level=Region.Level.TOWN).exclude(
                code__in=Unit.objects.filter(kind=Unit.Kind.TOWN).values("region_id")
            ),
        ),
    )
    for key, queryset in sources:
        while True:
            rows = list(queryset.order_by("pk")[:CHUNK])
            if not rows:
                break
            with transaction.atomic():
                for obj in rows:
                    lookup, defaults = _anchored_values(obj)
                    save_with_history(Unit(**lookup, **defaults), actor, reason)
            created[key] += len(rows)
    return created


# ---------------------------------------------------------------- membership


def is_member(user, unit: Unit) -> bool:
    """Whether the user acts for the unit: an active membership anchored on it (department, enterprise, town
    office, 安委办 of its region), or — for park committees and outside bodies — a Person working there."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    rule = MEMBER_ROLE.get(unit.kind)
    if rule is not None:
        role, membership_field, unit_field = rule
        anchor = getattr(unit, unit_field)
        return any(m.role == role and getattr(m, membership_field) == anchor for m in memberships_of(user))
    return Person.objects.filter(user=user, employer=unit).exists()


def acts_for(user, unit: Unit | None, right: str) -> bool:
    """Whether the user holds `right` and acts for `unit` (`is_member`): who may work a unit's own records
    (its plans, drills, stores, releases) rather than only read them."""
    return unit is not None and has_right(user, right) and is_member(user, unit)


def members(unit: Unit) -> QuerySet[User]:
    """The active users who act for the unit (the same rule as `is_member`), as one query."""
    rule = MEMBER_ROLE.get(unit.kind)
    if rule is not None:
        role, membership_field, unit_field = rule
        condition = Q(
            memberships__is_active=True,
            memberships__role=role,
            **{f"memberships__{membership_field}": getattr(unit, unit_field)},
        )
    else:
        condition = Q(person__employer=unit)
    return User.objects.filter(condition, is_active=True).distinct()


def units_of(user) -> QuerySet[Unit]:
    """The active units the user acts for (the same rule as `is_member`, read the other way), as one query."""
    condition = Q(pk__in=[])
    for membership in memberships_of(user):
        for kind, (role, membership_field, unit_field) in MEMBER_ROLE.items():
            anchor = getattr(membership, membership_field)
            if membership.role == role and anchor:
                condition |= Q(kind=kind, **{unit_field: anchor})
    condition |= Q(kind__in=[Unit.Kind.PARK_COMMITTEE, Unit.Kind.OUTSIDE_BODY], people__user=user)
    return Unit.objects.filter(condition, is_active=True).distinct()


def unit_members_group(*, unit: Unit, **context) -> QuerySet[User]:
    """Recipient group `core.unit_members`: the users of `unit` (contract.recipient_group)."""
    return members(unit)


# ---------------------------------------------------------------- park committees and outside bodies


def _managed(actor, unit_pk) -> Unit:
    unit = access(Unit.objects.all(), actor, unit_pk, for_update=True)
    if unit.kind not in Unit.MANAGED:
        raise DomainError(
            ErrorCode.UNIT_KIND_NOT_MANAGED,
            _("部门、乡镇、生产经营单位和安委办的单位信息随其本身变化，不能在此修改。"),
            field="kind",
        )
    require(actor, "core.manage_unit", unit)
    return unit


def create_unit(*, actor, kind: str, name: str, region: Region, phone: str = "") -> Unit:
    """Register a park committee (园区管委会) or an outside body (公安、电力、供水 …) in a region the actor's
    安委办 covers."""
    if kind not in Unit.MANAGED:
        raise DomainError(ErrorCode.UNIT_KIND_NOT_MANAGED, _("只能新建园区管委会或外部单位。"), field="kind")
    name = (name or "").strip()
    if not name:
        raise DomainError(ErrorCode.UNIT_NAME_REQUIRED, _("请填写单位名称。"), field="name")
    with transaction.atomic():
        require(actor, "core.manage_unit", region)
        if Unit.objects.filter(region=region, kind=kind, name=name).exists():
            raise DomainError(
                ErrorCode.UNIT_NAME_TAKEN,
                _("该区划已有同名单位：%(name)s。") % {"name": name},
                field="name",
            )
        unit = Unit(kind=kind, name=name, region=region, phone=(phone or "").strip())
        validate(unit)
        save_with_history(unit, actor, "")
        ensure_in_scope(actor, "core.manage_unit", unit, "region")
    return unit


def rename_unit(*, actor, unit_pk, name: str, phone: str | None = None, reason: str = "") -> Unit:
    """Change the name (and the phone) of a park committee or an outside body."""
    name = (name or "").strip()
    if not name:
        raise DomainError(ErrorCode.UNIT_NAME_REQUIRED, _("请填写单位名称。"), field="name")
    with transaction.atomic():
        unit = _managed(actor, unit_pk)
        if Unit.objects.filter(region=unit.region_id, kind=unit.kind, name=name).exclude(pk=unit.pk).exists():
            raise DomainError(
                ErrorCode.UNIT_NAME_TAKEN,
                _("该区划已有同名单位：%(name)s。") % {"name": name},
                field="name",
            )
        unit.name = name
        if phone is not None:
            unit.phone = phone.strip()
        validate(unit)
        save_with_history(unit, actor, reason)
    return unit


def deactivate_unit(*, actor, unit_pk, reason: str) -> Unit:
    """Stop using a park committee or an outside body (it stays on the records that name it)."""
    if not (reason or "").strip():
        raise DomainError(Code.INVALID, _("停用单位必须填写原因。"), field="reason")
    with transaction.atomic():
        unit = _managed(actor, unit_pk)
        if not unit.is_active:
            raise DomainError(ErrorCode.UNIT_INACTIVE, _("该单位已停用。"), field="__all__")
        unit.is_active = False
        save_with_history(unit, actor, reason.strip())
    return unit


def demo_step(demo) -> None:
    """Demo county: the units of the departments, enterprises and towns the earlier steps bulk-created."""
    created = ensure_units()
    demo.counts[_("单位")] = sum(created.values())
