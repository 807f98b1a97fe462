"""The accidents sweep (registered in apps.py): flag 迟报 on report steps whose deadline passed unreceived,
and 批复超期 on investigation reports still without a reply after their due date."""

from __future__ import annotations

from anlan.core import audit

from . import services


def run(*, today, now, stdout=None) -> dict[str, int]:
    actor = audit.system_actor()
    return {
        "late_steps_flagged": services.flag_overdue_steps(actor=actor, now=now),
        "late_replies_flagged": services.flag_overdue_replies(actor=actor, today=today),
    }
