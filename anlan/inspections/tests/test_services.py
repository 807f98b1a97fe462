"""Inspection use cases through the services: draws, records with checklists → hazards, enforcement with
documents, 停产整顿 → 复产验收 along the chain in order, 擅自复产, scoring; bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from anlan.core.errors import Code, DomainError
from anlan.core.models import Enterprise
from anlan.core.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    industry,
)
from anlan.documents.models import IssuedDocument
from anlan.hazards.models import Hazard
from anlan.inspections import services
from anlan.inspections.errors import ErrorCode
from anlan.inspections.models import (
    Answer,
    EnforcementAction,
    Inspection,
    RandomDraw,
    Resumption,
    ScoredPerson,
    ScoringRule,
    SignoffStep,
    Suspension,
)
from anlan.notifications.models import Notification

from .factories import answers, inspector, planned, record_data

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def construction_sites(cast):
    return [
        EnterpriseFactory(
            name=f"来安县第{n}建筑公司", region=cast.village_a, industry=industry("construction")
        )
        for n in range(12)
    ]


def _draw(cast, **overrides):
    data = {
        "department": cast.dept_housing.pk,
        "title": "2026年第一季度建筑施工双随机抽查",
        "period_start": _today(),
        "period_end": _today() + timedelta(days=30),
        "region": cast.county.pk,
        "sample_size": 5,
        "team_size": 2,
        "seed": 20260101,
        **overrides,
    }
    return services.create_draw(actor=cast["dept_housing"], data=data)


# ---------------------------------------------------------------- draws


def test_a_draw_records_its_inputs_and_reruns_to_the_same_result(cast, team, construction_sites):
    inspector(cast.dept_housing, name="王执法")
    draw = _draw(cast)
    assert draw.status == RandomDraw.Status.DRAFT
    assert len(draw.result) == 5
    assert set(draw.pool) >= {e.pk for e in construction_sites}
    assert services.rerun_draw(draw) == draw.result
    assert all(len(entry["team"]) == 2 for entry in draw.result)


def test_the_same_seed_draws_the_same_enterprises_and_teams(cast, team, construction_sites):
    assert _draw(cast).result == _draw(cast).result


def test_the_pool_is_the_departments_jurisdiction_only(cast, team, construction_sites):
    draw = _draw(cast)
    assert cast.enterprise_y.pk not in draw.pool  # hazardous chemicals: not housing's industry


def test_an_expired_certificate_is_never_drawn(cast, team, construction_sites):
    expired = inspector(cast.dept_housing, name="过期执法", expires_in_days=-1)
    ending = inspector(
        cast.dept_housing, name="期内到期", expires_in_days=10
    )  # expires before the period ends
    draw = _draw(cast)
    assert expired.pk not in draw.inspectors and ending.pk not in draw.inspectors
    assert not any(expired.pk in e["team"] or ending.pk in e["team"] for e in draw.result)


def test_a_declared_conflict_is_respected(cast, team, construction_sites):
    third = inspector(cast.dept_housing, name="王执法")
    for enterprise in construction_sites + [cast.enterprise_x]:
        services.declare_conflict(
            actor=cast["dept_housing"], inspector_pk=third.pk, enterprise_pk=enterprise.pk, reason="亲属任职"
        )
    draw = _draw(cast, sample_size=8)
    assert all(third.pk not in entry["team"] for entry in draw.result)


def test_a_confirmed_draw_plans_its_inspections_and_cannot_be_confirmed_again(cast, team, construction_sites):
    draw = _draw(cast)
    services.confirm_draw(actor=cast["dept_housing"], draw_pk=draw.pk)
    draw.refresh_from_db()
    assert draw.status == RandomDraw.Status.CONFIRMED
    inspections = Inspection.objects.filter(draw=draw)
    assert inspections.count() == 5
    assert {i.enterprise_id for i in inspections} == {e["enterprise"] for e in draw.result}
    with pytest.raises(DomainError) as caught:
        services.confirm_draw(actor=cast["dept_housing"], draw_pk=draw.pk)
    assert caught.value.code == Code.ILLEGAL_TRANSITION


def test_a_pair_drawn_in_the_period_is_not_drawn_again(cast, construction_sites):
    people = [inspector(cast.dept_housing, name=f"执法{n}") for n in range(4)]
    first = _draw(cast, sample_size=12, seed=1)
    services.confirm_draw(actor=cast["dept_housing"], draw_pk=first.pk)
    second = _draw(cast, sample_size=12, seed=2)
    used = {(p, e["enterprise"]) for e in first.result for p in e["team"]}
    assert not any((p, e["enterprise"]) in used for e in second.result for p in e["team"])
    assert len(people) == 4


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        pytest.param(
            {"sample_size": 500}, "sample_size", ErrorCode.DRAW_POOL_TOO_SMALL, id="more-than-the-pool"
        ),
        pytest.param({"team_size": 1}, "team_size", ErrorCode.TEAM_TOO_SMALL, id="one-person-team"),
        pytest.param(
            {"period_end": _today() - timedelta(days=1)},
            "period_end",
            ErrorCode.PERIOD_BACKWARDS,
            id="period-backwards",
        ),
    ],
)
def test_a_bad_draw_is_refused_and_nothing_is_saved(cast, team, construction_sites, overrides, field, code):
    with pytest.raises(DomainError) as caught:
        _draw(cast, **overrides)
    assert caught.value.code == code
    assert caught.value.field == field
    assert not RandomDraw.objects.exists()


def test_a_town_cannot_draw(cast, team):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_draw(actor=cast["town_a"], data={"department": cast.dept_housing.pk})


# ---------------------------------------------------------------- records, findings, hazards


def test_a_non_compliant_answer_opens_a_hazard_linked_to_the_inspection(cast, planned_x):
    inspection = services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=planned_x.pk,
        data=record_data(),
        answers=answers("construction", failing=("con-5",), note="三层临边无防护"),
    )
    assert inspection.status == Inspection.Status.RECORDED
    assert inspection.result == Inspection.Result.PROBLEMS
    finding = Answer.objects.get(inspection=inspection, result="non_compliant")
    assert finding.hazard.enterprise == cast.enterprise_x
    assert finding.hazard.source == Hazard.Source.DEPARTMENT_INSPECTION
    assert "三层临边无防护" in finding.hazard.description
    assert Answer.objects.filter(inspection=inspection).count() == 6 + 9  # construction + general items
    assert inspection.record_document.kind == "inspection_record"
    assert "检记〔" in inspection.record_document.number


def test_a_major_criterion_item_suggests_a_major_hazard(cast, team):
    plant = EnterpriseFactory(
        name="来安县化工厂", region=cast.town_b, industry=industry("hazchem-production")
    )
    office = DepartmentFactory(
        name="来安县应急管理局", short_name="县应急局", region=cast.county, kind="comprehensive"
    )
    people = [inspector(office, name="甲"), inspector(office, name="乙")]
    visit = planned(office, plant, people, created_by=cast["county_office"], checklist="hazchem")
    services.record_inspection(
        actor=cast["county_office"],
        inspection_pk=visit.pk,
        data=record_data(),
        answers=answers("hazchem", failing=("major-hc-02",)),
    )
    hazard = Answer.objects.get(inspection=visit, result="non_compliant").hazard
    assert hazard.grade == Hazard.Grade.MAJOR
    assert hazard.major_criterion == "hc-02"


def test_a_record_missing_an_item_is_refused_and_nothing_is_saved(cast, planned_x):
    partial = answers("construction")
    partial.pop("con-1")
    with pytest.raises(DomainError) as caught:
        services.record_inspection(
            actor=cast["dept_housing"], inspection_pk=planned_x.pk, data=record_data(), answers=partial
        )
    assert caught.value.code == ErrorCode.ANSWER_MISSING
    assert caught.value.field == "answers"
    planned_x.refresh_from_db()
    assert planned_x.status == Inspection.Status.PLANNED
    assert not Answer.objects.exists() and not Hazard.objects.exists() and not IssuedDocument.objects.exists()


def test_a_finding_without_a_note_or_photo_is_refused(cast, planned_x):
    given = answers("construction", failing=("con-1",), note="")
    with pytest.raises(DomainError) as caught:
        services.record_inspection(
            actor=cast["dept_housing"], inspection_pk=planned_x.pk, data=record_data(), answers=given
        )
    assert caught.value.code == ErrorCode.FINDING_UNEXPLAINED


def test_a_team_of_one_or_with_an_expired_certificate_cannot_be_sent(cast, team):
    data = {
        "department": cast.dept_housing.pk,
        "kind": "routine",
        "enterprise": cast.enterprise_x.pk,
        "planned_on": _today(),
    }
    with pytest.raises(DomainError) as caught:
        services.create_inspection(actor=cast["dept_housing"], data=data, team_ids=[team[0].pk])
    assert caught.value.code == ErrorCode.TEAM_TOO_SMALL
    expired = inspector(cast.dept_housing, expires_in_days=-1)
    with pytest.raises(DomainError) as caught:
        services.create_inspection(actor=cast["dept_housing"], data=data, team_ids=[team[0].pk, expired.pk])
    assert caught.value.code == ErrorCode.INSPECTOR_NOT_CERTIFIED
    assert not Inspection.objects.exists()


# ---------------------------------------------------------------- 四不两直


def _enterprise_user(cast):
    return cast["enterprise_x"]


def test_an_announced_inspection_tells_the_enterprise(cast, team, django_capture_on_commit_callbacks):
    data = {
        "department": cast.dept_housing.pk,
        "kind": "routine",
        "enterprise": cast.enterprise_x.pk,
        "planned_on": _today(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.create_inspection(actor=cast["dept_housing"], data=data, team_ids=[t.pk for t in team])
    assert Notification.objects.filter(recipient=_enterprise_user(cast), kind=services.ANNOUNCED).count() == 1


def test_an_unannounced_visit_is_invisible_to_the_enterprise_until_recorded(
    cast, team, django_capture_on_commit_callbacks
):
    data = {
        "department": cast.dept_housing.pk,
        "kind": "unannounced",
        "enterprise": cast.enterprise_x.pk,
        "planned_on": _today(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.create_inspection(
            actor=cast["dept_housing"], data=data, team_ids=[t.pk for t in team]
        )
    user = _enterprise_user(cast)
    assert not Inspection.objects.for_user(user).filter(pk=visit.pk).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert Inspection.objects.for_user(cast["dept_housing"]).filter(pk=visit.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_inspection(
            actor=cast["dept_housing"],
            inspection_pk=visit.pk,
            data=record_data("unannounced"),
            answers=answers("construction"),
        )
    assert Inspection.objects.for_user(user).filter(pk=visit.pk).exists()
    assert Notification.objects.filter(recipient=user, kind=services.RECORDED).count() == 1


def test_an_unannounced_visit_refuses_an_escort(cast, team):
    visit = planned(
        cast.dept_housing, cast.enterprise_x, team, kind="unannounced", created_by=cast["dept_housing"]
    )
    data = record_data("unannounced") | {"escort": "办公室主任"}
    with pytest.raises(DomainError) as caught:
        services.record_inspection(
            actor=cast["dept_housing"], inspection_pk=visit.pk, data=data, answers=answers("construction")
        )
    assert caught.value.code == ErrorCode.UNANNOUNCED_WITH_ESCORT
    assert caught.value.field == "escort"


# ---------------------------------------------------------------- enforcement


def test_a_rectification_order_is_issued_with_a_numbered_docx(cast, recorded_x):
    findings = list(recorded_x.answers.filter(result="non_compliant").values_list("pk", flat=True))
    action = services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded_x.pk,
        data={
            "kind": "rectification",
            "legal_basis": "《安全生产法》第六十五条",
            "description": "限期整改",
            "due_on": _today() + timedelta(days=10),
        },
        finding_ids=findings,
    )
    assert action.document.kind == "rectification_order"
    assert action.document.number.endswith(f"〔{_today().year}〕1号")
    assert set(action.findings.values_list("pk", flat=True)) == set(findings)


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        pytest.param({"kind": "fine"}, "amount", ErrorCode.FINE_AMOUNT_MISSING, id="fine-without-amount"),
        pytest.param(
            {"kind": "rectification"},
            "due_on",
            ErrorCode.RECTIFICATION_DEADLINE_MISSING,
            id="order-without-deadline",
        ),
        pytest.param(
            {"kind": "referral"}, "referred_to", ErrorCode.REFERRAL_BODY_MISSING, id="referral-without-body"
        ),
        pytest.param(
            {"kind": "licence_revocation"},
            "licence",
            ErrorCode.LICENCE_MISSING,
            id="revocation-without-licence",
        ),
    ],
)
def test_an_incomplete_enforcement_is_refused_and_no_number_is_used(cast, recorded_x, data, field, code):
    findings = list(recorded_x.answers.filter(result="non_compliant").values_list("pk", flat=True))
    with pytest.raises(DomainError) as caught:
        services.take_enforcement(
            actor=cast["dept_housing"],
            inspection_pk=recorded_x.pk,
            data={"legal_basis": "依据", "description": "措施", **data},
            finding_ids=findings,
        )
    assert caught.value.code == code
    assert caught.value.field == field
    assert not EnforcementAction.objects.exists()
    assert not IssuedDocument.objects.exclude(kind="inspection_record").exists()


def test_a_fine_counts_its_amount(cast, recorded_x):
    finding = recorded_x.answers.filter(result="non_compliant").first()
    action = services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded_x.pk,
        data={
            "kind": "fine",
            "legal_basis": "《安全生产法》第一百零二条",
            "description": "罚款",
            "amount": "30000",
        },
        finding_ids=[finding.pk],
    )
    assert action.document.kind == "penalty_decision"
    assert action.amount == 30000


def _suspend(cast, recorded):
    finding = recorded.answers.filter(result="non_compliant").first()
    return services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded.pk,
        data={"kind": "suspension", "legal_basis": "《安全生产法》第六十五条", "description": "停产整顿"},
        finding_ids=[finding.pk],
    )


def test_a_suspension_order_suspends_the_enterprise(cast, recorded_x):
    action = _suspend(cast, recorded_x)
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.status == Enterprise.Status.SUSPENDED
    assert action.suspension.status == Suspension.Status.SUSPENDED
    assert action.suspension.issuing_level == "county"


# ---------------------------------------------------------------- 复产验收


@pytest.fixture
def suspension_x(cast, recorded_x):
    return _suspend(cast, recorded_x).suspension


def test_resumption_goes_through_the_chain_in_order(cast, suspension_x):
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension_x.pk, evidence="已整改，附照片"
    )
    assert [s.approver for s in application.steps.order_by("order")] == ["department", "leader"]
    with pytest.raises(DomainError) as caught:  # the leader may not sign before the department
        services.decide_resumption(actor=cast["leader"], application_pk=application.pk, approve=True)
    assert caught.value.code == ErrorCode.NOT_STEP_APPROVER
    services.decide_resumption(
        actor=cast["dept_housing"], application_pk=application.pk, approve=True, opinion="现场验收合格"
    )
    cast.enterprise_x.refresh_from_db()
    assert cast.enterprise_x.status == Enterprise.Status.SUSPENDED
    services.decide_resumption(actor=cast["leader"], application_pk=application.pk, approve=True)
    application.refresh_from_db()
    suspension_x.refresh_from_db()
    cast.enterprise_x.refresh_from_db()
    assert application.status == Resumption.Status.APPROVED
    assert suspension_x.status == Suspension.Status.RESUMED
    assert cast.enterprise_x.status == Enterprise.Status.OPERATING


def test_a_refusal_ends_the_application_and_the_enterprise_stays_suspended(cast, suspension_x):
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension_x.pk, evidence="已整改"
    )
    with pytest.raises(DomainError) as caught:
        services.decide_resumption(actor=cast["dept_housing"], application_pk=application.pk, approve=False)
    assert caught.value.code == ErrorCode.REFUSAL_WITHOUT_OPINION
    services.decide_resumption(
        actor=cast["dept_housing"], application_pk=application.pk, approve=False, opinion="仍未整改到位"
    )
    suspension_x.refresh_from_db()
    assert suspension_x.status == Suspension.Status.SUSPENDED
    again = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension_x.pk, evidence="再次整改"
    )
    assert again.status == Resumption.Status.PENDING


def test_a_configured_chain_is_followed(cast, suspension_x):
    SignoffStep.objects.create(region=cast.county, order=1, approver="department", name="部门验收")
    SignoffStep.objects.create(region=cast.county, order=2, approver="committee_office", name="安委办审核")
    SignoffStep.objects.create(region=cast.county, order=3, approver="leader", name="分管县长审批")
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension_x.pk, evidence="已整改"
    )
    assert [s.name for s in application.steps.order_by("order")] == ["部门验收", "安委办审核", "分管县长审批"]


def test_a_city_order_needs_the_city_review(cast, suspension_x):
    Suspension.objects.filter(pk=suspension_x.pk).update(issuing_level="city")
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension_x.pk, evidence="已整改"
    )
    assert application.steps.order_by("order").last().approver == "review_city"


def test_production_during_suspension_is_flagged_and_escalated(
    cast, team, suspension_x, django_capture_on_commit_callbacks
):
    visit = planned(
        cast.dept_housing, cast.enterprise_x, team, kind="unannounced", created_by=cast["dept_housing"]
    )
    data = record_data("unannounced") | {"production_during_suspension": True}
    with django_capture_on_commit_callbacks(execute=True):
        services.record_inspection(
            actor=cast["dept_housing"], inspection_pk=visit.pk, data=data, answers=answers("construction")
        )
    suspension_x.refresh_from_db()
    assert suspension_x.unauthorised_production_by_id == visit.pk
    assert Notification.objects.filter(
        recipient=cast["county_office"], kind=services.UNAUTHORISED_PRODUCTION
    ).exists()


# ---------------------------------------------------------------- 安全生产记分


def test_scoring_reaches_the_threshold_in_the_cycle(cast):
    person = services.add_scored_person(
        actor=cast["dept_housing"], enterprise_pk=cast.enterprise_x.pk, name="赵矿长", position="主要负责人"
    )
    rule = ScoringRule.objects.create(code="no-plan", violation="未制定应急预案", points=6)
    first = services.score(
        actor=cast["dept_housing"], person_pk=person.pk, rule_pk=rule.pk, scored_on=_today()
    )
    second = services.score(
        actor=cast["dept_housing"], person_pk=person.pk, rule_pk=rule.pk, scored_on=_today()
    )
    assert (first.cycle_total, first.action_due) == (6, False)
    assert (second.cycle_total, second.action_due) == (12, True)
    assert ScoredPerson.objects.get(pk=person.pk).scores.count() == 2
