"""Pure rules of governance (责任落实). No ORM, no clock.

Sources: ../shared/regulations.md and the seed-map rows the issue names (A1–A9, A11, B7, B10, B11, C12–C14,
D1–D4, H1–H5, I4–I7); each rule names its source in one short comment. Codes are English; each vocabulary is a
module constant of (code, Chinese label) pairs.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from anlan.core.rules import REGION_CODE_LENGTH, level_of_code, region_prefix

# ================================================================ duties: 两个清单 (责任清单 + 工作任务清单)

# Where a duty comes from. 三管三必须: 《安全生产法》第三条「管行业必须管安全、管业务必须管安全、管生产经营必须管安全」;
# 安委会成员单位职责 and 属地 (seed-map A2, A4, A7); a leader's 一岗双责 (seed-map A1).
DUTY_CATEGORIES = (
    ("industry", _("管行业必须管安全")),
    ("business", _("管业务必须管安全")),
    ("operation", _("管生产经营必须管安全")),
    ("committee", _("安委会成员单位职责")),
    ("territorial", _("属地管理责任")),
    ("leadership", _("领导一岗双责")),
)

# What a listed task's record says about an accident (照单追责 / 尽职免责, seed-map A5: S2 L191
# 「发生事故要照单追责…只要严格履行了“两个清单”，即使发生事故也可免予责任追究」).
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OVERDUE_AT_ACCIDENT = "overdue_at_accident"
NOT_YET_DUE = "not_yet_due"
TASK_OUTCOMES = (
    (DONE_ON_TIME, _("事故前按期完成")),
    (DONE_LATE, _("事故前完成但超期")),
    (OVERDUE_AT_ACCIDENT, _("事故发生时已逾期未完成")),
    (NOT_YET_DUE, _("事故发生时未到期")),
)

# The task statuses a page shows: the stored ones plus 逾期, derived from the due date and never stored.
TASK_NOT_STARTED = "not_started"
TASK_IN_PROGRESS = "in_progress"
TASK_REPORTED = "reported"
TASK_DONE = "done"
TASK_OVERDUE = "overdue"
TASK_STATUS_LABELS = {
    TASK_NOT_STARTED: _("未开始"),
    TASK_IN_PROGRESS: _("进行中"),
    TASK_REPORTED: _("待确认"),
    TASK_DONE: _("已完成"),
    TASK_OVERDUE: _("逾期"),
}


def task_is_overdue(status: str, due_on: date, today: date, reported_on: date | None = None) -> bool:
    """A task is overdue from the day after its due date until it is done; a completion reported by the due
    date and awaiting the 安委办's confirmation is not (the unit did its part in time)."""
    # Source: S2 L191 「工作任务清单…由同级安委办审核督办」; the due date is the task's own.
    if status == TASK_DONE:
        return False
    if status == TASK_REPORTED and reported_on is not None and reported_on <= due_on:
        return False
    return today > due_on


def task_status(status: str, due_on: date, today: date, reported_on: date | None = None) -> str:
    """The status shown: 逾期 when `task_is_overdue`, else the stored status."""
    return TASK_OVERDUE if task_is_overdue(status, due_on, today, reported_on) else status


def task_outcome(status: str, due_on: date, completed_on: date | None, accident_on: date) -> str:
    """What a listed task's record says on the day of an accident: done (confirmed by the 安委办) before that
    day — on time (by its due date) or late; else overdue when its due date was already past, or not yet due.
    A task completed on the accident's day or after counts as not done at the accident (the accident's hour
    is not compared with a completion date). Source: seed-map A5 (照单追责 / 尽职免责)."""
    done_before = status == TASK_DONE and completed_on is not None and completed_on < accident_on
    if done_before:
        return DONE_ON_TIME if completed_on <= due_on else DONE_LATE
    return OVERDUE_AT_ACCIDENT if due_on < accident_on else NOT_YET_DUE


def region_contains(ancestor_code: str, code: str) -> bool:
    """Whether the 12-digit region `code` lies in the subtree of `ancestor_code` (the region itself included)."""
    if len(ancestor_code) != REGION_CODE_LENGTH or len(code) != REGION_CODE_LENGTH:
        return False
    return code.startswith(region_prefix(ancestor_code, level_of_code(ancestor_code)))


def duty_covers(
    item_industry_ids: frozenset[int] | set[int],
    item_region_codes: frozenset[str] | set[str],
    industry_lineage: frozenset[int] | set[int],
    region_code: str,
) -> bool:
    """Whether a listed duty covers an enterprise (照单追责, seed-map A5): its industries hold the enterprise's
    industry or an ancestor of it (`industry_lineage`: the industry and its ancestors), and its regions contain
    the enterprise's region. An empty side matches anything, but a duty with neither (a general duty such as
    attending meetings) covers no enterprise in particular. 三管三必须: 《安全生产法》第三条."""
    if not item_industry_ids and not item_region_codes:
        return False
    industry_ok = not item_industry_ids or bool(set(item_industry_ids) & set(industry_lineage))
    region_ok = not item_region_codes or any(region_contains(code, region_code) for code in item_region_codes)
    return industry_ok and region_ok


def list_is_editable(status: str) -> bool:
    """A 责任清单 is edited while a draft or after the 安委办 returned it; submitted and approved versions are
    not (approved versions are immutable: a revision is a new version). Source: S2 L191 「每年进行修订」."""
    return status in ("draft", "returned")


def report_has_evidence(evidence_count: int) -> bool:
    """A completion is reported with at least one piece of evidence (a file or a linked record): 照单履职 needs
    proof, and H4 「件件有落实、事事有印证」 (seed-map H4)."""
    return evidence_count >= 1


def duty_year_ok(year: int, today: date) -> bool:
    """A list or task year from 2000 to next year (lists are drafted ahead for the coming year)."""
    return 2000 <= year <= today.year + 1


def due_on_in_year(due_on: date, year: int) -> bool:
    """A task of the year's 工作任务清单 falls due within that year."""
    return due_on.year == year
