"""Scoped reads of materials: warehouses, items, movements, the alerts, and "the nearest N of X to this point"
answered from the database (a bounding box on the indexed point, widened until it holds N items within its
radius, then the exact great-circle distance on those few)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anlan.core.selectors import access

from .. import rules
from ..models import MaterialItem, StockMovement, Warehouse

LOW = "low_stock"
EXPIRING = "expiring"
EXPIRED = "expired"
MAINTENANCE = "maintenance"
ALERT_LABELS = {
    LOW: _("低于最低储备量"),
    EXPIRING: _("30天内到期"),
    EXPIRED: _("已过期"),
    MAINTENANCE: _("7天内应维护保养或已逾期"),
}
START_KM = 5.0
MAX_KM = 2500.0


def access_warehouse(user, pk, *, for_update: bool = False) -> Warehouse:
    return access(Warehouse.objects.select_related("owner", "region"), user, pk, for_update=for_update)


def access_item(user, pk) -> MaterialItem:
    return access(MaterialItem.objects.select_related("owner", "warehouse", "region"), user, pk)


def warehouse_list(user) -> QuerySet:
    return Warehouse.objects.for_user(user).select_related("owner", "region")


def item_list(user) -> QuerySet:
    return MaterialItem.objects.for_user(user).select_related("warehouse", "owner")


def movements(item: MaterialItem, limit: int = 50) -> list[StockMovement]:
    return list(item.movements.select_related("moved_by")[:limit])


def alert_querysets(items: QuerySet, today: date) -> dict[str, QuerySet]:
    """Each alert condition as a filter (SQL) on `items`."""
    return {
        LOW: items.filter(quantity__lt=F("minimum_stock")),
        EXPIRING: items.filter(
            expires_on__gte=today, expires_on__lte=today + timedelta(days=rules.EXPIRY_SOON_DAYS)
        ),
        EXPIRED: items.filter(expires_on__lt=today, quantity__gt=0),
        MAINTENANCE: items.filter(
            maintenance_due_on__lte=today + timedelta(days=rules.MAINTENANCE_SOON_DAYS)
        ),
    }


def alert_date(item: MaterialItem, condition: str):
    """What makes an alert new again: the expiry or due date, or for low stock the day it was last changed."""
    if condition in (EXPIRING, EXPIRED):
        return item.expires_on
    if condition == MAINTENANCE:
        return item.maintenance_due_on
    return item.updated_at.date()


def alerts(user, today: date, condition: str = "") -> tuple[QuerySet, dict[str, int]]:
    items = item_list(user)
    found = alert_querysets(items, today)
    counts = {key: qs.count() for key, qs in found.items()}
    if condition in found:
        return found[condition], counts
    combined = Q()
    for qs in found.values():
        combined |= Q(pk__in=qs.values("pk"))
    return items.filter(combined), counts


@dataclass
class Nearby:
    item: MaterialItem
    distance_km: float


def nearest(
    user, *, latitude: float, longitude: float, n: int = 10, category: str = "", name: str = ""
) -> list[Nearby]:
    """The `n` items in stock nearest to the point (in the user's scope), nearest first."""
    items = MaterialItem.objects.for_user(user).filter(quantity__gt=0)
    if category:
        items = items.filter(category=category)
    if name:
        items = items.filter(name__icontains=name)
    km = START_KM
    while True:
        low_lat, high_lat, low_lng, high_lng = rules.bounding_box(latitude, longitude, km)
        boxed = items
        if km < MAX_KM:  # beyond it, every item (a point far from all warehouses)
            boxed = items.filter(
                latitude__gte=Decimal(str(round(low_lat, 6))),
                latitude__lte=Decimal(str(round(high_lat, 6))),
                longitude__gte=Decimal(str(round(low_lng, 6))),
                longitude__lte=Decimal(str(round(high_lng, 6))),
            )
        found = sorted(
            (
                Nearby(
                    item, rules.haversine_km(latitude, longitude, float(item.latitude), float(item.longitude))
                )
                for item in boxed.select_related("warehouse")
            ),
            key=lambda near: (near.distance_km, near.item.pk),
        )
        within = [near for near in found if near.distance_km <= km]
        if len(within) >= n:
            return within[:n]
        if km >= MAX_KM:
            return found[:n]
        km *= 4


def my_alerts(user) -> QuerySet:
    """To-do: the items in alert in the warehouses of the units the user acts for."""
    if not getattr(user, "is_authenticated", False):
        return MaterialItem.objects.none()
    from django.utils import timezone

    from .duty import member_units

    mine = item_list(user).filter(owner__in=member_units(user))
    found = alert_querysets(mine, timezone.localdate())
    combined = Q()
    for qs in found.values():
        combined |= Q(pk__in=qs.values("pk"))
    return mine.filter(combined).order_by("expires_on", "maintenance_due_on", "pk")


def alert_todo_items(rows, limit):
    from django.urls import reverse

    from anlan.core.contract import TodoItem

    return [
        TodoItem(
            f"{item.name}（{item.warehouse.name}）", reverse("emergency:material-item-detail", args=[item.pk])
        )
        for item in rows[:limit]
    ]
