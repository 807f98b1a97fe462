#!/usr/bin/env python
"""双随机 draws at scale: a draw over the benchmark's enterprise pool (default 100k) with 500 inspectors.

    .venv/bin/python bench/bench_inspections.py [--draw-size 1000] [--draw-runs 5] [--json out.json]
    .venv/bin/python bench/run.py --only inspections                    # the same, from the main runner

It needs the enterprise data set (bench/generate.py), made first if missing. Inside one transaction that is
rolled back at the end (the benchmark database keeps no inspection rows): a province-level comprehensive
department, 500 inspectors with valid certificates and 2,000 declared conflicts.

Measured:
- rules: `rules.draw` alone (pure Python) over every enterprise id, n enterprises, 500 inspectors and the
  conflicts, uniform and weighted — wall time p50/p95 and the tracemalloc peak;
- service: `services.create_draw` as the province's office: the pool query over the whole table (region subtree,
  status, risk level computed per row), the inspectors, conflicts and used pairs, the draw, and the saved draft
  with its recorded pool — each run in a savepoint rolled back; then the peak of one more run.
Target: the service draw p95 ≤ 5 s and its peak ≤ 200 MiB at 100k enterprises (a draw is rare; it must simply
never time out a request or exhaust a worker).
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

INSPECTORS = 500
CONFLICTS = 2000
TARGET_P95_S = 5.0
TARGET_PEAK_MIB = 200.0


GENERATOR_VERSION = 1
BATCH = 20_000
# Inspection kinds and their weights; 双随机 (random) is left out: it belongs to a recorded draw.
KINDS = {
    "routine": 50,
    "special": 22,
    "unannounced": 12,
    "supervision": 6,
    "recheck": 6,
    "expert": 2,
    "joint": 2,
}


class Rollback(Exception):
    """Raised to undo the benchmark's rows."""


def add_arguments(parser) -> None:
    parser.add_argument("--draw-size", type=int, default=1000, help="enterprises drawn (default 1000)")
    parser.add_argument("--draw-runs", type=int, default=5, help="measured runs per case (default 5)")


def generate(n: int, seed: int, log, *, days: int = 365, actor_id: int):
    """N inspection records of random enterprises planned over the last `days` days and the next 30.

    Planned until two days ago, then recorded (97 %: arrival between 8 and 15 h, one to three hours on site,
    35 % with problems, 2 % not found) or cancelled; the department is the one supervising the enterprise's
    industry in its county (bench/generate.supervisors), the checklist the industry's own. No checklist answers
    or team rows (an inspection's answers would be ten times its rows). `actor_id` registers and records them.
    Returns the bulk.Load.
    """
    from datetime import date, datetime
    from datetime import time as clock

    from django.db import connection
    from django.utils import timezone

    from anlan.core.models import Department, Enterprise, Industry
    from anlan.inspections.models import Inspection
    from anlan.inspections.services import checklist_code
    from bench import bulk
    from bench.generate import enterprise_keys, supervisors

    rng = random.Random(f"inspections:{seed}")
    random_, randint, choice = rng.random, rng.randint, rng.choice
    today = timezone.localdate().toordinal()
    enterprises = enterprise_keys()
    departments = supervisors(enterprises)
    fallback = Department.objects.order_by("pk").values_list("pk", flat=True).first()
    checklists = {
        industry.pk: checklist_code(Enterprise(industry=industry))
        for industry in Industry.objects.select_related("parent")
    }
    kinds, kind_weights = list(KINDS), list(KINDS.values())
    ops, tz = connection.ops, timezone.get_current_timezone()
    now = ops.adapt_datetimefield_value(timezone.now())
    table = bulk.Table(Inspection, exclude=("id",))
    planned, recorded, cancelled = (str(s) for s in Inspection.Status)
    results = [
        str(Inspection.Result.PROBLEMS),
        str(Inspection.Result.NO_PROBLEM),
        str(Inspection.Result.NOT_FOUND),
    ]

    def batches():
        for start in range(0, n, BATCH):
            rows = []
            for kind in rng.choices(kinds, kind_weights, k=min(BATCH, n - start)):
                pk, region_id, industry_id, grid_id = choice(enterprises)
                day = today - randint(-30, days)
                planned_on = date.fromordinal(day)
                values = {
                    "kind": kind,
                    "department_id": departments.get((region_id[:6], industry_id)) or fallback,
                    "enterprise_id": pk,
                    "region_id": region_id,
                    "industry_id": industry_id,
                    "grid_id": grid_id,
                    "checklist": checklists[industry_id],
                    "planned_on": ops.adapt_datefield_value(planned_on),
                    "status": planned,
                    "created_by_id": actor_id,
                    "created_at": now,
                }
                if day <= today - 2:
                    if random_() < 0.03:
                        values["status"] = cancelled
                    else:
                        arrived = datetime.combine(
                            planned_on, clock(randint(8, 15), choice((0, 15, 30, 45))), tz
                        )
                        roll = random_()
                        values |= {
                            "status": recorded,
                            "arrived_at": ops.adapt_datetimefield_value(arrived),
                            "finished_at": ops.adapt_datetimefield_value(
                                arrived + timedelta(minutes=randint(60, 180))
                            ),
                            "result": results[0]
                            if roll < 0.35
                            else results[1]
                            if roll < 0.98
                            else results[2],
                            "people_met": "安全负责人",
                            "summary": "基准测试检查",
                            "recorded_by_id": actor_id,
                        }
                rows.append(table.row(values))
            yield rows

    return bulk.load(table, batches(), n=n, label="inspections", log=log, every=200_000)


def wipe() -> None:
    """Delete the inspection records (and what hangs on them) the generator makes."""
    from django.db import connection, transaction

    from anlan.inspections.models import Answer, AnswerPhoto, Inspection

    tables = [AnswerPhoto, Answer, Inspection.team.through, Inspection]
    with transaction.atomic(), connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


def _setup(seed: int):
    """The department, its 500 inspectors and 2,000 conflicts (inside the caller's transaction)."""
    from django.utils import timezone

    from anlan.core.models import Department, Enterprise
    from anlan.inspections.models import Conflict, Inspector
    from bench.generate import PROVINCE

    department = Department.objects.create(
        name="bench 安徽省应急管理厅",
        short_name="应急管理厅",
        region_id=PROVINCE,
        kind=Department.Kind.COMPREHENSIVE,
    )
    expires = timezone.localdate() + timedelta(days=3650)
    inspectors = Inspector.objects.bulk_create(
        [
            Inspector(
                department=department,
                name=f"执法{n}",
                certificate_number=f"BENCH{n:05d}",
                certificate_expires_on=expires,
            )
            for n in range(INSPECTORS)
        ]
    )
    rng = random.Random(seed)
    ids = list(Enterprise.objects.values_list("pk", flat=True))
    pairs = {(rng.choice(inspectors).pk, rng.choice(ids)) for _ in range(CONFLICTS)}
    today = timezone.localdate()
    Conflict.objects.bulk_create(
        [Conflict(inspector_id=i, enterprise_id=e, reason="bench", declared_on=today) for i, e in pairs]
    )
    return department, ids, [i.pk for i in inspectors], sorted(pairs)


def run(dataset, args, log, Row) -> list:
    """The inspection sections, for bench/run.py (`--only inspections`)."""
    from django.db import transaction
    from django.utils import timezone

    from anlan.inspections import rules, services
    from bench.generate import PROVINCE
    from bench.measure import peak_memory, repeat

    rows = []
    user = dataset.users["province"]
    n, runs = args.draw_size, args.draw_runs
    try:
        with transaction.atomic():
            department, ids, people, conflicts = _setup(args.seed)
            log(f"Draw pool: {len(ids)} enterprises, {len(people)} inspectors, {len(conflicts)} conflicts.")
            weights = {pk: 1 + pk % 4 for pk in ids}  # the four risk weights, spread evenly
            for method in ("uniform", "weighted"):

                def pure(method=method):
                    return rules.draw(
                        seed=20260101,
                        pool=ids,
                        n=n,
                        inspectors=people,
                        method=method,
                        weights=weights,
                        conflicts=conflicts,
                    )

                timing = repeat(pure, runs, 1)
                peak, _ = peak_memory(pure)
                rows.append(
                    Row(
                        "inspections",
                        f"rules.draw {method} n={n}",
                        "-",
                        p50_ms=timing.p50_ms,
                        p95_ms=timing.p95_ms,
                        rows=len(ids),
                        peak_mib=peak / 2**20,
                        note=f"{len(people)} inspectors, {len(conflicts)} conflicts",
                    )
                )
            today = timezone.localdate()
            data = {
                "department": department.pk,
                "title": "bench",
                "period_start": today,
                "period_end": today + timedelta(days=30),
                "region": PROVINCE,
                "sample_size": n,
                "seed": 7,
            }

            def service(method="uniform"):
                try:
                    with transaction.atomic():
                        draw = services.create_draw(actor=user, data=data | {"method": method})
                        raise Rollback(len(draw.pool))
                except Rollback as done:
                    return done.args[0]

            for method in ("uniform", "weighted"):
                timing = repeat(lambda method=method: service(method), runs, 1)
                peak, pool = peak_memory(lambda method=method: service(method))
                ok = timing.p95_ms <= TARGET_P95_S * 1000 and peak / 2**20 <= TARGET_PEAK_MIB
                rows.append(
                    Row(
                        "inspections",
                        f"create_draw {method} n={n}",
                        "province",
                        p50_ms=timing.p50_ms,
                        p95_ms=timing.p95_ms,
                        rows=pool,
                        peak_mib=peak / 2**20,
                        target=f"p95<={TARGET_P95_S:.0f}s, peak<={TARGET_PEAK_MIB:.0f}MiB {'ok' if ok else 'MISSED'}",
                    )
                )
            raise Rollback()
    except Rollback:
        pass
    return rows


def main(argv=None) -> int:
    from bench import env

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
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
    started = time.perf_counter()
    rows = run(dataset, args, log, Row)
    print()
    print(f"Anlan 双随机 draw benchmark — {args.enterprises} enterprises, {INSPECTORS} inspectors")
    print()
    print_table(rows)
    print(f"\nBenchmark time {time.perf_counter() - started:.0f} s.")
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
