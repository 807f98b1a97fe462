"""Planning is a department's own (issue 12): plans, the inspector pool and 双随机 draws of the housing
department are out of the transport department's reach (404), read-only for the county 安委办, and a draw's
targets stay inside its department's region and industries whatever is posted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from anlan.core.errors import Code, DomainError
from anlan.core.models import Department, Role
from anlan.core.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    industry,
)
from anlan.inspections import selectors, services
from anlan.inspections.errors import ErrorCode
from anlan.inspections.models import Inspection, InspectionPlan, Inspector, RandomDraw

from .factories import inspector

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def sites(cast):
    return [
        EnterpriseFactory(
            name=f"来安县第{n}建筑公司", region=cast.village_a, industry=industry("construction")
        )
        for n in range(4)
    ]


@pytest.fixture
def pool(cast):
    return [inspector(cast.dept_housing, name="张执法"), inspector(cast.dept_housing, name="李执法")]


@pytest.fixture
def plan(cast):
    return services.save_plan(
        actor=cast["dept_housing"],
        data={
            "department": cast.dept_housing.pk,
            "year": _today().year,
            "title": "住建年度计划",
            "monthly_counts": [1] * 12,
        },
    )


def _draw_data(department, cast, **overrides):
    return {
        "department": department.pk,
        "title": "双随机",
        "period_start": _today(),
        "period_end": _today() + timedelta(days=20),
        "region": cast.county.pk,
        "sample_size": 2,
        "team_size": 2,
        "seed": 42,
        **overrides,
    }


@pytest.fixture
def housing_draw(cast, pool, sites):
    return services.create_draw(actor=cast["dept_housing"], data=_draw_data(cast.dept_housing, cast))


def test_another_department_of_the_same_county_does_not_see_housing_planning(cast, plan, pool, housing_draw):
    transport = cast["dept_transport"]
    assert not InspectionPlan.objects.for_user(transport).exists()
    assert not Inspector.objects.for_user(transport).exists()
    assert not RandomDraw.objects.for_user(transport).exists()
    for access, pk in (
        (selectors.access_plan, plan.pk),
        (selectors.access_inspector, pool[0].pk),
        (selectors.access_draw, housing_draw.pk),
    ):
        with pytest.raises(Http404):
            access(transport, pk)


def test_the_county_office_and_the_leader_read_every_department_planning(cast, plan, pool, housing_draw):
    for who in ("county_office", "leader"):
        assert list(InspectionPlan.objects.for_user(cast[who])) == [plan]
        assert set(Inspector.objects.for_user(cast[who])) == set(pool)
        assert list(RandomDraw.objects.for_user(cast[who])) == [housing_draw]


def test_a_town_sees_no_county_department_planning(cast, plan, pool, housing_draw):
    for who in ("town_a", "town_b", "grid_worker", "enterprise_x", "expert"):
        assert not InspectionPlan.objects.for_user(cast[who]).exists()
        assert not Inspector.objects.for_user(cast[who]).exists()
        assert not RandomDraw.objects.for_user(cast[who]).exists()


def test_transport_cannot_edit_housing_plan_or_rename_or_deactivate_its_inspector(cast, plan, pool):
    transport = cast["dept_transport"]
    with pytest.raises(Http404):
        services.save_plan(
            actor=transport, plan_pk=plan.pk, data={"title": "改名", "monthly_counts": [0] * 12}
        )
    with pytest.raises(Http404):
        services.save_inspector(
            actor=transport, inspector_pk=pool[0].pk, data={"name": "王某", "is_active": False}
        )
    plan.refresh_from_db()
    pool[0].refresh_from_db()
    assert plan.title == "住建年度计划"
    assert (pool[0].name, pool[0].is_active) == ("张执法", True)
    assert pool[0].history.count() == 1


def test_the_county_office_reads_but_does_not_keep_a_department_planning(cast, plan, pool, housing_draw):
    office = cast["county_office"]
    with pytest.raises(PermissionDenied):
        services.save_plan(actor=office, plan_pk=plan.pk, data={"title": "改名", "monthly_counts": [0] * 12})
    with pytest.raises(PermissionDenied):
        services.save_inspector(actor=office, inspector_pk=pool[0].pk, data={"is_active": False})
    with pytest.raises(PermissionDenied):
        services.confirm_draw(actor=office, draw_pk=housing_draw.pk)
    housing_draw.refresh_from_db()
    assert housing_draw.status == RandomDraw.Status.DRAFT


@pytest.mark.parametrize("action", ["plan", "inspector", "draw"])
def test_nobody_makes_planning_in_another_department_name(cast, pool, sites, action):
    transport = cast["dept_transport"]
    with pytest.raises(DomainError) as refused:
        if action == "plan":
            services.save_plan(
                actor=transport,
                data={
                    "department": cast.dept_housing.pk,
                    "year": 2026,
                    "title": "冒名计划",
                    "monthly_counts": [1] * 12,
                },
            )
        elif action == "inspector":
            services.save_inspector(
                actor=transport,
                data={
                    "department": cast.dept_housing.pk,
                    "name": "冒名",
                    "certificate_number": "3411220000",
                    "certificate_expires_on": _today() + timedelta(days=300),
                },
            )
        else:
            services.create_draw(actor=transport, data=_draw_data(cast.dept_housing, cast))
    assert refused.value.code == Code.OUT_OF_SCOPE and refused.value.field == "department"
    assert not InspectionPlan.objects.exists() and not RandomDraw.objects.exists()
    assert Inspector.objects.count() == 2


def test_transport_cannot_confirm_or_publish_housing_draw(cast, housing_draw):
    with pytest.raises(Http404):
        services.confirm_draw(actor=cast["dept_transport"], draw_pk=housing_draw.pk)
    services.confirm_draw(actor=cast["dept_housing"], draw_pk=housing_draw.pk)
    with pytest.raises(Http404):
        services.publish_draw(actor=cast["dept_transport"], draw_pk=housing_draw.pk)
    housing_draw.refresh_from_db()
    assert housing_draw.status == RandomDraw.Status.CONFIRMED
    assert Inspection.objects.filter(draw=housing_draw).count() == 2


def test_a_draw_targets_only_enterprises_of_its_department_industries(cast, sites):
    """Transport draws over the whole county and over construction: only transport enterprises come out."""
    inspector(cast.dept_transport, name="赵执法")
    inspector(cast.dept_transport, name="钱执法")
    haulier = EnterpriseFactory(
        name="来安县货运公司", region=cast.village_b, industry=industry("road-transport")
    )
    draw = services.create_draw(
        actor=cast["dept_transport"], data=_draw_data(cast.dept_transport, cast, sample_size=1)
    )
    assert draw.pool == [haulier.pk]
    with pytest.raises(DomainError) as refused:
        services.create_draw(
            actor=cast["dept_transport"],
            data=_draw_data(cast.dept_transport, cast, industry=industry("construction"), sample_size=1),
        )
    assert refused.value.code == ErrorCode.DRAW_POOL_TOO_SMALL  # no construction site is transport's
    assert RandomDraw.objects.count() == 1


def test_confirming_refuses_a_draw_whose_targets_left_its_department_scope(cast, housing_draw):
    """Whatever the recorded result says, confirmation plans inspections only inside the department's scope."""
    RandomDraw.objects.filter(pk=housing_draw.pk).update(
        result=[{"enterprise": cast.enterprise_y.pk, "team": housing_draw.result[0]["team"]}]
    )
    with pytest.raises(DomainError) as refused:
        services.confirm_draw(actor=cast["dept_housing"], draw_pk=housing_draw.pk)
    assert refused.value.code == Code.OUT_OF_SCOPE
    housing_draw.refresh_from_db()
    assert housing_draw.status == RandomDraw.Status.DRAFT
    assert not Inspection.objects.exists()


def test_the_county_office_keeps_the_comprehensive_department_planning(cast, sites):
    """The 安委办 signs for its region's comprehensive department (core.capacity.signs_for), and only that one."""
    office = DepartmentFactory(
        name="来安县应急管理局", region=cast.county, kind=Department.Kind.COMPREHENSIVE
    )
    plan = services.save_plan(
        actor=cast["county_office"],
        data={"department": office.pk, "year": 2026, "title": "综合监管计划", "monthly_counts": [1] * 12},
    )
    assert plan.department == office
    assert list(selectors.planning_departments(cast["county_office"], "inspections.manage_plan")) == [office]
    with pytest.raises(Http404):
        selectors.access_plan(cast["dept_housing"], plan.pk)


def test_a_second_member_of_the_department_keeps_its_planning(cast, plan):
    colleague = UserFactory(username="housing_2")
    MembershipFactory(user=colleague, role=Role.DEPARTMENT, department=cast.dept_housing)
    saved = services.save_plan(
        actor=colleague, plan_pk=plan.pk, data={"title": "住建年度计划（修订）", "monthly_counts": [1] * 12}
    )
    assert saved.title == "住建年度计划（修订）"


# ---------------------------------------------------------------- pages


def test_the_draw_page_asks_before_confirming(cast, housing_draw, client):
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("inspections:draw-detail", args=[housing_draw.pk])).content.decode()
    confirm_url = reverse("inspections:draw-confirm", args=[housing_draw.pk])
    assert f'action="{confirm_url}"' in page
    form = page[page.index(f'action="{confirm_url}"') - 200 : page.index(f'action="{confirm_url}"') + 300]
    assert "data-confirm=" in form


def test_the_county_office_gets_no_confirm_button_on_a_department_draw(cast, housing_draw, client):
    client.force_login(cast["county_office"])
    page = client.get(reverse("inspections:draw-detail", args=[housing_draw.pk])).content.decode()
    assert reverse("inspections:draw-confirm", args=[housing_draw.pk]) not in page
    assert client.post(reverse("inspections:draw-confirm", args=[housing_draw.pk])).status_code == 403


def test_the_inspector_list_links_only_the_department_own_inspectors(cast, pool, client):
    client.force_login(cast["county_office"])
    page = client.get(reverse("inspections:inspector-list")).content.decode()
    assert "张执法" in page
    assert reverse("inspections:inspector-edit", args=[pool[0].pk]) not in page
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("inspections:inspector-list")).content.decode()
    assert reverse("inspections:inspector-edit", args=[pool[0].pk]) in page


def test_planning_an_inspection_through_the_api_without_a_department_names_the_field(cast, client):
    """The model allows no department (a town's own check), the API's planning always needs one: 400, not 500
    (found by the schema fuzzing)."""
    import json

    client.force_login(cast["county_office"])
    response = client.post(
        "/api/v1/inspections/",
        data=json.dumps({"kind": "routine", "planned_on": "2026-12-01", "team_ids": []}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "department"


def test_an_inspection_links_its_draw_only_for_those_who_may_open_it(cast, housing_draw, as_user):
    from django.urls import reverse

    services.confirm_draw(actor=cast["dept_housing"], draw_pk=housing_draw.pk)
    services.publish_draw(actor=cast["dept_housing"], draw_pk=housing_draw.pk)
    inspection = Inspection.objects.filter(
        draw=housing_draw, enterprise__region__code__startswith=cast.town_a.code[:9]
    ).first()
    assert inspection is not None
    url = reverse("inspections:inspection-detail", args=[inspection.pk])
    draw_url = reverse("inspections:draw-detail", args=[housing_draw.pk])
    for who, linked in (("dept_housing", True), ("town_a", False)):
        client = as_user(cast[who])
        page = client.get(url)
        assert page.status_code == 200
        assert (f'href="{draw_url}"' in page.content.decode()) is linked
        assert client.get(draw_url).status_code == (200 if linked else 404)
