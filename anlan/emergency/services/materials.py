"""应急物资: warehouses and items kept by the unit that owns them; the quantity changes only through a movement
with its reason (locked, never below zero); maintenance moves the next due date on; the sweep tells owners of
low stock, expiry and maintenance once per item and condition."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core.audit import record_text
from anlan.core.errors import Code, DomainError
from anlan.core.records import save_with_history, validate
from anlan.core.selectors import access
from anlan.core.units import acts_for, members
from anlan.notifications.services import notify

from .. import rules
from ..models import MaterialItem, StockMovement, Warehouse
from ..selectors import materials as selectors

MANAGE = "emergency.manage_materials"
ITEM_FIELDS = (
    "category",
    "name",
    "specification",
    "unit",
    "minimum_stock",
    "expires_on",
    "maintenance_interval_days",
    "maintenance_due_on",
)


def _refuse(field: str, message) -> DomainError:
    return DomainError(Code.INVALID, message, field=field)


def _require_keeper(actor, unit) -> None:
    if not acts_for(actor, unit, MANAGE):
        raise PermissionDenied(_("只有仓库管理单位可以办理此事项。"))


@transaction.atomic
def save_warehouse(*, actor, data: dict, warehouse_pk=None) -> Warehouse:
    """Register or correct a warehouse of a unit the actor acts for; its point moves its items' with it."""
    if warehouse_pk is None:
        owner = data["owner"]
        _require_keeper(actor, owner)
        warehouse = Warehouse(owner=owner, region=data.get("region") or owner.region)
    else:
        warehouse = access(Warehouse.objects.select_related("owner"), actor, warehouse_pk, for_update=True)
        _require_keeper(actor, warehouse.owner)
        if data.get("region") is not None:
            warehouse.region = data["region"]
    for field in ("name", "kind", "address", "latitude", "longitude", "keeper", "keeper_phone", "is_active"):
        if field in data:
            setattr(warehouse, field, data[field])
    validate(warehouse)
    save_with_history(warehouse, actor, record_text(gettext_lazy("登记物资仓库")))
    warehouse.items.update(
        latitude=warehouse.latitude, longitude=warehouse.longitude, region=warehouse.region
    )
    return warehouse


@transaction.atomic
def save_item(*, actor, data: dict, warehouse_pk=None, item_pk=None) -> MaterialItem:
    """Register an item in a warehouse (with its opening stock, as a movement) or correct its description; the
    quantity itself changes only through movements."""
    if item_pk is None:
        warehouse = access(Warehouse.objects.select_related("owner"), actor, warehouse_pk)
        _require_keeper(actor, warehouse.owner)
        item = MaterialItem(
            warehouse=warehouse,
            owner=warehouse.owner,
            region=warehouse.region,
            latitude=warehouse.latitude,
            longitude=warehouse.longitude,
        )
    else:
        item = access(
            MaterialItem.objects.select_related("owner", "warehouse"), actor, item_pk, for_update=True
        )
        _require_keeper(actor, item.owner)
    for field in ITEM_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    if item.maintenance_interval_days and item.maintenance_due_on is None:
        item.maintenance_due_on = timezone.localdate() + timedelta(days=item.maintenance_interval_days)
    validate(item)
    save_with_history(item, actor, record_text(gettext_lazy("登记应急物资")))
    opening = data.get("opening_quantity")
    if item_pk is None and opening:
        move_stock(
            actor=actor,
            item_pk=item.pk,
            direction="in",
            amount=opening,
            reason="purchase",
            note=_("期初库存"),
        )
        item.refresh_from_db()
    return item


@transaction.atomic
def move_stock(
    *, actor, item_pk, direction: str, amount: Decimal, reason: str, note: str = ""
) -> StockMovement:
    """入库/出库/盘点: the item locked, the new quantity by `rules.stock_after` (an issue larger than the stock
    is refused, naming what is there)."""
    item = access(MaterialItem.objects.select_related("owner"), actor, item_pk, for_update=True)
    _require_keeper(actor, item.owner)
    if amount is None or amount < 0 or (amount == 0 and direction != "adjust"):
        raise _refuse("amount", _("数量应大于零。"))
    if reason not in StockMovement.Reason.values:
        raise _refuse("reason", _("请选择出入库原因。"))
    try:
        after = rules.stock_after(item.quantity, direction, amount)
    except ValueError as exc:
        raise _refuse(
            "amount",
            _("出库数量超过库存（现有 %(quantity)s %(unit)s）。")
            % {"quantity": item.quantity, "unit": item.unit},
        ) from exc
    item.quantity = after
    save_with_history(item, actor, record_text(gettext_lazy("出入库")))
    movement = StockMovement(
        item=item,
        direction=direction,
        amount=amount,
        reason=reason,
        note=note,
        quantity_after=after,
        moved_by=actor,
    )
    validate(movement)
    save_with_history(movement, actor, record_text(gettext_lazy("出入库")))
    return movement


@transaction.atomic
def record_maintenance(*, actor, item_pk, done_on: date) -> MaterialItem:
    """维护保养 done: the next date is a cycle later (items without a cycle are refused)."""
    item = access(MaterialItem.objects.select_related("owner"), actor, item_pk, for_update=True)
    _require_keeper(actor, item.owner)
    if not item.maintenance_interval_days:
        raise _refuse("done_on", _("该物资未设置维护保养周期。"))
    if done_on > timezone.localdate():
        raise _refuse("done_on", _("保养日期不能晚于今天。"))
    item.maintenance_due_on = done_on + timedelta(days=item.maintenance_interval_days)
    save_with_history(item, actor, record_text(gettext_lazy("维护保养")))
    return item


def sweep(*, today: date, now: datetime, stdout=None) -> dict[str, int]:
    """Tell each warehouse owner of its items in alert, once per item, condition and date (idempotent)."""
    told = 0
    for condition, queryset in selectors.alert_querysets(MaterialItem.objects.all(), today).items():
        for item in queryset.select_related("owner", "warehouse").iterator(chunk_size=500):
            told += notify(
                members(item.owner),
                kind="emergency.material_alert",
                title=record_text(
                    gettext_lazy("%(item)s：%(condition)s"),
                    item=str(item),
                    condition=selectors.ALERT_LABELS[condition],
                ),
                url=reverse("emergency:material-alerts"),
                dedupe_key=f"material:{item.pk}:{condition}:{selectors.alert_date(item, condition)}",
            )
    if stdout is not None:
        stdout.write(f"materials: {told} alerts\n")
    return {"alerts": told}
