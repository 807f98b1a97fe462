"""Pure rules of governance (责任落实). No ORM, no clock.

Sources: ../shared/regulations.md and the seed-map rows the issue names (A1–A9, A11, B7, B10, B11, C12–C14,
D1–D4, H1–H5, I4–I7); each rule names its source in one short comment. Codes are English; each vocabulary is a
module constant of (code, Chinese label) pairs.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from anlan.core.rules import RuleViolation

# ================================================================ problems: 督查问题, 两书一函, 问责


class ProblemCode(StrEnum):
    DUE_BEFORE_FOUND = "problem_due_before_found"
    PLAN_AFTER_DUE = "problem_plan_after_due"
    PLAN_BEFORE_FOUND = "problem_plan_before_found"
    REPLY_BEFORE_ISSUED = "letter_reply_before_issued"
    DECIDED_IN_FUTURE = "accountability_decided_in_future"


# Where a problem came from: found in a 督查 of the county, or handed down by the city/province (seed-map B7:
# 「市安委办3月25日交办我区239项问题」).
PROBLEM_SOURCES = (("visit", _("督查检查")), ("handed_down", _("上级交办")))

# 两书一函 (seed-map C12: 「警示提醒书、安全监管行政建议书及安全隐患挂牌督办函“两书一函”制度」).
LETTER_KINDS = (
    ("warning_letter", _("警示提醒书")),
    ("advice_letter", _("安全监管行政建议书")),
    ("supervision_letter", _("督办函")),
)

# 通报、约谈、警示、问责 (seed-map C13, H5: 「要通报批评、约谈问责」).
ACCOUNTABILITY_KINDS = (
    ("summons", _("约谈")),
    ("circular", _("通报批评")),
    ("warning", _("警示")),
    ("accountability", _("问责")),
)


def check_problem_dates(found_on: date, due_on: date) -> None:
    """A problem's deadline cannot come before the day it was found (a deadline in the past is allowed: a
    handed-down list is often recorded after its dates)."""
    if due_on < found_on:
        raise RuleViolation(
            "due_on", ProblemCode.DUE_BEFORE_FOUND, _("整改时限不能早于发现日期（%(d)s）。") % {"d": found_on}
        )


def check_plan_due_on(plan_due_on: date, found_on: date, due_on: date) -> None:
    """The rectification plan's own date (时限) lies between the finding and the issuer's deadline: the
    assignee cannot give itself more time than the issuer did (seed-map B7: 「明确整改时限和目标任务」)."""
    if plan_due_on < found_on:
        raise RuleViolation(
            "plan_due_on",
            ProblemCode.PLAN_BEFORE_FOUND,
            _("计划完成时限不能早于发现日期（%(d)s）。") % {"d": found_on},
        )
    if plan_due_on > due_on:
        raise RuleViolation(
            "plan_due_on",
            ProblemCode.PLAN_AFTER_DUE,
            _("计划完成时限不能晚于交办的整改时限（%(d)s）。") % {"d": due_on},
        )


# 民法典 第二百零一条 (regulations.md, conventions): a period ends at 24:00 of its last day, so the deadline
# itself is on time and a problem not closed is overdue from the next day on — the same rule as hazards.
def problem_overdue_cutoff(today: date) -> date:
    """The latest deadline that is overdue on `today` (problems due on or before it and not closed)."""
    return today - timedelta(days=1)


def problem_is_overdue(due_on: date, today: date, closed_on: date | None = None) -> bool:
    """Whether a problem is overdue: not closed out by the end of its deadline (closed late counts too)."""
    return due_on <= problem_overdue_cutoff(closed_on if closed_on is not None else today)


def problem_closed_on_time(due_on: date, closed_on: date | None) -> bool:
    return closed_on is not None and not problem_is_overdue(due_on, closed_on, closed_on)


def problem_days_overdue(due_on: date, today: date) -> int:
    return max((today - due_on).days, 0)


def on_time_rate(closed_on_time: int, due: int) -> float | None:
    """按期整改率: problems closed out by their deadline over problems whose deadline has passed or that are
    closed, as a percentage with one decimal; None when nothing is due yet."""
    if not due:
        return None
    return round(100.0 * closed_on_time / due, 1)


def letter_reply_is_overdue(reply_due_on: date, today: date, replied_on: date | None = None) -> bool:
    """A letter's written reply is late from the day after its reply deadline (民法典 第二百零一条)."""
    return reply_due_on <= problem_overdue_cutoff(replied_on if replied_on is not None else today)


def check_decided_on(decided_on: date, today: date) -> None:
    """An accountability measure is recorded after it was taken: its date is not in the future."""
    if decided_on > today:
        raise RuleViolation("decided_on", ProblemCode.DECIDED_IN_FUTURE, _("日期不能晚于今天。"))
