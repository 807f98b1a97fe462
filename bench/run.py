#!/usr/bin/env python
"""Anlan benchmarks: the scoped enterprise list (page and API) against hand-written SQL, and the XLSX export.

    .venv/bin/python bench/run.py [--enterprises 100000] [--runs 30] [--only list,api,sql,export] [--json out.json]

Uses production settings and its own database (var/bench.sqlite3 unless DATABASE_URL is set), generated on
the first run and reused while --enterprises and --seed stay the same. See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import platform
import sys
import time
import zipfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import env  # noqa: E402  (the path above must be set first)

SECTIONS = ("sql", "list", "api", "export")
# Run only when named in --only:
EXTRA_SECTIONS = (
    "accidents",  # bench/bench_accidents.py: 1M accident rows
    "hazards",  # bench/bench_hazards.py: 1M hazards (list, statistics, sweep, ledger)
    "inspections",  # bench/bench_inspections.py: 双随机 draw over the pool, 500 inspectors
    "export-ratio",  # bench/bench_exports.py: write_xlsx against the bare write-only writer
    "jobs",  # bench/bench_jobs.py: 10,000 small jobs by two workers; a ledger export as a job
    "home",  # bench/bench_home.py: the 待办 query over 1M hazards (the hazards section's data)
    "pickers",  # bench/bench_pickers.py: the type-ahead search, each query kind, county office and town
    "emergency",  # bench/bench_emergency.py: who is on duty over 1,500 offices; nearest of 100k items
    "warnings",  # bench/bench_warnings.py: a warning built and sent to 50,000; the board while they confirm
    "assessment",  # bench/bench_assessment.py: 考核 of every town and department of the province (--province)
)
PAGE_SIZE = 20
DEEP_PAGE = 1000
FILTER = "status=operating"
# Targets at 100k enterprises on SQLite (README): the list page's p95, absolute and against the hand SQL.
TARGET_P95_MS = 60.0
TARGET_RATIO = 2.0
FLAT_MEMORY_RATIO = 1.5  # peak at the largest export / peak at the smallest


@dataclass
class Row:
    section: str
    case: str
    user: str
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    orm_sql_p95_ms: float | None = None  # the page's own queries on the enterprise table
    sql_p95_ms: float | None = None
    ratio: float | None = None
    target: str = ""
    rows: int | None = None
    peak_mib: float | None = None
    note: str = ""


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--enterprises", type=int, default=100_000, help="data set size (default 100000, max 500000)"
    )
    parser.add_argument("--runs", type=int, default=30, help="measured runs per case (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs before each case (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="data set seed (default 1)")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run: {', '.join(SECTIONS)} (default all); "
        f"also {', '.join(EXTRA_SECTIONS)} when named",
    )
    parser.add_argument(
        "--export-runs",
        type=int,
        default=2,
        help="measured runs per export size (default 2; one more for memory)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="SQLite: measure with planner statistics (ANALYZE); by default they are removed, as in production",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="generate the data set again even if it matches"
    )
    parser.add_argument(
        "--province",
        type=float,
        metavar="SCALE",
        help="run on the province data set (bench/province.py) at this scale, 1.0 = 500k enterprises and "
        "10M hazards; it sets --enterprises, --hazards and --accidents",
    )
    from bench.bench_accidents import add_arguments as add_accident_arguments

    add_accident_arguments(parser)
    from bench.bench_hazards import add_arguments as add_hazard_arguments

    add_hazard_arguments(parser)
    from bench.bench_inspections import add_arguments as add_inspection_arguments

    add_inspection_arguments(parser)
    from bench.bench_exports import add_arguments as add_export_arguments

    add_export_arguments(parser)
    from bench.bench_jobs import add_arguments as add_job_arguments

    add_job_arguments(parser)
    from bench.bench_pickers import add_arguments as add_picker_arguments

    add_picker_arguments(parser)
    from bench.bench_emergency import add_arguments as add_emergency_arguments

    add_emergency_arguments(parser)
    from bench.bench_warnings import add_arguments as add_warning_arguments

    add_warning_arguments(parser)
    from bench.bench_assessment import add_arguments as add_assessment_arguments

    add_assessment_arguments(parser)
    args = parser.parse_args(argv)
    args.only = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = sorted(set(args.only) - set(SECTIONS) - set(EXTRA_SECTIONS))
    if unknown:
        parser.error(
            f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS + EXTRA_SECTIONS)}"
        )
    if args.province is not None and not 0 < args.province <= 1:
        parser.error("--province must be in (0, 1]")
    if not 1 <= args.enterprises <= 500_000:
        parser.error("--enterprises must be between 1 and 500000")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


# ---------------------------------------------------------------- hand-written SQL


@dataclass
class Scope:
    """What the list shows a user, in plain terms: a region-code range and, for a department, industry ids."""

    low: str
    high: str
    industry_ids: tuple[int, ...] = ()


def scope_of(user) -> Scope:
    from anlan.core import rules
    from anlan.core.models import Role
    from anlan.core.scope import memberships_of, supervised_industry_ids

    (membership,) = memberships_of(user)
    if membership.role == Role.DEPARTMENT:
        department = membership.department
        low, high = rules.subtree_bounds(department.region.code, department.region.level)
        return Scope(low, high, tuple(sorted(supervised_industry_ids(department))))
    low, high = rules.subtree_bounds(membership.region.code, membership.region.level)
    return Scope(low, high)


def _where(scope: Scope) -> tuple[str, list]:
    from anlan.core.models import Enterprise

    through = Enterprise.other_industries.through._meta.db_table
    sql = "e.region_id >= %s AND e.region_id <= %s AND e.status = %s"
    params: list = [scope.low, scope.high, "operating"]
    if scope.industry_ids:
        marks = ", ".join(["%s"] * len(scope.industry_ids))
        sql += (
            f" AND (e.industry_id IN ({marks})"
            f" OR e.id IN (SELECT t.enterprise_id FROM {through} t WHERE t.industry_id IN ({marks})))"
        )
        params += list(scope.industry_ids) * 2
    return sql, params


def hand_sql_count(scope: Scope) -> int:
    from django.db import connection

    from anlan.core.models import Enterprise

    where, params = _where(scope)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Enterprise._meta.db_table} e WHERE {where}", params)
        return cursor.fetchone()[0]


def hand_sql_page(scope: Scope, page: int) -> list:
    """What the list page needs, written by hand: the count for the pager and one page of rows with names."""
    from django.db import connection

    from anlan.core.models import Enterprise, Industry, Person, Region

    where, params = _where(scope)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Enterprise._meta.db_table} e WHERE {where}", params)
        cursor.fetchone()
        cursor.execute(
            "SELECT e.id, e.name, e.uscc, r.name, i.name, p.name, e.principal_phone, e.employees, e.status,"
            " e.has_major_hazard_source, e.is_crowded_place"
            f" FROM {Enterprise._meta.db_table} e"
            f" JOIN {Region._meta.db_table} r ON r.code = e.region_id"
            f" JOIN {Industry._meta.db_table} i ON i.id = e.industry_id"
            f" LEFT JOIN {Person._meta.db_table} p ON p.id = e.principal_id"
            f" WHERE {where} ORDER BY e.region_id, e.name LIMIT %s OFFSET %s",
            [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
        )
        return cursor.fetchall()


# ---------------------------------------------------------------- sections


def _client(user):
    from django.test import Client

    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _queries(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def _url(name: str, fallback: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def bench_lists(dataset, args, log) -> list[Row]:
    """Sections sql, list and api for the county office and the department user, at page 1 and a deep page."""
    from anlan.core.models import Enterprise
    from bench.measure import RequestFailed, fetch, repeat, repeat_with_sql

    rows: list[Row] = []
    list_url = _url("core:enterprise-list", "/enterprises/")
    api_url = _url("api:enterprise-list", "/api/v1/enterprises/")
    for key, label in (("county", "county office"), ("dept", "department")):
        user = dataset.users[key]
        scope = scope_of(user)
        total = hand_sql_count(scope)
        last = max(1, math.ceil(total / PAGE_SIZE))
        deep = min(DEEP_PAGE, last)
        log(f"{label}: {total} matching rows, {last} pages")
        client = _client(user)
        for page in (1, deep):
            page_label = f"page {page}" + (" (last page)" if page == last and page != 1 else "")
            sql = repeat(lambda page=page, scope=scope: hand_sql_page(scope, page), args.runs, args.warmup)
            if "sql" in args.only:
                rows.append(
                    Row("sql", f"COUNT + SELECT, {page_label}", label, sql.p50_ms, sql.p95_ms, 2, rows=total)
                )
            cases = [
                ("list", f"{list_url}?{FILTER}&page={page}", {}),
                # The table fragment htmx asks for: the same query without the filter form around it.
                ("list", f"{list_url}?{FILTER}&page={page}", {"HTTP_HX_REQUEST": "true"}),
                ("api", f"{api_url}?{FILTER}&page={page}", {}),
            ]
            for section, url, headers in cases:
                if section not in args.only:
                    continue
                row = Row(section, f"GET {url}" + (" [HX-Request]" if headers else ""), label)
                try:
                    row.queries = _queries(lambda url=url, client=client, h=headers: fetch(client, url, **h))
                    timing, orm_sql = repeat_with_sql(
                        lambda url=url, client=client, h=headers: fetch(client, url, **h),
                        args.runs,
                        args.warmup,
                        Enterprise._meta.db_table,
                    )
                except RequestFailed as exc:
                    row.note = f"not available ({exc})"
                    rows.append(row)
                    continue
                row.p50_ms, row.p95_ms = timing.p50_ms, timing.p95_ms
                row.orm_sql_p95_ms = orm_sql.p95_ms
                row.sql_p95_ms = sql.p95_ms
                # The ORM's queries for the page (scope + filters + pagination) against the hand SQL.
                row.ratio = orm_sql.p95_ms / sql.p95_ms if sql.p95_ms else None
                if section == "list" and not headers:
                    ok = row.p95_ms <= TARGET_P95_MS and row.ratio is not None and row.ratio <= TARGET_RATIO
                    row.target = "PASS" if ok else "FAIL"
                rows.append(row)
    return rows


def _xlsx_rows(body: bytes) -> int:
    """Data rows in the first sheet of a ledger (title, info and header rows excluded), by counting <row>
    elements."""
    from anlan.core.exports import HEADER_ROW

    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheet = next(name for name in archive.namelist() if name.startswith("xl/worksheets/sheet"))
        with archive.open(sheet) as handle:
            count, tail = 0, b""
            while chunk := handle.read(1 << 20):
                data = tail + chunk
                count += data.count(b"<row ") + data.count(b"<row>")
                tail = data[-5:]
                count -= tail.count(b"<row ") + tail.count(b"<row>")
            count += tail.count(b"<row ") + tail.count(b"<row>")
    return count - HEADER_ROW


def bench_export(dataset, args, log) -> list[Row]:
    """Section export: the province office exports 10 %, 20 % and 40 % of N; time and tracemalloc peak."""
    from anlan.core import rules
    from anlan.core.models import Enterprise, Region
    from bench.generate import EXPORTS
    from bench.measure import RequestFailed, Timing, fetch, peak_memory

    client = _client(dataset.users["province"])
    base = _url("core:enterprise-export", "/enterprises/export/")
    runs = args.export_runs
    rows: list[Row] = []
    regions = Region.objects.in_bulk([code for _label, code, _share in EXPORTS])
    for index, (label, code, _share) in enumerate(EXPORTS):
        region = regions[code]
        low, high = rules.subtree_bounds(region.code, region.level)
        expected = Enterprise.objects.filter(region__gte=low, region__lte=high).count()
        url = f"{base}?region={code}"
        row = Row("export", f"GET {url} ({label}, {region.name})", "province office", rows=expected)
        log(f"export {label}: {expected} rows …")
        try:
            if index == 0:
                _fetch_body(client, url)  # warm-up: imports, template of the workbook
            timing = Timing()
            body = b""
            for run in range(runs):
                started = time.perf_counter()
                if run == 0:
                    body = _fetch_body(client, url)
                else:
                    fetch(client, url)
                timing.samples.append(time.perf_counter() - started)
            peak, _size = peak_memory(lambda url=url: fetch(client, url))
        except RequestFailed as exc:
            row.note = f"not available ({exc})"
            rows.append(row)
            continue
        in_file = _xlsx_rows(body)
        row.p50_ms, row.p95_ms = timing.p50_ms, timing.p95_ms
        row.peak_mib = peak / 2**20
        row.note = f"{len(body) / 2**20:.1f} MiB file, {in_file} rows in file" + (
            "" if in_file == expected else f" (expected {expected})"
        )
        rows.append(row)
    measured = [row for row in rows if row.peak_mib is not None]
    if len(measured) >= 2:
        growth = measured[-1].peak_mib / measured[0].peak_mib if measured[0].peak_mib else math.inf
        flat = growth <= FLAT_MEMORY_RATIO
        measured[-1].target = "FLAT" if flat else "GROWS"
        log(
            f"export memory {'stays flat' if flat else 'grows'}: peak ×{growth:.2f} for "
            f"×{measured[-1].rows / max(measured[0].rows, 1):.1f} rows"
        )
    return rows


def _fetch_body(client, url: str) -> bytes:
    """The whole body of a 200 response, streamed or not (RequestFailed otherwise)."""
    from bench.measure import get

    response = get(client, url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return body


# ---------------------------------------------------------------- output


def _fmt(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def print_table(rows: list[Row], out=print) -> None:
    header = (
        "section",
        "case",
        "user",
        "p50 ms",
        "p95 ms",
        "queries",
        "ORM SQL p95",
        "hand SQL p95",
        "ratio",
        "target",
        "rows",
        "peak MiB",
    )
    table = [header] + [
        (
            row.section,
            row.case,
            row.user,
            _fmt(row.p50_ms, ".1f"),
            _fmt(row.p95_ms, ".1f"),
            _fmt(row.queries, "d"),
            _fmt(row.orm_sql_p95_ms, ".1f"),
            _fmt(row.sql_p95_ms, ".1f"),
            _fmt(row.ratio, ".2f"),
            row.target or "",
            _fmt(row.rows, "d"),
            _fmt(row.peak_mib, ".1f"),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    numeric = set(range(3, len(header))) - {header.index("target")}
    for number, line in enumerate(table):
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(line)
        ]
        out("  ".join(cells).rstrip())
        if number == 0:
            out("  ".join("-" * width for width in widths))
    notes = [(row.section, row.case, row.user, row.note) for row in rows if row.note]
    if notes:
        out("")
        for section, case, user, note in notes:
            out(f"{section} · {case} · {user}: {note}")


def main(argv=None) -> int:
    args = parse_args(argv)
    default_db = env.configure()

    import django
    from django.conf import settings
    from django.db import connection

    from bench.generate import ensure_dataset, planner_statistics

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # failures are reported in the table
    logging.getLogger("django.security").setLevel(logging.CRITICAL)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    database = settings.DATABASES["default"]
    where = (
        database["NAME"]
        if connection.vendor == "sqlite"
        else f"{database.get('HOST') or 'localhost'}/{database['NAME']}"
    )
    log(f"Database: {connection.vendor} {where}" + (" (default bench file)" if default_db else ""))
    if args.province is not None:
        from bench.province import ensure_province

        province = ensure_province(args.province, args.seed, regenerate=args.regenerate, log=log)
        dataset = province.dataset
        args.enterprises = province.counts["enterprises"]
        args.hazards = province.counts["hazards"]
        args.accidents = province.counts["accidents"]
    else:
        dataset = ensure_dataset(args.enterprises, args.seed, regenerate=args.regenerate, log=log)
    statistics = planner_statistics(args.analyze)
    log(f"Planner statistics: {statistics}")
    if {"list", "export"} & set(args.only):
        env.collect_static_if_stale()

    started = time.perf_counter()
    rows: list[Row] = []
    if {"sql", "list", "api"} & set(args.only):
        rows += bench_lists(dataset, args, log)
    if "export" in args.only:
        rows += bench_export(dataset, args, log)
    if "accidents" in args.only:
        from bench.bench_accidents import bench_statistics

        rows += [Row(**row) for row in bench_statistics(args, log)]
    if "hazards" in args.only:
        from bench.bench_hazards import run as bench_hazards

        rows += bench_hazards(dataset, args, log, Row)
    if "inspections" in args.only:
        from bench.bench_inspections import run as bench_inspections

        rows += bench_inspections(dataset, args, log, Row)
    if "export-ratio" in args.only:
        from bench.bench_exports import run as bench_export_ratio

        rows += bench_export_ratio(dataset, args, log, Row)
    if "jobs" in args.only:
        from bench.bench_jobs import run as bench_jobs

        rows += bench_jobs(dataset, args, log, Row)
    if "home" in args.only:
        from bench.bench_home import run as bench_home

        rows += bench_home(dataset, args, log, Row)
    if "pickers" in args.only:
        from bench.bench_pickers import run as bench_pickers

        rows += bench_pickers(dataset, args, log, Row)
    if "emergency" in args.only:
        from bench.bench_emergency import run as bench_emergency

        rows += bench_emergency(dataset, args, log, Row)
    if "warnings" in args.only:
        from bench.bench_warnings import run as bench_warnings

        rows += bench_warnings(dataset, args, log, Row)
    if "assessment" in args.only:
        from bench.bench_assessment import run as bench_assessment

        rows += bench_assessment(dataset, args, log, Row)

    print()
    print(
        f"Anlan benchmark — {args.enterprises} enterprises, {connection.vendor}, {args.runs} runs after "
        f"{args.warmup} warm-up runs, filter ?{FILTER}, times in ms at the server (Django test Client), "
        f"planner statistics: {statistics}"
    )
    print()
    print_table(rows)
    print()
    print(
        f"Targets (at 100k enterprises on SQLite): list page p95 <= {TARGET_P95_MS:.0f} ms, and its queries "
        f"on the enterprise table (ORM SQL) <= {TARGET_RATIO:.0f}x the hand SQL (ratio); export memory flat (peak grows <= {FLAT_MEMORY_RATIO}x from the "
        f"smallest to the largest export). Benchmark time {time.perf_counter() - started:.0f} s."
    )
    if args.json:
        payload = {
            "meta": {
                "enterprises": args.enterprises,
                "seed": args.seed,
                "runs": args.runs,
                "warmup": args.warmup,
                "filter": FILTER,
                "database": connection.vendor,
                "django": django.get_version(),
                "python": platform.python_version(),
                "machine": platform.machine(),
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "generated_in_s": dataset.generated_in,
                "planner_statistics": statistics,
            },
            "results": [asdict(row) for row in rows],
        }
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        log(f"Wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
