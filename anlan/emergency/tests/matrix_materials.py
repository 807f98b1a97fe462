"""Permission-matrix rows of materials (see tests/matrix.py).

The warehouse is town A's: the county 安委办, town A, the departments (region-wide readers) and the leader see
it; town B, enterprise X, the grid worker and the expert do not (404). Only town A keeps its stock.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from tests.matrix import Route, api, page

OUT = {"town_b": 404, "enterprise_x": 404, "grid_worker": 404, "expert": 404}
KEEPER = page(403, town_a=302, **OUT)


def _warehouse(c):
    from anlan.core.units import unit_for
    from anlan.emergency.services import materials

    return materials.save_warehouse(
        actor=c["town_a"],
        data={
            "owner": unit_for(c.town_a),
            "name": "新安镇防汛物资仓库",
            "kind": "government",
            "address": "东关社区",
            "latitude": Decimal("32.468300"),
            "longitude": Decimal("118.421200"),
            "keeper": "周",
            "keeper_phone": "13900000000",
        },
    )


def warehouse(c):
    return {"pk": _warehouse(c).pk}


def _item(c):
    from anlan.emergency.services import materials

    return materials.save_item(
        actor=c["town_a"],
        warehouse_pk=_warehouse(c).pk,
        data={
            "category": "flood_control",
            "name": "编织袋",
            "unit": "条",
            "opening_quantity": Decimal("100"),
            "minimum_stock": Decimal("50"),
            "maintenance_interval_days": 30,
        },
    )


def item(c):
    return {"pk": _item(c).pk}


def warehouse_data(c):
    from anlan.core.units import unit_for

    return {
        "owner": unit_for(c.town_a).pk,
        "name": "新安镇第二仓库",
        "kind": "government",
        "address": "镇政府",
        "latitude": "32.46",
        "longitude": "118.42",
        "keeper": "周",
        "keeper_phone": "13900000000",
    }


def _audited():
    from anlan.emergency.models import MaterialItem, StockMovement, Warehouse

    return [Warehouse, MaterialItem, StockMovement]


READ = page(200, **OUT)
ROUTES = [
    Route("emergency:material-warehouse-list", page(200)),
    Route("emergency:material-export", page(200, grid_worker=403, expert=403)),
    Route("emergency:material-alerts", page(200)),
    Route("emergency:material-nearest", page(200)),
    Route(
        "emergency:material-nearest",
        page(200),
        data=lambda c: {"latitude": "32.4", "longitude": "118.4", "n": "5"},
        label="search",
    ),
    Route("emergency:material-warehouse-create", page(200, grid_worker=403, leader=403, expert=403)),
    Route(
        "emergency:material-warehouse-create",
        page(200, town_a=302, grid_worker=403, leader=403, expert=403),
        method="post",
        data=warehouse_data,
        writes=True,
    ),
    Route("emergency:material-warehouse-detail", READ, kwargs=warehouse),
    Route("emergency:material-warehouse-edit", page(403, town_a=200, **OUT), kwargs=warehouse),
    Route(
        "emergency:material-warehouse-edit",
        KEEPER,
        kwargs=warehouse,
        method="post",
        data=warehouse_data,
        writes=True,
    ),
    Route("emergency:material-item-create", page(403, town_a=200, **OUT), kwargs=warehouse),
    Route(
        "emergency:material-item-create",
        KEEPER,
        kwargs=warehouse,
        method="post",
        data=lambda c: {
            "category": "rescue",
            "name": "发电机",
            "unit": "台",
            "minimum_stock": "1",
            "opening_quantity": "2",
        },
        writes=True,
    ),
    Route("emergency:material-item-detail", READ, kwargs=item),
    Route(
        "emergency:material-item-move",
        KEEPER,
        kwargs=item,
        method="post",
        data=lambda c: {"direction": "out", "amount": "10", "reason": "disaster"},
        writes=True,
    ),
    Route(
        "emergency:material-item-maintain",
        KEEPER,
        kwargs=item,
        method="post",
        data=lambda c: {"done_on": timezone.localdate().isoformat()},
        writes=True,
    ),
    # The read-only API: lists are scoped (200 for everyone signed in), a record out of scope is 404.
    Route("api:emergency-warehouse-list", api(200)),
    Route("api:emergency-warehouse-detail", {**READ, "anonymous": 401}, kwargs=warehouse),
    Route("api:emergency-material-list", api(200)),
    Route("api:emergency-material-detail", {**READ, "anonymous": 401}, kwargs=item),
    Route(
        "api:emergency-material-nearest",
        api(200),
        data=lambda c: {"latitude": "32.45", "longitude": "118.43"},
    ),
]

AUDITED = _audited()
