"""`manage.py anlan_worker`: run background jobs (django-tasks-db's worker), the schedules and the reaper.

Several workers may run at once, on one machine or several (PostgreSQL): each task is claimed with
`SELECT … FOR UPDATE SKIP LOCKED` (an exclusive transaction on SQLite), each scheduled slot is claimed once,
and the jobs of a worker that stops beating are re-queued by the others (anlan/core/jobs.py).
"""

from __future__ import annotations

import logging
import os
import socket

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from anlan.core import jobs


class Command(BaseCommand):
    help = "Run background jobs, scheduled sweeps and the reaper; --batch works off what is due and exits."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls of an empty queue (default 1)"
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="claim the due schedule slots, run every queued job, then exit (cron-style use)",
        )
        parser.add_argument(
            "--no-scheduler", action="store_true", help="run jobs only; leave the schedules to other workers"
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many jobs")
        parser.add_argument("--worker-id", default="", help="unique worker id (default: host-pid-random)")

    def handle(self, *args, interval, batch, no_scheduler, max_tasks, worker_id, **options):
        worker_id = (worker_id or f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}")[:64]
        self._configure_logging(options["verbosity"])
        housekeeper = jobs.Housekeeper(worker_id, scheduler=not no_scheduler, log=self.stdout.write)
        housekeeper.once()  # beat before the first claim; the slots due now are enqueued at once
        self.stdout.write(f"Anlan worker {worker_id} started (scheduler {'off' if no_scheduler else 'on'}).")
        if batch:
            ran = jobs.work_off(worker_id)
            self.stdout.write(f"Ran {ran} job(s).")
            return
        worker = jobs.task_worker(worker_id, interval=interval, max_tasks=max_tasks)
        housekeeper.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            housekeeper.stopping.set()

    def _configure_logging(self, verbosity: int) -> None:
        level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
        for name in ("django_tasks", "django_tasks_db", "anlan.jobs"):
            logging.getLogger(name).setLevel(level)
