"""The enterprise's own safety work as pure rules (no ORM): risk grading (LEC, LS), self-inspection schedules,
standardisation and insurance periods. Each rule names its source (../shared/regulations.md)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from anlan.core.rules import RuleViolation, add_years

from .data import selfcheck as selfcheck_data
from .data import standard as standard_data

# ================================================================ 安全生产标准化, 安责险, 安全生产费用, 一必须五到位
# (part `standard`). The published rules are data in anlan/risk/data/standard.py, each with its source and how
# sure we are; the functions below apply them. Dates are passed in (no now()).


class StandardCode(StrEnum):
    """Error codes of the standardisation, insurance and spending rules and services."""

    POLICY_PERIOD = "standard_policy_period"
    AMOUNT_NEGATIVE = "standard_amount_negative"
    AMOUNT_INVALID = "standard_amount_invalid"
    GRADE_INVALID = "standard_grade_invalid"
    ISSUED_IN_FUTURE = "standard_issued_in_future"
    TEXT_MISSING = "standard_text_missing"
    NOT_ENTERPRISE = "standard_not_enterprise"
    ALREADY_CONFIRMED = "standard_already_confirmed"
    DUPLICATE = "standard_duplicate"
    YEAR_INVALID = "standard_year_invalid"


STANDARD_GRADES = ("1", "2", "3")
# Grades that still hold (a grade flagged for withdrawal holds until a supervisor withdraws it).
GRADE_HOLDING_STATUSES = frozenset({"current", "under_review"})
GRADE_EXPIRY_NOTICE_DAYS = 90
POLICY_EXPIRY_NOTICE_DAYS = 30


def grade_valid_until(issued_on: date) -> date:
    """The last day of a 标准化 grade: 3 years from the day it was issued, on the same calendar day (应急〔2021〕83号,
    counted with core.rules.add_years)."""
    return add_years(issued_on, standard_data.GRADE_VALIDITY_YEARS)


def grade_is_current(status: str, valid_until: date, day: date) -> bool:
    """Whether a grade holds on `day`: neither withdrawn nor expired, and `day` no later than its last day."""
    return status in GRADE_HOLDING_STATUSES and day <= valid_until


def grade_expiring(valid_until: date, today: date, days: int = GRADE_EXPIRY_NOTICE_DAYS) -> bool:
    """Whether a grade ends within `days` from `today` (today and its last day included), so the enterprise should
    apply again in time."""
    return today <= valid_until <= today + timedelta(days=days)


def accident_within_grade(issued_on: date, valid_until: date, occurred_on: date) -> bool:
    """Whether an accident happened while the grade was in force (its first and last days included)."""
    return issued_on <= occurred_on <= valid_until


def issuing_level_of(grade: str) -> str:
    """The level that issues a grade: 一级 national, 二级 province, 三级 city or county (应急〔2021〕83号)."""
    if grade not in STANDARD_GRADES:
        raise ValueError(f"unknown standardisation grade {grade!r}")
    return standard_data.GRADE_ISSUING_LEVEL[grade]


def withdrawal_conditions(grade: str, facts: Mapping) -> list[standard_data.WithdrawalCondition]:
    """The withdrawal conditions (data: WITHDRAWAL_CONDITIONS) that `facts` meet for a grade, in table order,
    each carrying its source. Facts: `deaths` (int), `accident_grade` ("ordinary" … "extraordinarily_serious"),
    and the booleans `concealed_or_false_report`, `listed_seriously_dishonest`, `major_hazard_unrectified`,
    `falsified_application`; a missing fact does not meet its condition."""
    if grade not in STANDARD_GRADES:
        raise ValueError(f"unknown standardisation grade {grade!r}")
    values = dict(facts)
    deaths = values.get("deaths", 0) or 0
    if isinstance(deaths, bool) or not isinstance(deaths, int) or deaths < 0:
        raise ValueError("deaths must be a non-negative integer")
    accident_grade = values.get("accident_grade")
    if accident_grade:
        if accident_grade not in standard_data.ACCIDENT_GRADE_RANK:
            raise ValueError(f"unknown accident grade {accident_grade!r}")
        values["accident_grade_rank"] = standard_data.ACCIDENT_GRADE_RANK[accident_grade]
    met = []
    for condition in standard_data.WITHDRAWAL_CONDITIONS:
        if grade not in condition.grades:
            continue
        value = values.get(condition.fact)
        if condition.minimum is True:
            hit = value is True
        else:
            hit = isinstance(value, int) and not isinstance(value, bool) and value >= condition.minimum
        if hit:
            met.append(condition)
    return met


def insurance_requirement(industry_codes: Iterable[str]) -> standard_data.CompulsoryIndustry | None:
    """The 高危行业、领域 (data: COMPULSORY_INSURANCE) that makes 安责险 compulsory for an enterprise whose main
    industry has these codes (its own code and its ancestors'), or None (安全生产法 第五十一条; 安责险实施办法)."""
    codes = set(industry_codes)
    for entry in standard_data.COMPULSORY_INSURANCE:
        if codes.intersection(entry.industry_codes):
            return entry
    return None


def compulsory_insurance_codes() -> frozenset[str]:
    """Every industry code (the tree's nodes) named by the compulsory list; their subtrees are compulsory too."""
    return frozenset(code for entry in standard_data.COMPULSORY_INSURANCE for code in entry.industry_codes)


def policy_covers(starts_on: date, ends_on: date, day: date) -> bool:
    """Whether a policy covers `day`: from its first day to its last, both included."""
    return starts_on <= day <= ends_on


def policy_expiring(ends_on: date, today: date, days: int = POLICY_EXPIRY_NOTICE_DAYS) -> bool:
    """Whether a policy in force ends within `days` (renew in time: 不得延迟续保, 安责险实施办法 第十六条)."""
    return today <= ends_on <= today + timedelta(days=days)


def check_policy_period(starts_on: date, ends_on: date) -> None:
    """A policy ends on or after the day it starts."""
    if ends_on < starts_on:
        raise RuleViolation("ends_on", StandardCode.POLICY_PERIOD, _("保险止期不能早于起期。"))


def below_per_person_minimum(per_person_yuan: Decimal | int) -> bool:
    """Whether the 每人死亡伤残责任限额 is below the national minimum of 400,000 yuan (安责险实施办法 第十五条,
    2025 revision; likely)."""
    return Decimal(per_person_yuan) < standard_data.PER_PERSON_MINIMUM_YUAN


def check_spending(extracted: Decimal, used: Mapping[str, Decimal]) -> None:
    """Amounts are not negative and name the categories of 财资〔2022〕136号 (data: SPENDING_CATEGORIES)."""
    if extracted is None or extracted < 0:
        raise RuleViolation("extracted", StandardCode.AMOUNT_NEGATIVE, _("提取金额不能为负数。"))
    known = {code for code, _label, _c in standard_data.SPENDING_CATEGORIES}
    for category, amount in used.items():
        if category not in known:
            raise ValueError(f"unknown spending category {category!r}")
        if amount < 0:
            raise RuleViolation(f"used_{category}", StandardCode.AMOUNT_NEGATIVE, _("使用金额不能为负数。"))


# ---------------------------------------------------------------- 一必须五到位

IN_PLACE = "in_place"
NOT_IN_PLACE = "not_in_place"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class ProfileFacts:
    """What the 一必须五到位 profile reads. None means "not known": the module that would tell is not installed
    (未接入). `risk_register`: True when the enterprise has an assessed risk register; `selfcheck_missing`: missed
    self-inspection periods (None: no checklist or not installed); `filed_plans`: the enterprise's filed plans."""

    has_principal: bool
    has_safety_manager: bool
    has_responsibility_system: bool
    year: int
    spending_extracted: Decimal | None
    spending_used: Decimal | None
    training_in_place: bool | None
    risk_register: bool | None
    selfcheck_missing: int | None
    selfcheck_known: bool
    filed_plans: int | None


@dataclass(frozen=True)
class ProfileItem:
    key: str
    label: str
    state: str
    reasons: tuple[str, ...]


def _item(key, label, problems, notes=(), known=True) -> ProfileItem:
    if not known:
        return ProfileItem(key, str(label), UNKNOWN, tuple(str(n) for n in notes))
    state = NOT_IN_PLACE if problems else IN_PLACE
    return ProfileItem(key, str(label), state, tuple(str(p) for p in (*problems, *notes)))


def five_in_place(facts: ProfileFacts) -> list[ProfileItem]:
    """The 一必须五到位 profile (seed-map A10; 安全生产法 第二十一条 责任制, 第二十三条 投入, 第二十八条 培训,
    第四十一条 双重预防, 第八十一条 预案): each item in place, not in place, or unknown, with why in words."""
    # 责任到位: the principal and a safety manager recorded, and a responsibility system adopted.
    problems = []
    if not facts.has_principal:
        problems.append(_("未登记主要负责人"))
    if not facts.has_safety_manager:
        problems.append(_("未登记安全管理人员"))
    if not facts.has_responsibility_system:
        problems.append(_("未登记全员安全生产责任制文件"))
    duty = _item(
        "duty",
        _("安全责任到位"),
        problems,
        () if problems else (_("主要负责人、安全管理人员和责任制均已登记"),),
    )

    # 投入到位: this year's 安全生产费用 extracted and used (财资〔2022〕136号).
    problems = []
    if facts.spending_extracted is None:
        problems.append(_("%(year)s 年未登记安全生产费用提取") % {"year": facts.year})
    elif facts.spending_extracted <= 0:
        problems.append(_("%(year)s 年安全生产费用提取金额为零") % {"year": facts.year})
    if facts.spending_extracted is not None and not facts.spending_used:
        problems.append(_("%(year)s 年未登记安全生产费用使用") % {"year": facts.year})
    notes = ()
    if not problems:
        notes = (
            _("%(year)s 年提取 %(e)s 元，使用 %(u)s 元")
            % {
                "year": facts.year,
                "e": f"{facts.spending_extracted:,.2f}",
                "u": f"{facts.spending_used:,.2f}",
            },
        )
    money = _item("money", _("安全投入到位"), problems, notes)

    # 培训到位: from the training records, when a module provides them.
    if facts.training_in_place is None:
        training = _item("training", _("安全培训到位"), (), (_("培训记录未接入"),), known=False)
    elif facts.training_in_place:
        training = _item("training", _("安全培训到位"), (), (_("培训记录符合要求"),))
    else:
        training = _item("training", _("安全培训到位"), (_("培训记录不符合要求"),))

    # 管理到位: the 双重预防 risk register and self-inspection, when their modules are installed.
    problems, notes = [], []
    if facts.risk_register is None:
        notes.append(_("风险分级管控未接入"))
    elif facts.risk_register:
        notes.append(_("已建立风险分级管控清单"))
    else:
        problems.append(_("未建立风险分级管控清单（无已评估的风险点）"))
    if not facts.selfcheck_known:
        notes.append(_("自查自改未接入"))
    elif facts.selfcheck_missing is None:
        problems.append(_("未建立自查清单"))
    elif facts.selfcheck_missing > 0:
        problems.append(_("近 90 天缺少 %(n)s 次自查") % {"n": facts.selfcheck_missing})
    else:
        notes.append(_("近 90 天按期自查"))
    known = facts.risk_register is not None or facts.selfcheck_known
    management = _item("management", _("安全管理到位"), problems, notes, known=known)

    # 应急救援到位: an emergency plan filed (备案) with the supervising department.
    if facts.filed_plans is None:
        rescue = _item("rescue", _("应急救援到位"), (), (_("应急预案未接入"),), known=False)
    elif facts.filed_plans > 0:
        rescue = _item(
            "rescue", _("应急救援到位"), (), (_("已备案应急预案 %(n)s 件") % {"n": facts.filed_plans},)
        )
    else:
        rescue = _item("rescue", _("应急救援到位"), (_("无已备案的应急预案"),))
    return [duty, money, training, management, rescue]


# ---------------------------------------------------------------- risk grading (双重预防, regulations.md §5)

# The four levels, most severe first, and their colours (安委办〔2016〕11号: 重大/红, 较大/橙, 一般/黄, 低/蓝).
MAJOR, SIGNIFICANT, GENERAL, LOW = "major", "significant", "general", "low"
LEVELS = (MAJOR, SIGNIFICANT, GENERAL, LOW)
COLOURS = {MAJOR: "red", SIGNIFICANT: "orange", GENERAL: "yellow", LOW: "blue"}
# A level's rank: the higher, the more severe (an enterprise's highest level is the maximum).
LEVEL_RANK = {MAJOR: 4, SIGNIFICANT: 3, GENERAL: 2, LOW: 1}
LEVEL_OF_RANK = {rank: level for level, rank in LEVEL_RANK.items()}

# LEC (作业条件危险性评价法, Graham–Kinney), D = L × E × C; the allowed values (regulations.md §5, confirmed).
LEC_L = tuple(Decimal(v) for v in ("10", "6", "3", "1", "0.5", "0.2", "0.1"))
LEC_E = tuple(Decimal(v) for v in ("10", "6", "3", "2", "1", "0.5"))
LEC_C = tuple(Decimal(v) for v in ("100", "40", "15", "7", "3", "1"))
# D bands and their cut-offs (§5; which band owns a shared boundary is our convention, unconfirmed):
# D > 320 极其危险 → 重大; 160 ≤ D ≤ 320 高度危险 → 较大; 70 ≤ D < 160 显著危险 → 一般;
# 20 ≤ D < 70 一般危险 and D < 20 稍有危险 → 低.
LEC_MAJOR_ABOVE = Decimal(320)
LEC_SIGNIFICANT_FROM = Decimal(160)
LEC_GENERAL_FROM = Decimal(70)
LEC_SLIGHT_BELOW = Decimal(20)
EXTREME, HIGH, BAND_SIGNIFICANT, BAND_GENERAL, SLIGHT = "extreme", "high", "significant", "general", "slight"
BANDS = (EXTREME, HIGH, BAND_SIGNIFICANT, BAND_GENERAL, SLIGHT)

# LS (风险矩阵法), R = L × S with L, S in 1..5. No national standard fixes the cut-offs (§5): each variant lists
# (lowest R, level), most severe first. A: zgmkw.com doc-30900; B: mtoou.info 54344; C: said to be DB37/T 2882.
LS_VALUES = (1, 2, 3, 4, 5)
LS_VARIANTS: dict[str, tuple[tuple[int, str], ...]] = {
    "A": ((20, MAJOR), (9, SIGNIFICANT), (4, GENERAL), (1, LOW)),
    "B": ((20, MAJOR), (10, SIGNIFICANT), (4, GENERAL), (1, LOW)),
    "C": ((20, MAJOR), (15, SIGNIFICANT), (9, GENERAL), (1, LOW)),
}
LS_DEFAULT_VARIANT = "A"  # §5: ship variant A as the default, configurable per region

# 管控层级, highest first: who controls a risk of each level (§5, common practice, likely): 重大 — 公司/主要负责人;
# 较大 — 部门/车间; 一般 — 班组; 低 — 岗位.
COMPANY, WORKSHOP, TEAM, POST = "company", "workshop", "team", "post"
CONTROL_LEVELS = (COMPANY, WORKSHOP, TEAM, POST)
CONTROL_RANK = {COMPANY: 4, WORKSHOP: 3, TEAM: 2, POST: 1}
REQUIRED_CONTROL_LEVEL = {MAJOR: COMPANY, SIGNIFICANT: WORKSHOP, GENERAL: TEAM, LOW: POST}


class LEC(NamedTuple):
    D: Decimal
    band: str
    level: str
    colour: str


class LS(NamedTuple):
    R: int
    level: str
    colour: str


def _number(value, name: str) -> Decimal:
    """A finite number given as int, float, str or Decimal (never a bool), as a Decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, not {value!r}")
        value = repr(value)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{name} must be a number, not {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"{name} must be finite, not {value!r}")
    return number


def _allowed(value, table: tuple[Decimal, ...], name: str) -> Decimal:
    number = _number(value, name)
    for allowed in table:
        if number == allowed:
            return allowed
    raise ValueError(f"{name}={value!r} is not one of {', '.join(str(v) for v in table)}")


def lec_band(D) -> str:
    """The band of a D (§5 D bands and our boundary convention): extreme | high | significant | general | slight."""
    D = _score(D)
    if D > LEC_MAJOR_ABOVE:
        return EXTREME
    if D >= LEC_SIGNIFICANT_FROM:
        return HIGH
    if D >= LEC_GENERAL_FROM:
        return BAND_SIGNIFICANT
    if D >= LEC_SLIGHT_BELOW:
        return BAND_GENERAL
    return SLIGHT


# Five bands onto four levels (§5, common practice): 一般危险 and 稍有危险 are both 低.
BAND_LEVEL = {EXTREME: MAJOR, HIGH: SIGNIFICANT, BAND_SIGNIFICANT: GENERAL, BAND_GENERAL: LOW, SLIGHT: LOW}


def _score(D) -> Decimal:
    D = _number(D, "D")
    if D < 0:
        raise ValueError(f"D must not be negative, not {D}")
    return D


def lec_level(D) -> str:
    """The level of a D entered directly (§5 cut-offs): major | significant | general | low."""
    return BAND_LEVEL[lec_band(D)]


def lec(L, E, C) -> LEC:
    """LEC grading (§5): D = L × E × C from the allowed values, its band, level and colour."""
    D = _allowed(L, LEC_L, "L") * _allowed(E, LEC_E, "E") * _allowed(C, LEC_C, "C")
    band = lec_band(D)
    level = BAND_LEVEL[band]
    return LEC(D, band, level, COLOURS[level])


def _ls_factor(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LS_VALUES:
        raise ValueError(f"{name} must be an integer from 1 to 5, not {value!r}")
    return value


def ls_level(R: int, variant: str = LS_DEFAULT_VARIANT) -> str:
    """The level of an LS product R under a variant of §5 (A, B or C)."""
    if variant not in LS_VARIANTS:
        raise ValueError(f"unknown LS variant {variant!r}; one of {', '.join(LS_VARIANTS)}")
    for lowest, level in LS_VARIANTS[variant]:
        if lowest <= R:
            return level
    raise ValueError(f"R must be at least 1, not {R!r}")


def ls(L, S, variant: str = LS_DEFAULT_VARIANT) -> LS:
    """LS grading (风险矩阵法, §5): R = L × S with L, S in 1..5, the level by the variant's cut-offs, its colour."""
    R = _ls_factor(L, "L") * _ls_factor(S, "S")
    level = ls_level(R, variant)
    return LS(R, level, COLOURS[level])


def required_control_level(level: str) -> str:
    """管控层级 a risk of this level needs at least (§5: 重大—公司, 较大—车间, 一般—班组, 低—岗位)."""
    if level not in REQUIRED_CONTROL_LEVEL:
        raise ValueError(f"unknown risk level {level!r}")
    return REQUIRED_CONTROL_LEVEL[level]


def control_level_sufficient(control_level: str, level: str) -> bool:
    """Whether a control at `control_level` is not below what a risk of `level` needs (§5, 分级管控)."""
    if control_level not in CONTROL_RANK:
        raise ValueError(f"unknown control level {control_level!r}")
    return CONTROL_RANK[control_level] >= CONTROL_RANK[required_control_level(level)]


def highest_level(levels) -> str | None:
    """The most severe of some levels (an enterprise's 最高风险等级), None when there are none."""
    ranks = [LEVEL_RANK[level] for level in levels if level]
    return LEVEL_OF_RANK[max(ranks)] if ranks else None


def plain(value: Decimal) -> str:
    """A score or factor as people write it: 540, 0.5, 3.5 (no exponent, no trailing zeros)."""
    return format(Decimal(value).normalize(), "f")


def plan_position_valid(x, y) -> bool:
    """A position on the site plan as fractions of its width and height (0 = left/top, 1 = right/bottom)."""
    try:
        return all(0 <= _number(v, "position") <= 1 for v in (x, y))
    except ValueError:
        return False


# ================================================================ 特种作业操作证, 考核, 培训 (part `people`).
# The date arithmetic of a 特种作业操作证 is anlan.core.rules.certificate_dates (30号令); the functions below read a
# certificate's stored dates against a day. Sources: anlan/risk/data/people.py.


class PeopleCode(StrEnum):
    """Error codes of the staff, certificate, assessment and training rules and services."""

    TEXT_MISSING = "people_text_missing"
    DATE_MISSING = "people_date_missing"
    DATE_IN_FUTURE = "people_date_in_future"
    DATE_ORDER = "people_date_order"
    ROLE_MISSING = "people_role_missing"
    KIND_INVALID = "people_kind_invalid"
    CATEGORY_INVALID = "people_category_invalid"
    YEARS_INVALID = "people_years_invalid"
    SCORE_INVALID = "people_score_invalid"
    HOURS_INVALID = "people_hours_invalid"
    DUPLICATE = "people_duplicate"
    ALREADY_LEFT = "people_already_left"
    NOT_REVIEWABLE = "people_not_reviewable"
    ATTENDEES_MISSING = "people_attendees_missing"
    ATTENDEE_INVALID = "people_attendee_invalid"


CERTIFICATE_EXPIRY_NOTICE_DAYS = 30  # a product choice: the registry's 30-day reminder (core.rules licences)
REVIEW_TRAINING_HOURS = Decimal("8")  # 复审前培训不少于8学时 (30号令; likely, regulations.md §9)
TRAINING_LOOKBACK_DAYS = 365  # the accident trace and 培训到位 look at the 12 months before a day

# A certificate's state on a day, worst first (the order the lists sort and the sweep tells in).
EXPIRED = "expired"
REVIEW_OVERDUE = "review_overdue"
EXPIRING = "expiring"
REVIEW_WINDOW = "review_window"
VALID = "valid"
NOT_YET_VALID = "not_yet_valid"
CERTIFICATE_STATES = (EXPIRED, REVIEW_OVERDUE, EXPIRING, REVIEW_WINDOW, VALID, NOT_YET_VALID)


def review_done(review_window_opens: date | None, last_reviewed_on: date | None) -> bool:
    """Whether the certificate's 复审 has been passed: a review recorded on or after the window opened (30号令
    第二十二条: 期满前60日内申请复审; an earlier one belongs to no due review)."""
    return (
        review_window_opens is not None
        and last_reviewed_on is not None
        and last_reviewed_on >= review_window_opens
    )


def certificate_state(
    *,
    issued_on: date,
    valid_until: date,
    review_due: date | None,
    review_window_opens: date | None,
    last_reviewed_on: date | None,
    today: date,
) -> str:
    """The state of a certificate on `today`, worst first: expired after its last day (30号令 第十九条); review
    overdue after its 复审 day without a review (第二十一条, then the certificate lapses — LAPSE_WITHOUT_REVIEW);
    expiring within 30 days of its last day; in its review window (第二十二条); valid. A certificate whose review
    is due with its expiry (the 6-year interval) is reviewed when it is renewed."""
    if today < issued_on:
        return NOT_YET_VALID
    if today > valid_until:
        return EXPIRED
    reviewed = review_done(review_window_opens, last_reviewed_on)
    mid_term = review_due is not None and review_due < valid_until
    if mid_term and today > review_due and not reviewed:
        return REVIEW_OVERDUE
    if (valid_until - today).days <= CERTIFICATE_EXPIRY_NOTICE_DAYS:
        return EXPIRING
    if (
        mid_term
        and review_window_opens is not None
        and review_window_opens <= today <= review_due
        and not reviewed
    ):
        return REVIEW_WINDOW
    return VALID


def certificate_valid_on(
    *,
    issued_on: date,
    valid_until: date,
    review_due: date | None,
    review_window_opens: date | None,
    last_reviewed_on: date | None,
    day: date,
) -> bool:
    """Whether the certificate held on `day` ("was the operator certified?"): issued, not past its last day, and
    not past a mid-term 复审 day unless the review had been passed by `day` (30号令 第十九条、第二十一条; a late
    review makes it valid again from the review's day)."""
    if not issued_on <= day <= valid_until:
        return False
    if review_due is None or review_due >= valid_until or day <= review_due:
        return True
    return review_done(review_window_opens, last_reviewed_on) and last_reviewed_on <= day


def check_certificate_years(years) -> int:
    """Years the holder has worked the same trade continuously (连续从事本工种年限): a whole number, 0–60."""
    if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= 60:
        raise RuleViolation(
            "continuous_years_same_trade",
            PeopleCode.YEARS_INVALID,
            _("连续从事本工种年限须为 0 至 60 的整数。"),
        )
    return years


def check_score(score) -> Decimal:
    """A 考核 score: a number from 0 to 100 (rules.certificate_exam_passed decides whether it passes)."""
    try:
        value = Decimal(str(score))
    except (ArithmeticError, ValueError) as exc:
        raise RuleViolation("score", PeopleCode.SCORE_INVALID, _("考核成绩须为 0 至 100 的数字。")) from exc
    if isinstance(score, bool) or not value.is_finite() or not 0 <= value <= 100:
        raise RuleViolation("score", PeopleCode.SCORE_INVALID, _("考核成绩须为 0 至 100 的数字。"))
    return value.quantize(Decimal("0.1"))


def check_training_hours(hours) -> Decimal:
    """学时 of one training: more than 0 and at most 200 (a product bound against typing errors)."""
    try:
        value = Decimal(str(hours))
    except (ArithmeticError, ValueError) as exc:
        raise RuleViolation("hours", PeopleCode.HOURS_INVALID, _("学时须为大于 0 的数字。")) from exc
    if isinstance(hours, bool) or not value.is_finite() or not 0 < value <= 200:
        raise RuleViolation("hours", PeopleCode.HOURS_INVALID, _("学时须大于 0 且不超过 200。"))
    return value.quantize(Decimal("0.1"))


def check_employment(hired_on: date | None, left_on: date | None, today: date) -> None:
    """入职日期 not after today; 离岗日期 not before it and not after today."""
    if hired_on is not None and hired_on > today:
        raise RuleViolation("hired_on", PeopleCode.DATE_IN_FUTURE, _("入职日期不能晚于今天。"))
    if left_on is not None and left_on > today:
        raise RuleViolation("left_on", PeopleCode.DATE_IN_FUTURE, _("离岗日期不能晚于今天。"))
    if hired_on is not None and left_on is not None and left_on < hired_on:
        raise RuleViolation("left_on", PeopleCode.DATE_ORDER, _("离岗日期不能早于入职日期。"))


def review_training_sufficient(hours: Decimal) -> bool:
    """Whether the holder's training before a 复审 reaches 8 学时 (30号令; likely)."""
    return hours >= REVIEW_TRAINING_HOURS


def training_in_place(*, special_operators: int, certified_operators: int, trained_last_year: bool) -> bool:
    """培训到位 for the 一必须五到位 profile (a product reading of 安全生产法 第二十八条、第三十条): every current
    special operator holds a valid certificate today, and the enterprise recorded training in the last 12 months."""
    return certified_operators >= special_operators and trained_last_year


# ================================================================ 自查自改 (part `selfcheck`, seed-map B8). The enterprise
# runs its own checklists on a schedule (安全生产法 第四十一条: 建立健全并落实生产安全事故隐患排查治理制度; 16号令
# 第十条: 定期组织…排查本单位的事故隐患). A period is a day, a week (Monday to Sunday, GB/T 7408 / ISO 8601) or a
# calendar month; dates are passed in (no now()).


class SelfcheckCode(StrEnum):
    """Error codes of the self-inspection rules and services."""

    FREQUENCY_INVALID = "selfcheck_frequency_invalid"
    RISK_LEVEL_INVALID = "selfcheck_risk_level_invalid"
    RUN_IN_FUTURE = "selfcheck_run_in_future"
    RUN_BEFORE_CHECKLIST = "selfcheck_run_before_checklist"
    TEXT_MISSING = "selfcheck_text_missing"
    NO_ITEMS = "selfcheck_no_items"
    RESULT_MISSING = "selfcheck_result_missing"
    NOTHING_FOUND_UNCONFIRMED = "selfcheck_nothing_found_unconfirmed"
    PROBLEM_NOTE_MISSING = "selfcheck_problem_note_missing"
    DUE_MISSING = "selfcheck_due_missing"
    INACTIVE = "selfcheck_inactive"
    INSPECTOR_MISSING = "selfcheck_inspector_missing"


RUN_RESULTS = ("ok", "problem", "na")


@dataclass(frozen=True, order=True)
class Period:
    """One period a checklist is due in: its first and last day, both included."""

    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def _check_frequency(frequency: str) -> None:
    if frequency not in selfcheck_data.FREQUENCIES:
        raise ValueError(f"unknown self-inspection frequency {frequency!r}")


def month_end(day: date) -> date:
    """The last day of `day`'s month (28, 29, 30 or 31)."""
    first_of_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_of_next - timedelta(days=1)


def period_of(frequency: str, day: date) -> Period:
    """The period of `frequency` that contains `day`: the day itself; its week, Monday to Sunday; its month."""
    _check_frequency(frequency)
    if frequency == selfcheck_data.DAILY:
        return Period(day, day)
    if frequency == selfcheck_data.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6))
    return Period(day.replace(day=1), month_end(day))


def due_periods(frequency: str, start: date, end: date) -> list[Period]:
    """The whole periods of `frequency` inside [start, end]: those beginning on or after `start` and ending on or
    before `end`, in order. A checklist started mid-week is first due the next Monday's week (and mid-month, the
    next month): a period is only due when the checklist existed for all of it (Anlan's reading of 定期)."""
    _check_frequency(frequency)
    if end < start:
        return []
    first = period_of(frequency, start)
    if first.start < start:
        first = period_of(frequency, first.end + timedelta(days=1))
    periods = []
    current = first
    while current.end <= end:
        periods.append(current)
        current = period_of(frequency, current.end + timedelta(days=1))
    return periods


def missing_periods(frequency: str, start: date, end: date, run_days: Iterable[date]) -> list[Period]:
    """The due periods of [start, end] in which no run was done (a run counts for the period containing its day;
    a second run in one period counts once)."""
    covered = {period_of(frequency, day).start for day in run_days}
    return [period for period in due_periods(frequency, start, end) if period.start not in covered]


@dataclass(frozen=True)
class Compliance:
    """Self-inspection over a window: periods due, periods done (each once), periods missing, and the rate."""

    due: int
    done: int
    missing: int
    rate: Decimal | None


def compliance_rate(done: int, due: int) -> Decimal | None:
    """done / due as a percentage with one decimal, None when nothing was due (no rate, not 100 %)."""
    if done < 0 or due < 0 or done > due:
        raise ValueError("done and due must satisfy 0 <= done <= due")
    if due == 0:
        return None
    return (Decimal(done) * 100 / Decimal(due)).quantize(Decimal("0.1"))


def compliance(frequency: str, start: date, end: date, run_days: Iterable[date]) -> Compliance:
    """Compliance of one checklist over [start, end] (whole periods only, rules.due_periods)."""
    due = due_periods(frequency, start, end)
    missing = missing_periods(frequency, start, end, run_days)
    done = len(due) - len(missing)
    return Compliance(len(due), done, len(missing), compliance_rate(done, len(due)))


def suggested_frequency(risk_level: str, table: Mapping[str, str] | None = None) -> str:
    """The frequency a post of this risk level should at least be self-inspected at — Anlan's default table
    (data/selfcheck.py: 重大、较大 daily, 一般 weekly, 低 monthly; no national rule fixes it), or `table`."""
    table = selfcheck_data.SUGGESTED_FREQUENCY if table is None else table
    if risk_level not in selfcheck_data.RISK_LEVELS:
        raise ValueError(f"unknown risk level {risk_level!r}")
    return table[risk_level]


def below_suggestion(frequency: str, risk_level: str | None) -> bool:
    """Whether `frequency` is less frequent than the one suggested for the risk level (False with no level)."""
    _check_frequency(frequency)
    if not risk_level:
        return False
    order = selfcheck_data.FREQUENCIES
    return order.index(frequency) > order.index(suggested_frequency(risk_level))


def check_run_day(done_on: date, today: date, checklist_starts_on: date) -> None:
    """A run is recorded for a day that has come (no future period) and not before its checklist existed."""
    if done_on > today:
        raise RuleViolation(
            "done_on", SelfcheckCode.RUN_IN_FUTURE, _("自查日期不能晚于今天（不能为将来的周期登记）。")
        )
    if done_on < checklist_starts_on:
        raise RuleViolation(
            "done_on",
            SelfcheckCode.RUN_BEFORE_CHECKLIST,
            _("自查日期不能早于清单启用日期（%(d)s）。") % {"d": checklist_starts_on},
        )


def parse_items(text: str) -> list[tuple[str, str]]:
    """Checklist items typed one a line as "content | basis" (a full-width ｜ too); blank lines skipped, the same
    content twice kept once."""
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        content, _sep, basis = line.replace("｜", "|").partition("|")
        content, basis = content.strip(), basis.strip()
        if content and content not in seen:
            seen.add(content)
            items.append((content[:500], basis[:200]))
    return items


def week_end(day: date) -> date:
    """The Sunday of `day`'s week (weeks start on Monday)."""
    return day + timedelta(days=6 - day.weekday())


def due_soon(frequency: str, today: date) -> bool:
    """Whether the current period of `frequency` ends within this week (today for daily, Sunday for weekly, a
    month ending by Sunday): the enterprise's 待办 shows checklists with no run in it yet."""
    return period_of(frequency, today).end <= week_end(today)
