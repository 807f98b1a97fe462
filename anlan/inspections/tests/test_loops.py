"""The inspection and 复产 loops as they should run: the rules on both sides of each boundary, then the services
(the chain with its 复产通知, the city's acceptance of an order from above, 擅自复产 proposing its 记分, the
双随机 window, 联合执法 teams, towns' own checks, grid workers not seeing planned 四不两直 visits, findings read
as findings, the legal basis as data, the 整改复查意见书 closing the order's hazards)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from anlan.core.models import Role
from anlan.core.rules import RuleViolation
from anlan.core.tests.factories import DepartmentFactory, MembershipFactory, UserFactory, industry
from anlan.hazards.models import Hazard
from anlan.inspections import documents, rules, services
from anlan.inspections.data import legal_basis
from anlan.inspections.data.checklists import ITEMS
from anlan.inspections.errors import ErrorCode
from anlan.inspections.models import (
    Inspection,
    RandomDraw,
    ScoreProposal,
    ScoringRule,
    SignoffStep,
    Suspension,
)

from .factories import answers, inspector, planned, record_data

# ---------------------------------------------------------------- rules


def test_the_chain_of_a_county_order_has_no_review():
    assert rules.signoff_chain([("department", "验收")], "county") == [("department", "验收")]


def test_a_city_order_is_accepted_by_the_city():
    assert [a for a, _n in rules.signoff_chain([("department", "验收")], "city")] == [
        "department",
        "review_city",
    ]


def test_a_province_order_goes_through_city_acceptance_then_the_province():
    chain = [a for a, _n in rules.signoff_chain([("department", "验收")], "province")]
    assert chain == ["department", "review_city", "review_province"]


def test_a_signer_of_an_earlier_step_is_refused_and_a_new_one_passes():
    rules.check_distinct_signer(3, [1, 2])
    with pytest.raises(RuleViolation) as caught:
        rules.check_distinct_signer(2, [1, 2])
    assert caught.value.code == ErrorCode.SIGNER_SIGNED_EARLIER_STEP


@pytest.mark.parametrize(
    ("hazards", "orders", "code"),
    [
        (0, 0, None),
        (1, 0, ErrorCode.RESUMPTION_MAJOR_HAZARD_OPEN),
        (0, 1, ErrorCode.RESUMPTION_ORDER_OPEN),
    ],
)
def test_resumption_is_clear_only_with_nothing_open(hazards, orders, code):
    if code is None:
        rules.check_resumption_clear(open_major_hazards=hazards, open_orders=orders)
        return
    with pytest.raises(RuleViolation) as caught:
        rules.check_resumption_clear(open_major_hazards=hazards, open_orders=orders)
    assert caught.value.code == code


START, END = date(2026, 5, 10), date(2026, 5, 20)


@pytest.mark.parametrize(
    ("day", "late"),
    [(START, False), (END, False), (END + timedelta(days=1), True)],
)
def test_a_visit_in_or_after_the_window_passes_and_after_it_is_late(day, late):
    assert rules.check_window(day, START, END, "") is late


def test_a_visit_the_day_before_the_window_needs_a_reason():
    with pytest.raises(RuleViolation) as caught:
        rules.check_window(START - timedelta(days=1), START, END, "  ")
    assert caught.value.code == ErrorCode.RANDOM_RECORDED_EARLY
    assert rules.check_window(START - timedelta(days=1), START, END, "企业即将停产，提前检查") is False


def test_only_a_certified_inspector_enforces_and_never_on_an_own_check():
    rules.check_enforcer(certified=True, own_check=False)
    for certified, own, code in (
        (False, False, ErrorCode.ENFORCER_NOT_CERTIFIED),
        (True, True, ErrorCode.OWN_CHECK_NO_ENFORCEMENT),
    ):
        with pytest.raises(RuleViolation) as caught:
            rules.check_enforcer(certified=certified, own_check=own)
        assert caught.value.code == code


@pytest.mark.parametrize(
    ("joint", "members", "code"),
    [
        (False, [("甲", 1, True), ("乙", 1, True)], None),
        (False, [("甲", 1, True), ("乙", 2, True)], ErrorCode.INSPECTOR_NOT_IN_POOL),
        (True, [("甲", 1, True), ("乙", 2, True)], None),
        (True, [("甲", 1, True), ("乙", 1, True)], ErrorCode.JOINT_ONE_DEPARTMENT),
        (True, [("甲", 2, True), ("乙", 3, True)], ErrorCode.JOINT_LEAD_MISSING),
        (True, [("甲", 1, True), ("乙", 2, False)], ErrorCode.INSPECTOR_NOT_CERTIFIED),
    ],
)
def test_a_joint_team_spans_departments_with_the_lead_and_one_department_otherwise(joint, members, code):
    if code is None:
        rules.check_joint_team(joint=joint, lead_department=1, members=members)
        return
    with pytest.raises(RuleViolation) as caught:
        rules.check_joint_team(joint=joint, lead_department=1, members=members)
    assert caught.value.code == code


def test_towns_and_leaders_check_unannounced_or_as_supervision():
    rules.check_own_check_kind("unannounced")
    rules.check_own_check_kind("supervision")
    with pytest.raises(RuleViolation):
        rules.check_own_check_kind("routine")


# ---------------------------------------------------------------- data


def test_every_checklist_item_is_a_requirement_with_a_finding_of_its_own():
    for item in ITEMS.values():
        assert item.finding, item.key
        assert item.text != item.finding, item.key
    major = ITEMS["major-hc-03"]
    assert major.text.endswith("符合国家标准要求") and "不符合" not in major.text
    assert major.finding.endswith("防护距离不符合国家标准要求")


def test_the_legal_basis_cites_the_law_not_the_criterion():
    text = legal_basis.basis_text("rectification", ["major-hc-03", "gen-3"])
    assert "第四十一条" in text and "第一百零二条" in text and "第九十七条" in text and "第六十五条" in text
    assert "判定标准" not in text and "安监总管三" not in text
    for article in legal_basis.ARTICLES:
        assert article.excerpt and article.source and article.confidence


# ---------------------------------------------------------------- services

pytestmark = pytest.mark.django_db


def _suspend(cast, recorded):
    finding = recorded.answers.filter(result="non_compliant").first()
    return services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded.pk,
        data={"kind": "suspension", "description": "责令停产整顿"},
        finding_ids=[finding.pk],
    ).suspension


def _close_findings(inspection):
    Hazard.objects.filter(inspection_answer__inspection=inspection).update(status=Hazard.Status.CLOSED)


def test_the_whole_chain_signed_by_different_people_issues_the_resumption_notice(cast, recorded_x, client):
    suspension = _suspend(cast, recorded_x)
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改完毕"
    )
    _close_findings(recorded_x)
    officer = UserFactory(username="housing_officer")
    MembershipFactory(user=officer, role=Role.DEPARTMENT, department=cast.dept_housing)
    services.decide_resumption(actor=officer, application_pk=application.pk, approve=True, opinion="验收合格")
    services.decide_resumption(
        actor=cast["leader"], application_pk=application.pk, approve=True, opinion="同意复产"
    )
    application.refresh_from_db()
    suspension.refresh_from_db()
    assert suspension.status == Suspension.Status.RESUMED
    assert suspension.action.status == "completed"
    assert application.notice is not None and application.notice.kind == "resumption_notice"
    text = "\n".join(p.text for p in Document(io.BytesIO(application.notice.file.read())).paragraphs)
    assert "复产通知" in text and "同意你单位" in text
    client.force_login(cast["enterprise_x"])
    response = client.get(reverse("inspections:document", args=[application.notice_id]))
    assert response.status_code == 200


def test_a_city_ordered_suspension_is_accepted_by_the_city(cast, team):
    city = cast.county.parent
    city_dept = DepartmentFactory(
        name="滁州市住房和城乡建设局", region=city, industries=[industry("construction")]
    )
    city_officer = UserFactory()
    MembershipFactory(user=city_officer, role=Role.DEPARTMENT, department=city_dept)
    city_team = [inspector(city_dept, user=city_officer), inspector(city_dept)]
    inspection = planned(city_dept, cast.enterprise_x, city_team, created_by=city_officer)
    recorded = services.record_inspection(
        actor=city_officer,
        inspection_pk=inspection.pk,
        data=record_data(),
        answers=answers("construction", failing=("con-5",)),
    )
    suspension = _suspend_by(city_officer, recorded)
    assert suspension.issuing_level == "city"
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
    )
    assert [s.approver for s in application.steps.order_by("order")][-1] == "review_city"


def _suspend_by(actor, recorded):
    finding = recorded.answers.filter(result="non_compliant").first()
    return services.take_enforcement(
        actor=actor,
        inspection_pk=recorded.pk,
        data={"kind": "suspension", "description": "责令停产整顿"},
        finding_ids=[finding.pk],
    ).suspension


def test_unauthorised_resumption_proposes_its_score_for_a_supervisor_to_confirm(cast, recorded_x, team):
    rule = ScoringRule.objects.create(
        code=rules.UNAUTHORISED_RESUMPTION_RULE, violation="擅自复产", points=12
    )
    _suspend(cast, recorded_x)
    visit = planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
    services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=visit.pk,
        data=record_data() | {"production_during_suspension": True},
        answers=answers("construction"),
    )
    proposal = ScoreProposal.objects.get(inspection=visit)
    assert proposal.rule == rule and proposal.status == ScoreProposal.Status.PROPOSED
    entry = services.confirm_score_proposal(
        actor=cast["dept_housing"], proposal_pk=proposal.pk, name="赵经理", position="主要负责人"
    )
    assert entry.points == 12 and entry.action_due and entry.inspection == visit
    with pytest.raises(Exception) as caught:
        services.dismiss_score_proposal(actor=cast["dept_housing"], proposal_pk=proposal.pk, reason="重复")
    assert caught.value.code == ErrorCode.SCORE_PROPOSAL_DECIDED


def _drawn(cast, team, start_in_days: int):
    today = timezone.localdate()
    draw = RandomDraw.objects.create(
        department=cast.dept_housing,
        title="双随机",
        period_start=today + timedelta(days=start_in_days),
        period_end=today + timedelta(days=start_in_days + 5),
        region=cast.county,
        sample_size=1,
        seed=1,
        drawn_by=cast["dept_housing"],
        status=RandomDraw.Status.CONFIRMED,
    )
    inspection = planned(
        cast.dept_housing,
        cast.enterprise_x,
        team,
        kind=Inspection.Kind.RANDOM,
        created_by=cast["dept_housing"],
    )
    Inspection.objects.filter(pk=inspection.pk).update(draw=draw)
    return inspection


def test_an_early_random_inspection_keeps_its_reason_in_the_audit(cast, team):
    inspection = _drawn(cast, team, start_in_days=3)
    services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=inspection.pk,
        data=record_data() | {"early_reason": "企业将于下周停产检修"},
        answers=answers("construction"),
    )
    inspection.refresh_from_db()
    assert inspection.early_reason == "企业将于下周停产检修" and not inspection.is_late
    assert inspection.history.latest("history_id").history_change_reason == "企业将于下周停产检修"


def test_a_late_random_inspection_is_recorded_and_flagged(cast, team, as_user):
    inspection = _drawn(cast, team, start_in_days=-10)
    services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=inspection.pk,
        data=record_data() | {"early_reason": "ignored"},
        answers=answers("construction"),
    )
    inspection.refresh_from_db()
    assert inspection.is_late and inspection.early_reason == ""
    client = as_user(cast["county_office"])
    assert (
        b'data-testid="late"'
        in client.get(reverse("inspections:inspection-detail", args=[inspection.pk])).content
    )
    assert b'data-testid="late"' in client.get(reverse("inspections:inspection-list")).content
    data = client.get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert data["is_late"] is True


def test_a_joint_team_draws_on_two_departments(cast, team):
    transport = DepartmentFactory(
        name="来安县交通运输局（联合）", region=cast.county, industries=[industry("road-transport")]
    )
    other = inspector(transport, name="赵交通")
    inspection = services.create_inspection(
        actor=cast["dept_housing"],
        data={
            "department": cast.dept_housing.pk,
            "kind": "joint",
            "enterprise": cast.enterprise_x.pk,
            "planned_on": timezone.localdate(),
        },
        team_ids=[team[0].pk, other.pk],
    )
    assert {i.department_id for i in inspection.team.all()} == {cast.dept_housing.pk, transport.pk}
    with pytest.raises(Exception) as caught:
        services.create_inspection(
            actor=cast["dept_housing"],
            data={
                "department": cast.dept_housing.pk,
                "kind": "routine",
                "enterprise": cast.enterprise_x.pk,
                "planned_on": timezone.localdate(),
            },
            team_ids=[team[0].pk, other.pk],
        )
    assert caught.value.code == ErrorCode.INSPECTOR_NOT_IN_POOL


def test_a_towns_own_check_that_finds_nothing_leaves_a_record(cast, as_user):
    own = services.create_own_check(
        actor=cast["town_a"],
        data={
            "kind": "unannounced",
            "enterprise": cast.enterprise_x.pk,
            "checkers": "镇长 王某、安监办 李某",
        },
    )
    assert own.department is None and own.conducted_by == "新安镇人民政府"
    services.record_inspection(
        actor=cast["town_a"],
        inspection_pk=own.pk,
        data=record_data(Inspection.Kind.UNANNOUNCED),
        answers=answers(own.checklist),
    )
    own.refresh_from_db()
    assert own.status == Inspection.Status.RECORDED and own.result == Inspection.Result.NO_PROBLEM
    assert own.record_document is None
    page = as_user(cast["county_office"]).get(reverse("inspections:inspection-list")).content.decode()
    assert "新安镇人民政府" in page


def test_a_leader_records_a_supervision_without_registering_hazards(cast):
    own = services.create_own_check(
        actor=cast["leader"],
        data={"kind": "supervision", "enterprise": cast.enterprise_x.pk, "checkers": "县领导 张某"},
    )
    services.record_inspection(
        actor=cast["leader"],
        inspection_pk=own.pk,
        data=record_data(Inspection.Kind.SUPERVISION),
        answers=answers(own.checklist, failing=("con-5",)),
    )
    own.refresh_from_db()
    assert own.result == Inspection.Result.PROBLEMS
    assert own.answers.get(item_key="con-5").hazard is None


def test_grid_workers_do_not_see_a_planned_unannounced_visit(cast, team):
    visit = planned(
        cast.dept_housing,
        cast.enterprise_x,
        team,
        kind=Inspection.Kind.UNANNOUNCED,
        created_by=cast["dept_housing"],
    )
    assert not Inspection.objects.for_user(cast["grid_worker"]).filter(pk=visit.pk).exists()
    assert Inspection.objects.for_user(cast["town_a"]).filter(pk=visit.pk).exists()
    Inspection.objects.filter(pk=visit.pk).update(status=Inspection.Status.RECORDED)
    assert Inspection.objects.for_user(cast["grid_worker"]).filter(pk=visit.pk).exists()


def _paragraphs(issued) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(issued.file.read())).paragraphs)


def test_the_record_prints_a_failed_item_as_a_finding(cast, recorded_x):
    text = _paragraphs(recorded_x.record_document)
    assert "脚手架、临边洞口防护设施不齐全或者失效（现场发现问题）" in text
    assert "不符合：" not in text and "：不符合" not in text
    assert "建筑施工企业取得安全生产许可证：符合" in text


def test_the_order_cites_the_articles_of_the_safety_law(cast, recorded_x):
    finding = recorded_x.answers.filter(result="non_compliant").first()
    action = services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded_x.pk,
        data={"kind": "rectification", "description": "限期整改", "due_on": timezone.localdate()},
        finding_ids=[finding.pk],
    )
    assert "《中华人民共和国安全生产法》第六十五条" in action.legal_basis
    assert "建质规" not in action.legal_basis
    text = _paragraphs(action.document)
    assert "法律依据：" in text and "第四十一条" in text


def test_a_passing_recheck_opinion_closes_the_orders_hazards(cast, recorded_x):
    finding = recorded_x.answers.filter(result="non_compliant").first()
    action = services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded_x.pk,
        data={"kind": "rectification", "description": "限期整改", "due_on": timezone.localdate()},
        finding_ids=[finding.pk],
    )
    with pytest.raises(Exception) as caught:  # not rectified yet: no passing recheck
        services.issue_letter(
            actor=cast["dept_housing"],
            inspection_pk=recorded_x.pk,
            kind="recheck_opinion",
            addressee="来安县建工集团有限公司",
            content="经复查，已整改合格。",
            action_pk=action.pk,
            passed=True,
        )
    assert caught.value.code == ErrorCode.RECHECK_BEFORE_RECTIFICATION
    Hazard.objects.filter(pk=finding.hazard_id).update(status=Hazard.Status.AWAITING_VERIFICATION)
    services.issue_letter(
        actor=cast["dept_housing"],
        inspection_pk=recorded_x.pk,
        kind="recheck_opinion",
        addressee="来安县建工集团有限公司",
        content="经复查，已整改合格。",
        action_pk=action.pk,
        passed=True,
    )
    assert Hazard.objects.get(pk=finding.hazard_id).status == Hazard.Status.CLOSED


def test_documents_helper_reads_a_finding_not_the_requirement(cast, recorded_x):
    answer = recorded_x.answers.get(item_key="con-5")
    assert documents.finding_of(answer) == "脚手架、临边洞口防护设施不齐全或者失效（现场发现问题）"
    assert "安全生产许可证：符合" in documents.answer_line(recorded_x.answers.get(item_key="con-1"))


def test_the_chain_steps_configured_by_a_county_are_copied(cast, recorded_x):
    SignoffStep.objects.create(region=cast.county, order=1, approver="department", name="行业部门验收")
    SignoffStep.objects.create(region=cast.county, order=2, approver="committee_office", name="安委办复核")
    suspension = _suspend(cast, recorded_x)
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="x"
    )
    assert [s.approver for s in application.steps.order_by("order")] == ["department", "committee_office"]
