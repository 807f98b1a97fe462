"""`manage.py anlan_worker`: run the deadline sweeps every N seconds (several workers may run at once)."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from .anlan_sweep import run_sweeps


class Command(BaseCommand):
    help = "Loop the deadline sweeps every --interval seconds; --once runs them a single time."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=300, help="seconds between runs (default 300)")
        parser.add_argument("--once", action="store_true", help="run the sweeps once and exit")
        parser.add_argument("--only", default="", help="comma-separated sweep names (default: all)")

    def handle(self, *args, interval, once, only, **options):
        while True:
            try:
                run_sweeps(self.stdout, only)
            except Exception as exc:  # a failing run must not stop the worker; the next one retries
                self.stderr.write(f"sweep failed: {type(exc).__name__}: {exc}")
                if once:
                    raise
            if once:
                return
            # Between runs, like Django between requests: drop a connection that broke or aged out.
            close_old_connections()
            time.sleep(max(interval, 1))
