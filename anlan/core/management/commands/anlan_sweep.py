"""`manage.py anlan_sweep`: run every registered deadline sweep once (see anlan/core/sweeps.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anlan.core import sweeps


class Command(BaseCommand):
    help = "Run the deadline sweeps once: flag overdue records, send reminders and escalations (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--only", default="", help="comma-separated sweep names (default: all)")

    def handle(self, *args, only, **options):
        run_sweeps(self.stdout, only)


def run_sweeps(stdout, only: str = "") -> dict:
    """Run the sweeps named in `only` (comma-separated; all when empty) and log one line per sweep."""
    names = [part.strip() for part in only.split(",") if part.strip()]
    missing = sweeps.unknown(names)
    if missing:
        raise CommandError(f"unknown sweep(s): {', '.join(missing)}")
    now = timezone.now()
    results = sweeps.run_all(today=timezone.localdate(now), now=now, only=names or None, stdout=stdout)
    for name, counts in results.items():
        summary = ", ".join(f"{key}={value}" for key, value in counts.items()) or "-"
        stdout.write(f"{now:%Y-%m-%d %H:%M:%S} sweep {name}: {summary}")
    return results
