"""Plausibility bounds of accident figures and dates (issue #12: counts up to 2^63 and dates in year 1 were
accepted): people ≤ 10,000, losses ≤ 10,000,000 万元, dates from 1949-10-01 to tomorrow; each refusal names
its field, in the rules, the services, the form, the API and the model."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anlan.accidents import rules, services
from anlan.accidents.models import Accident, AccidentReport, MinorEvent, PreventiveMeasure, ReportingFinding
from anlan.accidents.rules import ErrorCode
from anlan.accidents.tests.factories import accident_data, report
from anlan.core.errors import DomainError
from anlan.core.rules import RuleViolation
from anlan.core.tests.factories import industry

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 6, 30)
MAX_YUAN = Decimal("100000000000.00")  # 10,000,000 万元


# ---------------------------------------------------------------- rules


@pytest.mark.parametrize("name", rules.COUNT_FIGURES)
def test_a_count_of_10000_people_is_accepted_and_10001_is_refused_naming_the_field(name):
    assert rules.figure_count(10_000, name, "人数") == 10_000
    with pytest.raises(RuleViolation) as refused:
        rules.figure_count(10_001, name, "死亡人数")
    assert (refused.value.field, refused.value.code) == (name, ErrorCode.COUNT_TOO_LARGE)
    assert str(refused.value.message) == "死亡人数不能超过 10000 人，请核对。"
    with pytest.raises(RuleViolation):
        rules.figure_count(2**63, name, "死亡人数")


def test_a_loss_of_10_million_wan_yuan_is_accepted_and_a_cent_more_is_refused():
    assert rules.loss_yuan(MAX_YUAN) == MAX_YUAN
    with pytest.raises(RuleViolation) as refused:
        rules.loss_yuan(MAX_YUAN + Decimal("0.01"))
    assert (refused.value.field, refused.value.code) == ("direct_loss_yuan", ErrorCode.LOSS_TOO_LARGE)
    assert "10,000,000 万元" in str(refused.value.message)


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (date(1949, 10, 1), True),
        (date(1949, 9, 30), False),
        (TODAY + timedelta(days=1), True),
        (TODAY + timedelta(days=2), False),
        (date(1, 1, 1), False),
        (date(9999, 12, 31), False),
        (datetime(1949, 10, 1, 0, 0, tzinfo=SHANGHAI), True),
        (datetime(1949, 9, 30, 23, 59, tzinfo=SHANGHAI), False),
        (datetime(2026, 7, 1, 23, 59, tzinfo=SHANGHAI), True),
        (datetime(2026, 7, 2, 0, 0, tzinfo=SHANGHAI), False),
        (datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), False),
        (datetime(1, 1, 1, 0, 0, tzinfo=UTC), False),
    ],
    ids=str,
)
def test_dates_lie_between_1949_10_01_and_tomorrow(value, accepted):
    if accepted:
        rules.check_date_range(value, "occurred_at", "发生时间", TODAY, SHANGHAI)
        return
    with pytest.raises(RuleViolation) as refused:
        rules.check_date_range(value, "occurred_at", "发生时间", TODAY, SHANGHAI)
    assert (refused.value.field, refused.value.code) == ("occurred_at", ErrorCode.DATE_OUT_OF_RANGE)
    assert str(refused.value.message) == "发生时间应在 1949-10-01 至 2026-07-01 之间。"


def test_a_deadline_may_lie_up_to_ten_years_ahead():
    latest = rules.deadline_latest(TODAY)
    assert latest == date(2036, 6, 30)
    assert rules.deadline_latest(date(2028, 2, 29)) == date(2038, 2, 28)
    rules.check_date_range(latest, "due_on", "完成期限", TODAY, latest=latest)
    with pytest.raises(RuleViolation):
        rules.check_date_range(latest + timedelta(days=1), "due_on", "完成期限", TODAY, latest=latest)


# ---------------------------------------------------------------- services


@pytest.mark.django_db
def test_the_service_accepts_10000_deaths_and_refuses_10001_naming_the_field(cast):
    accident = report(cast, deaths=10_000, direct_loss_yuan=MAX_YUAN)
    assert accident.grade == rules.EXTRAORDINARILY_SERIOUS
    for overrides, field in (
        ({"serious_injuries": 10_001}, "serious_injuries"),
        ({"direct_loss_yuan": MAX_YUAN + Decimal("0.01")}, "direct_loss_yuan"),
    ):
        with pytest.raises(DomainError) as refused:
            report(cast, **overrides)
        assert refused.value.field == field
    assert Accident.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurred_at", datetime(1, 1, 1, tzinfo=UTC)),
        ("occurred_at", datetime(1949, 9, 30, 12, tzinfo=SHANGHAI)),
        ("head_notified_at", datetime(9999, 12, 31, 23, 59, tzinfo=UTC)),
    ],
    ids=["year-1", "before-1949-10-01", "year-9999"],
)
def test_an_accident_dated_outside_the_bounds_is_refused_naming_the_field(cast, field, value):
    with pytest.raises(DomainError) as refused:
        services.report_accident(actor=cast["enterprise_x"], data=accident_data(cast, **{field: value}))
    assert (refused.value.field, refused.value.code) == (field, ErrorCode.DATE_OUT_OF_RANGE)
    assert not Accident.objects.exists()


@pytest.mark.django_db
def test_a_follow_up_and_a_minor_event_are_bounded_like_the_first_report(cast):
    accident = report(cast)
    with pytest.raises(DomainError) as refused:
        services.add_report(
            actor=cast["enterprise_x"],
            accident_pk=accident.pk,
            kind="follow_up",
            data={"deaths": 10_001, "description": "续报"},
        )
    assert refused.value.field == "deaths"
    assert AccidentReport.objects.filter(accident=accident).count() == 1
    data = {
        "kind": "minor",
        "occurred_at": datetime(1900, 1, 1, tzinfo=SHANGHAI),
        "region": cast.village_a,
        "industry": industry("construction"),
        "description": "x",
    }
    with pytest.raises(DomainError) as old:
        services.record_minor_event(actor=cast["enterprise_x"], data=data)
    assert old.value.field == "occurred_at"
    with pytest.raises(DomainError) as many:
        services.record_minor_event(
            actor=cast["enterprise_x"], data={**data, "occurred_at": timezone.now(), "minor_injuries": 10_001}
        )
    assert many.value.field == "minor_injuries"
    assert not MinorEvent.objects.exists()


@pytest.mark.django_db
def test_finding_and_measure_dates_are_bounded(cast):
    accident = report(cast)
    office = cast["county_office"]
    with pytest.raises(DomainError) as finding:
        services.record_finding(
            actor=office,
            accident_pk=accident.pk,
            reported=False,
            deadline_passed=True,
            concealment_verified=True,
            description="x",
            found_on=date(1900, 1, 1),
        )
    assert (finding.value.field, finding.value.code) == ("found_on", ErrorCode.DATE_OUT_OF_RANGE)
    assert not ReportingFinding.objects.exists()
    services.open_investigation(
        actor=office,
        accident_pk=accident.pk,
        data={"lead_organ": "来安县人民政府", "team_leader": "张组长", "started_on": accident.occurred_on},
    )
    today = timezone.localdate()
    with pytest.raises(DomainError) as due:
        services.add_measure(
            actor=office,
            accident_pk=accident.pk,
            description="x",
            responsible_party="y",
            due_on=date(9999, 1, 1),
        )
    assert (due.value.field, due.value.code) == ("due_on", ErrorCode.DATE_OUT_OF_RANGE)
    measure = services.add_measure(
        actor=office,
        accident_pk=accident.pk,
        description="x",
        responsible_party="y",
        due_on=rules.deadline_latest(today),
    )
    with pytest.raises(DomainError) as completed:
        services.complete_measure(
            actor=office,
            accident_pk=accident.pk,
            measure_pk=measure.pk,
            completed_on=date(1, 1, 1),
            note="完成",
        )
    assert (completed.value.field, completed.value.code) == ("completed_on", ErrorCode.DATE_OUT_OF_RANGE)
    assert PreventiveMeasure.objects.get().completed_on is None


# ---------------------------------------------------------------- the model, the form and the API


@pytest.mark.django_db
def test_the_model_refuses_a_count_or_loss_past_the_bound(cast):
    accident = report(cast)
    accident.deaths, accident.direct_loss_yuan = 10_001, MAX_YUAN + Decimal("0.01")
    with pytest.raises(ValidationError) as refused:
        accident.full_clean()
    assert {"deaths", "direct_loss_yuan"} <= set(refused.value.message_dict)


def form_data(cast, **overrides) -> dict:
    data = {
        "occurred_at": (timezone.localtime() - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
        "kind": "industrial",
        "type_code": "09",
        "region": cast.village_a.code,
        "place": "东关社区工地",
        "enterprise": cast.enterprise_x.pk,
        "industry": industry("construction").pk,
        "deaths": "1",
        "missing": "0",
        "serious_injuries": "0",
        "minor_injuries": "0",
        "direct_loss_yuan": "150000.00",
        "description": "高处坠落",
        "reporter_name": "王安全",
        "reporter_phone": "13800001111",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"deaths": "10001"}, "deaths", "死亡人数不能超过 10000 人"),
        ({"direct_loss_yuan": "100000000000.01"}, "direct_loss_yuan", "10,000,000 万元"),
        ({"occurred_at": "1949-09-30T23:00"}, "occurred_at", "发生时间应在 1949-10-01"),
    ],
    ids=["deaths", "loss", "occurred_at"],
)
def test_the_form_shows_the_bound_beside_its_field(cast, as_user, overrides, field, text):
    response = as_user(cast["enterprise_x"]).post(
        reverse("accidents:accident-create"), form_data(cast, **overrides)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-field="{field}"' in body and text in body
    assert not Accident.objects.exists()


@pytest.mark.django_db
def test_the_form_accepts_10000_people(cast, as_user):
    response = as_user(cast["enterprise_x"]).post(
        reverse("accidents:accident-create"), form_data(cast, minor_injuries="10000")
    )
    assert response.status_code == 302
    assert Accident.objects.get().minor_injuries == 10_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deaths": 10_001}, "deaths"),
        ({"deaths": 2**63}, "deaths"),
        ({"direct_loss_yuan": "100000000000.01"}, "direct_loss_yuan"),
        ({"occurred_at": "0001-01-01T00:00:00+08:00"}, "occurred_at"),
        ({"occurred_at": "9999-12-31T23:59:59Z"}, "occurred_at"),
    ],
    ids=["10001-deaths", "2^63-deaths", "loss", "year-1", "year-9999"],
)
def test_the_api_answers_400_naming_the_field(cast, client, overrides, field):
    data = {
        "occurred_at": (timezone.now() - timedelta(minutes=20)).isoformat(),
        "type_code": "09",
        "region": cast.village_a.code,
        "place": "东关社区工地",
        "enterprise": cast.enterprise_x.pk,
        "industry": industry("construction").pk,
        "deaths": 1,
        "direct_loss_yuan": "150000.00",
        "description": "高处坠落",
        "reporter_name": "王安全",
        "reporter_phone": "13800001111",
        **overrides,
    }
    client.force_login(cast["enterprise_x"])
    response = client.post(reverse("api:accident-list"), data, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert field in body.get("errors", body)
    assert not Accident.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01", "date_to": "0001-12-31"},
    ],
    ids=["from-year-1", "to-year-9999", "year-1"],
)
def test_statistics_for_a_period_outside_the_bounds_answer_without_a_server_error(cast, as_user, query):
    client = as_user(cast["county_office"])
    page = client.get(reverse("accidents:statistics"), query)
    assert page.status_code == 200 and "应在 1949-10-01" in page.content.decode()
    assert client.get(reverse("accidents:statistics-export"), query).status_code == 200
    api = client.get(reverse("api:accident-statistics"), query)
    assert api.status_code == 400 and set(api.json().get("errors", api.json())) & set(query)
