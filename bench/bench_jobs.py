"""Section `jobs` of bench/run.py: background work (anlan/core/jobs.py).

- queue: enqueue `--jobs` (10,000) small jobs (`bench.noop`, bench/jobapp) and run them with two worker
  processes (`manage.py anlan_worker --no-scheduler`) on the benchmark database. Each run appends
  "<job>:<attempt>" to a log; the benchmark counts lost jobs (no line), jobs run twice (two lines) and jobs
  not finished. Target: none lost, none twice (PostgreSQL is the case the issue names; SQLite is measured
  too).
- export job: the enterprise ledger as a `core.export` job for the province office at two sizes (the 20 %
  county and all N rows), run in this process under tracemalloc while a second connection samples the
  job's progress every 0.25 s. Targets: the larger job's peak within 1.5× the smaller one's (flat memory),
  and its progress seen advancing (at least five distinct values, ending at the row count).
- import job: an enterprise import of `--import-rows` (10,000) rows, the last one faulty, as a `core.import`
  job for the county office, run in this process: every row is checked and written in one transaction,
  then the whole file rolls back (nothing is half-imported) and the error workbook is written. A second
  connection samples the progress the page shows (`jobs.live`). Targets: nothing imported, the faulty row
  reported, and the progress seen advancing (at least five distinct values) while the transaction is open.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

FLAT_MEMORY_RATIO = 1.5
ROOT = Path(__file__).resolve().parent.parent


def add_arguments(parser) -> None:
    parser.add_argument(
        "--jobs", type=int, default=10_000, help="small jobs for the queue case (default 10000)"
    )
    parser.add_argument("--job-workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--import-rows", type=int, default=10_000, help="rows of the import job case (default 10000)"
    )


def _clear_jobs(kinds: tuple[str, ...]) -> None:
    from django_tasks_db.models import DBTaskResult

    from anlan.core.models import Job

    Job.objects.filter(kind__in=kinds).delete()
    DBTaskResult.objects.all().delete()


def bench_queue(args, log, Row) -> list:
    from django.db import connection, transaction

    from anlan.core import jobs
    from anlan.core.models import Job

    n = args.jobs
    _clear_jobs(("bench.noop",))
    with tempfile.TemporaryDirectory() as scratch:
        journal = Path(scratch) / "runs.log"
        started = time.perf_counter()
        for start in range(0, n, 500):
            with transaction.atomic():
                for _ in range(min(500, n - start)):
                    jobs.enqueue("bench.noop", label="bench")
        enqueued = time.perf_counter() - started
        log(f"Enqueued {n} jobs in {enqueued:.1f} s; starting {args.job_workers} workers …")
        env = {**os.environ, "BENCH_JOB_LOG": str(journal), "ANLAN_LOG_LEVEL": "WARNING"}
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "anlan_worker",
                    "--no-scheduler",
                    "--interval",
                    "0.05",
                    "-v",
                    "0",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(Path(scratch) / f"worker{i}.err").open("w"),
            )
            for i in range(args.job_workers)
        ]
        started = time.perf_counter()
        deadline = started + max(600, n / 5)
        try:
            while time.perf_counter() < deadline:
                if not Job.objects.filter(kind="bench.noop").exclude(status__in=Job.FINISHED).exists():
                    break
                if any(worker.poll() is not None for worker in workers):
                    raise RuntimeError(
                        "a worker exited: " + (Path(scratch) / "worker0.err").read_text()[-2000:]
                    )
                time.sleep(0.5)
            ran_in = time.perf_counter() - started
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=60)
        lines = journal.read_text().split() if journal.exists() else []
    ids = set(Job.objects.filter(kind="bench.noop").values_list("pk", flat=True))
    seen = [int(line.split(":")[0]) for line in lines]
    lost = len(ids - set(seen))
    twice = len(seen) - len(set(seen))
    unfinished = Job.objects.filter(kind="bench.noop").exclude(status=Job.Status.SUCCEEDED).count()
    retried = Job.objects.filter(kind="bench.noop", attempt__gt=1).count()
    ok = lost == 0 and twice == 0 and unfinished == 0
    note = (
        f"{connection.vendor}; enqueue {n / enqueued:,.0f}/s ({enqueued:.1f} s); run {n / ran_in:,.0f}/s "
        f"({ran_in:.1f} s) by {args.job_workers} workers; lost {lost}, twice {twice}, unfinished {unfinished}, "
        f"retried {retried}"
    )
    log(note)
    _clear_jobs(("bench.noop",))
    row = Row("jobs", f"{n} small jobs, {args.job_workers} workers", "-", rows=n, note=note)
    row.p50_ms = ran_in * 1000
    row.target = "PASS" if ok else "FAIL"
    return [row]


class _Sampler(threading.Thread):
    """Reads the job's progress from its own connection, as the progress bar's polling does."""

    def __init__(self, job_id: int):
        super().__init__(daemon=True)
        self.job_id = job_id
        self.samples: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        from django.db import connection

        from anlan.core.models import Job

        try:
            while not self.stop.is_set():
                done = Job.objects.filter(pk=self.job_id).values_list("progress_done", flat=True).first()
                if done is not None and (not self.samples or done != self.samples[-1]):
                    self.samples.append(done)
                self.stop.wait(0.25)
        finally:
            connection.close()


def _export_job(owner, query: str) -> tuple[int, int, list[int], float]:
    """Run one export job in this process: (rows written, tracemalloc peak, progress samples, seconds)."""
    from django.core.files.storage import default_storage

    from anlan.core import jobs
    from anlan.core.models import Job
    from bench.measure import peak_memory

    job = jobs.enqueue(
        "core.export", owner=owner, label="bench export", params={"ledger": "enterprises", "query": query}
    )
    sampler = _Sampler(job.pk)
    sampler.start()
    started = time.perf_counter()
    peak, _ran = peak_memory(lambda: jobs.execute(job.pk, worker_id="bench"))
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    job = Job.objects.get(pk=job.pk)
    if job.status != Job.Status.SUCCEEDED:
        raise RuntimeError(f"export job failed: {job.error}")
    default_storage.delete(job.result_file)
    samples = [*sampler.samples, job.progress_done]
    return job.result["rows"], peak, samples, seconds


def bench_export_job(dataset, args, log, Row) -> list:
    from django.test import override_settings

    from anlan.core.models import Job
    from bench.generate import EXPORTS

    owner = dataset.users["province"]
    label, code, _share = EXPORTS[1]
    rows = []
    results = []
    # The job runs above the threshold only; here every size runs as a job whatever the setting.
    with override_settings(ANLAN_EXPORT_JOB_ROWS=0):
        _export_job(owner, f"region={code}")  # warm-up: imports and first-use caches are not the job's memory
        for case, query in ((f"{label} county", f"region={code}"), ("all rows", "")):
            written, peak, samples, seconds = _export_job(owner, query)
            advancing = samples == sorted(samples) and samples[-1] == written
            results.append((case, written, peak, samples, seconds, advancing))
            log(
                f"export job {case}: {written} rows in {seconds:.1f} s (under tracemalloc), peak "
                f"{peak / 2**20:.1f} MiB, {len(set(samples))} progress values"
            )
    Job.objects.filter(kind="core.export", label="bench export").delete()
    small_peak = results[0][2]
    # The large job's progress must be seen moving (five values at least), not only its end.
    case, written, peak, samples, seconds, advancing = results[-1]
    results[-1] = (case, written, peak, samples, seconds, advancing and len(set(samples)) >= 5)
    for case, written, peak, samples, seconds, advancing in results:
        row = Row("jobs", f"export job, enterprise ledger, {case}", "province office", rows=written)
        row.p50_ms = seconds * 1000
        row.peak_mib = peak / 2**20
        ratio = peak / small_peak if small_peak else None
        row.ratio = ratio
        flat = ratio is not None and ratio <= FLAT_MEMORY_RATIO
        row.target = "PASS" if advancing and flat else "FAIL"
        row.note = f"progress seen at {len(set(samples))} values, last {samples[-1]}; peak ×{ratio:.2f} of the smaller"
        rows.append(row)
    return rows


class _LiveSampler(_Sampler):
    """The progress as the job's page shows it (`jobs.live`: the row, or the file beside SQLite)."""

    def run(self) -> None:
        from django.db import connection

        from anlan.core import jobs
        from anlan.core.models import Job

        try:
            while not self.stop.is_set():
                job = Job.objects.filter(pk=self.job_id).first()
                done = jobs.live(job).progress_done if job else None
                if done is not None and (not self.samples or done != self.samples[-1]):
                    self.samples.append(done)
                self.stop.wait(0.25)
        finally:
            connection.close()


def _import_file(owner, n: int) -> Path:
    from openpyxl import Workbook

    from anlan.core import imports, rules
    from anlan.core.models import Enterprise

    in_scope = Enterprise.objects.for_user(owner).select_related("industry").filter(region__level=5)
    sample = in_scope.order_by("pk").first()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([title for title, _f in imports.COLUMNS])
    for i in range(n):
        uscc = rules.make_uscc("9", "1", sample.region_id[:6], f"BH{i:06d}")
        industry = sample.industry.name if i < n - 1 else "不存在的行业"  # the last row is faulty
        sheet.append(
            [
                uscc,
                f"导入基准{i}有限公司",
                sample.region_id,
                industry,
                "某路1号",
                "小微企业",
                10,
                "甲",
                "乙",
                imports.EXAMPLE_ID_NUMBER,
                "13800000000",
                "丙",
                "13900000000",
                "否",
                "否",
                "",
                "",
                "",
            ]
        )
    path = Path(tempfile.mkdtemp()) / "bench-import.xlsx"
    workbook.save(path)
    return path


def bench_import_job(dataset, args, log, Row) -> list:
    from django.core.files.storage import default_storage

    from anlan.core import importing, jobs
    from anlan.core.models import Enterprise, Job

    n = args.import_rows
    owner = dataset.users["county"]
    path = _import_file(owner, n)
    with path.open("rb") as handle:
        stored = default_storage.save("imports/bench-import.xlsx", handle)
    spec = importing.importer_spec("enterprises")
    job = importing.start(owner, spec, stored, filename=path.name, valid_only=False, params={})
    before = Enterprise.objects.count()
    sampler = _LiveSampler(job.pk)
    sampler.start()
    started = time.perf_counter()
    jobs.execute(job.pk, worker_id="bench")
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    job = Job.objects.get(pk=job.pk)
    result = job.result
    imported = Enterprise.objects.count() - before
    during = [s for s in sampler.samples if 0 < s < n]
    ok = (
        job.status == Job.Status.SUCCEEDED
        and imported == 0
        and result.get("error_rows") == 1
        and result.get("valid") == n - 1
        and len(set(during)) >= 5
    )
    note = (
        f"{connection_vendor()}; {n} rows checked and written in {seconds:.1f} s ({n / seconds:,.0f} rows/s), "
        f"rolled back (imported {imported}); error workbook {job.result_size or 0:,} bytes; progress seen at "
        f"{len(set(during))} values while open"
    )
    log(f"import job: {note}")
    for stored_file in [job.result_file, *job.params.get("inputs", [])]:
        if stored_file:
            default_storage.delete(stored_file)
    job.delete()
    path.unlink()
    row = Row("jobs", f"import job, {n} enterprise rows, last faulty", "county office", rows=n, note=note)
    row.p50_ms = seconds * 1000
    row.target = "PASS" if ok else "FAIL"
    return [row]


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def run(dataset, args, log, Row) -> list:
    return (
        bench_export_job(dataset, args, log, Row)
        + bench_import_job(dataset, args, log, Row)
        + bench_queue(args, log, Row)
    )
