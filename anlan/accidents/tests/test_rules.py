"""The 493号令 rules at every boundary: grades (第三条), deadlines (第九、十一条), the 续报/补报 window
(第十三条), investigation (第十九、二十九条) and the statistics wording."""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
    Criterion,
    Level,
    Trend,
    accident_grade,
    grade_criterion,
    investigation_due_on,
    report_deadline,
    supplement_window_days,
)

D = Decimal


@pytest.mark.parametrize(
    ("deaths", "grade"),
    [
        (0, ORDINARY),
        (2, ORDINARY),
        (3, RELATIVELY_MAJOR),
        (9, RELATIVELY_MAJOR),
        (10, MAJOR),
        (29, MAJOR),
        (30, EXTRAORDINARILY_SERIOUS),
        (300, EXTRAORDINARILY_SERIOUS),
    ],
    ids=lambda v: str(v),
)
def test_deaths_alone_grade_the_accident_at_the_legal_boundaries(deaths, grade):
    assert accident_grade(deaths, 0, D("0")) == grade


@pytest.mark.parametrize(
    ("serious", "grade"),
    [
        (9, ORDINARY),
        (10, RELATIVELY_MAJOR),
        (49, RELATIVELY_MAJOR),
        (50, MAJOR),
        (99, MAJOR),
        (100, EXTRAORDINARILY_SERIOUS),
    ],
    ids=lambda v: str(v),
)
def test_serious_injuries_alone_grade_the_accident_at_the_legal_boundaries(serious, grade):
    assert accident_grade(0, serious, D("0")) == grade


@pytest.mark.parametrize(
    ("loss", "grade"),
    [
        ("999.99", ORDINARY),
        ("1000", RELATIVELY_MAJOR),
        ("1000.00", RELATIVELY_MAJOR),
        ("4999.99", RELATIVELY_MAJOR),
        ("5000", MAJOR),
        ("9999.99", MAJOR),
        ("10000", EXTRAORDINARILY_SERIOUS),
        ("999.999999", ORDINARY),
    ],
    ids=lambda v: str(v),
)
def test_direct_loss_alone_grades_the_accident_at_the_legal_boundaries(loss, grade):
    assert accident_grade(0, 0, D(loss)) == grade


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "grade", "criterion"),
    [
        (2, 9, "999.99", ORDINARY, Criterion.NONE),
        (3, 9, "999.99", RELATIVELY_MAJOR, Criterion.DEATHS),
        (2, 50, "999.99", MAJOR, Criterion.SERIOUS_INJURIES),
        (2, 9, "10000", EXTRAORDINARILY_SERIOUS, Criterion.DIRECT_LOSS),
        (10, 10, "1000", MAJOR, Criterion.DEATHS),
        (3, 100, "5000", EXTRAORDINARILY_SERIOUS, Criterion.SERIOUS_INJURIES),
        (29, 99, "9999.99", MAJOR, Criterion.DEATHS),
        (0, 0, "5000", MAJOR, Criterion.DIRECT_LOSS),
    ],
)
def test_the_highest_grade_any_criterion_reaches_wins_and_names_its_criterion(
    deaths, serious, loss, grade, criterion
):
    assert accident_grade(deaths, serious, D(loss)) == grade
    assert grade_criterion(deaths, serious, D(loss)) == criterion


def test_all_criteria_reaching_the_grade_are_listed():
    assert rules.grade_with_criteria(3, 10, D("1000")) == (
        RELATIVELY_MAJOR,
        (Criterion.DEATHS, Criterion.SERIOUS_INJURIES, Criterion.DIRECT_LOSS),
    )


def test_negative_figures_are_refused():
    with pytest.raises(ValueError):
        accident_grade(-1, 0, D("0"))
    with pytest.raises(ValueError):
        accident_grade(0, 0, D("-0.01"))


counts = st.integers(min_value=0, max_value=500)
losses = st.decimals(min_value=0, max_value=20000, places=2, allow_nan=False, allow_infinity=False)


@given(counts, counts, losses, counts, counts, losses)
def test_the_grade_never_falls_when_any_figure_rises(d, s, loss, dd, ds, dloss):
    before = rules.GRADE_RANK[accident_grade(d, s, loss)]
    after = rules.GRADE_RANK[accident_grade(d + dd, s + ds, loss + dloss)]
    assert after >= before


@given(counts, counts, losses)
def test_the_grade_is_the_maximum_of_the_three_single_criterion_grades(d, s, loss):
    singles = [accident_grade(d, 0, D(0)), accident_grade(0, s, D(0)), accident_grade(0, 0, loss)]
    assert rules.GRADE_RANK[accident_grade(d, s, loss)] == max(rules.GRADE_RANK[g] for g in singles)


@pytest.mark.parametrize(
    ("grade", "levels"),
    [
        (ORDINARY, (Level.COUNTY, Level.CITY)),
        (RELATIVELY_MAJOR, (Level.COUNTY, Level.CITY, Level.PROVINCE)),
        (MAJOR, (Level.COUNTY, Level.CITY, Level.PROVINCE, Level.STATE_COUNCIL)),
        (EXTRAORDINARILY_SERIOUS, (Level.COUNTY, Level.CITY, Level.PROVINCE, Level.STATE_COUNCIL)),
    ],
)
def test_each_grade_is_reported_up_to_the_level_article_10_requires(grade, levels):
    assert rules.required_report_levels(grade) == levels


AT = datetime(2026, 3, 1, 8, 0)


def test_the_unit_has_one_hour_and_each_authority_two():
    assert report_deadline(AT, "unit") == AT + timedelta(hours=1)
    assert report_deadline(AT, "authority") == AT + timedelta(hours=2)
    with pytest.raises(ValueError):
        report_deadline(AT, "town")


@pytest.mark.parametrize(
    ("received_after", "late"),
    [
        (timedelta(minutes=59, seconds=59), False),
        (timedelta(hours=1), False),
        (timedelta(hours=1, seconds=1), True),
    ],
    ids=["59:59", "exactly 60 minutes", "60 minutes and 1 second"],
)
def test_a_report_received_exactly_at_the_limit_is_on_time_and_one_second_later_is_late(received_after, late):
    due = report_deadline(AT, "unit")
    assert rules.report_is_late(due, AT + received_after, now=AT + timedelta(days=1)) is late


def test_an_unreceived_report_is_late_only_once_its_deadline_has_passed():
    due = report_deadline(AT, "authority")
    assert rules.report_is_late(due, None, now=due) is False
    assert rules.report_is_late(due, None, now=due + timedelta(seconds=1)) is True


@pytest.mark.parametrize(
    ("kind", "days"), [("road_traffic", 7), ("fire", 7), ("industrial", 30), ("other", 30)]
)
def test_the_window_is_seven_days_for_road_traffic_and_fire_and_thirty_otherwise(kind, days):
    assert supplement_window_days(kind) == days


@pytest.mark.parametrize(
    ("kind", "day", "inside"),
    [
        ("industrial", 30, True),
        ("industrial", 31, False),
        ("road_traffic", 7, True),
        ("road_traffic", 8, False),
        ("fire", 7, True),
        ("fire", 8, False),
        ("industrial", 0, True),
    ],
    ids=lambda v: str(v),
)
def test_the_window_ends_with_day_n_after_the_accident_day_which_is_not_counted(kind, day, inside):
    occurred = date(2026, 1, 31)
    assert rules.within_supplement_window(occurred, kind, occurred + timedelta(days=day)) is inside


def test_investigation_is_due_sixty_days_after_the_accident_plus_at_most_sixty_more():
    assert investigation_due_on(date(2026, 1, 1)) == date(2026, 3, 2)
    assert investigation_due_on(date(2026, 1, 1), extended_days=60) == date(2026, 5, 1)
    with pytest.raises(ValueError):
        investigation_due_on(date(2026, 1, 1), extended_days=61)
    with pytest.raises(ValueError):
        investigation_due_on(date(2026, 1, 1), extended_days=-1)


@pytest.mark.parametrize(
    ("grade", "level"),
    [
        (ORDINARY, Level.COUNTY),
        (RELATIVELY_MAJOR, Level.CITY),
        (MAJOR, Level.PROVINCE),
        (EXTRAORDINARILY_SERIOUS, Level.STATE_COUNCIL),
    ],
)
def test_the_investigation_is_led_by_the_level_article_19_assigns(grade, level):
    assert rules.investigation_level(grade) == level


def test_only_an_ordinary_accident_without_casualties_may_be_delegated_to_the_unit():
    assert rules.investigation_may_be_delegated_to_unit(ORDINARY, 0, 0)
    assert not rules.investigation_may_be_delegated_to_unit(ORDINARY, 1, 0)
    assert not rules.investigation_may_be_delegated_to_unit(RELATIVELY_MAJOR, 0, 0)


@pytest.mark.parametrize(
    ("trends", "text"),
    [
        ([Trend.DOWN, Trend.DOWN, Trend.DOWN, Trend.FLAT], "三降一平"),
        ([Trend.DOWN, Trend.UP, Trend.DOWN, Trend.UP], "两降两升"),
        ([Trend.DOWN] * 4, "四下降"),
        ([Trend.UP] * 4, "四上升"),
        ([Trend.FLAT] * 4, "四持平"),
        ([Trend.DOWN, Trend.FLAT, Trend.UP, Trend.UP], "一降一平两升"),
    ],
)
def test_the_four_indicators_are_summed_up_in_the_usual_words(trends, text):
    assert rules.four_indicator_summary(trends) == text


def test_double_decline_needs_both_accidents_and_deaths_down():
    assert rules.double_decline(9, 10, 4, 5)
    assert not rules.double_decline(9, 10, 5, 5)
    assert not rules.double_decline(10, 10, 4, 5)


def test_relative_indicators_divide_by_gdp_and_employment():
    assert rules.deaths_per_100m_gdp(12, D("300")) == D("0.040")
    assert rules.deaths_per_100k_workers(3, 60000) == D("5.000")
    assert rules.deaths_per_100m_gdp(1, D("0")) is None
    assert rules.deaths_per_100k_workers(1, 0) is None


def test_the_same_period_last_year_of_29_february_is_28_february():
    assert rules.shift_year(date(2028, 2, 29)) == date(2027, 2, 28)
    assert rules.shift_year(date(2026, 6, 30)) == date(2025, 6, 30)
