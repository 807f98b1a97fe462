"""The certificate rules: core.rules.certificate_dates (30号令 第十九、二十一、二十二条) and certificate_exam_passed,
and the people part's readings of a certificate's dates on a day (state, held on a day), with each boundary on
both sides, leap days and the extension's three conditions one at a time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.core.rules import (
    RuleViolation,
    add_years,
    certificate_dates,
    certificate_exam_passed,
)
from anlan.risk import rules

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


# ---------------------------------------------------------------- certificate_dates


@pytest.mark.parametrize(
    ("issued_on", "valid_until", "review_due", "window_opens"),
    [
        (date(2026, 3, 15), date(2032, 3, 15), date(2029, 3, 15), date(2029, 1, 14)),
        (date(2024, 2, 29), date(2030, 2, 28), date(2027, 2, 28), date(2026, 12, 30)),
        (date(2023, 2, 28), date(2029, 2, 28), date(2026, 2, 28), date(2025, 12, 30)),
        (date(2025, 3, 1), date(2031, 3, 1), date(2028, 3, 1), date(2028, 1, 1)),
        (date(2026, 12, 31), date(2032, 12, 31), date(2029, 12, 31), date(2029, 11, 1)),
    ],
    ids=["ordinary", "leap-day-issue", "28-february", "1-march-before-a-leap-february", "year-end"],
)
def test_a_certificate_is_valid_six_years_reviewed_after_three_and_the_window_opens_sixty_days_before(
    issued_on, valid_until, review_due, window_opens
):
    dates = certificate_dates(issued_on)
    assert dates.valid_until == valid_until
    assert dates.review_due == review_due
    assert dates.review_interval_years == 3
    assert dates.review_window_opens == window_opens


@pytest.mark.parametrize(
    ("years", "compliant", "agrees", "interval"),
    [
        (10, True, True, 6),
        (25, True, True, 6),
        (9, True, True, 3),
        (10, False, True, 3),
        (10, True, False, 3),
        (0, True, True, 3),
        (0, True, False, 3),
    ],
    ids=["ten-years", "twenty-five", "nine-years", "not-compliant", "authority-disagrees", "new", "defaults"],
)
def test_the_review_is_every_six_years_only_when_all_three_conditions_hold(
    years, compliant, agrees, interval
):
    issued = date(2026, 5, 20)
    dates = certificate_dates(
        issued, continuous_years_same_trade=years, compliant=compliant, authority_agrees=agrees
    )
    assert dates.review_interval_years == interval
    assert dates.review_due == add_years(issued, interval)
    assert dates.valid_until == date(2032, 5, 20)


def test_an_extended_certificate_is_reviewed_with_its_renewal():
    dates = certificate_dates(date(2024, 2, 29), continuous_years_same_trade=12, authority_agrees=True)
    assert dates.review_due == dates.valid_until == date(2030, 2, 28)
    assert dates.review_window_opens == date(2029, 12, 30)


@pytest.mark.parametrize(
    ("issued_on", "kwargs"),
    [
        ("2026-01-01", {}),
        (datetime(2026, 1, 1, 8), {}),
        (None, {}),
        (date(2026, 1, 1), {"continuous_years_same_trade": -1}),
        (date(2026, 1, 1), {"continuous_years_same_trade": 10.5}),
        (date(2026, 1, 1), {"continuous_years_same_trade": True}),
        (date(2026, 1, 1), {"compliant": "yes"}),
        (date(2026, 1, 1), {"authority_agrees": 1}),
    ],
    ids=[
        "text",
        "datetime",
        "none",
        "negative-years",
        "fractional-years",
        "bool-years",
        "text-flag",
        "int-flag",
    ],
)
def test_certificate_dates_refuse_invalid_input(issued_on, kwargs):
    with pytest.raises(ValueError):
        certificate_dates(issued_on, **kwargs)


@given(
    issued=DAYS, years=st.integers(min_value=0, max_value=60), compliant=st.booleans(), agrees=st.booleans()
)
def test_certificate_dates_hold_their_shape_for_any_issue_day(issued, years, compliant, agrees):
    dates = certificate_dates(
        issued, continuous_years_same_trade=years, compliant=compliant, authority_agrees=agrees
    )
    assert dates.valid_until.month == issued.month
    assert dates.valid_until.year == issued.year + 6
    assert dates.valid_until.day == issued.day or (issued.month, issued.day, dates.valid_until.day) == (
        2,
        29,
        28,
    )
    assert issued < dates.review_window_opens < dates.review_due <= dates.valid_until
    assert (dates.review_due - dates.review_window_opens).days == 60
    extended = years >= 10 and compliant and agrees
    assert dates.review_interval_years == (6 if extended else 3)
    assert (dates.review_due == dates.valid_until) is extended


# ---------------------------------------------------------------- certificate_exam_passed


@pytest.mark.parametrize(
    ("score", "passed"),
    [
        (80, True),
        (79, False),
        (Decimal("79.9"), False),
        (79.99, False),
        (80.0, True),
        (100, True),
        (0, False),
    ],
)
def test_eighty_out_of_a_hundred_passes(score, passed):
    assert certificate_exam_passed(score) is passed


@pytest.mark.parametrize(
    "score",
    [-1, 100.5, 101, float("nan"), Decimal("NaN"), float("inf"), True, False, "85", None],
    ids=["negative", "above", "101", "nan", "decimal-nan", "inf", "true", "false", "text", "none"],
)
def test_a_score_outside_zero_to_a_hundred_or_not_a_number_is_refused(score):
    with pytest.raises(ValueError):
        certificate_exam_passed(score)


@given(st.floats(min_value=0, max_value=100))
def test_a_score_passes_exactly_when_it_is_at_least_eighty(score):
    assert certificate_exam_passed(score) is (score >= 80)


# ---------------------------------------------------------------- the state on a day

ISSUED = date(2024, 2, 29)
DATES = certificate_dates(ISSUED)  # valid to 2030-02-28, review 2027-02-28, window from 2026-12-30


def _state(today, last_reviewed_on=None, dates=DATES, issued=ISSUED):
    return rules.certificate_state(
        issued_on=issued,
        valid_until=dates.valid_until,
        review_due=dates.review_due,
        review_window_opens=dates.review_window_opens,
        last_reviewed_on=last_reviewed_on,
        today=today,
    )


@pytest.mark.parametrize(
    ("today", "reviewed", "state"),
    [
        (date(2024, 2, 28), None, rules.NOT_YET_VALID),
        (date(2024, 2, 29), None, rules.VALID),
        (date(2026, 12, 29), None, rules.VALID),
        (date(2026, 12, 30), None, rules.REVIEW_WINDOW),
        (date(2027, 2, 28), None, rules.REVIEW_WINDOW),
        (date(2027, 3, 1), None, rules.REVIEW_OVERDUE),
        (date(2027, 1, 10), date(2027, 1, 5), rules.VALID),
        (date(2027, 3, 1), date(2027, 1, 5), rules.VALID),
        (date(2027, 3, 1), date(2026, 12, 29), rules.REVIEW_OVERDUE),
        (date(2030, 1, 28), date(2027, 1, 5), rules.VALID),
        (date(2030, 1, 29), date(2027, 1, 5), rules.EXPIRING),
        (date(2030, 2, 28), date(2027, 1, 5), rules.EXPIRING),
        (date(2030, 3, 1), date(2027, 1, 5), rules.EXPIRED),
        (date(2030, 3, 1), None, rules.EXPIRED),
    ],
    ids=[
        "before-issue",
        "issue-day",
        "day-before-window",
        "window-opens",
        "review-day",
        "day-after-review-day",
        "reviewed-in-window",
        "reviewed-after-review-day",
        "reviewed-before-window-does-not-count",
        "31-days-before-expiry",
        "30-days-before-expiry",
        "last-day",
        "day-after-last-day",
        "expired-unreviewed",
    ],
)
def test_a_certificate_state_on_each_side_of_each_date(today, reviewed, state):
    assert _state(today, reviewed) == state


def test_an_extended_certificate_has_no_mid_term_review_and_is_expiring_in_its_last_month():
    dates = certificate_dates(ISSUED, continuous_years_same_trade=10, authority_agrees=True)
    assert _state(date(2027, 3, 1), dates=dates) == rules.VALID
    assert _state(date(2030, 1, 1), dates=dates) == rules.VALID
    assert _state(date(2030, 1, 29), dates=dates) == rules.EXPIRING


@pytest.mark.parametrize(
    ("day", "reviewed", "held"),
    [
        (date(2024, 2, 28), None, False),
        (date(2024, 2, 29), None, True),
        (date(2027, 2, 28), None, True),
        (date(2027, 3, 1), None, False),
        (date(2027, 3, 1), date(2027, 1, 5), True),
        (date(2027, 3, 9), date(2027, 3, 10), False),
        (date(2027, 3, 10), date(2027, 3, 10), True),
        (date(2030, 2, 28), date(2027, 1, 5), True),
        (date(2030, 3, 1), date(2027, 1, 5), False),
    ],
    ids=[
        "before-issue",
        "issue-day",
        "review-day",
        "after-review-day-unreviewed",
        "after-review-day-reviewed",
        "before-a-late-review",
        "day-of-a-late-review",
        "last-day",
        "after-last-day",
    ],
)
def test_whether_a_certificate_held_on_a_day(day, reviewed, held):
    assert (
        rules.certificate_valid_on(
            issued_on=ISSUED,
            valid_until=DATES.valid_until,
            review_due=DATES.review_due,
            review_window_opens=DATES.review_window_opens,
            last_reviewed_on=reviewed,
            day=day,
        )
        is held
    )


@given(issued=DAYS, offset=st.integers(min_value=-30, max_value=2500), reviewed=st.booleans())
def test_a_certificate_held_on_a_day_exactly_when_its_state_is_not_expired_overdue_or_not_yet_valid(
    issued, offset, reviewed
):
    dates = certificate_dates(issued)
    day = issued + timedelta(days=offset)
    last = dates.review_window_opens + timedelta(days=1) if reviewed else None
    if last is not None and last > day:
        last = None  # a review recorded later is not known on `day`
    state = _state(day, last, dates=dates, issued=issued)
    held = rules.certificate_valid_on(
        issued_on=issued,
        valid_until=dates.valid_until,
        review_due=dates.review_due,
        review_window_opens=dates.review_window_opens,
        last_reviewed_on=last,
        day=day,
    )
    assert held is (state not in (rules.EXPIRED, rules.REVIEW_OVERDUE, rules.NOT_YET_VALID))


# ---------------------------------------------------------------- the checks services use


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (60, True), (61, False), (-1, False), (True, False), ("3", False), (2.5, False)],
)
def test_the_years_in_the_same_trade_are_a_whole_number_up_to_sixty(value, ok):
    if ok:
        assert rules.check_certificate_years(value) == value
    else:
        with pytest.raises(RuleViolation) as refused:
            rules.check_certificate_years(value)
        assert refused.value.field == "continuous_years_same_trade"


@pytest.mark.parametrize(
    ("value", "ok"),
    [("0.5", True), ("200", True), ("0", False), ("200.1", False), ("x", False), ("NaN", False)],
)
def test_training_hours_are_more_than_zero_and_at_most_two_hundred(value, ok):
    if ok:
        assert rules.check_training_hours(value) == Decimal(value)
    else:
        with pytest.raises(RuleViolation) as refused:
            rules.check_training_hours(value)
        assert refused.value.code == rules.PeopleCode.HOURS_INVALID


@pytest.mark.parametrize(("hours", "enough"), [("7.9", False), ("8", True), ("16", True)])
def test_review_training_needs_eight_hours(hours, enough):
    assert rules.review_training_sufficient(Decimal(hours)) is enough


@pytest.mark.parametrize(
    ("hired", "left", "today", "field"),
    [
        (date(2026, 1, 2), None, date(2026, 1, 1), "hired_on"),
        (None, date(2026, 1, 2), date(2026, 1, 1), "left_on"),
        (date(2025, 6, 2), date(2025, 6, 1), date(2026, 1, 1), "left_on"),
    ],
    ids=["hired-tomorrow", "leaves-tomorrow", "left-before-hired"],
)
def test_employment_dates_are_refused_out_of_order(hired, left, today, field):
    with pytest.raises(RuleViolation) as refused:
        rules.check_employment(hired, left, today)
    assert refused.value.field == field


def test_employment_dates_on_the_same_day_are_accepted():
    rules.check_employment(date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("operators", "certified", "trained", "in_place"),
    [(3, 3, True, True), (3, 2, True, False), (3, 3, False, False), (0, 0, True, True), (0, 0, False, False)],
)
def test_training_is_in_place_when_every_operator_is_certified_and_training_was_held(
    operators, certified, trained, in_place
):
    assert (
        rules.training_in_place(
            special_operators=operators, certified_operators=certified, trained_last_year=trained
        )
        is in_place
    )
