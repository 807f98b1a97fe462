"""Load the shipped working-day calendar years from anlan/core/data/calendar/*.json (see the README there).

2026 only: the 2027 notice was not published when the data was compiled, so 2027 is missing like any other
year until a county imports it (`manage.py anlan_calendar import FILE`)."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "calendar"
SHIPPED = (2026,)


def load(apps, schema_editor):
    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    for year in SHIPPED:
        data = json.loads((DATA / f"{year}.json").read_text(encoding="utf-8"))
        if CalendarYear.objects.filter(year=data["year"]).exists():
            continue
        row = CalendarYear.objects.create(
            year=data["year"],
            source=data["source"],
            published_on=date.fromisoformat(data["published_on"]) if data.get("published_on") else None,
        )
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar_year=row, date=date.fromisoformat(d["date"]), kind=d["kind"], name=d.get("name", ""))
            for d in data["days"]
        )


def unload(apps, schema_editor):
    apps.get_model("core", "CalendarYear").objects.filter(year__in=SHIPPED).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0005_backfill_units_and_people")]
    operations = [migrations.RunPython(load, unload)]
