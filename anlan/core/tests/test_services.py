"""Use cases of the core registry: validation, jurisdiction, audit, and nothing half-saved."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from anlan.core import services
from anlan.core.errors import Code, DomainError, ErrorCode
from anlan.core.models import Department, Enterprise, Grid, Person, Region
from anlan.core.tests.factories import industry, next_id_number, next_uscc


def enterprise_data(region, **overrides):
    data = {
        "uscc": next_uscc(),
        "name": "来安县新建机械有限公司",
        "region": region,
        "industry": industry("construction"),
        "principal": "赵六",
        "principal_id_number": next_id_number(),
        "principal_phone": "13700000001",
        "employees": 30,
    }
    data.update(overrides)
    return data


def test_a_town_registers_an_enterprise_in_its_town_with_one_audit_row(cast):
    enterprise = services.create_enterprise(
        actor=cast["town_a"], data=enterprise_data(cast.village_a), other_industries=[industry("commerce")]
    )
    rows = list(enterprise.history.all())
    assert len(rows) == 1
    assert rows[0].history_type == "+"
    assert rows[0].history_user == cast["town_a"]
    assert rows[0].history_change_reason == ""  # the action itself says 新建
    assert [i.industry.code for i in rows[0].other_industries.all()] == ["commerce"]
    assert rows[0].region_id == cast.village_a.code  # history rows carry the region: same scope applies


def test_a_town_cannot_register_an_enterprise_in_another_town_and_nothing_is_saved(cast):
    before = Enterprise.objects.count()
    with pytest.raises(DomainError) as caught:
        services.create_enterprise(actor=cast["town_a"], data=enterprise_data(cast.town_b))
    assert caught.value.code == Code.OUT_OF_SCOPE
    assert caught.value.field == "region"
    assert Enterprise.objects.count() == before
    assert Enterprise.history.model.objects.count() == before


def test_a_department_cannot_register_an_enterprise_of_an_industry_it_does_not_supervise(cast):
    before = Enterprise.history.model.objects.count()
    with pytest.raises(DomainError) as caught:
        services.create_enterprise(
            actor=cast["dept_housing"], data=enterprise_data(cast.village_a, industry=industry("hazchem"))
        )
    assert (caught.value.code, caught.value.field) == (Code.OUT_OF_SCOPE, "industry")
    assert Enterprise.history.model.objects.count() == before


def test_a_wrong_check_character_is_refused_on_the_uscc_field(cast):
    code = next_uscc()
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(DomainError) as caught:
        services.create_enterprise(actor=cast["town_a"], data=enterprise_data(cast.village_a, uscc=bad))
    assert caught.value.field == "uscc"
    assert "校验位" in str(caught.value.message)


def test_a_wrong_id_number_check_character_is_refused_on_the_principal_field(cast):
    number = next_id_number()
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    before = Person.objects.count()
    with pytest.raises(DomainError) as caught:
        services.create_enterprise(
            actor=cast["town_a"], data=enterprise_data(cast.village_a, principal_id_number=bad)
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.ID_NUMBER_CHECK, "principal_id_number")
    assert "主要负责人" in str(caught.value.message) and "校验码" in str(caught.value.message)
    assert Person.objects.count() == before


def test_a_principal_without_an_id_number_is_refused_on_that_field(cast):
    with pytest.raises(DomainError) as caught:
        services.create_enterprise(
            actor=cast["town_a"], data=enterprise_data(cast.village_a, principal_id_number="")
        )
    assert (caught.value.code, caught.value.field) == (
        ErrorCode.ENTERPRISE_PRINCIPAL_ID_NUMBER_REQUIRED,
        "principal_id_number",
    )


def test_the_same_person_is_the_principal_of_two_enterprises_by_id_number(cast):
    number = next_id_number()
    first = services.create_enterprise(
        actor=cast["town_a"], data=enterprise_data(cast.village_a, principal_id_number=number)
    )
    second = services.create_enterprise(
        actor=cast["town_a"],
        data=enterprise_data(cast.village_a, name="来安县第二机械有限公司", principal_id_number=number),
    )
    assert first.principal_id == second.principal_id
    assert Person.objects.filter(id_number=number).count() == 1
    assert first.principal.name == "赵六"


def test_changing_the_principal_writes_a_history_row_on_the_enterprise(cast):
    old = cast.enterprise_x.principal
    rows = cast.enterprise_x.history.count()
    number = next_id_number()
    services.update_enterprise(
        actor=cast["enterprise_x"],  # its own users may change their principal
        enterprise_pk=cast.enterprise_x.pk,
        data={"principal": "孙七", "principal_id_number": number},
        reason="换届",
    )
    cast.enterprise_x.refresh_from_db()
    assert (cast.enterprise_x.principal.name, cast.enterprise_x.principal.id_number) == ("孙七", number)
    assert cast.enterprise_x.history.count() == rows + 1
    latest, before = cast.enterprise_x.history.all()[:2]
    assert (before.principal_id, latest.principal_id) == (old.pk, cast.enterprise_x.principal_id)
    assert latest.history_change_reason == "换届"


def test_a_legacy_principal_without_a_number_stays_until_it_is_changed(cast):
    legacy = Person.objects.create(name="老张")
    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(principal=legacy)
    services.update_enterprise(
        actor=cast["town_a"],
        enterprise_pk=cast.enterprise_x.pk,
        data={"principal": "老张", "principal_id_number": "", "employees": 77},
    )
    cast.enterprise_x.refresh_from_db()
    assert (cast.enterprise_x.principal_id, cast.enterprise_x.employees) == (legacy.pk, 77)


def test_a_duplicate_uscc_is_refused(cast):
    with pytest.raises(DomainError) as caught:
        services.create_enterprise(
            actor=cast["town_a"], data=enterprise_data(cast.village_a, uscc=cast.enterprise_x.uscc)
        )
    assert caught.value.field == "uscc"


@pytest.mark.parametrize("who", ["enterprise_x", "grid_worker", "leader"])
def test_roles_without_the_right_cannot_register(cast, who):
    with pytest.raises(PermissionDenied):
        services.create_enterprise(actor=cast[who], data=enterprise_data(cast.village_a))


def test_an_enterprise_user_updates_its_contact_details(cast):
    services.update_enterprise(
        actor=cast["enterprise_x"],
        enterprise_pk=cast.enterprise_x.pk,
        data={"principal_phone": "13911112222"},
    )
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.principal_phone == "13911112222"
    latest = cast.enterprise_x.history.first()
    assert latest.history_user == cast["enterprise_x"]


def test_an_enterprise_user_cannot_rename_its_enterprise_and_nothing_changes(cast):
    rows = cast.enterprise_x.history.count()
    with pytest.raises(DomainError) as caught:
        services.update_enterprise(
            actor=cast["enterprise_x"], enterprise_pk=cast.enterprise_x.pk, data={"name": "改名公司"}
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.ENTERPRISE_FIELD_NOT_SELF_EDITABLE, "name")
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.name == "来安县建工集团有限公司"
    assert cast.enterprise_x.history.count() == rows


def test_moving_an_enterprise_out_of_the_actors_jurisdiction_rolls_back(cast):
    with pytest.raises(DomainError) as caught:
        services.update_enterprise(
            actor=cast["town_a"],
            enterprise_pk=cast.enterprise_x.pk,
            data={"region": cast.town_b, "grid": None},
        )
    assert caught.value.code == Code.OUT_OF_SCOPE
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.region_id == cast.village_a.code


def test_an_update_records_before_and_after(cast):
    services.update_enterprise(
        actor=cast["county_office"],
        enterprise_pk=cast.enterprise_x.pk,
        data={"employees": 99},
        reason="年报更新",
    )
    latest, previous = cast.enterprise_x.history.all()[:2]
    diff = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in diff.changes] == [("employees", 20, 99)]
    assert latest.history_change_reason == "年报更新"


def test_an_out_of_scope_update_is_not_found(cast):
    with pytest.raises(Http404):
        services.update_enterprise(
            actor=cast["town_b"], enterprise_pk=cast.enterprise_x.pk, data={"employees": 1}
        )


def test_a_status_change_needs_a_reason(cast):
    rows = cast.enterprise_x.history.count()
    with pytest.raises(DomainError) as caught:
        services.change_enterprise_status(
            actor=cast["town_a"], enterprise_pk=cast.enterprise_x.pk, status="suspended", reason="  "
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.ENTERPRISE_STATUS_REASON, "reason")
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.status == Enterprise.Status.OPERATING
    assert cast.enterprise_x.history.count() == rows


def test_a_status_change_is_recorded_with_its_reason(cast):
    services.change_enterprise_status(
        actor=cast["dept_housing"],
        enterprise_pk=cast.enterprise_x.pk,
        status="suspended",
        reason="责令停产整顿",
    )
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.status == Enterprise.Status.SUSPENDED
    assert cast.enterprise_x.history.first().history_change_reason == "责令停产整顿"


def test_the_same_status_again_is_refused(cast):
    rows = cast.enterprise_x.history.count()
    with pytest.raises(DomainError) as caught:
        services.change_enterprise_status(
            actor=cast["town_a"], enterprise_pk=cast.enterprise_x.pk, status="operating", reason="无"
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.ENTERPRISE_STATUS_UNCHANGED, "status")
    assert cast.enterprise_x.history.count() == rows


def test_an_unknown_status_is_refused_on_the_field(cast):
    with pytest.raises(DomainError) as caught:
        services.change_enterprise_status(
            actor=cast["town_a"], enterprise_pk=cast.enterprise_x.pk, status="bankrupt", reason="破产"
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.ENTERPRISE_STATUS_UNKNOWN, "status")


def test_an_enterprise_cannot_change_its_own_status(cast):
    with pytest.raises(PermissionDenied):
        services.change_enterprise_status(
            actor=cast["enterprise_x"], enterprise_pk=cast.enterprise_x.pk, status="closed", reason="自行关闭"
        )


def test_the_county_adds_a_village_under_a_town(cast):
    village = services.create_region(
        actor=cast["county_office"],
        parent_pk=cast.town_a.pk,
        code="341122100002",
        name="西关社区",
        kind="社区",
    )
    assert (village.level, village.parent_id) == (Region.Level.VILLAGE, cast.town_a.code)
    assert village.history.count() == 1


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("341122101002", "another town's prefix"),
        ("341122100000", "the town's own code"),
        ("34112210000X", "letter"),
    ],
)
def test_a_village_code_must_extend_its_towns_code(cast, code, why):
    with pytest.raises(DomainError) as caught:
        services.create_region(actor=cast["county_office"], parent_pk=cast.town_a.pk, code=code, name="某村")
    assert (caught.value.code, caught.value.field) == (ErrorCode.REGION_CODE_PREFIX, "code"), why


def test_a_duplicate_region_code_is_refused(cast):
    with pytest.raises(DomainError) as caught:
        services.create_region(
            actor=cast["county_office"], parent_pk=cast.town_a.pk, code=cast.village_a.code, name="重复"
        )
    assert caught.value.code == Code.DUPLICATE


def test_national_regions_cannot_be_renamed(cast):
    with pytest.raises(DomainError) as caught:
        services.update_region(actor=cast["county_office"], region_pk=cast.county.code, name="改名县")
    assert caught.value.code == ErrorCode.REGION_NATIONAL_LEVEL
    assert Region.objects.get(pk=cast.county.code).name == cast.county.name


def test_no_region_is_added_under_a_village(cast):
    with pytest.raises(DomainError) as caught:
        services.create_region(
            actor=cast["county_office"], parent_pk=cast.village_a.pk, code="341122100001", name="某组"
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.REGION_BELOW_VILLAGE, "parent")


def test_a_region_still_in_use_cannot_be_deleted(cast):
    with pytest.raises(DomainError) as caught:
        services.delete_region(actor=cast["county_office"], region_pk=cast.village_a.code, reason="撤并")
    assert caught.value.code == Code.IN_USE
    assert Region.objects.filter(pk=cast.village_a.code).exists()


def test_deleting_an_empty_region_keeps_an_audit_row_with_the_reason(cast):
    services.delete_region(actor=cast["county_office"], region_pk=cast.village_b.code, reason="行政区划调整")
    row = Region.history.model.objects.filter(code=cast.village_b.code, history_type="-").get()
    assert (row.history_user, row.history_change_reason) == (cast["county_office"], "行政区划调整")


def test_a_grid_must_sit_under_a_village(cast):
    with pytest.raises(DomainError) as caught:
        services.save_grid(actor=cast["county_office"], region_pk=cast.town_a.code, code="G1", name="镇网格")
    assert (caught.value.code, caught.value.field) == (ErrorCode.GRID_NOT_UNDER_VILLAGE, "region")
    assert not Grid.objects.filter(name="镇网格").exists()


def test_a_grid_with_enterprises_cannot_be_deleted(cast):
    with pytest.raises(DomainError) as caught:
        services.delete_grid(actor=cast["county_office"], grid_pk=cast.grid_a.pk, reason="合并")
    assert caught.value.code == Code.IN_USE
    assert Grid.objects.filter(pk=cast.grid_a.pk).exists()


def test_an_industry_department_must_supervise_an_industry(cast):
    with pytest.raises(DomainError) as caught:
        services.save_department(
            actor=cast["county_office"],
            region_pk=cast.county.code,
            name="新局",
            short_name="",
            kind="industry",
            phone="",
            industries=[],
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.DEPARTMENT_WITHOUT_INDUSTRY, "industries")
    assert not Department.objects.filter(name="新局").exists()


def test_changing_a_departments_industries_is_one_audit_row_with_the_new_set(cast):
    before = cast.dept_housing.history.count()
    services.save_department(
        actor=cast["county_office"],
        department_pk=cast.dept_housing.pk,
        region_pk=cast.county.code,
        name=cast.dept_housing.name,
        short_name="住建局",
        kind="industry",
        phone="",
        industries=[industry("construction")],
    )
    assert cast.dept_housing.history.count() == before + 1
    latest = cast.dept_housing.history.first()
    assert [i.industry.code for i in latest.industries.all()] == ["construction"]


def test_a_licence_valid_until_before_valid_from_is_refused(cast):
    import datetime

    with pytest.raises(DomainError) as caught:
        services.save_licence(
            actor=cast["dept_housing"],
            enterprise_pk=cast.enterprise_x.pk,
            data={
                "kind": "safety_production",
                "number": "X1",
                "valid_from": datetime.date(2026, 1, 1),
                "valid_until": datetime.date(2025, 1, 1),
            },
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.LICENCE_DATES, "valid_until")
    assert not cast.enterprise_x.licences.exists()


# ---------------------------------------------------------------- operating status: Enterprise.TRANSITIONS

STATES = list(Enterprise.Status.values)
TRANSITION_NAMES = [t.name for t in Enterprise.TRANSITIONS]


def set_status(enterprise, status):
    Enterprise.objects.filter(pk=enterprise.pk).update(status=status)
    enterprise.refresh_from_db()


@pytest.mark.parametrize("name", TRANSITION_NAMES)
@pytest.mark.parametrize("state", STATES)
def test_every_state_and_transition_pair_moves_or_is_refused_with_one_history_row_or_none(cast, state, name):
    transition = next(t for t in Enterprise.TRANSITIONS if t.name == name)
    enterprise = cast.enterprise_x
    set_status(enterprise, state)
    rows = enterprise.history.count()
    if state in transition.sources:
        services.apply_enterprise_transition(
            actor=cast["dept_housing"], enterprise=enterprise, name=name, reason="依法处理"
        )
        enterprise.refresh_from_db()
        assert enterprise.status == transition.target
        assert enterprise.history.count() == rows + 1
        latest = enterprise.history.first()
        assert (latest.status, latest.history_user, latest.history_change_reason) == (
            transition.target,
            cast["dept_housing"],
            "依法处理",
        )
    else:
        with pytest.raises(DomainError) as caught:
            services.apply_enterprise_transition(
                actor=cast["dept_housing"], enterprise=enterprise, name=name, reason="依法处理"
            )
        assert caught.value.code == Code.ILLEGAL_TRANSITION
        enterprise.refresh_from_db()
        assert enterprise.status == state
        assert enterprise.history.count() == rows


@pytest.mark.parametrize("target", STATES)
@pytest.mark.parametrize("state", STATES)
def test_a_supervisor_may_move_an_enterprise_from_any_state_to_any_other(cast, state, target):
    """The page's status select keeps the old behaviour: any different state, always with a reason — except
    back to operating from a suspension, which only the 复产验收 chain does (test_shortcuts in inspections)."""
    enterprise = cast.enterprise_x
    set_status(enterprise, state)
    rows = enterprise.history.count()
    if (state, target) == (Enterprise.Status.SUSPENDED, Enterprise.Status.OPERATING):
        with pytest.raises(DomainError) as caught:
            services.change_enterprise_status(
                actor=cast["town_a"], enterprise_pk=enterprise.pk, status=target, reason="核实"
            )
        assert caught.value.code == ErrorCode.ENTERPRISE_RESUME_NEEDS_ACCEPTANCE
        assert enterprise.history.count() == rows
        return
    if state == target:
        with pytest.raises(DomainError) as caught:
            services.change_enterprise_status(
                actor=cast["town_a"], enterprise_pk=enterprise.pk, status=target, reason="核实"
            )
        assert caught.value.code == ErrorCode.ENTERPRISE_STATUS_UNCHANGED
        assert enterprise.history.count() == rows
        return
    services.change_enterprise_status(
        actor=cast["town_a"], enterprise_pk=enterprise.pk, status=target, reason="核实"
    )
    enterprise.refresh_from_db()
    assert enterprise.status == target
    assert enterprise.history.count() == rows + 1
    assert enterprise.history.first().history_change_reason == "核实"


def test_a_status_no_transition_leads_to_is_refused_with_its_code(cast, monkeypatch):
    without_reopen = tuple(t for t in Enterprise.TRANSITIONS if t.name != "reopen")
    monkeypatch.setattr(Enterprise, "TRANSITIONS", without_reopen)
    set_status(cast.enterprise_x, Enterprise.Status.CLOSED)
    with pytest.raises(DomainError) as caught:
        services.change_enterprise_status(
            actor=cast["town_a"], enterprise_pk=cast.enterprise_x.pk, status="operating", reason="复业"
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.ENTERPRISE_STATUS_TRANSITION, "status")
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.status == Enterprise.Status.CLOSED


def test_another_module_needs_a_reason_for_a_transition_too(cast):
    rows = cast.enterprise_x.history.count()
    with pytest.raises(DomainError) as caught:
        services.apply_enterprise_transition(
            actor=cast["dept_housing"], enterprise=cast.enterprise_x, name="suspend", reason=""
        )
    assert caught.value.code == ErrorCode.ENTERPRISE_STATUS_REASON
    assert cast.enterprise_x.history.count() == rows


def test_of_two_stale_copies_only_the_first_transition_wins(cast):
    first = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    second = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    rows = first.history.count()
    services.apply_enterprise_transition(
        actor=cast["dept_housing"], enterprise=first, name="suspend", reason="责令停产停业整顿"
    )
    with pytest.raises(DomainError) as caught:
        services.apply_enterprise_transition(
            actor=cast["town_a"], enterprise=second, name="close", reason="依法予以关闭"
        )
    assert caught.value.code == Code.STALE
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.status == Enterprise.Status.SUSPENDED
    assert cast.enterprise_x.history.count() == rows + 1


def test_a_status_change_marks_the_enterprise_updated(cast):
    before = Enterprise.objects.get(pk=cast.enterprise_x.pk).updated_at
    services.change_enterprise_status(
        actor=cast["town_a"], enterprise_pk=cast.enterprise_x.pk, status="suspended", reason="停产"
    )
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).updated_at > before
