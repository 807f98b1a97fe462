"""Units: one registry of the bodies that act; anchored units on first use; the 安委办 keeps the others."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied

from anlan.core import units
from anlan.core.errors import DomainError, ErrorCode
from anlan.core.models import Person, Unit
from anlan.core.tests.factories import EnterpriseFactory, UserFactory, industry


def test_a_department_an_enterprise_and_a_town_get_their_unit_once(cast):
    department = units.unit_for(cast.dept_housing)
    enterprise = units.unit_for(cast.enterprise_x)
    town = units.unit_for(cast.town_a)
    assert (department.kind, department.name, department.region_id) == (
        Unit.Kind.DEPARTMENT,
        cast.dept_housing.name,
        cast.county.code,
    )
    assert (enterprise.kind, enterprise.enterprise, enterprise.region_id) == (
        Unit.Kind.ENTERPRISE,
        cast.enterprise_x,
        cast.village_a.code,
    )
    assert (town.kind, town.name, town.region_id) == (Unit.Kind.TOWN, "新安镇", cast.town_a.code)
    assert units.unit_for(cast.dept_housing).pk == department.pk
    assert units.unit_for(cast.enterprise_x).pk == enterprise.pk
    assert units.unit_for(cast.town_a).pk == town.pk
    assert units.unit_for(town) is town
    assert Unit.objects.count() == 3
    assert enterprise.history.count() == 1


def test_a_village_or_a_county_has_no_anchored_unit(cast):
    for region in (cast.village_a, cast.county):
        with pytest.raises(DomainError) as caught:
            units.unit_for(region)
        assert caught.value.code == ErrorCode.UNIT_NO_ANCHOR


def test_the_committee_office_of_a_county_is_created_once_and_not_for_a_town(cast):
    office = units.committee_office_for(cast.county)
    assert (office.kind, office.name) == (Unit.Kind.COMMITTEE_OFFICE, "来安县安委办")
    assert units.committee_office_for(cast.county).pk == office.pk
    with pytest.raises(DomainError):
        units.committee_office_for(cast.town_a)


def test_ensure_units_back_fills_every_anchor_and_is_idempotent(cast):
    units.unit_for(cast.enterprise_x)
    created = units.ensure_units()
    assert created["enterprise"] == 1  # enterprise_y; enterprise_x had its unit
    assert created["department"] == 2  # housing and transport
    assert created["town"] >= 2
    assert Unit.objects.filter(enterprise=cast.enterprise_y).exists()
    assert units.ensure_units() == {"department": 0, "enterprise": 0, "town": 0}


def test_the_migration_back_fills_units(cast):
    migration = importlib.import_module("anlan.core.migrations.0005_backfill_units_and_people")
    migration.backfill_units(django_apps, None)
    migration.backfill_units(django_apps, None)  # idempotent
    assert Unit.objects.filter(enterprise=cast.enterprise_x).count() == 1
    assert Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, department=cast.dept_housing).count() == 1
    assert Unit.history.filter(enterprise_id=cast.enterprise_y.pk, history_type="+").count() == 1


def test_the_migrations_link_each_free_text_principal_to_a_person_then_drop_the_text(scratch_migrate):
    from anlan.core.tests.factories import next_uscc

    before, after = [("core", "0006_load_calendar")], [("core", "0008_enterprise_principal_person")]
    old = scratch_migrate(before)
    OldEnterprise, OldPerson = old.get_model("core", "Enterprise"), old.get_model("core", "Person")
    region = old.get_model("core", "Region").objects.filter(code__startswith="341122").order_by("code").last()
    construction = old.get_model("core", "Industry").objects.get(
        code="construction"
    )  # historical: no section
    common = {"region_id": region.code, "industry_id": construction.pk}
    linked = OldPerson.objects.create(id_number="", name="钱一")
    added_since = OldEnterprise.objects.create(
        uscc=next_uscc(), name="甲公司", principal="赵二", principal_phone="13800000001", **common
    )
    kept = OldEnterprise.objects.create(
        uscc=next_uscc(), name="乙公司", principal="钱一", principal_person=linked, **common
    )
    old.get_model("core", "HistoricalEnterprise").objects.create(
        id=added_since.pk,
        uscc=added_since.uscc,
        name="甲公司",
        principal="赵二",
        history_type="+",
        history_date=added_since.created_at,
        created_at=added_since.created_at,
        **common,
    )

    # The models as of `after`: later migrations add columns (0011's name_initials) the table lacks here.
    new = scratch_migrate(after)
    NewEnterprise, NewPerson = new.get_model("core", "Enterprise"), new.get_model("core", "Person")
    principal = NewEnterprise.objects.get(pk=added_since.pk).principal
    assert (principal.name, principal.id_number, principal.phone) == ("赵二", "", "13800000001")
    assert NewEnterprise.objects.get(pk=kept.pk).principal_id == linked.pk
    trail = new.get_model("core", "HistoricalEnterprise").objects.get(id=added_since.pk)
    assert trail.principal_id == principal.pk  # the trail keeps the name
    assert NewPerson.objects.filter(name__in=["赵二", "钱一"]).count() == 2

    old = scratch_migrate(before)  # reversible: the free text comes back from the person
    assert old.get_model("core", "Enterprise").objects.get(pk=added_since.pk).principal == "赵二"


def test_a_unit_is_seen_by_whoever_sees_its_region(cast):
    in_town_a = units.unit_for(cast.town_a)
    x = units.unit_for(cast.enterprise_x)
    y = units.unit_for(cast.enterprise_y)
    housing = units.unit_for(cast.dept_housing)

    def seen(who):
        return set(Unit.objects.for_user(cast[who]))

    assert seen("county_office") == {in_town_a, x, y, housing}
    assert seen("town_a") == {in_town_a, x}
    assert seen("town_b") == {y}
    assert seen("enterprise_x") == {x}
    assert housing in seen("dept_housing")
    assert seen("grid_worker") == set()


def test_members_of_a_unit_are_the_memberships_anchored_on_it(cast):
    x = units.unit_for(cast.enterprise_x)
    town = units.unit_for(cast.town_a)
    housing = units.unit_for(cast.dept_housing)
    office = units.committee_office_for(cast.county)
    assert units.is_member(cast["enterprise_x"], x)
    assert not units.is_member(cast["town_a"], x)
    assert units.is_member(cast["town_a"], town)
    assert not units.is_member(cast["town_b"], town)
    assert units.is_member(cast["dept_housing"], housing)
    assert units.is_member(cast["county_office"], office)
    assert not units.is_member(cast["leader"], office)
    assert list(units.members(x)) == [cast["enterprise_x"]]
    assert list(units.members(office)) == [cast["county_office"]]


def test_the_committee_office_keeps_park_committees_and_outside_bodies(cast):
    police = units.create_unit(
        actor=cast["county_office"], kind=Unit.Kind.OUTSIDE_BODY, name=" 来安县公安局 ", region=cast.county
    )
    assert (police.name, police.is_active, police.history.count()) == ("来安县公安局", True, 1)
    units.rename_unit(
        actor=cast["county_office"], unit_pk=police.pk, name="来安县公安局指挥中心", phone="110"
    )
    units.deactivate_unit(actor=cast["county_office"], unit_pk=police.pk, reason="机构调整")
    police.refresh_from_db()
    assert (police.name, police.phone, police.is_active) == ("来安县公安局指挥中心", "110", False)
    assert police.history.count() == 3


def test_acting_for_a_unit_needs_both_the_right_and_the_membership(cast):
    x, town = units.unit_for(cast.enterprise_x), units.unit_for(cast.town_a)
    assert units.acts_for(cast["enterprise_x"], x, "core.propose_licence")
    assert not units.acts_for(cast["enterprise_x"], x, "core.manage_licence")  # member, not the right
    assert not units.acts_for(cast["enterprise_x"], town, "core.propose_licence")  # the right, not a member
    assert not units.acts_for(cast["enterprise_x"], None, "core.propose_licence")


def test_a_person_working_at_an_outside_body_is_its_member(cast):
    power = units.create_unit(
        actor=cast["county_office"],
        kind=Unit.Kind.OUTSIDE_BODY,
        name="国网来安县供电公司",
        region=cast.county,
    )
    staff = UserFactory(username="power_staff")
    Person.objects.create(name="赵六", user=staff, employer=power)
    assert units.is_member(staff, power)
    assert list(units.members(power)) == [staff]
    assert not units.is_member(cast["county_office"], power)


@pytest.mark.parametrize("who", ["town_a", "dept_housing", "enterprise_x", "leader"])
def test_only_the_committee_office_creates_units(cast, who):
    with pytest.raises(PermissionDenied):
        units.create_unit(
            actor=cast[who], kind=Unit.Kind.PARK_COMMITTEE, name="来安经开区管委会", region=cast.county
        )
    assert not Unit.objects.exists()


def test_anchored_units_and_duplicates_are_refused(cast):
    with pytest.raises(DomainError) as caught:
        units.create_unit(actor=cast["county_office"], kind=Unit.Kind.TOWN, name="新镇", region=cast.county)
    assert caught.value.code == ErrorCode.UNIT_KIND_NOT_MANAGED
    units.create_unit(
        actor=cast["county_office"], kind=Unit.Kind.PARK_COMMITTEE, name="经开区管委会", region=cast.county
    )
    with pytest.raises(DomainError) as caught:
        units.create_unit(
            actor=cast["county_office"],
            kind=Unit.Kind.PARK_COMMITTEE,
            name="经开区管委会",
            region=cast.county,
        )
    assert caught.value.code == ErrorCode.UNIT_NAME_TAKEN
    housing = units.unit_for(cast.dept_housing)
    with pytest.raises(DomainError) as caught:
        units.rename_unit(actor=cast["county_office"], unit_pk=housing.pk, name="住建")
    assert caught.value.code == ErrorCode.UNIT_KIND_NOT_MANAGED


def test_a_new_enterprise_gets_its_unit_when_first_addressed(cast):
    new = EnterpriseFactory(region=cast.village_a, industry=industry("construction"))
    assert not Unit.objects.filter(enterprise=new).exists()
    assert units.unit_for(new).enterprise == new


def test_a_renamed_department_or_town_and_a_closed_enterprise_carry_their_unit_along(cast):
    from anlan.core import services

    office = cast["county_office"]
    department = cast.dept_housing
    units.unit_for(department)  # the unit exists under the old name
    services.save_department(
        actor=office,
        department_pk=department.pk,
        region_pk=cast.county.pk,
        name="来安县住房和城乡建设委员会",
        short_name=department.short_name,
        kind=department.kind,
        phone="0550-5600001",
        industries=list(department.industries.all()),
    )
    unit = Unit.objects.get(department=department)
    assert (unit.name, unit.phone) == ("来安县住房和城乡建设委员会", "0550-5600001")
    assert unit.history.latest().history_user == office

    services.update_region(actor=office, region_pk=cast.town_a.pk, name="新安街道")
    assert Unit.objects.get(kind=Unit.Kind.TOWN, region=cast.town_a).name == "新安街道"

    services.change_enterprise_status(
        actor=office, enterprise_pk=cast.enterprise_x.pk, status="closed", reason="依法关闭"
    )
    assert Unit.objects.get(enterprise=cast.enterprise_x).is_active is False


def test_a_unit_already_in_step_with_its_anchor_gets_no_history_row(cast):
    unit = units.unit_for(cast.dept_housing)
    rows = unit.history.count()
    assert units.follow_anchor(cast.dept_housing, cast["county_office"]) == unit
    assert unit.history.count() == rows
