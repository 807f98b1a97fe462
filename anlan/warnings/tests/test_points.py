"""Geohazard and flood-control points: registered with a monitor where the rules ask, threatened people
consistent, works in water with a 度汛方案, closed not deleted, observed (an alarming observation told to the
town and the county at once); their monitors reached by a warning's list; pages, ledger and API in scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from anlan.core import jobs
from anlan.core.errors import DomainError
from anlan.notifications.models import Notification
from anlan.notifications.sms import LocmemSmsBackend
from anlan.warnings import rules
from anlan.warnings.models import Observation, Point, WarningRecipient
from anlan.warnings.services import points as services
from anlan.warnings.tests.factories import issued
from anlan.warnings.tests.factories_points import geohazard, reservoir

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- rules


def test_which_points_each_hazard_threatens():
    assert rules.point_kinds_threatened("rainstorm") == {rules.GEOHAZARD, *rules.FLOOD_POINT_KINDS}
    assert rules.point_kinds_threatened("geohazard") == {rules.GEOHAZARD}
    assert rules.point_kinds_threatened("flood") == rules.FLOOD_POINT_KINDS
    assert rules.point_kinds_threatened("heat") == frozenset()


@pytest.mark.parametrize(
    ("households", "people", "ok"),
    [(0, 0, True), (1, 1, True), (3, 2, False), (0, 1, False), (2, 2, True), (5, 17, True)],
)
def test_threatened_people_are_at_least_the_households(households, people, ok):
    assert rules.threatened_ok(households, people) is ok


def test_monitor_and_plan_requirements_by_kind():
    assert rules.monitor_required(rules.GEOHAZARD) and not rules.monitor_required(rules.RESERVOIR)
    assert rules.plan_required(rules.WORKS) and not rules.plan_required(rules.DIKE)


# ---------------------------------------------------------------- services


def test_a_geohazard_point_is_registered_with_its_monitor_and_history(cast):
    point = geohazard(cast, monitor_phone="137 0000 0001")
    assert point.monitor_phone == "13700000001" and point.region == cast.village_a and point.is_active
    assert point.history.latest().history_user == cast["county_office"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"monitor_name": ""}, "monitor_name"),
        ({"monitor_phone": ""}, "monitor_phone"),
        ({"monitor_phone": "0550-5012345"}, "monitor_phone"),
        ({"monitor_phone": "1370000000"}, "monitor_phone"),
        ({"households": 3, "people": 2}, "people"),
        ({"households": 0, "people": 4}, "people"),
        ({"name": " "}, "name"),
        ({"owner_phone": "12345"}, "owner_phone"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(cast, overrides, field):
    with pytest.raises(DomainError) as error:
        geohazard(cast, **overrides)
    assert error.value.field == field
    assert not Point.objects.exists()


def test_a_reservoir_needs_no_monitor_but_works_in_water_need_their_plan(cast):
    assert reservoir(cast, monitor_name="", monitor_phone="").pk
    with pytest.raises(DomainError) as error:
        reservoir(cast, name="涉水桥梁工程", kind="works")
    assert error.value.field == "plan"
    assert reservoir(cast, name="涉水桥梁工程", kind="works", plan="汛期24小时值守").plan


def test_a_point_sits_in_a_town_or_village_of_the_actors_area(cast):
    with pytest.raises(DomainError) as error:
        geohazard(cast, region=cast.county)
    assert error.value.field == "region"
    with pytest.raises(DomainError):
        services.register(
            actor=cast["town_b"],
            data={
                "name": "越界",
                "kind": "reservoir",
                "region": cast.village_a,
                "households": 0,
                "people": 0,
            },
        )
    with pytest.raises(PermissionDenied):
        services.register(
            actor=cast["enterprise_x"], data={"name": "x", "kind": "reservoir", "region": cast.village_a}
        )


def test_closing_keeps_the_point_and_stops_changes(cast):
    point = geohazard(cast)
    with pytest.raises(DomainError):
        services.close(actor=cast["town_a"], point_pk=point.pk, reason=" ")
    services.close(actor=cast["town_a"], point_pk=point.pk, reason="搬迁避让完成")
    point.refresh_from_db()
    assert not point.is_active and point.closed_reason == "搬迁避让完成"
    with pytest.raises(DomainError):
        services.update(actor=cast["town_a"], point_pk=point.pk, data={"name": "改名"})
    with pytest.raises(DomainError):
        services.observe(actor=cast["town_a"], point_pk=point.pk, data={"seen": "无变化"})


def test_town_b_never_sees_town_as_point(cast):
    point = geohazard(cast)
    with pytest.raises(Http404):
        services.update(actor=cast["town_b"], point_pk=point.pk, data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        services.close(actor=cast["leader"], point_pk=point.pk, reason="x")


def test_an_alarming_observation_tells_the_town_and_the_county_at_once(
    cast, django_capture_on_commit_callbacks
):
    point = geohazard(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.observe(actor=cast["town_a"], point_pk=point.pk, data={"seen": "坡体无明显变化"})
    assert not Notification.objects.filter(kind="warnings.point_alarm").exists()
    with django_capture_on_commit_callbacks(execute=True):
        observation = services.observe(
            actor=cast["town_a"],
            point_pk=point.pk,
            data={
                "seen": "后缘出现新裂缝",
                "reading": "裂缝宽 5 厘米",
                "alarming": True,
                "observer": "王建国",
            },
        )
    told = set(
        Notification.objects.filter(kind="warnings.point_alarm").values_list("recipient__username", flat=True)
    )
    assert {"town_a", "county_office"} <= told and "town_b" not in told
    assert observation.observer == "王建国" and observation.recorded_by == cast["town_a"]


def test_an_observation_needs_what_was_seen_and_no_future_time(cast):
    point = geohazard(cast)
    with pytest.raises(DomainError) as error:
        services.observe(actor=cast["town_a"], point_pk=point.pk, data={"seen": ""})
    assert error.value.field == "seen"
    with pytest.raises(DomainError) as error:
        services.observe(
            actor=cast["town_a"],
            point_pk=point.pk,
            data={"seen": "x", "observed_at": timezone.now() + timedelta(hours=1)},
        )
    assert error.value.field == "observed_at"
    assert not Observation.objects.exists()


# ---------------------------------------------------------------- the warning's list


def test_a_warning_to_monitors_reaches_the_active_points_of_its_area_by_sms(cast, settings):
    settings.ANLAN_SMS_BACKEND = "anlan.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox, LocmemSmsBackend.keys = [], []
    geohazard(cast)
    closed = geohazard(cast, name="已治理滑坡", monitor_phone="13700000009")
    services.close(actor=cast["county_office"], point_pk=closed.pk, reason="治理完成")
    reservoir(cast)  # town B: outside a town A warning
    warning = issued(cast, region=cast.town_a, targets={"groups": ["monitors"]})
    rows = WarningRecipient.objects.filter(warning=warning)
    assert list(rows.values_list("reason", "name", "phone")) == [("monitor", "王建国", "13700000001")]
    assert [phone for phone, _text in LocmemSmsBackend.outbox] == ["13700000001"]


# ---------------------------------------------------------------- pages, ledger, API


def test_the_list_filters_and_the_detail_shows_observations(cast, client):
    point = geohazard(cast)
    reservoir(cast)
    services.observe(
        actor=cast["town_a"], point_pk=point.pk, data={"seen": "坡体无明显变化", "reading": "1 厘米"}
    )
    client.force_login(cast["county_office"])
    page = client.get(reverse("warnings:point-list"), {"kind": "geohazard"}).content.decode()
    assert point.name in page and "王庄水库" not in page
    detail = client.get(reverse("warnings:point-detail", args=[point.pk])).content.decode()
    assert "坡体无明显变化" in detail and "13700000001" in detail and 'data-testid="observe-form"' in detail
    client.force_login(cast["leader"])
    detail = client.get(reverse("warnings:point-detail", args=[point.pk])).content.decode()
    assert "13700000001" not in detail and 'data-testid="observe-form"' not in detail


def test_registering_from_the_page_and_an_observation_by_post(cast, client):
    client.force_login(cast["town_a"])
    response = client.post(
        reverse("warnings:point-create"),
        {
            "name": "北沟泥石流",
            "kind": "geohazard",
            "region": cast.village_a.code,
            "households": "2",
            "people": "1",
            "monitor_name": "张秀英",
            "monitor_phone": "13700000003",
        },
    )
    assert response.status_code == 200 and "受威胁人数不能少于受威胁户数" in response.content.decode()
    response = client.post(
        reverse("warnings:point-create"),
        {
            "name": "北沟泥石流",
            "kind": "geohazard",
            "region": cast.village_a.code,
            "households": "2",
            "people": "6",
            "monitor_name": "张秀英",
            "monitor_phone": "13700000003",
        },
    )
    point = Point.objects.get(name="北沟泥石流")
    assert response.status_code == 302 and response.url == reverse("warnings:point-detail", args=[point.pk])
    client.post(reverse("warnings:point-observe", args=[point.pk]), {"seen": ""})
    assert not Observation.objects.exists()
    client.post(reverse("warnings:point-observe", args=[point.pk]), {"seen": "沟内水流浑浊"})
    assert Observation.objects.get().seen == "沟内水流浑浊"


def test_the_ledger_and_the_api(cast, client):
    point = geohazard(cast)
    client.force_login(cast["county_office"])
    response = client.get(reverse("warnings:point-export"))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    (row,) = client.get(reverse("api:warnings-point-list")).json()["results"]
    assert (
        row["id"] == point.pk
        and row["monitor_phone"] == "13700000001"
        and row["kind_display"] == "地质灾害隐患点"
    )
    client.force_login(cast["leader"])
    (row,) = client.get(reverse("api:warnings-point-list")).json()["results"]
    assert row["monitor_phone"] != "13700000001"
    client.force_login(cast["town_b"])
    assert client.get(reverse("api:warnings-point-detail", args=[point.pk])).status_code == 404
    jobs.work_off()
