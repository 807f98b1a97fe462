"""Acting capacity: who may act or sign for which region, industry, enterprise and department."""

import pytest
from django.contrib.auth.models import AnonymousUser

from anlan.core import capacity
from anlan.core.models import Department, Region, Role
from anlan.core.tests.factories import DepartmentFactory, MembershipFactory, UserFactory, industry

EVERYONE = ["county_office", "town_a", "town_b", "dept_housing", "enterprise_x", "grid_worker", "leader"]
OTHER_COUNTY = "341124000000"  # 全椒县


def expect(names):
    """Parametrize over the whole cast: (name, whether that member is expected to have a capacity)."""
    return pytest.mark.parametrize(("name", "expected"), [(name, name in names) for name in EVERYONE])


# ---------------------------------------------------------------- region


@expect({"county_office", "town_a", "dept_housing", "enterprise_x", "grid_worker", "leader"})
def test_each_role_acts_for_village_a_exactly_when_its_anchor_contains_it(cast, name, expected):
    assert capacity.acts_for(cast[name], region=cast.village_a.code) is expected


@expect({"county_office", "town_b", "dept_housing", "leader"})
def test_each_role_acts_for_town_b_exactly_when_its_anchor_contains_it(cast, name, expected):
    assert capacity.acts_for(cast[name], region=cast.town_b.code) is expected


@expect(set())
def test_nobody_of_the_cast_acts_for_another_county(cast, name, expected):
    assert capacity.acts_for(cast[name], region=OTHER_COUNTY) is expected


def test_capacities_are_the_memberships_that_cover_the_target(cast):
    membership = cast["town_a"].memberships.get()
    assert capacity.capacities(cast["town_a"], region=cast.village_a.code) == [membership]
    assert capacity.capacities(cast["town_a"], region=cast.town_b.code) == []


# ---------------------------------------------------------------- industry


@expect({"county_office", "town_a", "town_b", "dept_housing", "enterprise_x", "grid_worker", "leader"})
def test_construction_is_covered_by_territorial_roles_its_department_and_its_enterprise(cast, name, expected):
    assert capacity.acts_for(cast[name], industry=industry("construction").pk) is expected


@expect({"county_office", "town_a", "town_b", "grid_worker", "leader"})
def test_hazardous_chemicals_are_not_covered_by_housing_nor_by_a_construction_firm(cast, name, expected):
    assert capacity.acts_for(cast[name], industry=industry("hazchem-production")) is expected


def test_a_department_acts_for_a_sub_industry_of_an_industry_it_supervises(cast):
    cast.dept_housing.industries.add(industry("industry-trade"))
    assert capacity.acts_for(cast["dept_housing"], industry=industry("machinery").pk) is True


def test_an_enterprise_user_acts_for_its_enterprises_other_industry_and_no_further(cast):
    cast.enterprise_x.other_industries.set([industry("commerce")])
    assert capacity.acts_for(cast["enterprise_x"], industry=industry("commerce").pk) is True
    assert capacity.acts_for(cast["enterprise_x"], industry=industry("machinery").pk) is False


# ---------------------------------------------------------------- enterprise


@expect({"county_office", "town_a", "dept_housing", "enterprise_x", "grid_worker", "leader"})
def test_each_role_acts_for_enterprise_x_exactly_when_it_lies_in_its_scope(cast, name, expected):
    assert capacity.acts_for(cast[name], enterprise=cast.enterprise_x) is expected


@expect({"county_office", "town_b", "leader"})
def test_each_role_acts_for_enterprise_y_exactly_when_it_lies_in_its_scope(cast, name, expected):
    assert capacity.acts_for(cast[name], enterprise=cast.enterprise_y.pk) is expected


# ---------------------------------------------------------------- department


@expect({"dept_housing"})
def test_only_housings_staff_act_for_housing(cast, name, expected):
    assert capacity.acts_for(cast[name], department=cast.dept_housing) is expected


@expect({"county_office"})
def test_the_county_committee_office_acts_for_the_countys_comprehensive_department(cast, name, expected):
    office = DepartmentFactory(
        name="来安县应急管理局", region=cast.county, kind=Department.Kind.COMPREHENSIVE
    )
    assert capacity.acts_for(cast[name], department=office.pk) is expected


def test_a_committee_office_does_not_act_for_another_regions_comprehensive_department(cast):
    elsewhere = DepartmentFactory(
        name="全椒县应急管理局",
        region=Region.objects.get(pk=OTHER_COUNTY),
        kind=Department.Kind.COMPREHENSIVE,
    )
    assert capacity.acts_for(cast["county_office"], department=elsewhere) is False


def test_a_committee_office_does_not_act_for_an_industry_department_of_its_region(cast):
    assert capacity.acts_for(cast["county_office"], department=cast.dept_housing) is False


# ---------------------------------------------------------------- rights, roles, several targets


def test_a_right_limits_capacities_to_the_roles_holding_it(cast):
    # core.manage_region is the 安委办's alone
    assert capacity.acts_for(cast["county_office"], right="core.manage_region", region=cast.village_a.code)
    assert not capacity.acts_for(cast["town_a"], right="core.manage_region", region=cast.village_a.code)


def test_an_enterprise_user_acts_for_its_enterprise_with_a_right_it_holds_and_not_with_one_it_lacks(cast):
    x = cast.enterprise_x
    assert capacity.acts_for(cast["enterprise_x"], right="core.change_enterprise", enterprise=x) is True
    assert (
        capacity.acts_for(cast["enterprise_x"], right="core.change_enterprise_status", enterprise=x) is False
    )


def test_roles_and_a_right_together_keep_only_roles_holding_the_right(cast):
    user = cast["county_office"]
    assert capacity.capacities(user, right="core.change_enterprise_status", roles=[Role.TOWN]) == []
    assert capacity.capacities(
        user, right="core.change_enterprise_status", roles=[Role.COMMITTEE_OFFICE]
    ) == [user.memberships.get()]


def test_roles_alone_pick_the_memberships_of_those_roles(cast):
    assert capacity.acts_for(cast["grid_worker"], roles=[Role.GRID_WORKER]) is True
    assert capacity.acts_for(cast["town_a"], roles=[Role.GRID_WORKER]) is False


def test_every_target_given_must_be_covered(cast):
    dept = cast["dept_housing"]
    assert capacity.acts_for(dept, region=cast.town_b.code, industry=industry("construction").pk) is True
    assert capacity.acts_for(dept, region=cast.town_b.code, industry=industry("hazchem").pk) is False


def test_a_user_with_two_memberships_has_the_capacities_of_the_one_that_covers(cast):
    user = cast["town_a"]
    extra = MembershipFactory(user=user, role=Role.TOWN, region=cast.town_b)
    user = type(user).objects.get(pk=user.pk)  # memberships are read once per user object
    assert capacity.capacities(user, region=cast.village_b.code) == [extra]


def test_an_inactive_membership_gives_no_capacity(cast):
    cast["town_a"].memberships.update(is_active=False)
    user = type(cast["town_a"]).objects.get(pk=cast["town_a"].pk)
    assert capacity.acts_for(user, region=cast.village_a.code) is False


def test_a_superuser_acts_for_everything_without_a_membership(cast):
    root = UserFactory(username="root", is_superuser=True)
    assert capacity.acts_for(root, region=OTHER_COUNTY) is True
    assert capacity.acts_for(root, right="core.manage_region", enterprise=cast.enterprise_y) is True
    assert capacity.signs_for(root, cast.dept_housing) is True


def test_an_anonymous_user_acts_for_nothing(cast):
    assert capacity.acts_for(AnonymousUser(), region=cast.village_a.code) is False
    assert capacity.signs_for(AnonymousUser(), cast.dept_housing) is False


# ---------------------------------------------------------------- acting department and signing


def test_a_department_member_acts_in_the_name_of_their_department(cast):
    assert capacity.acting_department(cast["dept_housing"], right="core.change_enterprise_status") == (
        cast.dept_housing
    )


def test_a_committee_office_member_acts_in_the_name_of_the_regions_comprehensive_department(cast):
    office = DepartmentFactory(
        name="来安县应急管理局", region=cast.county, kind=Department.Kind.COMPREHENSIVE
    )
    DepartmentFactory(name="来安县安委办", region=cast.county, kind=Department.Kind.COMPREHENSIVE)
    assert capacity.acting_department(cast["county_office"], right="core.manage_region") == office


def test_a_committee_office_without_a_registered_comprehensive_department_acts_for_none(cast):
    DepartmentFactory(
        name="来安县应急管理局", region=cast.county, kind=Department.Kind.COMPREHENSIVE, is_active=False
    )
    assert capacity.acting_department(cast["county_office"], right="core.manage_region") is None


def test_a_user_without_the_right_acts_in_the_name_of_no_department(cast):
    assert capacity.acting_department(cast["enterprise_x"], right="core.change_enterprise_status") is None
    assert capacity.acting_department(cast["dept_housing"], right="core.manage_region") is None


def test_a_town_officer_does_not_act_for_a_comprehensive_department_of_their_town(cast):
    # Given a comprehensive department registered at town A
    town_office = DepartmentFactory(
        name="新安镇安委办", region=cast.town_a, kind=Department.Kind.COMPREHENSIVE
    )
    # Then the town officer can neither sign for it nor act in its name (only a 安委办 member may)
    assert capacity.signs_for(cast["town_a"], town_office) is False
    assert capacity.acting_department(cast["town_a"], right="core.change_enterprise_status") is None


def test_staff_sign_for_their_department_and_not_for_another(cast):
    transport = cast.dept_transport
    assert capacity.signs_for(cast["dept_housing"], cast.dept_housing) is True
    assert capacity.signs_for(cast["dept_housing"], transport) is False


def test_the_committee_office_signs_for_the_comprehensive_department_of_its_region(cast):
    office = DepartmentFactory(
        name="来安县应急管理局", region=cast.county, kind=Department.Kind.COMPREHENSIVE
    )
    assert capacity.signs_for(cast["county_office"], office) is True
    assert capacity.signs_for(cast["town_a"], office) is False
