"""转移避险 for tests: a rainstorm warning over the county, a geohazard point in town A's village (5 households,
17 people), the evacuations opened by the county office; households moved, returned."""

from __future__ import annotations

from anlan.warnings.models import Evacuation, Household
from anlan.warnings.services import evacuation as services
from anlan.warnings.services import warnings as warning_services
from anlan.warnings.tests.factories import issued
from anlan.warnings.tests.factories_points import geohazard


def opened(cast, **warning_overrides):
    """The warning and town A's evacuation (with its point's row)."""
    geohazard(cast)
    warning = issued(cast, **warning_overrides)
    services.open_evacuations(actor=cast["county_office"], warning_pk=warning.pk)
    return warning, Evacuation.objects.get(warning=warning, town=cast.town_a)


def evacuation(cast):
    return opened(cast)[1]


def household(cast):
    return Household.objects.get(evacuation=evacuation(cast))


def moved(cast, *, lifted: bool = False):
    row = household(cast)
    services.move(
        actor=cast["town_a"],
        household_pk=row.pk,
        data={"shelter_kind": "relatives", "shelter_note": "投靠县城亲戚"},
    )
    if lifted:
        warning_services.lift(
            actor=cast["county_office"], warning_pk=row.evacuation.warning_id, reason="降雨结束，险情解除"
        )
    row.refresh_from_db()
    return row
