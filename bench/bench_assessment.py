#!/usr/bin/env python
"""考核 at the size of a province: every town and department of 安徽 scored from the province data set's hazards,
inspections and accidents (bench/province.py), against the same aggregates in hand-written SQL.

    .venv/bin/python bench/bench_assessment.py --scale 0.01          # quick, on var/bench.sqlite3 or DATABASE_URL
    .venv/bin/python bench/run.py --province 1 --only assessment     # the same as a section of bench/run.py

Made once per data set and reused: a Unit for every town-level region of the province (1,664 at any scale) and
for every department (one 应急管理局 per county, plus the 住建局 of 来安县), bulk-created like `units.ensure_units`
would; each department's 年度监督检查计划 of this year (so `inspections.below_plan` compares real numbers); and
the province 安委办's scheme of this year (title `MARK`): the demo scheme's indicators (负面清单扣分 over
accidents, hazards and inspections, 重点工作量分, a 台账检查, two 一票否决) plus 完成的监督检查 as a workload
item, created and published through the services. Measured:
- scoring: `services.start_scoring` (a province is queued beyond 200 units) and the job run by `jobs.work_off`
  in this process — `compute_run`: the facts, `rules.assessment_score` per unit, the ranks, the results and lines
  written (what publication then shows), in one transaction;
- the fact queries alone: each data indicator's provider over all units (`assessment_facts.facts_for`), as the
  run calls it;
- the hand SQL: per fact, one `GROUP BY` of the same rows by town prefix and department (or county and industry)
  on a raw cursor, summed per unit in Python — its per-unit counts must equal the providers' occurrences.
`ratio` = provider time / hand SQL time (medians); target ≤ 1.5 for the facts in all.
"""

from __future__ import annotations

import resource
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_RATIO = 1.5
MARK = "bench-assessment"
PROVINCE = "340000000000"
# Inspections planned per department and month: about what the data set records (≈ 200k a year at scale 1
# over 105 departments), so some departments fall below their plan and some do not.
PLANNED_PER_MONTH_AT_FULL_SCALE = 160
# 重点工作量分 over the data set besides the demo's: the inspections a unit recorded.
EXTRA_INDICATORS = [
    (
        "完成监督检查",
        "workload",
        "process",
        "all",
        "inspections.recorded",
        "0.01",
        "5",
        "重点工作量分：每完成一次检查加0.01分，最多加5分",
    ),
]


def add_arguments(parser) -> None:
    parser.add_argument(
        "--assessment-runs",
        type=int,
        default=3,
        help="measured runs of the fact queries and of the hand SQL, after one warm-up (default 3)",
    )
    parser.add_argument(
        "--assessment-scoring-runs",
        type=int,
        default=1,
        help="measured scoring runs (start_scoring and its job), after one warm-up (default 1)",
    )


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# ---------------------------------------------------------------- the data


def ensure_units(log) -> dict[str, int]:
    """A Unit for every town-level region and every department of the province that has none (bulk; the
    records `units.ensure_units` makes one by one with history); returns how many of each exist."""
    from anlan.core.models import Department, Region, Unit

    low, high = PROVINCE[:2] + "0" * 10, PROVINCE[:2] + "9" * 10
    towns = Region.objects.filter(level=Region.Level.TOWN, code__gte=low, code__lte=high).exclude(
        code__in=Unit.objects.filter(kind=Unit.Kind.TOWN).values("region_id")
    )
    departments = Department.objects.filter(region_id__gte=low, region_id__lte=high, unit__isnull=True)
    missing = [Unit(kind=Unit.Kind.TOWN, name=t.name, region_id=t.code) for t in towns] + [
        Unit(kind=Unit.Kind.DEPARTMENT, name=d.name, region_id=d.region_id, department=d, phone=d.phone)
        for d in departments
    ]
    if missing:
        log(f"Assessment: making {len(missing)} units (towns and departments) …")
        Unit.objects.bulk_create(missing, batch_size=2000)
    scored = Unit.objects.filter(
        kind__in=(Unit.Kind.TOWN, Unit.Kind.DEPARTMENT), region_id__gte=low, region_id__lte=high
    )
    return {
        "town": scored.filter(kind=Unit.Kind.TOWN).count(),
        "department": scored.filter(kind=Unit.Kind.DEPARTMENT).count(),
    }


def ensure_plans(year: int, scale: float, user) -> int:
    """Each department's 年度监督检查计划 of `year` (bulk, once)."""
    from anlan.core.models import Department
    from anlan.inspections.models import InspectionPlan

    low, high = PROVINCE[:2] + "0" * 10, PROVINCE[:2] + "9" * 10
    departments = Department.objects.filter(region_id__gte=low, region_id__lte=high).exclude(
        inspection_plans__year=year
    )
    per_month = max(1, round(PLANNED_PER_MONTH_AT_FULL_SCALE * scale))
    InspectionPlan.objects.bulk_create(
        [
            InspectionPlan(
                department=d,
                year=year,
                title=f"{MARK} {d.name}{year}年度监督检查计划",
                # every 7th department plans twice as many: below plan
                monthly_counts=[per_month * (2 if d.pk % 7 == 0 else 1)] * 12,
                created_by=user,
            )
            for d in departments
        ]
    )
    return InspectionPlan.objects.filter(year=year, department__region_id__gte=low).count()


def ensure_scheme(user, year: int, log):
    """The province 安委办's scheme of `year`, made and published through the services (reused when there)."""
    from anlan.core.models import Region
    from anlan.governance.demo.assessment import INDICATORS
    from anlan.governance.models import AssessmentScheme
    from anlan.governance.services import assessment as services

    scheme = AssessmentScheme.objects.filter(region_id=PROVINCE, year=year).first()
    if scheme is not None:
        return scheme
    log(f"Assessment: the {year} scheme of the province …")
    scheme = services.create_scheme(
        actor=user,
        data={
            "region": Region.objects.get(pk=PROVINCE),
            "year": year,
            "title": f"{MARK} 安徽省{year}年度安全生产工作考核方案",
            "base": Decimal("100"),
            "maximum": None,
            "notes": "",
        },
    )
    for name, kind, category, applies_to, provider, points, cap, basis in INDICATORS + EXTRA_INDICATORS:
        services.add_indicator(
            actor=user,
            scheme_pk=scheme.pk,
            data={
                "name": name,
                "kind": kind,
                "category": category,
                "applies_to": applies_to,
                "provider": provider,
                "points": Decimal(points),
                "cap": Decimal(cap) if cap else None,
                "threshold": None,
                "basis": basis,
            },
        )
    return services.publish_scheme(actor=user, scheme_pk=scheme.pk)


def wipe() -> None:
    """Remove the benchmark's scheme (run, results, lines, indicators), plans and the province's town and
    department units (bench/province.py wipes before it regenerates)."""
    from anlan.core.models import Unit
    from anlan.governance.models import AssessmentRun, AssessmentScheme, Indicator, ResultLine, UnitResult
    from anlan.inspections.models import InspectionPlan

    schemes = AssessmentScheme.objects.filter(title__startswith=MARK)
    ResultLine.objects.filter(result__run__scheme__in=schemes).delete()
    UnitResult.objects.filter(run__scheme__in=schemes).delete()
    AssessmentRun.objects.filter(scheme__in=schemes).delete()
    Indicator.objects.filter(scheme__in=schemes).delete()
    schemes.delete()
    InspectionPlan.objects.filter(title__startswith=MARK).delete()
    low, high = PROVINCE[:2] + "0" * 10, PROVINCE[:2] + "9" * 10
    Unit.objects.filter(
        kind__in=(Unit.Kind.TOWN, Unit.Kind.DEPARTMENT), region_id__gte=low, region_id__lte=high
    ).delete()


# ---------------------------------------------------------------- the hand SQL


def _hand_queries(ctx, plans_year: int) -> dict[str, tuple[str, list, str]]:
    """Per provider: (SQL, params, attribution). Attribution `fk`: rows are (town prefix, department id,
    count); `industry`: (town prefix, county prefix, industry id, count); `plan`: (department id, monthly
    counts, recorded count)."""
    from django.db import connection
    from django.utils import timezone

    from anlan.accidents.models import Accident, ReportingFinding
    from anlan.hazards.models import Hazard
    from anlan.inspections.models import Inspection, InspectionPlan

    hazard, inspection = Hazard._meta.db_table, Inspection._meta.db_table
    accident, finding = Accident._meta.db_table, ReportingFinding._meta.db_table
    plan = InspectionPlan._meta.db_table
    day = min(ctx.last, ctx.as_of)
    cutoff = day - timedelta(days=1)  # hazards due on or before it are overdue on `day`
    open_ = [str(s) for s in Hazard.OPEN]
    start = timezone.make_aware(datetime.combine(ctx.first, clock.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), clock.min))
    region = [ctx.low, ctx.high]
    ops = connection.ops
    start, end = ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)
    first, day, cutoff = (ops.adapt_datefield_value(d) for d in (ctx.first, day, cutoff))

    def hazards(where: str, params: list) -> tuple[str, list, str]:
        sql = (
            f"SELECT substr(region_id, 1, 9), supervising_department_id, COUNT(*) FROM {hazard} "
            f"WHERE region_id >= %s AND region_id <= %s AND {where} GROUP BY 1, 2"
        )
        return sql, region + params, "fk"

    def accidents(where: str, params: list) -> tuple[str, list, str]:
        sql = (
            f"SELECT substr(region_id, 1, 9), substr(region_id, 1, 6), industry_id, COUNT(*) FROM {accident} "
            f"WHERE region_id >= %s AND region_id <= %s AND occurred_at >= %s AND occurred_at < %s "
            f"AND {where} GROUP BY 1, 2, 3"
        )
        return sql, region + [start, end] + params, "industry"

    in_open = ", ".join(["%s"] * len(open_))
    return {
        "accidents.ordinary": accidents("grade = %s", ["ordinary"]),
        "accidents.relatively_major": accidents("grade = %s", ["relatively_major"]),
        "accidents.major_or_above": accidents("grade IN (%s, %s)", ["major", "extraordinarily_serious"]),
        "accidents.misreported": accidents(
            f"id IN (SELECT accident_id FROM {finding} WHERE is_concealed OR is_false)", []
        ),
        "hazards.major_overdue": hazards(
            f"status IN ({in_open}) AND due_on <= %s AND grade = %s", open_ + [cutoff, "major"]
        ),
        "hazards.overdue": hazards(f"status IN ({in_open}) AND due_on <= %s", open_ + [cutoff]),
        "hazards.closed": hazards(
            "status = %s AND closed_on >= %s AND closed_on <= %s", ["closed", first, day]
        ),
        "inspections.recorded": (
            f"SELECT substr(region_id, 1, 9), department_id, COUNT(*) FROM {inspection} "
            f"WHERE region_id >= %s AND region_id <= %s AND status = %s AND planned_on >= %s "
            f"AND planned_on <= %s GROUP BY 1, 2",
            region + ["recorded", first, day],
            "fk",
        ),
        "inspections.below_plan": (
            f"SELECT p.department_id, p.monthly_counts, COUNT(i.id) FROM {plan} p LEFT JOIN {inspection} i "
            f"ON i.department_id = p.department_id AND i.region_id >= %s AND i.region_id <= %s "
            f"AND i.status = %s AND i.planned_on >= %s AND i.planned_on <= %s "
            f"WHERE p.year = %s GROUP BY p.department_id, p.monthly_counts",
            region + ["recorded", first, day, plans_year],
            "plan",
        ),
    }


def hand_counts(rows, attribution: str, units, threshold: int | None = None) -> dict[int, int]:
    """The per-unit counts of a hand query's rows (as the providers attribute them)."""
    import json

    towns = {u.prefix: u.pk for u in units if u.kind == "town"}
    departments = [u for u in units if u.kind == "department"]
    by_department = {u.department_id: u.pk for u in departments}
    out: dict[int, int] = defaultdict(int)
    if attribution == "plan":
        rate = threshold if threshold is not None else 100
        for department_id, monthly, done in rows:
            monthly = json.loads(monthly) if isinstance(monthly, str) else monthly
            if department_id in by_department and done * 100 < sum(monthly or []) * rate:
                out[by_department[department_id]] = 1
        return dict(out)
    by_county_industry: dict[tuple[str, int], list[int]] = defaultdict(list)
    if attribution == "industry":
        for unit in departments:
            for industry in unit.industry_ids:
                by_county_industry[(unit.prefix, industry)].append(unit.pk)
    for row in rows:
        town, count = row[0], row[-1]
        if town in towns:
            out[towns[town]] += count
        if attribution == "fk":
            if row[1] in by_department:
                out[by_department[row[1]]] += count
        else:
            for pk in by_county_industry.get((row[1], row[2]), ()):
                out[pk] += count
    return dict(out)


# ---------------------------------------------------------------- measuring


def _context(scheme, indicator, units):
    from django.utils import timezone

    from anlan.core import rules as core_rules
    from anlan.governance.selectors import assessment_facts as facts

    region = scheme.region
    low, high = core_rules.subtree_bounds(region.code, region.level)
    first, last = date(scheme.year, 1, 1), date(scheme.year, 12, 31)
    as_of = min(last, timezone.localdate())
    return facts.FactContext(scheme.year, first, last, as_of, low, high, units, threshold=indicator.threshold)


def _timed(action, runs: int) -> tuple[list[float], object]:
    result = action()  # warm-up (and the result compared)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples, result


def run(dataset, args, log, Row) -> list:
    """The assessment section (bench/run.py `--only assessment`, or this file's main)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from anlan.accidents.models import Accident
    from anlan.core import jobs
    from anlan.governance.models import AssessmentRun, ResultLine, UnitResult
    from anlan.governance.selectors import assessment as selectors
    from anlan.governance.selectors import assessment_facts as facts
    from anlan.governance.services import assessment as services
    from anlan.hazards.models import Hazard
    from anlan.inspections.models import Inspection
    from bench import bulk

    user = dataset.users["province"]
    year = timezone.localdate().year
    scale = getattr(args, "province", None) or getattr(args, "scale", None) or 1.0
    counts = ensure_units(log)
    plans = ensure_plans(year, scale, user)
    scheme = ensure_scheme(user, year, log)
    sizes = {
        "hazards": Hazard.objects.count(),
        "inspections": Inspection.objects.count(),
        "accidents": Accident.objects.count(),
    }
    size_gib = bulk.database_size() / 2**30
    data_note = (
        f"{sizes['hazards']:,} hazards, {sizes['inspections']:,} inspections, {sizes['accidents']:,} "
        f"accidents, database {size_gib:.2f} GiB"
    )
    log(f"Assessment: {counts['town']} towns, {counts['department']} departments, {plans} plans; {data_note}")
    rows = []

    # -- scoring, end to end: start_scoring (queues the job beyond 200 units) and the job, in this process
    def score():
        run_ = services.start_scoring(actor=user, scheme_pk=scheme.pk)
        if run_.status != AssessmentRun.Status.COMPUTED:
            jobs.work_off()
        run_.refresh_from_db()
        if run_.status != AssessmentRun.Status.COMPUTED:
            raise RuntimeError(f"the scoring job did not finish: run {run_.pk} is {run_.status}")
        return run_

    log("  scoring every unit (start_scoring + job) …")
    scoring_runs = getattr(args, "assessment_scoring_runs", 1)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        scored = score()
        first_s = time.perf_counter() - started
    samples = [first_s]
    spent: list[float] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    sql_samples = []
    for _ in range(scoring_runs):
        spent.clear()
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            score()
            samples.append(time.perf_counter() - started)
        sql_samples.append(sum(spent))
    measured = samples[1:] if scoring_runs else samples
    results = UnitResult.objects.filter(run=scored).count()
    lines = ResultLine.objects.filter(result__run=scored).count()
    scoring_s = median(measured)
    rows.append(
        Row(
            "assessment",
            f"score every unit: start_scoring + job ({scored.unit_count} units)",
            "province office",
            p50_ms=scoring_s * 1000,
            p95_ms=max(measured) * 1000,
            queries=len(captured),
            orm_sql_p95_ms=median(sql_samples) * 1000 if sql_samples else None,
            rows=results,
            peak_mib=peak_rss_mib(),
            note=f"{lines} result lines; first run {first_s:.1f} s; 'ORM SQL' = time in SQL statements (executed, "
            f"not fetched); peak = process RSS; {data_note}",
        )
    )
    log(f"  scoring: {scoring_s:.1f} s, {len(captured)} queries, {results} results, {lines} lines")

    # -- the fact queries alone, and the hand SQL of each
    units = facts.scored_units(scheme.region.code, scheme.region.level)
    runs = getattr(args, "assessment_runs", 3)
    hand = _hand_queries(_context(scheme, next(iter(selectors.indicators_of(scheme))), units), year)
    orm_total = hand_total = other_total = 0.0
    mismatches = []
    for indicator in selectors.indicators_of(scheme):
        if indicator.kind not in services.DATA_KINDS:
            continue
        ctx = _context(scheme, indicator, units)
        key = indicator.provider
        with CaptureQueriesContext(connection) as captured:
            orm_samples, found = _timed(lambda ctx=ctx, key=key: facts.facts_for(key, ctx), runs)
        orm_s = median(orm_samples)
        occurrences = {pk: f.occurrences for pk, f in found.items() if f.occurrences}
        if key not in hand:
            other_total += orm_s
            rows.append(
                Row(
                    "assessment",
                    f"facts {key}",
                    "-",
                    p50_ms=orm_s * 1000,
                    queries=len(captured) // (runs + 1),
                    rows=sum(occurrences.values()),
                    note="governance's own records: none in the data set, no hand SQL",
                )
            )
            continue
        sql, params, attribution = hand[key]
        spec_units = tuple(u for u in units if u.kind in facts.PROVIDERS[key].unit_kinds)

        def by_hand(sql=sql, params=params, attribution=attribution, spec_units=spec_units, ctx=ctx):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return hand_counts(cursor.fetchall(), attribution, spec_units, ctx.threshold)

        hand_samples, counted = _timed(by_hand, runs)
        hand_s = median(hand_samples)
        counted = {pk: n for pk, n in counted.items() if n}
        same = counted == occurrences
        if not same:
            mismatches.append(key)
        orm_total += orm_s
        hand_total += hand_s
        rows.append(
            Row(
                "assessment",
                f"facts {key}",
                "-",
                p50_ms=orm_s * 1000,
                p95_ms=max(orm_samples) * 1000,
                queries=len(captured) // (runs + 1),
                sql_p95_ms=hand_s * 1000,
                ratio=orm_s / hand_s if hand_s else None,
                rows=sum(occurrences.values()),
                note=f"{len(occurrences)} units with occurrences; hand SQL counts "
                + ("match" if same else "DIFFER"),
            )
        )
        log(
            f"  {key}: facts {orm_s * 1000:.0f} ms, hand SQL {hand_s * 1000:.0f} ms, counts {'match' if same else 'DIFFER'}"
        )
    ratio = orm_total / hand_total if hand_total else None
    rows.append(
        Row(
            "assessment",
            "facts in all (with hand SQL) / hand SQL in all",
            "-",
            p50_ms=orm_total * 1000,
            sql_p95_ms=hand_total * 1000,
            ratio=ratio,
            target="PASS" if ratio is not None and ratio <= TARGET_RATIO and not mismatches else "FAIL",
            peak_mib=peak_rss_mib(),
            note=f"median of {runs} runs each; governance's own facts another {other_total * 1000:.0f} ms"
            + (f"; counts differ: {', '.join(mismatches)}" if mismatches else ""),
        )
    )
    log(
        f"  facts {orm_total:.2f} s, hand SQL {hand_total:.2f} s, ratio {ratio:.2f}"
        if ratio
        else "  no hand SQL"
    )
    return rows


def main(argv=None) -> int:
    import argparse
    import json
    from dataclasses import asdict

    from bench import env

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01, help="province data set scale (default 0.01)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1:
        parser.error("--scale must be in (0, 1]")
    env.configure()
    from django.db import connection

    from bench.province import ensure_province
    from bench.run import Row, print_table

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    province = ensure_province(args.scale, args.seed, regenerate=args.regenerate, log=log)
    rows = run(province.dataset, args, log, Row)
    print()
    print(
        f"考核 benchmark — province scale {args.scale} ({connection.vendor}): times in ms; "
        f"'hand SQL p95' holds the hand SQL's median, 'p50 ms' the provider's; target facts/hand ≤ {TARGET_RATIO}"
    )
    print()
    print_table(rows)
    if args.json:
        payload = {
            "meta": {"database": connection.vendor, "scale": args.scale, "seed": args.seed},
            "counts": province.counts,
            "size_bytes": province.size_bytes,
            "results": [asdict(row) for row in rows],
        }
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
