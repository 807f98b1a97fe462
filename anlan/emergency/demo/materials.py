"""Demo county: the county reserve and two towns' warehouses around 来安县 with the usual flood-season and rescue
items — one below its minimum, one expiring, one due for maintenance — each with its opening movement."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from anlan.core.units import committee_office_for, unit_for

from ..services import materials as services

WAREHOUSES = [
    # (owner key, name, address, latitude, longitude, keeper user)
    ("county", "来安县应急物资储备库", "来安县新安镇永阳东路88号", "32.452100", "118.436500", "yingji"),
    ("新安镇", "新安镇防汛物资仓库", "新安镇东关社区应急服务站", "32.468300", "118.421200", "xinan"),
    ("半塔镇", "半塔镇应急物资仓库", "半塔镇政府院内", "32.588900", "118.562700", "banta"),
]
ITEMS = [
    # (category, name, spec, unit, opening, minimum, expires in days, maintenance interval days)
    ("flood_control", "编织袋", "50×80cm", "条", "20000", "10000", None, None),
    ("flood_control", "救生衣", "成人款", "件", "300", "200", None, None),
    ("flood_control", "冲锋舟", "5.2m 带40马力", "艘", "4", "2", None, 90),
    ("rescue", "发电机", "8kW 汽油", "台", "6", "4", None, 30),
    ("living", "帐篷", "12㎡ 单帐篷", "顶", "120", "150", None, None),
    ("medical", "急救包", "家庭应急型", "个", "500", "200", 20, None),
    ("communication", "卫星电话", "天通", "部", "3", "2", None, 180),
]


def step(demo) -> None:
    users = demo.users
    made = 0
    for index, (key, name, address, lat, lng, keeper) in enumerate(WAREHOUSES):
        if key == "county":
            owner = committee_office_for(demo.county)
        elif key in demo.towns:
            owner = unit_for(demo.towns[key])
        else:
            continue
        actor = users[keeper]
        warehouse = services.save_warehouse(
            actor=actor,
            data={
                "owner": owner,
                "name": name,
                "kind": "government",
                "address": address,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
                "keeper": str(actor),
                "keeper_phone": f"1395501{index:04d}",
            },
        )
        for category, item, spec, unit, opening, minimum, expires, interval in ITEMS[index : index + 5]:
            services.save_item(
                actor=actor,
                warehouse_pk=warehouse.pk,
                data={
                    "category": category,
                    "name": item,
                    "specification": spec,
                    "unit": unit,
                    "opening_quantity": Decimal(opening),
                    "minimum_stock": Decimal(minimum),
                    "expires_on": demo.today + timedelta(days=expires) if expires else None,
                    "maintenance_interval_days": interval,
                    "maintenance_due_on": demo.today + timedelta(days=3) if interval else None,
                },
            )
            made += 1
    demo.counts[_("应急物资")] = made
