"""Values every page needs: site name, the user's roles and anchor regions, and the navigation that the
installed modules contribute (core/contract.py), filtered to the entries the user may use."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .contract import registry
from .permissions import has_right
from .scope import memberships_of

# The kernel's own dropdown; a module names its own with `c.nav_group`.
NAV_GROUPS = {"registry": _("基础数据")}


def _visible(entry, user) -> bool:
    if entry.right is None:
        return True
    rights = (entry.right,) if isinstance(entry.right, str) else entry.right
    return any(has_right(user, right) for right in rights)


def navigation(user) -> list[dict]:
    """Top-level entries and dropdown groups, in order, for a signed-in user."""
    items: list[dict] = []
    groups: dict[str, dict] = {}
    labels = {**NAV_GROUPS, **registry().nav_groups}
    for entry in registry().nav_entries:
        if not _visible(entry, user):
            continue
        if entry.group is None:
            items.append({"entry": entry})
            continue
        if entry.group not in groups:
            groups[entry.group] = {"label": labels.get(entry.group, entry.group), "entries": []}
            items.append(groups[entry.group])
        groups[entry.group]["entries"].append(entry)
    return items


def anlan(request):
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "site_name": settings.ANLAN_SITE_NAME,
        "memberships": memberships_of(user) if user is not None else [],
        "navigation": navigation(user) if signed_in else [],
        "header_items": [template for _order, template in registry().header_items] if signed_in else [],
    }
