"""The accidents sweep (registered in apps.py): flag 迟报 on report steps whose deadline passed unreceived."""

from __future__ import annotations

from anlan.core import audit

from . import services


def run(*, today, now, stdout=None) -> dict[str, int]:
    return {"late_steps_flagged": services.flag_overdue_steps(actor=audit.system_actor(), now=now)}
