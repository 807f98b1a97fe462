"""Points as a user's scope allows, and the monitors a warning's list reaches (a system read)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anlan.core.selectors import access

from ..models import Observation, Patrol, Point


def point_list(user) -> QuerySet[Point]:
    return Point.objects.for_user(user).select_related("region")


def access_point(user, pk, *, for_update: bool = False) -> Point:
    return access(Point.objects.select_related("region"), user, pk, for_update=for_update)


def observations(user, point: Point) -> QuerySet[Observation]:
    return Observation.objects.for_user(user).filter(point=point).select_related("recorded_by")


def monitor_contacts(low: str, high: str) -> list[tuple[str, str, str, str]]:
    """(monitor, phone, region code, point name) of the active points in a region subtree — its codes between
    `low` and `high` (core.rules.subtree_bounds) — for a warning's recipient list (the 群测群防员 have no account:
    they confirm by the SMS link)."""
    rows = Point.objects.filter(is_active=True, region_id__gte=low, region_id__lte=high).exclude(
        monitor_phone=""
    )
    return list(rows.order_by("pk").values_list("monitor_name", "monitor_phone", "region_id", "name"))


def patrol_list(user) -> QuerySet[Patrol]:
    return Patrol.objects.for_user(user).select_related("point", "point__region", "warning")


def access_patrol(user, pk, *, for_update: bool = False) -> Patrol:
    return access(
        Patrol.objects.select_related("point", "point__region", "warning"), user, pk, for_update=for_update
    )


def progress(warning, *, now=None) -> dict:
    """巡查任务 of a warning: total, done, overdue (open past their time) — one SQL aggregate."""
    now = now or timezone.now()
    return Patrol.objects.filter(warning=warning).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(done_at__isnull=False)),
        overdue=Count("pk", filter=Q(done_at__isnull=True, due_at__lt=now)),
    )


def my_open_patrols(user) -> QuerySet[Patrol]:
    """The open patrols a user may report (the 待办)."""
    from anlan.core.permissions import has_right

    if not has_right(user, "warnings.observe_points"):
        return Patrol.objects.none()
    return Patrol.objects.for_user(user, "warnings.observe_points").filter(done_at__isnull=True)
