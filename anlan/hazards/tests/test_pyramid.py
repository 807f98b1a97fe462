"""The pyramid hook: hazards found in a period, in the user's scope, by region, industry and enterprise."""

from __future__ import annotations

from datetime import date

import pytest

from anlan.core.models import Region
from anlan.core.tests.factories import industry
from anlan.hazards.models import Hazard
from anlan.hazards.pyramid import hazard_count

from .factories import HazardFactory

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def hazards(cast):
    """2025 in town A (enterprise X, construction): 3 + one voided; town B (enterprise Y, hazchem): 2;
    a road section in town B (no enterprise, road transport): 1; outside 2025 in town A: 2."""
    x, y = cast.enterprise_x, cast.enterprise_y
    for found in (date(2025, 1, 1), date(2025, 6, 30), date(2025, 12, 31)):
        HazardFactory(enterprise=x, found_on=found, due_on=date(2026, 1, 31))
    HazardFactory(
        enterprise=x, found_on=date(2025, 3, 1), due_on=date(2025, 4, 1), status=Hazard.Status.VOIDED
    )
    for status in (Hazard.Status.CLOSED, Hazard.Status.RECTIFYING):
        HazardFactory(enterprise=y, found_on=date(2025, 5, 5), due_on=date(2025, 6, 1), status=status)
    HazardFactory(
        place="S312 省道 K12 弯道",
        region=cast.town_b,
        industry=industry("road-transport"),
        found_on=date(2025, 8, 8),
        due_on=date(2025, 9, 1),
    )
    HazardFactory(enterprise=x, found_on=date(2024, 12, 31), due_on=date(2025, 1, 31))
    HazardFactory(enterprise=x, found_on=date(2026, 1, 1), due_on=date(2026, 1, 31))


def test_counts_the_period_both_ends_included_without_voided_records(cast, hazards):
    assert hazard_count(cast["county_office"], START, END) == 6
    assert hazard_count(cast["county_office"], date(2025, 1, 2), date(2025, 12, 30)) == 4


def test_counts_only_the_users_scope(cast, hazards):
    assert hazard_count(cast["town_a"], START, END) == 3
    assert hazard_count(cast["town_b"], START, END) == 3
    assert hazard_count(cast["dept_housing"], START, END) == 3  # construction and urban gas only
    assert hazard_count(cast["enterprise_x"], START, END) == 3
    assert hazard_count(cast["grid_worker"], START, END) == 3


def test_region_filter_takes_the_subtree(cast, hazards):
    assert hazard_count(cast["county_office"], START, END, region=cast.town_b) == 3
    assert hazard_count(cast["county_office"], START, END, region=cast.village_a) == 3
    assert hazard_count(cast["county_office"], START, END, region=cast.county) == 6
    # A region filter never widens the scope.
    assert hazard_count(cast["town_a"], START, END, region=cast.town_b) == 0
    assert hazard_count(cast["town_a"], START, END, region=Region.objects.get(pk=cast.county.pk)) == 3


def test_industry_and_enterprise_filters(cast, hazards):
    office = cast["county_office"]
    road, hazchem = industry("road-transport").pk, industry("hazchem-production").pk
    assert hazard_count(office, START, END, industry_ids=[road]) == 1
    assert hazard_count(office, START, END, industry_ids=[road, hazchem]) == 3
    assert hazard_count(office, START, END, industry_ids=[]) == 6  # empty: no industry filter
    assert hazard_count(office, START, END, enterprise_id=cast.enterprise_y.pk) == 2
    assert hazard_count(office, START, END, enterprise_id=cast.enterprise_y.pk, industry_ids=[road]) == 0
    assert hazard_count(cast["dept_housing"], START, END, industry_ids=[hazchem]) == 0


def test_is_one_count_query(cast, hazards, django_assert_num_queries):
    user = cast["dept_housing"]
    hazard_count(user, START, END)  # loads the memberships and the department's industries once
    with django_assert_num_queries(1) as captured:
        hazard_count(user, START, END, region=cast.town_a, industry_ids=[1], enterprise_id=1)
    assert "COUNT(" in captured.captured_queries[0]["sql"].upper()
