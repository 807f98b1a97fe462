"""Inspections on the kernel: what the module declares to the contract (to-dos and home indicators, each a
scoped queryset), acting capacity for departments and 复产 signatures, guards that hide the buttons a user may
not press, the enterprise's 经营状态 through core's transitions, and the audit rows of links and photos."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from anlan.core import contract
from anlan.core.errors import Code, DomainError
from anlan.core.models import Department, Enterprise, Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.hazards.tests.factories import png_bytes
from anlan.inspections import selectors, services
from anlan.inspections.errors import ErrorCode
from anlan.inspections.models import Answer, AnswerPhoto, Inspection, RandomDraw

from .factories import answers, planned, record_data

pytestmark = pytest.mark.django_db

ROLES = ["county_office", "town_a", "town_b", "dept_housing", "enterprise_x", "grid_worker", "leader"]


def _suspend(cast, recorded):
    finding = recorded.answers.filter(result=Answer.Result.NON_COMPLIANT).first()
    return services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded.pk,
        data={"kind": "suspension", "legal_basis": "《安全生产法》第六十五条", "description": "停产整顿"},
        finding_ids=[finding.pk],
    )


# ---------------------------------------------------------------- the contract


def test_the_module_declares_its_to_dos_and_home_indicators():
    registry = contract.registry()
    todos = {t.key for t in registry.todos}
    indicators = {i.key for i in registry.indicators}
    assert {"inspections_scheduled", "resumption_steps_to_sign", "documents_received"} <= todos
    assert {"inspections_this_year", "suspended_enterprises"} <= indicators


@pytest.mark.parametrize(
    ("who", "expected"),
    [("dept_housing", 1), ("county_office", 0), ("town_a", 0), ("enterprise_x", 0), ("leader", 0)],
)
def test_scheduled_inspections_are_the_planned_ones_of_the_users_department(cast, planned_x, who, expected):
    assert list(selectors.inspections_scheduled(cast[who])) == ([planned_x] if expected else [])


def test_a_scheduled_inspection_leaves_the_to_do_once_recorded(cast, recorded_x):
    assert not selectors.inspections_scheduled(cast["dept_housing"]).exists()


def test_the_resumption_step_to_sign_is_the_current_approvers_alone(cast, recorded_x):
    suspension = _suspend(cast, recorded_x).suspension
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
    )
    first, second = application.steps.order_by("order")
    signers = {who for who in ROLES if selectors.resumption_steps_to_sign(cast[who]).exists()}
    assert signers == {"dept_housing"}
    assert list(selectors.resumption_steps_to_sign(cast["dept_housing"])) == [first]
    services.decide_resumption(actor=cast["dept_housing"], application_pk=application.pk, approve=True)
    signers = {who for who in ROLES if selectors.resumption_steps_to_sign(cast[who]).exists()}
    assert signers == {"leader"}
    assert list(selectors.resumption_steps_to_sign(cast["leader"])) == [second]


def test_documents_received_are_the_enterprises_own_orders_in_force(cast, recorded_x):
    action = _suspend(cast, recorded_x)
    holders = {who for who in ROLES if selectors.documents_received(cast[who]).exists()}
    assert holders == {"enterprise_x"}
    assert list(selectors.documents_received(cast["enterprise_x"])) == [action]


@pytest.mark.parametrize(
    ("who", "count"),
    [("county_office", 1), ("town_a", 1), ("town_b", 0), ("dept_housing", 1), ("enterprise_x", 1)],
)
def test_the_inspections_of_the_year_are_counted_in_scope(cast, recorded_x, who, count):
    indicator = next(i for i in contract.registry().indicators if i.key == "inspections_this_year")
    assert indicator.value(cast[who]) == count


def test_a_planned_unannounced_visit_is_in_no_count_of_the_enterprise(cast, team):
    planned(cast.dept_housing, cast.enterprise_x, team, kind="unannounced", created_by=cast["dept_housing"])
    assert Inspection.objects.for_user(cast["enterprise_x"]).count() == 0
    assert Inspection.objects.for_user(cast["dept_housing"]).count() == 1


@pytest.mark.parametrize(
    ("who", "count"),
    [("county_office", 1), ("town_a", 1), ("town_b", 0), ("dept_housing", 1), ("enterprise_x", 1)],
)
def test_suspended_enterprises_are_counted_in_scope_until_resumed(cast, recorded_x, who, count):
    _suspend(cast, recorded_x)
    assert selectors.suspended_enterprises(cast[who]).count() == count


def test_each_to_do_links_to_a_list_page(cast, client):
    client.force_login(cast["dept_housing"])
    for item in [*contract.registry().todos, *contract.registry().indicators]:
        if item.key.startswith(("inspections", "resumption", "documents", "suspended")):
            assert client.get(item.link(cast["dept_housing"])).status_code == 200, item.key


def test_the_to_do_link_lists_exactly_the_scheduled_inspections(cast, planned_x, team, client):
    other = cast.dept_transport
    planned(other, cast.enterprise_x, [], created_by=cast["county_office"])
    client.force_login(cast["dept_housing"])
    page = client.get(selectors.inspections_scheduled_url(cast["dept_housing"]))
    assert [i.pk for i in page.context["page"]] == [planned_x.pk]
    api = client.get(reverse("api:inspection-list") + "?status=planned&mine=true").json()
    assert [row["id"] for row in api["results"]] == [planned_x.pk]


# ---------------------------------------------------------------- acting capacity


def test_a_department_acts_for_itself_and_the_committee_office_for_departments_of_its_county(cast):
    transport = cast.dept_transport
    assert set(selectors.departments_for(cast["dept_housing"], "inspections.inspect")) == {cast.dept_housing}
    assert set(selectors.departments_for(cast["county_office"], "inspections.inspect")) == set(
        Department.objects.filter(region=cast.county, is_active=True)
    )
    assert transport in selectors.departments_for(cast["county_office"], "inspections.inspect")
    assert not selectors.departments_for(cast["town_a"], "inspections.inspect").exists()
    assert not selectors.departments_for(cast["enterprise_x"], "inspections.inspect").exists()


def test_a_department_cannot_plan_an_inspection_for_another_department(cast, team):
    transport = cast.dept_transport
    with pytest.raises(DomainError) as caught:
        services.create_inspection(
            actor=cast["dept_housing"],
            data={
                "department": transport.pk,
                "kind": "routine",
                "enterprise": cast.enterprise_x.pk,
                "planned_on": timezone.localdate(),
            },
            team_ids=[t.pk for t in team],
        )
    assert caught.value.code == Code.OUT_OF_SCOPE
    assert not Inspection.objects.exists()


# ---------------------------------------------------------------- guards: only the buttons a user may press


def test_the_decision_is_offered_to_the_current_steps_approver_only(cast, recorded_x, client):
    suspension = _suspend(cast, recorded_x).suspension
    services.apply_resumption(actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改")
    url = reverse("inspections:suspension-detail", args=[suspension.pk])
    for who, shown in [("dept_housing", True), ("leader", False), ("county_office", False)]:
        client.force_login(cast[who])
        assert ('data-testid="decide"' in client.get(url).content.decode()) is shown, who


def test_a_second_officer_of_the_ordering_department_may_sign_its_step(cast, recorded_x):
    suspension = _suspend(cast, recorded_x).suspension
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
    )
    colleague = UserFactory()
    MembershipFactory(user=colleague, role=Role.DEPARTMENT, department=cast.dept_housing)
    services.decide_resumption(actor=colleague, application_pk=application.pk, approve=True)
    assert application.steps.get(order=1).decided_by == colleague


def test_a_drawn_inspection_offers_no_cancel_and_refuses_it_by_name(cast, team, client):
    draw = RandomDraw.objects.create(
        department=cast.dept_housing,
        title="双随机",
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        region=cast.county,
        sample_size=1,
        seed=1,
        drawn_by=cast["dept_housing"],
        status=RandomDraw.Status.CONFIRMED,
    )
    inspection = planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
    Inspection.objects.filter(pk=inspection.pk).update(draw=draw)
    cancel = reverse("inspections:inspection-cancel", args=[inspection.pk])
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("inspections:inspection-detail", args=[inspection.pk])).content.decode()
    assert cancel not in page
    assert reverse("inspections:inspection-record", args=[inspection.pk]) in page
    with pytest.raises(DomainError) as caught:
        services.cancel_inspection(actor=cast["dept_housing"], inspection_pk=inspection.pk, reason="停业")
    assert caught.value.code == ErrorCode.DRAWN_INSPECTION_NOT_CANCELLABLE
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.PLANNED


def test_a_planned_inspection_offers_record_and_cancel_to_its_inspectors_only(cast, planned_x, client):
    cancel = reverse("inspections:inspection-cancel", args=[planned_x.pk])
    detail = reverse("inspections:inspection-detail", args=[planned_x.pk])
    client.force_login(cast["dept_housing"])
    assert cancel in client.get(detail).content.decode()
    client.force_login(cast["enterprise_x"])
    assert cancel not in client.get(detail).content.decode()


# ---------------------------------------------------------------- enterprise status through core


def test_a_suspension_order_and_the_resumption_move_the_enterprise_by_its_transitions(cast, recorded_x):
    rows = Enterprise.history.filter(id=cast.enterprise_x.pk)
    before = rows.count()
    suspension = _suspend(cast, recorded_x).suspension
    assert rows.count() == before + 1
    assert rows.latest("history_id").status == Enterprise.Status.SUSPENDED
    assert rows.latest("history_id").history_user == cast["dept_housing"]
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
    )
    services.decide_resumption(actor=cast["dept_housing"], application_pk=application.pk, approve=True)
    services.decide_resumption(actor=cast["leader"], application_pk=application.pk, approve=True)
    assert rows.count() == before + 2
    assert rows.latest("history_id").status == Enterprise.Status.OPERATING
    assert rows.latest("history_id").history_user == cast["leader"]


# ---------------------------------------------------------------- audit of links and photos


def test_the_record_writes_one_inspection_row_with_its_document_and_answers_with_their_hazard(
    cast, planned_x
):
    rows = Inspection.history.filter(id=planned_x.pk)
    before = rows.count()
    recorded = services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=planned_x.pk,
        data=record_data(),
        answers=answers("construction", failing=("con-5",)),
        photos={"con-5": [SimpleUploadedFile("site.png", png_bytes(), content_type="image/png")]},
    )
    assert rows.count() == before + 1
    row = rows.latest("history_id")
    assert row.status == Inspection.Status.RECORDED
    assert row.record_document_id == recorded.record_document_id is not None
    finding = Answer.objects.get(inspection=planned_x, result=Answer.Result.NON_COMPLIANT)
    answer_rows = Answer.history.filter(id=finding.pk)
    assert answer_rows.count() == 1
    assert answer_rows.get().hazard_id == finding.hazard_id is not None
    photo = AnswerPhoto.objects.get(answer=finding)
    assert AnswerPhoto.history.filter(id=photo.pk).get().history_user == cast["dept_housing"]


def test_the_enforcement_document_link_is_in_the_actions_history(cast, recorded_x):
    action = _suspend(cast, recorded_x)
    latest = type(action).history.filter(id=action.pk).latest("history_id")
    assert latest.document_id == action.document_id is not None
    assert latest.history_user == cast["dept_housing"]
