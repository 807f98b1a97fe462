"""Receipt-confirmed tasks: send, confirm by the right person only, cancel, and the escalation sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anlan.core import receipts, units, workflow
from anlan.core.audit import system_actor
from anlan.core.errors import Code, DomainError, ErrorCode
from anlan.core.models import ReceiptTask

S = ReceiptTask.Status
HOUR = timedelta(hours=1)


@pytest.fixture
def events(monkeypatch):
    seen = []
    original = receipts.contract.emit

    def record(event, **payload):
        seen.append((event, payload))
        return original(event, **payload)

    monkeypatch.setattr(receipts.contract, "emit", record)
    return seen


def send(cast, *recipients, **kwargs):
    return receipts.send_for_receipt(
        actor=kwargs.pop("actor", cast["county_office"]),
        subject=cast.enterprise_x,
        kind="test",
        title="关于开展汛期安全检查的通知",
        body="请于今日内确认收到。",
        recipients=list(recipients) or [units.unit_for(cast.enterprise_x)],
        confirm_within=kwargs.pop("confirm_within", HOUR),
        **kwargs,
    )


def test_one_task_per_recipient_is_sent_with_its_region_and_deadline(cast, events):
    x, town = units.unit_for(cast.enterprise_x), units.unit_for(cast.town_b)
    tasks = send(cast, x, town, x, cast["leader"])
    assert len(tasks) == 3  # the duplicate unit is sent once
    first = tasks[0]
    assert (first.region_id, first.status, first.escalation_level) == (cast.village_a.code, S.PENDING, 0)
    assert first.confirm_by - first.sent_at == HOUR
    assert first.next_escalation_at == first.confirm_by
    assert first.subject == cast.enterprise_x
    assert tasks[1].region_id == cast.town_b.code
    assert tasks[2].region_id == cast.village_a.code  # a user recipient: the subject's region
    assert [name for name, _payload in events] == ["core.receipt_sent"] * 3
    assert first.history.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        pytest.param({"recipients": []}, ErrorCode.RECEIPT_NO_RECIPIENT, id="no-recipient"),
        pytest.param(
            {"confirm_within": timedelta(0)}, ErrorCode.RECEIPT_BAD_DEADLINE, id="no-time-to-confirm"
        ),
    ],
)
def test_a_send_without_recipient_or_time_is_refused(cast, kwargs, code):
    with pytest.raises(DomainError) as caught:
        receipts.send_for_receipt(
            actor=cast["county_office"],
            subject=cast.enterprise_x,
            kind="test",
            title="t",
            recipients=kwargs.get("recipients", [units.unit_for(cast.town_a)]),
            confirm_within=kwargs.get("confirm_within", HOUR),
        )
    assert caught.value.code == code
    assert not ReceiptTask.objects.exists()


def test_only_members_send_in_a_units_name(cast):
    with pytest.raises(DomainError) as caught:
        send(cast, actor=cast["town_a"], sender_unit=units.committee_office_for(cast.county))
    assert caught.value.code == ErrorCode.RECEIPT_NOT_SENDER_MEMBER
    tasks = send(cast, sender_unit=units.committee_office_for(cast.county))
    assert tasks[0].sender_unit.kind == "committee_office"


def test_a_member_of_the_recipient_unit_confirms(cast, events):
    (task,) = send(cast)
    receipts.confirm_receipt(actor=cast["enterprise_x"], task=task)
    task.refresh_from_db()
    assert (task.status, task.confirmed_by) == (S.CONFIRMED, cast["enterprise_x"])
    assert task.confirmed_at is not None
    assert events[-1] == ("core.receipt_confirmed", {"task": task})
    assert task.history.count() == 2


def test_the_recipient_user_confirms_a_task_addressed_to_them(cast):
    (task,) = send(cast, cast["leader"])
    receipts.confirm_receipt(actor=cast["leader"], task=task)
    task.refresh_from_db()
    assert task.status == S.CONFIRMED


@pytest.mark.parametrize("who", ["town_a", "town_b", "county_office", "dept_housing", "grid_worker"])
def test_anyone_else_is_refused_and_nothing_changes(cast, who, events):
    (task,) = send(cast)
    with pytest.raises(DomainError) as caught:
        receipts.confirm_receipt(actor=cast[who], task=task)
    assert caught.value.code == ErrorCode.RECEIPT_NOT_RECIPIENT
    task.refresh_from_db()
    assert (task.status, task.confirmed_by, task.history.count()) == (S.PENDING, None, 1)
    assert [name for name, _payload in events] == ["core.receipt_sent"]


def test_a_second_confirmation_is_refused(cast):
    (task,) = send(cast)
    receipts.confirm_receipt(actor=cast["enterprise_x"], task=task)
    with pytest.raises(DomainError) as caught:
        receipts.confirm_receipt(actor=cast["enterprise_x"], task=task)
    assert caught.value.code == ErrorCode.RECEIPT_ALREADY_CONFIRMED
    assert task.history.count() == 2


def test_the_sender_cancels_with_a_reason_and_nobody_else_may(cast):
    (task,) = send(cast)
    with pytest.raises(DomainError) as caught:
        receipts.cancel(actor=cast["county_office"], task=task, reason=" ")
    assert caught.value.code == ErrorCode.RECEIPT_REASON_REQUIRED
    with pytest.raises(DomainError) as caught:
        receipts.cancel(actor=cast["town_a"], task=task, reason="发错了")
    assert caught.value.code == ErrorCode.RECEIPT_NOT_SENDER
    receipts.cancel(actor=cast["county_office"], task=task, reason="发错了")
    task.refresh_from_db()
    assert task.status == S.CANCELLED
    assert task.history.first().history_change_reason == "发错了"
    with pytest.raises(DomainError) as caught:
        receipts.confirm_receipt(actor=cast["enterprise_x"], task=task)
    assert caught.value.code == ErrorCode.RECEIPT_CLOSED


# ---------------------------------------------------------------- the sweep


def sweep_at(now):
    return receipts.sweep(today=timezone.localdate(now), now=now)


def test_the_sweep_escalates_at_the_deadline_and_not_a_moment_before(cast, events):
    (task,) = send(cast)
    assert sweep_at(task.confirm_by - timedelta(seconds=1)) == {"escalated": 0}
    assert sweep_at(task.confirm_by) == {"escalated": 1}
    task.refresh_from_db()
    assert (task.status, task.escalation_level, task.escalated_at) == (S.ESCALATED, 1, task.confirm_by)
    assert events[-1] == ("core.receipt_escalated", {"task": task, "level": 1})
    assert task.history.first().history_user.username == "system"


def test_each_further_level_waits_one_more_confirmation_period(cast):
    (task,) = send(cast)
    sweep_at(task.confirm_by)
    assert sweep_at(task.confirm_by + HOUR - timedelta(seconds=1)) == {"escalated": 0}  # run again: nothing
    assert sweep_at(task.confirm_by + HOUR) == {"escalated": 1}
    task.refresh_from_db()
    assert task.escalation_level == 2
    sweep_at(task.confirm_by + 2 * HOUR)
    assert sweep_at(task.confirm_by + 10 * HOUR) == {"escalated": 0}  # capped
    task.refresh_from_db()
    assert task.escalation_level == receipts.MAX_ESCALATION_LEVEL


def test_confirmed_and_cancelled_tasks_are_not_escalated(cast):
    confirmed, cancelled = send(cast, units.unit_for(cast.enterprise_x), units.unit_for(cast.town_a))
    receipts.confirm_receipt(actor=cast["enterprise_x"], task=confirmed)
    receipts.cancel(actor=cast["county_office"], task=cancelled, reason="撤回")
    assert sweep_at(confirmed.confirm_by + HOUR) == {"escalated": 0}


def test_a_stale_claim_escalates_once(cast, events):
    """Two workers read the same candidate at level 0; the second one's conditional UPDATE finds level 1."""
    (task,) = send(cast)
    actor = system_actor()
    assert receipts._escalate(task.pk, 0, task.confirm_by, actor) is not None
    assert receipts._escalate(task.pk, 0, task.confirm_by, actor) is None
    task.refresh_from_db()
    assert task.escalation_level == 1
    assert [name for name, _payload in events].count("core.receipt_escalated") == 1
    assert task.history.count() == 2


# ---------------------------------------------------------------- every (state, transition) pair

ACTORS = {"confirm": "enterprise_x", "cancel": "county_office", "escalate": None, "confirm_by_link": None}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("name", [t.name for t in ReceiptTask.TRANSITIONS])
def test_every_state_and_transition_pair(cast, state, name):
    (task,) = send(cast)
    ReceiptTask.objects.filter(pk=task.pk).update(status=state)
    task.refresh_from_db()
    transition = workflow.find(ReceiptTask.TRANSITIONS, name)
    actor = cast[ACTORS[name]] if ACTORS[name] else system_actor()
    if state in transition.sources:
        workflow.apply_transition(task, transition, actor=actor, reason="原因")
        task.refresh_from_db()
        assert task.status == transition.target
    else:
        with pytest.raises(DomainError) as caught:
            workflow.apply_transition(task, transition, actor=actor, reason="原因")
        assert caught.value.code == Code.ILLEGAL_TRANSITION
        task.refresh_from_db()
        assert task.status == state


def test_the_buttons_follow_the_guards(cast):
    (task,) = send(cast)

    def names(who):
        return [t.name for t in workflow.available_transitions(task, cast[who], ReceiptTask.TRANSITIONS)]

    assert names("enterprise_x") == ["confirm"]
    assert names("county_office") == ["cancel"]
    assert names("town_a") == []


# ---------------------------------------------------------------- many at once, contacts and links


def test_send_many_reaches_contacts_without_an_account_and_their_link_confirms_once(cast):
    subject = units.unit_for(cast.town_a)
    until = timezone.now() + timedelta(days=1)
    tasks = receipts.send_many(
        actor=cast["county_office"],
        subject=subject,
        kind="test",
        title="预警",
        addressees=[
            receipts.Addressee(region_id=cast.town_a.code, name="王监测", phone="13900000009"),
            receipts.Addressee(region_id=cast.town_a.code, user_id=cast["town_a"].pk),
        ],
        confirm_within=timedelta(hours=1),
        link_expires_at=until,
    )
    contact = tasks[0]
    assert contact.pk and contact.recipient_phone == "13900000009" and contact.token_expires_at == until
    token = receipts.link_token(contact)
    assert token == receipts.link_token(contact)  # the same link each time it is sent
    receipts.confirm_by_token(token)
    receipts.confirm_by_token(token)
    contact.refresh_from_db()
    assert contact.status == S.CONFIRMED and contact.confirmed_via == "link" and contact.history.count() == 1
    for bad in (token + "x", "9999.forged", ""):
        with pytest.raises(DomainError) as caught:
            receipts.task_for_token(bad)
        assert caught.value.code == ErrorCode.RECEIPT_LINK_INVALID
    with pytest.raises(DomainError):
        receipts.task_for_token(receipts.link_token(tasks[1]), now=until)
    receipts.revoke_links(ReceiptTask.objects.filter(pk=tasks[1].pk))
    with pytest.raises(DomainError):
        receipts.task_for_token(receipts.link_token(tasks[1]))


def test_send_many_refuses_a_recipient_nobody_can_reach(cast):
    with pytest.raises(DomainError) as caught:
        receipts.send_many(
            actor=cast["county_office"],
            subject=units.unit_for(cast.town_a),
            kind="test",
            title="预警",
            addressees=[receipts.Addressee(region_id=cast.town_a.code, name="无电话")],
            confirm_within=timedelta(hours=1),
        )
    assert caught.value.code == ErrorCode.RECEIPT_BAD_RECIPIENT
