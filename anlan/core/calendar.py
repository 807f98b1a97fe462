"""The working-day calendar (工作日): official holidays and make-up working days as data a county can update.

Every "N个工作日" deadline goes through `add_working_days` / `working_days_between` here, which load the years
the span touches and refuse — `CALENDAR_YEAR_MISSING`, naming the year — when one of them has no
`CalendarYear`: a deadline is never computed on a guessed calendar. The counting itself is the pure rule
`rules.add_working_days` (the start day does not count). Years are loaded from a JSON file by
`import_year` (the `anlan_calendar import FILE` command, the format in anlan/core/data/calendar/README.md) or
edited in the admin.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from . import rules
from .errors import DomainError, ErrorCode
from .models import CalendarDay, CalendarYear


class Calendar:
    """The holidays and make-up working days of the years loaded so far; loads a year when first asked."""

    def __init__(self):
        self.years: set[int] = set()
        self.holidays: set[date] = set()
        self.workdays: set[date] = set()

    def load(self, *years: int) -> None:
        wanted = sorted(set(years) - self.years)
        if not wanted:
            return
        present = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
        missing = [year for year in wanted if year not in present]
        if missing:
            raise DomainError(
                ErrorCode.CALENDAR_YEAR_MISSING,
                _("缺少%(year)d年的节假日安排，无法计算工作日，请先导入该年度国务院办公厅的放假通知。")
                % {"year": missing[0]},
                field="__all__",
            )
        # By date, not by notice: a notice may move a working day into the year before (e.g. 12月30日上班).
        rows = CalendarDay.objects.filter(date__year__in=wanted).values_list("date", "kind")
        for day, kind in rows:
            (self.holidays if kind == CalendarDay.Kind.HOLIDAY else self.workdays).add(day)
        self.years.update(wanted)

    def add_working_days(self, start: date, n: int) -> date:
        self.load(start.year)
        while True:
            result = rules.add_working_days(start, n, holidays=self.holidays, workdays=self.workdays)
            beyond = [year for year in range(start.year, result.year + 1) if year not in self.years]
            if not beyond:
                return result
            # The span reached a year not loaded yet: load it (or refuse) and count again.
            self.load(*beyond)

    def working_days_between(self, start: date, end: date) -> int:
        if end > start:
            self.load(*range(start.year, end.year + 1))
        return rules.working_days_between(start, end, holidays=self.holidays, workdays=self.workdays)

    def is_working_day(self, day: date) -> bool:
        self.load(day.year)
        return rules.is_working_day(day, holidays=self.holidays, workdays=self.workdays)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (`start` does not count; see rules.add_working_days)."""
    return Calendar().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """The working days in (start, end] (see rules.working_days_between)."""
    return Calendar().working_days_between(start, end)


def is_working_day(day: date) -> bool:
    return Calendar().is_working_day(day)


# ---------------------------------------------------------------- loading a year


def _invalid(message) -> DomainError:
    return DomainError(ErrorCode.CALENDAR_DATA_INVALID, message, field="days")


def parse_year(data: dict) -> tuple[int, str, date | None, list[tuple[date, str, str]]]:
    """Check a year's data (the JSON format of anlan/core/data/calendar) and return (year, source,
    published_on, [(date, kind, name)])."""
    try:
        year = int(data["year"])
        source = str(data["source"]).strip()
        published_on = date.fromisoformat(data["published_on"]) if data.get("published_on") else None
        days = [(date.fromisoformat(d["date"]), d["kind"], str(d.get("name", ""))) for d in data["days"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise _invalid(_("节假日数据格式错误：%(error)s") % {"error": exc}) from exc
    if not source:
        raise _invalid(_("请注明节假日安排的依据（通知名称和出处）。"))
    seen: set[date] = set()
    for day, kind, _name in days:
        if kind not in CalendarDay.Kind.values:
            raise _invalid(_("%(day)s 的类别“%(kind)s”无效。") % {"day": day, "kind": kind})
        if day in seen:
            raise _invalid(_("%(day)s 重复出现。") % {"day": day})
        seen.add(day)
        if abs(day.year - year) > 1:
            raise _invalid(_("%(day)s 不属于%(year)d年的安排。") % {"day": day, "year": year})
        if kind == CalendarDay.Kind.MAKEUP_WORKDAY and day.weekday() < 5:
            raise _invalid(_("%(day)s 是工作日，不需要调休上班。") % {"day": day})
    return year, source, published_on, days


@transaction.atomic
def import_year(data: dict) -> CalendarYear:
    """Create or replace one year's holidays and make-up working days (admin-level set-up: the command
    `anlan_calendar import` and the admin are the only callers)."""
    year, source, published_on, days = parse_year(data)
    row, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source, "published_on": published_on}
    )
    row.days.all().delete()
    taken = CalendarDay.objects.filter(date__in=[day for day, _kind, _name in days])
    if taken.exists():
        clash = taken.select_related("calendar_year").first()
        raise _invalid(
            _("%(day)s 已在%(other)d年的安排中。") % {"day": clash.date, "other": clash.calendar_year.year}
        )
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar_year=row, date=day, kind=kind, name=name) for day, kind, name in days
    )
    return row
