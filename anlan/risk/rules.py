"""The enterprise's own safety work as pure rules (no ORM): risk grading (LEC, LS), self-inspection schedules,
standardisation and insurance periods. Each rule names its source (../shared/regulations.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

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
