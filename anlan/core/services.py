"""Use cases of the core registry. Each one: access (scoped, locked) → right → rules → change → audit,
inside one transaction; after the write the object must still be inside the actor's scope."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import records, rules, selectors, units
from .errors import Code, DomainError, ErrorCode
from .models import Department, Enterprise, Grid, Industry, Licence, LicenceChange, Person, Region, Unit
from .people import check_not_barred, find_or_create_person
from .permissions import can, require, require_right
from .workflow import Transition, apply_transition, find

# What an enterprise's own users may change on its record; the rest belongs to its supervisors.
ENTERPRISE_SELF_EDITABLE = frozenset(
    {
        "address",
        "longitude",
        "latitude",
        "employees",
        "legal_representative",
        "principal",
        "principal_id_number",
        "principal_phone",
        "safety_manager",
        "safety_manager_phone",
    }
)
# The registry data a form, the import and the API may write (status is changed only by its transitions).
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
    "principal_id_number",
    "principal_phone",
    "safety_manager",
    "safety_manager_phone",
    "has_major_hazard_source",
    "is_crowded_place",
)
# In `data`, the 主要负责人 is given as a name ("principal") and a 居民身份证号码 ("principal_id_number"): the
# service resolves them to a Person (`people.find_or_create_person`), the same person for the same number.
PRINCIPAL_INPUT = ("principal", "principal_id_number")


# ---------------------------------------------------------------- enterprises


def create_enterprise(
    *, actor, data: dict, other_industries: Iterable[Industry] = (), reason: str = ""
) -> Enterprise:
    """Register a 生产经营单位 inside the actor's jurisdiction (region, and industry for a department)."""
    require_right(actor, "core.add_enterprise")
    with transaction.atomic():
        enterprise = Enterprise(
            **{k: v for k, v in data.items() if k in ENTERPRISE_FIELDS and k not in PRINCIPAL_INPUT}
        )
        records.validate(enterprise)
        records.ensure_region_in_scope(actor, "core.add_enterprise", enterprise.region_id)
        enterprise.principal = _principal_from(actor, {"principal": "", **data}, None)
        check_not_barred(enterprise.principal)
        records.save_with_history(enterprise, actor, reason, {"other_industries": list(other_industries)})
        records.ensure_in_scope(actor, "core.add_enterprise", enterprise, "industry")
        units.follow_anchor(enterprise, actor)
    return enterprise


def update_enterprise(
    *, actor, enterprise_pk, data: dict, other_industries: Iterable[Industry] | None = None, reason: str = ""
) -> Enterprise:
    """Change an enterprise's registry data. Its own users may change only their contact details."""
    with transaction.atomic():
        enterprise = selectors.access_enterprise(actor, enterprise_pk, for_update=True)
        require(actor, "core.change_enterprise", enterprise)
        supervisor = can(actor, "core.change_enterprise_status", enterprise)
        changes = {
            k: v
            for k, v in data.items()
            if k in ENTERPRISE_FIELDS and k not in PRINCIPAL_INPUT and getattr(enterprise, k) != v
        }
        principal = _principal_from(actor, data, enterprise.principal)
        if principal != enterprise.principal:
            check_not_barred(principal)  # 安全生产法 第一百一十三条: a barred person leads no enterprise
            changes["principal"] = principal
        if other_industries is not None and set(other_industries) != set(enterprise.other_industries.all()):
            changes["other_industries"] = list(other_industries)
        if supervisor and "scale" in data and enterprise.scale_to_verify:
            changes["scale_to_verify"] = False  # the supervisor saw the class on the form: it is verified
        if not supervisor:
            refused = sorted(set(changes) - ENTERPRISE_SELF_EDITABLE)
            if refused:
                field = refused[0]
                label = Enterprise._meta.get_field(field).verbose_name
                raise DomainError(
                    ErrorCode.ENTERPRISE_FIELD_NOT_SELF_EDITABLE,
                    _("企业用户不能修改“%(field)s”，请联系属地或行业监管部门。") % {"field": label},
                    field=field,
                )
        m2m = {"other_industries": changes.pop("other_industries")} if "other_industries" in changes else {}
        for key, value in changes.items():
            setattr(enterprise, key, value)
        records.validate(enterprise)
        if "region" in changes:
            records.ensure_region_in_scope(actor, "core.change_enterprise", enterprise.region_id)
        records.save_with_history(enterprise, actor, reason, m2m)
        records.ensure_in_scope(actor, "core.change_enterprise", enterprise, "industry")
        units.follow_anchor(enterprise, actor)
    return enterprise


def _principal_from(actor, data: dict, current: Person | None) -> Person | None:
    """The Person that `data` names as 主要负责人 (name + 居民身份证号码), found by its number or registered.
    `current` when `data` names neither, or names a legacy principal (no number) by the same name unchanged."""
    if not any(key in data for key in PRINCIPAL_INPUT):
        return current
    name = str(data.get("principal", current.name if current else "") or "").strip()
    number = str(data.get("principal_id_number", current.id_number if current else "") or "").strip()
    if current is not None and not current.id_number and not number and name == current.name:
        return current
    if not name:
        raise DomainError(
            ErrorCode.ENTERPRISE_PRINCIPAL_REQUIRED, _("请填写主要负责人姓名。"), field="principal"
        )
    if not number:
        raise DomainError(
            ErrorCode.ENTERPRISE_PRINCIPAL_ID_NUMBER_REQUIRED,
            _("请填写主要负责人的居民身份证号码。"),
            field="principal_id_number",
        )
    try:
        return find_or_create_person(
            actor=actor, id_number=number, name=name, phone=str(data.get("principal_phone") or "")
        )
    except DomainError as exc:  # name the enterprise's field, not the person's
        field = {"id_number": "principal_id_number", "name": "principal"}.get(exc.field, exc.field)
        message = _("主要负责人%(problem)s") % {"problem": exc.message}
        raise DomainError(exc.code, message, field=field) from exc


def _check_status_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(ErrorCode.ENTERPRISE_STATUS_REASON, _("变更经营状态必须填写原因。"), field="reason")
    return reason


def _transition_to(enterprise: Enterprise, status: str) -> Transition:
    """The transition of `Enterprise.TRANSITIONS` leading from the enterprise's state to `status`."""
    if enterprise.status == status:
        raise DomainError(ErrorCode.ENTERPRISE_STATUS_UNCHANGED, _("经营状态未变化。"), field="status")
    for transition in Enterprise.TRANSITIONS:
        if enterprise.status in transition.sources and transition.target == status:
            return transition
    raise DomainError(
        ErrorCode.ENTERPRISE_STATUS_TRANSITION,
        _("经营状态不能从“%(old)s”变更为“%(new)s”。")
        % {"old": enterprise.get_status_display(), "new": Enterprise.Status(status).label},
        field="status",
    )


def change_enterprise_status(*, actor, enterprise_pk, status: str, reason: str) -> Enterprise:
    """A supervisor records that an enterprise stopped, resumed, closed or deregistered (the page and the
    API): the transition leading from its current state to `status`, with a reason. Nobody moves a suspended
    enterprise back to operating here (nor a closed one under a 停产整顿 order in force): that is the
    复产验收 chain's, which calls `apply_enterprise_transition` (`rules.resumes_only_through_acceptance`)."""
    if status not in Enterprise.Status.values:
        raise DomainError(ErrorCode.ENTERPRISE_STATUS_UNKNOWN, _("经营状态取值无效。"), field="status")
    reason = _check_status_reason(reason)
    with transaction.atomic():
        enterprise = selectors.access_enterprise(actor, enterprise_pk, for_update=True)
        require(actor, "core.change_enterprise_status", enterprise)  # the right of every transition
        transition = _transition_to(enterprise, status)
        if rules.resumes_only_through_acceptance(
            enterprise.status, status, under_order=selectors.under_suspension_order(enterprise)
        ):
            raise DomainError(
                ErrorCode.ENTERPRISE_RESUME_NEEDS_ACCEPTANCE, rules.resume_refusal_message(), field="status"
            )
        _apply(enterprise, transition, actor, reason, None)
    return enterprise


def apply_enterprise_transition(
    *, actor, enterprise: Enterprise, name: str, reason: str, changes: dict | None = None
) -> Enterprise:
    """Move an enterprise along the named transition of `Enterprise.TRANSITIONS` for another module's use
    case (责令停产停业整顿 → "suspend", 复产验收合格 → "resume", 依法予以关闭 → "close").

    The calling service has fetched the enterprise in the actor's scope and checked its own right (a
    resumption is approved by a leader, who holds no registry right), so this checks only the state, the
    reason and the transition's guards. A compare-and-set on the state the caller read: when the enterprise
    changed meanwhile, DomainError(Code.STALE) and nothing is written.
    """
    reason = _check_status_reason(reason)
    transition = find(Enterprise.TRANSITIONS, name)
    with transaction.atomic():
        _apply(enterprise, transition, actor, reason, changes)
    return enterprise


def _apply(enterprise: Enterprise, transition: Transition, actor, reason: str, changes: dict | None) -> None:
    # `.update()` skips auto_now: the list's "recently updated" order must still see the change.
    values = {"updated_at": timezone.now(), **(changes or {})}
    apply_transition(enterprise, transition, actor=actor, reason=reason, changes=values)
    units.follow_anchor(enterprise, actor)  # a closed or deregistered enterprise's unit stops being active


# ---------------------------------------------------------------- regions (towns, villages)


def create_region(
    *, actor, parent_pk, code: str, name: str, kind: str = "", urban_rural_code: str = ""
) -> Region:
    """Add a town/street or village/community under a region the 安委办 manages."""
    with transaction.atomic():
        parent = selectors.access_region(actor, parent_pk)
        require(actor, "core.manage_region", parent)
        if parent.level >= Region.Level.VILLAGE:
            raise DomainError(
                ErrorCode.REGION_BELOW_VILLAGE, _("村(社区)下不能再建下级区划。"), field="parent"
            )
        level = parent.level + 1 if parent.level >= Region.Level.COUNTY else None
        if level is None:
            raise DomainError(
                ErrorCode.REGION_NATIONAL_LEVEL,
                _("省、市、县三级区划由国家区划数据加载，不能手工新增。"),
                field="parent",
            )
        if not rules.child_code_is_valid(parent.code, parent.level, code, level):
            expected = "9" if level == Region.Level.TOWN else "12"
            raise DomainError(
                ErrorCode.REGION_CODE_PREFIX,
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
        records.validate(region)
        records.save_with_history(region, actor, "")
        if region.level == Region.Level.TOWN:
            units.follow_anchor(region, actor)
    return region


def update_region(*, actor, region_pk, name: str, kind: str = "", urban_rural_code: str = "") -> Region:
    with transaction.atomic():
        region = selectors.access_region(actor, region_pk, for_update=True)
        require(actor, "core.manage_region", region)
        if region.level < Region.Level.TOWN:
            raise DomainError(
                ErrorCode.REGION_NATIONAL_LEVEL,
                _("省、市、县三级区划由国家区划数据维护，不能在此修改。"),
                field="name",
            )
        region.name, region.kind, region.urban_rural_code = name.strip(), kind, urban_rural_code
        records.validate(region)
        records.save_with_history(region, actor, "")
        if region.level == Region.Level.TOWN:
            units.follow_anchor(region, actor)
    return region


def delete_region(*, actor, region_pk, reason: str) -> None:
    with transaction.atomic():
        region = selectors.access_region(actor, region_pk, for_update=True)
        require(actor, "core.manage_region", region)
        if region.level < Region.Level.TOWN:
            raise DomainError(
                ErrorCode.REGION_NATIONAL_LEVEL, _("省、市、县三级区划不能删除。"), field="__all__"
            )
        # A town's own unit goes with it (a unit still referenced — a task, a hazard — keeps the town: IN_USE).
        for unit in Unit.objects.filter(region=region, kind=Unit.Kind.TOWN):
            records.delete_with_history(unit, actor, reason)
        records.delete_with_history(region, actor, reason)


# ---------------------------------------------------------------- grids


def save_grid(*, actor, grid_pk=None, region_pk, code: str, name: str, description: str = "") -> Grid:
    """Create or change a grid under a village/community inside the actor's jurisdiction."""
    with transaction.atomic():
        region = selectors.access_region(actor, region_pk)
        require(actor, "core.manage_grid", region)
        if region.level != Region.Level.VILLAGE:
            raise DomainError(ErrorCode.GRID_NOT_UNDER_VILLAGE, _("网格应建在村(社区)下。"), field="region")
        if grid_pk is None:
            grid = Grid()
        else:
            grid = selectors.access_grid(actor, grid_pk, for_update=True)
            require(actor, "core.manage_grid", grid)
        grid.region, grid.code, grid.name, grid.description = region, code.strip(), name.strip(), description
        records.validate(grid)
        records.save_with_history(grid, actor, "")
        records.ensure_in_scope(actor, "core.manage_grid", grid, "region")
    return grid


def delete_grid(*, actor, grid_pk, reason: str) -> None:
    with transaction.atomic():
        grid = selectors.access_grid(actor, grid_pk, for_update=True)
        require(actor, "core.manage_grid", grid)
        if grid.enterprises.exists() or grid.memberships.filter(is_active=True).exists():
            raise DomainError(Code.IN_USE, _("网格内仍有单位或网格员，不能删除。"), field="__all__")
        records.delete_with_history(grid, actor, reason)


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
                ErrorCode.DEPARTMENT_WITHOUT_INDUSTRY,
                _("行业监管部门至少应监管一个行业领域（三管三必须）。"),
                field="industries",
            )
        records.validate(department)
        records.save_with_history(department, actor, "", {"industries": industries})
        records.ensure_in_scope(actor, "core.manage_department", department, "region")
        units.follow_anchor(department, actor)
    return department


# ---------------------------------------------------------------- licences


LICENCE_FIELDS = ("kind", "number", "issued_by", "valid_from", "valid_until")


def _require_licence_keeper(actor, enterprise: Enterprise) -> None:
    """Licences are registry facts kept by the issuing or supervising body (`core.manage_licence`); the
    enterprise itself may only propose a change (`propose_licence_change`)."""
    if can(actor, "core.manage_licence", enterprise):
        return
    if can(actor, "core.propose_licence", enterprise):
        raise DomainError(
            ErrorCode.LICENCE_KEPT_BY_SUPERVISOR,
            _("证照由发证或监管机关维护，企业不能自行修改，请提出变更申请。"),
            field="__all__",
        )
    require(actor, "core.manage_licence", enterprise)


def _check_licence_dates(valid_from, valid_until) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        raise DomainError(ErrorCode.LICENCE_DATES, _("有效期至不能早于有效期起。"), field="valid_until")


def save_licence(*, actor, enterprise_pk, licence_pk=None, data: dict) -> Licence:
    """Add or change a licence of an enterprise: the supervising body's registry record (not the holder's)."""
    with transaction.atomic():
        enterprise = selectors.access_enterprise(actor, enterprise_pk, for_update=True)
        _require_licence_keeper(actor, enterprise)
        if licence_pk is None:
            licence = Licence(enterprise=enterprise)
        else:
            licence = selectors.access(Licence.objects.filter(enterprise=enterprise), actor, licence_pk)
        for key in LICENCE_FIELDS:
            setattr(licence, key, data.get(key, getattr(licence, key)))
        _check_licence_dates(licence.valid_from, licence.valid_until)
        records.validate(licence)
        records.save_with_history(licence, actor, "")
    return licence


def delete_licence(*, actor, enterprise_pk, licence_pk, reason: str) -> None:
    """Remove a licence from the registry (revoked, cancelled): the supervising body's act, with a reason."""
    with transaction.atomic():
        enterprise = selectors.access_enterprise(actor, enterprise_pk, for_update=True)
        _require_licence_keeper(actor, enterprise)
        licence = selectors.access(Licence.objects.filter(enterprise=enterprise), actor, licence_pk)
        records.delete_with_history(licence, actor, reason)


def propose_licence_change(*, actor, enterprise_pk, data: dict, licence_pk=None) -> LicenceChange:
    """An enterprise proposes to add a licence, or to change or remove one of its licences; the licence itself
    stays as confirmed until a supervisor accepts (`decide_licence_change`)."""
    with transaction.atomic():
        enterprise = selectors.access_enterprise(actor, enterprise_pk)
        require(actor, "core.propose_licence", enterprise)
        reason = (data.get("reason") or "").strip()
        if not reason:
            raise DomainError(ErrorCode.LICENCE_CHANGE_REASON, _("请填写申请理由。"), field="reason")
        change = LicenceChange(enterprise=enterprise, proposed_by=actor, reason=reason)
        if licence_pk is None:
            change.action = LicenceChange.Action.ADD
        else:
            change.licence = selectors.access(
                Licence.objects.filter(enterprise=enterprise), actor, licence_pk
            )
            change.action = data.get("action") or LicenceChange.Action.CHANGE
            if change.action not in (LicenceChange.Action.CHANGE, LicenceChange.Action.REMOVE):
                raise DomainError(
                    ErrorCode.LICENCE_CHANGE_TARGET, _("对已有证照只能申请变更或注销。"), field="action"
                )
        for key in LICENCE_FIELDS:
            value = data.get(key)
            if value in (None, ""):
                value = getattr(change.licence, key) if change.licence else None
            setattr(change, key, "" if value is None else value)
        if change.action != LicenceChange.Action.REMOVE:
            for key in ("kind", "number", "valid_until"):
                if not getattr(change, key):
                    raise DomainError(Code.INVALID, _("请填写证照类型、编号和有效期。"), field=key)
            _check_licence_dates(change.valid_from, change.valid_until)
        for key in ("valid_from", "valid_until"):
            setattr(change, key, getattr(change, key) or None)
        records.validate(change, exclude=["proposed_by"])
        records.save_with_history(change, actor, reason)
    return change


def decide_licence_change(*, actor, change_pk, accept: bool, reason: str = "") -> LicenceChange:
    """A supervisor in scope accepts an enterprise's licence proposal (applying it to the licence, with its own
    history row) or refuses it with a reason."""
    with transaction.atomic():
        change = selectors.access_licence_change(actor, change_pk, for_update=True)
        require(actor, "core.manage_licence", change)
        transition = find(LicenceChange.TRANSITIONS, "accept" if accept else "refuse")
        if accept:
            why = str(_("采纳证照变更申请：%(reason)s")) % {"reason": change.reason}
            if change.action == LicenceChange.Action.REMOVE:
                if change.licence_id:
                    licence = Licence.objects.select_for_update().get(pk=change.licence_id)
                    records.delete_with_history(licence, actor, why)
            else:
                licence = change.licence or Licence(enterprise_id=change.enterprise_id)
                for key in LICENCE_FIELDS:
                    setattr(licence, key, getattr(change, key))
                _check_licence_dates(licence.valid_from, licence.valid_until)
                records.validate(licence)
                records.save_with_history(licence, actor, why)
                change.licence = licence
        apply_transition(
            change,
            transition,
            actor=actor,
            reason=(reason or "").strip(),
            changes={
                "decided_by": actor,
                "decided_at": timezone.now(),
                "decision_reason": (reason or "").strip(),
                "licence": change.licence if change.action != LicenceChange.Action.REMOVE else None,
            },
        )
    return change
