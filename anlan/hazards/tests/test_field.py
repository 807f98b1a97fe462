"""Field use on a phone: a lead's point (经纬度) is checked against China's bounds, kept, carried into the
hazard it is confirmed as and shown on both pages; the report forms open the camera and are kept for offline
use by the service worker (core.pwa)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from anlan.core.errors import DomainError
from anlan.core.pwa import OFFLINE_HEADER, OWNER_HEADER
from anlan.core.rules import RuleViolation
from anlan.core.tests.factories import industry
from anlan.hazards import rules, services
from anlan.hazards.models import Hazard, Lead
from anlan.hazards.rules import ErrorCode

from .factories import HazardFactory, LeadFactory, on, photo
from .test_services import hazard_data

LON, LAT = Decimal("118.433012"), Decimal("32.452345")


def lead_data(cast, **overrides):
    data = {
        "source": Lead.Source.GRID_PATROL,
        "place": "东关路口",
        "description": "井盖缺失",
        "reported_on": on(0),
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("longitude", "latitude"),
    [
        (None, None),
        (Decimal("73"), Decimal("3")),  # the bounds themselves are inside
        (Decimal("136"), Decimal("54")),
        (LON, LAT),
    ],
    ids=["no point", "south-west corner", "north-east corner", "Lai'an"],
)
def test_a_point_within_chinas_bounds_or_none_at_all_is_accepted(longitude, latitude):
    rules.check_coordinates(longitude, latitude)


@pytest.mark.parametrize(
    ("longitude", "latitude", "field", "code"),
    [
        (Decimal("72.999999"), LAT, "longitude", ErrorCode.COORDINATES_OUTSIDE),
        (Decimal("136.000001"), LAT, "longitude", ErrorCode.COORDINATES_OUTSIDE),
        (LON, Decimal("2.999999"), "latitude", ErrorCode.COORDINATES_OUTSIDE),
        (LON, Decimal("54.000001"), "latitude", ErrorCode.COORDINATES_OUTSIDE),
        (LAT, LON, "longitude", ErrorCode.COORDINATES_OUTSIDE),  # swapped by hand
        (LON, None, "latitude", ErrorCode.COORDINATES_INCOMPLETE),
        (None, LAT, "longitude", ErrorCode.COORDINATES_INCOMPLETE),
    ],
    ids=["west", "east", "south", "north", "swapped", "no latitude", "no longitude"],
)
def test_a_point_outside_china_or_half_a_point_is_refused(longitude, latitude, field, code):
    with pytest.raises(RuleViolation) as caught:
        rules.check_coordinates(longitude, latitude)
    assert (caught.value.field, caught.value.code) == (field, code)


# ---------------------------------------------------------------- leads and hazards keep their point


def test_a_grid_workers_lead_keeps_its_point_and_the_hazard_confirmed_from_it_carries_it_over(cast):
    lead = services.report_lead(
        actor=cast["grid_worker"], data=lead_data(cast, longitude=LON, latitude=LAT), photos=[photo()]
    )
    lead.refresh_from_db()
    assert (lead.longitude, lead.latitude) == (LON, LAT)
    hazard = services.confirm_lead(
        actor=cast["town_a"],
        lead_pk=lead.pk,
        data={
            "industry": industry("construction"),
            "category": Hazard.Category.UNSAFE_CONDITION,
            "grade": Hazard.Grade.ORDINARY,
            "due_on": on(7),
        },
    )
    hazard.refresh_from_db()
    assert (hazard.longitude, hazard.latitude) == (LON, LAT)


def test_a_leads_own_point_wins_over_its_enterprises(cast):
    cast.enterprise_x.longitude, cast.enterprise_x.latitude = Decimal("118.1"), Decimal("32.1")
    cast.enterprise_x.save()
    lead = services.report_lead(
        actor=cast["grid_worker"],
        data=lead_data(cast, enterprise=cast.enterprise_x, place="", longitude=LON, latitude=LAT),
    )
    hazard = services.confirm_lead(
        actor=cast["town_a"],
        lead_pk=lead.pk,
        data={"category": Hazard.Category.UNSAFE_CONDITION, "grade": Hazard.Grade.ORDINARY, "due_on": on(7)},
    )
    assert (hazard.longitude, hazard.latitude) == (LON, LAT)


def test_a_lead_outside_china_is_refused_and_nothing_is_saved(cast):
    with pytest.raises(DomainError) as caught:
        services.report_lead(
            actor=cast["grid_worker"], data=lead_data(cast, longitude=Decimal("2.5"), latitude=LAT)
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.COORDINATES_OUTSIDE, "longitude")
    assert Lead.objects.count() == 0


def test_a_hazard_with_half_a_point_is_refused_and_nothing_is_saved(cast):
    with pytest.raises(DomainError) as caught:
        services.register_hazard(
            actor=cast["town_a"],
            data=hazard_data(cast, latitude=LAT),
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.COORDINATES_INCOMPLETE, "longitude")
    assert Hazard.objects.count() == 0


# ---------------------------------------------------------------- the pages


def test_the_lead_form_takes_the_point_and_shows_an_error_beside_the_field_outside_china(cast, as_user):
    client = as_user(cast["grid_worker"])
    url = reverse("hazards:lead-create")
    data = {"source": "grid_patrol", "place": "东关路口", "description": "井盖缺失", "reported_on": on(0)}
    response = client.post(url, {**data, "longitude": "18.43", "latitude": "32.45"})
    assert response.status_code == 200
    assert response.context["form"].errors["longitude"] == ["经度须在东经73°至136°之间（中国境内）。"]
    assert Lead.objects.count() == 0
    response = client.post(url, {**data, "longitude": "118.433012", "latitude": "32.452345"})
    lead = Lead.objects.get()
    assert response.status_code == 302
    assert (lead.longitude, lead.latitude) == (LON, LAT)


@pytest.mark.parametrize(
    ("name", "who", "draft"),
    [("hazards:lead-create", "grid_worker", "lead"), ("hazards:hazard-create", "town_a", "hazard")],
)
def test_a_report_form_opens_the_camera_locates_and_is_kept_for_offline_use(cast, as_user, name, who, draft):
    response = as_user(cast[who]).get(reverse(name))
    html = response.content.decode()
    assert response.headers[OFFLINE_HEADER] == "draft-form"
    assert response.headers[OWNER_HEADER] == str(cast[who].pk)  # whose page the worker keeps
    assert f'data-draft="{draft}" data-draft-user="{cast[who].pk}"' in html
    assert 'accept="image/*" capture="environment"' in html  # the camera button
    assert 'name="photos" accept="image/*"' in html  # the gallery stays possible
    assert "使用当前位置" in html
    assert 'name="longitude"' in html and 'inputmode="decimal"' in html


def test_a_form_refused_by_the_server_is_still_kept_offline_but_other_pages_are_not(cast, as_user):
    client = as_user(cast["grid_worker"])
    for name in ("hazards:lead-list", "core:home"):
        headers = client.get(reverse(name)).headers
        assert OFFLINE_HEADER not in headers and OWNER_HEADER not in headers


@pytest.mark.parametrize("kind", ["lead", "hazard"])
def test_the_detail_pages_show_the_point_on_a_map(cast, as_user, kind):
    if kind == "lead":
        record = LeadFactory(
            region=cast.village_a, grid=cast.grid_a, place="东关路口", longitude=LON, latitude=LAT
        )
        url = reverse("hazards:lead-detail", args=[record.pk])
    else:
        record = HazardFactory(enterprise=cast.enterprise_x, longitude=LON, latitude=LAT)
        url = reverse("hazards:hazard-detail", args=[record.pk])
    html = as_user(cast["county_office"]).get(url).content.decode()
    assert 'data-longitude="118.433012" data-latitude="32.452345"' in html
    assert "东经 118.433012，北纬 32.452345" in html
    assert "leaflet.js" in html


def test_a_detail_page_without_a_point_has_no_map(cast, as_user):
    lead = LeadFactory(region=cast.village_a, grid=cast.grid_a, place="东关路口")
    html = as_user(cast["county_office"]).get(reverse("hazards:lead-detail", args=[lead.pk])).content.decode()
    assert "data-point-map" not in html and "leaflet.js" not in html


def test_the_api_takes_a_leads_point_and_refuses_one_outside_china(cast, as_user):
    client = as_user(cast["grid_worker"])
    data = {
        "source": "grid_patrol",
        "place": "东关路口",
        "description": "井盖缺失",
        "reported_on": str(on(0)),
    }
    url = reverse("api:hazard-lead-list")
    refused = client.post(url, {**data, "longitude": "118.43", "latitude": "60.1"})
    assert refused.status_code == 400
    assert "latitude" in refused.content.decode()
    assert Lead.objects.count() == 0
    created = client.post(url, {**data, "longitude": "118.433012", "latitude": "32.452345"})
    assert created.status_code == 201, created.content
    assert (created.json()["longitude"], created.json()["latitude"]) == ("118.433012", "32.452345")
