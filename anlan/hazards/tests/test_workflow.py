"""Every (state, transition) pair of the hazard state machine, through the services, allowed and refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from anlan.core.errors import Code, DomainError
from anlan.hazards import services
from anlan.hazards.models import TRANSITIONS, Hazard
from anlan.hazards.rules import PlanFields

from .factories import HazardFactory, photo

S = Hazard.Status


def take(name: str, hazard: Hazard, cast):
    """Take transition `name` with valid input, as a user allowed to."""
    if name == "plan":
        plan = PlanFields(responsible_person="张三", measures="补设连墙件", due_on=hazard.due_on)
        return services.record_plan(actor=cast["enterprise_x"], hazard_pk=hazard.pk, plan=plan)
    if name in ("submit", "fix_on_the_spot"):
        action = services.submit_rectification if name == "submit" else services.fix_on_the_spot
        return action(actor=cast["enterprise_x"], hazard_pk=hazard.pk, description="已补设", photos=[photo()])
    if name in ("verify", "reject"):
        return services.verify_rectification(
            actor=cast["dept_housing"], hazard_pk=hazard.pk, passed=name == "verify", opinion="现场核查"
        )
    if name == "void":
        return services.void_hazard(actor=cast["town_a"], hazard_pk=hazard.pk, reason="重复登记")
    raise AssertionError(name)


CASES = [
    pytest.param(state, transition, id=f"{state}-{transition.name}")
    for state in S.values
    for transition in TRANSITIONS
]


@pytest.mark.parametrize(("state", "transition"), CASES)
def test_every_transition_from_every_state(cast, state, transition):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x,
        status=state,
        submitted_by=cast["enterprise_x"] if state == S.AWAITING_VERIFICATION else None,
    )
    before = Hazard.history.filter(id=hazard.pk).count()
    # A rectifying hazard may get a revised plan: allowed, but the state stays.
    revises_plan = transition.name == "plan" and state == S.RECTIFYING
    if state in transition.sources or revises_plan:
        take(transition.name, hazard, cast)
        hazard.refresh_from_db()
        assert hazard.status == (state if revises_plan else transition.target)
        if not revises_plan:
            row = Hazard.history.filter(id=hazard.pk).latest("history_id")
            assert row.status == transition.target
            assert row.history_user is not None
    else:
        with pytest.raises(DomainError) as caught:
            take(transition.name, hazard, cast)
        assert caught.value.code == Code.ILLEGAL_TRANSITION
        hazard.refresh_from_db()
        assert hazard.status == state
        assert Hazard.history.filter(id=hazard.pk).count() == before


def test_the_transition_table_reaches_every_state_but_registered():
    assert {t.target for t in TRANSITIONS} == set(S.values) - {S.REGISTERED}


def test_only_rejection_and_voiding_require_a_reason():
    assert {t.name for t in TRANSITIONS if t.reason_required} == {"reject", "void"}


def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(cast):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x, status=S.AWAITING_VERIFICATION, submitted_by=cast["enterprise_x"]
    )
    with pytest.raises(DomainError) as caught:
        services.verify_rectification(
            actor=cast["dept_housing"], hazard_pk=hazard.pk, passed=False, opinion=" "
        )
    assert caught.value.field == "reason"
    hazard.refresh_from_db()
    assert hazard.status == S.AWAITING_VERIFICATION
    assert hazard.verifications.count() == 0


def test_of_two_competing_transitions_exactly_one_wins(cast):
    """Void and verify race on the same awaiting hazard: the compare-and-set lets one through."""
    from anlan.core.workflow import apply_transition, find

    hazard = HazardFactory(enterprise=cast.enterprise_x, status=S.AWAITING_VERIFICATION)
    stale_copy = Hazard.objects.get(pk=hazard.pk)
    apply_transition(hazard, find(TRANSITIONS, "void"), actor=cast["town_a"], reason="重复")
    with pytest.raises(DomainError) as caught:
        apply_transition(stale_copy, find(TRANSITIONS, "verify"), actor=cast["dept_housing"])
    assert caught.value.code == Code.STALE
    assert Hazard.objects.get(pk=hazard.pk).status == S.VOIDED


def test_a_closed_hazard_records_who_verified_and_the_day(cast):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x, status=S.AWAITING_VERIFICATION, submitted_by=cast["enterprise_x"]
    )
    take("verify", hazard, cast)
    hazard.refresh_from_db()
    assert hazard.verified_by == cast["dept_housing"]
    assert hazard.closed_on == timezone.localdate()
    assert hazard.closed_on - hazard.found_on == timedelta(days=10)
