"""Deadline sweeps run by `manage.py anlan_sweep` and by the worker (design.md, "Time and deadlines").

A module declares its sweep in its contribution (core/contract.py):

    c.sweep("hazards", "anlan.hazards.sweeps.run", every=timedelta(hours=1))

A sweep is `run(*, today, now, stdout=None) -> dict[str, int]` (counts for the log). It must be idempotent
(running it twice changes nothing the second time and notifies nobody twice) and safe with several workers
at once: claim each row with a conditional UPDATE (or `select_for_update(skip_locked=True)` on PostgreSQL)
and give every notification a dedupe key. It walks large tables in chunks, so memory does not grow with them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.utils.module_loading import import_string

from .contract import registry


def registered() -> dict[str, Callable]:
    """name → function, in declaration order."""
    return {name: import_string(sweep.path) for name, sweep in registry().sweeps.items()}


def unknown(names: list[str]) -> list[str]:
    """The names in `names` that no installed module declares."""
    return [name for name in names if name not in registry().sweeps]


def run_all(*, today: date, now: datetime, only: list[str] | None = None, stdout=None) -> dict[str, dict]:
    """Run every declared sweep (or those named in `only`) and return their counts by name."""
    missing = unknown(only or [])
    if missing:
        raise KeyError(f"unknown sweeps {missing}; declared: {sorted(registry().sweeps)}")
    results = {}
    for name, function in registered().items():
        if only and name not in only:
            continue
        results[name] = function(today=today, now=now, stdout=stdout) or {}
    return results
