"""Pure rules of governance (责任落实). No ORM, no clock.

Sources: ../shared/regulations.md and the seed-map rows the issue names (A1–A9, A11, B7, B10, B11, C12–C14,
D1–D4, H1–H5, I4–I7); each rule names its source in one short comment. Codes are English; each vocabulary is a
module constant of (code, Chinese label) pairs.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

# ================================================================ campaigns: 安委会议定事项 and 专项整治

# seed-map A9 (S2 L711 「健全区安委会“双主任”决策议事机制…推进各专安委及办公室实体化运行」; S3 「设立十四个专业委员会」).
MEETING_PLENARY = "plenary"
MEETING_SPECIAL = "special"
MEETING_COMMITTEE = "committee"
MEETING_KINDS = (
    (MEETING_PLENARY, _("安委会全体会议")),
    (MEETING_SPECIAL, _("安委会专题会议")),
    (MEETING_COMMITTEE, _("专委会会议")),
)

# seed-map D1/I5 (S2 L105 「专项整治三年行动工作专班」; S2 L573 「6月安全生产月」) and the seasonal actions.
CAMPAIGN_THREE_YEAR = "three_year"
CAMPAIGN_SAFETY_MONTH = "safety_month"
CAMPAIGN_FLOOD = "flood_season"
CAMPAIGN_YEAR_END = "year_end"
CAMPAIGN_SPECIAL = "special"
CAMPAIGN_KINDS = (
    (CAMPAIGN_THREE_YEAR, _("专项整治三年行动")),
    (CAMPAIGN_SPECIAL, _("专项整治")),
    (CAMPAIGN_SAFETY_MONTH, _("安全生产月")),
    (CAMPAIGN_FLOOD, _("汛期安全专项行动")),
    (CAMPAIGN_YEAR_END, _("岁末年初安全专项行动")),
)

# seed-map D3 (S2 L107 「各专项整治要做到“每月一调度、每季一通报、每年一总结”」).
PERIOD_MONTH = "month"
PERIOD_QUARTER = "quarter"
PERIOD_YEAR = "year"
PERIOD_KINDS = (
    (PERIOD_MONTH, _("月度调度")),
    (PERIOD_QUARTER, _("季度通报")),
    (PERIOD_YEAR, _("年度总结")),
)
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def decision_due_ok(due_on: date, held_on: date) -> bool:
    """A decision's deadline is not before the meeting that made it (A9: decisions followed up to closure)."""
    return due_on >= held_on


def decision_is_overdue(due_on: date, is_closed: bool, today: date) -> bool:
    """An assigned decision not closed by its deadline is overdue from the next day (the due date itself is
    not overdue, as for hazards; S2 L179 「跟踪督办、限时办结」)."""
    return not is_closed and today > due_on


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The month, quarter or calendar year containing `day`, as (first day, last day) — D3's periods."""
    if kind == PERIOD_MONTH:
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    if kind == PERIOD_QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        last_month = first_month + 2
        return date(day.year, first_month, 1), date(day.year, last_month, monthrange(day.year, last_month)[1])
    if kind == PERIOD_YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(kind)


def previous_period_start(kind: str, day: date) -> date:
    """The first day of the period before the one containing `day` (the report a sweep or a user issues
    after the period closes)."""
    start, _end = period_bounds(kind, day)
    if kind == PERIOD_YEAR:
        return date(start.year - 1, 1, 1)
    months = 1 if kind == PERIOD_MONTH else 3
    month = start.month - months
    year = start.year
    if month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


def period_label(kind: str, start: date) -> str:
    """How a document names its period: 2026年3月 / 2026年第一季度 / 2026年度 (Chinese: it is a 公文)."""
    if kind == PERIOD_MONTH:
        return f"{start.year}年{start.month}月"
    if kind == PERIOD_QUARTER:
        return f"{start.year}年第{QUARTER_NAMES[(start.month - 1) // 3 + 1]}季度"
    return f"{start.year}年度"


def periods_overlap(start: date, end: date, other_start: date, other_end: date) -> bool:
    return start <= other_end and other_start <= end


@dataclass(frozen=True)
class TagRule:
    """Which records a campaign covers by rule (D1 大排查大整治 under its topics): the industries of its
    special areas, its region's subtree (region codes from `prefix`), its period."""

    industry_ids: frozenset[int]
    region_prefix: str
    starts_on: date
    ends_on: date


def tag_rule_matches(rule: TagRule, *, industry_id: int | None, region_code: str, on: date) -> bool:
    """Whether a record (its industry, region and date) falls under the campaign's rule: an industry of one
    of its areas, inside its region, dated within its period (both ends included)."""
    return (
        industry_id is not None
        and industry_id in rule.industry_ids
        and region_code.startswith(rule.region_prefix)
        and rule.starts_on <= on <= rule.ends_on
    )


def card_month_ok(month: date, starts_on: date, ends_on: date) -> bool:
    """A monthly card (D2 「每个月都会印发…提示卡，制定当月整治工作任务清单」) is for a month the campaign runs in."""
    first, last = period_bounds(PERIOD_MONTH, month)
    return periods_overlap(first, last, starts_on, ends_on)


def completion_rate(done: int, total: int) -> int:
    """Percentage, rounded down (a 调度 shows 完成率 without overstating it); 0 of 0 is 0."""
    return (100 * done) // total if total else 0
