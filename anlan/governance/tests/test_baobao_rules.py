"""四级包保 rules at every boundary: the next visit's due day (never visited, visited on the due day, a day
late), overdue on both sides of the due day, the frequency's bounds and the visit date's bounds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from anlan.core.rules import RuleViolation
from anlan.governance import rules

START = date(2026, 1, 1)


def test_never_visited_the_first_visit_is_due_every_days_after_the_start():
    assert rules.baobao_visit_due(None, START, 30) == date(2026, 1, 31)


def test_a_visit_on_the_due_day_is_in_time_and_the_next_is_due_every_days_after_it():
    due = rules.baobao_visit_due(None, START, 30)
    assert not rules.baobao_visit_is_overdue(due, due)
    assert rules.baobao_visit_due(due, START, 30) == date(2026, 3, 2)


def test_a_visit_a_day_late_was_overdue_and_the_next_is_counted_from_the_late_visit():
    due = rules.baobao_visit_due(None, START, 30)
    late = due + timedelta(days=1)
    assert rules.baobao_visit_is_overdue(due, late)
    assert rules.baobao_days_overdue(due, late) == 1
    assert rules.baobao_visit_due(late, START, 30) == late + timedelta(days=30)


@pytest.mark.parametrize(
    "today, overdue, days",
    [(date(2026, 1, 30), False, 0), (date(2026, 1, 31), False, 0), (date(2026, 2, 1), True, 1)],
    ids=["day-before-due", "due-day", "day-after-due"],
)
def test_a_visit_is_overdue_only_from_the_day_after_its_due_day(today, overdue, days):
    due = date(2026, 1, 31)
    assert rules.baobao_visit_is_overdue(due, today) is overdue
    assert rules.baobao_days_overdue(due, today) == days


def test_a_visit_recorded_before_a_restart_counts_from_the_start():
    assert rules.baobao_visit_due(date(2025, 12, 20), START, 14) == date(2026, 1, 15)


@pytest.mark.parametrize(
    "level, days", [("county", 90), ("town", 30), ("village", 14), ("group", 7)], ids=str
)
def test_each_level_has_a_default_frequency(level, days):
    assert rules.baobao_default_every_days(level) == days


def test_every_level_in_the_choices_has_a_default_frequency():
    assert {code for code, _label in rules.BAOBAO_LEVELS} == set(rules.BAOBAO_VISIT_EVERY_DAYS)


@pytest.mark.parametrize(
    "every_days, ok", [(0, False), (1, True), (366, True), (367, False)], ids=["0", "1", "366", "367"]
)
def test_the_frequency_is_between_one_day_and_a_year(every_days, ok):
    if ok:
        rules.check_baobao_every_days(every_days)
    else:
        with pytest.raises(RuleViolation) as caught:
            rules.check_baobao_every_days(every_days)
        assert caught.value.field == "every_days"
        assert caught.value.code == rules.BaobaoCode.EVERY_DAYS


TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    "visited_on, code",
    [
        (START - timedelta(days=1), rules.BaobaoCode.VISIT_BEFORE_START),
        (START, None),
        (TODAY, None),
        (TODAY + timedelta(days=1), rules.BaobaoCode.VISIT_IN_FUTURE),
    ],
    ids=["before-start", "start-day", "today", "tomorrow"],
)
def test_a_visit_lies_between_the_start_and_today(visited_on, code):
    if code is None:
        rules.check_baobao_visit_on(visited_on, START, TODAY)
    else:
        with pytest.raises(RuleViolation) as caught:
            rules.check_baobao_visit_on(visited_on, START, TODAY)
        assert caught.value.code == code
        assert caught.value.field == "visited_on"
