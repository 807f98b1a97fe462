#!/usr/bin/env python
"""五色评定 at the size of a province: every enterprise of the province data set (bench/province.py) rated as the
job does it, against the same aggregates in hand-written SQL.

    .venv/bin/python bench/rating.py --scale 0.01                                  # quick, var/bench.sqlite3
    DATABASE_URL=postgres://…/anlan_bench .venv/bin/python bench/rating.py --scale 1 --json var/rating.json

Measured:
- **the job**: `services.start_recompute` by the province 安委办 (`bench-province`) and the job run by
  `jobs.work_off` in this process — chunks of 5,000 enterprise ids, one query per kind of fact, the rules, the
  ratings written in bulk. Run twice: the first run creates every rating (and its history row), the second finds
  nothing changed (the nightly steady state). Memory: the process's RSS is sampled after every chunk; "flat"
  means the last chunk's RSS is within 10 % (and 64 MiB) of the RSS after the tenth chunk.
- **the aggregates**: `rating_facts.chunks_with_aggregates` over the province — the enterprise chunks and each
  fact's grouped query (hazards, accidents, penalties) run once through the ORM and read in step, as the job
  reads them.
- **hand SQL**: the same aggregates, one `GROUP BY` per kind of fact over the whole province on a raw cursor
  (enterprises, hazards, accidents by local day and grade, penalties by day). `ratio` = aggregates / hand SQL
  (medians); target ≤ 1.5 (issue #18: "ratio to hand-written SQL for the aggregates").
- **the facts**: `rating_facts.chunks_with_facts`, the aggregates plus what the hand SQL does not do — the
  kernel's four enterprise attributes per chunk (risk register, dishonesty list, self-inspection,
  standardisation: modules read only through the contract) and each enterprise's `RatingFacts`. Reported with
  its ratio to the hand SQL, not held to the target.
- **cross-check**: for a sample of enterprises, the colour written out by hand from the hand SQL's aggregates
  (an independent transcription of the default criteria) must equal the stored rating's colour.
"""

from __future__ import annotations

import gc
import random
import resource
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_RATIO = 1.5
SAMPLE = 2000
OPEN = ("registered", "rectifying", "awaiting_verification")
PENALTY_KINDS = ("fine", "confiscation", "suspension", "licence_suspension", "licence_revocation")
HIGH_ROOTS = (
    "hazchem",
    "fireworks",
    "coal-mine",
    "non-coal-mine",
    "civil-explosives",
    "urban-gas",
    "oil-gas-pipeline",
)
MEDIUM_ROOTS = ("industry-trade", "construction", "special-equipment", "road-transport")


def rss_mib() -> float:
    """The current resident set size (not the peak)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- hand SQL


def hand_facts(today: date, since: date) -> dict:
    """Every kind of fact for the whole province, one GROUP BY each, on a raw cursor."""
    from django.db import connection

    pg = connection.vendor == "postgresql"
    day = "(a.occurred_at AT TIME ZONE 'Asia/Shanghai')::date" if pg else "date(a.occurred_at, '+8 hours')"
    open_list = ", ".join(f"'{s}'" for s in OPEN)
    kinds = ", ".join(f"'{k}'" for k in PENALTY_KINDS)
    cutoff = today - timedelta(days=1)
    out = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.id, e.region_id, e.has_major_hazard_source, e.is_crowded_place, i.code, p.code "
            "FROM core_enterprise e JOIN core_industry i ON i.id = e.industry_id "
            "LEFT JOIN core_industry p ON p.id = i.parent_id WHERE e.status IN ('operating', 'suspended')"
        )
        out["enterprises"] = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT enterprise_id,"
            f" SUM(CASE WHEN status IN ({open_list}) AND grade = 'major' THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN status IN ({open_list}) AND grade = 'major' AND due_on <= %s THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN status IN ({open_list}) AND grade <> 'major' AND due_on <= %s THEN 1 ELSE 0 END),"
            f" MAX(CASE WHEN due_on < %s THEN COALESCE(closed_on, %s) END)"
            f" FROM hazards_hazard WHERE status IN ({open_list})"
            " OR (status = 'closed' AND closed_on > due_on AND closed_on > %s) GROUP BY enterprise_id",
            [cutoff, cutoff, today, today, since],
        )
        out["hazards"] = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(
            f"SELECT a.enterprise_id, {day}, a.grade, COUNT(*) FROM accidents_accident a"
            " WHERE a.enterprise_id IS NOT NULL AND a.occurred_at >= %s AND a.occurred_at < %s"
            " GROUP BY a.enterprise_id, 2, a.grade",
            [_midnight(since + timedelta(days=1)), _midnight(today + timedelta(days=1))],
        )
        accidents = defaultdict(list)
        for pk, d, grade, n in cursor.fetchall():
            accidents[pk].append((_date(d), grade, n))
        out["accidents"] = accidents
        cursor.execute(
            "SELECT i.enterprise_id, a.issued_on, COUNT(*) FROM inspections_enforcementaction a"
            " JOIN inspections_inspection i ON i.id = a.inspection_id"
            f" WHERE a.kind IN ({kinds}) AND a.status <> 'revoked' AND a.issued_on > %s AND a.issued_on <= %s"
            " GROUP BY i.enterprise_id, a.issued_on",
            [since, today],
        )
        penalties = defaultdict(list)
        for pk, d, n in cursor.fetchall():
            penalties[pk].append((_date(d), n))
        out["penalties"] = penalties
    return out


def _midnight(day: date):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.min))


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _months_back(day: date, months: int) -> date:
    from calendar import monthrange

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def hand_colour(pk: int, facts: dict, today: date) -> str:
    """The default criteria written out again from the hand SQL's aggregates (no risk register, no dishonesty
    list, no self-inspection or standardisation data in the data set: those criteria cannot apply)."""
    _region, major_source, crowded, code, parent = facts["enterprises"][pk]
    roots = {code, parent}
    if major_source:
        risk = "major"
    elif roots & set(HIGH_ROOTS) or crowded:
        risk = "significant"
    elif roots & set(MEDIUM_ROOTS):
        risk = "general"
    else:
        risk = "low"
    open_major, overdue_major, overdue_ordinary, _last = facts["hazards"].get(pk, (0, 0, 0, None))
    recent = _months_back(today, 12)
    accidents = [a for a in facts["accidents"].get(pk, ()) if recent < a[0] <= today]
    penalties = [p for p in facts["penalties"].get(pk, ()) if recent < p[0] <= today]
    if risk == "major" or overdue_major or any(g != "ordinary" for _d, g, _n in accidents):
        return "red"
    if risk == "significant" or open_major or accidents or penalties:
        return "orange"
    if risk == "general" or overdue_ordinary:
        return "yellow"
    return "blue"  # green needs a standardisation grade, which the data set has none of


# ---------------------------------------------------------------- the run


def _measured(action) -> tuple[float, object]:
    """One timed run of `action` from a collected heap (no earlier run's garbage for the collector to walk)."""
    gc.collect()
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def run(args, log) -> list[dict]:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from anlan.core import jobs
    from anlan.core.models import User
    from anlan.credit import rules
    from anlan.credit.models import Rating, RatingHistory
    from anlan.credit.selectors import rating_facts
    from anlan.credit.services import rating as services
    from bench import generate

    today = timezone.localdate()
    since = rules.widest_since(today)
    owner = User.objects.get(username=generate.USERS["province"][0])
    rows = []

    def job_run(label):
        samples = []
        real_progress = jobs.JobRun.progress

        def progress(self, done, total=None, *, force=False):
            samples.append((done, rss_mib()))
            return real_progress(self, done, total, force=force)

        jobs.JobRun.progress = progress
        try:
            started = time.perf_counter()
            job = services.start_recompute(actor=owner)
            jobs.work_off("bench")
            elapsed = time.perf_counter() - started
        finally:
            jobs.JobRun.progress = real_progress
        job.refresh_from_db()
        if job.status != "succeeded":
            raise SystemExit(f"the recompute job ended {job.status}: {job.error or ''}")
        base = samples[min(9, len(samples) - 1)][1] if samples else 0
        last = samples[-1][1] if samples else 0
        flat = last <= max(base * 1.10, base + 64)
        log(
            f"  {label}: {elapsed:.1f} s, {job.result}, RSS after chunk 10 {base:.0f} MiB, last {last:.0f} MiB"
        )
        rows.append(
            {
                "case": label,
                "seconds": round(elapsed, 2),
                "result": job.result,
                "chunks": len(samples),
                "rss_chunk10_mib": round(base, 1),
                "rss_last_mib": round(last, 1),
                "memory": "FLAT" if flat else "GROWS",
            }
        )

    if not args.skip_job:
        log("Rating every enterprise (job) …")
        if args.fresh:
            tables = [
                RatingHistory._meta.db_table,
                Rating.history.model._meta.db_table,
                Rating._meta.db_table,
            ]
            with connection.cursor() as cursor:
                for table in tables:  # not the ORM's delete: it would load every row into this process
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        job_run("job: first run (creates every rating)" if not Rating.objects.exists() else "job: run")
        job_run("job: second run (nothing changed)")

    def walk(chunks):
        count = 0
        for rows_of_chunk, _found in chunks(None, today=today, since=since, size=services.CHUNK):
            count += len(rows_of_chunk)
        return count

    log("The aggregates, the facts and the hand SQL (interleaved runs) …")
    aggregate_samples, facts_samples, hand_samples = [], [], []
    for _run in range(args.runs):
        hand = None  # the last run's result is freed before this run is timed
        seconds, _count = _measured(lambda: walk(rating_facts.chunks_with_aggregates))
        aggregate_samples.append(seconds)
        seconds, rated = _measured(lambda: walk(rating_facts.chunks_with_facts))
        facts_samples.append(seconds)
        seconds, hand = _measured(lambda: hand_facts(today, since))
        hand_samples.append(seconds)
    hand_median = median(hand_samples)
    ratio = median(aggregate_samples) / hand_median
    rows.append(
        {
            "case": "aggregates (chunks of 5,000, ORM)",
            "seconds": round(median(aggregate_samples), 2),
            "hand_sql_seconds": round(hand_median, 2),
            "ratio": round(ratio, 2),
            "target": "PASS" if ratio <= TARGET_RATIO else "FAIL",
            "enterprises": rated,
            "samples": [round(x, 2) for x in aggregate_samples],
            "hand_samples": [round(x, 2) for x in hand_samples],
        }
    )
    rows.append(
        {
            "case": "facts (aggregates + kernel attributes + RatingFacts)",
            "seconds": round(median(facts_samples), 2),
            "ratio_to_hand_sql": round(median(facts_samples) / hand_median, 2),
            "samples": [round(x, 2) for x in facts_samples],
        }
    )
    log(
        f"  aggregates {median(aggregate_samples):.2f} s, facts {median(facts_samples):.2f} s, "
        f"hand SQL {hand_median:.2f} s; ratio {ratio:.2f} (facts {median(facts_samples) / hand_median:.2f})"
    )

    rng = random.Random(args.seed)
    ids = sorted(hand["enterprises"])
    sample = rng.sample(ids, min(SAMPLE, len(ids)))
    stored = dict(Rating.objects.filter(enterprise_id__in=sample).values_list("enterprise_id", "colour"))
    mismatched = [pk for pk in sample if stored.get(pk) != hand_colour(pk, hand, today)]
    colours = dict(Rating.objects.values_list("colour").annotate(n=Count("pk")).values_list("colour", "n"))
    rows.append(
        {
            "case": f"cross-check of {len(sample)} sampled enterprises",
            "mismatches": len(mismatched),
            "examples": mismatched[:5],
            "colours": colours,
        }
    )
    log(f"  cross-check: {len(sample) - len(mismatched)}/{len(sample)} equal; colours {colours}")
    rows.append(
        {"case": "peak RSS of the process", "mib": round(peak_rss_mib(), 1), "database": connection.vendor}
    )
    return rows


def main(argv=None) -> int:
    import argparse
    import json

    from bench import env

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01, help="province data set scale (default 0.01)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each walk and of the hand SQL")
    parser.add_argument(
        "--fresh", action="store_true", help="delete every rating first (the first run creates them)"
    )
    parser.add_argument(
        "--skip-job", action="store_true", help="only the facts, the hand SQL and the cross-check"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    env.configure()

    from bench.province import ensure_province

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    province = ensure_province(args.scale, args.seed, log=log)
    rows = run(args, log)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False, default=str))
    if args.json:
        payload = {
            "meta": {"scale": args.scale, "seed": args.seed},
            "counts": province.counts,
            "results": rows,
        }
        Path(args.json).write_text(
            json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
