"""The inspections sweep (core.sweeps): flag the enterprises whose counted penalties make a 提请关闭 due
(安全生产法 第一百一十三条) — penalties entered back-dated or imported never passed the enforcement service's
check. Idempotent: an open proposal per enterprise (a conditional unique constraint) and a window already
counted by an earlier proposal flags nothing again."""

from __future__ import annotations

from datetime import date

from . import services


def run(*, today: date, now=None, stdout=None) -> dict[str, int]:
    return {"closure_flagged": services.flag_closures(on=today)}
