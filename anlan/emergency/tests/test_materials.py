"""Materials (应急物资): stock moves only through movements and never below zero, alerts at their edges, the
nearest items to a point against brute force, scope, the ledger."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from anlan.core.errors import DomainError
from anlan.core.units import unit_for
from anlan.emergency import rules
from anlan.emergency.models import MaterialItem
from anlan.emergency.selectors import materials as selectors
from anlan.emergency.services import materials as services


def _warehouse(cast, lat="32.468300", lng="118.421200", name="新安镇防汛物资仓库"):
    return services.save_warehouse(
        actor=cast["town_a"],
        data={
            "owner": unit_for(cast.town_a),
            "name": name,
            "kind": "government",
            "address": "东关社区",
            "latitude": Decimal(lat),
            "longitude": Decimal(lng),
            "keeper": "周",
            "keeper_phone": "13900000000",
        },
    )


def _item(cast, warehouse=None, **overrides):
    data = {"category": "flood_control", "name": "编织袋", "unit": "条", "minimum_stock": Decimal("50")}
    data.update(overrides)
    return services.save_item(
        actor=cast["town_a"], warehouse_pk=(warehouse or _warehouse(cast)).pk, data=data
    )


# ---------------------------------------------------------------- rules


def test_stock_after_each_kind_of_movement():
    assert rules.stock_after(Decimal(5), "in", Decimal(3)) == 8
    assert rules.stock_after(Decimal(5), "out", Decimal(5)) == 0
    assert rules.stock_after(Decimal(5), "adjust", Decimal(2)) == 2
    for direction, amount in (("out", Decimal(6)), ("in", Decimal(-1)), ("lend", Decimal(1))):
        with pytest.raises(ValueError):
            rules.stock_after(Decimal(5), direction, amount)


def test_the_distance_of_known_points():
    assert rules.haversine_km(32.0, 118.0, 32.0, 118.0) == 0
    # One degree of latitude is about 111.2 km everywhere.
    assert abs(rules.haversine_km(32.0, 118.0, 33.0, 118.0) - 111.2) < 0.2


@given(st.floats(-60, 60), st.floats(-170, 170), st.floats(0.1, 500), st.floats(0, 1), st.floats(0, 6.28))
def test_every_point_within_the_radius_lies_in_the_bounding_box(lat, lng, km, fraction, bearing):
    from math import cos, degrees, sin

    # A point at distance ≤ km along a bearing (small-step approximation, kept inside the radius).
    d = km * fraction * 0.99
    plat = lat + degrees(d / rules.EARTH_RADIUS_KM) * cos(bearing)
    plng = lng + degrees(d / rules.EARTH_RADIUS_KM) * sin(bearing) / max(cos(plat * 3.14159 / 180), 1e-6)
    if rules.haversine_km(lat, lng, plat, plng) > km:
        return
    low_lat, high_lat, low_lng, high_lng = rules.bounding_box(lat, lng, km)
    assert low_lat <= plat <= high_lat and low_lng <= plng <= high_lng


# ---------------------------------------------------------------- stock


def test_the_opening_stock_is_a_movement_and_an_issue_beyond_the_stock_is_refused(cast):
    item = _item(cast, opening_quantity=Decimal("100"))
    assert item.quantity == 100 and item.movements.count() == 1
    with pytest.raises(DomainError) as refused:
        services.move_stock(
            actor=cast["town_a"], item_pk=item.pk, direction="out", amount=Decimal("101"), reason="disaster"
        )
    assert refused.value.field == "amount" and "100" in refused.value.message
    services.move_stock(
        actor=cast["town_a"], item_pk=item.pk, direction="out", amount=Decimal("100"), reason="disaster"
    )
    item.refresh_from_db()
    assert item.quantity == 0
    with pytest.raises(DomainError):
        services.move_stock(
            actor=cast["town_a"], item_pk=item.pk, direction="in", amount=Decimal("0"), reason="purchase"
        )


def test_only_the_keeping_unit_moves_stock_and_others_do_not_see_it(cast):
    item = _item(cast, opening_quantity=Decimal("10"))
    with pytest.raises(PermissionDenied):
        services.move_stock(
            actor=cast["county_office"], item_pk=item.pk, direction="in", amount=Decimal(1), reason="purchase"
        )
    from django.http import Http404

    with pytest.raises(Http404):
        services.move_stock(
            actor=cast["town_b"], item_pk=item.pk, direction="in", amount=Decimal(1), reason="purchase"
        )


def test_moving_the_warehouse_moves_its_items_point(cast):
    warehouse = _warehouse(cast)
    item = _item(cast, warehouse)
    services.save_warehouse(
        actor=cast["town_a"],
        warehouse_pk=warehouse.pk,
        data={"latitude": Decimal("32.5"), "longitude": Decimal("118.5")},
    )
    item.refresh_from_db()
    assert (item.latitude, item.longitude) == (Decimal("32.5"), Decimal("118.5"))


def test_maintenance_moves_the_next_date_a_cycle_on(cast):
    item = _item(cast, maintenance_interval_days=30)
    today = timezone.localdate()
    assert item.maintenance_due_on == today + timedelta(days=30)
    services.record_maintenance(actor=cast["town_a"], item_pk=item.pk, done_on=today)
    item.refresh_from_db()
    assert item.maintenance_due_on == today + timedelta(days=30)
    with pytest.raises(DomainError):
        services.record_maintenance(actor=cast["town_a"], item_pk=_item(cast).pk, done_on=today)


# ---------------------------------------------------------------- alerts


def test_alerts_at_their_edges(cast):
    today = timezone.localdate()
    warehouse = _warehouse(cast)
    at_minimum = _item(cast, warehouse, name="正好最低", opening_quantity=Decimal("50"))
    below = _item(cast, warehouse, name="低于最低", opening_quantity=Decimal("49"))
    in_30 = _item(cast, warehouse, name="30天到期", expires_on=today + timedelta(days=30), minimum_stock=0)
    in_31 = _item(cast, warehouse, name="31天到期", expires_on=today + timedelta(days=31), minimum_stock=0)
    expired = _item(
        cast,
        warehouse,
        name="已过期",
        expires_on=today - timedelta(days=1),
        minimum_stock=0,
        opening_quantity=Decimal(1),
    )
    due_7 = _item(
        cast,
        warehouse,
        name="7天保养",
        maintenance_interval_days=90,
        maintenance_due_on=today + timedelta(days=7),
        minimum_stock=0,
    )
    due_8 = _item(
        cast,
        warehouse,
        name="8天保养",
        maintenance_interval_days=90,
        maintenance_due_on=today + timedelta(days=8),
        minimum_stock=0,
    )
    found = {
        key: set(qs.values_list("pk", flat=True))
        for key, qs in selectors.alert_querysets(MaterialItem.objects.all(), today).items()
    }
    assert below.pk in found[selectors.LOW] and at_minimum.pk not in found[selectors.LOW]
    assert in_30.pk in found[selectors.EXPIRING] and in_31.pk not in found[selectors.EXPIRING]
    assert expired.pk in found[selectors.EXPIRED]
    assert due_7.pk in found[selectors.MAINTENANCE] and due_8.pk not in found[selectors.MAINTENANCE]
    assert below in selectors.my_alerts(cast["town_a"])
    first = services.sweep(today=today, now=timezone.now())["alerts"]
    assert first == 4 and services.sweep(today=today, now=timezone.now())["alerts"] == 0  # one member each


# ---------------------------------------------------------------- nearest


def test_the_nearest_items_match_brute_force_and_skip_empty_stock(cast):
    rng = random.Random(7)
    for index in range(25):
        warehouse = _warehouse(
            cast, lat=f"{32 + rng.random():.6f}", lng=f"{118 + rng.random():.6f}", name=f"仓库{index}"
        )
        _item(cast, warehouse, opening_quantity=Decimal(rng.choice([0, 5, 10])))
        _item(cast, warehouse, category="rescue", name="发电机", opening_quantity=Decimal(2))
    point = (32.5, 118.5)
    stocked = MaterialItem.objects.filter(quantity__gt=0, category="flood_control")
    expected = sorted(
        stocked, key=lambda i: (rules.haversine_km(*point, float(i.latitude), float(i.longitude)), i.pk)
    )[:5]
    found = selectors.nearest(
        cast["county_office"], latitude=point[0], longitude=point[1], n=5, category="flood_control"
    )
    assert [near.item.pk for near in found] == [i.pk for i in expected]
    assert [near.distance_km for near in found] == sorted(near.distance_km for near in found)
    assert selectors.nearest(cast["town_b"], latitude=point[0], longitude=point[1], n=5) == []


def test_asking_for_more_than_there_are_returns_them_all(cast):
    _item(cast, opening_quantity=Decimal(1))
    found = selectors.nearest(cast["county_office"], latitude=10.0, longitude=10.0, n=5)
    assert len(found) == 1 and found[0].distance_km > 1000


def test_the_warehouse_form_and_the_nearest_search_offer_the_map_to_pick_the_point(cast, client):
    from django.urls import reverse

    client.force_login(cast["town_a"])
    for name in ("emergency:material-warehouse-create", "emergency:material-nearest"):
        page = client.get(reverse(name)).content.decode()
        assert "data-location-kit" in page and "vendor/leaflet/leaflet.js" in page
        # 经度 before 纬度, so the map opens below the pair (field.js puts it after the latitude field).
        assert page.index('name="longitude"') < page.index('name="latitude"')
