"""The inspection form's team choices: the acting department's pool and its 联合执法 partners' (the departments
of the same region), certified and active only, each labelled so namesakes can be told apart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anlan.core.models import Region
from anlan.core.tests.factories import DepartmentFactory
from anlan.inspections import selectors
from anlan.inspections.forms import InspectionForm

from .factories import inspector

pytestmark = pytest.mark.django_db


@pytest.fixture
def pools(cast):
    elsewhere = DepartmentFactory(name="长丰县住房和城乡建设局", region=Region.objects.get(pk="340121000000"))
    closed = DepartmentFactory(name="来安县已撤并局", region=cast.county, is_active=False)
    return {
        "zhang_1": inspector(cast.dept_housing, name="张伟"),
        "zhang_2": inspector(cast.dept_housing, name="张伟"),
        "partner": inspector(cast.dept_transport, name="王交通"),
        "expired": inspector(cast.dept_housing, name="过期", expires_in_days=-1),
        "left": inspector(cast.dept_housing, name="离库", active=False),
        "closed": inspector(closed, name="撤并"),
        "elsewhere": inspector(elsewhere, name="外县"),
    }


@pytest.mark.parametrize("who", ["dept_housing", "county_office"])
def test_the_team_is_drawn_from_the_acting_pool_and_its_partners_only(cast, pools, who):
    form = InspectionForm(user=cast[who])
    assert set(form.fields["team"].queryset) == {pools["zhang_1"], pools["zhang_2"], pools["partner"]}


def test_a_user_who_acts_for_no_department_is_offered_no_inspector(cast, pools):
    assert not InspectionForm(user=cast["town_a"]).fields["team"].queryset.exists()


def test_namesakes_of_one_department_are_told_apart_by_their_certificate(cast, pools):
    form = InspectionForm(user=cast["dept_housing"])
    labels = [label for _value, label in form.fields["team"].choices]
    first, second = pools["zhang_1"], pools["zhang_2"]
    housing = cast.dept_housing.short_name or cast.dept_housing.name
    assert f"张伟（{housing} · 执法证 {first.certificate_number}）" in labels
    assert f"张伟（{housing} · 执法证 {second.certificate_number}）" in labels
    assert selectors.inspector_label(first) != selectors.inspector_label(second)


def test_the_page_shows_the_pool_and_not_other_counties_inspectors(cast, pools, client):
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("inspections:inspection-create")).content.decode()
    assert pools["zhang_1"].certificate_number in page
    assert pools["partner"].certificate_number in page
    assert pools["elsewhere"].certificate_number not in page
    assert pools["closed"].certificate_number not in page


def test_an_inspector_outside_the_pool_is_refused_on_the_team_field(cast, pools):
    form = InspectionForm(
        {
            "department": cast.dept_housing.pk,
            "kind": "routine",
            "enterprise": cast.enterprise_x.pk,
            "planned_on": "2026-12-01",
            "team": [pools["zhang_1"].pk, pools["elsewhere"].pk],
        },
        user=cast["dept_housing"],
    )
    assert not form.is_valid()
    assert list(form.errors) == ["team"]
