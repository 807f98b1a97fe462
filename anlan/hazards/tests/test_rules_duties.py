"""Issue #14's hazard rules: the enterprise's 统计分析表 deadlines (16号令 第十四条) and the closure proposal
after repeated penalties (安全生产法 第一百一十三条), at every boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.core.rules import RuleViolation
from anlan.hazards import rules


@pytest.mark.parametrize(
    "period, due",
    [
        ("2025-Q1", date(2025, 4, 15)),
        ("2025-Q2", date(2025, 7, 15)),
        ("2025-Q3", date(2025, 10, 15)),
        ("2025-Q4", date(2026, 1, 15)),
        ("2025", date(2026, 1, 31)),
    ],
)
def test_statistics_filing_due(period, due):
    assert rules.statistics_filing_due(period) == (due, "principal")


def test_statistics_filing_due_per_province():
    monthly_province = rules.FilingRule(quarter_day=10, annual_month=2, annual_day=15)
    assert rules.statistics_filing_due("2025-Q2", rule=monthly_province) == (date(2025, 7, 10), "principal")
    assert rules.statistics_filing_due("2025", rule=monthly_province) == (date(2026, 2, 15), "principal")


@pytest.mark.parametrize("period", ["2025-Q5", "2025-Q0", "25-Q1", "2025Q1", "", "2025-"])
def test_statistics_filing_due_refuses_bad_periods(period):
    with pytest.raises(ValueError):
        rules.statistics_filing_due(period)


D = date(2026, 1, 1)


def days(*offsets):
    return [D + timedelta(days=offset) for offset in offsets]


@pytest.mark.parametrize(
    "penalties, due",
    [
        ([], False),
        (days(0, 1), False),
        (days(0, 90, 180), True),  # both ends counted
        (days(0, 90, 181), False),
        (days(0, 100, 200, 365), True),
        (days(0, 100, 200, 366), False),
        (days(0, 200, 300, 400), False),
        (days(400, 0, 200, 300, 365), True),  # any order; the window may start anywhere
        (days(0, 10, 300, 310, 320), True),  # the second window
        (days(0, 0, 0), True),  # three the same day
    ],
)
def test_closure_proposal_due(penalties, due):
    assert rules.closure_proposal_due(penalties) is due


@given(st.lists(st.integers(min_value=0, max_value=2000), max_size=12))
def test_closure_matches_a_brute_force_count(offsets):
    dates = days(*offsets)
    brute = any(
        sum(1 for other in dates if start <= other <= start + timedelta(days=window)) >= count
        for start in dates
        for count, window in ((3, 180), (4, 365))
    )
    assert rules.closure_proposal_due(dates) is brute


@pytest.mark.parametrize(
    ("period", "bounds"),
    [
        ("2026-Q1", (date(2026, 1, 1), date(2026, 3, 31))),
        ("2026-Q4", (date(2026, 10, 1), date(2026, 12, 31))),
        ("2026", (date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_filing_period_bounds(period, bounds):
    assert rules.filing_period_bounds(period) == bounds


@pytest.mark.parametrize(
    ("today", "periods"),
    [
        (date(2026, 1, 1), ["2025-Q4", "2025-Q3", "2025"]),
        (date(2026, 12, 2), ["2026-Q3", "2026-Q2", "2025"]),
        (date(2026, 3, 31), ["2025-Q4", "2025-Q3", "2025"]),
        (date(2026, 4, 1), ["2026-Q1", "2025-Q4", "2025"]),
    ],
)
def test_ended_filing_periods(today, periods):
    assert rules.ended_filing_periods(today) == periods


def test_a_filing_is_late_from_the_day_after_its_due_date():
    assert not rules.filing_is_late(date(2026, 4, 15), date(2026, 4, 15))
    assert rules.filing_is_late(date(2026, 4, 16), date(2026, 4, 15))


def test_filing_signer_and_rule_checks():
    rules.check_filing_signer(is_principal=True)
    with pytest.raises(RuleViolation) as refused:
        rules.check_filing_signer(is_principal=False)
    assert refused.value.code == rules.ErrorCode.NOT_PRINCIPAL and "第十四条" in str(refused.value.message)
    rules.check_filing_rule(rules.FilingRule(quarter_day=10, annual_month=2, annual_day=28))
    for bad in (rules.FilingRule(quarter_day=29), rules.FilingRule(annual_month=2, annual_day=29)):
        with pytest.raises(RuleViolation):
            rules.check_filing_rule(bad)
