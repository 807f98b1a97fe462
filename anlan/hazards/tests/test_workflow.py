"""The four state machines of the module (Hazard, Lead, Extension, Supervision): every (state, transition)
pair through the services, allowed and refused; the guards (domain rules) hide a step and refuse it with their
code; and of two competing transitions on stale copies exactly one wins."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from anlan.core import units
from anlan.core.errors import Code, DomainError
from anlan.core.workflow import apply_transition, available_transitions, find
from anlan.hazards import services
from anlan.hazards.models import Extension, Hazard, Lead, Supervision
from anlan.hazards.rules import ErrorCode

from .factories import HazardFactory, LeadFactory, on, photo

S = Hazard.Status
_letters = itertools.count(1)


def history_count(record) -> int:
    return type(record).history.filter(id=record.pk).count()


def assert_refused_and_unchanged(record, call, code):
    """The call is refused with `code`, and the record keeps its state and gets no history row."""
    state, before = record.status, history_count(record)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    record.refresh_from_db()
    assert record.status == state
    assert history_count(record) == before


def assert_moved(record, target):
    record.refresh_from_db()
    assert record.status == target
    row = type(record).history.filter(id=record.pk).latest("history_id")
    assert row.status == target
    assert row.history_user is not None


# ---------------------------------------------------------------- Hazard


def take(name: str, hazard: Hazard, cast):
    """Take transition `name` with valid input, as a user allowed to."""
    if name == "plan":
        plan = {"responsible_person": "张三", "measures": "补设连墙件", "due_on": hazard.due_on}
        return services.record_plan(actor=cast["enterprise_x"], hazard_pk=hazard.pk, plan=plan)
    if name in ("submit", "fix_on_the_spot"):
        action = services.submit_rectification if name == "submit" else services.fix_on_the_spot
        return action(actor=cast["enterprise_x"], hazard_pk=hazard.pk, description="已补设", photos=[photo()])
    if name in ("verify", "reject"):
        return services.verify_rectification(
            actor=cast["dept_housing"],
            hazard_pk=hazard.pk,
            passed=name == "verify",
            opinion="现场核查",
            method="on_site",
        )
    if name == "witness_fix":
        return services.witness_fix(
            actor=cast["town_a"], hazard_pk=hazard.pk, description="已拆除", photos=[photo()]
        )
    if name == "void":
        # The supervising department (the factory's hazards have no registering unit).
        return services.void_hazard(actor=cast["dept_housing"], hazard_pk=hazard.pk, reason="重复登记")
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("state", "transition"),
    [pytest.param(s, t, id=f"{s}-{t.name}") for s in S.values for t in Hazard.TRANSITIONS],
)
def test_every_hazard_transition_from_every_state(cast, state, transition):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x,
        status=state,
        submitted_by=cast["enterprise_x"] if state == S.AWAITING_VERIFICATION else None,
    )
    # A rectifying hazard may get a revised plan: allowed, but the state stays.
    revises_plan = transition.name == "plan" and state == S.RECTIFYING
    if revises_plan:
        take(transition.name, hazard, cast)
        hazard.refresh_from_db()
        assert hazard.status == state and hazard.plans.count() == 1
    elif state in transition.sources:
        take(transition.name, hazard, cast)
        assert_moved(hazard, transition.target)
    else:
        assert_refused_and_unchanged(
            hazard, lambda: take(transition.name, hazard, cast), Code.ILLEGAL_TRANSITION
        )


def test_the_hazard_table_reaches_every_state_but_registered():
    assert {t.target for t in Hazard.TRANSITIONS} == set(S.values) - {S.REGISTERED}


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Hazard, lambda c: HazardFactory(enterprise=c.enterprise_x, status=S.AWAITING_VERIFICATION)),
        (Lead, lambda c: LeadFactory(enterprise=c.enterprise_x, region=c.village_a, grid=c.grid_a)),
        (Extension, lambda c: pending_extension(c)),
        (Supervision, lambda c: listed(c, closed=True)),
    ],
    ids=["hazard", "lead", "extension", "supervision"],
)
def test_a_step_that_needs_a_reason_is_refused_without_one_and_changes_nothing(cast, model, make):
    record = make(cast)
    for transition in model.TRANSITIONS:
        if transition.reason_required and record.status in transition.sources:
            assert_refused_and_unchanged(
                record,
                lambda t=transition: apply_transition(record, t, actor=cast["county_office"], reason=" "),
                Code.INVALID,
            )


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


def test_a_closed_hazard_records_who_verified_and_the_day(cast):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x, status=S.AWAITING_VERIFICATION, submitted_by=cast["enterprise_x"]
    )
    take("verify", hazard, cast)
    hazard.refresh_from_db()
    assert hazard.verified_by == cast["dept_housing"]
    assert hazard.closed_on == timezone.localdate()
    assert hazard.closed_on - hazard.found_on == timedelta(days=10)


# ---------------------------------------------------------------- Lead

LS = Lead.Status


def take_lead(name: str, lead: Lead, cast):
    if name == "confirm":
        data = {"category": Hazard.Category.UNSAFE_CONDITION, "grade": Hazard.Grade.ORDINARY, "due_on": on(7)}
        return services.confirm_lead(actor=cast["town_a"], lead_pk=lead.pk, data=data)
    if name == "dismiss":
        return services.dismiss_lead(actor=cast["town_a"], lead_pk=lead.pk, reason="非隐患")
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("state", "transition"),
    [pytest.param(s, t, id=f"{s}-{t.name}") for s in LS.values for t in Lead.TRANSITIONS],
)
def test_every_lead_transition_from_every_state(cast, state, transition):
    lead = LeadFactory(
        enterprise=cast.enterprise_x,
        region=cast.village_a,
        grid=cast.grid_a,
        industry=cast.enterprise_x.industry,
        status=state,
    )
    if state in transition.sources:
        take_lead(transition.name, lead, cast)
        assert_moved(lead, transition.target)
        assert Hazard.objects.count() == (1 if transition.name == "confirm" else 0)
    else:
        assert_refused_and_unchanged(
            lead, lambda: take_lead(transition.name, lead, cast), Code.ILLEGAL_TRANSITION
        )
        assert Hazard.objects.count() == 0


# ---------------------------------------------------------------- Extension

ES = Extension.Status


def pending_extension(
    cast, *, grade=Hazard.Grade.ORDINARY, status=ES.PENDING, requested_by=None
) -> Extension:
    hazard = HazardFactory(
        enterprise=cast.enterprise_x, grade=grade, supervising_department=cast.dept_housing
    )
    return Extension.objects.create(
        hazard=hazard,
        old_due_on=hazard.due_on,
        new_due_on=hazard.due_on + timedelta(days=10),
        reason="设备未到",
        status=status,
        requested_by=requested_by or cast["enterprise_x"],
    )


def take_extension(name: str, extension: Extension, cast):
    return services.decide_extension(
        actor=cast["dept_housing"], extension_pk=extension.pk, approve=name == "approve", note="审核意见"
    )


@pytest.mark.parametrize(
    ("state", "transition"),
    [pytest.param(s, t, id=f"{s}-{t.name}") for s in ES.values for t in Extension.TRANSITIONS],
)
def test_every_extension_transition_from_every_state(cast, state, transition):
    extension = pending_extension(cast, status=state)
    old_due_on = extension.hazard.due_on
    if state in transition.sources:
        take_extension(transition.name, extension, cast)
        assert_moved(extension, transition.target)
        extension.hazard.refresh_from_db()
        moved = transition.target == ES.APPROVED
        assert extension.hazard.due_on == (extension.new_due_on if moved else old_due_on)
        assert (extension.decided_by, extension.decision_note) == (cast["dept_housing"], "审核意见")
    else:
        assert_refused_and_unchanged(
            extension, lambda: take_extension(transition.name, extension, cast), Code.ILLEGAL_TRANSITION
        )
        extension.hazard.refresh_from_db()
        assert extension.hazard.due_on == old_due_on


def test_a_refusal_of_an_extension_needs_a_reason_on_the_note(cast):
    extension = pending_extension(cast)
    before = history_count(extension)
    with pytest.raises(DomainError) as caught:
        services.decide_extension(
            actor=cast["dept_housing"], extension_pk=extension.pk, approve=False, note=""
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.REASON_REQUIRED, "note")
    extension.refresh_from_db()
    assert extension.status == ES.PENDING and history_count(extension) == before


# ---------------------------------------------------------------- Supervision

VS = Supervision.Status


def listed(cast, *, closed: bool = True, status=VS.LISTED) -> Supervision:
    """A 挂牌督办 issued by the housing department on a hazard of enterprise X (closed or still open)."""
    hazard = HazardFactory(
        enterprise=cast.enterprise_x,
        grade=Hazard.Grade.MAJOR,
        supervising_department=cast.dept_housing,
        status=S.CLOSED if closed else S.RECTIFYING,
        closed_on=on(0) if closed else None,
    )
    return Supervision.objects.create(
        hazard=hazard,
        issuer=cast.dept_housing,
        letter_number=f"来安住建督〔2026〕{next(_letters)}号",
        due_on=on(30),
        responsible_unit=units.unit_for(cast.enterprise_x),
        requirements="停工整改",
        issued_by=cast["dept_housing"],
        status=status,
    )


@pytest.mark.parametrize(
    ("state", "transition"),
    [pytest.param(s, t, id=f"{s}-{t.name}") for s in VS.values for t in Supervision.TRANSITIONS],
)
def test_every_supervision_transition_from_every_state(cast, state, transition):
    supervision = listed(cast, status=state)

    def lift():
        return services.lift_supervision(
            actor=cast["dept_housing"], supervision_pk=supervision.pk, opinion="同意"
        )

    if state in transition.sources:
        lift()
        assert_moved(supervision, transition.target)
        assert (supervision.lifted_by, supervision.lift_opinion) == (cast["dept_housing"], "同意")
    else:
        assert_refused_and_unchanged(supervision, lift, Code.ILLEGAL_TRANSITION)


# ---------------------------------------------------------------- guards: hidden, and refused with their code


def verify(c, who):
    return lambda record: services.verify_rectification(
        actor=who(c), hazard_pk=record.pk, passed=True, opinion="合格"
    )


GUARDED = [
    # (case id, make the record, the transition, the user, the code refusing it or None when allowed)
    (
        "major-fixed-on-the-spot",
        lambda c: HazardFactory(enterprise=c.enterprise_x, grade=Hazard.Grade.MAJOR),
        "fix_on_the_spot",
        "enterprise_x",
        ErrorCode.ON_THE_SPOT_MAJOR,
    ),
    (
        "ordinary-fixed-on-the-spot",
        lambda c: HazardFactory(enterprise=c.enterprise_x),
        "fix_on_the_spot",
        "enterprise_x",
        None,
    ),
    (
        "submitter-verifies",
        lambda c: HazardFactory(
            enterprise=c.enterprise_x, status=S.AWAITING_VERIFICATION, submitted_by=c["town_a"]
        ),
        "verify",
        "town_a",
        ErrorCode.SAME_PERSON,
    ),
    (
        "submitter-rejects",
        lambda c: HazardFactory(
            enterprise=c.enterprise_x, status=S.AWAITING_VERIFICATION, submitted_by=c["town_a"]
        ),
        "reject",
        "town_a",
        ErrorCode.SAME_PERSON,
    ),
    (
        "town-verifies-major",
        lambda c: HazardFactory(
            enterprise=c.enterprise_x,
            grade=Hazard.Grade.MAJOR,
            status=S.AWAITING_VERIFICATION,
            submitted_by=c["enterprise_x"],
        ),
        "verify",
        "town_a",
        ErrorCode.VERIFIER_ROLE,
    ),
    (
        "enterprise-verifies-major",
        lambda c: HazardFactory(
            enterprise=c.enterprise_x,
            grade=Hazard.Grade.MAJOR,
            status=S.AWAITING_VERIFICATION,
            submitted_by=c["town_a"],
        ),
        "verify",
        "enterprise_x",
        ErrorCode.VERIFIER_ROLE,
    ),
    (
        "department-verifies-major",
        lambda c: HazardFactory(
            enterprise=c.enterprise_x,
            grade=Hazard.Grade.MAJOR,
            status=S.AWAITING_VERIFICATION,
            submitted_by=c["enterprise_x"],
        ),
        "verify",
        "dept_housing",
        None,
    ),
    (
        "requester-decides-own-extension",
        lambda c: pending_extension(c, requested_by=c["town_a"]),
        "approve",
        "town_a",
        ErrorCode.OWN_EXTENSION,
    ),
    (
        "town-decides-major-extension",
        lambda c: pending_extension(c, grade=Hazard.Grade.MAJOR),
        "approve",
        "town_a",
        ErrorCode.EXTENSION_DECIDER,
    ),
    (
        "town-refuses-major-extension",
        lambda c: pending_extension(c, grade=Hazard.Grade.MAJOR),
        "refuse",
        "town_a",
        ErrorCode.EXTENSION_DECIDER,
    ),
    (
        "department-decides-major-extension",
        lambda c: pending_extension(c, grade=Hazard.Grade.MAJOR),
        "approve",
        "dept_housing",
        None,
    ),
    (
        "lift-before-close-out",
        lambda c: listed(c, closed=False),
        "lift",
        "dept_housing",
        ErrorCode.HAZARD_NOT_CLOSED,
    ),
    ("lift-by-another-body", lambda c: listed(c), "lift", "county_office", ErrorCode.NOT_ISSUER),
    ("lift-by-the-issuer", lambda c: listed(c), "lift", "dept_housing", None),
]


@pytest.mark.parametrize(("make", "name", "who", "code"), [pytest.param(*g[1:], id=g[0]) for g in GUARDED])
def test_a_guarded_step_is_offered_only_when_its_rule_allows_and_refused_with_the_rules_code(
    cast, make, name, who, code
):
    record = make(cast)
    user = cast[who]
    transition = find(type(record).TRANSITIONS, name)
    offered = transition in available_transitions(record, user, type(record).TRANSITIONS)
    assert offered is (code is None)
    if code is not None:
        assert_refused_and_unchanged(
            record, lambda: apply_transition(record, transition, actor=user, reason="意见"), code
        )


def test_the_services_refuse_a_guarded_step_with_the_same_code_before_writing_anything(cast):
    major = HazardFactory(enterprise=cast.enterprise_x, grade=Hazard.Grade.MAJOR)
    assert_refused_and_unchanged(
        major,
        lambda: services.fix_on_the_spot(
            actor=cast["enterprise_x"], hazard_pk=major.pk, description="已整改", photos=[photo()]
        ),
        ErrorCode.ON_THE_SPOT_MAJOR,
    )
    assert major.rectifications.count() == 0
    extension = pending_extension(cast, requested_by=cast["town_a"])
    assert_refused_and_unchanged(
        extension,
        lambda: services.decide_extension(actor=cast["town_a"], extension_pk=extension.pk, approve=True),
        ErrorCode.OWN_EXTENSION,
    )
    supervision = listed(cast)
    assert_refused_and_unchanged(
        supervision,
        lambda: services.lift_supervision(
            actor=cast["county_office"], supervision_pk=supervision.pk, opinion="同意"
        ),
        ErrorCode.NOT_ISSUER,
    )


# ---------------------------------------------------------------- races: of two stale copies exactly one wins


RACES = [
    pytest.param(
        lambda c: HazardFactory(
            enterprise=c.enterprise_x,
            status=S.AWAITING_VERIFICATION,
            registering_unit=units.unit_for(c.town_a),  # the registering unit may void it
        ),
        ("void", "town_a"),
        ("verify", "dept_housing"),
        id="hazard-void-vs-verify",
    ),
    pytest.param(
        lambda c: LeadFactory(enterprise=c.enterprise_x, region=c.village_a, grid=c.grid_a),
        ("confirm", "town_a"),
        ("dismiss", "county_office"),
        id="lead-confirm-vs-dismiss",
    ),
    pytest.param(
        lambda c: pending_extension(c),
        ("approve", "dept_housing"),
        ("refuse", "county_office"),
        id="extension-approve-vs-refuse",
    ),
    pytest.param(
        lambda c: listed(c),
        ("lift", "dept_housing"),
        ("lift", "dept_housing"),
        id="supervision-lift-twice",
    ),
]


@pytest.mark.parametrize(("make", "first", "second"), RACES)
def test_of_two_competing_transitions_on_stale_copies_exactly_one_wins(cast, make, first, second):
    """Both requests read the record before either wrote: the compare-and-set lets exactly one through."""
    record = make(cast)
    model = type(record)
    copies = [model.objects.get(pk=record.pk), model.objects.get(pk=record.pk)]
    before = history_count(record)
    outcomes = []
    for copy, (name, who) in zip(copies, (first, second), strict=True):
        try:
            apply_transition(copy, find(model.TRANSITIONS, name), actor=cast[who], reason="意见")
        except DomainError as error:
            outcomes.append(error.code)
        else:
            outcomes.append("won")
    assert outcomes == ["won", Code.STALE]
    record.refresh_from_db()
    assert record.status == find(model.TRANSITIONS, first[0]).target
    assert history_count(record) == before + 1
