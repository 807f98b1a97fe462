"""Issue #14's accident rules at every boundary: 较大涉险事故 (21号令 第二十六条), findings from facts
(14号令), 批复 (493号令 第三十二条), fines (安全生产法 第九十五、一百一十四条), GB 6441 injury severity and the
two rates of regulations.md §11."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.accidents import rules
from anlan.accidents.rules import (
    EXTRAORDINARILY_SERIOUS,
    MAJOR,
    ORDINARY,
    RELATIVELY_MAJOR,
    RELATIVELY_MAJOR_NEAR_MISS,
)
from anlan.core.rules import RuleViolation


def test_near_miss_code():
    assert RELATIVELY_MAJOR_NEAR_MISS == "relatively_major_near_miss"


@pytest.mark.parametrize(
    "facts, expected",
    [
        ({}, False),
        ({"people_at_risk": 9}, False),
        ({"people_at_risk": 10}, True),
        ({"trapped_or_missing": 2}, False),
        ({"trapped_or_missing": 3}, True),
        ({"evacuated": 499}, False),
        ({"evacuated": 500}, True),
        ({"threatens_key_site": True}, True),
        ({"serious_pollution": True}, True),
        ({"people_at_risk": 9, "trapped_or_missing": 2, "evacuated": 499}, False),
    ],
)
def test_relatively_major_near_miss(facts, expected):
    assert rules.is_relatively_major_near_miss(**facts) is expected


@pytest.mark.parametrize(
    "grade, per_day",
    [
        (RELATIVELY_MAJOR_NEAR_MISS, 1),
        (ORDINARY, 1),
        (RELATIVELY_MAJOR, 1),
        (MAJOR, 2),
        (EXTRAORDINARILY_SERIOUS, 2),
    ],
)
def test_follow_ups_per_day(grade, per_day):
    assert rules.follow_ups_per_day(grade) == per_day


def test_follow_ups_unknown_grade():
    with pytest.raises(ValueError):
        rules.follow_ups_per_day("catastrophic")


@pytest.mark.parametrize(
    "facts, expected",
    [
        ({"reported": True}, set()),
        ({"reported": True, "late": True}, {"late"}),
        ({"reported": True, "omission": True, "omission_by_negligence": True}, {"omitted"}),
        ({"reported": True, "content_complete": False, "omission_by_negligence": True}, {"omitted"}),
        ({"reported": True, "content_complete": False}, {"false"}),  # left out on purpose
        ({"reported": True, "intentional_falsehood": True, "false_fields": ("deaths",)}, {"false"}),
        ({"reported": True, "false_fields": ("deaths",)}, set()),  # untrue by mistake
        (
            {"reported": True, "late": True, "intentional_falsehood": True, "false_fields": ("deaths",)},
            {"late", "false"},
        ),
        (
            {"reported": True, "late": True, "omission": True, "omission_by_negligence": True},
            {"late", "omitted"},
        ),
        ({"reported": False}, set()),
        ({"reported": False, "deadline_passed": True}, set()),
        ({"reported": False, "concealment_verified": True}, set()),
        ({"reported": False, "deadline_passed": True, "concealment_verified": True}, {"concealed"}),
    ],
)
def test_reporting_finding(facts, expected):
    assert rules.reporting_finding(**facts) == frozenset(expected)


@pytest.mark.parametrize(
    "reported, passed, verified, flagged",
    [
        (False, True, False, True),
        (False, True, True, False),
        (False, False, False, False),
        (True, True, False, False),
    ],
)
def test_concealment_unverified(reported, passed, verified, flagged):
    assert (
        rules.concealment_unverified(reported=reported, deadline_passed=passed, concealment_verified=verified)
        is flagged
    )


RECEIVED = date(2026, 3, 1)


@pytest.mark.parametrize(
    "grade, due, latest",
    [
        (ORDINARY, date(2026, 3, 16), None),
        (RELATIVELY_MAJOR, date(2026, 3, 16), None),
        (MAJOR, date(2026, 3, 16), None),
        (EXTRAORDINARILY_SERIOUS, date(2026, 3, 31), date(2026, 4, 30)),
    ],
)
def test_reply_due(grade, due, latest):
    assert rules.reply_due(grade, RECEIVED) == (due, latest)


def test_reply_due_refuses_a_near_miss():
    with pytest.raises(ValueError):
        rules.reply_due(RELATIVELY_MAJOR_NEAR_MISS, RECEIVED)


@pytest.mark.parametrize(
    "replied_on, today, overdue",
    [
        (None, date(2026, 3, 16), False),
        (None, date(2026, 3, 17), True),
        (date(2026, 3, 16), date(2026, 4, 1), False),
        (date(2026, 3, 17), date(2026, 4, 1), True),
    ],
)
def test_reply_overdue(replied_on, today, overdue):
    assert rules.reply_overdue(date(2026, 3, 16), replied_on, today) is overdue


@pytest.mark.parametrize(
    "grade, plain, aggravated",
    [
        (ORDINARY, (30, 100), (60, 500)),
        (RELATIVELY_MAJOR, (100, 200), (200, 1000)),
        (MAJOR, (200, 1000), (400, 5000)),
        (EXTRAORDINARILY_SERIOUS, (1000, 2000), (2000, 10000)),
    ],
)
def test_unit_fine_range(grade, plain, aggravated):
    assert rules.unit_fine_range(grade) == plain
    assert rules.unit_fine_range(grade, aggravated=True) == aggravated


@pytest.mark.parametrize(
    "amount, aggravated, allowed",
    [
        ("29.99", False, False),
        ("30", False, True),
        ("100", False, True),
        ("100.01", False, False),
        ("59", True, False),
        ("60", True, True),
        ("500", True, True),
        ("501", True, False),
    ],
)
def test_check_unit_fine_both_ends_allowed(amount, aggravated, allowed):
    if allowed:
        rules.check_unit_fine(ORDINARY, Decimal(amount), aggravated=aggravated)
    else:
        with pytest.raises(RuleViolation) as refused:
            rules.check_unit_fine(ORDINARY, Decimal(amount), aggravated=aggravated)
        assert refused.value.field == "fine_wan"


@pytest.mark.parametrize(
    "grade, percent", [(ORDINARY, 40), (RELATIVELY_MAJOR, 60), (MAJOR, 80), (EXTRAORDINARILY_SERIOUS, 100)]
)
def test_principal_fine_percent(grade, percent):
    assert rules.principal_fine_percent(grade) == percent


@given(income=st.decimals(min_value=0, max_value=100000, places=2), grade=st.sampled_from(rules.GRADES))
def test_principal_fine_is_the_share_of_income(income, grade):
    fine = rules.principal_fine_wan(grade, income)
    assert fine == (income * rules.principal_fine_percent(grade) / 100).quantize(Decimal("0.000001"))
    assert 0 <= fine <= income


@pytest.mark.parametrize(
    "days, severity",
    [
        (0, None),
        (1, "minor"),
        (104, "minor"),
        (105, "serious"),
        (5999, "serious"),
        (6000, "fatal_equivalent"),
        (7500, "fatal_equivalent"),
    ],
)
def test_injury_severity(days, severity):
    assert rules.injury_severity(days) == severity


def test_injury_severity_refuses_negative_days():
    with pytest.raises(ValueError):
        rules.injury_severity(-1)


@given(days=st.integers(min_value=1, max_value=20000))
def test_injury_severity_grows_with_days(days):
    order = [None, "minor", "serious", "fatal_equivalent"]
    assert order.index(rules.injury_severity(days)) >= order.index(rules.injury_severity(days - 1))


def test_rates():
    assert rules.deaths_per_10k_vehicles(5, 200000) == Decimal("0.250")
    assert rules.deaths_per_10k_vehicles(5, 0) is None
    assert rules.deaths_per_million_tonnes(3, Decimal("1500")) == Decimal("0.200")
    assert rules.deaths_per_million_tonnes(3, 0) is None


@given(deaths=st.integers(min_value=0, max_value=10000), vehicles=st.integers(min_value=1, max_value=10**8))
def test_vehicle_rate_scales(deaths, vehicles):
    rate = rules.deaths_per_10k_vehicles(deaths, vehicles)
    assert abs(rate - Decimal(deaths) * 10000 / vehicles) <= Decimal("0.0005")


def test_heinrich_as_data():
    assert rules.HEINRICH["classic"] == {"major_injury": 1, "minor_injury": 29, "no_injury": 300}
    assert rules.HEINRICH["with_hazards"]["hazards_or_unsafe_acts"] == 1000
