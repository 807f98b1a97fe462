"""The hazard layer of the accidents module's 1:29:300 pyramid (`ANLAN_PYRAMID_HAZARD_COUNTER`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from anlan.core import rules as core_rules

from .models import Hazard


def hazard_count(
    user,
    start: date,
    end: date,
    *,
    region=None,
    industry_ids: Iterable[int] | None = None,
    enterprise_id: int | None = None,
) -> int:
    """Hazards (not voided) found from `start` to `end` (both inclusive) in the user's scope, optionally in a
    region's subtree, in some industries and at one enterprise: one COUNT."""
    queryset = Hazard.objects.for_user(user).filter(found_on__gte=start, found_on__lte=end)
    if region is not None:
        low, high = core_rules.subtree_bounds(region.code, region.level)
        queryset = queryset.filter(region_id__gte=low, region_id__lte=high)
    if industry_ids:
        queryset = queryset.filter(industry_id__in=list(industry_ids))
    if enterprise_id:
        queryset = queryset.filter(enterprise_id=enterprise_id)
    return queryset.exclude(status=Hazard.Status.VOIDED).count()
