"""The accidents API: the same services, the same errors naming the field, the same scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anlan.accidents.models import Accident
from anlan.accidents.tests.factories import report
from anlan.core.tests.factories import industry

pytestmark = pytest.mark.django_db


def payload(cast, **overrides):
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
    }
    data.update(overrides)
    return data


def test_an_enterprise_files_a_first_report_and_gets_the_chain_back(cast, client):
    client.force_login(cast["enterprise_x"])
    response = client.post(reverse("api:accident-list"), payload(cast), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["grade"] == "ordinary"
    assert [s["level"] for s in body["steps"]] == ["county", "city"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"deaths": -1}, "deaths", id="negative deaths"),
        pytest.param({"direct_loss_yuan": "1.005"}, "direct_loss_yuan", id="three decimals"),
        pytest.param(
            {"occurred_at": (timezone.now() + timedelta(hours=1)).isoformat()},
            "occurred_at",
            id="occurred in the future",
        ),
        pytest.param({"industry": 99999}, "industry", id="unknown industry"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_saved(cast, client, overrides, field):
    client.force_login(cast["enterprise_x"])
    response = client.post(
        reverse("api:accident-list"), payload(cast, **overrides), content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert field in body.get("errors", body)
    assert not Accident.objects.exists()


def test_a_follow_up_through_the_api_re_grades(cast, client):
    accident = report(cast)
    client.force_login(cast["enterprise_x"])
    response = client.post(
        reverse("api:accident-reports", args=[accident.pk]),
        {"kind": "supplement", "deaths": 0, "serious_injuries": 12, "description": "12人急性中毒"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["grade_after"] == "relatively_major"
    assert client.get(reverse("api:accident-reports", args=[accident.pk])).json()[1]["kind"] == "supplement"


def test_statistics_through_the_api_are_scoped(cast, client):
    report(cast)
    client.force_login(cast["town_b"])
    assert client.get(reverse("api:accident-statistics")).json()["total"]["current"]["accidents"] == 0
    client.force_login(cast["county_office"])
    body = client.get(reverse("api:accident-statistics")).json()
    assert body["total"]["current"]["accidents"] == 1
    assert body["total"]["current"]["deaths"] == 1
    assert client.get(reverse("api:accident-statistics"), {"region": "110000000000"}).status_code == 400


def test_statistics_refuse_an_unknown_industry_naming_the_field(cast, client):
    client.force_login(cast["county_office"])
    response = client.get(reverse("api:accident-statistics"), {"industry": 99999})
    assert response.status_code == 400
    assert "industry" in response.json()


def test_statistics_refuse_a_period_ending_before_it_starts_as_the_page_does(cast, client):
    client.force_login(cast["county_office"])
    query = {"date_from": "2026-05-01", "date_to": "2026-04-30"}
    response = client.get(reverse("api:accident-statistics"), query)
    assert response.status_code == 400
    assert response.json()["date_to"] == ["截止日期不能早于起始日期。"]
    page = client.get(reverse("accidents:statistics"), query).content.decode()
    assert "截止日期不能早于起始日期。" in page


def test_statistics_default_to_this_year_up_to_today(cast, client):
    client.force_login(cast["county_office"])
    body = client.get(reverse("api:accident-statistics")).json()
    today = timezone.localdate()
    assert (body["date_from"], body["date_to"]) == (f"{today.year}-01-01", today.isoformat())


def test_statistics_through_the_api_group_by_section_when_asked(cast, client):
    report(cast)
    client.force_login(cast["county_office"])
    rows = client.get(reverse("api:accident-statistics"), {"group": "section"}).json()["by_industry"]
    assert [(r["key"], r["label"], r["current"]["accidents"]) for r in rows] == [("E", "E 建筑业", 1)]
    assert client.get(reverse("api:accident-statistics")).json()["by_industry"][0]["label"] == "建筑施工"
    assert client.get(reverse("api:accident-statistics"), {"group": "nonsense"}).status_code == 400
