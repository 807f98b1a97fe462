"""The deadline sweep: reminders before the due date, overdue escalation from the day after, idempotent,
re-armed by an extension, and safe when two workers run it at once."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from anlan.core.models import Job
from anlan.hazards import sweeps
from anlan.hazards.models import Hazard
from anlan.notifications.models import Notification

from .factories import HazardFactory

DUE = date(2026, 3, 31)

NOTHING = {
    "reminded": 0,
    "overdue_flagged": 0,
    "supervisions_reminded": 0,
    "supervisions_escalated": 0,
    "filings_flagged": 0,
    "messages": 0,
}


def run(today: date) -> dict:
    return sweeps.run(today=today)


def kinds() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("kind", "recipient__username"))


@pytest.fixture
def due_hazard(cast):
    return HazardFactory(
        enterprise=cast.enterprise_x,
        found_on=date(2026, 3, 1),
        due_on=DUE,
        supervising_department=cast.dept_housing,
    )


def test_nothing_happens_before_the_reminder_window(due_hazard):
    assert run(DUE - timedelta(days=4)) == NOTHING
    assert kinds() == []


def test_the_enterprise_is_reminded_once_within_three_days_of_the_due_date(cast, due_hazard):
    assert run(DUE - timedelta(days=3))["reminded"] == 1
    assert kinds() == [("hazard_due_soon", "enterprise_x")]
    assert run(DUE - timedelta(days=2))["reminded"] == 0
    assert run(DUE)["reminded"] == 0
    assert Notification.objects.count() == 1


def test_the_due_date_itself_is_not_overdue_and_the_day_after_is(cast, due_hazard):
    assert run(DUE)["overdue_flagged"] == 0
    assert run(DUE + timedelta(days=1))["overdue_flagged"] == 1
    escalated = {user for kind, user in kinds() if kind == "hazard_overdue"}
    assert escalated == {"enterprise_x", "dept_housing", "town_a", "county_office"}
    due_hazard.refresh_from_db()
    assert due_hazard.escalated_for == DUE


def test_running_the_sweep_twice_sends_nothing_twice(due_hazard):
    first = run(DUE + timedelta(days=1))
    count = Notification.objects.count()
    second = run(DUE + timedelta(days=1))
    third = run(DUE + timedelta(days=5))
    assert first["overdue_flagged"] == 1
    assert second == third == NOTHING
    assert Notification.objects.count() == count


def test_an_approved_extension_rearms_reminder_and_escalation(due_hazard):
    run(DUE + timedelta(days=1))
    before = Notification.objects.count()
    Hazard.objects.filter(pk=due_hazard.pk).update(due_on=DUE + timedelta(days=30))
    assert run(DUE + timedelta(days=28))["reminded"] == 1
    assert run(DUE + timedelta(days=31))["overdue_flagged"] == 1
    assert Notification.objects.count() > before


@pytest.mark.parametrize("status", ["closed", "voided"])
def test_closed_and_voided_hazards_are_never_overdue(cast, status):
    HazardFactory(enterprise=cast.enterprise_x, found_on=date(2026, 3, 1), due_on=DUE, status=status)
    assert run(DUE + timedelta(days=10)) == NOTHING


def test_a_worker_that_read_the_candidates_first_claims_nothing_another_worker_already_handled(due_hazard):
    """The race, interleaved deterministically: worker A reads the candidate ids, worker B runs the whole sweep,
    then A tries to claim the same ids: the conditional UPDATE on `escalated_for` lets nothing through."""
    from django.db.models import Q

    today = DUE + timedelta(days=1)
    candidates = Q(status__in=Hazard.OPEN, due_on__lt=today) & sweeps._unhandled("escalated_for")
    ids_seen_by_a = next(sweeps._chunks(Hazard.objects.filter(candidates)))
    run(today)  # worker B
    count = Notification.objects.count()
    claimed, notified = sweeps._claim_and_notify(
        ids_seen_by_a, "escalated_for", Q(pk__in=ids_seen_by_a), lambda hazard: 1 / 0
    )
    assert (claimed, notified) == (0, 0)
    assert Notification.objects.count() == count


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_notification_once(cast):
    for index in range(30):
        HazardFactory(
            enterprise=cast.enterprise_x,
            found_on=date(2026, 3, 1),
            due_on=DUE - timedelta(days=index % 3),
            supervising_department=cast.dept_housing,
        )
    errors: list[BaseException] = []

    def worker():
        try:
            for attempt in range(100):
                try:
                    run(DUE + timedelta(days=1))
                    return
                except Exception as exc:  # SQLite's shared test cache reports a busy table instead of waiting
                    if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt == 99:
                        raise
                    time.sleep(0.02)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    keys = list(Notification.objects.values_list("recipient_id", "dedupe_key"))
    assert len(keys) == len(set(keys))
    assert Notification.objects.filter(kind="hazard_overdue").count() == 30 * 4
    assert Hazard.objects.filter(escalated_for__isnull=True).count() == 0


def test_the_command_runs_every_registered_sweep(due_hazard):
    out = StringIO()
    with time_machine.travel(date(2026, 4, 2), tick=False):
        call_command("anlan_sweep", "--only", "hazards", stdout=out)
    assert "sweep hazards: reminded=0, overdue_flagged=1" in out.getvalue()
    # The worker runs the same sweep as a scheduled job; the hazard already flagged is not flagged again.
    with time_machine.travel(date(2026, 4, 2), tick=False):
        call_command("anlan_worker", "--batch", "-v", "0", stdout=StringIO())
    sweep = Job.objects.get(kind="core.sweep", params__sweep="hazards")
    assert sweep.status == Job.Status.SUCCEEDED
    assert sweep.result == NOTHING


# ---------------------------------------------------------------- the 挂牌督办 deadline


@pytest.fixture
def listed(cast, due_hazard):
    """Housing lists the hazard with a 督办 deadline of DUE (the hazard's own deadline), addressed to X."""
    from anlan.core import units
    from anlan.hazards.models import Supervision

    return Supervision.objects.create(
        hazard=due_hazard,
        level=Supervision.Level.COUNTY,
        issuer=cast.dept_housing,
        letter_number="来建督〔2026〕1号",
        due_on=DUE,
        responsible_unit=units.unit_for(cast.enterprise_x),
        requirements="限期整改到位",
        issued_by=cast["dept_housing"],
    )


def test_the_supervision_deadline_is_reminded_once_then_escalated_once_to_the_committee_office(cast, listed):
    before = run(DUE - timedelta(days=4))
    assert before["supervisions_reminded"] == 0 and before["supervisions_escalated"] == 0
    assert run(DUE - timedelta(days=3))["supervisions_reminded"] == 1
    reminded = [who for kind, who in kinds() if kind == "hazard_supervision_due_soon"]
    assert sorted(reminded) == ["dept_housing", "enterprise_x"]
    assert run(DUE - timedelta(days=2))["supervisions_reminded"] == 0  # once per deadline
    assert run(DUE)["supervisions_escalated"] == 0  # the deadline day is not late yet
    assert run(DUE + timedelta(days=1))["supervisions_escalated"] == 1
    escalated = [who for kind, who in kinds() if kind == "hazard_supervision_overdue"]
    assert sorted(escalated) == ["county_office", "dept_housing", "enterprise_x"]
    assert run(DUE + timedelta(days=2))["supervisions_escalated"] == 0
    listed.refresh_from_db()
    assert listed.escalated_for == DUE
    assert listed.history.first().history_change_reason.startswith("督办期限已过")


def test_a_closed_hazard_or_a_lifted_supervision_is_not_swept(cast, listed):
    from anlan.hazards.models import Supervision

    Hazard.objects.filter(pk=listed.hazard_id).update(status=Hazard.Status.CLOSED)
    assert run(DUE + timedelta(days=1))["supervisions_escalated"] == 0
    Hazard.objects.filter(pk=listed.hazard_id).update(status=Hazard.Status.RECTIFYING)
    Supervision.objects.filter(pk=listed.pk).update(status=Supervision.Status.LIFTED)
    assert run(DUE + timedelta(days=1))["supervisions_escalated"] == 0
    assert [kind for kind, _who in kinds() if kind.startswith("hazard_supervision")] == []
