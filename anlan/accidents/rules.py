"""Pure rules of accident reporting, grading, investigation and statistics. No ORM, no clock.

Sources are in ../shared/regulations.md §1 (生产安全事故报告和调查处理条例, 国务院令第493号) and §11.
Money is in 万元 as a Decimal; "以上" includes the number itself and "以下" excludes it (第三条第三款).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

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


# ---------------------------------------------------------------- serious-dishonesty list

MAJOR_ACCIDENT = "major_accident"
FALSE_OR_CONCEALED_REPORT = "false_or_concealed_report"


def dishonesty_grounds(grade: str, falsely_reported: bool) -> tuple[str, ...]:
    """Grounds on which a unit responsible for an accident is listed; empty when it is only the responsible unit."""
    # 应急管理部令第11号 (regulations.md §4): situation 1 (特别重大 or 重大 accident), situation 4 (瞒报 or 谎报).
    grounds = []
    if grade in (MAJOR, EXTRAORDINARILY_SERIOUS):
        grounds.append(MAJOR_ACCIDENT)
    if falsely_reported:
        grounds.append(FALSE_OR_CONCEALED_REPORT)
    return tuple(grounds)


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
