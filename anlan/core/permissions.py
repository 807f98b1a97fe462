"""Action rights: the one table of which roles may do what (style.md, "Jurisdiction and permissions").

A right says *which roles* may act; *where* they may act is always their jurisdiction scope, so
`can(user, action, obj)` is "obj is in the scope of one of the user's memberships holding the right".
Viewing needs no right beyond the scope itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Role
from .scope import memberships_of

_ALL = frozenset(Role)
_SUPERVISORS = frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT, Role.TOWN})

RIGHTS: dict[str, frozenset[str]] = {
    # Enterprises (生产经营单位)
    "core.add_enterprise": _SUPERVISORS,
    "core.change_enterprise": _SUPERVISORS | {Role.ENTERPRISE},
    "core.change_enterprise_status": _SUPERVISORS,
    "core.import_enterprise": _SUPERVISORS,
    "core.export_enterprise": _SUPERVISORS | {Role.LEADER},
    # Contact details in full (phones unmasked) for those who act on them.
    "core.view_contact": _SUPERVISORS | {Role.ENTERPRISE, Role.GRID_WORKER},
    # Registry management pages of the 安委办.
    "core.manage_region": frozenset({Role.COMMITTEE_OFFICE}),
    "core.manage_grid": frozenset({Role.COMMITTEE_OFFICE}),
    "core.manage_department": frozenset({Role.COMMITTEE_OFFICE}),
    # Accidents (生产安全事故): anyone on the chain files 初报/续报; the duty office receives and investigates.
    "accidents.report_accident": _SUPERVISORS | {Role.ENTERPRISE},
    "accidents.receive_report": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT}),
    "accidents.record_finding": frozenset({Role.COMMITTEE_OFFICE}),
    "accidents.manage_investigation": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT}),
    "accidents.export_accident": _SUPERVISORS | {Role.LEADER},
    "accidents.edit_economy": frozenset({Role.COMMITTEE_OFFICE}),
    # Hazards (隐患排查治理): the enterprise rectifies; the department (by industry) and the town oversee.
    "hazards.register_hazard": _SUPERVISORS | {Role.ENTERPRISE},
    "hazards.report_lead": _SUPERVISORS | {Role.GRID_WORKER},
    "hazards.confirm_lead": _SUPERVISORS,
    "hazards.plan": _SUPERVISORS | {Role.ENTERPRISE},
    "hazards.submit_rectification": _SUPERVISORS | {Role.ENTERPRISE},
    # Enterprises verify only their ordinary hazards; a major hazard needs the department or an expert.
    "hazards.verify": _SUPERVISORS | {Role.ENTERPRISE, Role.EXPERT},
    "hazards.void": _SUPERVISORS,
    "hazards.request_extension": _SUPERVISORS | {Role.ENTERPRISE},
    "hazards.approve_extension": _SUPERVISORS,
    "hazards.assign_expert": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT}),
    "hazards.supervise": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT}),
    "hazards.recheck": _SUPERVISORS,
    "hazards.export_hazard": _SUPERVISORS | {Role.LEADER, Role.ENTERPRISE},
    "hazards.import_hazard": _SUPERVISORS,
    # Inspections and enforcement (监督检查与执法): departments and the 安委办 plan, draw and enforce; towns
    # inspect; the enterprise applies for 复产; the leader signs the last step of the 复产验收 chain.
    "inspections.manage_plan": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT}),
    "inspections.manage_inspector": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT}),
    "inspections.draw": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT}),
    "inspections.inspect": _SUPERVISORS,
    "inspections.enforce": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT}),
    "inspections.apply_resumption": frozenset({Role.ENTERPRISE}),
    "inspections.approve_resumption": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT, Role.LEADER}),
    "inspections.score": frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT}),
}


def roles_with_right(action: str) -> frozenset[str]:
    try:
        return RIGHTS[action]
    except KeyError as exc:  # a typo in an action name must never silently grant or deny
        raise KeyError(f"unknown action right {action!r}; add it to core.permissions.RIGHTS") from exc


def has_right(user, action: str) -> bool:
    """Whether any of the user's roles holds the right somewhere (for showing buttons and menus)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    roles = roles_with_right(action)
    return any(m.role in roles for m in memberships_of(user))


def can(user, action: str, obj) -> bool:
    """Whether the user may do `action` on this object: a right held by a membership whose scope covers it."""
    if not has_right(user, action):
        return False
    return type(obj).objects.for_user(user, action).filter(pk=obj.pk).exists()


def require_right(user, action: str) -> None:
    if not has_right(user, action):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def require(user, action: str, obj) -> None:
    """Refuse with 403 an object the user can see but may not act on (callers fetch it scoped first)."""
    if not can(user, action, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
