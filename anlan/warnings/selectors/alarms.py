"""Alarms as a user's scope allows, and their statistics — SQL aggregates over the same scope."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from anlan.core.selectors import access

from .. import rules
from ..models import Alarm


def alarm_list(user) -> QuerySet[Alarm]:
    return Alarm.objects.for_user(user).select_related("enterprise", "enterprise__region")


def access_alarm(user, pk, *, for_update: bool = False) -> Alarm:
    return access(
        Alarm.objects.select_related("enterprise", "enterprise__region", "checked_by", "closed_by"),
        user,
        pk,
        for_update=for_update,
    )


def my_open_alarms(user) -> QuerySet[Alarm]:
    """The open alarms a user must handle (the 待办): their own enterprise's, received or being handled."""
    from anlan.core.permissions import has_right

    if not has_right(user, Alarm.TRANSITIONS[0].right):
        return Alarm.objects.none()
    return Alarm.objects.for_user(user, Alarm.TRANSITIONS[0].right).filter(
        status__in=(Alarm.Status.RECEIVED, Alarm.Status.CHECKED)
    )


def _minutes(duration) -> int | None:
    """A mean duration as whole minutes (None: nothing closed yet)."""
    return None if duration is None else int(duration.total_seconds() // 60)


HANDLING = ExpressionWrapper(F("closed_at") - F("raised_at"), output_field=DurationField())


def statistics(rows: QuerySet[Alarm], *, month_start: datetime, limit: int = 20) -> dict:
    """监测报警统计 of `rows` (a scoped, possibly filtered queryset): totals, this month, open, false alarms and the
    mean handling time in minutes (alarm → closure, closed alarms only), then counts by status, by kind and by enterprise
    (the `limit` with most alarms) — each one SQL aggregate."""
    totals = rows.aggregate(
        total=Count("pk"),
        this_month=Count("pk", filter=Q(raised_at__gte=month_start)),
        open=Count("pk", filter=Q(status__in=(Alarm.Status.RECEIVED, Alarm.Status.CHECKED))),
        false_alarms=Count("pk", filter=Q(status=Alarm.Status.FALSE_ALARM)),
        mean_handling=Avg(HANDLING, filter=Q(closed_at__isnull=False)),
    )
    by_status = dict(rows.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_kind = dict(rows.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    by_enterprise = list(
        rows.order_by()
        .values("enterprise_id", "enterprise__name", "enterprise__uscc")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=Q(status__in=(Alarm.Status.RECEIVED, Alarm.Status.CHECKED))),
            false_alarms=Count("pk", filter=Q(status=Alarm.Status.FALSE_ALARM)),
            mean_handling=Avg(HANDLING, filter=Q(closed_at__isnull=False)),
        )
        .order_by("-n", "enterprise__name")[:limit]
    )
    totals["mean_handling"] = _minutes(totals["mean_handling"])
    for row in by_enterprise:
        row["mean_handling"] = _minutes(row["mean_handling"])
    return {
        **totals,
        "by_status": [(code, label, by_status.get(code, 0)) for code, label in Alarm.Status.choices],
        "by_kind": [(code, label, by_kind[code]) for code, label in rules.ALARM_KINDS if code in by_kind],
        "by_enterprise": by_enterprise,
    }
