"""Scoped reads of 自查自改: checklists, runs and their results, missed periods; the supervisors' compliance list
(one SQL query over the enterprises in scope: periods done and missed over the last 30 and 90 days, the last run);
an enterprise's compliance (its page's panel) and its month calendar; the enterprise's 待办; and the kernel
attribute `risk.selfcheck_missing` (one aggregate query per chunk of ids)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from anlan.core.contract import TodoItem
from anlan.core.models import Enterprise
from anlan.core.selectors import IdIn, access

from .. import rules
from ..data import selfcheck as data
from ..models import Checklist, ChecklistItem, MissedPeriod, RunResult, SelfInspectionRun
from ..models.selfcheck import RECORD_SELFCHECK

CHUNK = 5000


# ---------------------------------------------------------------- lists and records


def checklist_list(user, action: str | None = None) -> QuerySet[Checklist]:
    return Checklist.objects.for_user(user, action).select_related("enterprise", "enterprise__region")


def access_checklist(user, pk, *, for_update: bool = False) -> Checklist:
    return access(
        Checklist.objects.select_related("enterprise", "enterprise__region"), user, pk, for_update=for_update
    )


def items_of(checklist: Checklist, *, active_only: bool = True) -> QuerySet[ChecklistItem]:
    items = ChecklistItem.objects.filter(checklist=checklist)
    return items.filter(is_active=True) if active_only else items


def run_list(user, action: str | None = None) -> QuerySet[SelfInspectionRun]:
    return SelfInspectionRun.objects.for_user(user, action).select_related(
        "checklist", "enterprise", "enterprise__region"
    )


def access_run(user, pk) -> SelfInspectionRun:
    return access(
        SelfInspectionRun.objects.select_related("checklist", "enterprise", "inspector", "recorded_by"),
        user,
        pk,
    )


def results_of(run: SelfInspectionRun) -> QuerySet[RunResult]:
    return RunResult.objects.filter(run=run).select_related("item", "hazard").order_by("item__order", "pk")


def runs_of(user, checklist: Checklist) -> QuerySet[SelfInspectionRun]:
    return run_list(user).filter(checklist=checklist)


def missed_of(user, checklist: Checklist) -> QuerySet[MissedPeriod]:
    return MissedPeriod.objects.for_user(user).filter(checklist=checklist, made_up_on__isnull=True)


def enterprise_checklists(user, enterprise) -> QuerySet[Checklist]:
    return checklist_list(user).filter(enterprise=enterprise)


# ---------------------------------------------------------------- compliance (SQL aggregates)


def _count(queryset, outer: str = "pk"):
    """A correlated COUNT of `queryset`'s rows per enterprise, 0 when none."""
    counted = (
        queryset.filter(enterprise=OuterRef(outer)).order_by().values("enterprise").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), Value(0))


def window(today: date, days: int) -> tuple[date, date]:
    """The periods compared over the last `days` days: those that ended from `today - days` to yesterday."""
    return today - timedelta(days=days), today - timedelta(days=1)


def _done(today: date, days: int):
    first, last = window(today, days)
    return SelfInspectionRun.objects.filter(is_counted=True, period_end__gte=first, period_end__lte=last)


def _missed(today: date, days: int):
    first, last = window(today, days)
    return MissedPeriod.objects.filter(made_up_on__isnull=True, period_end__gte=first, period_end__lte=last)


def _rate(done: str, due: str):
    return Case(
        When(**{due: 0}, then=Value(None, output_field=FloatField())),
        default=Cast(F(done), FloatField()) * 100.0 / Cast(F(due), FloatField()),
        output_field=FloatField(),
    )


def with_compliance(enterprises: QuerySet[Enterprise], today: date) -> QuerySet[Enterprise]:
    """Enterprises annotated with `checklists` (active), `done_30/90`, `missed_30/90`, `due_30/90`, `rate_30/90`
    (None when nothing was due) and `last_run` — correlated subqueries in one SQL statement."""
    annotations = {
        "checklists": _count(Checklist.objects.filter(is_active=True)),
        "last_run": Subquery(
            SelfInspectionRun.objects.filter(enterprise=OuterRef("pk"))
            .order_by()
            .values("enterprise")
            .annotate(last=Max("done_on"))
            .values("last")[:1]
        ),
    }
    for days in data.COMPLIANCE_WINDOWS:
        annotations[f"done_{days}"] = _count(_done(today, days))
        annotations[f"missed_{days}"] = _count(_missed(today, days))
    queryset = enterprises.annotate(**annotations)
    queryset = queryset.annotate(
        **{f"due_{d}": F(f"done_{d}") + F(f"missed_{d}") for d in data.COMPLIANCE_WINDOWS}
    )
    return queryset.annotate(**{f"rate_{d}": _rate(f"done_{d}", f"due_{d}") for d in data.COMPLIANCE_WINDOWS})


def compliance_list(user, today: date | None = None, action: str | None = None) -> QuerySet[Enterprise]:
    """Operating enterprises in the user's scope with their self-inspection compliance (the supervisors' page),
    worst 90-day rate first by default (none due last)."""
    today = today or timezone.localdate()
    enterprises = (
        Enterprise.objects.for_user(user, action)
        .filter(status=Enterprise.Status.OPERATING)
        .select_related("region", "industry")
    )
    return with_compliance(enterprises, today).order_by(F("rate_90").asc(nulls_last=True), "-missed_90", "pk")


@dataclass(frozen=True)
class EnterpriseCompliance:
    checklists: int
    done_30: int
    due_30: int
    rate_30: float | None
    done_90: int
    due_90: int
    rate_90: float | None
    missed_90: int
    last_run: date | None
    missed: list = field(default_factory=list)


def enterprise_compliance(user, enterprise, today: date | None = None) -> EnterpriseCompliance:
    """One enterprise's figures (the caller has checked it is in scope) and its latest missed periods."""
    today = today or timezone.localdate()
    row = with_compliance(Enterprise.objects.filter(pk=enterprise.pk), today).get()
    first, _last = window(today, data.ATTRIBUTE_WINDOW_DAYS)
    missed = list(
        MissedPeriod.objects.for_user(user)
        .filter(enterprise=enterprise, made_up_on__isnull=True, period_end__gte=first)
        .select_related("checklist")[:8]
    )
    return EnterpriseCompliance(
        checklists=row.checklists,
        done_30=row.done_30,
        due_30=row.due_30,
        rate_30=row.rate_30,
        done_90=row.done_90,
        due_90=row.due_90,
        rate_90=row.rate_90,
        missed_90=row.missed_90,
        last_run=row.last_run,
        missed=missed,
    )


# ---------------------------------------------------------------- the month calendar


@dataclass
class Day:
    day: date
    in_month: bool
    runs: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # checklists with a missed period containing this day
    is_today: bool = False
    is_future: bool = False


def month_calendar(user, enterprise, year: int, month: int, today: date) -> list[list[Day]]:
    """The month as weeks (Monday first) of days, each with the runs done that day and the checklists whose whole
    period containing the day went without a run (rules.missing_periods over the month's weeks) — the gaps."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    grid_start = first - timedelta(days=first.weekday())
    grid_end = rules.week_end(last)
    checklists = list(enterprise_checklists(user, enterprise).filter(starts_on__lte=grid_end))
    runs = list(
        run_list(user)
        .filter(enterprise=enterprise, done_on__gte=grid_start - timedelta(days=31), done_on__lte=grid_end)
        .order_by("done_on", "pk")
    )
    days = {}
    cursor = grid_start
    while cursor <= grid_end:
        days[cursor] = Day(cursor, cursor.month == month, is_today=cursor == today, is_future=cursor > today)
        cursor += timedelta(days=1)
    for run in runs:
        if run.done_on in days:
            days[run.done_on].runs.append(run)
    yesterday = today - timedelta(days=1)
    for checklist in checklists:
        if not checklist.is_active:
            continue
        run_days = [run.done_on for run in runs if run.checklist_id == checklist.pk]
        period_start = rules.period_of(checklist.frequency, grid_start).start
        start = max(checklist.starts_on, period_start)
        for period in rules.missing_periods(checklist.frequency, start, min(grid_end, yesterday), run_days):
            cursor = max(period.start, grid_start)
            while cursor <= min(period.end, grid_end):
                days[cursor].missing.append(checklist)
                cursor += timedelta(days=1)
    ordered = [days[key] for key in sorted(days)]
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]


# ---------------------------------------------------------------- the enterprise's 待办


def _current_period_q(today: date) -> Q:
    """Active checklists whose period containing today has begun for them, ends this week, and has no run yet."""
    condition = Q()
    for frequency in data.FREQUENCIES:
        if not rules.due_soon(frequency, today):
            continue
        period = rules.period_of(frequency, today)
        ran = SelfInspectionRun.objects.filter(checklist=OuterRef("pk"), period_start=period.start)
        condition |= Q(frequency=frequency, starts_on__lte=period.start) & ~Q(Exists(ran))
    return condition


def due_checklists(user, today: date | None = None) -> QuerySet[Checklist]:
    """自查待办: the user's active checklists due today or this week with no run in the current period."""
    today = today or timezone.localdate()
    condition = _current_period_q(today)
    if not condition:
        return Checklist.objects.none()
    return (
        Checklist.objects.for_user(user, RECORD_SELFCHECK)
        .filter(is_active=True)
        .filter(condition)
        .order_by("frequency", "name", "pk")
    )


def todo_url(user) -> str:
    return reverse("risk:selfcheck-checklist-list") + "?due=true"


def todo_items(rows, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    return [
        TodoItem(
            title=f"{c.name}（{c.post}）",
            url=reverse("risk:selfcheck-run-create", args=[c.pk]),
            due=rules.period_of(c.frequency, today).end,
            note=str(c.get_frequency_display()),
        )
        for c in rows[:limit]
    ]


# ---------------------------------------------------------------- the kernel attribute


def _chunks(ids):
    ids = sorted({int(pk) for pk in ids})
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def selfcheck_missing(enterprise_ids, today: date | None = None) -> dict[int, int]:
    """`risk.selfcheck_missing`: for each enterprise with a checklist, the periods missed (not made up) that ended
    in the last 90 days; enterprises with no checklist are absent. One aggregate query per chunk of ids."""
    today = today or timezone.localdate()
    first, last = window(today, data.ATTRIBUTE_WINDOW_DAYS)
    found: dict[int, int] = {}
    in_window = Q(
        missed_periods__made_up_on__isnull=True,
        missed_periods__period_end__gte=first,
        missed_periods__period_end__lte=last,
    )
    for chunk in _chunks(enterprise_ids):
        rows = (
            Checklist.objects.filter(IdIn("enterprise_id", chunk))
            .order_by()
            .values("enterprise_id")
            .annotate(missing=Count("missed_periods", filter=in_window))
            .values_list("enterprise_id", "missing")
        )
        found.update(dict(rows))
    return found
