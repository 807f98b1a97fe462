"""Action rights: the one table of which roles may do what (style.md, "Jurisdiction and permissions").

A right says *which roles* may act; *where* they may act is always their jurisdiction scope, so
`can(user, action, obj)` is "obj is in the scope of one of the user's memberships holding the right".
Viewing needs no right beyond the scope itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .contract import registry
from .models import Role
from .scope import memberships_of

# Role groups the apps' rights tables share.
SUPERVISORS = frozenset({Role.COMMITTEE_OFFICE, Role.DEPARTMENT, Role.TOWN})


class _Rights(Mapping):
    """The one table of rights, assembled from every module's `c.rights(...)` (core/contract.py)."""

    def __getitem__(self, action: str) -> frozenset[str]:
        return registry().rights_table[action]

    def __iter__(self):
        return iter(registry().rights_table)

    def __len__(self) -> int:
        return len(registry().rights_table)


RIGHTS: Mapping[str, frozenset[str]] = _Rights()


def roles_with_right(action: str) -> frozenset[str]:
    try:
        return RIGHTS[action]
    except KeyError as exc:  # a typo in an action name must never silently grant or deny
        raise KeyError(
            f"unknown action right {action!r}; declare it in its app's contribute() with c.rights()"
        ) from exc


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
