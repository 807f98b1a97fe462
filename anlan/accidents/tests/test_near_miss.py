"""较大涉险事故 (21号令 第二十六条) through the service and the pages: graded only when a criterion is reached
(else refused, to be recorded as a 未遂事件 or an accident), late after 1 hour, counted apart from accidents."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from anlan.accidents import rules, services, statistics
from anlan.accidents.models import Accident, NearMissIncident
from anlan.accidents.rules import ErrorCode
from anlan.accidents.tests.factories import local, report
from anlan.core import contract
from anlan.core.errors import DomainError
from anlan.core.tests.factories import industry

pytestmark = pytest.mark.django_db

T0 = local(2026, 5, 10, 9, 0)


def _data(cast, **overrides):
    data = {
        "occurred_at": T0 - timedelta(minutes=30),
        "head_notified_at": None,
        "region": cast.village_a,
        "place": "东关社区工地",
        "enterprise": cast.enterprise_x,
        "industry": industry("construction"),
        "people_at_risk": 0,
        "trapped_or_missing": 0,
        "evacuated": 0,
        "description": "脚手架局部坍塌，无人员伤亡",
        "reporter_name": "王安全",
        "reporter_phone": "13800001111",
    }
    data.update(overrides)
    return data


def _report(cast, actor=None, at=T0, **overrides):
    with time_machine.travel(at, tick=False):
        return services.report_near_miss(actor=actor or cast["enterprise_x"], data=_data(cast, **overrides))


@pytest.mark.parametrize(
    ("facts", "graded"),
    [
        pytest.param({"people_at_risk": 9}, False, id="9-at-risk"),
        pytest.param({"people_at_risk": 10}, True, id="10-at-risk"),
        pytest.param({"trapped_or_missing": 2}, False, id="2-trapped"),
        pytest.param({"trapped_or_missing": 3}, True, id="3-trapped"),
        pytest.param({"evacuated": 499}, False, id="499-evacuated"),
        pytest.param({"evacuated": 500}, True, id="500-evacuated"),
        pytest.param({"threatens_key_site": True}, True, id="key-site"),
        pytest.param({"serious_pollution": True}, True, id="pollution"),
    ],
)
def test_an_event_is_a_relatively_major_near_miss_only_when_a_criterion_is_reached(cast, facts, graded):
    if graded:
        incident = _report(cast, **facts)
        assert incident.grade == rules.RELATIVELY_MAJOR_NEAR_MISS
        assert incident.history.count() == 1
        assert "较大涉险事故" in incident.title
        return
    with pytest.raises(DomainError) as refused:
        _report(cast, **facts)
    assert (refused.value.code, refused.value.field) == (ErrorCode.NOT_NEAR_MISS, "__all__")
    assert not NearMissIncident.objects.exists()


@pytest.mark.parametrize(
    ("minutes", "late"),
    [pytest.param(60, False, id="at-1-hour-on-time"), pytest.param(61, True, id="after-1-hour-late")],
)
def test_it_is_late_after_one_hour_from_the_head_notification(cast, minutes, late):
    notified = T0 - timedelta(minutes=minutes)
    incident = _report(
        cast, occurred_at=notified - timedelta(minutes=10), head_notified_at=notified, people_at_risk=10
    )
    assert incident.due_at == notified + timedelta(hours=1)
    assert incident.is_late is late


def test_it_is_reported_only_inside_the_reporters_jurisdiction(cast):
    with pytest.raises(DomainError) as refused:
        _report(cast, actor=cast["town_b"], enterprise=None, people_at_risk=10)
    assert (refused.value.code, refused.value.field) == (ErrorCode.REGION_OUT_OF_SCOPE, "region")
    assert not NearMissIncident.objects.exists()


def test_it_is_counted_apart_from_the_accidents(cast, client):
    with time_machine.travel(T0, tick=False):
        report(cast, occurred_at=T0 - timedelta(hours=2))
    _report(cast, people_at_risk=15)
    office = cast["county_office"]
    period = statistics.Period(date(2026, 1, 1), date(2026, 12, 31))
    assert statistics.near_miss_count(office, period, statistics.Filters()) == 1
    assert Accident.objects.count() == 1
    client.force_login(office)
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        page = client.get("/accidents/statistics/")
        assert page.context["total"].current.accidents == 1
        assert "较大涉险事故（单独统计，不计入四项指标）：1 起" in page.content.decode()
        assert client.get("/accidents/near-misses/").context["page"][0].people_at_risk == 15


def test_other_modules_hear_of_a_near_miss_once_committed(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []
    monkeypatch.setitem(
        contract.registry().handlers,
        "accidents.near_miss_reported",
        [lambda *, incident: seen.append(incident.pk)],
    )
    with django_capture_on_commit_callbacks() as callbacks:
        incident = _report(cast, people_at_risk=10)
        assert seen == []  # not inside the transaction
    for callback in callbacks:
        callback()
    assert seen == [incident.pk]


def test_a_refused_near_miss_emits_nothing(cast, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    monkeypatch.setitem(
        contract.registry().handlers,
        "accidents.near_miss_reported",
        [lambda *, incident: seen.append(incident.pk)],
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        _report(cast, people_at_risk=9)
    assert seen == []
