"""The pure rules of 标准化, 安责险, 安全生产费用 and 一必须五到位: both sides of every date boundary, every
withdrawal condition per grade, the compulsory industries, the profile's three states."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.core.rules import RuleViolation
from anlan.risk import rules
from anlan.risk.data import standard as data

# ---------------------------------------------------------------- data


def test_every_data_entry_names_its_source_and_a_known_confidence():
    sources = [
        *(e.source for e in data.COMPULSORY_INSURANCE),
        *(c.source for c in data.WITHDRAWAL_CONDITIONS),
        data.GRADING_MEASURES,
        data.SPENDING_MEASURES,
        data.LIABILITY_PER_PERSON_MINIMUM,
    ]
    assert all(s.title and s.confidence in data.CONFIDENCES for s in sources)
    assert all(c in data.CONFIDENCES for _code, _label, c in data.SPENDING_CATEGORIES)


def test_the_compulsory_industries_are_codes_of_the_core_industry_tree():
    from anlan.core.data.industries import INDUSTRIES

    known = {code for code, _name, _parent, _gb in INDUSTRIES}
    assert rules.compulsory_insurance_codes() <= known


def test_a_source_with_an_unknown_confidence_is_refused():
    with pytest.raises(ValueError):
        data.Source("x", "", "probably")


# ---------------------------------------------------------------- grade validity


@pytest.mark.parametrize(
    ("issued_on", "valid_until"),
    [
        (date(2026, 3, 1), date(2029, 3, 1)),
        (date(2024, 2, 29), date(2027, 2, 28)),
        (date(2025, 12, 31), date(2028, 12, 31)),
    ],
    ids=["same-day", "29-february", "year-end"],
)
def test_a_grade_is_valid_three_years_to_the_same_calendar_day(issued_on, valid_until):
    assert rules.grade_valid_until(issued_on) == valid_until


@pytest.mark.parametrize(
    ("status", "day", "expected"),
    [
        ("current", date(2029, 3, 1), True),
        ("current", date(2029, 3, 2), False),
        ("under_review", date(2029, 3, 1), True),
        ("withdrawn", date(2027, 1, 1), False),
        ("expired", date(2027, 1, 1), False),
    ],
    ids=["last-day", "day-after", "flagged-still-holds", "withdrawn", "expired"],
)
def test_a_grade_holds_to_its_last_day_unless_withdrawn_or_expired(status, day, expected):
    assert rules.grade_is_current(status, date(2029, 3, 1), day) is expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2029, 3, 1) - timedelta(days=91), False),
        (date(2029, 3, 1) - timedelta(days=90), True),
        (date(2029, 3, 1), True),
        (date(2029, 3, 2), False),
    ],
    ids=["91-days-before", "90-days-before", "last-day", "after"],
)
def test_a_grade_is_expiring_within_ninety_days_of_its_last_day(today, expected):
    assert rules.grade_expiring(date(2029, 3, 1), today) is expected


@pytest.mark.parametrize(
    ("occurred_on", "expected"),
    [
        (date(2026, 2, 28), False),
        (date(2026, 3, 1), True),
        (date(2029, 3, 1), True),
        (date(2029, 3, 2), False),
    ],
    ids=["day-before-issue", "issue-day", "last-day", "day-after"],
)
def test_an_accident_counts_against_a_grade_only_within_its_validity(occurred_on, expected):
    assert rules.accident_within_grade(date(2026, 3, 1), date(2029, 3, 1), occurred_on) is expected


def test_the_issuing_level_follows_the_grade():
    assert [rules.issuing_level_of(g) for g in "123"] == ["national", "province", "city_county"]
    with pytest.raises(ValueError):
        rules.issuing_level_of("4")


# ---------------------------------------------------------------- withdrawal conditions


def _codes(grade, **facts):
    return [c.code for c in rules.withdrawal_conditions(grade, facts)]


@pytest.mark.parametrize(
    ("grade", "facts", "expected"),
    [
        ("1", {"deaths": 1, "accident_grade": "ordinary"}, ["fatal_accident"]),
        ("1", {"deaths": 0, "accident_grade": "ordinary"}, []),
        ("2", {"deaths": 2, "accident_grade": "ordinary"}, []),
        ("3", {"deaths": 2, "accident_grade": "ordinary"}, []),
        ("2", {"deaths": 3, "accident_grade": "relatively_major"}, ["relatively_major_accident"]),
        ("3", {"deaths": 0, "accident_grade": "relatively_major"}, ["relatively_major_accident"]),
        ("3", {"deaths": 12, "accident_grade": "major"}, ["relatively_major_accident"]),
        (
            "1",
            {"deaths": 3, "accident_grade": "relatively_major"},
            ["fatal_accident", "relatively_major_accident"],
        ),
        ("2", {"concealed_or_false_report": True}, ["concealed_or_false_report"]),
        ("2", {"listed_seriously_dishonest": True}, ["seriously_dishonest"]),
        ("3", {"major_hazard_unrectified": True}, ["major_hazard_unrectified"]),
        ("3", {"falsified_application": True}, ["falsified_application"]),
        ("3", {"falsified_application": False, "concealed_or_false_report": 1}, []),
        ("2", {}, []),
    ],
    ids=[
        "first-grade-one-death",
        "first-grade-no-death",
        "second-grade-ordinary-deaths",
        "third-grade-ordinary-deaths",
        "second-grade-relatively-major",
        "third-grade-relatively-major-no-deaths",
        "major-counts-as-relatively-major-or-worse",
        "first-grade-both",
        "concealed",
        "dishonest",
        "major-hazard",
        "falsified",
        "only-true-booleans-count",
        "no-facts",
    ],
)
def test_withdrawal_conditions_per_grade(grade, facts, expected):
    assert _codes(grade, **facts) == expected


def test_every_matched_condition_carries_its_source():
    met = rules.withdrawal_conditions("1", {"deaths": 1})
    assert met[0].source.confidence == data.UNCONFIRMED and met[0].source.title


@pytest.mark.parametrize(
    "facts",
    [{"deaths": -1}, {"deaths": True}, {"deaths": 1.5}, {"accident_grade": "huge"}],
    ids=["negative", "bool", "float", "unknown-grade"],
)
def test_invalid_facts_raise_value_error(facts):
    with pytest.raises(ValueError):
        rules.withdrawal_conditions("1", facts)


def test_an_unknown_grade_raises_value_error():
    with pytest.raises(ValueError):
        rules.withdrawal_conditions("0", {})


@given(
    grade=st.sampled_from(rules.STANDARD_GRADES),
    deaths=st.integers(min_value=0, max_value=200),
    accident_grade=st.sampled_from([None, *data.ACCIDENT_GRADE_RANK]),
)
def test_a_worse_accident_never_meets_fewer_conditions(grade, deaths, accident_grade):
    facts = {"deaths": deaths, "accident_grade": accident_grade}
    worse = {"deaths": deaths + 1, "accident_grade": "extraordinarily_serious"}
    assert set(_codes(grade, **facts)) <= set(_codes(grade, **worse))


# ---------------------------------------------------------------- 安责险


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["construction"], "建筑施工"),
        (["hazchem-production", "hazchem"], "危险化学品"),
        (["tailings", "non-coal-mine"], "矿山（煤矿、非煤矿山）"),
        (["metallurgy", "industry-trade"], "金属冶炼"),
        (["fishing-vessel", "transport"], "交通运输"),
        (["machinery", "industry-trade"], None),
        (["campus"], None),
    ],
    ids=["construction", "hazchem-child", "tailings", "metallurgy", "fishing", "machinery", "campus"],
)
def test_insurance_is_compulsory_in_the_high_risk_industries_and_their_subtrees(codes, expected):
    found = rules.insurance_requirement(codes)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), False),
        (date(2026, 1, 2), True),
        (date(2027, 1, 1), True),
        (date(2027, 1, 2), False),
    ],
    ids=["day-before", "first-day", "last-day", "day-after"],
)
def test_a_policy_covers_its_first_to_its_last_day(day, expected):
    assert rules.policy_covers(date(2026, 1, 2), date(2027, 1, 1), day) is expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 30), False),
        (date(2026, 12, 1), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
    ],
    ids=["31-days-before", "30-days-before", "last-day", "after"],
)
def test_a_policy_is_expiring_within_thirty_days(today, expected):
    assert rules.policy_expiring(date(2026, 12, 31), today) is expected


def test_a_policy_may_not_end_before_it_starts():
    rules.check_policy_period(date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(RuleViolation) as refused:
        rules.check_policy_period(date(2026, 1, 2), date(2026, 1, 1))
    assert refused.value.field == "ends_on" and refused.value.code == rules.StandardCode.POLICY_PERIOD


@pytest.mark.parametrize(
    ("amount", "expected"), [(399_999, True), (400_000, False), (Decimal("400000.00"), False)]
)
def test_the_per_person_limit_minimum_is_four_hundred_thousand(amount, expected):
    assert rules.below_per_person_minimum(amount) is expected


@given(amount=st.integers(min_value=0, max_value=10**9))
def test_the_minimum_splits_every_amount_at_one_point(amount):
    assert rules.below_per_person_minimum(amount) is (amount < data.PER_PERSON_MINIMUM_YUAN)


def test_spending_amounts_may_not_be_negative():
    rules.check_spending(Decimal("0"), {"facilities": Decimal("0")})
    with pytest.raises(RuleViolation):
        rules.check_spending(Decimal("-1"), {})
    with pytest.raises(RuleViolation) as refused:
        rules.check_spending(Decimal("1"), {"training": Decimal("-0.01")})
    assert refused.value.field == "used_training"
    with pytest.raises(ValueError):
        rules.check_spending(Decimal("1"), {"parties": Decimal("1")})


# ---------------------------------------------------------------- 一必须五到位


def _facts(**overrides) -> rules.ProfileFacts:
    values = {
        "has_principal": True,
        "has_safety_manager": True,
        "has_responsibility_system": True,
        "year": 2026,
        "spending_extracted": Decimal("100"),
        "spending_used": Decimal("50"),
        "training_in_place": True,
        "risk_register": True,
        "selfcheck_missing": 0,
        "selfcheck_known": True,
        "filed_plans": 1,
        **overrides,
    }
    return rules.ProfileFacts(**values)


def _states(facts) -> dict[str, str]:
    return {item.key: item.state for item in rules.five_in_place(facts)}


def test_all_five_in_place():
    assert set(_states(_facts()).values()) == {rules.IN_PLACE}


@pytest.mark.parametrize(
    ("overrides", "key", "state"),
    [
        ({"has_principal": False}, "duty", rules.NOT_IN_PLACE),
        ({"has_safety_manager": False}, "duty", rules.NOT_IN_PLACE),
        ({"has_responsibility_system": False}, "duty", rules.NOT_IN_PLACE),
        ({"spending_extracted": None, "spending_used": None}, "money", rules.NOT_IN_PLACE),
        ({"spending_extracted": Decimal("0")}, "money", rules.NOT_IN_PLACE),
        ({"spending_used": None}, "money", rules.NOT_IN_PLACE),
        ({"training_in_place": None}, "training", rules.UNKNOWN),
        ({"training_in_place": False}, "training", rules.NOT_IN_PLACE),
        (
            {"risk_register": None, "selfcheck_known": False, "selfcheck_missing": None},
            "management",
            rules.UNKNOWN,
        ),
        ({"risk_register": None}, "management", rules.IN_PLACE),
        ({"risk_register": False}, "management", rules.NOT_IN_PLACE),
        ({"selfcheck_missing": 1}, "management", rules.NOT_IN_PLACE),
        ({"selfcheck_missing": None}, "management", rules.NOT_IN_PLACE),
        ({"filed_plans": None}, "rescue", rules.UNKNOWN),
        ({"filed_plans": 0}, "rescue", rules.NOT_IN_PLACE),
    ],
    ids=[
        "no-principal",
        "no-safety-manager",
        "no-responsibility-system",
        "no-spending",
        "zero-extracted",
        "nothing-used",
        "training-not-connected",
        "training-lacking",
        "management-not-connected",
        "register-not-connected-selfcheck-fine",
        "no-register",
        "selfcheck-missed",
        "no-checklist",
        "plans-not-connected",
        "no-filed-plan",
    ],
)
def test_each_profile_item_says_why(overrides, key, state):
    items = {item.key: item for item in rules.five_in_place(_facts(**overrides))}
    assert items[key].state == state
    assert items[key].reasons
