#!/usr/bin/env python
"""XLSX ledger exports against openpyxl's bare write-only writer: the same rows, the same styles, one run.

    .venv/bin/python bench/bench_exports.py [--export-rows 20000] [--export-ratio-runs 3] [--json out.json]
    .venv/bin/python bench/run.py --only export-ratio [--export-rows N]      # the same, from the main runner

For each ledger (enterprises, hazards, accidents) the province user's export of about N rows:
(a) `core.exports.write_xlsx(ledger, file)` end to end — the SQL, the conversion of the values and the writing;
(b) the same rows materialised first (untimed, with `ledger.rows`) and handed as Python lists to a bare
    openpyxl write-only workbook with the same bold header and the same column widths.
Runs alternate (a) and (b); the medians are compared. Target: (a) ≤ 1.5 × (b). Both files are also compared:
their sheet and style parts must be byte for byte the same, or the comparison would mean nothing.

Data: the enterprise set (bench/generate.py), the hazards (bench_hazards.py, `--hazards`) and the accidents
(bench_accidents.py, `--accidents`), made if missing and reused. Generated hazards carry no rectification
plan and no verifier, so the ledger's plan and verifier columns would be empty; this section adds, to the
exported hazards that have none, one plan to 9 in 10 (a second, newer one to every 7th) and a verifier to the
closed ones.
"""

from __future__ import annotations

import gc
import io
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_RATIO = 1.5
BATCH = 20_000
COMPARED_PARTS = ("xl/worksheets/sheet1.xml", "xl/styles.xml")


def add_arguments(parser) -> None:
    parser.add_argument(
        "--export-rows", type=int, default=20_000, help="rows per ledger for export-ratio (default 20000)"
    )
    parser.add_argument(
        "--export-ratio-runs",
        type=int,
        default=3,
        help="measured runs of each side per ledger (default 3, after one warm-up)",
    )


# ---------------------------------------------------------------- data


def ensure_plans(ledger, verifier, log) -> None:
    """Rectification plans and verifiers for the ledger's hazards that have none (see the module docstring)."""
    from django.db import connection
    from django.utils import timezone

    from anlan.hazards.models import Hazard, RectificationPlan

    started = time.perf_counter()
    table = RectificationPlan._meta.db_table
    columns = (
        "hazard_id",
        "responsible_person",
        "responsible_phone",
        "measures",
        "due_on",
        "funds",
        "interim_measures",
        "goals",
        "organisation",
        "recorded_by_id",
        "recorded_at",
    )
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    ops = connection.ops
    now = timezone.now()
    first = ops.adapt_datetimefield_value(now - timedelta(days=2))
    second = ops.adapt_datetimefield_value(now - timedelta(days=1))
    hazards = Hazard.objects.filter(pk__in=ledger.queryset.values("pk"))
    without = hazards.exclude(pk__in=RectificationPlan.objects.values("hazard_id")).order_by("pk")
    batch, made = [], 0
    for pk, due_on in without.values_list("pk", "due_on").iterator(chunk_size=BATCH):
        if pk % 10 == 0:  # one hazard in ten has no plan yet
            continue
        due = ops.adapt_datefield_value(due_on)
        funds = ops.adapt_decimalfield_value(f"{pk % 50}.{pk % 100:02d}", 12, 2) if pk % 3 else None
        batch.append(
            (
                pk,
                "张三",
                "13800000000",
                "补设连墙件，更换老化线路",
                due,
                funds,
                "",
                "",
                "",
                verifier.pk,
                first,
            )
        )
        if pk % 7 == 0:  # a revised plan: the ledger shows the newer one
            batch.append((pk, "李四", "", "修订后的整改措施", due, None, "", "", "", verifier.pk, second))
        if len(batch) >= BATCH:
            made += _write(insert, batch)
            batch = []
    made += _write(insert, batch)
    verified = hazards.filter(status=Hazard.Status.CLOSED, verified_by__isnull=True).update(
        verified_by=verifier, verified_at=now
    )
    if made or verified:
        log(
            f"Added {made} rectification plans and {verified} verifiers in {time.perf_counter() - started:.1f} s."
        )


def _write(insert: str, batch: list) -> int:
    from django.db import connection, transaction

    if batch:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, batch)
    return len(batch)


def ensure_data(dataset, args, log) -> dict:
    """The hazards and accidents next to the enterprise set; returns the exporting users. The province data
    set (`run.py --province`) comes with both."""
    from bench.bench_accidents import ensure_accidents
    from bench.bench_accidents import users as accident_users
    from bench.bench_hazards import ensure_hazards

    if getattr(args, "province", None) is None:
        generated = ensure_hazards(
            args.hazards, args.hazard_seed, args.enterprises, regenerate=args.regenerate_hazards, log=log
        )
        if generated is not None:
            log(f"Generated {args.hazards} hazards in {generated:.1f} s.")
        ensure_accidents(args.accidents, args.accident_seed, regenerate=args.regenerate_accidents, log=log)
    return {"province": dataset.users["province"], "accidents": accident_users()["province"]}


# ---------------------------------------------------------------- the ledgers of about N rows


def _query_of_rows(queryset, field: str, n: int, param: str) -> str:
    """`param=<day>`: the newest rows down to the day of the n-th newest (so at least n rows, a day more)."""
    from django.utils import timezone

    nth = list(queryset.order_by(f"-{field}").values_list(field, flat=True)[n - 1 : n])
    if not nth:
        return ""
    day = timezone.localdate(nth[0]) if isinstance(nth[0], datetime) else nth[0]
    return f"{param}={day.isoformat()}"


def ledgers(users, n: int) -> list[tuple[str, str, object]]:
    """(name, query, ledger) of the three ledgers for about n rows each."""
    from django.http import QueryDict

    from anlan.accidents.exports import accident_ledger
    from anlan.accidents.models import Accident
    from anlan.core import rules
    from anlan.core.exports import enterprise_ledger
    from anlan.core.models import Enterprise, Region
    from anlan.hazards.exports import hazard_ledger
    from anlan.hazards.models import Hazard
    from bench.generate import EXPORTS

    # Enterprises: the generated county whose size is nearest to n (the filter has no date to cut with).
    sizes = {}
    for _label, code, _share in EXPORTS:
        region = Region.objects.get(pk=code)
        low, high = rules.subtree_bounds(region.code, region.level)
        sizes[code] = Enterprise.objects.filter(region__gte=low, region__lte=high).count()
    county = min(sizes, key=lambda code: abs(sizes[code] - n))
    queries = [
        ("enterprises", f"region={county}", enterprise_ledger, users["province"]),
        (
            "hazards",
            _query_of_rows(Hazard.objects, "found_on", n, "found_from"),
            hazard_ledger,
            users["province"],
        ),
        (
            "accidents",
            _query_of_rows(Accident.objects, "occurred_at", n, "date_from"),
            accident_ledger,
            users["accidents"],
        ),
    ]
    return [(name, query, build(user, QueryDict(query))) for name, query, build, user in queries]


# ---------------------------------------------------------------- the two writers


def bare_write(ledger, rows: list[list], handle) -> None:
    """openpyxl's write-only workbook given ready rows, the ledger standard written the plain way: the same
    title, info and header rows, frozen panes, widths and autofilter as write_xlsx, and a new styled cell for
    every date, datetime and wrapped text value (write_xlsx reuses one per column)."""
    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from anlan.core import exports

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ledger.sheet_title[:31])
    columns = [exports.SERIAL, *ledger.columns]
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = exports.column_width(column)
    sheet.freeze_panes = f"A{exports.HEADER_ROW + 1}"
    title = WriteOnlyCell(sheet, value=ledger.title())
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append([ledger.info(timezone.now())])
    bold, centred = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.title))
        cell.font, cell.alignment = bold, centred
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    formats = {exports.DATE: exports.DATE_FORMAT, exports.DATETIME: exports.DATETIME_FORMAT}
    kinds = [column.kind for column in ledger.columns]
    for serial, row in enumerate(rows, start=1):
        line = [serial]
        for value, kind in zip(row, kinds, strict=True):
            if value is None or kind not in (exports.DATE, exports.DATETIME, exports.WRAP):
                line.append(value)
                continue
            cell = WriteOnlyCell(sheet)  # styled before its value, or a date would register a default format
            if kind == exports.WRAP:
                cell.alignment = wrap
            else:
                cell.number_format = formats[kind]
            cell.value = value
            line.append(cell)
        sheet.append(line)
    sheet.auto_filter.ref = (
        f"A{exports.HEADER_ROW}:{get_column_letter(len(columns))}{exports.HEADER_ROW + len(rows)}"
    )
    workbook.save(handle)


def _parts(handle) -> dict[str, bytes]:
    handle.seek(0)
    with zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        return {name: archive.read(name) for name in COMPARED_PARTS}


def measure(ledger, runs: int) -> dict:
    """Alternate write_xlsx (timed end to end) and the bare writer (timed on materialised rows)."""
    from anlan.core.exports import write_xlsx

    ours, bare, written, same = [], [], 0, True
    for run in range(runs + 1):  # run 0 warms up (imports, caches, the database's pages)
        with tempfile.TemporaryFile() as ours_file, tempfile.TemporaryFile() as bare_file:
            gc.collect()
            started = time.perf_counter()
            written = write_xlsx(ledger, ours_file)
            elapsed = time.perf_counter() - started
            rows = list(ledger.rows(ledger.queryset))
            # The materialised rows are frozen out of the collector: the bare side pays nothing for them.
            gc.collect()
            gc.freeze()
            try:
                started = time.perf_counter()
                bare_write(ledger, rows, bare_file)
                bare_elapsed = time.perf_counter() - started
            finally:
                gc.unfreeze()
            del rows
            if run == 0:
                same = _parts(ours_file) == _parts(bare_file)
                continue
            ours.append(elapsed)
            bare.append(bare_elapsed)
    return {
        "rows": written,
        "ours_s": statistics.median(ours),
        "bare_s": statistics.median(bare),
        "ours_all": ours,
        "bare_all": bare,
        "same_file": same,
    }


def run(dataset, args, log, Row) -> list:
    """Section export-ratio, for bench/run.py."""
    from django.db import connection

    from bench.generate import planner_statistics

    users = ensure_data(dataset, args, log)
    chosen = ledgers(users, args.export_rows)
    ensure_plans(next(ledger for name, _q, ledger in chosen if name == "hazards"), users["province"], log)
    log(f"Planner statistics: {planner_statistics(args.analyze)}")
    rows = []
    for name, query, ledger in chosen:
        log(f"export-ratio {name} ?{query}: {ledger.count()} rows …")
        result = measure(ledger, args.export_ratio_runs)
        ratio = result["ours_s"] / result["bare_s"]
        row = Row(
            "export-ratio",
            f"write_xlsx({name} ledger ?{query}) vs bare write-only writer",
            "province office",
            rows=result["rows"],
        )
        row.p50_ms = result["ours_s"] * 1000
        row.p95_ms = max(result["ours_all"]) * 1000
        row.ratio = ratio
        row.target = "PASS" if ratio <= TARGET_RATIO and result["same_file"] else "FAIL"
        row.note = (
            f"{connection.vendor}: write_xlsx {result['ours_s']:.2f} s ({result['rows'] / result['ours_s']:,.0f} rows/s), "
            f"bare {result['bare_s']:.2f} s ({result['rows'] / result['bare_s']:,.0f} rows/s); "
            f"sheet and styles {'identical' if result['same_file'] else 'DIFFER'}"
        )
        rows.append(row)
        log(f"  {row.note}; ratio {ratio:.2f} {row.target}")
    return rows
