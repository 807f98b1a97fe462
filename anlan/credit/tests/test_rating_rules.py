"""The five-colour rating as pure rules: every criterion alone on each side of its boundary, precedence, the
green conditions, the county's configuration, and (Hypothesis) the worst applicable colour always wins."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anlan.credit import rules
from anlan.credit.rules import RatingConfig, RatingFacts, five_colour_rating

TODAY = date(2026, 12, 4)
YEAR_AGO = date(2025, 12, 4)  # recent_since(TODAY): outside; the day after: inside
THREE_YEARS_AGO = date(2023, 12, 4)
LOW = RatingFacts(risk_level="low", selfcheck_missing=0)


def colour(facts, config=rules.DEFAULT_CONFIG, today=TODAY):
    return five_colour_rating(facts, config, today=today).colour


def codes(facts, config=rules.DEFAULT_CONFIG, today=TODAY):
    return [r.code for r in five_colour_rating(facts, config, today=today).reasons]


def test_a_low_risk_enterprise_with_nothing_against_it_is_blue():
    result = five_colour_rating(LOW, today=TODAY)
    assert result.colour == "blue"
    assert [r.code for r in result.reasons] == ["risk_low"]
    assert "低风险" in result.reasons[0].text


@pytest.mark.parametrize(
    ("level", "expected"),
    [("major", "red"), ("significant", "orange"), ("general", "yellow"), ("low", "blue")],
    ids=["major-red", "significant-orange", "general-yellow", "low-blue"],
)
def test_the_highest_risk_level_alone_gives_its_colour(level, expected):
    assert colour(replace(LOW, risk_level=level)) == expected


def test_a_dishonest_listed_enterprise_is_red():
    assert colour(replace(LOW, dishonest=True)) == "red"
    assert codes(replace(LOW, dishonest=True)) == ["dishonest"]


def test_a_relatively_major_accident_inside_twelve_months_is_red_and_the_reason_says_when():
    day = YEAR_AGO + timedelta(days=1)
    result = five_colour_rating(replace(LOW, accidents=((day, "relatively_major", 1),)), today=TODAY)
    assert result.colour == "red"
    assert result.reasons[0].text == "近12个月发生较大事故1起（2025-12-05）"


def test_a_relatively_major_accident_exactly_twelve_months_ago_is_outside_the_window():
    facts = replace(LOW, accidents=((YEAR_AGO, "relatively_major", 1),))
    assert "serious_accident" not in codes(facts)
    assert "accident" not in codes(facts)
    # Still inside three years: blue, not green.
    assert colour(replace(facts, standardisation_grade="2")) == "blue"


def test_an_accident_today_counts_and_one_tomorrow_does_not():
    assert colour(replace(LOW, accidents=((TODAY, "ordinary", 1),))) == "orange"
    assert colour(replace(LOW, accidents=((TODAY + timedelta(days=1), "ordinary", 1),))) == "blue"


@pytest.mark.parametrize(
    ("day", "expected"),
    [(YEAR_AGO, "blue"), (YEAR_AGO + timedelta(days=1), "orange")],
    ids=["twelve-months-ago-outside", "day-after-inside"],
)
def test_an_ordinary_accident_is_orange_inside_twelve_months_only(day, expected):
    assert colour(replace(LOW, accidents=((day, "ordinary", 1),))) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(YEAR_AGO, "blue"), (YEAR_AGO + timedelta(days=1), "orange")],
    ids=["twelve-months-ago-outside", "day-after-inside"],
)
def test_an_administrative_penalty_is_orange_inside_twelve_months_only(day, expected):
    assert colour(replace(LOW, penalties=((day, 2),))) == expected


def test_the_penalty_reason_gives_the_count_and_the_days():
    result = five_colour_rating(replace(LOW, penalties=((date(2026, 3, 1), 2),)), today=TODAY)
    assert result.reasons[0].text == "近12个月受到行政处罚2次（2026-03-01）"


@pytest.mark.parametrize(("count", "expected"), [(0, "blue"), (1, "red")], ids=["none", "one"])
def test_an_overdue_major_hazard_is_red(count, expected):
    facts = replace(LOW, overdue_major_hazards=count, open_major_hazards=count)
    assert colour(facts) == expected


@pytest.mark.parametrize(("count", "expected"), [(0, "blue"), (1, "orange")], ids=["none", "one"])
def test_an_open_major_hazard_not_yet_overdue_is_orange(count, expected):
    assert colour(replace(LOW, open_major_hazards=count)) == expected


@pytest.mark.parametrize(("count", "expected"), [(1, "blue"), (2, "yellow")], ids=["below", "at-threshold"])
def test_overdue_ordinary_hazards_are_yellow_from_the_county_threshold(count, expected):
    config = RatingConfig(overdue_hazards_threshold=2)
    assert colour(replace(LOW, overdue_ordinary_hazards=count), config) == expected


def test_one_overdue_ordinary_hazard_is_yellow_by_default():
    assert colour(replace(LOW, overdue_ordinary_hazards=0)) == "blue"
    assert colour(replace(LOW, overdue_ordinary_hazards=1)) == "yellow"


@pytest.mark.parametrize(("missing", "expected"), [(0, "blue"), (1, "yellow")], ids=["none", "one"])
def test_missing_self_inspection_periods_are_yellow(missing, expected):
    assert colour(replace(LOW, selfcheck_missing=missing)) == expected


def test_no_self_inspection_record_says_so_only_when_the_county_asks():
    facts = replace(LOW, selfcheck_missing=None)
    assert colour(facts) == "blue"
    assert colour(facts, RatingConfig(yellow_selfcheck_unrecorded=True)) == "yellow"
    assert codes(facts, RatingConfig(yellow_selfcheck_unrecorded=True)) == ["selfcheck_unrecorded"]


def test_green_needs_a_current_standardisation_grade():
    assert colour(replace(LOW, standardisation_grade=None)) == "blue"
    assert colour(replace(LOW, standardisation_grade="3")) == "green"


@pytest.mark.parametrize(
    ("day", "expected"),
    [(THREE_YEARS_AGO, "green"), (THREE_YEARS_AGO + timedelta(days=1), "blue")],
    ids=["three-years-ago-outside", "day-after-inside"],
)
def test_green_needs_no_accident_in_three_years(day, expected):
    facts = replace(LOW, standardisation_grade="2", accidents=((day, "ordinary", 1),))
    assert colour(facts) == expected


@pytest.mark.parametrize(
    ("last_overdue_on", "expected"),
    [(None, "green"), (THREE_YEARS_AGO, "green"), (THREE_YEARS_AGO + timedelta(days=1), "blue")],
    ids=["never", "three-years-ago-outside", "day-after-inside"],
)
def test_green_needs_no_hazard_overdue_in_three_years(last_overdue_on, expected):
    facts = replace(LOW, standardisation_grade="1", last_overdue_on=last_overdue_on)
    assert colour(facts) == expected


def test_green_can_be_switched_off_by_the_county():
    facts = replace(LOW, standardisation_grade="1")
    assert colour(facts, RatingConfig(green_enabled=False)) == "blue"


def test_a_criterion_switched_off_by_the_county_gives_no_reason():
    assert colour(replace(LOW, penalties=((TODAY, 1),)), RatingConfig(orange_penalty=False)) == "blue"
    assert colour(replace(LOW, dishonest=True), RatingConfig(red_dishonest=False)) == "blue"


def test_a_county_window_of_six_months_moves_the_boundary():
    config = RatingConfig(recent_months=6)
    assert rules.recent_since(TODAY, config) == date(2026, 6, 4)
    assert colour(replace(LOW, penalties=((date(2026, 6, 4), 1),)), config) == "blue"
    assert colour(replace(LOW, penalties=((date(2026, 6, 5), 1),)), config) == "orange"


def test_the_worst_colour_wins_and_every_reason_is_listed_worst_first():
    facts = RatingFacts(
        risk_level="general",
        penalties=((TODAY, 1),),
        overdue_major_hazards=1,
        open_major_hazards=1,
        overdue_ordinary_hazards=3,
        selfcheck_missing=2,
    )
    result = five_colour_rating(facts, today=TODAY)
    assert result.colour == "red"
    assert [r.colour for r in result.reasons] == ["red", "orange", "orange", "yellow", "yellow", "yellow"]


def test_the_risk_reason_says_where_the_level_came_from():
    from_register = five_colour_rating(replace(LOW, risk_level="major", risk_from_register=True), today=TODAY)
    derived = five_colour_rating(replace(LOW, risk_level="major"), today=TODAY)
    assert "风险分级管控台账" in from_register.reasons[0].text
    assert "登记信息推定" in derived.reasons[0].text


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 2, 29), -12, date(2023, 2, 28)),
        (TODAY, -36, THREE_YEARS_AGO),
    ],
    ids=["short-month", "leap-day", "three-years"],
)
def test_months_are_counted_to_the_same_calendar_day(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("due_on", "closed_on", "expected"),
    [
        (TODAY, None, None),  # due today: not yet overdue
        (TODAY - timedelta(days=1), None, TODAY),  # open and overdue: overdue today
        (date(2024, 1, 1), date(2024, 1, 1), None),  # closed on its due date: never overdue
        (date(2024, 1, 1), date(2024, 2, 1), date(2024, 2, 1)),  # closed late: overdue up to its closing day
    ],
    ids=["due-today", "open-overdue", "closed-on-time", "closed-late"],
)
def test_the_last_day_a_hazard_was_overdue(due_on, closed_on, expected):
    assert rules.last_overdue_day(due_on, closed_on, TODAY) == expected


def test_an_unknown_risk_level_or_a_window_out_of_range_is_refused():
    with pytest.raises(ValueError):
        RatingFacts(risk_level="high")
    with pytest.raises(ValueError):
        RatingConfig(recent_months=0)
    with pytest.raises(ValueError):
        RatingConfig(overdue_hazards_threshold=0)


# ---------------------------------------------------------------- property: the worst applicable colour wins

days = st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 1, 1))
facts_strategy = st.builds(
    RatingFacts,
    risk_level=st.sampled_from(rules.RISK_LEVELS),
    risk_from_register=st.booleans(),
    dishonest=st.booleans(),
    accidents=st.lists(
        st.tuples(days, st.sampled_from(sorted(rules.ACCIDENT_GRADE_NAMES)), st.integers(1, 3)), max_size=3
    ).map(tuple),
    penalties=st.lists(st.tuples(days, st.integers(1, 3)), max_size=3).map(tuple),
    open_major_hazards=st.integers(0, 3),
    overdue_major_hazards=st.integers(0, 3),
    overdue_ordinary_hazards=st.integers(0, 5),
    last_overdue_on=st.one_of(st.none(), days),
    selfcheck_missing=st.one_of(st.none(), st.integers(0, 5)),
    standardisation_grade=st.sampled_from([None, "1", "2", "3"]),
)
config_strategy = st.builds(
    RatingConfig,
    red_major_risk=st.booleans(),
    red_dishonest=st.booleans(),
    orange_penalty=st.booleans(),
    yellow_selfcheck_unrecorded=st.booleans(),
    green_enabled=st.booleans(),
    recent_months=st.integers(1, 36),
    clean_years=st.integers(1, 5),
    overdue_hazards_threshold=st.integers(1, 4),
)


def _oracle(f: RatingFacts, c: RatingConfig, today: date) -> str:
    """The colour written out independently, criterion by criterion."""
    recent = rules.add_months(today, -c.recent_months)
    clean = rules.add_months(today, -12 * c.clean_years)
    recent_acc = [a for a in f.accidents if recent < a[0] <= today]
    if (
        (c.red_major_risk and f.risk_level == "major")
        or (c.red_dishonest and f.dishonest)
        or (c.red_serious_accident and any(a[1] != "ordinary" for a in recent_acc))
        or (c.red_overdue_major_hazard and f.overdue_major_hazards)
    ):
        return "red"
    if (
        (c.orange_significant_risk and f.risk_level == "significant")
        or (c.orange_open_major_hazard and f.open_major_hazards)
        or (c.orange_accident and recent_acc)
        or (c.orange_penalty and any(recent < p[0] <= today for p in f.penalties))
    ):
        return "orange"
    if (
        (c.yellow_general_risk and f.risk_level == "general")
        or (c.yellow_overdue_hazards and f.overdue_ordinary_hazards >= c.overdue_hazards_threshold)
        or (f.selfcheck_missing is None and c.yellow_selfcheck_unrecorded)
        or (
            f.selfcheck_missing is not None
            and c.yellow_selfcheck_missing
            and f.selfcheck_missing >= c.selfcheck_missing_threshold
        )
    ):
        return "yellow"
    clean_acc = [a for a in f.accidents if clean < a[0] <= today]
    if (
        c.green_enabled
        and f.standardisation_grade
        and not clean_acc
        and not (f.last_overdue_on and f.last_overdue_on > clean)
    ):
        return "green"
    return "blue"


@settings(deadline=None)
@given(facts=facts_strategy, config=config_strategy, today=st.dates(date(2025, 1, 1), date(2027, 1, 1)))
def test_the_colour_is_always_the_worst_applicable_one(facts, config, today):
    result = five_colour_rating(facts, config, today=today)
    assert result.colour == _oracle(facts, config, today)
    assert result.colour == max((r.colour for r in result.reasons), key=rules.SEVERITY.__getitem__)
    assert all(r.colour == rules.REASON_COLOURS[r.code] for r in result.reasons)
