"""Every (state, transition) pair of each inspection state machine (draws, inspections, enforcement actions,
停产整顿, 复产申请), taken through its service: a legal one moves the state and writes one history row with the
actor; an illegal one is refused as an illegal transition and changes nothing. And for each table, two stale
copies compete: the compare-and-set lets exactly one through."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from anlan.core.errors import Code, DomainError
from anlan.core.models import Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.core.workflow import apply_transition
from anlan.inspections import services
from anlan.inspections.models import (
    Answer,
    EnforcementAction,
    Inspection,
    RandomDraw,
    Resumption,
    ResumptionStep,
    Suspension,
)

from .factories import answers, planned, record_data

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- records in a given state


def _draw(state, cast, team):
    today = timezone.localdate()
    return RandomDraw.objects.create(
        department=cast.dept_housing,
        title="建筑施工双随机抽查",
        period_start=today,
        period_end=today + timedelta(days=30),
        region=cast.county,
        sample_size=1,
        seed=1,
        drawn_by=cast["dept_housing"],
        status=state,
    )


def _inspection(state, cast, team):
    inspection = planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
    Inspection.objects.filter(pk=inspection.pk).update(status=state)
    return Inspection.objects.get(pk=inspection.pk)


def _action(state, cast, team, kind=EnforcementAction.Kind.RECTIFICATION):
    return EnforcementAction.objects.create(
        inspection=_inspection(Inspection.Status.RECORDED, cast, team),
        kind=kind,
        legal_basis="《安全生产法》第六十五条",
        description="限期整改",
        issued_by=cast["dept_housing"],
        issued_on=timezone.localdate(),
        status=state,
    )


def _suspension(state, cast, team):
    return Suspension.objects.create(
        action=_action(EnforcementAction.Status.ISSUED, cast, team, kind=EnforcementAction.Kind.SUSPENSION),
        enterprise=cast.enterprise_x,
        issuing_level="county",
        status=state,
    )


def _application(suspension, cast, state=Resumption.Status.PENDING):
    """An application whose chain is one step, the ordering department's: its decision ends the chain."""
    application = Resumption.objects.create(
        suspension=suspension, evidence="已整改", applied_by=cast["enterprise_x"], status=state
    )
    ResumptionStep.objects.create(application=application, order=1, approver="department", name="部门验收")
    return application


def _resumption(state, cast, team):
    return _application(_suspension(Suspension.Status.APPLIED, cast, team), cast, state)


# ---------------------------------------------------------------- each transition through its service


def _take_draw(name, draw, cast):
    service = {"confirm": services.confirm_draw, "publish": services.publish_draw}[name]
    service(actor=cast["dept_housing"], draw_pk=draw.pk)
    return cast["dept_housing"]


def _take_inspection(name, inspection, cast):
    if name == "record":
        services.record_inspection(
            actor=cast["dept_housing"],
            inspection_pk=inspection.pk,
            data=record_data(),
            answers=answers("construction"),
        )
    else:
        services.cancel_inspection(
            actor=cast["dept_housing"], inspection_pk=inspection.pk, reason="企业已停业"
        )
    return cast["dept_housing"]


def _take_action(name, action, cast):
    reason = "依法撤销" if name == "revoke" else ""
    services.move_action(actor=cast["dept_housing"], action_pk=action.pk, transition=name, reason=reason)
    return cast["dept_housing"]


def _decide(application, cast, name):
    approve = name in ("resume", "approve")
    services.decide_resumption(
        actor=cast["dept_housing"],
        application_pk=application.pk,
        approve=approve,
        opinion="" if approve else "仍未整改到位",
    )
    return cast["dept_housing"]


def _take_suspension(name, suspension, cast):
    if name == "apply":
        services.apply_resumption(actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改")
        return cast["enterprise_x"]
    return _decide(_application(suspension, cast), cast, name)


def _take_resumption(name, application, cast):
    return _decide(application, cast, name)


TABLES = {
    RandomDraw: (_draw, _take_draw),
    Inspection: (_inspection, _take_inspection),
    EnforcementAction: (_action, _take_action),
    Suspension: (_suspension, _take_suspension),
    Resumption: (_resumption, _take_resumption),
}

CASES = [
    pytest.param(model, state, transition, id=f"{model.__name__}-{state}-{transition.name}")
    for model in TABLES
    for state in model.Status.values
    for transition in model.TRANSITIONS
]


def _rows(obj):
    return type(obj).history.filter(id=obj.pk)


@pytest.mark.parametrize(("model", "state", "transition"), CASES)
def test_every_transition_from_every_state(cast, team, model, state, transition):
    make, take = TABLES[model]
    obj = make(state, cast, team)
    before = _rows(obj).count()
    if state in transition.sources:
        actor = take(transition.name, obj, cast)
        obj.refresh_from_db()
        assert obj.status == transition.target
        assert _rows(obj).count() == before + 1
        row = _rows(obj).latest("history_id")
        assert row.status == transition.target
        assert row.history_user == actor
    else:
        with pytest.raises(DomainError) as caught:
            take(transition.name, obj, cast)
        assert caught.value.code == Code.ILLEGAL_TRANSITION
        obj.refresh_from_db()
        assert obj.status == state
        assert _rows(obj).count() == before


def test_recording_from_a_wrong_state_is_refused_before_any_answer_is_kept(cast, team):
    inspection = _inspection(Inspection.Status.CANCELLED, cast, team)
    with pytest.raises(DomainError) as caught:
        _take_inspection("record", inspection, cast)
    assert caught.value.code == Code.ILLEGAL_TRANSITION
    assert not Answer.objects.filter(inspection=inspection).exists()


def test_a_final_approval_records_the_day_production_resumes(cast, team):
    application = _resumption(Resumption.Status.PENDING, cast, team)
    _take_resumption("approve", application, cast)
    suspension = Suspension.objects.get(pk=application.suspension_id)
    assert suspension.status == Suspension.Status.RESUMED
    assert suspension.resumed_on == timezone.localdate()


# ---------------------------------------------------------------- races


def _competitors(model):
    """A state two transitions (or the same one twice) may leave, and those two transitions."""
    for state in model.Status.values:
        leaving = [t for t in model.TRANSITIONS if state in t.sources]
        if leaving:
            return state, leaving[0], leaving[-1]
    raise AssertionError(model)


@pytest.fixture
def colleague(cast):
    """A second officer of the housing department: a rival who passes every table's guards (the 复产 step of
    the ordering department is theirs to sign too), so only the compare-and-set can stop them."""
    user = UserFactory()
    MembershipFactory(user=user, role=Role.DEPARTMENT, department=cast.dept_housing)
    return user


@pytest.mark.parametrize("model", list(TABLES), ids=[model.__name__ for model in TABLES])
def test_of_two_stale_copies_competing_exactly_one_wins(cast, team, colleague, model):
    state, first, second = _competitors(model)
    obj = TABLES[model][0](state, cast, team)
    mine, theirs = model.objects.get(pk=obj.pk), model.objects.get(pk=obj.pk)
    before = _rows(obj).count()
    apply_transition(mine, first, actor=cast["dept_housing"], reason="先到")
    with pytest.raises(DomainError) as caught:
        apply_transition(theirs, second, actor=colleague, reason="后到")
    assert caught.value.code == Code.STALE
    obj.refresh_from_db()
    assert obj.status == first.target
    assert _rows(obj).count() == before + 1
    assert _rows(obj).latest("history_id").history_user == cast["dept_housing"]
