"""Pure rules of the core registry: identifier checks and region-code arithmetic. No ORM, no clock."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from .errors import ErrorCode


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


def ancestor_code(code: str, level: int) -> str:
    """The 12-digit code of the ancestor at `level` (1 province … 5 village) of a 12-digit region code."""
    return region_prefix(code, level).ljust(REGION_CODE_LENGTH, "0")


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


def mask_id_number(number: str) -> str:
    """Mask the birth date of a 居民身份证号码 (keep the first 6 and last 4) for viewers who do not need it
    (design.md §3, personal data; the same viewers as `mask_phone`)."""
    code = (number or "").strip()
    if len(code) < 11:
        return "*" * len(code)
    return code[:6] + "*" * (len(code) - 10) + code[-4:]


# Licences (证照): the registry's reminder window, a product choice (the 30 days the home page has always used);
# 《安全生产许可证条例》第九条 asks for renewal 3 months before expiry, so the reminder is a last call.
LICENCE_EXPIRY_WINDOW_DAYS = 30


def licence_expiry_cutoff(today: date) -> date:
    """The last `valid_until` that counts as expiring as of `today` (expired ones included)."""
    return today + timedelta(days=LICENCE_EXPIRY_WINDOW_DAYS)


def licence_expiring(valid_until: date, today: date) -> bool:
    """Whether a licence has expired or expires within the window (the cutoff day included)."""
    return valid_until <= licence_expiry_cutoff(today)


# ---------------------------------------------------------------- 居民身份证号码 (people registry)

# GB 11643-1999 §4-§8: 6-digit address code, 8-digit birth date, 3-digit sequence, check character (ISO 7064
# MOD 11-2: weights 2^(17-i) mod 11, remainder 0-10 mapped to 1 0 X 9 8 7 6 5 4 3 2).
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK_CHARACTERS = "10X98765432"


def id_number_check_character(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits of a 居民身份证号码."""
    total = sum(int(ch) * w for ch, w in zip(first17, ID_NUMBER_WEIGHTS, strict=True))
    return ID_NUMBER_CHECK_CHARACTERS[total % 11]


def normalize_id_number(raw: str) -> str:
    return (raw or "").strip().upper()


def validate_id_number(raw: str, field: str = "id_number") -> str:
    """Return the normalised 18-character number or raise RuleViolation naming the rule it breaks."""
    code = normalize_id_number(raw)
    if len(code) != 18:
        raise RuleViolation(
            field,
            ErrorCode.ID_NUMBER_LENGTH,
            _("居民身份证号码应为18位，当前为%(n)d位。") % {"n": len(code)},
        )
    if not is_ascii_digits(code[:17]) or not (is_ascii_digits(code[17]) or code[17] == "X"):
        raise RuleViolation(
            field,
            ErrorCode.ID_NUMBER_CHARSET,
            _("居民身份证号码前17位应为数字，第18位为数字或 X。"),
        )
    try:
        date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise RuleViolation(
            field,
            ErrorCode.ID_NUMBER_BIRTH_DATE,
            _("居民身份证号码第7—14位（出生日期）不是有效日期。"),
        ) from None
    expected = id_number_check_character(code[:17])
    if code[17] != expected:
        raise RuleViolation(
            field,
            ErrorCode.ID_NUMBER_CHECK,
            _("居民身份证号码校验码错误：第18位应为 %(expected)s，实际为 %(actual)s。")
            % {"expected": expected, "actual": code[17]},
        )
    return code


# ---------------------------------------------------------------- working days (工作日)

# 《全国年节及纪念日放假办法》 and each year's 国务院办公厅 notice: Monday-Friday are working days unless the notice
# makes them holidays; Saturday and Sunday are rest days unless it makes them make-up working days (调休上班).


def is_working_day(day: date, *, holidays: Collection[date], workdays: Collection[date]) -> bool:
    """Whether `day` is a working day, given the notice's holidays and make-up working days."""
    if day in holidays:
        return False
    if day in workdays:
        return True
    return day.weekday() < 5


# 《民法典》第二百零一条: a period counted in days does not include the day it starts from; it runs from the next day.
def add_working_days(start: date, n: int, *, holidays: Collection[date], workdays: Collection[date]) -> date:
    """The last day of "`n` 个工作日内" counted from `start`: the n-th working day *after* `start`.

    `start` itself never counts, whether or not it is a working day (a notice served on Friday with 3 working
    days is due on Wednesday; served on Saturday, also on Wednesday). `n == 0` gives `start`. A negative `n`
    is refused. `holidays` and `workdays` must cover every day after `start` up to the result.
    """
    if n < 0:
        raise RuleViolation("n", ErrorCode.WORKING_DAYS_NEGATIVE, _("工作日天数不能为负数。"))
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day, holidays=holidays, workdays=workdays):
            n -= 1
    return day


def working_days_between(
    start: date, end: date, *, holidays: Collection[date], workdays: Collection[date]
) -> int:
    """The working days in (start, end]: `start` excluded, `end` included; 0 when `end` is not after `start`.

    The inverse of `add_working_days`: `working_days_between(s, add_working_days(s, n)) == n`.
    """
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays=holidays, workdays=workdays):
            count += 1
    return count


# ---------------------------------------------------------------- receipt-confirmed tasks (接收确认)


# Escalation of an unconfirmed task: the first at its confirmation deadline, each further level one confirmation
# period (deadline - sent) after the previous one, so a 30-minute warning receipt escalates every 30 minutes.
def receipt_escalation_due_at(sent_at: datetime, confirm_by: datetime, level: int) -> datetime:
    """When an unconfirmed task now at escalation `level` escalates to `level + 1`."""
    return confirm_by + level * (confirm_by - sent_at)


# 安全生产法 (2021) 第六十五条第一款第（三）项: 经审查同意，方可恢复生产经营 — a suspended (停产整顿) enterprise
# returns to operating through the 复产验收 chain, never by a change of its status.
def resumes_only_through_acceptance(old: str, new: str, *, under_order: bool = False) -> bool:
    """Whether moving an enterprise's 经营状态 from `old` to `new` by a status change is refused: suspended →
    operating always; closed/deregistered → operating while a 停产整顿 order is still in force."""
    if new != "operating":
        return False
    return old == "suspended" or under_order


def resume_refusal_message() -> str:
    return str(
        _("停产整顿的单位经复产验收合格方可恢复生产经营（安全生产法第六十五条），不能直接变更经营状态。")
    )


# ---------------------------------------------------------------- phone numbers and dates as clerks write them

# Mobile numbers: 11 digits in the 13–19 blocks (工业和信息化部《电信网码号资源管理办法》); landlines: a 3- or
# 4-digit area code from 0, a 7- or 8-digit local number, an optional extension.
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE_RE = re.compile(r"(0[0-9]{2,3})-([0-9]{7,8})(?:-([0-9]{1,6}))?")
PHONE_MESSAGE = _(
    "电话号码格式不正确：手机号为11位数字（如13800000000）；固定电话写作“区号-号码”（如0550-1234567），"
    "有分机的再加“-分机号”。"
)


def validate_phone(raw: str, field: str = "phone") -> str:
    """A mobile or landline number in one written form: spaces dropped, +86/0086 dropped before a mobile,
    "(0550)1234567" and "0550 1234567" written "0550-1234567"; anything else is refused."""
    text = re.sub(r"[\s\u3000]+", " ", (raw or "").strip())
    text = text.replace("（", "(").replace("）", ")").replace("－", "-").replace("—", "-")
    compact = text.replace(" ", "")
    mobile = re.sub(r"^(\+86|0086|86)(?=1[3-9][0-9]{9}$)", "", compact)
    if MOBILE_RE.fullmatch(mobile):
        return mobile
    landline = re.sub(r"^\((0[0-9]{2,3})\)-?", r"\1-", compact) if compact.startswith("(") else text
    landline = re.sub(r"^(0[0-9]{2,3}) ", r"\1-", landline).replace(" ", "")
    if LANDLINE_RE.fullmatch(landline):
        return landline
    raise RuleViolation(field, ErrorCode.PHONE_FORMAT, PHONE_MESSAGE)


DATE_PATTERNS = (
    re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"),
    re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"),
    re.compile(r"([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日?"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
)


def parse_date_text(raw: str, field: str = "date") -> date:
    """A date as Chinese clerks write it: 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日 or 20260301."""
    text = (raw or "").strip().replace(" ", "")
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                raise RuleViolation(
                    field, ErrorCode.DATE_FORMAT, _("日期“%(v)s”不存在，请检查月份和日。") % {"v": raw}
                ) from None
    raise RuleViolation(
        field,
        ErrorCode.DATE_FORMAT,
        _("日期“%(v)s”无法识别：请写作 2026-03-01、2026/3/1、2026.3.1 或 2026年3月1日。") % {"v": raw},
    )


# ---------------------------------------------------------------- GB/T 4754-2017 sections (issue #14)

# GB/T 4754-2017 门类 and the 大类 (two-digit division) ranges each holds (regulations.md §10).
INDUSTRY_SECTIONS = (
    ("A", 1, 5, "农、林、牧、渔业"),
    ("B", 6, 12, "采矿业"),
    ("C", 13, 43, "制造业"),
    ("D", 44, 46, "电力、热力、燃气及水生产和供应业"),
    ("E", 47, 50, "建筑业"),
    ("F", 51, 52, "批发和零售业"),
    ("G", 53, 60, "交通运输、仓储和邮政业"),
    ("H", 61, 62, "住宿和餐饮业"),
    ("I", 63, 65, "信息传输、软件和信息技术服务业"),
    ("J", 66, 69, "金融业"),
    ("K", 70, 70, "房地产业"),
    ("L", 71, 72, "租赁和商务服务业"),
    ("M", 73, 75, "科学研究和技术服务业"),
    ("N", 76, 79, "水利、环境和公共设施管理业"),
    ("O", 80, 82, "居民服务、修理和其他服务业"),
    ("P", 83, 83, "教育"),
    ("Q", 84, 85, "卫生和社会工作"),
    ("R", 86, 90, "文化、体育和娱乐业"),
    ("S", 91, 96, "公共管理、社会保障和社会组织"),
    ("T", 97, 97, "国际组织"),
)
SECTION_NAMES = {letter: name for letter, _low, _high, name in INDUSTRY_SECTIONS}
INDUSTRY_CODE_RE = re.compile(r"([A-Ta-t]?)(?:([0-9]{2})[0-9]{0,2})?")


def industry_section(code: str) -> str:
    """The 门类 letter of a division ("26"), a prefixed code ("C26"), a longer class code ("C2614") or a
    section itself ("C")."""
    match = INDUSTRY_CODE_RE.fullmatch((code or "").strip())
    if not match or not any(match.groups()):
        raise ValueError(f"not a GB/T 4754-2017 code: {code!r}")
    letter = match.group(1).upper()
    if match.group(2) is None:
        return letter
    division = int(match.group(2))
    for section, low, high, _name in INDUSTRY_SECTIONS:
        if low <= division <= high:
            if letter and letter != section:
                raise ValueError(f"division {division:02d} belongs to section {section}, not {letter}")
            return section
    raise ValueError(f"no section holds division {division:02d}")


INDUSTRY_CODES_SEPARATOR_RE = re.compile(r"[,，、;；\s]+")


def industry_section_of(gb4754: str) -> str:
    """The 门类 of an industry from its GB/T 4754-2017 codes (comma-separated sections, divisions or classes):
    "" when it has none; its section when they all agree; the first code's section when they span sections.

    GB/T 4754-2017 puts a unit with several activities in the industry of its main one (主要经济活动), and
    an industry lists its main code first (危险化学品 "C25,C26,F5162" is 制造业), so statistics by section
    count every classified industry once, in its main section. A bad code raises ValueError."""
    codes = [code for code in INDUSTRY_CODES_SEPARATOR_RE.split(gb4754 or "") if code]
    sections = [industry_section(code) for code in codes]
    return sections[0] if sections else ""


def section_label(section: str | None) -> str:
    """A 门类 as statistics show it: "C 制造业"; 未归类 for an industry (or a record) without one."""
    if section in SECTION_NAMES:
        return f"{section} {SECTION_NAMES[section]}"
    return str(_("未归类"))


# ---------------------------------------------------------------- type-ahead pickers

NAME_INITIALS_LENGTH = 120  # Enterprise.name's max_length: one letter or digit per character at most
PICKER_QUERY_LENGTH = 50  # longer input is cut: no name or code needs more to be found
PICKER_LIMIT = 20  # at most this many choices in a picker's drop-down


def name_initials(name: str) -> str:
    """The pinyin initials of a name, for typing ahead (安澜化工有限公司 → "alhgyxgs").

    Full-width letters and digits count as their ASCII forms (NFKC); Latin letters are kept lower-cased and
    digits kept, one per character (3D打印 → "3ddy"); punctuation, spaces and brackets are dropped. A
    polyphonic character takes pypinyin's reading in context (its phrase dictionary, heteronym=False): 重庆
    → "cq", 银行 → "yh", and 长丰 → "zf" (长 read zhǎng there), so a user typing the other reading finds the
    name by its text, not its initials. Characters pypinyin does not know are dropped.
    """
    text = unicodedata.normalize("NFKC", name or "")
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=list)
    initials = "".join(ch for part in letters for ch in part.lower() if ch in _INITIAL_CHARACTERS)
    return initials[:NAME_INITIALS_LENGTH]


# The characters initials are made of, in the order the database sorts them (digits, then letters).
INITIALS_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_INITIAL_CHARACTERS = frozenset(INITIALS_ALPHABET)


def picker_query(raw: str) -> str:
    """What a picker searches for: the typed text trimmed (full-width forms as ASCII), at most 50 characters;
    "" means nothing to search (one character is enough: a Chinese character, a letter or a digit)."""
    return unicodedata.normalize("NFKC", raw or "").strip()[:PICKER_QUERY_LENGTH]


def initials_query(query: str) -> str | None:
    """The initials a query can be a prefix of (ASCII letters and digits only, lower-cased), or None."""
    text = query.lower()
    return text if text and all(ch in _INITIAL_CHARACTERS for ch in text) else None


def uscc_query(query: str) -> str | None:
    """The credit-code prefix a query can be (only characters of the code's alphabet, upper-cased), or None."""
    text = query.upper()
    return text if text and all(ch in USCC_CHARSET for ch in text) else None


def prefix_end(prefix: str, alphabet: str) -> str:
    """The smallest string of `alphabet` past every string starting with `prefix` ("9134" → "9135", "91Y" →
    "92" in the credit code's alphabet), so a prefix is a range an ordinary index serves on SQLite and
    PostgreSQL alike (where a LIKE may not use it); "" when no string is past them. The alphabet's order
    is the database's for these characters in any collation (digits, then letters of one case)."""
    while prefix:
        position = alphabet.index(prefix[-1]) + 1
        if position < len(alphabet):
            return prefix[:-1] + alphabet[position]
        prefix = prefix[:-1]
    return ""


def uscc_prefix_end(prefix: str) -> str:
    """`prefix_end` of a credit-code prefix (`uscc_query`)."""
    return prefix_end(prefix, USCC_CHARSET)


def initials_prefix_end(prefix: str) -> str:
    """`prefix_end` of an initials prefix (`initials_query`)."""
    return prefix_end(prefix, INITIALS_ALPHABET)


def text_prefix_end(prefix: str) -> str:
    """The smallest text past every text starting with `prefix` in code-point order (SQLite's BINARY
    collation, not a linguistic one): its last character's successor ("来安" → "来宊")."""
    while prefix:
        code = ord(prefix[-1]) + 1
        if 0xD800 <= code <= 0xDFFF:  # surrogates are not characters
            code = 0xE000
        if code <= 0x10FFFF:
            return prefix[:-1] + chr(code)
        prefix = prefix[:-1]
    return ""


# ---------------------------------------------------------------- 主要负责人 barred after a closure

# 安全生产法 (2021) 第一百一十三条: 予以关闭的生产经营单位，其主要负责人五年内不得担任任何生产经营单位的主要负责人.
PRINCIPAL_BAR_YEARS = 5


def add_years(day: date, years: int) -> date:
    """The day a period of `years` years starting on `day` ends: the same calendar day `years` later (民法典
    第二百零一条: the first day is not counted, the period ends on the corresponding day; 29 February ends on
    28 February in a year without one)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → a year without one
        return day.replace(year=day.year + years, day=28)


def principal_bar_ends(starts_on: date, years: int = PRINCIPAL_BAR_YEARS) -> date:
    """The last day of a bar starting on `starts_on`: the same calendar day `years` later (`add_years`)."""
    return add_years(starts_on, years)


def bar_in_force(starts_on: date, ends_on: date, day: date) -> bool:
    """Whether a bar holds on `day`: from its first day to its last, both included."""
    return starts_on <= day <= ends_on


# 特种作业操作证 (原安监总局令第30号, amended by 第80号; regulations.md §9, confirmed for the three date rules).
CERTIFICATE_VALIDITY_YEARS = 6  # 第十九条: 有效期6年，在全国范围内有效
CERTIFICATE_REVIEW_YEARS = 3  # 第二十一条: 每3年复审1次
CERTIFICATE_EXTENDED_REVIEW_YEARS = 6  # 第二十一条: 连续从事本工种10年以上…复审时间可以延长至每6年1次
CERTIFICATE_EXTENSION_MIN_YEARS = 10  # 第二十一条: 连续从事本工种10年以上
CERTIFICATE_REVIEW_WINDOW_DAYS = 60  # 第二十二条: 期满前60日内提出复审申请
CERTIFICATE_PASS_MARK = 80  # 考试满分100分，80分以上为合格 (likely: exam material, regulations.md §9)


@dataclass(frozen=True)
class CertificateDates:
    """The dates of one 特种作业操作证: its last valid day, the day its 复审 falls due, the review interval in years
    and the first day of the 60-day window in which to apply for the review."""

    valid_until: date
    review_due: date
    review_interval_years: int
    review_window_opens: date


def _require_date(value, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{name} must be a date, not {type(value).__name__}")
    return value


def certificate_dates(
    issued_on: date,
    *,
    continuous_years_same_trade: int = 0,
    compliant: bool = True,
    authority_agrees: bool = False,
) -> CertificateDates:
    """The dates of a 特种作业操作证 issued on `issued_on`: valid 6 years (30号令 第十九条); 复审 every 3 years, every
    6 years when the holder has worked the same trade continuously for 10 years or more, obeyed the safety rules
    and the authority agrees (第二十一条); the review is applied for within 60 days before it falls due (第二十二条).
    Periods of years end on the same calendar day (`add_years`). ValueError on a non-date or a negative or
    non-integer number of years."""
    _require_date(issued_on, "issued_on")
    if isinstance(continuous_years_same_trade, bool) or not isinstance(continuous_years_same_trade, int):
        raise ValueError("continuous_years_same_trade must be an integer")
    if continuous_years_same_trade < 0:
        raise ValueError("continuous_years_same_trade must not be negative")
    if not isinstance(compliant, bool) or not isinstance(authority_agrees, bool):
        raise ValueError("compliant and authority_agrees must be booleans")
    extended = (
        continuous_years_same_trade >= CERTIFICATE_EXTENSION_MIN_YEARS and compliant and authority_agrees
    )
    interval = CERTIFICATE_EXTENDED_REVIEW_YEARS if extended else CERTIFICATE_REVIEW_YEARS
    review_due = add_years(issued_on, interval)
    return CertificateDates(
        valid_until=add_years(issued_on, CERTIFICATE_VALIDITY_YEARS),
        review_due=review_due,
        review_interval_years=interval,
        review_window_opens=review_due - timedelta(days=CERTIFICATE_REVIEW_WINDOW_DAYS),
    )


def certificate_exam_passed(score) -> bool:
    """Whether an exam or 考核 score passes: out of 100, 80 or more passes (regulations.md §9, likely). ValueError
    for a bool, NaN, a non-number or a score outside 0–100."""
    from decimal import Decimal

    if isinstance(score, bool) or not isinstance(score, int | float | Decimal):
        raise ValueError("score must be a number")
    if score != score:  # NaN
        raise ValueError("score must not be NaN")
    if not 0 <= score <= 100:
        raise ValueError("score must be between 0 and 100")
    return score >= CERTIFICATE_PASS_MARK
