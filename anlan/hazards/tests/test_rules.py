"""Pure rules: dates, overdue boundaries, 五落实, the verifier rule, extensions, numbering, pictures."""

from datetime import date
from decimal import Decimal

import pytest

from anlan.core.rules import RuleViolation
from anlan.hazards import rules
from anlan.hazards.rules import MAJOR, ORDINARY, ErrorCode, PlanFields

from .factories import png_bytes

DUE = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(date(2026, 3, 30), False), (DUE, False), (date(2026, 4, 1), True), (date(2026, 5, 1), True)],
    ids=["day-before", "the-due-date-itself", "the-day-after", "a-month-after"],
)
def test_a_hazard_is_overdue_from_the_day_after_its_due_date(today, overdue):
    assert rules.is_overdue(DUE, today) is overdue


def test_a_hazard_closed_on_its_due_date_was_on_time_and_closed_the_day_after_was_not():
    assert rules.is_overdue(DUE, date(2026, 9, 1), closed_on=DUE) is False
    assert rules.closed_on_time(DUE, DUE) is True
    assert rules.is_overdue(DUE, date(2026, 9, 1), closed_on=date(2026, 4, 1)) is True
    assert rules.closed_on_time(DUE, date(2026, 4, 1)) is False
    assert rules.overdue_from(DUE) == date(2026, 4, 1)
    assert rules.days_overdue(DUE, date(2026, 4, 3)) == 3


def test_the_reminder_window_ends_on_the_due_date():
    assert rules.reminder_window(DUE, date(2026, 3, 27), 3) is False
    assert rules.reminder_window(DUE, date(2026, 3, 28), 3) is True
    assert rules.reminder_window(DUE, DUE, 3) is True
    assert rules.reminder_window(DUE, date(2026, 4, 1), 3) is False


def test_a_due_date_before_the_finding_date_is_refused_on_the_due_field():
    with pytest.raises(RuleViolation) as caught:
        rules.check_dates(date(2026, 3, 10), date(2026, 3, 9), today=date(2026, 3, 20))
    assert (caught.value.field, caught.value.code) == ("due_on", ErrorCode.DUE_BEFORE_FOUND)
    rules.check_dates(date(2026, 3, 10), date(2026, 3, 10), today=date(2026, 3, 20))  # same day is fine


def test_a_finding_date_in_the_future_is_refused():
    with pytest.raises(RuleViolation) as caught:
        rules.check_dates(date(2026, 3, 21), None, today=date(2026, 3, 20))
    assert caught.value.code == ErrorCode.FOUND_IN_FUTURE


def full_plan(**overrides) -> PlanFields:
    values = {
        "responsible_person": "张三",
        "measures": "补设连墙件",
        "due_on": date(2026, 3, 20),
        "funds": Decimal("12.5"),
        "interim_measures": "设置警戒区，暂停该区域作业；制定专项应急预案",
        "goals": "消除脚手架坍塌风险",
        "organisation": "项目部安全科",
    }
    values.update(overrides)
    return PlanFields(**values)


def test_an_ordinary_plan_needs_person_measures_and_due_date_only():
    plan = PlanFields(responsible_person="张三", measures="补设连墙件", due_on=date(2026, 3, 20))
    assert rules.plan_problems(ORDINARY, plan, date(2026, 3, 1), DUE) == []


@pytest.mark.parametrize(
    "missing",
    ["responsible_person", "measures", "due_on", "funds", "interim_measures", "goals", "organisation"],
)
def test_a_major_plan_needs_every_item_of_the_five_implementations(missing):
    blank = None if missing in ("due_on", "funds") else "  "
    problems = rules.plan_problems(MAJOR, full_plan(**{missing: blank}), date(2026, 3, 1), DUE)
    assert [(p.field, p.code) for p in problems] == [(missing, ErrorCode.PLAN_INCOMPLETE)]
    assert "五落实" in str(problems[0].message)


def test_zero_funds_do_not_count_as_funds_in_place():
    problems = rules.plan_problems(MAJOR, full_plan(funds=Decimal("0")), date(2026, 3, 1), DUE)
    assert [p.field for p in problems] == ["funds"]


def test_a_complete_major_plan_passes():
    assert rules.plan_problems(MAJOR, full_plan(), date(2026, 3, 1), DUE) == []


def test_a_plan_cannot_go_past_the_deadline_set_at_registration():
    problems = rules.plan_problems(ORDINARY, full_plan(due_on=date(2026, 4, 1)), date(2026, 3, 1), DUE)
    assert [(p.field, p.code) for p in problems] == [("due_on", ErrorCode.PLAN_AFTER_DEADLINE)]


def test_the_verifier_is_never_the_submitter():
    with pytest.raises(RuleViolation) as caught:
        rules.check_verifier(
            rules.Verifier(grade=ORDINARY, verifier_id=7, submitter_id=7, is_supervising=True)
        )
    assert caught.value.code == ErrorCode.SAME_PERSON


@pytest.mark.parametrize(
    ("rectifying_unit", "grade", "allowed"),
    [(False, ORDINARY, True), (True, ORDINARY, False), (True, MAJOR, False)],
    ids=["another-supervising-body", "the-rectifying-unit", "the-rectifying-unit-major"],
)
def test_a_unit_never_closes_out_the_place_hazard_it_rectifies_for_another_finder(
    rectifying_unit, grade, allowed
):
    # A 督查 problem of 住建局 in 城镇燃气: 住建局 supervises the industry and is still not its verifier (issue #17).
    verifier = rules.Verifier(
        grade=grade,
        verifier_id=1,
        submitter_id=2,
        source="supervision",
        is_supervising=True,
        is_rectifying_unit_member=rectifying_unit,
    )
    if allowed:
        rules.check_verifier(verifier)
    else:
        with pytest.raises(RuleViolation) as caught:
            rules.check_verifier(verifier)
        assert caught.value.code == ErrorCode.RECTIFYING_UNIT_VERIFIER


@pytest.mark.parametrize(
    ("department", "expert", "allowed"),
    [(True, False, True), (False, True, True), (False, False, False)],
    ids=["department", "assigned-expert", "enterprise-or-town"],
)
def test_a_major_hazard_is_verified_by_the_department_or_an_assigned_expert(department, expert, allowed):
    verifier = rules.Verifier(
        grade=MAJOR, verifier_id=1, submitter_id=2, is_supervising=department, is_assigned_expert=expert
    )
    if allowed:
        rules.check_verifier(verifier)
    else:
        with pytest.raises(RuleViolation) as caught:
            rules.check_verifier(verifier)
        assert caught.value.code == ErrorCode.VERIFIER_ROLE


def test_an_extension_is_requested_before_the_deadline_and_moves_it_later():
    rules.check_extension(DUE, date(2026, 4, 30), today=DUE)
    with pytest.raises(RuleViolation) as late:
        rules.check_extension(DUE, date(2026, 4, 30), today=date(2026, 4, 1))
    assert late.value.code == ErrorCode.EXTENSION_LATE
    with pytest.raises(RuleViolation) as earlier:
        rules.check_extension(DUE, DUE, today=date(2026, 3, 1))
    assert earlier.value.code == ErrorCode.EXTENSION_NOT_LATER


def test_a_major_hazard_names_its_basis_and_an_ordinary_one_does_not_need_one():
    rules.check_major_basis(ORDINARY, "", "")
    rules.check_major_basis(MAJOR, "hc-02", "")
    rules.check_major_basis(MAJOR, "", "《煤矿重大事故隐患判定标准》第三条")
    with pytest.raises(RuleViolation):
        rules.check_major_basis(MAJOR, "", "")
    with pytest.raises(RuleViolation):
        rules.check_major_basis(MAJOR, "no-such-item", "")


def test_numbers_carry_the_county_the_year_and_a_serial():
    assert rules.hazard_number("341122000000", 2026, 12) == "YH341122-2026-00012"
    assert rules.county_of("341122100001") == "341122000000"


def test_pictures_are_recognised_by_their_content_not_their_name():
    assert rules.image_kind(png_bytes()[:32], png_bytes()[-32:]) == "png"
    assert rules.image_kind(b"\xff\xd8\xff\xe0" + b"0" * 28, b"0" * 30 + b"\xff\xd9") == "jpeg"
    assert rules.image_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert rules.image_kind(b"%PDF-1.7 not a picture") is None
    assert rules.image_kind(png_bytes()[:32], b"truncated") is None  # a PNG without its end


def test_a_photo_over_the_limit_or_not_a_picture_is_refused_with_its_name():
    with pytest.raises(RuleViolation) as big:
        rules.check_photo("big.png", 11, png_bytes()[:32], png_bytes()[-32:], max_bytes=10)
    assert big.value.code == ErrorCode.TOO_LARGE and "big.png" in str(big.value.message)
    with pytest.raises(RuleViolation) as fake:
        rules.check_photo("fake.jpg", 20, b"hello world", b"", max_bytes=100)
    assert fake.value.code == ErrorCode.NOT_AN_IMAGE


def test_rates_are_percentages_and_none_without_a_denominator():
    assert rules.rate(1, 3) == 33.3
    assert rules.rate(0, 0) is None


def test_every_major_criterion_names_its_standard_and_number():
    from anlan.hazards.data.major_criteria import CRITERIA

    assert len({c.key for c in CRITERIA}) == len(CRITERIA)
    for item in CRITERIA:
        assert item.standard.name and item.standard.number and item.article and item.text
