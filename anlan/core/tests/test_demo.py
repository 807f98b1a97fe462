"""The demo county: size, valid identifiers, one login per role, determinism and the command's guards."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from anlan.core import demo, rules
from anlan.core.models import Department, Enterprise, Grid, Licence, Membership, Region, Role, User

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="class")
def built(django_db_setup, django_db_blocker):
    """One demo build shared by the tests of a class, rolled back after the class."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.build_demo(demo.DEFAULT_SEED, today=TODAY)
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestTheDemoCounty:
    """Read-only checks of one demo build."""

    def test_the_demo_county_has_towns_villages_grids_departments_and_enterprises(self, built):
        county = Region.objects.get(pk=demo.COUNTY_CODE)
        towns = Region.objects.filter(parent=county, level=Region.Level.TOWN)
        villages = Region.objects.filter(parent__in=towns, level=Region.Level.VILLAGE)
        assert towns.count() >= 12
        assert villages.count() >= 140
        assert Department.objects.filter(region=county).count() >= 18
        assert Enterprise.objects.count() >= 750
        assert Grid.objects.filter(region__in=villages).count() >= villages.count()
        assert not Grid.objects.exclude(region__in=villages).exists()

    def test_region_codes_extend_their_parents_code_at_their_own_level(self, built):
        for region in Region.objects.filter(code__startswith="341122", level__gte=Region.Level.TOWN):
            assert rules.child_code_is_valid(
                region.parent.code, region.parent.level, region.code, region.level
            )
            assert rules.level_of_code(region.code) == region.level

    def test_every_enterprise_has_a_valid_unique_credit_code_and_a_grid_of_its_own_village(self, built):
        rows = list(Enterprise.objects.values_list("uscc", "region_id", "grid__region_id", "region__level"))
        usccs = [uscc for uscc, *_ in rows]
        assert all(rules.validate_uscc(uscc) == uscc for uscc in usccs)
        assert len(set(usccs)) == len(usccs)
        assert all(
            region == grid_region and level == Region.Level.VILLAGE for _u, region, grid_region, level in rows
        )

    def test_every_demo_enterprise_carries_the_pinyin_initials_of_its_name(self, built):
        rows = list(Enterprise.objects.values_list("name", "name_initials"))
        assert rows
        assert [initials for _name, initials in rows] == [rules.name_initials(name) for name, _i in rows]
        assert all(initials for _name, initials in rows)

    def test_every_enterprise_passes_model_validation(self, built):
        for enterprise in Enterprise.objects.select_related("region", "grid__region")[:200]:
            enterprise.full_clean()

    def test_industry_departments_supervise_industries_and_member_units_none(self, built):
        departments = Department.objects.prefetch_related("industries")
        for department in departments:
            codes = {industry.code for industry in department.industries.all()}
            if department.kind == Department.Kind.INDUSTRY:
                assert codes, department.name
            if department.kind == Department.Kind.MEMBER:
                assert codes == set(), department.name
        assert {i.code for i in departments.get(short_name="住建局").industries.all()} == {
            "construction",
            "urban-construction",
            "urban-gas",
        }

    def test_there_is_a_demo_user_for_every_role_and_all_memberships_are_valid(self, built):
        roles = set(
            Membership.objects.filter(user__username__in=demo.DEMO_USERNAMES).values_list("role", flat=True)
        )
        assert roles == set(Role.values)
        assert User.objects.get(username="admin").is_superuser
        for membership in Membership.objects.all():
            membership.full_clean()
        assert User.objects.get(username="anweiban").check_password(demo.DEFAULT_PASSWORD)

    def test_the_grid_worker_and_the_enterprise_user_share_a_grid_of_the_county_seat_with_several_enterprises(
        self, built
    ):
        grid = Membership.objects.get(user__username="wangge").grid
        enterprise = Membership.objects.get(user__username="qiye").enterprise
        assert grid.region.parent.name == "新安镇"
        assert enterprise.grid == grid
        assert enterprise.industry.code == "construction"
        assert Enterprise.objects.for_user(User.objects.get(username="wangge")).count() >= 5

    def test_demo_users_see_their_own_jurisdiction(self, built):
        def visible(username):
            return Enterprise.objects.for_user(User.objects.get(username=username))

        total = Enterprise.objects.count()
        assert visible("anweiban").count() == total
        assert visible("lingdao").count() == total
        assert 0 < visible("xinan").count() < total
        assert not visible("xinan").exclude(region__parent__name="新安镇").exists()
        housing = set(visible("zhujian").values_list("industry__code", flat=True))
        assert "construction" in housing and "hazchem-production" not in housing
        assert list(visible("qiye")) == [Membership.objects.get(user__username="qiye").enterprise]
        assert visible("zhuanjia").count() == 0

    def test_licences_are_spread_over_expired_expiring_and_valid(self, built):
        until = list(Licence.objects.values_list("valid_until", flat=True))
        assert any(day < TODAY for day in until)
        assert any(day > TODAY.replace(year=TODAY.year + 1) for day in until)
        kinds = set(Licence.objects.values_list("kind", flat=True))
        assert {
            Licence.Kind.HAZCHEM_OPERATION,
            Licence.Kind.FIREWORKS_OPERATION,
            Licence.Kind.MINING,
        } <= kinds

    def test_the_build_writes_exactly_the_planned_enterprises(self, built):
        planned = demo.plan_enterprises(demo.DEFAULT_SEED, today=TODAY)
        assert sorted(Enterprise.objects.values_list("uscc", "name")) == sorted(
            (p.uscc, p.name) for p in planned
        )


def test_the_same_seed_plans_the_same_regions_and_enterprises():
    assert demo.plan_regions(7) == demo.plan_regions(7)
    assert demo.plan_enterprises(7) == demo.plan_enterprises(7)


def test_credit_codes_and_names_do_not_depend_on_the_day_of_the_build():
    early = demo.plan_enterprises(7, today=date(2025, 1, 1))
    late = demo.plan_enterprises(7, today=date(2027, 2, 28))
    assert [(p.uscc, p.name) for p in early] == [(p.uscc, p.name) for p in late]


def test_another_seed_plans_other_credit_codes():
    assert {p.uscc for p in demo.plan_enterprises(1)}.isdisjoint({p.uscc for p in demo.plan_enterprises(2)})


@pytest.mark.django_db
def test_the_command_builds_once_then_only_prints_the_logins_with_if_empty_and_refuses_without_it():
    out = StringIO()
    call_command("anlan_demo", "--password", "another-pass-1", stdout=out)
    assert "qiye" in out.getvalue() and "another-pass-1" in out.getvalue()
    count = Enterprise.objects.count()

    again = StringIO()
    call_command("anlan_demo", "--if-empty", stdout=again)
    assert Enterprise.objects.count() == count
    assert "wangge" in again.getvalue()
    assert User.objects.get(username="zhuanjia").check_password("another-pass-1")

    with pytest.raises(CommandError, match="已有生产经营单位"):
        call_command("anlan_demo", stdout=StringIO())
    assert Enterprise.objects.count() == count
