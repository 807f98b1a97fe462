"""The public rules of plans, drills and unit categories (regulations.md §6–7), at each boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.core import rules as core_rules
from anlan.emergency import rules
from anlan.emergency.rules import DrillRequirement

# ---------------------------------------------------------------- drill frequency


@pytest.mark.parametrize(
    ("plan_kind", "unit_category", "expected"),
    [
        # 预案管理办法 第三十三条
        (rules.COMPREHENSIVE, None, DrillRequirement(1, rules.YEAR)),
        (rules.SPECIAL, None, DrillRequirement(1, rules.YEAR)),
        (rules.ON_SITE, None, DrillRequirement(1, rules.HALF_YEAR, per_plan=True)),
        # 生产安全事故应急条例 第八条
        (None, rules.GOVERNMENT, DrillRequirement(1, rules.TWO_YEARS)),
        (None, rules.TOWN, DrillRequirement(1, rules.TWO_YEARS)),
        (
            None,
            rules.HAZARDOUS_CHEMICALS,
            DrillRequirement(1, rules.HALF_YEAR, report_to=rules.COUNTY_DEPARTMENT),
        ),
        (None, rules.MINING, DrillRequirement(1, rules.HALF_YEAR, report_to=rules.COUNTY_DEPARTMENT)),
        (None, rules.METAL_SMELTING, DrillRequirement(1, rules.HALF_YEAR, report_to=rules.COUNTY_DEPARTMENT)),
        (None, rules.URBAN_RAIL, DrillRequirement(1, rules.HALF_YEAR, report_to=rules.COUNTY_DEPARTMENT)),
        (None, rules.CONSTRUCTION, DrillRequirement(1, rules.HALF_YEAR, report_to=rules.COUNTY_DEPARTMENT)),
        (None, rules.CROWDED_PLACE, DrillRequirement(1, rules.HALF_YEAR, report_to=rules.COUNTY_DEPARTMENT)),
        # both apply: the shorter period wins
        (rules.COMPREHENSIVE, rules.GOVERNMENT, DrillRequirement(1, rules.YEAR)),
        (
            rules.COMPREHENSIVE,
            rules.HAZARDOUS_CHEMICALS,
            DrillRequirement(1, rules.HALF_YEAR, report_to=rules.COUNTY_DEPARTMENT),
        ),
        (
            rules.ON_SITE,
            rules.CONSTRUCTION,
            DrillRequirement(1, rules.HALF_YEAR, per_plan=True, report_to=rules.COUNTY_DEPARTMENT),
        ),
        (rules.ON_SITE, rules.TOWN, DrillRequirement(1, rules.HALF_YEAR, per_plan=True)),
        # nothing applies
        (None, None, None),
        (rules.CARD, None, None),
        (None, rules.OTHER_ENTERPRISE, None),
        (None, rules.FIREWORKS, None),
        (rules.SPECIAL, rules.OTHER_ENTERPRISE, DrillRequirement(1, rules.YEAR)),
    ],
)
def test_drill_requirement(plan_kind, unit_category, expected):
    assert rules.drill_requirement(plan_kind=plan_kind, unit_category=unit_category) == expected


def test_an_unknown_code_is_refused_not_read_as_no_duty():
    with pytest.raises(ValueError):
        rules.drill_requirement(plan_kind="drill_everything")
    with pytest.raises(ValueError):
        rules.drill_requirement(unit_category="spaceport")


@given(
    plan_kind=st.sampled_from([None, *dict(rules.PLAN_KINDS_WITH_CARD)]),
    unit_category=st.sampled_from([None, *rules.UNIT_CATEGORY_LABELS]),
)
def test_the_combined_requirement_is_never_laxer_than_either_alone(plan_kind, unit_category):
    both = rules.drill_requirement(plan_kind=plan_kind, unit_category=unit_category)
    for alone in (
        rules.drill_requirement(plan_kind=plan_kind),
        rules.drill_requirement(unit_category=unit_category),
    ):
        if alone is not None:
            assert both is not None and both.months <= alone.months


HALF = DrillRequirement(1, rules.HALF_YEAR)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 7, 31), rules.ON_TIME),  # 32 days before the due date
        (date(2026, 8, 1), rules.ON_TIME),  # 31 days before: outside the 30-day window
        (date(2026, 8, 2), rules.DUE_SOON),  # 30 days before
        (date(2026, 9, 1), rules.DUE_SOON),  # the due date itself still counts
        (date(2026, 9, 2), rules.OVERDUE),
    ],
)
def test_drill_status_around_the_due_date(today, expected):
    # Drilled on 2026-03-01, half-yearly: due 2026-09-01.
    assert (
        rules.drill_status(date(2026, 3, 1), requirement=HALF, today=today, since=date(2020, 1, 1))
        == expected
    )


def test_a_unit_never_drilled_counts_from_since():
    assert (
        rules.drill_status(None, requirement=HALF, today=date(2026, 7, 2), since=date(2026, 1, 1))
        == rules.OVERDUE
    )
    assert (
        rules.drill_status(None, requirement=HALF, today=date(2026, 7, 1), since=date(2026, 1, 1))
        == rules.DUE_SOON
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
        (date(2026, 7, 1), 24, date(2028, 7, 1)),
    ],
)
def test_add_months_clips_to_the_end_of_the_month(day, months, expected):
    assert rules.add_months(day, months) == expected


# ---------------------------------------------------------------- plan review, filing, evaluation


@pytest.mark.parametrize("category", sorted(rules.REVIEW_CATEGORIES))
def test_listed_units_review_whatever_their_size(category):
    assert rules.plan_review_kind(unit_category=category, scale=rules.MICRO) == rules.REVIEW


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        (rules.LARGE, rules.REVIEW),
        (rules.MEDIUM, rules.REVIEW),  # 中型规模以上 includes 中型
        (rules.SMALL, rules.ARGUMENT),
        (rules.MICRO, rules.ARGUMENT),
        (rules.INDIVIDUAL, rules.ARGUMENT),
        (None, rules.ARGUMENT),
    ],
)
def test_other_enterprises_review_from_medium_size_up(scale, expected):
    assert rules.plan_review_kind(unit_category=rules.OTHER_ENTERPRISE, scale=scale) == expected
    assert rules.plan_review_kind(unit_category=rules.CROWDED_PLACE, scale=scale) == expected


def test_government_bodies_are_not_enterprises_of_a_size():
    assert rules.plan_review_kind(unit_category=rules.GOVERNMENT, scale=rules.LARGE) == rules.ARGUMENT
    assert rules.plan_review_kind(unit_category=rules.TOWN, scale=rules.MEDIUM) == rules.ARGUMENT


class WeekdaysOnly:
    """A calendar with no holidays: Monday to Friday work."""

    def add_working_days(self, start, n):
        holidays = [
            start + timedelta(days=d) for d in range(1, 60) if (start + timedelta(days=d)).weekday() >= 5
        ]
        return core_rules.add_working_days(start, n, holidays=holidays, workdays=[])


def test_filing_is_due_twenty_working_days_after_publication():
    # Published Monday 2026-03-02: 20 working days later is Monday 2026-03-30.
    assert rules.plan_filing_due(date(2026, 3, 2), WeekdaysOnly()) == date(2026, 3, 30)
    # Published on a Saturday: the count starts on the Monday after.
    assert rules.plan_filing_due(date(2026, 3, 7), WeekdaysOnly()) == date(2026, 4, 3)


@pytest.mark.django_db
def test_filing_over_the_national_day_holiday_uses_the_kernel_calendar():
    # The 2026 calendar ships with the kernel (国庆 1–7 October, 调休 on working weekends).
    class Kernel:
        def add_working_days(self, start, n):
            from anlan.core.calendar import Calendar

            return Calendar().add_working_days(start, n)

    due = rules.plan_filing_due(date(2026, 9, 28), Kernel())
    weekdays = rules.plan_filing_due(date(2026, 9, 28), WeekdaysOnly())
    assert due > weekdays  # the holiday week pushes it out


@pytest.mark.parametrize(
    ("today", "answered", "expected"),
    [
        (date(2026, 3, 9), False, False),  # the 5th working day after Monday 2 March: still in time
        (date(2026, 3, 10), False, True),  # the day after: counts as filed
        (date(2026, 3, 20), True, False),  # answered: the answer stands
    ],
)
def test_a_filing_left_unanswered_past_the_check_period_counts_as_filed(today, answered, expected):
    assert rules.PLAN_FILING_CHECK_WORKING_DAYS == 5
    assert (
        rules.filing_deemed_accepted(
            submitted_on=date(2026, 3, 2), answered=answered, today=today, calendar=WeekdaysOnly()
        )
        is expected
    )


@pytest.mark.parametrize("category", sorted(rules.REVIEW_CATEGORIES))
def test_listed_units_evaluate_every_three_years(category):
    assert rules.plan_evaluation_years(unit_category=category) == 3


@pytest.mark.parametrize(
    "category", [rules.GOVERNMENT, rules.TOWN, rules.OTHER_ENTERPRISE, rules.CROWDED_PLACE, None]
)
def test_other_units_have_no_fixed_evaluation_interval(category):
    assert rules.plan_evaluation_years(unit_category=category) is None


# ---------------------------------------------------------------- categories


@pytest.mark.parametrize(
    ("paths", "crowded", "expected"),
    [
        ([["hazchem", "hazchem-trade"]], False, rules.HAZARDOUS_CHEMICALS),
        ([["hazchem", "hazchem-use"]], False, rules.CHEMICAL_USER),
        ([["non-coal-mine", "tailings"]], False, rules.MINING),  # inherits the parent's category
        ([["industry-trade", "metallurgy"]], False, rules.METAL_SMELTING),
        ([["industry-trade", "machinery"]], False, rules.OTHER_ENTERPRISE),
        ([["industry-trade", "machinery"]], True, rules.CROWDED_PLACE),
        ([["construction"], ["hazchem", "hazchem-trade"]], False, rules.HAZARDOUS_CHEMICALS),  # heaviest duty
        ([["culture-tourism"], ["construction"]], False, rules.CONSTRUCTION),
        ([], False, rules.OTHER_ENTERPRISE),
    ],
)
def test_enterprise_category(paths, crowded, expected):
    assert rules.enterprise_category(paths, is_crowded_place=crowded) == expected


def test_every_category_has_a_chinese_label_and_every_mapped_code_is_a_category():
    assert set(rules.INDUSTRY_CATEGORIES.values()) <= set(rules.UNIT_CATEGORY_LABELS)
    assert set(rules.CATEGORY_PRECEDENCE) <= set(rules.UNIT_CATEGORY_LABELS)
    assert set(rules.UNIT_CATEGORY_LABELS) >= rules.HALF_YEARLY_DRILL_CATEGORIES
