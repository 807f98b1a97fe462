"""Jurisdiction scope: who sees which enterprise (design.md §2)."""

import pytest

from anlan.core.models import Enterprise, Grid, Region
from anlan.core.tests.factories import EnterpriseFactory, industry

VISIBLE = {
    "county_office": {"x", "y"},
    "leader": {"x", "y"},
    "town_a": {"x"},
    "town_b": {"y"},
    "dept_housing": {"x"},
    "enterprise_x": {"x"},
    "grid_worker": {"x"},
}


@pytest.mark.parametrize("name", sorted(VISIBLE))
def test_each_cast_member_sees_exactly_the_enterprises_in_their_jurisdiction(cast, name):
    labels = {cast.enterprise_x.pk: "x", cast.enterprise_y.pk: "y"}
    seen = {labels[pk] for pk in Enterprise.objects.for_user(cast[name]).values_list("pk", flat=True)}
    assert seen == VISIBLE[name]


def test_anonymous_sees_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not Enterprise.objects.for_user(AnonymousUser()).exists()


def test_department_sees_an_enterprise_whose_other_industry_it_supervises_once(cast):
    mixed = EnterpriseFactory(region=cast.town_b, industry=industry("commerce"))
    mixed.other_industries.set([industry("urban-gas"), industry("construction")])
    visible = list(Enterprise.objects.for_user(cast["dept_housing"]).values_list("pk", flat=True))
    assert visible.count(mixed.pk) == 1


def test_department_sees_sub_industries_of_a_supervised_industry(cast):
    cast.dept_housing.industries.add(industry("industry-trade"))
    machine = EnterpriseFactory(region=cast.town_b, industry=industry("machinery"))
    dept = type(cast["dept_housing"]).objects.get(pk=cast["dept_housing"].pk)  # fresh user, no cached scope
    assert Enterprise.objects.for_user(dept).filter(pk=machine.pk).exists()


def test_department_does_not_see_supervised_industry_outside_its_region(cast):
    other_county = Region.objects.get(pk="341124000000")  # 全椒县
    town = Region.objects.create(
        code="341124100000", name="襄河镇", level=Region.Level.TOWN, parent=other_county
    )
    outside = EnterpriseFactory(region=town, industry=industry("construction"))
    assert not Enterprise.objects.for_user(cast["dept_housing"]).filter(pk=outside.pk).exists()


def test_region_subtree_is_a_code_range_that_excludes_the_neighbouring_county(cast):
    neighbour_town = Region.objects.create(
        code="341123100000",
        name="邻县某镇",
        level=Region.Level.TOWN,
        parent=Region.objects.get(pk="341100000000"),
    )
    outsider = EnterpriseFactory(region=neighbour_town, industry=industry("construction"))
    assert not Enterprise.objects.for_user(cast["county_office"]).filter(pk=outsider.pk).exists()


def test_grid_worker_sees_only_their_grid(cast):
    other_grid = Grid.objects.create(region=cast.village_a, code="G02", name="第2网格")
    same_village_other_grid = EnterpriseFactory(
        region=cast.village_a, grid=other_grid, industry=industry("commerce")
    )
    visible = Enterprise.objects.for_user(cast["grid_worker"])
    assert not visible.filter(pk=same_village_other_grid.pk).exists()
    assert visible.filter(pk=cast.enterprise_x.pk).exists()


def test_a_user_with_two_memberships_sees_the_union(cast):
    from anlan.core.models import Membership, Role, User

    user = User.objects.create(username="both")
    Membership.objects.create(user=user, role=Role.TOWN, region=cast.town_a)
    Membership.objects.create(user=user, role=Role.TOWN, region=cast.town_b)
    assert set(Enterprise.objects.for_user(user).values_list("pk", flat=True)) == {
        cast.enterprise_x.pk,
        cast.enterprise_y.pk,
    }


def test_an_inactive_membership_grants_nothing(cast):
    cast["town_a"].memberships.update(is_active=False)
    user = type(cast["town_a"]).objects.get(pk=cast["town_a"].pk)
    assert not Enterprise.objects.for_user(user).exists()
