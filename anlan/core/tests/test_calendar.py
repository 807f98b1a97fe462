"""The working-day calendar: the pure counting rule, the shipped 2026 data, and a missing year as an error."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from anlan.core import calendar, rules
from anlan.core.errors import DomainError, ErrorCode
from anlan.core.models import CalendarDay, CalendarYear

# The 2026 notice's 国庆 and its make-up days, enough for the pure rule's tests.
NATIONAL_DAY = {date(2026, 10, d) for d in range(1, 8)}
MAKEUP = {date(2026, 9, 20), date(2026, 10, 10)}


def add(start, n, holidays=frozenset(), workdays=frozenset()):
    return rules.add_working_days(start, n, holidays=holidays, workdays=workdays)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(
            date(2026, 3, 2), 1, date(2026, 3, 3), id="monday-plus-one-is-tuesday-start-not-counted"
        ),
        pytest.param(date(2026, 3, 6), 1, date(2026, 3, 9), id="friday-plus-one-skips-the-weekend"),
        pytest.param(date(2026, 3, 7), 1, date(2026, 3, 9), id="saturday-start-counts-from-monday"),
        pytest.param(date(2026, 3, 6), 3, date(2026, 3, 11), id="friday-plus-three-is-wednesday"),
        pytest.param(date(2026, 3, 2), 0, date(2026, 3, 2), id="zero-days-is-the-start"),
        pytest.param(date(2026, 3, 2), 5, date(2026, 3, 9), id="five-days-is-a-week"),
    ],
)
def test_plain_weeks_count_monday_to_friday_from_the_day_after_the_start(start, n, expected):
    assert add(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 9, 29), 1, date(2026, 9, 30), id="day-before-the-holiday-still-a-workday"),
        pytest.param(date(2026, 9, 30), 1, date(2026, 10, 8), id="the-holiday-is-skipped-whole"),
        pytest.param(date(2026, 10, 7), 1, date(2026, 10, 8), id="last-holiday-day-start-gives-the-next-day"),
        pytest.param(date(2026, 9, 28), 3, date(2026, 10, 8), id="span-over-the-holiday"),
    ],
)
def test_a_deadline_across_national_day_skips_the_holidays(start, n, expected):
    assert add(start, n, NATIONAL_DAY, MAKEUP) == expected


def test_a_make_up_saturday_is_a_working_day_and_an_ordinary_saturday_is_not():
    friday = date(2026, 10, 9)
    assert add(friday, 1, NATIONAL_DAY, MAKEUP) == date(2026, 10, 10)  # 调休上班 Saturday
    assert add(friday, 1, NATIONAL_DAY, set()) == date(2026, 10, 12)  # without it: Monday
    assert add(date(2026, 9, 18), 1, NATIONAL_DAY, MAKEUP) == date(
        2026, 9, 20
    )  # make-up Sunday after a rest Saturday


def test_a_deadline_across_the_year_end_skips_new_year():
    new_year = {date(2027, 1, 1)}
    assert add(date(2026, 12, 30), 1, new_year) == date(2026, 12, 31)
    assert add(date(2026, 12, 31), 1, new_year) == date(2027, 1, 4)


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(rules.RuleViolation) as caught:
        add(date(2026, 3, 2), -1)
    assert caught.value.code == ErrorCode.WORKING_DAYS_NEGATIVE


@pytest.mark.parametrize(
    "start", [date(2026, 9, 25), date(2026, 10, 3), date(2026, 10, 9), date(2026, 12, 24)]
)
def test_working_days_between_is_the_inverse_of_add_working_days(start):
    for n in range(0, 25):
        end = add(start, n, NATIONAL_DAY, MAKEUP)
        assert rules.working_days_between(start, end, holidays=NATIONAL_DAY, workdays=MAKEUP) == n


def test_working_days_between_excludes_the_start_and_includes_the_end():
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    assert rules.working_days_between(monday, tuesday, holidays=(), workdays=()) == 1
    assert rules.working_days_between(monday, monday, holidays=(), workdays=()) == 0
    assert rules.working_days_between(tuesday, monday, holidays=(), workdays=()) == 0


# ---------------------------------------------------------------- the service and the shipped data


@pytest.mark.django_db
def test_2026_is_shipped_from_the_state_council_notice():
    year = CalendarYear.objects.get(year=2026)
    assert "国务院办公厅关于2026年部分节假日安排的通知" in year.source
    assert year.published_on == date(2025, 11, 4)
    workdays = set(year.days.filter(kind=CalendarDay.Kind.MAKEUP_WORKDAY).values_list("date", flat=True))
    assert workdays == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
    assert year.days.filter(kind=CalendarDay.Kind.HOLIDAY).count() == 33


@pytest.mark.django_db
def test_the_service_counts_with_the_shipped_year():
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)  # make-up Saturday
    assert calendar.add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)  # 春节 15–23
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert calendar.is_working_day(date(2026, 10, 10)) is True


@pytest.mark.django_db
def test_a_span_reaching_a_year_without_data_is_an_error_naming_that_year():
    assert calendar.add_working_days(date(2026, 12, 30), 1) == date(2026, 12, 31)
    with pytest.raises(DomainError) as caught:
        calendar.add_working_days(date(2026, 12, 30), 2)
    assert caught.value.code == ErrorCode.CALENDAR_YEAR_MISSING
    assert "2027" in str(caught.value.message)
    with pytest.raises(DomainError) as caught:
        calendar.add_working_days(date(2025, 12, 30), 1)
    assert "2025" in str(caught.value.message)
    with pytest.raises(DomainError):
        calendar.working_days_between(date(2026, 12, 1), date(2027, 1, 5))


def year_file(tmp_path, data):
    path = tmp_path / "year.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# Test data only (not the 2027 notice): a year whose New Year holiday is 1 January alone.
TEST_2027 = {
    "year": 2027,
    "source": "测试数据",
    "days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}],
}


@pytest.mark.django_db
def test_a_county_imports_a_year_with_the_command_and_deadlines_cross_into_it(tmp_path):
    call_command("anlan_calendar", "import", str(year_file(tmp_path, TEST_2027)))
    assert calendar.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)
    call_command("anlan_calendar", "import", str(year_file(tmp_path, {**TEST_2027, "days": []})))
    assert CalendarDay.objects.filter(date__year=2027).count() == 0  # a re-import replaces the year
    assert calendar.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "days",
    [
        pytest.param([{"date": "2027-01-04", "kind": "makeup_workday"}], id="make-up-day-on-a-monday"),
        pytest.param([{"date": "2027-01-01", "kind": "party"}], id="unknown-kind"),
        pytest.param([{"date": "2027-13-01", "kind": "holiday"}], id="no-such-date"),
        pytest.param([{"date": "2026-10-01", "kind": "holiday"}] * 2, id="a-day-twice"),
    ],
)
def test_the_import_refuses_bad_data_and_changes_nothing(tmp_path, days):
    with pytest.raises(CommandError):
        call_command("anlan_calendar", "import", str(year_file(tmp_path, {**TEST_2027, "days": days})))
    assert not CalendarYear.objects.filter(year=2027).exists()
