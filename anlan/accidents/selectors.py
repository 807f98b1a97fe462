"""Scoped reads of accidents. Out of scope is 404 (design.md §2)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anlan.core.models import Region
from anlan.core.selectors import access

from .models import Accident, Investigation, MinorEvent, RegionEconomy

# Where the region of each level sits in a 12-digit code (statistical code prefixes, regulations.md §10).
LEVEL_PREFIX = {"county": 6, "city": 4, "province": 2}


def access_accident(user, pk, *, for_update: bool = False) -> Accident:
    return access(
        Accident.objects.select_related("region", "enterprise", "industry"), user, pk, for_update=for_update
    )


def access_investigation(user, accident_pk, *, for_update: bool = False) -> Investigation:
    """The investigation of an accident the user may see, else 404."""
    accident = access_accident(user, accident_pk)
    queryset = Investigation.objects.select_related("accident")
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(accident=accident)
    except Investigation.DoesNotExist as exc:
        raise Http404(_("该事故尚未成立调查组。")) from exc


def accident_list(user) -> QuerySet:
    return Accident.objects.for_user(user).select_related("region", "industry", "enterprise")


def minor_event_list(user) -> QuerySet:
    return MinorEvent.objects.for_user(user).select_related("region", "industry", "enterprise")


def economy_list(user) -> QuerySet:
    return RegionEconomy.objects.for_user(user).select_related("region")


def region_at_level(code: str, level: str) -> Region | None:
    """The region of `level` (county/city/province) that contains the region with this code."""
    digits = LEVEL_PREFIX.get(level)
    if digits is None:
        return None
    return Region.objects.filter(pk=code[:digits].ljust(12, "0")).first()


def reporting_regions(user) -> QuerySet:
    """Regions a user may file an accident under: their scope, and for an enterprise its county."""
    from django.db.models import Q

    from anlan.core import rules as core_rules
    from anlan.core.models import Role
    from anlan.core.scope import memberships_of, scope_q

    q = scope_q(user, Region.scope)
    for membership in memberships_of(user):
        if membership.role == Role.ENTERPRISE:
            low, high = core_rules.subtree_bounds(membership.enterprise.region_id, Region.Level.COUNTY)
            q |= Q(code__gte=low, code__lte=high)
    return Region.objects.filter(q, level__gte=Region.Level.COUNTY).order_by("code")
