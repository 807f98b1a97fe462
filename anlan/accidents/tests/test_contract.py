"""What the accidents module declares on the contract: the `accidents.reported` event, its to-dos and its
home indicators, each a scoped QuerySet of a user."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from anlan.accidents import selectors, services
from anlan.accidents.models import Accident
from anlan.accidents.tests.factories import local, report
from anlan.core import contract
from anlan.core.errors import DomainError
from anlan.core.tests.factories import industry

pytestmark = pytest.mark.django_db

T0 = local(2026, 5, 10, 9, 0)


def _provider(kind: str, key: str):
    found = {item.key: item for item in getattr(contract.registry(), kind)}
    return found[key]


# ---------------------------------------------------------------- the event


def test_a_handler_of_accidents_reported_sees_the_accident_once_committed(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []
    monkeypatch.setitem(
        contract.registry().handlers, "accidents.reported", [lambda *, accident: seen.append(accident.pk)]
    )
    with django_capture_on_commit_callbacks() as callbacks:
        accident = report(cast)
        assert seen == []  # not inside the transaction
    for callback in callbacks:
        callback()
    assert seen == [accident.pk]


def test_a_refused_report_emits_nothing(cast, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    monkeypatch.setitem(
        contract.registry().handlers, "accidents.reported", [lambda *, accident: seen.append(accident.pk)]
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        report(cast, deaths=-1)
    assert seen == []


def test_a_follow_up_is_not_a_new_report(cast, monkeypatch, django_capture_on_commit_callbacks):
    accident = report(cast)
    seen = []
    monkeypatch.setitem(
        contract.registry().handlers, "accidents.reported", [lambda *, accident: seen.append(accident.pk)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.add_report(
            actor=cast["enterprise_x"],
            accident_pk=accident.pk,
            kind="follow_up",
            data={"deaths": 2, "description": "伤员死亡"},
        )
    assert seen == []


# ---------------------------------------------------------------- to-dos


def test_the_duty_offices_reports_to_receive_are_scoped_and_cleared_by_forwarding(cast):
    accident = report(cast)  # enterprise X, construction, town A: the city has not received it yet
    provider = _provider("todos", "accidents.reports_to_receive")
    rows = {name: set(provider.rows(cast[name]).values_list("pk", flat=True)) for name in cast.users}
    assert rows["county_office"] == rows["dept_housing"] == {accident.pk}
    for name in ("town_a", "town_b", "enterprise_x", "grid_worker", "leader"):
        assert rows[name] == set(), name
    assert provider.link(cast["county_office"]).endswith("?pending=receive")
    services.forward_report(actor=cast["county_office"], accident_pk=accident.pk, level="county")
    assert not provider.rows(cast["county_office"]).exists()


def test_the_enterprises_follow_ups_due_are_its_own_accidents_inside_the_window(cast):
    with time_machine.travel(T0, tick=False):
        mine = report(cast, occurred_at=T0 - timedelta(hours=1))
        road = report(
            cast,
            actor=cast["town_a"],
            enterprise=None,
            kind="road_traffic",
            type_code="02",
            industry=industry("road-transport"),
            occurred_at=T0 - timedelta(hours=1),
        )
    provider = _provider("todos", "accidents.follow_ups_due")
    today = timezone.localtime(T0).date()
    assert set(selectors.follow_ups_due(cast["enterprise_x"], today)) == {mine}
    for name in ("county_office", "town_a", "town_b", "dept_housing", "leader"):
        assert not selectors.follow_ups_due(cast[name], today).exists(), name
    # 第十三条: 30 days (the last day counts); the road accident's 7-day window is the list filter's business.
    assert set(selectors.follow_ups_due(cast["enterprise_x"], today + timedelta(days=30))) == {mine}
    assert not selectors.follow_ups_due(cast["enterprise_x"], today + timedelta(days=31)).exists()
    every = Accident.objects.all()
    assert set(selectors.in_supplement_window(every, today + timedelta(days=7))) == {mine, road}
    assert set(selectors.in_supplement_window(every, today + timedelta(days=8))) == {mine}
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        assert provider.rows(cast["enterprise_x"]).count() == 1
        assert provider.link(cast["enterprise_x"]).endswith("?pending=follow_up")


# ---------------------------------------------------------------- home indicators


def test_this_years_accidents_and_deaths_are_counted_in_each_users_scope(cast):
    with time_machine.travel(local(2026, 6, 1, 12), tick=False):
        report(cast, occurred_at=local(2026, 3, 1, 10), deaths=1, missing=1)
        report(
            cast,
            actor=cast["town_b"],
            enterprise=None,
            region=cast.town_b,
            kind="road_traffic",
            type_code="02",
            industry=industry("road-transport"),
            occurred_at=local(2026, 1, 1, 0, 5),
            deaths=2,
        )
        report(cast, occurred_at=local(2025, 12, 31, 23, 55), deaths=4)  # last year
        accidents = _provider("indicators", "accidents.this_year")
        deaths = _provider("indicators", "accidents.deaths_this_year")
        values = {name: (accidents.value(cast[name]), deaths.value(cast[name])) for name in cast.users}
        link = accidents.link(cast["county_office"])
    assert values["county_office"] == values["leader"] == (2, 4)  # the missing counted with the dead
    assert values["town_a"] == values["enterprise_x"] == values["dept_housing"] == (1, 2)
    assert values["town_b"] == (1, 2)
    assert values["grid_worker"] == (1, 2)
    assert link.endswith("?date_from=2026-01-01&date_to=2026-06-01")
