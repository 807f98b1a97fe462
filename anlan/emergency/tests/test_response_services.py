"""Response services: incidents typed in, the response's transitions and refusals, tasks with receipts, control
points, the town's 先期处置 and the sign-off of public releases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from anlan.accidents.tests.factories import report
from anlan.core.errors import DomainError
from anlan.core.models import ReceiptTask
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.core.units import unit_for
from anlan.emergency import rules
from anlan.emergency.models import ControlPoint, Incident, PublicRelease, ReleaseReview, Response
from anlan.emergency.services import response as services
from anlan.emergency.services.incident import incident_for_accident
from anlan.emergency.tests.factories_response import flood, published, release, start, task

E = services.ResponseError


def _code(excinfo):
    return excinfo.value.code


# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(
    "level, ok", [(0, False), (1, True), (4, True), (5, False), (True, False), ("1", False)]
)
def test_response_levels_run_one_to_four(level, ok):
    assert rules.valid_response_level(level) is ok


def test_level_change_kind_and_order():
    assert rules.level_change_kind(4, 3) == "raise"
    assert rules.level_change_kind(2, 4) == "lower"
    with pytest.raises(ValueError):
        rules.level_change_kind(2, 2)
    now = timezone.now()
    assert rules.in_order(now, None, now, now + timedelta(seconds=1))
    assert not rules.in_order(now, now - timedelta(seconds=1))
    assert rules.incident_closes_with_response(is_accident=False, accident_closed=False)
    assert not rules.incident_closes_with_response(is_accident=True, accident_closed=False)
    assert rules.incident_closes_with_response(is_accident=True, accident_closed=True)


# ---------------------------------------------------------------- incidents


def test_a_duty_officer_types_in_a_disaster(cast):
    incident = flood(cast)
    assert incident.kind == Incident.Kind.NATURAL_DISASTER and incident.is_open
    assert incident.recorded_by == cast["county_office"]
    assert incident.history.count() == 1


def test_accidents_are_not_typed_in(cast):
    with pytest.raises(DomainError) as excinfo:
        flood(cast, kind=Incident.Kind.ACCIDENT)
    assert excinfo.value.field == "kind"


def test_an_incident_in_the_future_or_outside_the_town_is_refused(cast):
    with pytest.raises(DomainError) as excinfo:
        flood(cast, occurred_at=timezone.now() + timedelta(hours=1))
    assert excinfo.value.field == "occurred_at"
    with pytest.raises(DomainError) as excinfo:
        services.record_incident(
            actor=cast["town_b"],
            data={"kind": "other", "title": "x", "occurred_at": timezone.now(), "region": cast.village_a},
        )
    assert excinfo.value.field == "region"


# ---------------------------------------------------------------- the response


@pytest.mark.parametrize("level", [0, 5])
def test_level_outside_one_to_four_is_refused(cast, level):
    incident = flood(cast)
    with pytest.raises(DomainError) as excinfo:
        start(cast, incident, level=level)
    assert _code(excinfo) == E.LEVEL_INVALID and excinfo.value.field == "level"
    assert not Response.objects.exists()


@pytest.mark.parametrize("level", [1, 4])
def test_levels_one_and_four_start(cast, level):
    assert start(cast, level=level).level == level


def test_a_second_active_response_is_refused(cast):
    response = start(cast)
    with pytest.raises(DomainError) as excinfo:
        start(cast, response.incident)
    assert _code(excinfo) == E.ALREADY_ACTIVE
    services.end_response(actor=cast["county_office"], response_pk=response.pk)
    with pytest.raises(DomainError) as excinfo:  # the incident ended with it
        start(cast, response.incident)
    assert _code(excinfo) == E.INCIDENT_CLOSED


def test_only_the_county_office_commands(cast):
    incident = flood(cast)
    with pytest.raises(PermissionDenied):
        services.start_response(
            actor=cast["town_a"],
            incident_pk=incident.pk,
            level=4,
            commander_name="x",
            commander_phone="1",
            post_place="y",
        )
    with pytest.raises(Http404):  # town B does not see town A's incident
        services.start_response(
            actor=cast["town_b"],
            incident_pk=incident.pk,
            level=4,
            commander_name="x",
            commander_phone="1",
            post_place="y",
        )


def test_level_raised_and_lowered_with_reason(cast):
    response = start(cast, level=4)
    office = cast["county_office"]
    raised = services.change_level(actor=office, response_pk=response.pk, to_level=3, reason="水位上涨")
    assert (raised.from_level, raised.to_level, raised.raised) == (4, 3, True)
    lowered = services.change_level(actor=office, response_pk=response.pk, to_level=4, reason="水位回落")
    assert not lowered.raised
    response.refresh_from_db()
    assert response.level == 4
    for to_level, code in ((4, E.LEVEL_SAME), (0, E.LEVEL_INVALID), (5, E.LEVEL_INVALID)):
        with pytest.raises(DomainError) as excinfo:
            services.change_level(actor=office, response_pk=response.pk, to_level=to_level, reason="x")
        assert _code(excinfo) == code
    with pytest.raises(DomainError) as excinfo:
        services.change_level(actor=office, response_pk=response.pk, to_level=2, reason=" ")
    assert excinfo.value.field == "reason"


def test_ending_twice_is_refused_and_ending_closes_the_incident(cast):
    response = start(cast)
    point = services.set_control_point(
        actor=cast["county_office"],
        response_pk=response.pk,
        kind=ControlPoint.Kind.ROAD_CLOSURE,
        place="X012县道",
        unit_pk=unit_for(cast.dept_transport).pk,
    )
    ended, left_open = services.end_response(
        actor=cast["county_office"], response_pk=response.pk, note="退水"
    )
    assert ended.status == Response.Status.ENDED and left_open == ""
    response.incident.refresh_from_db()
    assert response.incident.closed_at == ended.ended_at
    point.refresh_from_db()
    assert point.lifted_at == ended.ended_at
    with pytest.raises(DomainError) as excinfo:
        services.end_response(actor=cast["county_office"], response_pk=response.pk)
    assert _code(excinfo) == E.NOT_ACTIVE


def test_an_open_accident_keeps_its_incident_open(cast):
    incident = incident_for_accident(report(cast))
    response = start(cast, incident)
    _, left_open = services.end_response(actor=cast["county_office"], response_pk=response.pk)
    incident.refresh_from_db()
    assert incident.closed_at is None and "事故调查尚未闭环" in left_open


def test_close_incident_only_without_an_active_response(cast):
    response = start(cast)
    with pytest.raises(DomainError) as excinfo:
        services.close_incident(actor=cast["county_office"], incident_pk=response.incident_id)
    assert _code(excinfo) == E.RESPONSE_ACTIVE
    other = flood(cast, title="另一事件")
    closed = services.close_incident(actor=cast["county_office"], incident_pk=other.pk)
    assert closed.closed_at is not None
    with pytest.raises(DomainError):
        services.close_incident(actor=cast["county_office"], incident_pk=other.pk)


def test_groups_and_notes(cast):
    response = start(cast)
    group = services.add_group(
        actor=cast["county_office"],
        response_pk=response.pk,
        name="抢险救援组",
        lead_pk=unit_for(cast.dept_housing).pk,
    )
    assert group.lead == unit_for(cast.dept_housing)
    with pytest.raises(DomainError):
        services.add_group(
            actor=cast["county_office"], response_pk=response.pk, name="抢险救援组", lead_pk=group.lead_id
        )
    note = services.add_note(actor=cast["county_office"], response_pk=response.pk, text="转移群众32人")
    assert note.created_by == cast["county_office"]


# ---------------------------------------------------------------- tasks and receipts


def test_a_task_goes_for_receipt_and_the_unit_confirms_it(cast):
    t = task(cast)
    assert t.receipt.status == ReceiptTask.Status.PENDING and not t.confirmed
    assert t.receipt.recipient_unit == unit_for(cast.dept_transport)
    with pytest.raises(Http404):  # housing neither is tasked nor sees a flood
        services.confirm_task(actor=cast["dept_housing"], task_pk=t.pk)
    with pytest.raises(PermissionDenied):  # the county office sees it but is not the tasked unit
        services.confirm_task(actor=cast["county_office"], task_pk=t.pk)
    confirmed = services.confirm_task(actor=cast["dept_transport"], task_pk=t.pk)
    assert confirmed.confirmed and confirmed.confirmed_at is not None
    with pytest.raises(DomainError):  # once
        services.confirm_task(actor=cast["dept_transport"], task_pk=t.pk)


def test_the_tasked_unit_sees_its_task_though_not_the_incident(cast):
    t = task(cast)
    from anlan.emergency.models import ResponseTask

    assert ResponseTask.objects.for_user(cast["dept_transport"]).filter(pk=t.pk).exists()
    assert not Incident.objects.for_user(cast["dept_transport"]).filter(pk=t.response.incident_id).exists()
    assert not ResponseTask.objects.for_user(cast["town_b"]).filter(pk=t.pk).exists()


def test_completion_is_reported_once_and_confirms_receipt(cast):
    t = task(cast)
    done = services.complete_task(actor=cast["dept_transport"], task_pk=t.pk, note="已封闭")
    assert done.completed_at is not None and done.confirmed
    with pytest.raises(DomainError) as excinfo:
        services.complete_task(actor=cast["dept_transport"], task_pk=t.pk, note="again")
    assert _code(excinfo) == E.TASK_DONE


def test_a_task_deadline_in_the_past_is_refused(cast):
    response = start(cast)
    with pytest.raises(DomainError) as excinfo:
        services.assign_task(
            actor=cast["county_office"],
            response_pk=response.pk,
            unit_pk=unit_for(cast.town_a).pk,
            text="x",
            deadline=timezone.now() - timedelta(minutes=1),
        )
    assert excinfo.value.field == "deadline"


def test_control_point_lifted_once_and_not_before_it_was_set(cast):
    response = start(cast)
    point = services.set_control_point(
        actor=cast["county_office"],
        response_pk=response.pk,
        kind=ControlPoint.Kind.CHECKPOINT,
        place="东关桥",
        unit_pk=unit_for(cast.town_a).pk,
    )
    with pytest.raises(DomainError) as excinfo:
        services.lift_control_point(
            actor=cast["county_office"], point_pk=point.pk, lifted_at=point.set_at - timedelta(minutes=1)
        )
    assert excinfo.value.field == "lifted_at"
    services.lift_control_point(actor=cast["county_office"], point_pk=point.pk, lifted_at=point.set_at)
    with pytest.raises(DomainError) as excinfo:
        services.lift_control_point(actor=cast["county_office"], point_pk=point.pk)
    assert _code(excinfo) == E.POINT_LIFTED


# ---------------------------------------------------------------- 先期处置


def _first(cast, incident, who="town_a", **kw):
    now = timezone.now()
    values = {
        "called_at": now - timedelta(minutes=90),
        "dispatched_at": now - timedelta(minutes=85),
        "arrived_at": now - timedelta(minutes=60),
        "handed_over_at": now - timedelta(minutes=10),
        "responders": [{"name": "李镇长", "post": "副镇长", "phone": "13800000001"}],
        "actions": [{"at": now - timedelta(minutes=55), "text": "疏散沿河群众"}],
        **kw,
    }
    return services.record_first_response(actor=cast[who], incident_pk=incident.pk, **values)


def test_the_town_records_its_first_response(cast):
    incident = flood(cast)
    first = _first(cast, incident)
    assert first.town == unit_for(cast.town_a)
    assert [r.name for r in first.responders.all()] == ["李镇长"]
    assert first.actions.count() == 1
    again = _first(cast, incident, responders=[{"name": "张书记"}, {"name": "李镇长"}])
    assert again.pk == first.pk and first.responders.count() == 2


def test_arrival_before_dispatch_is_refused(cast):
    incident = flood(cast)
    now = timezone.now()
    with pytest.raises(DomainError) as excinfo:
        _first(
            cast, incident, dispatched_at=now - timedelta(minutes=30), arrived_at=now - timedelta(minutes=31)
        )
    assert excinfo.value.field == "arrived_at"
    # arriving the very minute of dispatch is fine
    _first(cast, incident, dispatched_at=now - timedelta(minutes=30), arrived_at=now - timedelta(minutes=30))


def test_dispatch_before_the_call_and_no_responders_are_refused(cast):
    incident = flood(cast)
    now = timezone.now()
    with pytest.raises(DomainError) as excinfo:
        _first(cast, incident, called_at=now - timedelta(minutes=5), dispatched_at=now - timedelta(minutes=6))
    assert excinfo.value.field == "dispatched_at"
    with pytest.raises(DomainError) as excinfo:
        _first(cast, incident, responders=[{"name": " "}])
    assert excinfo.value.field == "responders"


def test_only_the_town_of_the_incident_records_first_response(cast):
    incident = flood(cast)
    with pytest.raises(PermissionDenied):
        _first(cast, incident, who="county_office")
    with pytest.raises(Http404):
        _first(cast, incident, who="town_b")


# ---------------------------------------------------------------- public releases


def test_release_reviewed_in_order_then_published(cast):
    office = cast["county_office"]
    r = release(cast)
    housing, transport = r.reviews.order_by("order")
    with pytest.raises(DomainError) as excinfo:  # not yet sent
        services.review_release(actor=cast["dept_housing"], review_pk=housing.pk, approve=True)
    assert _code(excinfo) == E.RELEASE_NOT_IN_REVIEW
    services.submit_release(actor=office, release_pk=r.pk)
    with pytest.raises(DomainError) as excinfo:  # transport's turn comes after housing's
        services.review_release(actor=cast["dept_transport"], review_pk=transport.pk, approve=True)
    assert _code(excinfo) == E.REVIEW_NOT_CURRENT
    services.review_release(actor=cast["dept_housing"], review_pk=housing.pk, approve=True)
    with pytest.raises(DomainError) as excinfo:
        services.publish_release(actor=office, release_pk=r.pk)
    assert _code(excinfo) == E.NOT_APPROVED
    services.review_release(actor=cast["dept_transport"], review_pk=transport.pk, approve=True)
    r.refresh_from_db()
    assert r.status == PublicRelease.Status.APPROVED
    done = services.publish_release(actor=office, release_pk=r.pk)
    assert done.status == PublicRelease.Status.PUBLISHED and done.published_text == r.text
    with pytest.raises(DomainError):  # the published text is frozen
        services.update_release(
            actor=office, release_pk=r.pk, title="x", text="y", reviewer_pks=[housing.unit_id]
        )


def test_a_returned_release_needs_a_comment_and_goes_round_again(cast):
    office = cast["county_office"]
    r = release(cast)
    services.submit_release(actor=office, release_pk=r.pk)
    housing = r.reviews.get(order=1)
    with pytest.raises(DomainError) as excinfo:
        services.review_release(actor=cast["dept_housing"], review_pk=housing.pk, approve=False)
    assert excinfo.value.field == "comment"
    services.review_release(
        actor=cast["dept_housing"], review_pk=housing.pk, approve=False, comment="核实时间"
    )
    r.refresh_from_db()
    assert r.status == PublicRelease.Status.RETURNED
    services.update_release(
        actor=office, release_pk=r.pk, title=r.title, text="修改后正文", reviewer_pks=[housing.unit_id]
    )
    services.submit_release(actor=office, release_pk=r.pk)
    assert r.reviews.get().decision == ReleaseReview.Decision.PENDING


def test_the_drafter_cannot_approve(cast):
    office_unit_reviewer = cast["county_office"]
    from anlan.emergency.tests.factories_response import county_office_unit

    r = release(cast, reviewers=[county_office_unit(cast)])
    services.submit_release(actor=office_unit_reviewer, release_pk=r.pk)
    review = r.reviews.get()
    with pytest.raises(DomainError) as excinfo:
        services.review_release(actor=office_unit_reviewer, review_pk=review.pk, approve=True)
    assert _code(excinfo) == E.SELF_APPROVAL
    colleague = UserFactory(username="office_colleague")
    MembershipFactory(user=colleague, role="committee_office", region=cast.town_a.parent)
    services.review_release(actor=colleague, review_pk=review.pk, approve=True)
    r.refresh_from_db()
    assert r.status == PublicRelease.Status.APPROVED


def test_a_non_member_of_the_reviewer_unit_cannot_review(cast):
    r = release(cast)
    services.submit_release(actor=cast["county_office"], release_pk=r.pk)
    with pytest.raises((PermissionDenied, Http404)):
        services.review_release(actor=cast["town_a"], review_pk=r.reviews.get(order=1).pk, approve=True)


def test_a_correction_supersedes_the_published_release(cast):
    old = published(cast)
    correction = release(cast, old.incident, title="更正", text="更正后的正文", supersedes_pk=old.pk)
    assert correction.supersedes == old
    with pytest.raises(DomainError) as excinfo:
        release(cast, old.incident, supersedes_pk=old.pk)
    assert _code(excinfo) == E.ALREADY_CORRECTED
    services.submit_release(actor=cast["county_office"], release_pk=correction.pk)
    for who in ("dept_housing", "dept_transport"):
        review = correction.reviews.get(unit=unit_for(getattr(cast, who)))
        services.review_release(actor=cast[who], review_pk=review.pk, approve=True)
    services.publish_release(actor=cast["county_office"], release_pk=correction.pk)
    old.refresh_from_db()
    assert old.status == PublicRelease.Status.SUPERSEDED
    assert old.published_text == "6时许，新安镇东关社区发生山洪，暂无人员伤亡。"


def test_only_a_published_release_is_corrected(cast):
    r = release(cast)
    with pytest.raises(DomainError) as excinfo:
        release(cast, r.incident, supersedes_pk=r.pk)
    assert _code(excinfo) == E.NOT_PUBLISHED


def test_reviewers_are_required(cast):
    with pytest.raises(DomainError) as excinfo:
        release(cast, reviewers=[])
    assert excinfo.value.field == "reviewers"
