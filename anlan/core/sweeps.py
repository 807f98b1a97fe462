"""The registry of deadline sweeps run by `manage.py anlan_sweep` and by the worker (design.md, "Time and deadlines").

A module registers its sweep once, in its AppConfig.ready():

    from anlan.core.sweeps import register
    register("hazards", "anlan.hazards.sweeps.run")

A sweep is `run(*, today, now, stdout=None) -> dict[str, int]` (counts for the log). It must be idempotent
(running it twice changes nothing the second time and notifies nobody twice) and safe with several workers
at once: claim each row with a conditional UPDATE (or `select_for_update(skip_locked=True)` on PostgreSQL)
and give every notification a dedupe key. It walks large tables in chunks, so memory does not grow with them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.utils.module_loading import import_string

_REGISTRY: dict[str, str] = {}


def register(name: str, dotted_path: str) -> None:
    """Register (or re-register, idempotently) a sweep function by its dotted path."""
    _REGISTRY[name] = dotted_path


def registered() -> dict[str, Callable]:
    """name → function, in registration order."""
    return {name: import_string(path) for name, path in _REGISTRY.items()}


def run_all(*, today: date, now: datetime, only: list[str] | None = None, stdout=None) -> dict[str, dict]:
    """Run every registered sweep (or those named in `only`) and return their counts by name."""
    results = {}
    for name, function in registered().items():
        if only and name not in only:
            continue
        results[name] = function(today=today, now=now, stdout=stdout) or {}
    return results
