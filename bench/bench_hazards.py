#!/usr/bin/env python
"""Hazards at scale: N hazards (default 1 000 000) over the benchmark enterprises, in one run.

    .venv/bin/python bench/bench_hazards.py [--hazards 1000000] [--hazard-runs 20] [--json out.json]
    .venv/bin/python bench/run.py --only hazards [--hazards N]        # the same, from the main runner

The data set: N hazards found over the last year, one per random benchmark enterprise (so 来安县 holds 30 %),
in every state (at one year ≈ 95 % closed, 2 % voided, 0.5 % open past their due date), generated once (bench/bulk.py) and reused
while N and the seed stay the same. It needs the enterprise data set (bench/generate.py), made first if missing.

Measured:
- list: `GET /hazards/?status=rectifying&page=1` (scoped, filtered, counted and paged) as the 来安县 office and
  the housing department — target p95 ≤ 80 ms;
- stats: the statistics page's aggregates (`statistics.aggregates`: totals, status/grade/source/industry,
  monthly trend, towns) through the ORM and the scope, side by side with the same aggregates written as ONE
  hand-written SQL statement on a raw cursor — target ORM p50 ≤ 1.5 × hand SQL;
- sweep: the overdue sweep over the whole table with its markers cleared, at a cut-off reaching 10 % and then
  100 % of the overdue hazards — tracemalloc peak must not grow with the work (≤ 1.5×), plus the idempotent
  second run that scans the table and claims nothing;
- export: the ledger of one county (~100k rows at N = 1M) streamed, with its peak against a 10× smaller one.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GENERATOR_VERSION = 2  # 2: 2 % voided (1 voided every hazard past due with a roll under 0.52: ~47 %)
BATCH = 20_000
MARKER = "hazards"
TARGET_LIST_P95_MS = 80.0
TARGET_RATIO = 1.5
FLAT_MEMORY_RATIO = 1.5


def add_arguments(parser) -> None:
    parser.add_argument("--hazards", type=int, default=1_000_000, help="hazard records (default 1000000)")
    parser.add_argument("--hazard-runs", type=int, default=20, help="measured runs per case (default 20)")
    parser.add_argument("--hazard-seed", type=int, default=1, help="hazard data seed (default 1)")
    parser.add_argument("--regenerate-hazards", action="store_true", help="generate the hazards again")


# ---------------------------------------------------------------- data set


def _marker(value: dict | None = None) -> dict | None:
    from bench import bulk

    if value is None:
        return bulk.read_marker(MARKER)
    bulk.write_marker(MARKER, value)
    return value


def ensure_hazards(n: int, seed: int, enterprises: int, *, regenerate: bool, log) -> float | None:
    """Generate the hazards unless this exact set is there; returns the seconds spent generating (or None)."""
    from anlan.hazards.models import Hazard

    wanted = {"n": n, "seed": seed, "enterprises": enterprises, "version": GENERATOR_VERSION}
    if not regenerate and _marker() == wanted and Hazard.objects.count() == n:
        log(f"Reusing the hazard data set: {n} hazards.")
        return None
    started = time.perf_counter()
    _marker({})
    wipe()
    generate(n, seed, log)
    _marker(wanted)
    return time.perf_counter() - started


def wipe() -> None:
    from django.db import connection, transaction

    from anlan.hazards import models
    from anlan.notifications.models import Notification

    tables = [
        Notification._meta.db_table,
        models.Photo._meta.db_table,
        models.Lead._meta.db_table,
        models.Recheck._meta.db_table,
        models.Supervision._meta.db_table,
        models.Extension._meta.db_table,
        models.Verification._meta.db_table,
        models.Rectification._meta.db_table,
        models.RectificationPlan._meta.db_table,
        models.Hazard._meta.db_table,
        models.HazardCounter._meta.db_table,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")


def generate(n: int, seed: int, log, *, days: int = 365):
    """N hazards found over the last `days` days, one per random enterprise: 0.5 % open past their due date,
    2 % voided, about half of those not yet due open, the rest closed (10 % of them after their due date).

    Dates are day numbers (ordinals) turned into ISO strings through one table: the same values as date
    arithmetic, several times cheaper per row. Returns the bulk.Load.
    """
    from datetime import date

    from django.db import connection
    from django.utils import timezone

    from anlan.hazards.models import Hazard
    from bench import bulk
    from bench.generate import enterprise_keys, supervisors

    rng = random.Random(f"hazards:{seed}")
    today = timezone.localdate().toordinal()
    first = today - days
    iso = [date.fromordinal(day).isoformat() for day in range(first, today + 81)]  # up to today + 80
    enterprises = enterprise_keys()
    departments = supervisors(enterprises)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = bulk.Table(Hazard, exclude=("id",))
    sources = [str(v) for v in Hazard.Source.values]
    categories = [str(v) for v in Hazard.Category.values]
    open_states = [
        str(Hazard.Status.REGISTERED),
        str(Hazard.Status.RECTIFYING),
        str(Hazard.Status.AWAITING_VERIFICATION),
    ]
    closed, voided = str(Hazard.Status.CLOSED), str(Hazard.Status.VOIDED)
    random_, randint, choice = rng.random, rng.randint, rng.choice

    def batches():
        serial = 0
        for start in range(0, n, BATCH):
            rows = []
            for _ in range(start, min(start + BATCH, n)):
                pk, region_id, industry_id, grid_id = choice(enterprises)
                found_on = today - randint(0, days)
                due_on = found_on + randint(3, 60)
                roll = random_()
                if roll < 0.005:
                    status, due_on = choice(open_states), min(due_on, today - 1)
                    found_on = min(found_on, due_on)
                elif roll < 0.025:
                    status = voided
                elif due_on >= today and roll < 0.5:
                    status = choice(open_states)
                else:
                    status = closed
                closed_on = None
                if status == closed:
                    late = random_() < 0.1
                    closed_on = iso[
                        (
                            min(today, due_on + randint(1, 20))
                            if late
                            else found_on + randint(0, max(min(due_on, today) - found_on, 0))
                        )
                        - first
                    ]
                serial += 1
                values = {
                    "number": f"YH{region_id[:6]}-B-{serial:07d}",
                    "enterprise_id": pk,
                    "region_id": region_id,
                    "industry_id": industry_id,
                    "grid_id": grid_id,
                    "source": choice(sources),
                    "category": choice(categories),
                    "grade": "major" if random_() < 0.01 else "ordinary",
                    "description": "基准测试隐患",
                    "place": "",
                    "location": "",
                    "major_criterion": "",
                    "major_basis": "",
                    "finder": "",
                    "found_on": iso[found_on - first],
                    "due_on": iso[due_on - first],
                    "status": status,
                    "closed_on": closed_on,
                    "supervising_department_id": departments.get((region_id[:6], industry_id)),
                    "created_at": now,
                }
                rows.append(table.row(values))
            yield rows

    return bulk.load(table, batches(), n=n, label="hazards", log=log, every=500_000)


# ---------------------------------------------------------------- hand-written SQL


def hand_sql(scope, today) -> list[tuple]:
    """The statistics page's aggregates as ONE statement (UNION ALL of the totals and each breakdown)."""
    from django.db import connection

    from anlan.hazards.models import Hazard

    table = Hazard._meta.db_table
    where = "h.region_id >= %s AND h.region_id <= %s"
    params: list = [scope.low, scope.high]
    if scope.industry_ids:
        where += f" AND h.industry_id IN ({', '.join(['%s'] * len(scope.industry_ids))})"
        params += list(scope.industry_ids)
    sqlite = connection.vendor == "sqlite"
    days = "julianday(h.closed_on) - julianday(h.found_on)" if sqlite else "(h.closed_on - h.found_on)"
    month = "strftime('%%Y-%%m', h.found_on)" if sqlite else "to_char(h.found_on, 'YYYY-MM')"
    t = today.isoformat()
    closed = "h.status = 'closed'"
    open_ = "h.status IN ('registered', 'rectifying', 'awaiting_verification')"
    overdue = f"({open_} AND h.due_on < '{t}')"
    parts = [
        f"SELECT 'totals', '', SUM(CASE WHEN h.status <> 'voided' THEN 1 ELSE 0 END), SUM(CASE WHEN {closed} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {open_} THEN 1 ELSE 0 END), SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN h.grade = 'major' AND h.status <> 'voided' THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN h.due_on <= '{t}' AND h.status <> 'voided' THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN h.due_on <= '{t}' AND {closed} AND h.closed_on <= h.due_on THEN 1 ELSE 0 END),"
        f" AVG(CASE WHEN {closed} THEN {days} END) FROM {table} h WHERE {where}",
    ]
    for kind, key in (
        ("status", "h.status"),
        ("grade", "h.grade"),
        ("source", "h.source"),
        ("industry", "h.industry_id"),
    ):
        parts.append(
            f"SELECT '{kind}', CAST({key} AS VARCHAR(40)), COUNT(*), 0, 0, 0, 0, 0, 0, 0 FROM {table} h"
            f" WHERE {where} GROUP BY {key}"
        )
    parts.append(
        f"SELECT 'month', {month}, COUNT(*), SUM(CASE WHEN {closed} THEN 1 ELSE 0 END), 0, 0, 0, 0, 0, 0"
        f" FROM {table} h WHERE {where} GROUP BY {month}"
    )
    parts.append(
        f"SELECT 'region', substr(h.region_id, 1, 9), COUNT(*), SUM(CASE WHEN {closed} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END), 0, 0, 0, 0, 0 FROM {table} h WHERE {where}"
        " GROUP BY substr(h.region_id, 1, 9)"
    )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params * len(parts))
        return cursor.fetchall()


# ---------------------------------------------------------------- sections


def bench_list(users, args, log, Row):
    from bench.measure import RequestFailed, fetch, repeat
    from bench.run import _client, _queries

    rows = []
    for key, label in (("county", "county office"), ("dept", "department")):
        client = _client(users[key])
        for query in ("status=rectifying&page=1", "overdue=true&page=1", "grade=major&page=2"):
            url = f"/hazards/?{query}"
            row = Row("hazards-list", f"GET {url}", label)
            try:
                row.queries = _queries(lambda url=url, client=client: fetch(client, url))
                timing = repeat(lambda url=url, client=client: fetch(client, url), args.hazard_runs, 3)
            except RequestFailed as exc:
                row.note = f"not available ({exc})"
                rows.append(row)
                continue
            row.p50_ms, row.p95_ms = timing.p50_ms, timing.p95_ms
            row.target = "PASS" if row.p95_ms <= TARGET_LIST_P95_MS else "FAIL"
            rows.append(row)
            log(f"list {label} {query}: p95 {row.p95_ms:.1f} ms")
    return rows


def bench_stats(users, args, log, Row):
    from django.utils import timezone

    from anlan.core.models import Region
    from anlan.hazards import statistics
    from anlan.hazards.models import Hazard
    from bench.measure import repeat
    from bench.run import scope_of

    today = timezone.localdate()
    rows = []
    county = Region.objects.get(pk="341122000000")
    for key, label in (("county", "county office"), ("dept", "department")):
        user = users[key]
        scope = scope_of(user)

        def orm(user=user):
            result = statistics.aggregates(Hazard.objects.for_user(user), county, today)
            return result["totals"]["found"]

        found = orm()
        hand = repeat(lambda scope=scope: hand_sql(scope, today), args.hazard_runs, 2)
        ours = repeat(orm, args.hazard_runs, 2)
        check = next(r for r in hand_sql(scope, today) if r[0] == "totals")[2]
        row = Row("hazards-stats", "statistics.aggregates (9 queries) vs one hand SQL", label, rows=found)
        row.p50_ms, row.p95_ms, row.sql_p95_ms = ours.p50_ms, ours.p95_ms, hand.p95_ms
        row.ratio = ours.p50_ms / hand.p50_ms if hand.p50_ms else None
        row.target = "PASS" if row.ratio is not None and row.ratio <= TARGET_RATIO else "FAIL"
        row.note = f"hand SQL p50 {hand.p50_ms:.1f} ms; totals agree: {check == found}"
        rows.append(row)
        log(f"stats {label}: ORM p50 {ours.p50_ms:.1f} ms, hand p50 {hand.p50_ms:.1f} ms")
    return rows


def bench_sweep(args, log, Row):
    from django.db.models import Min
    from django.utils import timezone

    from anlan.hazards import sweeps
    from anlan.hazards.models import Hazard
    from anlan.notifications.models import Notification
    from bench.measure import peak_memory

    today = timezone.localdate()
    overdue = Hazard.objects.filter(status__in=Hazard.OPEN, due_on__lt=today)
    total = overdue.count()
    first_due = overdue.aggregate(first=Min("due_on"))["first"]
    ordered = list(overdue.order_by("due_on").values_list("due_on", flat=True)[: max(total // 10, 1)])
    cut = ordered[-1] + timedelta(days=1) if ordered else today
    rows = []
    for label, cutoff in (("10 % of the overdue", cut), ("all overdue", today)):
        Hazard.objects.update(escalated_for=None, reminded_for=None)
        Notification.objects.all().delete()
        started = time.perf_counter()
        peak, result = peak_memory(lambda cutoff=cutoff: sweeps.escalate(cutoff))
        elapsed = time.perf_counter() - started
        row = Row("hazards-sweep", f"escalate (cut-off {cutoff}, {label})", "worker", rows=result[0])
        row.p50_ms = row.p95_ms = elapsed * 1000
        row.peak_mib = peak / 2**20
        row.note = f"{result[1]} notifications; table {Hazard.objects.count()} rows, first due {first_due}"
        rows.append(row)
        log(f"sweep {label}: {result[0]} claimed in {elapsed:.1f} s, peak {row.peak_mib:.1f} MiB")
    sweeps.run(today=today)  # settles the reminders too, so the measured run below has nothing to do
    started = time.perf_counter()
    peak, result = peak_memory(lambda: sweeps.run(today=today))
    again = Row(
        "hazards-sweep",
        "whole sweep again (idempotent: nothing to claim)",
        "worker",
        rows=result["overdue_flagged"],
    )
    again.p50_ms = again.p95_ms = (time.perf_counter() - started) * 1000
    again.peak_mib = peak / 2**20
    rows.append(again)
    growth = rows[1].peak_mib / rows[0].peak_mib if rows[0].peak_mib else float("inf")
    rows[1].target = "FLAT" if growth <= FLAT_MEMORY_RATIO else "GROWS"
    log(f"sweep memory ×{growth:.2f} for ×{rows[1].rows / max(rows[0].rows, 1):.1f} hazards")
    return rows


def bench_export(users, log, Row):
    from anlan.hazards.models import Hazard
    from bench.measure import RequestFailed, peak_memory
    from bench.run import _client, _fetch_body, _xlsx_rows

    client = _client(users["province"])
    county = "340123000000"  # 肥西县: 10 % of the enterprises, so ~100k hazards at N = 1M
    low, high = county, county[:6] + "999999"
    in_county = Hazard.objects.filter(region__gte=low, region__lte=high)
    newest = in_county.order_by("-found_on").values_list("found_on", flat=True)[
        : max(in_county.count() // 10, 1)
    ]
    since = list(newest)[-1] if newest else None
    rows = []
    for label, query in (
        ("~10 %", f"region={county}&found_from={since}"),
        ("whole county", f"region={county}"),
    ):
        url = f"/hazards/export/?{query}"
        row = Row("hazards-export", f"GET {url} ({label})", "province office")
        try:
            started = time.perf_counter()
            body = _fetch_body(client, url)
            elapsed = time.perf_counter() - started
            peak, _size = peak_memory(lambda url=url: len(_fetch_body(client, url)))
        except RequestFailed as exc:
            row.note = f"not available ({exc})"
            rows.append(row)
            continue
        row.rows = _xlsx_rows(body)
        row.p50_ms = row.p95_ms = elapsed * 1000
        row.peak_mib = peak / 2**20
        row.note = f"{len(body) / 2**20:.1f} MiB file"
        rows.append(row)
        log(f"export {label}: {row.rows} rows in {elapsed:.1f} s, peak {row.peak_mib:.1f} MiB")
    measured = [r for r in rows if r.peak_mib]
    if len(measured) == 2:
        growth = measured[1].peak_mib / measured[0].peak_mib
        measured[1].target = "FLAT" if growth <= FLAT_MEMORY_RATIO else "GROWS"
    return rows


def run(dataset, args, log, Row) -> list:
    """The hazard sections, for bench/run.py (`--only hazards`)."""
    from bench.env import collect_static_if_stale

    generated = None
    if getattr(args, "province", None) is None:  # the province data set comes with its hazards
        generated = ensure_hazards(
            args.hazards, args.hazard_seed, args.enterprises, regenerate=args.regenerate_hazards, log=log
        )
    if generated is not None:
        log(f"Generated {args.hazards} hazards in {generated:.1f} s.")
    from bench.generate import planner_statistics

    log(f"Planner statistics: {planner_statistics(args.analyze)}")
    collect_static_if_stale()
    rows = bench_list(dataset.users, args, log, Row)
    rows += bench_stats(dataset.users, args, log, Row)
    rows += bench_sweep(args, log, Row)
    rows += bench_export(dataset.users, log, Row)
    return rows


def main(argv=None) -> int:
    from bench import env

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--analyze", action="store_true")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    env.configure()
    import logging

    from bench.generate import ensure_dataset
    from bench.run import Row, print_table

    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    def log(message):
        print(message, file=sys.stderr, flush=True)

    dataset = ensure_dataset(args.enterprises, args.seed, log=log)
    rows = run(dataset, args, log, Row)
    print()
    print(f"Anlan hazards benchmark — {args.hazards} hazards over {args.enterprises} enterprises")
    print()
    print_table(rows)
    if args.json:
        from dataclasses import asdict

        payload = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "results": [asdict(r) for r in rows],
        }
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
