"""Timing helpers: percentiles, a timed request through Django's test Client, tracemalloc peaks."""

from __future__ import annotations

import math
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field


def percentile(samples: list[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100) of the samples."""
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)  # seconds

    @property
    def p50_ms(self) -> float:
        return percentile(self.samples, 50) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.samples, 95) * 1000


def repeat(action: Callable[[], object], runs: int, warmup: int) -> Timing:
    """Run `action` warmup times unmeasured, then `runs` times measured (wall clock, perf_counter)."""
    for _ in range(warmup):
        action()
    timing = Timing()
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timing.samples.append(time.perf_counter() - started)
    return timing


def repeat_with_sql(
    action: Callable[[], object], runs: int, warmup: int, table: str
) -> tuple[Timing, Timing]:
    """Like `repeat`, and also the time spent in the SQL statements that read `table` during each run
    (the page's own queries, as Django builds them: count, ids, rows), timed at the database cursor."""
    from django.db import connection

    spent: list[float] = []

    def timed(execute, sql, params, many, context):
        if table not in sql:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    for _ in range(warmup):
        action()
    total, sql = Timing(), Timing()
    with connection.execute_wrapper(timed):
        for _ in range(runs):
            spent.clear()
            started = time.perf_counter()
            action()
            total.samples.append(time.perf_counter() - started)
            sql.samples.append(sum(spent))
    return total, sql


class RequestFailed(Exception):
    """The page is not available (404, an error status, or an exception in the view)."""


def get(client, url: str, **headers):
    """GET the URL; the response when it is a 200, else RequestFailed."""
    try:
        response = client.get(url, **headers)
    except Exception as exc:  # the view raised: report it, keep benchmarking the rest
        raise RequestFailed(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code != 200:
        raise RequestFailed(f"HTTP {response.status_code}")
    return response


def fetch(client, url: str, **headers) -> int:
    """GET the URL and read the whole body, streamed or not; returns its size in bytes."""
    response = get(client, url, **headers)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size
    return len(response.content)


def peak_memory(action: Callable[[], object]) -> tuple[int, object]:
    """(peak bytes traced by tracemalloc while `action` ran, its result)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = action()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result
