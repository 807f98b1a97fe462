"""`manage.py anlan_calendar import FILE`: load or replace one year of the working-day calendar from JSON
(the format of anlan/core/data/calendar/README.md); `anlan_calendar list` shows the years present."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anlan.core import calendar
from anlan.core.errors import DomainError
from anlan.core.models import CalendarYear


class Command(BaseCommand):
    help = "Import a year of official holidays and make-up working days (JSON), or list the years present."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="load or replace the year in FILE")
        load.add_argument("file", type=Path)
        sub.add_parser("list", help="list the years present")

    def handle(self, *args, action, **options):
        if action == "list":
            for row in CalendarYear.objects.order_by("year"):
                self.stdout.write(f"{row.year}\t{row.days.count()}\t{row.source}")
            return
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        try:
            row = calendar.import_year(data)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{row.year}: {row.days.count()} days loaded")
