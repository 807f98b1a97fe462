"""Real worker processes (`manage.py anlan_worker`) on the suite's database, SQLite and PostgreSQL alike:
two schedulers run each slot once, and a worker killed mid-job is recovered by the other's reaper so that
the job finishes once. The workers use tests/settings_worker.py (the test job module, file storage) and
append each finished run to a log the test reads."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from anlan.core import jobs

# serialized_rollback: the reference data of the migrations (regions, industries) comes back after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(settings.BASE_DIR)


class Database:
    """The database the workers share: PostgreSQL's test database itself; for SQLite, a file copy of the
    in-memory test database (made with SQLite's online backup once the test has set it up)."""

    def __init__(self, tmp_path: Path):
        self.sqlite_file = tmp_path / "workers.sqlite3" if connection.vendor == "sqlite" else None

    def publish(self) -> str:
        """Make what the test wrote visible to other processes; returns their DATABASE_URL."""
        if self.sqlite_file is None:
            params = connection.settings_dict
            password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
            port = f":{params['PORT']}" if params.get("PORT") else ""
            return f"postgres://{params['USER']}{password}@{params['HOST']}{port}/{params['NAME']}"
        connection.ensure_connection()
        with sqlite3.connect(self.sqlite_file) as target:
            connection.connection.backup(target)
            copied = target.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'core_job'").fetchone()[
                0
            ]
        assert copied, f"the test database {connection.settings_dict['NAME']!r} was not copied"
        return f"sqlite:///{self.sqlite_file}"

    def rows(self, sql: str) -> list[tuple]:
        if self.sqlite_file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        with sqlite3.connect(self.sqlite_file, timeout=20) as db:
            return db.execute(sql).fetchall()


def _start(url: str, logs: Path, name: str, *extra: str, dead_after: int = 30) -> subprocess.Popen:
    """A worker process; `dead_after` is its ANLAN_WORKER_DEAD_SECONDS (short only where a test kills one:
    under load a heartbeat can wait on SQLite's write lock, and a live worker must not look dead)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
        "DATABASE_URL": url,
        "ANLAN_WORKER_DEAD_SECONDS": str(dead_after),
        "ANLAN_MEDIA_ROOT": str(logs / "media"),
        "ANLAN_BACKUP_DIR": str(logs / "backups"),
        "JOB_LOG_DIR": str(logs),
    }
    command = [sys.executable, "manage.py", "anlan_worker", "--worker-id", name, "--interval", "0.1", *extra]
    log = logs / f"{name}.out"
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    worker.log = log  # its output, for the message of a wait that times out
    return worker


def _wait(predicate, timeout: float, what: str, workers=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    outputs = "\n".join(f"--- {w.args[5]}\n{w.log.read_text()[-2000:]}" for w in workers)
    raise AssertionError(f"timed out waiting for {what}\n{outputs}")


def _stop(*workers: subprocess.Popen) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.fixture
def database(tmp_path):
    return Database(tmp_path)


def test_two_schedulers_run_each_slot_once(job_module, database, tmp_path):
    url = database.publish()
    workers = [_start(url, tmp_path, "one"), _start(url, tmp_path, "two")]
    try:
        _wait(
            lambda: (
                database.rows(
                    "SELECT COUNT(*) FROM core_job WHERE kind = 'job_module.steps' AND status = 'succeeded'"
                )[0][0]
                >= 4
            ),
            90,
            "four scheduled runs",
            workers,
        )
    finally:
        _stop(*workers)

    slots = database.rows("SELECT schedule, slot, job_id FROM core_scheduleslot")
    per_slot = Counter((schedule, slot) for schedule, slot, _job in slots)
    assert per_slot and max(per_slot.values()) == 1
    ticks = [job for schedule, _slot, job in slots if schedule == "job_module.tick"]
    assert len(ticks) >= 4
    # Every hourly sweep was scheduled once although both workers ticked.
    assert Counter(schedule for schedule, _slot, _job in slots)["sweep:hazards"] == 1
    runs = (tmp_path / "ticks.log").read_text().split()
    finished = {
        row[0]
        for row in database.rows(
            "SELECT id FROM core_job WHERE kind = 'job_module.steps' AND status = 'succeeded'"
        )
    }
    assert Counter(runs) == Counter(f"{pk}:1" for pk in finished)  # each finished job ran once, first time
    assert set(finished) <= set(ticks)


def test_a_worker_killed_mid_job_is_recovered_and_the_job_finishes_once(job_module, database, tmp_path):
    job = jobs.enqueue("job_module.steps", params={"steps": 30, "pause": 0.2, "log_name": "killed"})
    url = database.publish()
    workers = {
        name: _start(url, tmp_path, name, "--no-scheduler", dead_after=4) for name in ("first", "second")
    }

    def running_on() -> str:
        rows = database.rows(f"SELECT worker_id, progress_done FROM core_job WHERE id = {job.pk}")
        worker, done = rows[0]
        return worker if worker and done >= 2 else ""

    try:
        _wait(running_on, 60, "the job to start", workers.values())
        victim = running_on()
        workers[victim].send_signal(signal.SIGKILL)
        workers[victim].wait()
        survivor = next(name for name in workers if name != victim)

        def finished() -> bool:
            return database.rows(f"SELECT status FROM core_job WHERE id = {job.pk}")[0][0] == "succeeded"

        _wait(finished, 90, "the job to finish on the surviving worker", workers.values())
    finally:
        _stop(*workers.values())

    status, attempt, worker, done, total = database.rows(
        f"SELECT status, attempt, worker_id, progress_done, progress_total FROM core_job WHERE id = {job.pk}"
    )[0]
    assert (status, attempt, worker, done, total) == ("succeeded", 2, survivor, 30, 30)
    assert (tmp_path / "killed.log").read_text().split() == [f"{job.pk}:2"]
    tasks = Counter(
        status for (status,) in database.rows(f"SELECT status FROM {DBTaskResult._meta.db_table}")
    )
    assert tasks == {"FAILED": 1, "SUCCESSFUL": 1}  # the dead worker's task was closed, not left running
