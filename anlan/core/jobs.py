"""Background jobs on Django's tasks API (the django-tasks backport, database backend): the Job record, the
schedules, the worker's heartbeat and the reaper (docs/development.md, "Background jobs").

- `enqueue(kind, owner=…, params=…)` writes a Job row and enqueues the one task `run_job(job_id)` in the
  caller's transaction: the database backend stores the task in the same database, so a job whose request
  rolled back never runs, and one whose request committed is never lost.
- A worker (`manage.py anlan_worker`, django-tasks-db's worker) runs `run_job`, which claims the row with a
  conditional UPDATE (queued → running, attempt + 1): a job enqueued twice still runs once. The job reports
  progress through `JobRun.progress` and finishes only while its attempt is still current, so a run the
  reaper gave up on can neither report nor finish.
- Each worker writes a heartbeat (`WorkerBeat`) every few seconds from a thread beside the task loop. The
  reaper re-queues the running jobs of a worker silent for ANLAN_WORKER_DEAD_SECONDS (a killed worker would
  otherwise leave them "running" for ever), up to MAX_ATTEMPTS runs, and marks that worker's task rows failed.
- Schedules (every sweep, and the kinds declared with `c.schedule`) are ticked by the same thread: the
  current slot of each is claimed by inserting a unique (schedule, slot) row, so with several schedulers each
  slot's job is enqueued once. A slot missed while no worker ran is not made up; the next one runs.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task
from django_tasks_db.models import DBTaskResult

from . import contract, sweeps
from .errors import DomainError
from .models import Job, ScheduleSlot, WorkerBeat

logger = logging.getLogger("anlan.jobs")

SWEEP = "core.sweep"
MAX_ATTEMPTS = 3
# How often a running job may write its progress (a progress bar needs no more).
PROGRESS_EVERY_SECONDS = 0.5
# Finished jobs, claimed slots and task rows are kept this long for the operations record.
KEEP_FINISHED = timedelta(days=30)
# Local midnight of this day is the origin of every schedule's slots.
SLOT_ORIGIN = datetime(2000, 1, 1)


class Superseded(Exception):
    """This run's attempt is no longer the job's current one (the reaper re-queued it): stop quietly."""


# ---------------------------------------------------------------- enqueueing


def kinds() -> dict[str, contract.JobKind]:
    return contract.registry().job_kinds


def enqueue(kind: str, *, owner=None, label: str = "", params: dict | None = None, priority: int = 0) -> Job:
    """Record a job of `kind` and put it on the queue, both in the caller's transaction."""
    spec = kinds().get(kind)
    if spec is None:
        raise KeyError(f"job kind {kind!r} is not declared by any installed module")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            label=(label or str(spec.label))[:200],
            owner=owner,
            params=params or {},
            created_at=timezone.now(),
        )
        _put_on_queue(job, priority)
    return job


def run_here(kind: str, *, owner, label: str = "", params: dict | None = None) -> Job:
    """Record a job of `kind` and run it at once in this process (a small import, in its request), so its
    outcome, result file and kept inputs are a job's like any other; its owner is not notified."""
    job = Job.objects.create(
        kind=kind, label=label[:200], owner=owner, params=params or {}, created_at=timezone.now()
    )
    execute(job.pk, worker_id="request", notify=False)
    job.refresh_from_db()
    return job


def start(kind: str, *, here: bool, owner, label: str = "", params: dict | None = None) -> Job:
    """`run_here` when the work is small enough for its request (`here`), else `enqueue` for the workers."""
    if here:
        return run_here(kind, owner=owner, label=label, params=params)
    return enqueue(kind, owner=owner, label=label, params=params)


def _put_on_queue(job: Job, priority: int = 0) -> None:
    result = run_job.using(priority=priority).enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


# ---------------------------------------------------------------- running


@dataclass
class JobRun:
    """What a job function gets: its row (params, owner), progress reporting and the result file."""

    job: Job
    _last_write: float = 0.0
    _side: object = None  # a second PostgreSQL connection for progress written inside a long transaction

    @property
    def params(self) -> dict:
        return self.job.params

    @property
    def owner(self):
        return self.job.owner

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """Record how far the job is (at most every PROGRESS_EVERY_SECONDS unless `force`)."""
        self.job.progress_done = done
        if total is not None:
            self.job.progress_total = total
        now = time.monotonic()
        if not force and now - self._last_write < PROGRESS_EVERY_SECONDS:
            return
        self._last_write = now
        if connection.in_atomic_block:
            changed = self._progress_beside(done)
        else:
            changed = self._current().update(progress_done=done, progress_total=self.job.progress_total)
        if not changed:
            raise Superseded(self.job.pk)

    def _progress_beside(self, done: int) -> bool:
        """Progress of a job inside one long transaction (an import), which would hide an UPDATE until the end:
        PostgreSQL gets it through a second connection, SQLite (one writer at a time) through a small file
        beside the database that the job's page reads (`live`). Whether the run is still current is asked
        in our own transaction as well: the second connection cannot see a row not yet committed."""
        total = self.job.progress_total
        if connection.vendor == "postgresql":
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            quote = connection.ops.quote_name
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(Job._meta.db_table)} SET progress_done = %s, progress_total = %s"
                    " WHERE id = %s AND attempt = %s AND status = %s",
                    [done, total, self.job.pk, self.job.attempt, Job.Status.RUNNING],
                )
                if cursor.rowcount:
                    return True
        else:
            _write_live(self.job.pk, done, total)
        return self._current().exists()

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
        _live_path(self.job.pk).unlink(missing_ok=True)

    @contextmanager
    def result_file(self, filename: str) -> Iterator:
        """A binary handle to write the job's downloadable file into; stored when the block ends."""
        with tempfile.TemporaryFile(dir=_temp_dir()) as handle:
            yield handle
            handle.flush()
            size = handle.tell()
            handle.seek(0)
            stamp = get_random_string(12)
            stored = default_storage.save(f"jobs/{self.job.pk}/{stamp}{Path(filename).suffix}", File(handle))
        self.job.result_file, self.job.result_name, self.job.result_size = stored, filename, size

    def _current(self):
        return Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt, status=Job.Status.RUNNING)


def _live_path(job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "tmp" / f"job-{job_id}.progress"


def _write_live(job_id: int, done: int, total: int | None) -> None:
    path = _live_path(job_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(".writing")
        scratch.write_text(f"{done} {total or 0}")
        scratch.replace(path)
    except OSError:
        pass  # progress is a courtesy; the job goes on


def live(job: Job) -> Job:
    """The job with the progress its run wrote beside the database (SQLite, inside a transaction), if newer."""
    if job.status != Job.Status.RUNNING:
        return job
    try:
        done, total = (int(part) for part in _live_path(job.pk).read_text().split())
    except (OSError, ValueError):
        return job
    if done > job.progress_done:
        job.progress_done, job.progress_total = done, total or job.progress_total
    return job


def _temp_dir() -> str | None:
    directory = Path(settings.VAR_DIR) / "tmp"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return str(directory)


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> dict:
    """The one task on the queue: claim job `job_id`, run its kind, record the outcome."""
    worker_ids = context.task_result.worker_ids
    return execute(job_id, worker_id=worker_ids[-1] if worker_ids else "")


def execute(job_id: int, *, worker_id: str, notify: bool = True) -> dict:
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, attempt=F("attempt") + 1, started_at=now, worker_id=worker_id
    )
    if not claimed:
        return {"skipped": "not queued"}
    job = Job.objects.select_related("owner").get(pk=job_id)
    run = JobRun(job)
    try:
        return _execute(job, run, notify)
    finally:
        run.close()


def _execute(job: Job, run: JobRun, notify: bool = True) -> dict:
    try:
        spec = kinds().get(job.kind)
        if spec is None:
            raise DomainError("job_kind_unknown", _("任务类型“%(kind)s”已不存在。") % {"kind": job.kind})
        outcome = import_string(spec.path)(run) or {}
    except Superseded:
        _discard_file(job)
        return {"superseded": job.attempt}
    except DomainError as exc:
        _finish(job, Job.Status.FAILED, error=str(exc.message), notify=notify)
        return {"failed": str(exc.message)}
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            Job.Status.FAILED,
            error=_("任务执行出错（%(error)s），请联系系统管理员。") % {"error": type(exc).__name__},
            notify=notify,
        )
        raise
    if not _finish(job, Job.Status.SUCCEEDED, result=outcome, notify=notify):
        _discard_file(job)
        return {"superseded": job.attempt}
    return outcome


def _finish(
    job: Job, status: str, *, result: dict | None = None, error: str = "", notify: bool = True
) -> bool:
    """Close the job if this run is still its current attempt; tell its owner. False when superseded.
    A result file, or an input the job keeps for a next step, expires after ANLAN_JOB_RESULT_HOURS."""
    now = timezone.now()
    kept = job.result_file or job.params.get("inputs")
    expires = now + timedelta(hours=settings.ANLAN_JOB_RESULT_HOURS) if kept else None
    with transaction.atomic():
        changed = Job.objects.filter(pk=job.pk, attempt=job.attempt, status=Job.Status.RUNNING).update(
            status=status,
            finished_at=now,
            result=result or {},
            error=error,
            result_file=job.result_file,
            result_name=job.result_name,
            result_size=job.result_size,
            expires_at=expires,
            progress_done=job.progress_done,
            progress_total=job.progress_total,
        )
        if changed and notify:
            job.refresh_from_db()
            contract.emit("core.job_finished", job=job)
    return bool(changed)


def _discard_file(job: Job) -> None:
    if job.result_file:
        default_storage.delete(job.result_file)
        job.result_file = ""


def task_worker(worker_id: str, *, interval: float = 0, max_tasks: int | None = None):
    """django-tasks-db's worker over every queue of the default backend, under this worker id."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=interval > 0,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def work_off(worker_id: str = "inline") -> int:
    """Run every task ready now, in this process (`anlan_worker --batch`, tests); returns how many ran.

    It claims like the worker's loop but leaves the connection open (the loop's `close_old_connections`
    would end a test's transaction)."""
    from django_tasks_db.utils import exclusive_transaction

    beat(worker_id)
    worker = task_worker(worker_id)
    ran = 0
    while True:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        with exclusive_transaction(ready.db):
            row = ready.get_locked()
            if row is not None:
                row.claim(worker_id)
        if row is None:
            return ran
        worker.run_task(row)
        ran += 1


# ---------------------------------------------------------------- the kernel's own job kinds


def sweep_job(run: JobRun) -> dict:
    """Job kind `core.sweep`: one declared sweep, by name."""
    name = run.params["sweep"]
    function = sweeps.registered().get(name)
    if function is None:
        raise DomainError("sweep_unknown", _("定期检查“%(name)s”已不存在。") % {"name": name})
    now = timezone.now()
    return function(today=timezone.localdate(now), now=now) or {}


def backup_job(run: JobRun) -> dict:
    """Job kind `core.backup`: the database and the uploaded files into ANLAN_BACKUP_DIR, with retention."""
    from .backups import scheduled

    now = timezone.now()
    return scheduled(today=timezone.localdate(now), now=now)


def cleanup_job(run: JobRun) -> dict:
    """Job kind `core.cleanup`: delete expired result files and old finished jobs, slots and task rows."""
    now = timezone.now()
    expired = 0
    holding = ~Q(result_file="") | Q(params__inputs__0__isnull=False)
    for job in Job.objects.filter(holding, expires_at__lt=now).only("pk", "result_file", "params"):
        _delete_files(job)
        expired += 1
    cutoff = now - KEEP_FINISHED
    old_jobs = Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=cutoff)
    for job in old_jobs.only("pk", "result_file", "params"):
        _delete_files(job)
    jobs_deleted, _detail = old_jobs.delete()
    slots_deleted, _detail = ScheduleSlot.objects.filter(slot__lt=cutoff).delete()
    tasks_deleted, _detail = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    beats_deleted, _detail = WorkerBeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return {
        "expired_files": expired,
        "jobs": jobs_deleted,
        "slots": slots_deleted,
        "tasks": tasks_deleted,
        "workers": beats_deleted,
    }


def _delete_files(job: Job) -> None:
    """The job's result file and the inputs it kept (params["inputs"], e.g. an uploaded workbook)."""
    inputs = job.params.get("inputs", [])
    for path in [job.result_file, *inputs]:
        if path:
            default_storage.delete(path)
    params = {**job.params, "inputs": []} if inputs else job.params
    Job.objects.filter(pk=job.pk).update(result_file="", params=params)


# ---------------------------------------------------------------- schedules


@dataclass(frozen=True)
class Due:
    name: str
    job: str
    every: timedelta
    offset: timedelta
    params: dict


def schedules() -> list[Due]:
    """Every schedule: one per declared sweep (job kind `core.sweep`) and those declared with `c.schedule`."""
    registry = contract.registry()
    found = [
        Due(f"sweep:{name}", SWEEP, sweep.every, timedelta(0), {"sweep": name})
        for name, sweep in registry.sweeps.items()
    ]
    found += [Due(s.name, s.job, s.every, s.offset, dict(s.params)) for s in registry.schedules.values()]
    return found


def slot_start(every: timedelta, offset: timedelta, now: datetime) -> datetime:
    """The start of the slot that contains `now`: local midnight of SLOT_ORIGIN + offset + k × every."""
    origin = timezone.make_aware(SLOT_ORIGIN) + offset
    return origin + ((now - origin) // every) * every


def tick(*, now: datetime | None = None, worker_id: str = "inline", seen: dict | None = None) -> list[Job]:
    """Claim the current slot of every schedule not yet claimed and enqueue its job; returns the jobs.

    `seen` (schedule → slot) lets a long-running scheduler skip the slots it already tried."""
    now = now or timezone.now()
    started = []
    for due in schedules():
        slot = slot_start(due.every, due.offset, now)
        if seen is not None and seen.get(due.name) == slot:
            continue
        try:
            with transaction.atomic():
                claim = ScheduleSlot.objects.create(
                    schedule=due.name, slot=slot, claimed_at=now, claimed_by=worker_id
                )
                kind_label = kinds()[due.job].label
                label = _("%(kind)s（定时 %(name)s）") % {"kind": kind_label, "name": due.name}
                job = enqueue(due.job, label=label, params=due.params, priority=10)
                ScheduleSlot.objects.filter(pk=claim.pk).update(job=job)
        except IntegrityError:
            pass  # another scheduler claimed this slot
        else:
            started.append(job)
        if seen is not None:
            seen[due.name] = slot
    return started


# ---------------------------------------------------------------- heartbeat and reaper


def dead_after() -> timedelta:
    return timedelta(seconds=max(settings.ANLAN_WORKER_DEAD_SECONDS, 1))


def beat(worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "host": socket.gethostname()[:200],
                "pid": os.getpid(),
                "started_at": now,
                "beat_at": now,
            },
        )


def reap(*, now: datetime | None = None) -> dict[str, int]:
    """Re-queue the running jobs of dead workers (fail them after MAX_ATTEMPTS runs) and fail their tasks."""
    now = now or timezone.now()
    alive = set(
        WorkerBeat.objects.filter(beat_at__gte=now - dead_after()).values_list("worker_id", flat=True)
    )
    requeued = failed = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING).exclude(worker_id__in=alive):
        current = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempt=job.attempt)
        with transaction.atomic():
            if job.attempt >= MAX_ATTEMPTS:
                message = _("执行进程连续 %(n)d 次中断，任务已停止。") % {"n": job.attempt}
                if current.update(status=Job.Status.FAILED, finished_at=now, error=message):
                    failed += 1
                    logger.warning(
                        "job %s of dead worker %s failed after %s runs", job.pk, job.worker_id, job.attempt
                    )
                    job.refresh_from_db()
                    contract.emit("core.job_finished", job=job)
            elif current.update(status=Job.Status.QUEUED, worker_id=""):
                requeued += 1
                logger.warning("job %s of dead worker %s re-queued", job.pk, job.worker_id)
                _put_on_queue(job, priority=5)
    # The dead workers' task rows would stay RUNNING for ever: close them (their jobs were handled above).
    orphaned = 0
    for row in DBTaskResult.objects.running().only("pk", "worker_ids"):
        last = row.worker_ids[-1] if row.worker_ids else ""
        if last not in alive:
            orphaned += DBTaskResult.objects.filter(pk=row.pk, status="RUNNING").update(
                status="FAILED",
                finished_at=now,
                exception_class_path="anlan.core.jobs.WorkerDied",
                traceback=f"worker {last} stopped sending heartbeats; the reaper closed this task",
            )
    return {"requeued": requeued, "failed": failed, "tasks_closed": orphaned}


class Housekeeper(threading.Thread):
    """Beside a worker's task loop: heartbeat, schedule ticks and the reaper, every few seconds."""

    def __init__(self, worker_id: str, *, scheduler: bool = True, log: Callable[[str], None] | None = None):
        super().__init__(name=f"anlan-housekeeper-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.scheduler = scheduler
        self.log = log or logger.info
        self.stopping = threading.Event()
        self.seen: dict = {}

    def run(self) -> None:
        interval = max(dead_after().total_seconds() / 6, 0.2)
        while not self.stopping.is_set():
            try:
                self.once()
            except Exception:  # a failed round must not stop the heartbeat; the next round retries
                logger.exception("worker housekeeping failed")
            finally:
                close_old_connections()
            self.stopping.wait(interval)

    def once(self) -> None:
        beat(self.worker_id)
        if self.scheduler:
            for job in tick(worker_id=self.worker_id, seen=self.seen):
                self.log(f"scheduled {job.label} (job {job.pk})")
        reaped = reap()
        if any(reaped.values()):
            self.log(f"reaper: {reaped}")
