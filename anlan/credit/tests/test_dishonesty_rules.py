"""The 严重失信主体名单 rules (应急管理部令第11号, regulations.md §4): every situation, the local stricter rule, invalid
input, and both sides of every date boundary."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anlan.accidents.rules import EXTRAORDINARILY_SERIOUS, MAJOR, ORDINARY, RELATIVELY_MAJOR
from anlan.credit import rules
from anlan.credit.rules import (
    dishonesty_situations,
    early_removal_eligible,
    early_removal_eligible_from,
    listing_expired,
    listing_expires_on,
)

UP = ("unit", "principal")


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param({}, [], id="no facts, nothing"),
        pytest.param({"accident_grade": ORDINARY}, [], id="an ordinary accident alone lists nobody"),
        pytest.param({"accident_grade": RELATIVELY_MAJOR}, [], id="one relatively major accident alone"),
        pytest.param({"accident_grade": MAJOR}, [(1, UP)], id="1: a major accident"),
        pytest.param({"accident_grade": EXTRAORDINARILY_SERIOUS}, [(1, UP)], id="1: extraordinarily serious"),
        pytest.param(
            {"relatively_major_accidents_last_12_months": 1}, [], id="one relatively major in 12 months"
        ),
        pytest.param({"relatively_major_accidents_last_12_months": 2}, [(2, UP)], id="2: two in 12 months"),
        pytest.param({"relatively_major_accidents_last_12_months": 5}, [(2, UP)], id="2: five in 12 months"),
        pytest.param({"fine_multiplier": 1}, [], id="fined at the ordinary amount"),
        pytest.param({"fine_multiplier": Decimal("1.99")}, [], id="fined just under twice"),
        pytest.param({"fine_multiplier": 2}, [(3, UP)], id="3: fined at twice"),
        pytest.param({"fine_multiplier": 3.5}, [(3, UP)], id="3: fined at 3.5 times"),
        pytest.param({"fine_multiplier": Decimal("5")}, [(3, UP)], id="3: fined at five times"),
        pytest.param({"concealed_or_false_report": True}, [(4, UP)], id="4: concealed or false report"),
        pytest.param(
            {"principal_failed_rescue_or_fled": True}, [(5, ("principal",))], id="5: the principal fled"
        ),
        pytest.param({"operated_without_licence": True}, [(6, UP)], id="6: without licence"),
        pytest.param({"evaded_penalty_while_able": True}, [(8, UP)], id="8: evaded a penalty"),
        pytest.param({"other_serious_violation": True}, [(9, ("unit",))], id="9: other serious violation"),
        pytest.param(
            {"subject_kind": "agency", "issued_false_report": True}, [(7, ("agency",))], id="7: false report"
        ),
        pytest.param(
            {"subject_kind": "agency", "rented_out_qualification": True},
            [(7, ("agency",))],
            id="7: rented out its qualification",
        ),
        pytest.param(
            {"subject_kind": "agency", "allowed_affiliated_operation": True},
            [(7, ("agency",))],
            id="7: 挂靠",
        ),
        pytest.param(
            {"subject_kind": "agency", "other_serious_violation": True},
            [(9, ("agency",))],
            id="9: an agency's other serious violation lists the agency",
        ),
        pytest.param(
            {
                "accident_grade": MAJOR,
                "concealed_or_false_report": True,
                "relatively_major_accidents_last_12_months": 2,
                "fine_multiplier": 2,
                "principal_failed_rescue_or_fled": True,
            },
            [(1, UP), (2, UP), (3, UP), (4, UP), (5, ("principal",))],
            id="several situations at once, in order",
        ),
        pytest.param({"accident_grade": None}, [], id="no accident"),
    ],
)
def test_each_situation_of_order_11_lists_its_subjects(facts, expected):
    assert dishonesty_situations(facts) == expected


@pytest.mark.parametrize(
    ("grade", "local", "expected"),
    [
        pytest.param(RELATIVELY_MAJOR, True, [(0, UP)], id="relatively major, local rule on: situation 0"),
        pytest.param(RELATIVELY_MAJOR, False, [], id="relatively major, local rule off"),
        pytest.param(ORDINARY, True, [], id="ordinary, local rule on"),
        pytest.param(MAJOR, True, [(1, UP)], id="major is situation 1, not also 0"),
    ],
)
def test_the_local_stricter_rule_lists_a_single_relatively_major_accident_as_situation_0(
    grade, local, expected
):
    assert dishonesty_situations({"accident_grade": grade}, local_relatively_major_rule=local) == expected


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param({"colour": "red"}, id="unknown key"),
        pytest.param({"subject_kind": "person"}, id="unknown subject kind"),
        pytest.param({"accident_grade": "huge"}, id="unknown grade"),
        pytest.param({"concealed_or_false_report": "yes"}, id="a flag that is not a bool"),
        pytest.param({"relatively_major_accidents_last_12_months": -1}, id="negative count"),
        pytest.param({"relatively_major_accidents_last_12_months": 2.0}, id="count not an int"),
        pytest.param({"relatively_major_accidents_last_12_months": True}, id="count a bool"),
        pytest.param({"fine_multiplier": -1}, id="negative multiplier"),
        pytest.param({"fine_multiplier": 6}, id="multiplier above five"),
        pytest.param({"fine_multiplier": "2"}, id="multiplier a string"),
        pytest.param({"fine_multiplier": float("nan")}, id="multiplier not finite"),
        pytest.param({"issued_false_report": True}, id="an agency's fact for an enterprise"),
        pytest.param(
            {"subject_kind": "agency", "operated_without_licence": True}, id="enterprise fact, agency"
        ),
        pytest.param({"subject_kind": "agency", "accident_grade": MAJOR}, id="an accident of an agency"),
    ],
)
def test_invalid_facts_raise_value_error(facts):
    with pytest.raises(ValueError):
        dishonesty_situations(facts)


def test_facts_must_be_a_mapping():
    with pytest.raises(ValueError):
        dishonesty_situations([("accident_grade", MAJOR)])


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    grade=st.sampled_from([None, ORDINARY, RELATIVELY_MAJOR, MAJOR, EXTRAORDINARILY_SERIOUS]),
    count=st.integers(min_value=0, max_value=50),
    multiplier=st.decimals(min_value=0, max_value=5, places=2),
    flags=st.fixed_dictionaries(
        {
            "concealed_or_false_report": st.booleans(),
            "principal_failed_rescue_or_fled": st.booleans(),
            "operated_without_licence": st.booleans(),
            "evaded_penalty_while_able": st.booleans(),
            "other_serious_violation": st.booleans(),
        }
    ),
    local=st.booleans(),
)
def test_any_valid_enterprise_facts_give_ordered_known_situations_with_their_subjects(
    grade, count, multiplier, flags, local
):
    facts = {
        "accident_grade": grade,
        "relatively_major_accidents_last_12_months": count,
        "fine_multiplier": multiplier,
        **flags,
    }
    result = dishonesty_situations(facts, local_relatively_major_rule=local)
    numbers = [number for number, _ in result]
    assert len(numbers) == len(set(numbers))
    assert 7 not in numbers
    assert (2 in numbers) == (count >= 2)
    assert (3 in numbers) == (multiplier >= 2)
    assert (0 in numbers) == (local and grade == RELATIVELY_MAJOR)
    for number, subjects in result:
        assert subjects == rules.SITUATION_SUBJECTS[number]
    # The local rule only ever adds situation 0.
    without = dishonesty_situations(facts)
    assert [n for n in numbers if n != 0] == [n for n, _ in without]


@pytest.mark.parametrize(
    ("listed_on", "last_day"),
    [
        pytest.param(date(2026, 3, 10), date(2029, 3, 10), id="same calendar day three years later"),
        pytest.param(date(2028, 2, 29), date(2031, 2, 28), id="29 February ends on 28 February"),
        pytest.param(date(2026, 12, 31), date(2029, 12, 31), id="year end"),
    ],
)
def test_a_listing_ends_three_years_later_on_the_same_calendar_day(listed_on, last_day):
    assert listing_expires_on(listed_on) == last_day


def test_a_listing_still_holds_on_its_last_day_and_has_expired_the_day_after():
    last_day = listing_expires_on(date(2026, 3, 10))
    assert listing_expired(last_day, date(2029, 3, 10)) is False
    assert listing_expired(last_day, date(2029, 3, 11)) is True


@pytest.mark.parametrize(
    ("listed_on", "apply_on", "eligible"),
    [
        pytest.param(date(2026, 3, 10), date(2027, 3, 10), False, id="on the 12-month anniversary: not yet"),
        pytest.param(date(2026, 3, 10), date(2027, 3, 11), True, id="the day after 12 full months"),
        pytest.param(date(2026, 3, 10), date(2026, 3, 10), False, id="the listing day"),
        pytest.param(
            date(2028, 2, 29), date(2029, 2, 28), False, id="29 Feb: 28 Feb is the last day of 12 months"
        ),
        pytest.param(date(2028, 2, 29), date(2029, 3, 1), True, id="29 Feb: eligible on 1 March"),
    ],
)
def test_early_removal_needs_twelve_full_months_on_the_list(listed_on, apply_on, eligible):
    assert early_removal_eligible(listed_on, apply_on) is eligible


def test_the_first_day_of_early_removal_is_the_day_after_the_anniversary():
    assert early_removal_eligible_from(date(2026, 3, 10)) == date(2027, 3, 11)


@pytest.mark.parametrize(
    ("listed_on", "apply_on"),
    [
        pytest.param(date(2026, 3, 10), date(2026, 3, 9), id="applied before being listed"),
        pytest.param(datetime(2026, 3, 10, 8), date(2027, 6, 1), id="a datetime, not a date"),
        pytest.param("2026-03-10", date(2027, 6, 1), id="a string"),
    ],
)
def test_invalid_removal_dates_raise_value_error(listed_on, apply_on):
    with pytest.raises(ValueError):
        early_removal_eligible(listed_on, apply_on)


def test_listing_expiry_refuses_a_non_date():
    with pytest.raises(ValueError):
        listing_expires_on("2026-03-10")


@given(listed_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_eligibility_flips_exactly_once_on_the_first_eligible_day(listed_on):
    first = early_removal_eligible_from(listed_on)
    assert early_removal_eligible(listed_on, first) is True
    assert early_removal_eligible(listed_on, first.fromordinal(first.toordinal() - 1)) is False
    assert first <= listing_expires_on(listed_on)


@pytest.mark.parametrize(
    ("days", "valid"),
    [(0, False), (1, True), (5, True), (30, True), (31, False), (True, False), (5.0, False)],
)
def test_a_statement_period_is_one_to_thirty_working_days(days, valid):
    assert rules.statement_days_valid(days) is valid
