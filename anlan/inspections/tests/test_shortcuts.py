"""Every way around the inspection and 复产 loops, tried and refused with a message naming the rule; where the
page has a button for the step, the page does not offer it.

- a suspended enterprise set back to operating by a status change (instead of the 复产验收 chain);
- one person signing two steps of one 复产验收; the wrong body signing a step;
- the last step passed while a major hazard or an order of the suspending inspection is open;
- a 双随机 inspection recorded before its planned window without a reason;
- a town (or anyone on a town's own check, or an uncertified officer) taking an enforcement measure;
- an enterprise user recording an inspection.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from anlan.core import selectors as core_selectors
from anlan.core import services as core_services
from anlan.core.errors import DomainError
from anlan.core.errors import ErrorCode as CoreCode
from anlan.core.models import Enterprise, Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.hazards.models import Hazard
from anlan.hazards.tests.factories import HazardFactory
from anlan.inspections import services
from anlan.inspections.errors import ErrorCode
from anlan.inspections.models import EnforcementAction, Inspection, RandomDraw, Suspension

from .factories import answers, planned, record_data

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- set-up


def _suspend(cast, recorded):
    finding = recorded.answers.filter(result="non_compliant").first()
    return services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded.pk,
        data={"kind": "suspension", "description": "责令停产整顿"},
        finding_ids=[finding.pk],
    ).suspension


@pytest.fixture
def suspension(cast, recorded_x):
    return _suspend(cast, recorded_x)


@pytest.fixture
def application(cast, suspension):
    """Applied for: the default chain, the housing department's acceptance then the county leader."""
    return services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
    )


def _close_findings(inspection):
    """The suspending inspection's hazards closed (as if verified), so only the case under test blocks."""
    Hazard.objects.filter(inspection_answer__inspection=inspection).update(status=Hazard.Status.CLOSED)


def _signers(cast):
    """An officer of the housing department and a second county leader: the two bodies of the chain."""
    officer = UserFactory(username="housing_officer")
    MembershipFactory(user=officer, role=Role.DEPARTMENT, department=cast.dept_housing)
    return officer, cast["leader"]


def _page(client, user, suspension):
    client.force_login(user)
    return client.get(reverse("inspections:suspension-detail", args=[suspension.pk])).content.decode()


# ---------------------------------------------------------------- status shortcut around 复产


@pytest.mark.parametrize("who", ["county_office", "town_a", "dept_housing"])
def test_nobody_sets_a_suspended_enterprise_back_to_operating_by_a_status_change(cast, suspension, who):
    with pytest.raises(DomainError) as caught:
        core_services.change_enterprise_status(
            actor=cast[who], enterprise_pk=cast.enterprise_x.pk, status="operating", reason="已整改"
        )
    assert caught.value.code == CoreCode.ENTERPRISE_RESUME_NEEDS_ACCEPTANCE
    assert "复产验收" in caught.value.message
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).status == Enterprise.Status.SUSPENDED
    # the page's status choices do not offer it either
    enterprise = Enterprise.objects.get(pk=cast.enterprise_x.pk)
    assert "operating" not in core_selectors.enterprise_status_targets(cast[who], enterprise)


def test_closing_and_reopening_does_not_get_round_an_order_in_force(cast, suspension):
    core_services.change_enterprise_status(
        actor=cast["county_office"], enterprise_pk=cast.enterprise_x.pk, status="closed", reason="依法关闭"
    )
    with pytest.raises(DomainError) as caught:
        core_services.change_enterprise_status(
            actor=cast["county_office"], enterprise_pk=cast.enterprise_x.pk, status="operating", reason="恢复"
        )
    assert caught.value.code == CoreCode.ENTERPRISE_RESUME_NEEDS_ACCEPTANCE


def test_the_status_change_page_does_not_post_a_resumption(cast, suspension, client):
    client.force_login(cast["county_office"])
    client.post(
        reverse("core:enterprise-status", args=[cast.enterprise_x.pk]),
        {"status": "operating", "reason": "已整改"},
    )
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).status == Enterprise.Status.SUSPENDED


# ---------------------------------------------------------------- 复产验收: who signs


def test_one_person_cannot_sign_two_steps(cast, suspension, client):
    """A housing officer who is also a county leader signs the department's step, then tries the leader's."""
    both = UserFactory(username="officer_and_leader")
    MembershipFactory(user=both, role=Role.DEPARTMENT, department=cast.dept_housing)
    MembershipFactory(user=both, role=Role.LEADER, region=cast.county)
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
    )
    _close_findings(suspension.action.inspection)
    services.decide_resumption(
        actor=both, application_pk=application.pk, approve=True, opinion="现场验收合格"
    )
    for approve in (True, False):
        with pytest.raises(DomainError) as caught:
            services.decide_resumption(
                actor=both, application_pk=application.pk, approve=approve, opinion="同意"
            )
        assert caught.value.code == ErrorCode.SIGNER_SIGNED_EARLIER_STEP
        assert "不同的人" in caught.value.message
    assert 'data-testid="decide"' not in _page(client, both, suspension)
    # the leader, who signed nothing yet, still may
    assert 'data-testid="decide"' in _page(client, cast["leader"], suspension)


def test_the_wrong_body_cannot_sign_a_step(cast, application, client):
    """The first step is the ordering department's: the county leader and the county office are refused."""
    for who in ("leader", "county_office"):
        with pytest.raises(DomainError) as caught:
            services.decide_resumption(
                actor=cast[who], application_pk=application.pk, approve=True, opinion="同意"
            )
        assert caught.value.code == ErrorCode.NOT_STEP_APPROVER
        assert 'data-testid="decide"' not in _page(client, cast[who], application.suspension)


# ---------------------------------------------------------------- 复产验收: the last step


def _to_last_step(cast, application):
    officer, _leader = _signers(cast)
    services.decide_resumption(
        actor=officer, application_pk=application.pk, approve=True, opinion="现场验收合格"
    )


def test_the_last_step_cannot_pass_with_an_open_major_hazard(cast, suspension, application, client):
    _close_findings(suspension.action.inspection)
    HazardFactory(enterprise=cast.enterprise_x, grade=Hazard.Grade.MAJOR, status=Hazard.Status.RECTIFYING)
    _to_last_step(cast, application)
    with pytest.raises(DomainError) as caught:
        services.decide_resumption(
            actor=cast["leader"], application_pk=application.pk, approve=True, opinion="同意复产"
        )
    assert caught.value.code == ErrorCode.RESUMPTION_MAJOR_HAZARD_OPEN
    assert "重大事故隐患" in caught.value.message
    assert Suspension.objects.get(pk=suspension.pk).status == Suspension.Status.APPLIED
    page = _page(client, cast["leader"], suspension)
    assert 'data-testid="blocked"' in page and '<option value="1">' not in page
    # refusing stays possible
    services.decide_resumption(
        actor=cast["leader"], application_pk=application.pk, approve=False, opinion="重大隐患未消除"
    )


def test_the_last_step_cannot_pass_with_an_open_order_of_the_suspending_inspection(
    cast, suspension, application
):
    inspection = suspension.action.inspection
    finding = inspection.answers.filter(result="non_compliant").first()
    services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=inspection.pk,
        data={"kind": "rectification", "description": "限期整改", "due_on": timezone.localdate()},
        finding_ids=[finding.pk],
    )
    _close_findings(inspection)
    _to_last_step(cast, application)
    with pytest.raises(DomainError) as caught:
        services.decide_resumption(
            actor=cast["leader"], application_pk=application.pk, approve=True, opinion="同意复产"
        )
    assert caught.value.code == ErrorCode.RESUMPTION_ORDER_OPEN


def test_the_last_step_cannot_pass_while_the_suspending_findings_are_open(cast, suspension, application):
    """The suspending inspection's own hazards, made major: still open, so no resumption."""
    Hazard.objects.filter(inspection_answer__inspection=suspension.action.inspection).update(
        grade=Hazard.Grade.MAJOR
    )
    _to_last_step(cast, application)
    with pytest.raises(DomainError) as caught:
        services.decide_resumption(
            actor=cast["leader"], application_pk=application.pk, approve=True, opinion="同意复产"
        )
    assert caught.value.code == ErrorCode.RESUMPTION_MAJOR_HAZARD_OPEN


# ---------------------------------------------------------------- 双随机 window


def _drawn(cast, team, start_in_days: int, length: int = 10):
    today = timezone.localdate()
    draw = RandomDraw.objects.create(
        department=cast.dept_housing,
        title="建筑施工双随机抽查",
        period_start=today + timedelta(days=start_in_days),
        period_end=today + timedelta(days=start_in_days + length),
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
    Inspection.objects.filter(pk=inspection.pk).update(draw=draw, planned_on=draw.period_start)
    return inspection


def test_a_random_inspection_recorded_before_its_window_needs_a_reason(cast, team):
    inspection = _drawn(cast, team, start_in_days=5)
    with pytest.raises(DomainError) as caught:
        services.record_inspection(
            actor=cast["dept_housing"],
            inspection_pk=inspection.pk,
            data=record_data(),
            answers=answers("construction"),
        )
    assert caught.value.code == ErrorCode.RANDOM_RECORDED_EARLY
    assert caught.value.field == "early_reason"
    assert Inspection.objects.get(pk=inspection.pk).status == Inspection.Status.PLANNED


# ---------------------------------------------------------------- who enforces


def test_a_town_takes_no_enforcement_measure(cast, recorded_x, as_user):
    finding = recorded_x.answers.filter(result="non_compliant").first()
    with pytest.raises(PermissionDenied):
        services.take_enforcement(
            actor=cast["town_a"],
            inspection_pk=recorded_x.pk,
            data={"kind": "rectification", "description": "x", "due_on": timezone.localdate()},
            finding_ids=[finding.pk],
        )
    page = as_user(cast["town_a"]).get(reverse("inspections:inspection-detail", args=[recorded_x.pk]))
    assert b'data-testid="action-enforce"' not in page.content


def test_no_enforcement_measure_on_a_towns_own_check(cast, team):
    own = services.create_own_check(
        actor=cast["town_a"],
        data={"kind": "unannounced", "enterprise": cast.enterprise_x.pk, "checkers": "镇安监办 王某、李某"},
    )
    services.record_inspection(
        actor=cast["town_a"],
        inspection_pk=own.pk,
        data=record_data(Inspection.Kind.UNANNOUNCED),
        answers=answers(own.checklist, failing=("con-5",)),
    )
    finding = own.answers.filter(result="non_compliant").first()
    for who in ("dept_housing", "county_office"):  # even a certified inspector, on a town's check
        with pytest.raises(DomainError) as caught:
            services.take_enforcement(
                actor=cast[who],
                inspection_pk=own.pk,
                data={"kind": "rectification", "description": "x", "due_on": timezone.localdate()},
                finding_ids=[finding.pk],
            )
        assert caught.value.code in (ErrorCode.OWN_CHECK_NO_ENFORCEMENT, ErrorCode.ENFORCER_NOT_CERTIFIED)
    assert not EnforcementAction.objects.filter(inspection=own).exists()


def test_only_a_certified_inspector_takes_an_enforcement_measure(cast, recorded_x, as_user):
    """The county office holds the right but no 执法证: refused, and the page offers no button."""
    finding = recorded_x.answers.filter(result="non_compliant").first()
    with pytest.raises(DomainError) as caught:
        services.take_enforcement(
            actor=cast["county_office"],
            inspection_pk=recorded_x.pk,
            data={"kind": "rectification", "description": "x", "due_on": timezone.localdate()},
            finding_ids=[finding.pk],
        )
    assert caught.value.code == ErrorCode.ENFORCER_NOT_CERTIFIED
    assert "执法证" in caught.value.message
    client = as_user(cast["county_office"])
    page = client.get(reverse("inspections:inspection-detail", args=[recorded_x.pk]))
    assert b'data-testid="action-enforce"' not in page.content
    assert client.get(reverse("inspections:enforcement-create", args=[recorded_x.pk])).status_code == 403


# ---------------------------------------------------------------- the enterprise


def test_an_enterprise_user_records_no_inspection(cast, planned_x, as_user):
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            actor=cast["enterprise_x"],
            inspection_pk=planned_x.pk,
            data=record_data(),
            answers=answers("construction"),
        )
    with pytest.raises(PermissionDenied):
        services.create_own_check(
            actor=cast["enterprise_x"],
            data={"kind": "unannounced", "enterprise": cast.enterprise_x.pk, "checkers": "自己"},
        )
    client = as_user(cast["enterprise_x"])
    assert client.get(reverse("inspections:inspection-record", args=[planned_x.pk])).status_code == 403
    page = client.get(reverse("inspections:inspection-detail", args=[planned_x.pk]))
    assert reverse("inspections:inspection-record", args=[planned_x.pk]).encode() not in page.content
    assert Inspection.objects.get(pk=planned_x.pk).status == Inspection.Status.PLANNED


# ---------------------------------------------------------------- another body's inspection


@pytest.mark.parametrize("who", ["town_a", "county_office"])
def test_nobody_records_or_cancels_another_departments_inspection(cast, planned_x, as_user, who):
    """The town and the county office see housing's planned visit, but only housing's staff record or cancel it."""
    with pytest.raises(DomainError) as refused:
        services.record_inspection(
            actor=cast[who], inspection_pk=planned_x.pk, data=record_data(), answers=answers("construction")
        )
    assert refused.value.code == ErrorCode.RECORDER_NOT_OF_DEPARTMENT
    assert "只能由该部门的执法人员记录" in refused.value.message
    with pytest.raises(DomainError) as refused:
        services.cancel_inspection(actor=cast[who], inspection_pk=planned_x.pk, reason="企业已停业")
    assert refused.value.code == ErrorCode.RECORDER_NOT_OF_DEPARTMENT
    client = as_user(cast[who])
    record_url = reverse("inspections:inspection-record", args=[planned_x.pk])
    assert client.get(record_url).status_code == 403
    page = client.get(reverse("inspections:inspection-detail", args=[planned_x.pk]))
    assert page.status_code == 200
    assert record_url.encode() not in page.content
    assert Inspection.objects.get(pk=planned_x.pk).status == Inspection.Status.PLANNED


def test_a_town_is_offered_its_own_check_not_a_departments_plan(cast, as_user):
    """A town has no department to plan in: the list offers 登记乡镇/领导检查, not 安排检查 or the planning pages."""
    client = as_user(cast["town_a"])
    page = client.get(reverse("inspections:inspection-list")).content.decode()
    assert reverse("inspections:own-check-create") in page
    assert reverse("inspections:inspection-create") not in page
    assert reverse("inspections:plan-list") not in page
    assert client.get(reverse("inspections:inspection-create")).status_code == 403
    client = as_user(cast["dept_housing"])
    page = client.get(reverse("inspections:inspection-list")).content.decode()
    assert reverse("inspections:inspection-create") in page
    assert reverse("inspections:plan-list") in page
