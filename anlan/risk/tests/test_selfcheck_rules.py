"""The self-inspection rules: periods (weeks from Monday, months to their last day), the periods due in a window,
those missing given the run days, the compliance rate, the suggested frequency by risk level, the run day's
bounds — tables on both sides of every boundary and properties over ranges of days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.core.rules import RuleViolation
from anlan.risk import rules
from anlan.risk.rules import Period

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
frequencies = st.sampled_from(["daily", "weekly", "monthly"])


@pytest.mark.parametrize(
    ("frequency", "day", "period"),
    [
        ("daily", date(2026, 3, 4), (date(2026, 3, 4), date(2026, 3, 4))),
        # 2026-03-01 is a Sunday: the last day of the week that began on Monday 23 February.
        ("weekly", date(2026, 3, 1), (date(2026, 2, 23), date(2026, 3, 1))),
        ("weekly", date(2026, 3, 2), (date(2026, 3, 2), date(2026, 3, 8))),
        ("weekly", date(2026, 12, 31), (date(2026, 12, 28), date(2027, 1, 3))),
        ("monthly", date(2026, 2, 28), (date(2026, 2, 1), date(2026, 2, 28))),
        ("monthly", date(2026, 3, 1), (date(2026, 3, 1), date(2026, 3, 31))),
        ("monthly", date(2028, 2, 29), (date(2028, 2, 1), date(2028, 2, 29))),
        ("monthly", date(2026, 4, 30), (date(2026, 4, 1), date(2026, 4, 30))),
        ("monthly", date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
    ],
    ids=[
        "a-day-is-its-own-period",
        "sunday-ends-the-week",
        "monday-begins-the-next-week",
        "a-week-across-the-year-end",
        "february-ends-on-the-28th",
        "march-begins-on-the-1st",
        "a-leap-february-ends-on-the-29th",
        "april-has-30-days",
        "december-ends-on-the-31st",
    ],
)
def test_the_period_containing_a_day(frequency, day, period):
    assert rules.period_of(frequency, day) == Period(*period)


@given(frequencies, days)
def test_every_day_lies_in_its_period_and_the_next_period_begins_the_day_after(frequency, day):
    period = rules.period_of(frequency, day)
    assert day in period
    following = rules.period_of(frequency, period.end + timedelta(days=1))
    assert following.start == period.end + timedelta(days=1)
    if frequency == "weekly":
        assert period.start.weekday() == 0 and period.end.weekday() == 6


def test_an_unknown_frequency_is_a_value_error():
    with pytest.raises(ValueError):
        rules.period_of("hourly", date(2026, 1, 1))
    with pytest.raises(ValueError):
        rules.due_periods("yearly", date(2026, 1, 1), date(2026, 2, 1))


@pytest.mark.parametrize(
    ("frequency", "start", "end", "expected"),
    [
        ("daily", date(2026, 3, 2), date(2026, 3, 4), 3),
        ("daily", date(2026, 3, 4), date(2026, 3, 3), 0),
        # Started on a Monday: that week is due once Sunday has ended.
        ("weekly", date(2026, 3, 2), date(2026, 3, 7), 0),
        ("weekly", date(2026, 3, 2), date(2026, 3, 8), 1),
        # Started on a Tuesday: the first week due is the next Monday's.
        ("weekly", date(2026, 3, 3), date(2026, 3, 8), 0),
        ("weekly", date(2026, 3, 3), date(2026, 3, 15), 1),
        ("monthly", date(2026, 2, 1), date(2026, 2, 27), 0),
        ("monthly", date(2026, 2, 1), date(2026, 2, 28), 1),
        ("monthly", date(2026, 2, 2), date(2026, 3, 31), 1),
        ("monthly", date(2026, 1, 1), date(2026, 12, 31), 12),
    ],
    ids=[
        "three-days",
        "an-empty-window",
        "a-week-not-yet-ended",
        "a-week-ended-on-sunday",
        "a-checklist-started-midweek-waits-for-monday",
        "the-next-whole-week",
        "february-before-its-last-day",
        "february-on-its-last-day",
        "started-on-the-2nd-waits-for-the-next-month",
        "a-whole-year",
    ],
)
def test_the_periods_due_in_a_window(frequency, start, end, expected):
    assert len(rules.due_periods(frequency, start, end)) == expected


@given(frequencies, days, st.integers(min_value=0, max_value=400))
def test_due_periods_are_whole_consecutive_and_inside_the_window(frequency, start, length):
    end = start + timedelta(days=length)
    periods = rules.due_periods(frequency, start, end)
    for period in periods:
        assert start <= period.start <= period.end <= end
        assert rules.period_of(frequency, period.start) == period
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert later.start == earlier.end + timedelta(days=1)
    if frequency == "daily":
        assert len(periods) == length + 1


@given(frequencies, days, st.integers(min_value=0, max_value=200), st.lists(st.integers(0, 200), max_size=40))
def test_missing_and_done_periods_add_up_to_the_due_ones(frequency, start, length, offsets):
    end = start + timedelta(days=length)
    run_days = [start + timedelta(days=o) for o in offsets if o <= length]
    result = rules.compliance(frequency, start, end, run_days)
    due = rules.due_periods(frequency, start, end)
    assert result.due == len(due) == result.done + result.missing
    assert result.missing == len(rules.missing_periods(frequency, start, end, run_days))
    if result.due:
        assert 0 <= result.rate <= 100
    else:
        assert result.rate is None


def test_two_runs_in_one_week_count_once_and_a_run_on_sunday_covers_its_week():
    start, end = date(2026, 3, 2), date(2026, 3, 15)  # two whole weeks
    result = rules.compliance("weekly", start, end, [date(2026, 3, 2), date(2026, 3, 8)])
    assert (result.due, result.done, result.missing) == (2, 1, 1)
    assert rules.missing_periods("weekly", start, end, [date(2026, 3, 8)]) == [
        Period(date(2026, 3, 9), date(2026, 3, 15))
    ]
    # The Monday after is the next week's run, not the first week's.
    assert rules.missing_periods("weekly", start, end, [date(2026, 3, 9)]) == [
        Period(date(2026, 3, 2), date(2026, 3, 8))
    ]


def test_a_run_on_the_last_day_of_the_month_covers_it_and_the_first_of_the_next_does_not():
    start, end = date(2026, 1, 1), date(2026, 2, 28)
    assert rules.missing_periods("monthly", start, end, [date(2026, 1, 31)]) == [
        Period(date(2026, 2, 1), date(2026, 2, 28))
    ]
    assert rules.missing_periods("monthly", start, end, [date(2026, 2, 1)]) == [
        Period(date(2026, 1, 1), date(2026, 1, 31))
    ]


@pytest.mark.parametrize(
    ("done", "due", "rate"),
    [(0, 0, None), (0, 4, "0.0"), (1, 3, "33.3"), (2, 3, "66.7"), (4, 4, "100.0")],
)
def test_the_compliance_rate(done, due, rate):
    assert rules.compliance_rate(done, due) == (None if rate is None else rules.Decimal(rate))


@pytest.mark.parametrize(("done", "due"), [(-1, 2), (3, 2), (0, -1)])
def test_an_impossible_rate_is_a_value_error(done, due):
    with pytest.raises(ValueError):
        rules.compliance_rate(done, due)


@pytest.mark.parametrize(
    ("level", "frequency"),
    [("major", "daily"), ("significant", "daily"), ("general", "weekly"), ("low", "monthly")],
)
def test_the_frequency_suggested_by_risk_level_is_anlans_default(level, frequency):
    assert rules.suggested_frequency(level) == frequency


def test_a_county_may_suggest_other_frequencies_and_an_unknown_level_is_a_value_error():
    table = {"major": "daily", "significant": "weekly", "general": "monthly", "low": "monthly"}
    assert rules.suggested_frequency("significant", table) == "weekly"
    with pytest.raises(ValueError):
        rules.suggested_frequency("red")


@pytest.mark.parametrize(
    ("frequency", "level", "below"),
    [
        ("weekly", "major", True),
        ("daily", "major", False),
        ("monthly", "general", True),
        ("weekly", "general", False),
        ("daily", "low", False),
        ("monthly", None, False),
    ],
)
def test_a_frequency_below_the_suggestion(frequency, level, below):
    assert rules.below_suggestion(frequency, level) is below


def test_a_run_today_is_accepted_and_tomorrow_is_a_future_period():
    today = date(2026, 3, 31)
    rules.check_run_day(today, today, date(2026, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        rules.check_run_day(today + timedelta(days=1), today, date(2026, 3, 1))
    assert refused.value.code == rules.SelfcheckCode.RUN_IN_FUTURE and refused.value.field == "done_on"


def test_a_run_on_the_day_the_checklist_starts_is_accepted_and_the_day_before_is_not():
    starts = date(2026, 3, 10)
    rules.check_run_day(starts, date(2026, 3, 20), starts)
    with pytest.raises(RuleViolation) as refused:
        rules.check_run_day(starts - timedelta(days=1), date(2026, 3, 20), starts)
    assert refused.value.code == rules.SelfcheckCode.RUN_BEFORE_CHECKLIST


def test_items_are_typed_one_a_line_with_their_basis_after_a_bar():
    text = "灭火器在有效期内 | GB 50140\n\n  通道畅通 ｜ 消防法第二十八条 \n灭火器在有效期内\n无依据的项目"
    assert rules.parse_items(text) == [
        ("灭火器在有效期内", "GB 50140"),
        ("通道畅通", "消防法第二十八条"),
        ("无依据的项目", ""),
    ]


@pytest.mark.parametrize(
    ("frequency", "today", "soon"),
    [
        ("daily", date(2026, 3, 4), True),
        ("weekly", date(2026, 3, 2), True),
        ("monthly", date(2026, 3, 24), False),  # March ends on a Tuesday, the week after
        ("monthly", date(2026, 3, 30), True),
        # February 2026 ends on Saturday the 28th: due from the Monday of its week, not the Sunday before.
        ("monthly", date(2026, 2, 22), False),
        ("monthly", date(2026, 2, 23), True),
    ],
)
def test_a_period_due_this_week(frequency, today, soon):
    assert rules.due_soon(frequency, today) is soon
