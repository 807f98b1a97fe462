"""The emergency module's read-only API: each list is the page's scoped list, a record out of scope is 404,
the nearest search answers in distance order and refuses a bad point naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from anlan.emergency import rules
from anlan.emergency.services import materials as services
from anlan.emergency.tests.factories_plans import enterprise_plan
from anlan.emergency.tests.factories_response import flood
from anlan.emergency.tests.test_materials import _item, _warehouse

pytestmark = pytest.mark.django_db


def _ids(client, name):
    body = client.get(reverse(name)).json()
    return {row["id"] for row in body["results"]}


def test_plans_are_listed_in_scope_only_and_an_outsider_gets_404(cast, client):
    plan = enterprise_plan(cast)
    client.force_login(cast["dept_housing"])
    assert _ids(client, "api:emergency-plan-list") == {plan.pk}
    detail = client.get(reverse("api:emergency-plan-detail", args=[plan.pk])).json()
    assert detail["title"] == plan.title and detail["status_display"] == "编制中"
    client.force_login(cast["town_b"])
    assert _ids(client, "api:emergency-plan-list") == set()
    assert client.get(reverse("api:emergency-plan-detail", args=[plan.pk])).status_code == 404


def test_incidents_carry_their_responses_and_stay_in_scope(cast, client):
    from anlan.emergency.tests.factories_response import start

    incident = flood(cast)
    start(cast, incident)
    client.force_login(cast["town_a"])
    (row,) = client.get(reverse("api:emergency-incident-list")).json()["results"]
    assert row["id"] == incident.pk and row["responses"][0]["level_display"] == "四级"
    client.force_login(cast["enterprise_x"])
    assert client.get(reverse("api:emergency-incident-detail", args=[incident.pk])).status_code == 404


def test_the_nearest_search_answers_nearest_first_in_scope_and_names_a_bad_field(cast, client):
    near = _warehouse(cast, lat="32.460000", lng="118.420000", name="近处仓库")
    far = _warehouse(cast, lat="32.600000", lng="118.600000", name="远处仓库")
    close_item = _item(cast, near, name="冲锋舟")
    far_item = _item(cast, far, name="冲锋舟")
    for item in (close_item, far_item):
        services.move_stock(
            actor=cast["town_a"], item_pk=item.pk, direction="in", amount=Decimal(2), reason="purchase"
        )
    client.force_login(cast["town_a"])
    url = reverse("api:emergency-material-nearest")
    found = client.get(url, {"latitude": "32.45", "longitude": "118.42", "n": "5"}).json()
    assert [hit["item"]["id"] for hit in found] == [close_item.pk, far_item.pk]
    distances = [hit["distance_km"] for hit in found]
    expected = rules.haversine_km(32.45, 118.42, 32.46, 118.42)
    assert distances == sorted(distances) and abs(distances[0] - expected) < 0.01
    assert len(client.get(url, {"latitude": "32.45", "longitude": "118.42"}).json()) == 2  # n defaults to 10
    bad = client.get(url, {"latitude": "91", "longitude": "118.42"})
    assert bad.status_code == 400 and "latitude" in bad.json()
    assert "n" in client.get(url, {"latitude": "32.45", "longitude": "118.42", "n": "51"}).json()
    # Another town's member does not see town A's stores.
    client.force_login(cast["town_b"])
    assert client.get(url, {"latitude": "32.45", "longitude": "118.42"}).json() == []


def test_who_is_on_duty_now_and_the_duty_log_follow_the_pages(
    cast, client, django_capture_on_commit_callbacks
):
    from anlan.accidents.tests.factories import report
    from anlan.emergency.models import DutyLogEntry

    with django_capture_on_commit_callbacks(execute=True):  # the 初报 reaches the logs on commit
        report(cast)
    client.force_login(cast["town_a"])
    entries = _ids(client, "api:emergency-duty-log-list")
    assert entries and entries == set(
        DutyLogEntry.objects.filter(unit__region=cast.town_a).values_list("pk", flat=True)
    )
    assert client.get(reverse("api:emergency-duty-now-list")).status_code == 200
    client.force_login(cast["enterprise_x"])
    assert _ids(client, "api:emergency-duty-log-list") == set()
