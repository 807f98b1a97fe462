"""Identifier and region-code rules (GB 32100, GB 11714, 统计用区划代码)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.core import rules
from anlan.core.rules import ErrorCode, RuleViolation

# Real, published codes (check characters computed by the issuing authorities).
KNOWN_VALID = ["91110000600037341L", "911100001000079554"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_published_codes_pass_the_check(code):
    assert rules.validate_uscc(code) == code


def test_lower_case_and_spaces_are_normalised():
    assert rules.validate_uscc("  91110000600037341l ") == "91110000600037341L"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        pytest.param("9111000060003734", ErrorCode.USCC_LENGTH, id="17-chars"),
        pytest.param("91110000600037341LX", ErrorCode.USCC_LENGTH, id="19-chars"),
        pytest.param("91110000600037341I", ErrorCode.USCC_CHARSET, id="letter-I-not-allowed"),
        pytest.param("911100O0600037341L", ErrorCode.USCC_CHARSET, id="letter-O-not-allowed"),
        pytest.param("91A10000600037341L", ErrorCode.USCC_DIVISION, id="division-not-digits"),
        pytest.param(
            "91110000600037342" + rules.uscc_check_character("91110000600037342"),
            ErrorCode.USCC_ORG_CHECK,
            id="wrong-org-code-check-with-a-consistent-final-check",
        ),
        pytest.param("91110000600037341M", ErrorCode.USCC_CHECK, id="wrong-check-character"),
    ],
)
def test_a_bad_code_is_rejected_naming_the_rule(code, error):
    with pytest.raises(RuleViolation) as caught:
        rules.validate_uscc(code)
    assert caught.value.code == error
    assert caught.value.field == "uscc"


def test_the_check_character_message_says_what_it_should_be():
    with pytest.raises(RuleViolation) as caught:
        rules.validate_uscc("91110000600037341M")
    assert "L" in str(caught.value.message)


ORG_BODY = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)


@given(body=ORG_BODY, division=st.from_regex(r"\A[0-9]{6}\Z"))
def test_every_composed_code_validates(body, division):
    assert rules.validate_uscc(rules.make_uscc("9", "1", division, body))


@given(body=ORG_BODY, position=st.integers(min_value=0, max_value=17), data=st.data())
def test_changing_any_single_character_is_detected(body, position, data):
    code = rules.make_uscc("9", "1", "341122", body)
    replacement = data.draw(st.sampled_from([c for c in rules.USCC_CHARSET if c != code[position]]))
    mutated = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(RuleViolation):
        rules.validate_uscc(mutated)


@pytest.mark.parametrize(
    ("code", "level", "bounds"),
    [
        ("340000000000", 1, ("340000000000", "349999999999")),
        ("341100000000", 2, ("341100000000", "341199999999")),
        ("341122000000", 3, ("341122000000", "341122999999")),
        ("341122100000", 4, ("341122100000", "341122100999")),
        ("341122100001", 5, ("341122100001", "341122100001")),
    ],
)
def test_subtree_bounds_follow_the_significant_prefix_of_each_level(code, level, bounds):
    assert rules.subtree_bounds(code, level) == bounds


def test_neighbouring_county_is_outside_the_subtree():
    low, high = rules.subtree_bounds("341122000000", 3)
    assert not low <= "341123100000" <= high
    assert not low <= "341121999999" <= high


@pytest.mark.parametrize(
    ("raw", "padded"), [("34", "340000000000"), ("3411", "341100000000"), ("341122", "341122000000")]
)
def test_short_codes_pad_to_twelve_digits(raw, padded):
    assert rules.pad_region_code(raw) == padded


@pytest.mark.parametrize("raw", ["3", "34112", "资料暂缺", "3411221"])
def test_malformed_division_codes_are_refused(raw):
    with pytest.raises(RuleViolation):
        rules.pad_region_code(raw)


@pytest.mark.parametrize(
    ("child", "level", "ok"),
    [
        ("341122100000", 4, True),
        ("341122100001", 4, False),  # a village code is not a town code
        ("341123100000", 4, False),  # another county's prefix
        ("341122000000", 4, False),  # the parent itself
    ],
)
def test_a_child_code_must_extend_its_parent_and_match_its_level(child, level, ok):
    assert rules.child_code_is_valid("341122000000", 3, child, level) is ok


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("0550-5601234", "055*****1234"), ("123", "***"), ("", "")],
)
def test_phone_masking_keeps_head_and_tail(phone, masked):
    assert rules.mask_phone(phone) == masked


@pytest.mark.parametrize("raw", ["٣٤", "３４１１", "34¹¹"])
def test_digits_of_other_scripts_are_not_region_codes(raw):
    with pytest.raises(RuleViolation):
        rules.pad_region_code(raw)


# ---------------------------------------------------------------- phone numbers and dates as clerks write them


@pytest.mark.parametrize(
    "raw,written",
    [
        ("13800000000", "13800000000"),
        ("+86 138 0000 0000", "13800000000"),
        ("008613800000000", "13800000000"),
        ("19912345678", "19912345678"),
        ("0550-1234567", "0550-1234567"),
        ("0550 1234567", "0550-1234567"),
        ("(0550)1234567", "0550-1234567"),
        ("（0550）1234567", "0550-1234567"),
        ("010-12345678", "010-12345678"),
        ("0550-1234567-801", "0550-1234567-801"),
    ],
)
def test_a_phone_number_is_kept_in_one_written_form(raw, written):
    assert rules.validate_phone(raw) == written


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "12800000000",
        "1380000000",
        "138000000001",
        "05501234567",
        "550-1234567",
        "0550-123456",
        "电话",
    ],
)
def test_a_phone_number_in_no_known_form_is_refused_with_both_forms_named(raw):
    with pytest.raises(rules.RuleViolation) as refused:
        rules.validate_phone(raw, "principal_phone")
    assert refused.value.field == "principal_phone" and "0550-1234567" in str(refused.value.message)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_every_common_chinese_date_spelling_reads_back(day):
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
    ):
        assert rules.parse_date_text(text) == day


@pytest.mark.parametrize("raw", ["2026-02-30", "2026年13月1日", "3/1/2026", "2026-3", "明天", ""])
def test_a_date_that_is_not_one_is_refused(raw):
    with pytest.raises(rules.RuleViolation):
        rules.parse_date_text(raw, "due_on")
