"""Pure rules of the core registry: identifier checks and region-code arithmetic. No ORM, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    USCC_LENGTH = "uscc_length"
    USCC_CHARSET = "uscc_charset"
    USCC_DIVISION = "uscc_division"
    USCC_ORG_CHECK = "uscc_org_check"
    USCC_CHECK = "uscc_check"
    REGION_CODE = "region_code"


@dataclass
class RuleViolation(Exception):
    """A regulatory or identifier rule that input breaks: which field, which rule, and a message for people."""

    field: str
    code: ErrorCode
    message: str

    def __str__(self) -> str:
        return str(self.message)


# GB 32100-2015 §4: the 31 characters allowed (no I, O, Z, S, V) and the weights of positions 1-17.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997: the 主体标识码 (organisation code, positions 9-17) has its own check character.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def is_ascii_digits(text: str) -> bool:
    """Digits 0-9 only: str.isdigit() also accepts other scripts' digits and superscripts."""
    return text.isascii() and text.isdigit()


def uscc_check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a 统一社会信用代码."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_character(first8: str) -> str:
    """The GB 11714 check character for the first 8 characters of an organisation code."""
    total = sum(ORG_CODE_CHARSET.index(ch) * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalize_uscc(raw: str) -> str:
    return (raw or "").strip().upper()


def validate_uscc(raw: str, field: str = "uscc") -> str:
    """Return the normalised code or raise RuleViolation naming the rule it breaks (GB 32100-2015)."""
    code = normalize_uscc(raw)
    if len(code) != 18:
        raise RuleViolation(
            field,
            ErrorCode.USCC_LENGTH,
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in USCC_CHARSET})
    if bad:
        raise RuleViolation(
            field,
            ErrorCode.USCC_CHARSET,
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。")
            % {"chars": str(_("、")).join(bad)},
        )
    if not is_ascii_digits(code[2:8]):
        raise RuleViolation(
            field,
            ErrorCode.USCC_DIVISION,
            _("统一社会信用代码第3—8位应为登记管理机关行政区划码（6位数字）。"),
        )
    if code[16] != org_code_check_character(code[8:16]):
        raise RuleViolation(
            field,
            ErrorCode.USCC_ORG_CHECK,
            _("统一社会信用代码第9—17位（组织机构代码）的校验位错误，请核对。"),
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise RuleViolation(
            field,
            ErrorCode.USCC_CHECK,
            _("统一社会信用代码校验位错误：第18位应为 %(expected)s，实际为 %(actual)s。")
            % {"expected": expected, "actual": code[17]},
        )
    return code


def make_uscc(department: str, category: str, division: str, org_body: str) -> str:
    """Compose a valid code from its parts (used by the demo generator and tests).

    department/category: 1 char each; division: 6 digits; org_body: 8 characters of the organisation code.
    """
    org = org_body + org_code_check_character(org_body)
    first17 = department + category + division + org
    return first17 + uscc_check_character(first17)


# 统计用区划代码 (国家统计局) and GB/T 2260: 12 digits read as province(2) city(2) county(2)
# town(3) village(3); the significant prefix of each level is the subtree key.
LEVEL_PREFIX_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
REGION_CODE_LENGTH = 12


def pad_region_code(code: str) -> str:
    """Pad a 2/4/6/9/12-digit division code to the 12-digit statistical form."""
    if not is_ascii_digits(code) or len(code) not in LEVEL_PREFIX_LENGTH.values():
        raise RuleViolation("code", ErrorCode.REGION_CODE, _("区划代码应为2、4、6、9或12位数字。"))
    return code.ljust(REGION_CODE_LENGTH, "0")


def region_prefix(code: str, level: int) -> str:
    return code[: LEVEL_PREFIX_LENGTH[level]]


def subtree_bounds(code: str, level: int) -> tuple[str, str]:
    """The inclusive range of 12-digit codes inside a region's subtree (the region itself included)."""
    prefix = region_prefix(code, level)
    return prefix.ljust(REGION_CODE_LENGTH, "0"), prefix.ljust(REGION_CODE_LENGTH, "9")


def level_of_code(code: str) -> int:
    """The lowest level a 12-digit code can denote, from its trailing zero groups."""
    for level in (5, 4, 3, 2):
        start = LEVEL_PREFIX_LENGTH[level - 1]
        if code[start : LEVEL_PREFIX_LENGTH[level]].strip("0"):
            return level
    return 1


def child_code_is_valid(parent_code: str, parent_level: int, child_code: str, child_level: int) -> bool:
    """A child's code must extend its parent's prefix and be a code of its own level."""
    return (
        child_code.startswith(region_prefix(parent_code, parent_level))
        and child_code != parent_code
        and len(child_code) == REGION_CODE_LENGTH
        and is_ascii_digits(child_code)
        and child_code[LEVEL_PREFIX_LENGTH[child_level] :].strip("0") == ""
    )


def mask_phone(phone: str) -> str:
    """Mask the middle of a phone number for viewers who do not need it (design.md §3, personal data)."""
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
