"""Use cases of the core registry. Each one: access (scoped, locked) → right → rules → change → audit,
inside one transaction; after the write the object must still be inside the actor's scope."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from . import selectors
from .errors import Code, DomainError
from .models import Department, Enterprise, Grid, Industry, Licence, Region
from .permissions import can, require, require_right, roles_with_right
from .scope import memberships_of

# What an enterprise's own users may change on its record; the rest belongs to its supervisors.
ENTERPRISE_SELF_EDITABLE = frozenset(
    {
        "address",
        "longitude",
        "latitude",
        "employees",
        "legal_representative",
        "principal",
        "principal_phone",
        "safety_manager",
        "safety_manager_phone",
    }
)
ENTERPRISE_FIELDS = (
    "uscc",
    "name",
    "region",
    "grid",
    "address",
    "longitude",
    "latitude",
    "industry",
    "scale",
    "employees",
    "legal_representative",
    "principal",
    "principal_phone",
    "safety_manager",
    "safety_manager_phone",
    "has_major_hazard_source",
    "is_crowded_place",
)


def _validate(obj, exclude: Iterable[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=list(exclude or ()), validate_unique=True)
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc


def _record(obj, actor, reason: str = "") -> None:
    """Attach the actor and reason that django-simple-history writes into the history row."""
    obj._history_user = actor
    obj._change_reason = reason or ""


def _ensure_in_scope(actor, action: str, obj, field: str) -> None:
    """After a write the record must still be one the actor may act on; otherwise the transaction rolls back."""
    if not type(obj).objects.for_user(actor, action).filter(pk=obj.pk).exists():
        raise DomainError(
            Code.OUT_OF_SCOPE, _("该记录不在您的管辖范围内（所属区划或行业超出权限）。"), field=field
        )


def _save_with_history(obj, actor, reason: str, m2m: dict[str, list] | None = None) -> None:
    """Save and set many-to-many values so that exactly one history row carries the final state.

    django-simple-history writes its row in its post_save handler and copies the m2m values it finds
    then; saving and setting m2m with history suppressed, then sending post_save once, gives one
    row per change instead of one per step.
    """
    created = obj._state.adding
    _record(obj, actor, reason)
    obj.skip_history_when_saving = True
    try:
        with transaction.atomic():
            obj.save()
            for name, values in (m2m or {}).items():
                getattr(obj, name).set(values)
    except IntegrityError as exc:
        raise DomainError(Code.DUPLICATE, _("记录与已有数据重复。"), field="__all__") from exc
    finally:
        del obj.skip_history_when_saving
    post_save.send(
        sender=type(obj), instance=obj, created=created, update_fields=None, raw=False, using=obj._state.db
    )


def _delete_with_history(obj, actor, reason: str) -> None:
    _record(obj, actor, reason)
    try:
        obj.delete()
    except ProtectedError as exc:
        raise DomainError(Code.IN_USE, _("该记录仍被其他数据引用，不能删除。"), field="__all__") from exc


# ---------------------------------------------------------------- enterprises


def create_enterprise(
    *, actor, data: dict, other_industries: Iterable[Industry] = (), reason: str = ""
) -> Enterprise:
    """Register a 生产经营单位 inside the actor's jurisdiction (region, and industry for a department)."""
    require_right(actor, "core.add_enterprise")
    with transaction.atomic():
        enterprise = Enterprise(**{k: v for k, v in data.items() if k in ENTERPRISE_FIELDS})
        _validate(enterprise)
        _ensure_region_in_scope(actor, "core.add_enterprise", enterprise.region_id)
        _save_with_history(enterprise, actor, reason, {"other_industries": list(other_industries)})
        _ensure_in_scope(actor, "core.add_enterprise", enterprise, "industry")
    return enterprise


def _ensure_region_in_scope(actor, action: str, region_code: str) -> None:
    """Name the region field when it is the region that lies outside the actor's jurisdiction."""
    if actor.is_superuser:
        return
    roles = roles_with_right(action)
    for membership in memberships_of(actor):
        anchor = membership.anchor_region
        if membership.role in roles and anchor is not None and anchor.contains(region_code):
            return
    raise DomainError(Code.OUT_OF_SCOPE, _("所属区划不在您的管辖范围内。"), field="region")


def update_enterprise(
    *, actor, enterprise_pk, data: dict, other_industries: Iterable[Industry] | None = None, reason: str = ""
) -> Enterprise:
    """Change an enterprise's registry data. Its own users may change only their contact details."""
    with transaction.atomic():
        enterprise = selectors.access_enterprise(actor, enterprise_pk, for_update=True)
        require(actor, "core.change_enterprise", enterprise)
        supervisor = can(actor, "core.change_enterprise_status", enterprise)
        changes = {k: v for k, v in data.items() if k in ENTERPRISE_FIELDS and getattr(enterprise, k) != v}
        if other_industries is not None and set(other_industries) != set(enterprise.other_industries.all()):
            changes["other_industries"] = list(other_industries)
        if not supervisor:
            refused = sorted(set(changes) - ENTERPRISE_SELF_EDITABLE)
            if refused:
                field = refused[0]
                label = Enterprise._meta.get_field(field).verbose_name
                raise DomainError(
                    Code.INVALID,
                    _("企业用户不能修改“%(field)s”，请联系属地或行业监管部门。") % {"field": label},
                    field=field,
                )
        m2m = {"other_industries": changes.pop("other_industries")} if "other_industries" in changes else {}
        for key, value in changes.items():
            setattr(enterprise, key, value)
        _validate(enterprise)
        if "region" in changes:
            _ensure_region_in_scope(actor, "core.change_enterprise", enterprise.region_id)
        _save_with_history(enterprise, actor, reason, m2m)
        _ensure_in_scope(actor, "core.change_enterprise", enterprise, "industry")
    return enterprise


def change_enterprise_status(*, actor, enterprise_pk, status: str, reason: str) -> Enterprise:
    """Record that an enterprise stopped, resumed, closed or deregistered; the reason is required."""
    if status not in Enterprise.Status.values:
        raise DomainError(Code.INVALID, _("经营状态取值无效。"), field="status")
    if not (reason or "").strip():
        raise DomainError(Code.INVALID, _("变更经营状态必须填写原因。"), field="reason")
    with transaction.atomic():
        enterprise = selectors.access_enterprise(actor, enterprise_pk, for_update=True)
        require(actor, "core.change_enterprise_status", enterprise)
        if enterprise.status == status:
            raise DomainError(Code.INVALID, _("经营状态未变化。"), field="status")
        enterprise.status = status
        _save_with_history(enterprise, actor, reason.strip())
    return enterprise


# ---------------------------------------------------------------- regions (towns, villages)


def create_region(
    *, actor, parent_pk, code: str, name: str, kind: str = "", urban_rural_code: str = ""
) -> Region:
    """Add a town/street or village/community under a region the 安委办 manages."""
    with transaction.atomic():
        parent = selectors.access_region(actor, parent_pk)
        require(actor, "core.manage_region", parent)
        if parent.level >= Region.Level.VILLAGE:
            raise DomainError(Code.INVALID, _("村(社区)下不能再建下级区划。"), field="parent")
        level = parent.level + 1 if parent.level >= Region.Level.COUNTY else None
        if level is None:
            raise DomainError(
                Code.INVALID, _("省、市、县三级区划由国家区划数据加载，不能手工新增。"), field="parent"
            )
        from . import rules

        if not rules.child_code_is_valid(parent.code, parent.level, code, level):
            expected = "9" if level == Region.Level.TOWN else "12"
            raise DomainError(
                Code.INVALID,
                _("区划代码应以上级代码 %(prefix)s 开头，共12位，本级有效位数为%(n)s位。")
                % {"prefix": parent.prefix, "n": expected},
                field="code",
            )
        if Region.objects.filter(pk=code).exists():
            raise DomainError(Code.DUPLICATE, _("区划代码 %(code)s 已存在。") % {"code": code}, field="code")
        region = Region(
            code=code,
            name=name.strip(),
            level=level,
            parent=parent,
            kind=kind,
            urban_rural_code=urban_rural_code,
        )
        _validate(region)
        _save_with_history(region, actor, "")
    return region


def update_region(*, actor, region_pk, name: str, kind: str = "", urban_rural_code: str = "") -> Region:
    with transaction.atomic():
        region = selectors.access_region(actor, region_pk, for_update=True)
        require(actor, "core.manage_region", region)
        if region.level < Region.Level.TOWN:
            raise DomainError(
                Code.INVALID, _("省、市、县三级区划由国家区划数据维护，不能在此修改。"), field="name"
            )
        region.name, region.kind, region.urban_rural_code = name.strip(), kind, urban_rural_code
        _validate(region)
        _save_with_history(region, actor, "")
    return region


def delete_region(*, actor, region_pk, reason: str) -> None:
    with transaction.atomic():
        region = selectors.access_region(actor, region_pk, for_update=True)
        require(actor, "core.manage_region", region)
        if region.level < Region.Level.TOWN:
            raise DomainError(Code.INVALID, _("省、市、县三级区划不能删除。"), field="__all__")
        _delete_with_history(region, actor, reason)


# ---------------------------------------------------------------- grids


def save_grid(*, actor, grid_pk=None, region_pk, code: str, name: str, description: str = "") -> Grid:
    """Create or change a grid under a village/community inside the actor's jurisdiction."""
    with transaction.atomic():
        region = selectors.access_region(actor, region_pk)
        require(actor, "core.manage_grid", region)
        if region.level != Region.Level.VILLAGE:
            raise DomainError(Code.INVALID, _("网格应建在村(社区)下。"), field="region")
        if grid_pk is None:
            grid = Grid()
        else:
            grid = selectors.access_grid(actor, grid_pk, for_update=True)
            require(actor, "core.manage_grid", grid)
        grid.region, grid.code, grid.name, grid.description = region, code.strip(), name.strip(), description
        _validate(grid)
        _save_with_history(grid, actor, "")
        _ensure_in_scope(actor, "core.manage_grid", grid, "region")
    return grid


def delete_grid(*, actor, grid_pk, reason: str) -> None:
    with transaction.atomic():
        grid = selectors.access_grid(actor, grid_pk, for_update=True)
        require(actor, "core.manage_grid", grid)
        if grid.enterprises.exists() or grid.memberships.filter(is_active=True).exists():
            raise DomainError(Code.IN_USE, _("网格内仍有单位或网格员，不能删除。"), field="__all__")
        _delete_with_history(grid, actor, reason)


# ---------------------------------------------------------------- departments


def save_department(
    *,
    actor,
    department_pk=None,
    region_pk,
    name: str,
    short_name: str,
    kind: str,
    phone: str,
    industries: Iterable[Industry],
    is_active: bool = True,
) -> Department:
    """Create or change a 安委会成员单位 and the industries it supervises (三管三必须)."""
    with transaction.atomic():
        region = selectors.access_region(actor, region_pk)
        require(actor, "core.manage_department", region)
        if department_pk is None:
            department = Department()
        else:
            department = selectors.access_department(actor, department_pk, for_update=True)
            require(actor, "core.manage_department", department)
        department.region, department.name, department.short_name = region, name.strip(), short_name.strip()
        department.kind, department.phone, department.is_active = kind, phone.strip(), is_active
        industries = list(industries)
        if kind == Department.Kind.INDUSTRY and not industries:
            raise DomainError(
                Code.INVALID, _("行业监管部门至少应监管一个行业领域（三管三必须）。"), field="industries"
            )
        _validate(department)
        _save_with_history(department, actor, "", {"industries": industries})
        _ensure_in_scope(actor, "core.manage_department", department, "region")
    return department


# ---------------------------------------------------------------- licences


def save_licence(*, actor, enterprise_pk, licence_pk=None, data: dict) -> Licence:
    """Add or change a licence of an enterprise the actor may change."""
    with transaction.atomic():
        enterprise = selectors.access_enterprise(actor, enterprise_pk, for_update=True)
        require(actor, "core.change_enterprise", enterprise)
        if licence_pk is None:
            licence = Licence(enterprise=enterprise)
        else:
            licence = selectors.access(Licence.objects.filter(enterprise=enterprise), actor, licence_pk)
        for key in ("kind", "number", "issued_by", "valid_from", "valid_until"):
            setattr(licence, key, data.get(key, getattr(licence, key)))
        if licence.valid_from and licence.valid_until and licence.valid_until < licence.valid_from:
            raise DomainError(Code.INVALID, _("有效期至不能早于有效期起。"), field="valid_until")
        _validate(licence)
        _save_with_history(licence, actor, "")
    return licence


def delete_licence(*, actor, enterprise_pk, licence_pk, reason: str) -> None:
    with transaction.atomic():
        enterprise = selectors.access_enterprise(actor, enterprise_pk, for_update=True)
        require(actor, "core.change_enterprise", enterprise)
        licence = selectors.access(Licence.objects.filter(enterprise=enterprise), actor, licence_pk)
        _delete_with_history(licence, actor, reason)
