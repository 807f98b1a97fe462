"""Records, the unit of work: validate, save with exactly one history row, re-check the scope, roll back."""

import pytest
from django.db import transaction

from anlan.core import records
from anlan.core.errors import Code, DomainError
from anlan.core.models import Department, Enterprise
from anlan.core.tests.factories import DepartmentFactory, industry, next_uscc


def test_saving_a_new_department_with_its_industries_writes_one_history_row_carrying_them(cast):
    # Given a new department and the industries it supervises
    department = Department(name="来安县水务局", region=cast.county)
    # When it is saved with its m2m values
    records.save_with_history(
        department,
        cast["county_office"],
        "新设部门",
        m2m={"industries": [industry("transport"), industry("road-transport")]},
    )
    # Then exactly one history row holds the final state, with the actor and the reason
    rows = list(department.history.all())
    assert len(rows) == 1
    row = rows[0]
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+",
        cast["county_office"],
        "新设部门",
    )
    assert {item.industry.code for item in row.industries.all()} == {"transport", "road-transport"}
    assert set(department.industries.values_list("code", flat=True)) == {"transport", "road-transport"}


def test_changing_an_existing_departments_industries_adds_one_history_row(cast):
    housing = Department.objects.get(pk=cast.dept_housing.pk)
    before = housing.history.count()
    records.save_with_history(
        housing, cast["county_office"], "调整职责", m2m={"industries": [industry("urban-gas")]}
    )
    assert housing.history.count() == before + 1
    latest = housing.history.first()
    assert latest.history_type == "~"
    assert [item.industry.code for item in latest.industries.all()] == ["urban-gas"]


def test_a_duplicate_is_refused_as_duplicate_and_leaves_no_history_row(cast):
    # Given a second department with housing's name in the same region (a unique constraint)
    twin = Department(name=cast.dept_housing.name, region=cast.county)
    before = Department.history.count()
    # When it is saved, the IntegrityError becomes a DomainError
    with pytest.raises(DomainError) as caught:
        records.save_with_history(twin, cast["county_office"], "重复")
    assert (caught.value.code, caught.value.field) == (Code.DUPLICATE, "__all__")
    # And nothing was written; the surrounding transaction is still usable
    assert Department.history.count() == before
    assert Department.objects.filter(name=cast.dept_housing.name).count() == 1


def test_a_write_that_leaves_the_actors_reach_is_rolled_back_with_its_history_row(cast):
    # Given town A's officer moves enterprise X into town B (outside town A)
    x = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    before = x.history.count()
    x.region, x.grid = cast.village_b, None
    # When the scope is re-checked inside the transaction
    with pytest.raises(DomainError) as caught, transaction.atomic():
        records.save_with_history(x, cast["town_a"], "迁移")
        records.ensure_in_scope(cast["town_a"], "core.change_enterprise", x, "region")
    # Then the refusal names the field and the rule, and neither the change nor its history row remain
    assert (caught.value.code, caught.value.field) == (Code.OUT_OF_SCOPE, "region")
    x.refresh_from_db()
    assert x.region_id == cast.village_a.code
    assert x.history.count() == before


def test_a_write_that_stays_in_the_actors_reach_passes_the_scope_check(cast):
    x = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    x.employees = 55
    with transaction.atomic():
        records.save_with_history(x, cast["town_a"], "更新人数")
        records.ensure_in_scope(cast["town_a"], "core.change_enterprise", x, "employees")
    assert Enterprise.objects.get(pk=x.pk).employees == 55


def test_the_scope_check_uses_the_action_right_not_mere_visibility(cast):
    # The leader sees enterprise X but holds no right to change it
    with pytest.raises(DomainError) as caught:
        records.ensure_in_scope(cast["leader"], "core.change_enterprise", cast.enterprise_x, "__all__")
    assert caught.value.code == Code.OUT_OF_SCOPE


def test_update_with_history_sets_the_value_with_one_update_and_writes_one_history_row(cast):
    x = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    before = x.history.count()
    records.update_with_history(x, cast["town_a"], "补登网格", grid=None)
    assert Enterprise.objects.get(pk=x.pk).grid_id is None
    assert x.grid_id is None
    assert x.history.count() == before + 1
    latest = x.history.first()
    assert (latest.history_type, latest.grid_id, latest.history_user, latest.history_change_reason) == (
        "~",
        None,
        cast["town_a"],
        "补登网格",
    )


def test_validate_names_the_field_at_fault(cast):
    good = next_uscc()
    wrong_check = good[:-1] + ("1" if good[-1] == "0" else "0")
    bad = Enterprise(
        uscc=wrong_check,
        name="某公司",
        region=cast.village_a,
        industry=industry("construction"),
    )
    with pytest.raises(DomainError) as caught:
        records.validate(bad)
    assert (caught.value.code, caught.value.field) == (Code.INVALID, "uscc")


def test_validate_passes_a_valid_record(cast):
    records.validate(Enterprise.objects.get(pk=cast.enterprise_x.pk))


def test_deleting_a_referenced_record_is_refused_as_in_use_and_keeps_it(cast):
    # housing is referenced by its member's membership (PROTECT)
    with pytest.raises(DomainError) as caught:
        records.delete_with_history(cast.dept_housing, cast["county_office"], "撤销")
    assert (caught.value.code, caught.value.field) == (Code.IN_USE, "__all__")
    assert Department.objects.filter(pk=cast.dept_housing.pk).exists()


def test_deleting_writes_a_deletion_history_row_with_actor_and_reason(cast):
    spare = DepartmentFactory(name="来安县临时部门", region=cast.county)
    pk = spare.pk
    records.delete_with_history(spare, cast["county_office"], "撤销临时部门")
    assert not Department.objects.filter(pk=pk).exists()
    last = Department.history.filter(id=pk).first()
    assert (last.history_type, last.history_user, last.history_change_reason) == (
        "-",
        cast["county_office"],
        "撤销临时部门",
    )


def test_a_region_inside_the_actors_jurisdiction_passes(cast):
    records.ensure_region_in_scope(cast["town_a"], "core.add_enterprise", cast.village_a.code)


def test_a_region_outside_the_actors_jurisdiction_is_refused_on_the_named_field(cast):
    with pytest.raises(DomainError) as caught:
        records.ensure_region_in_scope(cast["town_a"], "core.add_enterprise", cast.village_b.code)
    assert (caught.value.code, caught.value.field) == (Code.OUT_OF_SCOPE, "region")
    with pytest.raises(DomainError) as caught:
        records.ensure_region_in_scope(
            cast["town_a"], "core.add_enterprise", cast.village_b.code, field="place"
        )
    assert caught.value.field == "place"


def test_record_change_attaches_actor_and_reason_for_the_next_history_row(cast):
    x = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    records.record_change(x, cast["town_a"])
    assert (x._history_user, x._change_reason) == (cast["town_a"], "")
    x.employees = 21
    records.record_change(x, cast["town_a"], "核实人数")
    x.save()
    assert (x.history.first().history_user, x.history.first().history_change_reason) == (
        cast["town_a"],
        "核实人数",
    )
