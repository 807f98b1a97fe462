"""Points for tests: a geohazard point in town A's village with its monitor, a reservoir in town B."""

from __future__ import annotations

from anlan.warnings.services import points as services


def geohazard(cast, **overrides):
    data = {
        "name": "东关社区后山滑坡",
        "kind": "geohazard",
        "subtype": "滑坡",
        "region": cast.village_a,
        "place": "东关社区三组后山",
        "households": 5,
        "people": 17,
        "monitor_name": "王建国",
        "monitor_phone": "13700000001",
        "owner_unit": "新安镇人民政府",
        "owner_name": "李立新",
        "owner_phone": "0550-5012345",
        **overrides,
    }
    return services.register(actor=cast["county_office"], data=data)


def reservoir(cast, **overrides):
    data = {
        "name": "王庄水库",
        "kind": "reservoir",
        "subtype": "小（二）型水库",
        "region": cast.village_b,
        "households": 0,
        "people": 0,
        "monitor_name": "赵春生",
        "monitor_phone": "13800000002",
        **overrides,
    }
    return services.register(actor=cast["county_office"], data=data)
