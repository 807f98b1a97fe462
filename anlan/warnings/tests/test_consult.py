"""会商研判: joint meetings recorded by the convening unit (at least two departments, not in the future), bulletins
sent from them for receipt confirmation through the kernel, each recipient unit confirming and reporting on every
measure, the sender closing it, and the kernel's sweep escalating silent units to their heads and the duty office."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from anlan.core import receipts, units
from anlan.core.errors import DomainError
from anlan.core.models import Membership, ReceiptTask
from anlan.notifications.models import Notification
from anlan.warnings import rules
from anlan.warnings.models import Bulletin, Consultation, MeasureReport
from anlan.warnings.services import consult as services
from anlan.warnings.services.consult import ErrorCode
from anlan.warnings.tests.factories_consult import (
    bulletin,
    bulletin_data,
    confirmed_task,
    consultation,
    meeting_data,
    task_of,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(("count", "joint"), [(0, False), (1, False), (2, True), (5, True)])
def test_a_consultation_needs_at_least_two_departments(count, joint):
    assert rules.consultation_is_joint(count) is joint


def test_a_meeting_may_be_recorded_at_its_time_but_not_before():
    now = timezone.now()
    assert rules.held_at_ok(now, now)
    assert rules.held_at_ok(now - timedelta(days=1), now)
    assert not rules.held_at_ok(now + timedelta(seconds=1), now)


@pytest.mark.parametrize(
    ("level", "hours"),
    [(rules.RISK_MAJOR, 2), (rules.RISK_HIGH, 4), (rules.RISK_MEDIUM, 12), (rules.RISK_LOW, 24)],
)
def test_the_confirmation_period_shortens_as_the_risk_grows(level, hours):
    assert rules.bulletin_confirm_within(level) == timedelta(hours=hours)


@pytest.mark.parametrize(("hours", "ok"), [(0, False), (1, True), (72, True), (73, False)])
def test_a_sender_sets_one_to_seventy_two_hours(hours, ok):
    assert rules.confirm_hours_ok(hours) is ok
    if ok:
        assert rules.bulletin_confirm_within(rules.RISK_LOW, hours) == timedelta(hours=hours)
    else:
        with pytest.raises(ValueError):
            rules.bulletin_confirm_within(rules.RISK_LOW, hours)


def test_measures_are_the_non_empty_lines():
    assert rules.measure_lines(" 值班值守 \n\n  排查工地\n ") == ["值班值守", "排查工地"]
    assert rules.measure_lines("") == []


@pytest.mark.parametrize(
    ("done", "note", "complete"),
    [(True, "", True), (False, "正在排查", True), (False, "", False), (False, "   ", False)],
)
def test_a_measure_not_done_must_say_why(done, note, complete):
    assert rules.measure_report_complete(done, note) is complete


# ---------------------------------------------------------------- meetings


def test_the_office_records_a_joint_meeting_with_one_history_row(cast):
    meeting = consultation(cast)
    assert meeting.region_id == cast.county.code
    assert meeting.convener == units.committee_office_for(cast.county)
    assert set(meeting.departments.all()) == {cast.dept_housing, cast.dept_transport}
    assert meeting.history.count() == 1
    assert meeting.history.latest().history_user == cast["county_office"]


def test_a_meeting_of_one_department_is_refused_naming_the_field(cast):
    with pytest.raises(DomainError) as refused:
        consultation(cast, departments=[cast.dept_housing])
    assert (refused.value.code, refused.value.field) == (ErrorCode.NOT_JOINT, "departments")
    assert not Consultation.objects.exists()


def test_a_meeting_in_the_future_is_refused(cast):
    with pytest.raises(DomainError) as refused:
        consultation(cast, held_at=timezone.now() + timedelta(minutes=5))
    assert (refused.value.code, refused.value.field) == (ErrorCode.HELD_IN_FUTURE, "held_at")


def test_a_town_cannot_record_a_meeting_in_the_county_offices_name(cast):
    with pytest.raises(DomainError) as refused:
        services.record_consultation(actor=cast["town_a"], data=meeting_data(cast))
    assert (refused.value.code, refused.value.field) == (ErrorCode.CONVENER_INVALID, "convener")
    assert not Consultation.objects.exists()


def test_a_town_records_its_own_meeting(cast):
    town_unit = units.unit_for(cast.town_a)
    meeting = services.record_consultation(actor=cast["town_a"], data=meeting_data(cast, convener=town_unit))
    assert meeting.region_id == cast.town_a.code
    assert Consultation.objects.for_user(cast["town_b"]).count() == 0


def test_the_leader_cannot_record_a_meeting(cast):
    with pytest.raises(PermissionDenied):
        services.record_consultation(actor=cast["leader"], data=meeting_data(cast))


def test_a_department_reads_but_cannot_correct_the_offices_meeting(cast):
    meeting = consultation(cast)
    assert Consultation.objects.for_user(cast["dept_housing"]).filter(pk=meeting.pk).exists()
    with pytest.raises(PermissionDenied):
        services.update_consultation(
            actor=cast["dept_housing"], consultation_pk=meeting.pk, data=meeting_data(cast, topic="改")
        )
    meeting.refresh_from_db()
    assert meeting.topic == "强降雨安全生产风险会商研判" and meeting.history.count() == 1


def test_the_convener_corrects_the_meeting_and_history_keeps_both(cast):
    meeting = consultation(cast)
    services.update_consultation(
        actor=cast["county_office"], consultation_pk=meeting.pk, data=meeting_data(cast, risk_level="major")
    )
    meeting.refresh_from_db()
    assert meeting.risk_level == "major"
    assert list(meeting.history.values_list("risk_level", flat=True)) == ["major", "high"]


# ---------------------------------------------------------------- bulletins


def test_a_bulletin_goes_to_each_unit_for_confirmation_within_its_risk_levels_period(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = bulletin(cast)
    assert sent.status == Bulletin.Status.SENT
    assert [m.text for m in sent.measures.all()] == ["落实24小时值班值守", "对在建工地开展雨前排查"]
    tasks = list(services.selectors.tasks_of(sent))
    assert {t.recipient_unit.region_id for t in tasks} == {cast.town_a.code, cast.town_b.code}
    assert all(t.kind == "warnings.bulletin" and t.status == ReceiptTask.Status.PENDING for t in tasks)
    assert all(t.confirm_by - t.sent_at == timedelta(hours=4) for t in tasks)
    assert sent.confirm_by - sent.sent_at == timedelta(hours=4)
    told = Notification.objects.filter(kind=services.NOTICE, recipient=cast["town_a"])
    assert told.count() == 1
    assert told.get().url == reverse("warnings:bulletin-receipt", args=[task_of(sent, cast.town_a).pk])


def test_the_sender_may_set_the_confirmation_period_within_bounds(cast):
    sent = bulletin(cast, confirm_hours=72)
    assert sent.confirm_by - sent.sent_at == timedelta(hours=72)
    with pytest.raises(DomainError) as refused:
        bulletin(cast, confirm_hours=73)
    assert (refused.value.code, refused.value.field) == (ErrorCode.CONFIRM_HOURS, "confirm_hours")


def test_a_bulletin_without_measures_is_refused_and_nothing_is_sent(cast):
    meeting = consultation(cast)
    with pytest.raises(DomainError) as refused:
        bulletin(cast, meeting, measures=" \n ")
    assert (refused.value.code, refused.value.field) == (ErrorCode.NO_MEASURE, "measures")
    assert not Bulletin.objects.exists() and not ReceiptTask.objects.exists()


def test_a_bulletin_cannot_be_sent_to_the_convener_itself(cast):
    with pytest.raises(DomainError) as refused:
        bulletin(cast, recipients=[units.committee_office_for(cast.county)])
    assert (refused.value.code, refused.value.field) == (ErrorCode.RECIPIENT_INVALID, "recipients")


def test_a_department_cannot_send_a_bulletin_from_the_offices_meeting(cast):
    meeting = consultation(cast)
    with pytest.raises(PermissionDenied):
        services.send_bulletin(
            actor=cast["dept_housing"], consultation_pk=meeting.pk, data=bulletin_data(cast)
        )
    assert not Bulletin.objects.exists()


# ---------------------------------------------------------------- the recipient unit


def test_town_a_confirms_then_reports_each_measure(cast):
    sent = bulletin(cast)
    task = task_of(sent, cast.town_a)
    first, second = sent.measures.order_by("position")
    with pytest.raises(DomainError) as early:
        services.report_measure(actor=cast["town_a"], task_pk=task.pk, measure_pk=first.pk, done=True)
    assert early.value.code == ErrorCode.NOT_CONFIRMED
    services.confirm_bulletin(actor=cast["town_a"], task_pk=task.pk)
    task.refresh_from_db()
    assert task.status == ReceiptTask.Status.CONFIRMED and task.confirmed_by == cast["town_a"]
    with pytest.raises(DomainError) as silent:
        services.report_measure(actor=cast["town_a"], task_pk=task.pk, measure_pk=second.pk, done=False)
    assert (silent.value.code, silent.value.field) == (ErrorCode.NOTE_REQUIRED, "note")
    services.report_measure(
        actor=cast["town_a"], task_pk=task.pk, measure_pk=second.pk, done=False, note="今晚完成排查"
    )
    report = services.report_measure(actor=cast["town_a"], task_pk=task.pk, measure_pk=second.pk, done=True)
    assert MeasureReport.objects.filter(task=task).count() == 1
    assert report.done and report.unit.region_id == cast.town_a.code
    assert report.history.count() == 2


def test_a_measure_of_another_bulletin_is_refused(cast):
    task = confirmed_task(cast)
    other = bulletin(cast).measures.first()
    with pytest.raises(DomainError) as refused:
        services.report_measure(actor=cast["town_a"], task_pk=task.pk, measure_pk=other.pk, done=True)
    assert refused.value.code == ErrorCode.MEASURE_INVALID


def test_town_b_cannot_see_town_as_receipt(cast, client):
    task = task_of(bulletin(cast), cast.town_a)
    with pytest.raises(Http404):
        services.confirm_bulletin(actor=cast["town_b"], task_pk=task.pk)
    client.force_login(cast["town_b"])
    assert client.get(reverse("warnings:bulletin-receipt", args=[task.pk])).status_code == 404
    client.force_login(cast["town_a"])
    page = client.get(reverse("warnings:bulletin-receipt", args=[task.pk]))
    assert page.status_code == 200 and "确认收到" in page.content.decode()


def test_the_county_office_sees_town_as_receipt_but_cannot_confirm_it(cast):
    task = task_of(bulletin(cast), cast.town_a)
    with pytest.raises(DomainError) as refused:
        services.confirm_bulletin(actor=cast["county_office"], task_pk=task.pk)
    assert refused.value.code == ErrorCode.NOT_RECIPIENT
    task.refresh_from_db()
    assert task.status == ReceiptTask.Status.PENDING


def test_the_bulletin_page_shows_who_confirmed_and_who_is_pending(cast, client):
    task = confirmed_task(cast)
    sent = Bulletin.objects.get(pk=task.object_id)
    assert services.selectors.receipt_summary(sent) == {
        "total": 2,
        "confirmed": 1,
        "pending": 1,
        "escalated": 0,
        "cancelled": 0,
    }
    client.force_login(cast["county_office"])
    html = client.get(reverse("warnings:bulletin-detail", args=[sent.pk])).content.decode()
    assert "新安镇" in html and "半塔镇" in html and "已确认 1" in html and "待确认 1" in html


# ---------------------------------------------------------------- closing


def test_closing_withdraws_the_open_tasks_and_stops_confirmation(cast):
    task_a = confirmed_task(cast)
    sent = Bulletin.objects.get(pk=task_a.object_id)
    task_b = task_of(sent, cast.town_b)
    services.close_bulletin(actor=cast["county_office"], bulletin_pk=sent.pk)
    sent.refresh_from_db()
    task_a.refresh_from_db()
    task_b.refresh_from_db()
    assert sent.status == Bulletin.Status.CLOSED and sent.closed_at is not None
    assert (task_a.status, task_b.status) == (ReceiptTask.Status.CONFIRMED, ReceiptTask.Status.CANCELLED)
    with pytest.raises(DomainError) as refused:
        services.confirm_bulletin(actor=cast["town_b"], task_pk=task_b.pk)
    assert refused.value.code == ErrorCode.BULLETIN_CLOSED


def test_a_department_in_scope_may_not_close_the_offices_bulletin(cast):
    sent = bulletin(cast)
    with pytest.raises(DomainError) as refused:
        services.close_bulletin(actor=cast["dept_housing"], bulletin_pk=sent.pk)
    assert refused.value.code == "bulletin_not_sender"
    sent.refresh_from_db()
    assert sent.status == Bulletin.Status.SENT and sent.history.count() == 1


# ---------------------------------------------------------------- escalation


def test_a_silent_town_escalates_to_its_head_and_the_county_duty_office_once_per_level(
    cast, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=cast["town_a"]).update(is_head=True)
    sent = bulletin(cast)
    task = task_of(sent, cast.town_a)
    just_before = task.confirm_by - timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert receipts.sweep(today=just_before.date(), now=just_before)["escalated"] == 0
    later = task.confirm_by + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert receipts.sweep(today=later.date(), now=later)["escalated"] == 2  # both towns are silent
    with django_capture_on_commit_callbacks(execute=True):
        assert receipts.sweep(today=later.date(), now=later)["escalated"] == 0
    task.refresh_from_db()
    assert (task.status, task.escalation_level) == (ReceiptTask.Status.ESCALATED, 1)
    told = Notification.objects.filter(kind=services.NOTICE, title__contains="逾期未确认")
    head = told.filter(recipient=cast["town_a"], body__contains="新安镇")
    assert head.count() == 1 and head.get().url == reverse("warnings:bulletin-receipt", args=[task.pk])
    office = told.filter(recipient=cast["county_office"], body__contains="新安镇")
    assert office.count() == 1 and office.get().url == reverse("warnings:bulletin-detail", args=[sent.pk])
    assert not told.filter(recipient=cast["town_b"]).exists()  # town B's office has no head flagged


def test_a_confirmed_town_is_not_escalated(cast, django_capture_on_commit_callbacks):
    task = confirmed_task(cast)
    later = task.confirm_by + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert receipts.sweep(today=later.date(), now=later)["escalated"] == 1  # town B only
    task.refresh_from_db()
    assert task.status == ReceiptTask.Status.CONFIRMED
    assert not Notification.objects.filter(title__contains="逾期未确认", body__contains="新安镇").exists()


def test_another_kinds_escalation_is_ignored(cast, django_capture_on_commit_callbacks):
    task = task_of(bulletin(cast), cast.town_a)
    ReceiptTask.objects.filter(pk=task.pk).update(kind="inspections.joint_measure")
    task.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_escalated(task=task, level=1)
    assert not Notification.objects.filter(title__contains="逾期未确认").exists()


# ---------------------------------------------------------------- pages, ledger, API


def test_pages_lists_and_the_ledger_in_scope(cast, client, django_assert_max_num_queries):
    meeting = consultation(cast)
    bulletin(cast, meeting)
    client.force_login(cast["county_office"])
    with django_assert_max_num_queries(25):
        listed = client.get(reverse("warnings:consultation-list"))
    assert meeting.topic in listed.content.decode()
    detail = client.get(reverse("warnings:consultation-detail", args=[meeting.pk])).content.decode()
    assert "在建工地和道路边坡风险高" in detail and "发出安全风险提示单" in detail
    export = client.get(reverse("warnings:consultation-export"))
    assert export.status_code == 200
    assert "spreadsheetml" in export["Content-Type"]
    client.force_login(cast["town_a"])
    assert meeting.topic not in client.get(reverse("warnings:consultation-list")).content.decode()
    received = client.get(reverse("warnings:bulletin-received")).content.decode()
    assert "关于做好强降雨期间安全防范工作的风险提示" in received


def test_the_api_lists_meetings_and_bulletins_with_their_receipts(cast, client):
    sent = bulletin(cast)
    client.force_login(cast["county_office"])
    meetings = client.get(reverse("api:warnings-consultation-list")).json()
    rows = meetings["results"] if isinstance(meetings, dict) else meetings
    assert [row["topic"] for row in rows] == ["强降雨安全生产风险会商研判"]
    detail = client.get(reverse("api:warnings-bulletin-detail", args=[sent.pk])).json()
    assert [m["text"] for m in detail["measures"]] == ["落实24小时值班值守", "对在建工地开展雨前排查"]
    assert {r["status"] for r in detail["receipts"]} == {"pending"}
    client.force_login(cast["town_b"])
    assert client.get(reverse("api:warnings-bulletin-detail", args=[sent.pk])).status_code == 404


def test_the_form_offers_the_users_own_units_as_convener_made_on_first_use(cast):
    from anlan.core.models import Unit
    from anlan.warnings.forms.consult import ConsultationForm

    assert not Unit.objects.filter(kind=Unit.Kind.COMMITTEE_OFFICE).exists()
    office = ConsultationForm(user=cast["county_office"]).fields["convener"].queryset
    assert list(office) == [units.committee_office_for(cast.county)]
    town = ConsultationForm(user=cast["town_a"]).fields["convener"].queryset
    assert list(town) == [units.unit_for(cast.town_a)]
    assert list(ConsultationForm(user=cast["leader"]).fields["convener"].queryset) == []


def test_a_closed_bulletin_and_its_receipts_still_open_without_buttons(cast, client):
    task = confirmed_task(cast)
    services.close_bulletin(actor=cast["county_office"], bulletin_pk=task.object_id)
    client.force_login(cast["county_office"])
    detail = client.get(reverse("warnings:bulletin-detail", args=[task.object_id]))
    assert detail.status_code == 200 and "已办结" in detail.content.decode()
    assert reverse("warnings:bulletin-close", args=[task.object_id]) not in detail.content.decode()
    client.force_login(cast["town_a"])
    receipt = client.get(reverse("warnings:bulletin-receipt", args=[task.pk])).content.decode()
    assert "反馈</button>" not in receipt and 'data-testid="confirm"' not in receipt
