"""Issue #14: the on-site review of a 复产 application after a 挂牌督办 halt (16号令 第二十三条)."""

from datetime import date, timedelta

import pytest

from anlan.core.rules import RuleViolation
from anlan.inspections import rules


@pytest.mark.parametrize(
    "received, due",
    [
        (date(2026, 3, 1), date(2026, 3, 11)),
        (date(2026, 2, 25), date(2026, 3, 7)),
        (date(2026, 12, 28), date(2027, 1, 7)),
    ],
)
def test_resumption_review_due(received, due):
    assert rules.resumption_review_due(received) == due


# ---------------------------------------------------------------- 双随机 publication (regulations.md §8)


class _Weekdays:
    """A calendar of plain weekdays (no holiday), standing in for core.calendar.Calendar."""

    def add_working_days(self, start, n):
        day = start
        while n:
            day += timedelta(days=1)
            n -= day.weekday() < 5
        return day


@pytest.mark.parametrize(
    "ended, days, working, due",
    [
        (date(2026, 3, 4), 20, False, date(2026, 3, 24)),
        (date(2026, 3, 4), 20, True, date(2026, 4, 1)),
        (date(2026, 3, 6), 1, True, date(2026, 3, 9)),  # Friday → Monday
        (date(2026, 3, 7), 1, True, date(2026, 3, 9)),  # Saturday → Monday: the end day never counts
        (date(2026, 3, 4), 0, True, date(2026, 3, 4)),
    ],
)
def test_publication_due(ended, days, working, due):
    assert rules.publication_due(ended, days=days, working_days=working, calendar=_Weekdays()) == due


def test_publication_days_are_not_negative():
    with pytest.raises(RuleViolation):
        rules.publication_due(date(2026, 3, 4), days=-1, working_days=False, calendar=_Weekdays())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ended, days, due",
    [
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # 国庆 1–7 October
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # the make-up Saturday works
        (date(2026, 3, 22), 20, date(2026, 4, 20)),  # 清明 Monday 6 April not counted
    ],
)
def test_publication_due_on_the_kernel_calendar(ended, days, due):
    from anlan.core.calendar import Calendar

    assert rules.publication_due(ended, days=days, working_days=True, calendar=Calendar()) == due


@pytest.mark.parametrize(
    "published, late", [(date(2026, 4, 1), False), (date(2026, 4, 2), True), (date(2026, 3, 20), False)]
)
def test_published_late_from_the_day_after_the_due_day(published, late):
    assert rules.published_late(published, date(2026, 4, 1)) is late


def test_nothing_is_late_without_a_due_day():
    assert rules.published_late(date(2026, 4, 2), None) is False
    assert rules.is_past_due(None, date(2026, 4, 2)) is False


@pytest.mark.parametrize(
    "recorded, ended",
    [
        ([date(2026, 3, 3), date(2026, 3, 5)], date(2026, 3, 5)),  # the last visit
        ([date(2026, 3, 3), None], date(2026, 3, 31)),  # one to go: the period's end
        ([date(2026, 3, 3), date(2026, 4, 2)], date(2026, 3, 31)),  # a late visit does not move it
        ([], date(2026, 3, 31)),
    ],
)
def test_inspection_ended_on(recorded, ended):
    assert rules.inspection_ended_on(recorded, date(2026, 3, 31)) == ended


@pytest.mark.parametrize(
    "approvers, index",
    [
        (["department", "leader"], 0),
        (["committee_office", "department", "leader"], 1),
        (["committee_office", "leader"], 0),
    ],
)
def test_the_review_step_is_the_first_department_step(approvers, index):
    assert rules.review_step_index(approvers) == index
