"""Fines when responsibility is recorded (安全生产法 2021 第一百一十四条, 第九十五条): the unit's entered fine is
checked against its grade's range, the 主要负责人's follows from last year's income; the form shows both."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anlan.accidents import services
from anlan.accidents.models import Responsibility
from anlan.accidents.rules import ErrorCode
from anlan.accidents.tests.factories import report
from anlan.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _investigated(cast, **figures):
    accident = report(cast, **figures)
    services.open_investigation(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        data={"lead_organ": "县政府", "team_leader": "张"},
    )
    return accident


def _unit(cast, accident, fine, aggravated=False):
    return services.add_responsibility(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        data={
            "party": "unit",
            "enterprise": cast.enterprise_x,
            "finding": "未落实主体责任",
            "recommended_handling": "罚款",
            "fine_wan": fine,
            "aggravated": aggravated,
        },
    )


@pytest.mark.parametrize(
    ("deaths", "aggravated", "fine", "allowed"),
    [
        pytest.param(1, False, "29.999999", False, id="ordinary-below-30"),
        pytest.param(1, False, "30", True, id="ordinary-30"),
        pytest.param(1, False, "100", True, id="ordinary-100"),
        pytest.param(1, False, "100.000001", False, id="ordinary-above-100"),
        pytest.param(1, True, "59.99", False, id="ordinary-aggravated-below-60"),
        pytest.param(1, True, "60", True, id="ordinary-aggravated-60"),
        pytest.param(1, True, "500", True, id="ordinary-aggravated-500"),
        pytest.param(1, True, "500.01", False, id="ordinary-aggravated-above-500"),
        pytest.param(3, False, "99.99", False, id="relatively-major-below-100"),
        pytest.param(3, False, "200", True, id="relatively-major-200"),
    ],
)
def test_the_unit_fine_is_checked_against_the_range_of_the_grade(cast, deaths, aggravated, fine, allowed):
    accident = _investigated(cast, deaths=deaths)
    if allowed:
        responsibility = _unit(cast, accident, Decimal(fine), aggravated)
        assert (responsibility.fine_wan, responsibility.aggravated) == (Decimal(fine), aggravated)
        return
    with pytest.raises(DomainError) as refused:
        _unit(cast, accident, Decimal(fine), aggravated)
    assert (refused.value.code, refused.value.field) == (ErrorCode.FINE_OUT_OF_RANGE, "fine_wan")
    assert not Responsibility.objects.exists()
    assert not Responsibility.history.exists()


def test_a_unit_may_be_recorded_before_its_fine_is_decided(cast):
    responsibility = _unit(cast, _investigated(cast), None)
    assert responsibility.fine_wan is None


@pytest.mark.parametrize(
    ("deaths", "percent", "fine"),
    [
        pytest.param(1, 40, Decimal("12.400000"), id="ordinary-40"),
        pytest.param(3, 60, Decimal("18.600000"), id="relatively-major-60"),
        pytest.param(10, 80, Decimal("24.800000"), id="major-80"),
    ],
)
def test_the_principal_is_fined_the_grade_share_of_last_year_income(cast, deaths, percent, fine):
    accident = _investigated(cast, deaths=deaths)
    principal = services.add_responsibility(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        data={
            "party": "person",
            "name": "李总",
            "position": "总经理",
            "is_principal": True,
            "last_year_income_wan": Decimal("31"),
            "finding": "未履行主要负责人职责",
            "recommended_handling": "罚款",
        },
    )
    assert (principal.fine_percent, principal.fine_wan) == (percent, fine)


def test_another_person_carries_no_principal_fine(cast):
    accident = _investigated(cast)
    person = services.add_responsibility(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        data={
            "party": "person",
            "name": "王工",
            "last_year_income_wan": Decimal("10"),
            "finding": "违章指挥",
            "recommended_handling": "处分",
        },
    )
    assert (person.is_principal, person.fine_percent, person.fine_wan) == (False, None, None)


def test_the_form_shows_the_range_and_share_of_the_grade_and_the_page_refuses_a_fine_outside_it(cast, client):
    accident = _investigated(cast, deaths=3)
    client.force_login(cast["county_office"])
    page = client.get(f"/accidents/{accident.pk}/").content.decode()
    assert "100万元至200万元" in page
    assert "200万元至1000万元" in page  # aggravated: 2× the minimum to 5× the maximum
    assert "60%" in page
    response = client.post(
        f"/accidents/{accident.pk}/investigation/responsibilities/new/",
        {
            "party": "unit",
            "enterprise": cast.enterprise_x.pk,
            "finding": "x",
            "recommended_handling": "y",
            "fine_wan": "250",
        },
        follow=True,
    )
    assert "100万元至200万元之间" in response.content.decode()
    assert not Responsibility.objects.exists()
