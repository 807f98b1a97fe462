"""Pure rules of accident reporting, grading, investigation and statistics. No ORM, no clock.

Sources are in ../shared/regulations.md §1 (生产安全事故报告和调查处理条例, 国务院令第493号) and §11.
Money is in 万元 as a Decimal; "以上" includes the number itself and "以下" excludes it (第三条第三款).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from anlan.core.rules import RuleViolation, ancestor_code


class ErrorCode(StrEnum):
    """The rule a refusal of the accidents module applies (generic scope, duplicate, transition and stale
    refusals stay `anlan.core.errors.Code`)."""

    # casualty figures and times of a report
    COUNT_NOT_WHOLE = "count_not_whole"
    COUNT_NEGATIVE = "count_negative"
    COUNT_TOO_LARGE = "count_too_large"
    LOSS_NOT_A_NUMBER = "loss_not_a_number"
    LOSS_NEGATIVE = "loss_negative"
    LOSS_BELOW_CENTS = "loss_below_cents"
    LOSS_TOO_LARGE = "loss_too_large"
    OCCURRED_IN_FUTURE = "occurred_in_future"
    HEAD_NOTIFIED_BEFORE_ACCIDENT = "head_notified_before_accident"
    HEAD_NOTIFIED_IN_FUTURE = "head_notified_in_future"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    # where and by whom it is reported
    REGION_ABOVE_COUNTY = "region_above_county"
    REGION_OUT_OF_SCOPE = "region_out_of_scope"
    INDUSTRY_OUT_OF_SCOPE = "industry_out_of_scope"
    ENTERPRISE_REQUIRED = "enterprise_required"
    REPORT_KIND = "report_kind"
    # the reporting chain
    LEVEL_NOT_IN_CHAIN = "level_not_in_chain"
    LEVEL_NOT_RECEIVED = "level_not_received"
    LEVEL_ALREADY_FORWARDED = "level_already_forwarded"
    LEVEL_IS_TOP = "level_is_top"
    FORWARDED_OUTSIDE_WINDOW = "forwarded_outside_window"
    FOUND_IN_FUTURE = "found_in_future"
    FALSE_FIELDS_REQUIRED = "false_fields_required"
    FINDING_EMPTY = "finding_empty"
    # investigation
    STARTED_OUTSIDE_PERIOD = "started_outside_period"
    EXTENSION_DAYS = "extension_days"
    NO_MEASURES = "no_measures"
    MEASURES_OPEN = "measures_open"
    INVESTIGATION_CLOSED = "investigation_closed"
    COMPLETED_IN_FUTURE = "completed_in_future"
    # 批复 of the investigation report
    REPORT_NOT_CONCLUDED = "report_not_concluded"
    REPORT_RECEIVED_OUTSIDE_PERIOD = "report_received_outside_period"
    REPLY_REPORT_NOT_RECEIVED = "reply_report_not_received"
    REPLY_ALREADY_RECORDED = "reply_already_recorded"
    REPLY_OUTSIDE_PERIOD = "reply_outside_period"
    REPLY_EXTENSION_NOT_ALLOWED = "reply_extension_not_allowed"
    REPLY_EXTENSION_DAYS = "reply_extension_days"
    # 较大涉险事故
    NOT_NEAR_MISS = "not_near_miss"
    # fines
    FINE_OUT_OF_RANGE = "fine_out_of_range"
    # injured persons recorded by lost work days
    DAYS_NOT_WHOLE = "days_not_whole"
    DAYS_NEGATIVE = "days_negative"
    DAYS_TOO_LARGE = "days_too_large"


EXTRAORDINARILY_SERIOUS = "extraordinarily_serious"
MAJOR = "major"
RELATIVELY_MAJOR = "relatively_major"
ORDINARY = "ordinary"
# Highest first.
GRADES = (EXTRAORDINARILY_SERIOUS, MAJOR, RELATIVELY_MAJOR, ORDINARY)
GRADE_RANK = {grade: rank for rank, grade in enumerate(reversed(GRADES))}  # ordinary 0 … 3

# 493号令 第三条: (grade, deaths ≥, serious injuries ≥, direct loss ≥ 万元), highest grade first.
GRADE_THRESHOLDS: tuple[tuple[str, int, int, Decimal], ...] = (
    (EXTRAORDINARILY_SERIOUS, 30, 100, Decimal("10000")),
    (MAJOR, 10, 50, Decimal("5000")),
    (RELATIVELY_MAJOR, 3, 10, Decimal("1000")),
)


class Criterion(StrEnum):
    """Which of the three alternative criteria decided the grade."""

    DEATHS = "deaths"
    SERIOUS_INJURIES = "serious_injuries"
    DIRECT_LOSS = "direct_loss"
    NONE = "none"  # 一般: below every threshold


# regulations.md §11 (and 493号令 第三条): the missing are counted with the dead, for the grade and the statistics.
DEATH_FIGURES = ("deaths", "missing")
COUNT_FIGURES = ("deaths", "missing", "serious_injuries", "minor_injuries")
LOSS_FIGURE = "direct_loss_yuan"
# Plausibility bounds (issue #12), far above any accident on record: a figure past them is a typing error.
MAX_PEOPLE = 10_000
MAX_LOSS_WAN = Decimal("10000000")  # 1000 亿元
MAX_LOSS_YUAN = MAX_LOSS_WAN * 10000
# No record predates the People's Republic (1949-10-01); a fact is dated at most tomorrow (time zones, midnight).
EARLIEST_DATE = date(1949, 10, 1)
# A deadline (a measure's 完成期限) lies at most this many years ahead.
DEADLINE_YEARS = 10


def counted_deaths(figures: Mapping[str, int]) -> int:
    """Deaths as graded and counted: the sum of the DEATH_FIGURES (statistics sum the same columns in SQL)."""
    return sum(figures[name] for name in DEATH_FIGURES)


def figure_count(value, field: str, label: str) -> int:
    """A casualty count as entered: a whole number, not negative (blank is 0); the violation names the field."""
    # 493号令 第三条 counts people: whole persons, never negative.
    if value in (None, ""):
        return 0
    try:
        number = int(value)
        if number != Decimal(str(value)):
            raise ValueError(value)
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise RuleViolation(
            field, ErrorCode.COUNT_NOT_WHOLE, _("%(field)s应为整数。") % {"field": label}
        ) from exc
    if number < 0:
        raise RuleViolation(field, ErrorCode.COUNT_NEGATIVE, _("%(field)s不能为负数。") % {"field": label})
    if number > MAX_PEOPLE:
        raise RuleViolation(
            field,
            ErrorCode.COUNT_TOO_LARGE,
            _("%(field)s不能超过 %(max)d 人，请核对。") % {"field": label, "max": MAX_PEOPLE},
        )
    return number


def loss_yuan(value) -> Decimal:
    """Direct economic loss in yuan: a number, not negative, at most two decimals (分), not absurdly large."""
    # GB 6721-1986 企业职工伤亡事故经济损失统计标准: the loss is an amount of money, counted to the 分.
    field = LOSS_FIGURE
    try:
        loss = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise RuleViolation(field, ErrorCode.LOSS_NOT_A_NUMBER, _("直接经济损失应为数字（元）。")) from exc
    if not loss.is_finite():
        raise RuleViolation(field, ErrorCode.LOSS_NOT_A_NUMBER, _("直接经济损失应为数字（元）。"))
    if loss < 0:
        raise RuleViolation(field, ErrorCode.LOSS_NEGATIVE, _("直接经济损失不能为负数。"))
    if loss != loss.quantize(Decimal("0.01")):
        raise RuleViolation(
            field, ErrorCode.LOSS_BELOW_CENTS, _("直接经济损失最多保留两位小数（精确到分）。")
        )
    if loss > MAX_LOSS_YUAN:
        raise RuleViolation(
            field,
            ErrorCode.LOSS_TOO_LARGE,
            _("直接经济损失不能超过 %(max)s 万元，请核对单位（元）。") % {"max": f"{MAX_LOSS_WAN:,}"},
        )
    return loss.quantize(Decimal("0.01"))


def check_date_range(
    value: date | datetime | None, field: str, label, today: date, tz: tzinfo | None = None, *, latest=None
) -> None:
    """A date (or a moment, compared in the local zone `tz`) lies between 1949-10-01 and `latest` (default
    tomorrow); the violation names the field. Aware moments are compared as they are, never converted, so a
    year-9999 value cannot overflow."""
    # Issue #12 plausibility bounds: no record predates 1949-10-01; a recorded fact is dated at most tomorrow.
    if value is None:
        return
    latest = latest or today + timedelta(days=1)
    if isinstance(value, datetime):
        zone = value.tzinfo and (tz or value.tzinfo)
        outside = value < datetime.combine(EARLIEST_DATE, time.min, tzinfo=zone) or value >= datetime.combine(
            latest + timedelta(days=1), time.min, tzinfo=zone
        )
    else:
        outside = not EARLIEST_DATE <= value <= latest
    if outside:
        raise RuleViolation(
            field,
            ErrorCode.DATE_OUT_OF_RANGE,
            _("%(field)s应在 %(earliest)s 至 %(latest)s 之间。")
            % {"field": label, "earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat()},
        )


def deadline_latest(today: date) -> date:
    """The latest deadline accepted: DEADLINE_YEARS ahead (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year + DEADLINE_YEARS)
    except ValueError:
        return today.replace(year=today.year + DEADLINE_YEARS, day=28)


def check_report_times(occurred_at: datetime, head_notified_at: datetime | None, now: datetime) -> None:
    """The accident and the head's receipt of it lie in the past, the receipt not before the accident."""
    # 493号令 第九条: the unit's head is told after the accident, and the clock runs from that moment.
    if occurred_at > now:
        raise RuleViolation(
            "occurred_at", ErrorCode.OCCURRED_IN_FUTURE, _("事故发生时间不能晚于报告接收时间（当前时间）。")
        )
    if head_notified_at is None:
        return
    if head_notified_at < occurred_at:
        raise RuleViolation(
            "head_notified_at",
            ErrorCode.HEAD_NOTIFIED_BEFORE_ACCIDENT,
            _("单位负责人接报时间不能早于事故发生时间。"),
        )
    if head_notified_at > now:
        raise RuleViolation(
            "head_notified_at",
            ErrorCode.HEAD_NOTIFIED_IN_FUTURE,
            _("单位负责人接报时间不能晚于报告接收时间（当前时间）。"),
        )


COUNTY_LEVEL = 3  # the county level of a 12-digit region code (anlan.core.trees.COUNTY)


def within_enterprise_county(region_code: str, enterprise_region_code: str) -> bool:
    """Whether an enterprise may report an accident at `region_code`: off its premises, but in its county."""
    # 493号令 第九条: the unit reports to the county where the accident happened, which must be its own (属地).
    return ancestor_code(region_code, COUNTY_LEVEL) == ancestor_code(enterprise_region_code, COUNTY_LEVEL)


def _check(deaths: int, serious_injuries: int, direct_loss_wan: Decimal) -> None:
    if deaths < 0 or serious_injuries < 0 or direct_loss_wan < 0:
        raise ValueError("casualties and loss cannot be negative")


def grade_with_criteria(
    deaths: int, serious_injuries: int, direct_loss_wan: Decimal
) -> tuple[str, tuple[Criterion, ...]]:
    """The grade and every criterion that reaches it (the highest grade any one criterion reaches wins)."""
    # 493号令 第三条: the three criteria are alternatives ("或者"); 以上 includes the boundary.
    _check(deaths, serious_injuries, direct_loss_wan)
    for grade, min_deaths, min_serious, min_loss in GRADE_THRESHOLDS:
        met = tuple(
            criterion
            for criterion, value, bound in (
                (Criterion.DEATHS, deaths, min_deaths),
                (Criterion.SERIOUS_INJURIES, serious_injuries, min_serious),
                (Criterion.DIRECT_LOSS, direct_loss_wan, min_loss),
            )
            if value >= bound
        )
        if met:
            return grade, met
    return ORDINARY, (Criterion.NONE,)


def accident_grade(deaths: int, serious_injuries: int, direct_loss_wan: Decimal) -> str:
    """特别重大 / 重大 / 较大 / 一般 from deaths, serious injuries (incl. acute poisoning) and loss in 万元."""
    return grade_with_criteria(deaths, serious_injuries, Decimal(direct_loss_wan))[0]


def grade_criterion(deaths: int, serious_injuries: int, direct_loss_wan: Decimal) -> Criterion:
    """The criterion shown as the reason for the grade: the first one reaching it (deaths, injuries, loss)."""
    return grade_with_criteria(deaths, serious_injuries, Decimal(direct_loss_wan))[1][0]


# ---------------------------------------------------------------- reporting chain


class Level(StrEnum):
    """Levels of government a report passes through, bottom up."""

    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"
    STATE_COUNCIL = "state_council"


CHAIN = (Level.COUNTY, Level.CITY, Level.PROVINCE, Level.STATE_COUNCIL)

# 493号令 第十条: 一般 → 设区的市级; 较大 → 省级; 重大、特别重大 → 国务院安全生产监督管理部门.
HIGHEST_REPORT_LEVEL = {
    ORDINARY: Level.CITY,
    RELATIVELY_MAJOR: Level.PROVINCE,
    MAJOR: Level.STATE_COUNCIL,
    EXTRAORDINARILY_SERIOUS: Level.STATE_COUNCIL,
}


def required_report_levels(grade: str) -> tuple[Level, ...]:
    """The levels that must receive the report, from the county up to the one the grade requires."""
    top = CHAIN.index(HIGHEST_REPORT_LEVEL[grade])
    return CHAIN[: top + 1]


UNIT = "unit"
AUTHORITY = "authority"
# 493号令 第九条 (the unit's head: within 1 hour to the county level) and 第十一条 (each level: at most 2 hours).
REPORT_LIMITS = {UNIT: timedelta(hours=1), AUTHORITY: timedelta(hours=2)}


def report_deadline(received_at: datetime, reporter: str) -> datetime:
    """The latest on-time moment to pass on a report received at `received_at` ("unit" or "authority")."""
    try:
        return received_at + REPORT_LIMITS[reporter]
    except KeyError as exc:
        raise ValueError(f"reporter must be {UNIT!r} or {AUTHORITY!r}, not {reporter!r}") from exc


def report_is_late(due_at: datetime, received_at: datetime | None, now: datetime) -> bool:
    """迟报: received after the limit, or still not received when the limit has passed (the boundary is on time)."""
    # regulations.md §1.2 conventions: exactly 60 minutes is on time; §1.3 迟报 = after the prescribed limit.
    return (received_at if received_at is not None else now) > due_at


def check_forward(received_at: datetime | None, forwarded_at: datetime | None, has_next_level: bool) -> None:
    """A level passes the report on once: after receiving it, and only to a level the grade requires."""
    # 493号令 第十一条: each level reports up to the next, as far as the grade requires (第十条).
    if received_at is None:
        raise RuleViolation("level", ErrorCode.LEVEL_NOT_RECEIVED, _("本级尚未接收报告，不能上报。"))
    if forwarded_at is not None:
        raise RuleViolation("level", ErrorCode.LEVEL_ALREADY_FORWARDED, _("本级已上报，不能重复登记。"))
    if not has_next_level:
        raise RuleViolation("level", ErrorCode.LEVEL_IS_TOP, _("本级已是该等级事故要求的最高报告层级。"))


def may_forward(received_at: datetime | None, forwarded_at: datetime | None, has_next_level: bool) -> bool:
    try:
        check_forward(received_at, forwarded_at, has_next_level)
    except RuleViolation:
        return False
    return True


def check_forwarded_at(at: datetime, received_at: datetime, now: datetime) -> None:
    """The moment a level passed the report on lies between its own receipt and now."""
    # 493号令 第十一条: the time of passing on is a fact recorded after it happened.
    if at > now or at < received_at:
        raise RuleViolation(
            "at", ErrorCode.FORWARDED_OUTSIDE_WINDOW, _("上报时间应在本级接收时间与当前时间之间。")
        )


# ---------------------------------------------------------------- 续报/补报 window


ROAD_TRAFFIC = "road_traffic"
FIRE = "fire"


def supplement_window_days(accident_kind: str) -> int:
    """Days after the accident within which a casualty change is reported and re-grades it."""
    # 493号令 第十三条 and 第二十条: 30 days; 道路交通事故、火灾事故 7 days.
    return 7 if accident_kind in (ROAD_TRAFFIC, FIRE) else 30


def supplement_window_closes_on(occurred_on: date, accident_kind: str) -> date:
    """The last day of the window: the accident day is not counted (民法典 第二百零一条), so day N ends it."""
    return occurred_on + timedelta(days=supplement_window_days(accident_kind))


def within_supplement_window(occurred_on: date, accident_kind: str, on: date) -> bool:
    """Whether a change reported on `on` (local date) is inside the window and so re-grades the accident."""
    return occurred_on <= on <= supplement_window_closes_on(occurred_on, accident_kind)


# ---------------------------------------------------------------- investigation

INVESTIGATION_DAYS = 60
MAX_EXTENSION_DAYS = 60

# 493号令 第十九条: 特别重大 国务院; 重大 省级; 较大 设区的市级; 一般 县级人民政府.
INVESTIGATION_LEVEL = {
    EXTRAORDINARILY_SERIOUS: Level.STATE_COUNCIL,
    MAJOR: Level.PROVINCE,
    RELATIVELY_MAJOR: Level.CITY,
    ORDINARY: Level.COUNTY,
}


def investigation_level(grade: str) -> Level:
    return INVESTIGATION_LEVEL[grade]


def investigation_may_be_delegated_to_unit(grade: str, deaths: int, injuries: int) -> bool:
    """一般 accidents without casualties may be investigated by the unit on the county's authority."""
    # 493号令 第十九条第三款.
    return grade == ORDINARY and deaths == 0 and injuries == 0


def investigation_due_on(occurred_on: date, extended_days: int = 0) -> date:
    """The investigation report's due date: 60 days after the accident, plus an approved extension ≤ 60 days."""
    # 493号令 第二十九条: 60 days, extendable once with approval by at most 60 days; day counting per 民法典 201.
    if extended_days < 0 or extended_days > MAX_EXTENSION_DAYS:
        raise ValueError(f"an extension is 0 to {MAX_EXTENSION_DAYS} days, not {extended_days}")
    return occurred_on + timedelta(days=INVESTIGATION_DAYS + extended_days)


def check_started_on(started_on: date, occurred_on: date, today: date) -> None:
    """The investigation team is set up after the accident and not in the future."""
    # 493号令 第二十二条: the team is set up for an accident that happened.
    if started_on < occurred_on or started_on > today:
        raise RuleViolation(
            "started_on", ErrorCode.STARTED_OUTSIDE_PERIOD, _("成立日期应在事故发生日期与今天之间。")
        )


def extended_due_on(occurred_on: date, days) -> tuple[int, date]:
    """An extension of 1 to 60 days and the due date it gives (第二十九条)."""
    # 493号令 第二十九条: extendable once, with approval, by at most 60 days.
    try:
        extended = int(days)
        if extended < 1:
            raise ValueError(extended)
        return extended, investigation_due_on(occurred_on, extended)
    except (TypeError, ValueError) as exc:
        raise RuleViolation(
            "days", ErrorCode.EXTENSION_DAYS, _("延长天数应为1至%(max)d天。") % {"max": MAX_EXTENSION_DAYS}
        ) from exc


def investigation_overdue(is_open: bool, due_on: date, today: date) -> bool:
    """An investigation still running after its report's due date (the due date itself is on time)."""
    # 493号令 第二十九条: the report is due within 60 days (plus the extension); 民法典 第二百零一条 day counting.
    return is_open and today > due_on


def check_closable(measures: int, open_measures: int) -> None:
    """The loop closes only when preventive measures were recorded and every one is done."""
    # 493号令 第三十三条: 防范和整改措施的落实情况 is supervised until done.
    if not measures:
        raise RuleViolation("__all__", ErrorCode.NO_MEASURES, _("尚未登记防范和整改措施，不能闭环。"))
    if open_measures:
        raise RuleViolation("__all__", ErrorCode.MEASURES_OPEN, _("仍有未完成的防范和整改措施，不能闭环。"))


def check_open_investigation(is_closed: bool) -> None:
    """A closed investigation is the record of a finished case: nothing is added or completed afterwards."""
    # 493号令 第三十三条: once the measures are carried out and checked, the case is closed.
    if is_closed:
        raise RuleViolation("__all__", ErrorCode.INVESTIGATION_CLOSED, _("调查已闭环，不能再修改。"))


def check_not_after_today(day: date | None, today: date, field: str, code: ErrorCode, message) -> None:
    """A recorded fact (a finding, a completed measure) cannot be dated in the future."""
    if day is None or day > today:
        raise RuleViolation(field, code, message)


# ---------------------------------------------------------------- statistics (regulations.md §11)


class Trend(StrEnum):
    DOWN = "down"
    FLAT = "flat"
    UP = "up"


def trend(current, previous) -> Trend:
    if current < previous:
        return Trend.DOWN
    if current > previous:
        return Trend.UP
    return Trend.FLAT


def change_ratio(current, previous) -> Decimal | None:
    """Change against last year as a fraction (−0.25 = down 25 %); None when last year was zero."""
    if not previous:
        return None
    return (Decimal(current) - Decimal(previous)) / Decimal(previous)


_COUNT_WORDS = {1: "一", 2: "两", 3: "三", 4: "四"}
_TREND_WORDS = {Trend.DOWN: "降", Trend.FLAT: "平", Trend.UP: "升"}
_ALL_SAME = {Trend.DOWN: "四下降", Trend.FLAT: "四持平", Trend.UP: "四上升"}


def four_indicator_summary(trends: list[Trend]) -> str:
    """The usual wording for the 四项指标 against last year: "三降一平", "两降两升", "四下降" …"""
    if len(trends) != 4:
        raise ValueError("the summary covers exactly the four indicators")
    if len(set(trends)) == 1:
        return _ALL_SAME[trends[0]]
    counts = {t: trends.count(t) for t in (Trend.DOWN, Trend.FLAT, Trend.UP)}
    return "".join(f"{_COUNT_WORDS[n]}{_TREND_WORDS[t]}" for t, n in counts.items() if n)


def double_decline(accidents: int, accidents_before: int, deaths: int, deaths_before: int) -> bool:
    """双下降: both the number of accidents and the number of deaths fell against the same period last year."""
    return accidents < accidents_before and deaths < deaths_before


def deaths_per_100m_gdp(deaths: int, gdp_yi: Decimal) -> Decimal | None:
    """亿元国内生产总值生产安全事故死亡率 = deaths ÷ GDP (亿元). regulations.md §11."""
    if not gdp_yi:
        return None
    return (Decimal(deaths) / Decimal(gdp_yi)).quantize(Decimal("0.001"))


def deaths_per_100k_workers(deaths: int, employed: int) -> Decimal | None:
    """工矿商贸十万就业人员生产安全事故死亡率 = deaths ÷ employed × 100 000. regulations.md §11."""
    if not employed:
        return None
    return (Decimal(deaths) * 100000 / Decimal(employed)).quantize(Decimal("0.001"))


def shift_year(day: date, years: int = -1) -> date:
    """The same day in another year (29 February becomes 28 February), for 'same period last year'."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------- 较大涉险事故 (issue #14)

# 原安监总局令第21号 第二十六条 (regulations.md §1.2): reported like an accident, within 1 hour; its own kind.
RELATIVELY_MAJOR_NEAR_MISS = "relatively_major_near_miss"
NEAR_MISS_PEOPLE_AT_RISK = 10
NEAR_MISS_TRAPPED_OR_MISSING = 3
NEAR_MISS_EVACUATED = 500


def is_relatively_major_near_miss(
    *,
    people_at_risk: int = 0,
    trapped_or_missing: int = 0,
    evacuated: int = 0,
    threatens_key_site: bool = False,
    serious_pollution: bool = False,
) -> bool:
    """Whether an event is a 较大涉险事故: any one criterion reached ("以上" includes the number itself)."""
    # 21号令 第二十六条: 涉险 ≥10人; 被困或下落不明 ≥3人; 紧急疏散 ≥500人; 严重污染水源等; 危及重要场所.
    return (
        people_at_risk >= NEAR_MISS_PEOPLE_AT_RISK
        or trapped_or_missing >= NEAR_MISS_TRAPPED_OR_MISSING
        or evacuated >= NEAR_MISS_EVACUATED
        or threatens_key_site
        or serious_pollution
    )


def follow_ups_per_day(grade: str) -> int:
    """续报 at least this many times a day while the response lasts."""
    # 21号令 (regulations.md §1.2): 较大涉险事故、一般、较大 at least once a day; 重大、特别重大 at least twice.
    if grade in (MAJOR, EXTRAORDINARILY_SERIOUS):
        return 2
    if grade in (ORDINARY, RELATIVELY_MAJOR, RELATIVELY_MAJOR_NEAR_MISS):
        return 1
    raise ValueError(f"unknown grade {grade!r}")


# ---------------------------------------------------------------- 迟报/漏报/谎报/瞒报 from facts

LATE = "late"
OMITTED = "omitted"
FALSE = "false"
CONCEALED = "concealed"


def reporting_finding(
    *,
    reported: bool,
    late: bool = False,
    content_complete: bool = True,
    omission: bool = False,
    omission_by_negligence: bool = False,
    intentional_falsehood: bool = False,
    false_fields=(),
    deadline_passed: bool = False,
    concealment_verified: bool = False,
) -> frozenset[str]:
    """The reporting failures that follow from the investigator's facts (a report can be both late and false).

    Not reported: nothing until the deadline has passed and concealment is verified (then 瞒报); until then the
    set is empty and the accident stays flagged for verification (`concealment_unverified`)."""
    # 应急管理部令第14号 (regulations.md §1.3): 迟报 after the limit; 漏报 through negligence; 谎报 intentional
    # untruth; 瞒报 concealed past the limit and 经查证属实.
    if not reported:
        return frozenset({CONCEALED}) if deadline_passed and concealment_verified else frozenset()
    found = set()
    if late:
        found.add(LATE)
    if omission or not content_complete:
        # 漏报 is an omission through negligence (过失); content left out on purpose is 故意不如实报告: 谎报.
        found.add(OMITTED if omission_by_negligence else FALSE)
    if intentional_falsehood:  # `false_fields` names what was untrue; untrue by mistake is not 谎报
        found.add(FALSE)
    return frozenset(found)


def concealment_unverified(*, reported: bool, deadline_passed: bool, concealment_verified: bool) -> bool:
    """Not reported past the deadline but concealment not yet verified: flagged for verification."""
    return not reported and deadline_passed and not concealment_verified


# ---------------------------------------------------------------- 批复 of the investigation report

REPLY_DAYS = 15
REPLY_DAYS_EXTRAORDINARY = 30
MAX_REPLY_EXTENSION_DAYS = 30


def reply_due(grade: str, report_received_on: date) -> tuple[date, date | None]:
    """(the reply's due date, the latest date with the extension or None where none is allowed)."""
    # 493号令 第三十二条: 重大、较大、一般 15 days from receiving the report; 特别重大 30 days, extendable ≤30 days.
    if grade == EXTRAORDINARILY_SERIOUS:
        due = report_received_on + timedelta(days=REPLY_DAYS_EXTRAORDINARY)
        return due, due + timedelta(days=MAX_REPLY_EXTENSION_DAYS)
    if grade in (MAJOR, RELATIVELY_MAJOR, ORDINARY):
        return report_received_on + timedelta(days=REPLY_DAYS), None
    raise ValueError(f"no 批复 deadline for grade {grade!r}")


def reply_overdue(due_on: date, replied_on: date | None, today: date) -> bool:
    """A reply after its due date, or none yet once the due date has passed (the due date itself is on time)."""
    return (replied_on if replied_on is not None else today) > due_on


def check_report_received_on(received_on: date, concluded_on: date | None, today: date) -> None:
    """The government receives the investigation report once it is concluded, and not in the future."""
    # 493号令 第三十二条: the reply runs from the day the government receives the report.
    if (concluded_on is not None and received_on < concluded_on) or received_on > today:
        raise RuleViolation(
            "received_on",
            ErrorCode.REPORT_RECEIVED_OUTSIDE_PERIOD,
            _("收到调查报告日期应在调查结案日期与今天之间。"),
        )


def extended_reply_due_on(grade: str, report_received_on: date, days) -> date:
    """The reply's due date after the one extension of a 特别重大 report (1 to 30 days), else a violation."""
    # 493号令 第三十二条: only 特别重大 may be extended, by at most 30 days.
    due, latest = reply_due(grade, report_received_on)
    if latest is None:
        raise RuleViolation(
            "days",
            ErrorCode.REPLY_EXTENSION_NOT_ALLOWED,
            _("只有特别重大事故的调查报告批复可以延长（第三十二条）。"),
        )
    try:
        extended = int(days)
    except (TypeError, ValueError):
        extended = 0
    if not 1 <= extended <= MAX_REPLY_EXTENSION_DAYS:
        raise RuleViolation(
            "days",
            ErrorCode.REPLY_EXTENSION_DAYS,
            _("批复延长天数应为1至%(max)d天。") % {"max": MAX_REPLY_EXTENSION_DAYS},
        )
    return due + timedelta(days=extended)


def check_replied_on(replied_on: date, report_received_on: date, today: date) -> None:
    """The reply is dated between the report's receipt and today."""
    if not report_received_on <= replied_on <= today:
        raise RuleViolation(
            "replied_on", ErrorCode.REPLY_OUTSIDE_PERIOD, _("批复日期应在收到调查报告日期与今天之间。")
        )


# ---------------------------------------------------------------- fines (安全生产法 2021)

# 安全生产法 第一百一十四条: the responsible unit's fine by grade, 万元, both ends allowed.
UNIT_FINES_WAN = {
    ORDINARY: (30, 100),
    RELATIVELY_MAJOR: (100, 200),
    MAJOR: (200, 1000),
    EXTRAORDINARILY_SERIOUS: (1000, 2000),
}
# 安全生产法 第九十五条: the 主要负责人's fine as a percentage of last year's income.
PRINCIPAL_FINE_PERCENT = {ORDINARY: 40, RELATIVELY_MAJOR: 60, MAJOR: 80, EXTRAORDINARILY_SERIOUS: 100}


def unit_fine_range(grade: str, *, aggravated: bool = False) -> tuple[int, int]:
    """(min, max) of the unit's fine in 万元; 情节特别严重、影响特别恶劣: 2× the minimum to 5× the maximum."""
    # 安全生产法 第一百一十四条第二款: 按照前款罚款数额的二倍以上五倍以下.
    low, high = UNIT_FINES_WAN[grade]
    return (low * 2, high * 5) if aggravated else (low, high)


def principal_fine_percent(grade: str) -> int:
    return PRINCIPAL_FINE_PERCENT[grade]


def principal_fine_wan(grade: str, last_year_income_wan: Decimal) -> Decimal:
    """The 主要负责人's fine: the grade's percentage of last year's income, to the cent."""
    return (Decimal(last_year_income_wan) * principal_fine_percent(grade) / 100).quantize(Decimal("0.000001"))


def check_unit_fine(grade: str, amount_wan, *, aggravated: bool = False) -> None:
    low, high = unit_fine_range(grade, aggravated=aggravated)
    if not low <= Decimal(amount_wan) <= high:
        raise RuleViolation(
            "fine_wan",
            ErrorCode.FINE_OUT_OF_RANGE,
            _("该等级事故对事故发生单位的罚款应在%(low)d万元至%(high)d万元之间（安全生产法第一百一十四条）。")
            % {"low": low, "high": high},
        )


# ---------------------------------------------------------------- GB 6441 injury severity

MINOR = "minor"
SERIOUS = "serious"
FATAL_EQUIVALENT = "fatal_equivalent"
SERIOUS_DAYS = 105
FATAL_DAYS = 6000


def injury_severity(lost_work_days: int) -> str | None:
    """轻伤 1–104 days, 重伤 105–5999, 6000 and more counted as death; None for no lost day."""
    # GB 6441-1986 (regulations.md §10): 轻伤 1 ≤ d < 105; 重伤 105 ≤ d < 6000; 死亡 6000 days.
    if lost_work_days < 0:
        raise ValueError("lost work days cannot be negative")
    if lost_work_days == 0:
        return None
    if lost_work_days < SERIOUS_DAYS:
        return MINOR
    if lost_work_days < FATAL_DAYS:
        return SERIOUS
    return FATAL_EQUIVALENT


# ---------------------------------------------------------------- more rates (regulations.md §11)


def deaths_per_10k_vehicles(deaths: int, vehicles: int) -> Decimal | None:
    """道路交通事故万车死亡率 = deaths ÷ motor vehicles × 10 000."""
    if not vehicles:
        return None
    return (Decimal(deaths) * 10000 / Decimal(vehicles)).quantize(Decimal("0.001"))


def deaths_per_million_tonnes(deaths: int, output_wan_tonnes) -> Decimal | None:
    """煤矿百万吨死亡率 = deaths ÷ raw coal output (万吨) × 100."""
    if not output_wan_tonnes:
        return None
    return (Decimal(deaths) * 100 / Decimal(output_wan_tonnes)).quantize(Decimal("0.001"))


# Heinrich's law and its Chinese four-layer variant (regulations.md §12), as data: reference, not regulation.
HEINRICH = {
    "classic": {"major_injury": 1, "minor_injury": 29, "no_injury": 300},
    "with_hazards": {"major_injury": 1, "minor_injury": 29, "no_injury": 300, "hazards_or_unsafe_acts": 1000},
}


# ---------------------------------------------------------------- injured persons by lost work days (issue #14)

# Plausibility bound: far above the 6000 days a death counts for; a larger figure is a typing error.
MAX_LOST_WORK_DAYS = 99_999


def lost_work_days(value, label: str) -> int:
    """Lost work days as entered: a whole number, not negative (blank refused); the violation names the field."""
    # GB 6441-1986 (regulations.md §10) counts whole 损失工作日.
    field = "lost_work_days"
    if value in (None, ""):
        raise RuleViolation(field, ErrorCode.DAYS_NOT_WHOLE, _("请填写%(field)s。") % {"field": label})
    try:
        number = int(value)
        if number != Decimal(str(value).strip()):
            raise ValueError(value)
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise RuleViolation(
            field, ErrorCode.DAYS_NOT_WHOLE, _("%(field)s应为整数（天）。") % {"field": label}
        ) from exc
    if number < 0:
        raise RuleViolation(field, ErrorCode.DAYS_NEGATIVE, _("%(field)s不能为负数。") % {"field": label})
    if number > MAX_LOST_WORK_DAYS:
        raise RuleViolation(
            field,
            ErrorCode.DAYS_TOO_LARGE,
            _("%(field)s不能超过 %(max)d 日（死亡按 %(fatal)d 日折算），请核对。")
            % {"field": label, "max": MAX_LOST_WORK_DAYS, "fatal": FATAL_DAYS},
        )
    return number


def injury_counts(severities: Mapping[str | None, int]) -> dict[str, int]:
    """重伤/轻伤人数 from the number of persons of each severity: 6000 days or more without a death is counted
    as 重伤 (the person is alive); persons without a lost day are not injured."""
    # GB 6441-1986 (regulations.md §10): 重伤 105 ≤ d < 6000; 死亡 counted as 6000 days, which only a death is.
    return {
        "serious_injuries": severities.get(SERIOUS, 0) + severities.get(FATAL_EQUIVALENT, 0),
        "minor_injuries": severities.get(MINOR, 0),
    }


# ---------------------------------------------------------------- coal mining (regulations.md §10, §11)

# GB/T 4754-2017 大类 06 煤炭开采和洗选业: the accidents whose deaths 煤矿百万吨死亡率 counts.
COAL_MINING_DIVISION = 6


def covers_coal_mining(gb4754_codes: str) -> bool:
    """Whether an industry's GB/T 4754 codes ("B06", "06", "B0610", comma-separated) name division 06; a
    whole section ("B") does not, since most of 采矿业 is not coal."""
    for code in (gb4754_codes or "").split(","):
        digits = code.strip().lstrip("Bb")
        if len(digits) >= 2 and digits[:2].isdigit() and int(digits[:2]) == COAL_MINING_DIVISION:
            return True
    return False


def heinrich_expected(variant: str, top: int) -> dict[str, int]:
    """Each layer's expectation under the variant's ratio, scaled from the top layer's actual count
    (top = 2 under 1:29:300 → 2, 58, 600)."""
    ratios = HEINRICH[variant]
    unit = ratios[next(iter(ratios))]
    return {key: top * ratio // unit for key, ratio in ratios.items()}
