"""双随机、一公开: when a draw's results are due for publication (regulations.md §8) and whether they were
published late. The deadline is computed when the draw is confirmed and again when its last drawn inspection is
recorded (RandomDraw's docstring says when the inspection ends); the sweep fills it in where the holiday
calendar lacked a year."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from anlan.core.calendar import Calendar
from anlan.core.errors import DomainError
from anlan.core.errors import ErrorCode as CoreErrorCode
from anlan.core.records import update_with_history

from .. import rules
from ..models import Inspection, RandomDraw


def ended_on(draw: RandomDraw) -> date:
    """The day the draw's inspection ends (rules.inspection_ended_on over its drawn inspections)."""
    rows = draw.inspections.values_list("status", "finished_at")
    recorded = [
        timezone.localdate(finished) if status == Inspection.Status.RECORDED and finished else None
        for status, finished in rows
    ]
    return rules.inspection_ended_on(recorded, draw.period_end)


def due_on(ended: date) -> date | None:
    """The publication deadline for an inspection that ended on `ended`, by the configured days; None while
    the holiday calendar lacks a year the count needs (it is computed once that year is imported)."""
    try:
        return rules.publication_due(
            ended,
            days=settings.ANLAN_DRAW_PUBLISH_DAYS,
            working_days=settings.ANLAN_DRAW_PUBLISH_WORKING_DAYS,
            calendar=Calendar(),
        )
    except DomainError as error:
        if error.code == CoreErrorCode.CALENDAR_YEAR_MISSING:
            return None
        raise


def deadline_changes(draw: RandomDraw) -> dict:
    """The draw's `ended_on` and `publish_due_on` as they should be now (for a confirmed draw)."""
    ended = ended_on(draw)
    return {"ended_on": ended, "publish_due_on": due_on(ended)}


def refresh_deadline(draw: RandomDraw, actor, reason: str = "") -> bool:
    """Store a confirmed, unpublished draw's end and deadline if they moved (one history row). The caller
    holds the draw's lock, so two inspections recorded at once agree on which one was the last."""
    if draw.status != RandomDraw.Status.CONFIRMED:
        return False
    changes = deadline_changes(draw)
    if all(getattr(draw, key) == value for key, value in changes.items()):
        return False
    update_with_history(draw, actor, reason, **changes)
    return True


def after_recording(inspection: Inspection, actor) -> None:
    """A drawn inspection was recorded: the draw's inspection may have ended (called in the transaction)."""
    if not inspection.draw_id:
        return
    draw = RandomDraw.objects.select_for_update().get(pk=inspection.draw_id)
    refresh_deadline(draw, actor)


def publication_changes(draw: RandomDraw, on: date) -> dict:
    """What publishing the draw's results on `on` records: the time and whether it is late (逾期公开)."""
    due = draw.publish_due_on
    if due is None and draw.status == RandomDraw.Status.CONFIRMED:
        due = due_on(ended_on(draw))
    changes = {"published_at": timezone.now(), "published_late": rules.published_late(on, due)}
    if due is not None and draw.publish_due_on is None:
        changes["publish_due_on"] = due
    return changes
