"""Recipients: who is told about an enterprise, region or department event — exactly those users."""

import pytest

from anlan.core import contract, recipients, trees, units
from anlan.core.models import Department, Region, Role, User
from anlan.core.tests.factories import DepartmentFactory, MembershipFactory, UserFactory, industry

OTHER_COUNTY = "341124000000"  # 全椒县


def names(users) -> set[str]:
    return set(users.values_list("username", flat=True))


# ---------------------------------------------------------------- members


def test_members_of_the_county_as_committee_office_are_its_office_and_not_its_leader(cast):
    assert names(recipients.members(region=cast.county, roles=[Role.COMMITTEE_OFFICE])) == {"county_office"}


def test_members_of_a_region_without_roles_are_every_role_anchored_there(cast):
    assert names(recipients.members(region=cast.county.code)) == {"county_office", "leader"}


def test_members_of_a_region_are_the_office_of_that_region_not_of_its_towns(cast):
    assert names(recipients.members(region=cast.county, roles=[Role.TOWN])) == set()


def test_members_of_a_department_are_its_staff(cast):
    assert names(recipients.members(department=cast.dept_housing)) == {"dept_housing"}


def test_members_with_no_anchor_and_no_roles_are_nobody(cast):
    assert names(recipients.members()) == set()


def test_an_inactive_user_is_not_a_member(cast):
    User.objects.filter(username="county_office").update(is_active=False)
    assert names(recipients.members(region=cast.county, roles=[Role.COMMITTEE_OFFICE])) == set()


def test_an_inactive_membership_makes_no_member(cast):
    cast["county_office"].memberships.update(is_active=False)
    assert names(recipients.members(region=cast.county, roles=[Role.COMMITTEE_OFFICE])) == set()


# ---------------------------------------------------------------- enterprise, town, 安委办, department


def test_an_enterprises_users_are_its_own_accounts(cast):
    assert names(recipients.enterprise_users(cast.enterprise_x)) == {"enterprise_x"}
    assert names(recipients.enterprise_users(cast.enterprise_y.pk)) == set()


def test_an_enterprise_user_whose_membership_lapsed_is_not_told(cast):
    cast["enterprise_x"].memberships.update(is_active=False)
    assert names(recipients.enterprise_users(cast.enterprise_x)) == set()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("341122100001", {"town_a"}, id="village-in-town-a"),
        pytest.param("341122100000", {"town_a"}, id="town-a-itself"),
        pytest.param("341122101001", {"town_b"}, id="village-in-town-b"),
        pytest.param("341122000000", set(), id="county-has-no-town"),
    ],
)
def test_the_town_office_is_the_town_officers_of_the_town_the_code_lies_in(cast, code, expected):
    assert names(recipients.town_office(code)) == expected


def test_the_committee_office_of_a_village_is_its_countys(cast):
    assert names(recipients.committee_office(cast.village_b.code)) == {"county_office"}


def test_the_committee_office_at_town_level_is_the_towns_own_office(cast):
    assert names(recipients.committee_office(cast.village_a.code, level=trees.TOWN)) == set()
    MembershipFactory(
        user=UserFactory(username="town_a_office"), role=Role.COMMITTEE_OFFICE, region=cast.town_a
    )
    assert names(recipients.committee_office(cast.village_a.code, level=trees.TOWN)) == {"town_a_office"}


def test_department_staff_are_its_members_and_none_without_a_department(cast):
    assert names(recipients.department_staff(cast.dept_housing)) == {"dept_housing"}
    assert names(recipients.department_staff(None)) == set()


# ---------------------------------------------------------------- supervising departments (三管三必须)


def test_housing_supervises_construction_in_village_a(cast):
    found = recipients.supervising_departments(cast.village_a.code, industry("construction").pk)
    assert list(found) == [cast.dept_housing]


def test_no_department_supervises_hazardous_chemicals_yet(cast):
    assert list(recipients.supervising_departments(cast.town_b.code, industry("hazchem-production").pk)) == []
    assert recipients.supervising_department(cast.town_b.code, industry("hazchem-production").pk) is None


def test_no_industry_means_no_supervising_department(cast):
    assert list(recipients.supervising_departments(cast.village_a.code, None)) == []
    assert recipients.supervising_department(cast.village_a.code, None) is None


def test_supervising_departments_come_nearest_level_first_and_leave_member_departments_out(cast):
    # Given a town-level construction office, a county comprehensive office and a member department,
    # all holding construction, and one in another county
    comprehensive = DepartmentFactory(
        name="来安县应急管理局",
        region=cast.county,
        kind=Department.Kind.COMPREHENSIVE,
        industries=[industry("construction")],
    )
    town = DepartmentFactory(name="新安镇建设办", region=cast.town_a, industries=[industry("construction")])
    DepartmentFactory(
        name="来安县总工会",
        region=cast.county,
        kind=Department.Kind.MEMBER,
        industries=[industry("construction")],
    )
    DepartmentFactory(
        name="全椒县住建局", region=Region.objects.get(pk=OTHER_COUNTY), industries=[industry("construction")]
    )
    # When the supervisors of construction in village A are asked for
    found = list(recipients.supervising_departments(cast.village_a.code, industry("construction").pk))
    # Then the town comes first, then the county's industry department before its comprehensive one
    assert found == [town, cast.dept_housing, comprehensive]
    assert recipients.supervising_department(cast.village_a.code, industry("construction").pk) == town


def test_an_industry_department_comes_before_a_comprehensive_one_registered_earlier(cast):
    comprehensive = DepartmentFactory(
        name="来安县应急管理局",
        region=cast.county,
        kind=Department.Kind.COMPREHENSIVE,
        industries=[industry("transport")],
    )
    transport = cast.dept_transport  # the cast's, supervising transport
    found = list(recipients.supervising_departments(cast.village_a.code, industry("transport").pk))
    assert found == [transport, comprehensive]
    assert recipients.supervising_department(cast.village_a.code, industry("transport").pk) == transport


def test_a_department_holding_a_section_supervises_its_divisions(cast):
    trade = DepartmentFactory(
        name="来安县经信局", region=cast.county, industries=[industry("industry-trade")]
    )
    assert list(recipients.supervising_departments(cast.village_a.code, industry("machinery").pk)) == [trade]


def test_a_department_holding_a_division_does_not_supervise_its_section(cast):
    DepartmentFactory(name="来安县商务局", region=cast.county, industries=[industry("commerce")])
    assert list(recipients.supervising_departments(cast.village_a.code, industry("industry-trade").pk)) == []


def test_an_inactive_department_supervises_nothing(cast):
    Department.objects.filter(pk=cast.dept_housing.pk).update(is_active=False)
    assert list(recipients.supervising_departments(cast.village_a.code, industry("construction").pk)) == []


def test_a_level_keeps_only_the_departments_of_that_levels_region(cast):
    town = DepartmentFactory(name="新安镇建设办", region=cast.town_a, industries=[industry("construction")])
    construction = industry("construction").pk
    assert list(
        recipients.supervising_departments(cast.village_a.code, construction, level=trees.COUNTY)
    ) == [cast.dept_housing]
    assert list(recipients.supervising_departments(cast.village_a.code, construction, level=trees.TOWN)) == [
        town
    ]


def test_supervising_staff_are_the_active_staff_of_every_supervising_department(cast):
    town = DepartmentFactory(name="新安镇建设办", region=cast.town_a, industries=[industry("construction")])
    MembershipFactory(user=UserFactory(username="town_builder"), role=Role.DEPARTMENT, department=town)
    MembershipFactory(
        user=UserFactory(username="gone", is_active=False), role=Role.DEPARTMENT, department=town
    )
    MembershipFactory(
        user=UserFactory(username="moved_on"),
        role=Role.DEPARTMENT,
        department=cast.dept_housing,
        is_active=False,
    )
    construction = industry("construction").pk
    assert names(recipients.supervising_staff(cast.village_a.code, construction)) == {
        "dept_housing",
        "town_builder",
    }
    assert names(recipients.supervising_staff(cast.village_a.code, construction, level=trees.TOWN)) == {
        "town_builder"
    }
    assert names(recipients.supervising_staff(cast.town_b.code, construction)) == {"dept_housing"}


# ---------------------------------------------------------------- groups and the duty office


def test_a_group_no_module_declares_is_empty(cast):
    assert names(recipients.group("kernel_test_nobody", region=cast.county.code)) == set()


def test_a_declared_group_answers_for_its_context(cast):
    unit = units.unit_for(cast.dept_housing)
    assert names(recipients.group("core.unit_members", unit=unit)) == {"dept_housing"}


def test_the_duty_office_is_the_committee_office_while_no_module_declares_duty_officers(cast, monkeypatch):
    monkeypatch.delitem(contract.registry().recipient_groups, "duty_officers", raising=False)
    assert names(recipients.duty_office(cast.village_a.code)) == {"county_office"}


def test_the_duty_office_is_the_committee_office_while_nobody_is_on_duty(cast):
    assert "duty_officers" in contract.registry().recipient_groups  # declared by the emergency module
    assert names(recipients.duty_office(cast.village_a.code)) == {"county_office"}


def test_the_duty_office_is_the_declared_duty_officers_when_someone_is_on_duty(cast, monkeypatch):
    asked = []

    def on_duty(*, region):
        asked.append(region)
        return User.objects.filter(username="leader")

    monkeypatch.setitem(contract.registry().recipient_groups, "duty_officers", on_duty)
    assert names(recipients.duty_office(cast.village_a.code)) == {"leader"}
    assert asked == [cast.county.code]


def test_the_duty_office_falls_back_to_the_committee_office_when_nobody_is_on_duty(cast, monkeypatch):
    monkeypatch.setitem(
        contract.registry().recipient_groups, "duty_officers", lambda **context: User.objects.none()
    )
    assert names(recipients.duty_office(cast.village_a.code)) == {"county_office"}


# ---------------------------------------------------------------- many pairs at once (ledgers)


def test_the_department_router_chooses_as_supervising_department_for_every_pair(cast):
    # Given departments at two levels, of both kinds, a member department, an inactive one, another county's
    DepartmentFactory(
        name="来安县应急管理局",
        region=cast.county,
        kind=Department.Kind.COMPREHENSIVE,
        industries=[industry("construction"), industry("transport"), industry("hazchem-production")],
    )
    DepartmentFactory(name="新安镇建设办", region=cast.town_a, industries=[industry("construction")])
    DepartmentFactory(
        name="来安县总工会",
        region=cast.county,
        kind=Department.Kind.MEMBER,
        industries=[industry("commerce")],
    )
    DepartmentFactory(
        name="来安县经信局", region=cast.county, industries=[industry("industry-trade")], is_active=False
    )
    DepartmentFactory(
        name="全椒县住建局", region=Region.objects.get(pk=OTHER_COUNTY), industries=[industry("construction")]
    )
    codes = [cast.county.code, cast.town_a.code, cast.village_a.code, cast.town_b.code, OTHER_COUNTY]
    industries = [
        industry(code).pk
        for code in (
            "construction",
            "transport",
            "road-transport",
            "hazchem-production",
            "commerce",
            "machinery",
        )
    ]
    # When the router answers every pair, Then it chooses the department the query chooses
    router = recipients.DepartmentRouter()
    for code in codes:
        for industry_id in [*industries, None]:
            expected = recipients.supervising_department(code, industry_id)
            assert router.department_id(code, industry_id) == (expected.pk if expected else None), (
                code,
                industry_id,
            )
            assert router.name(code, industry_id) == (expected.name if expected else "")


def test_the_department_router_reads_once_and_answers_without_queries(cast, django_assert_num_queries):
    construction, road = industry("construction").pk, industry("road-transport").pk
    with django_assert_num_queries(3):
        router = recipients.DepartmentRouter()
    with django_assert_num_queries(0):
        assert router.name(cast.village_a.code, construction) == "来安县住房和城乡建设局"
        assert router.name(cast.village_b.code, road) == "来安县交通运输局"
