"""批复 of the investigation report (493号令 第三十二条) through the services, the sweep, the to-do and the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from anlan.accidents import selectors, services, sweeps
from anlan.accidents.models import Investigation
from anlan.accidents.rules import ErrorCode
from anlan.accidents.tests.factories import local, report
from anlan.core import audit
from anlan.core.errors import Code, DomainError

pytestmark = pytest.mark.django_db

T0 = local(2026, 3, 2, 9, 0)
CONCLUDED_ON = date(2026, 4, 20)
RECEIVED_ON = date(2026, 4, 22)


def _concluded(cast, **figures):
    """An accident at T0 whose investigation concluded on CONCLUDED_ON."""
    office = cast["county_office"]
    with time_machine.travel(T0, tick=False):
        accident = report(cast, occurred_at=T0 - timedelta(minutes=10), **figures)
        services.open_investigation(
            actor=office, accident_pk=accident.pk, data={"lead_organ": "来安县人民政府", "team_leader": "张"}
        )
    with time_machine.travel(local(2026, 4, 20, 10, 0), tick=False):
        services.conclude_investigation(actor=office, accident_pk=accident.pk, direct_cause="违章作业")
    return accident


def _received(cast, received_on=RECEIVED_ON, **figures):
    accident = _concluded(cast, **figures)
    with time_machine.travel(local(2026, 4, 23, 9, 0), tick=False):
        services.record_report_received(
            actor=cast["county_office"], accident_pk=accident.pk, received_on=received_on
        )
    return accident


def _reply(cast, accident, replied_on, today=None, actor=None):
    at = today or local(replied_on.year, replied_on.month, replied_on.day, 17, 0)
    with time_machine.travel(at, tick=False):
        return services.record_reply(
            actor=actor or cast["county_office"],
            accident_pk=accident.pk,
            replied_on=replied_on,
            authority="来安县人民政府",
            number="来政复〔2026〕3号",
        )


def _sweep(day: date) -> int:
    return sweeps.run(today=day, now=local(day.year, day.month, day.day, 2, 0))["late_replies_flagged"]


@pytest.mark.parametrize(
    ("deaths", "due_on"),
    [
        pytest.param(1, RECEIVED_ON + timedelta(days=15), id="ordinary-15-days"),
        pytest.param(3, RECEIVED_ON + timedelta(days=15), id="relatively-major-15-days"),
        pytest.param(10, RECEIVED_ON + timedelta(days=15), id="major-15-days"),
        pytest.param(30, RECEIVED_ON + timedelta(days=30), id="extraordinary-30-days"),
    ],
)
def test_the_reply_is_due_by_grade_from_the_day_the_report_was_received(cast, deaths, due_on):
    investigation = Investigation.objects.get(accident=_received(cast, deaths=deaths))
    assert investigation.report_received_on == RECEIVED_ON
    assert investigation.reply_due_on == due_on
    assert investigation.reply_overdue is False
    assert investigation.history.latest("history_id").history_change_reason == "调查报告报送人民政府"


def test_the_sweep_flags_a_missing_reply_the_day_after_its_due_date_once(cast):
    accident = _received(cast)
    due_on = RECEIVED_ON + timedelta(days=15)
    rows = Investigation.history.filter(accident_id=accident.pk)
    before = rows.count()
    assert _sweep(due_on) == 0
    assert _sweep(due_on + timedelta(days=1)) == 1
    assert _sweep(due_on + timedelta(days=2)) == 0
    investigation = Investigation.objects.get(accident=accident)
    assert investigation.reply_overdue is True
    assert rows.count() == before + 1
    assert audit.is_system_actor(rows.latest("history_id").history_user)


def test_a_reply_on_its_due_date_is_on_time_and_the_sweep_leaves_it_alone(cast):
    accident = _received(cast)
    due_on = RECEIVED_ON + timedelta(days=15)
    investigation = _reply(cast, accident, due_on)
    assert (investigation.replied_on, investigation.reply_overdue) == (due_on, False)
    assert investigation.reply_authority == "来安县人民政府"
    assert _sweep(due_on + timedelta(days=5)) == 0


def test_a_reply_the_day_after_its_due_date_is_recorded_as_overdue(cast):
    accident = _received(cast)
    investigation = _reply(cast, accident, RECEIVED_ON + timedelta(days=16))
    assert investigation.reply_overdue is True


def test_only_an_extraordinary_report_may_extend_its_reply_and_only_once_by_at_most_thirty_days(cast):
    office = cast["county_office"]
    ordinary = _received(cast)
    with time_machine.travel(local(2026, 4, 24, 9, 0), tick=False), pytest.raises(DomainError) as refused:
        services.extend_reply(actor=office, accident_pk=ordinary.pk, days=10, reason="补充调查")
    assert (refused.value.code, refused.value.field) == (ErrorCode.REPLY_EXTENSION_NOT_ALLOWED, "days")
    assert Investigation.objects.get(accident=ordinary).reply_due_on == RECEIVED_ON + timedelta(days=15)

    extraordinary = _received(cast, deaths=30)
    with time_machine.travel(local(2026, 4, 24, 9, 0), tick=False):
        with pytest.raises(DomainError) as too_long:
            services.extend_reply(actor=office, accident_pk=extraordinary.pk, days=31, reason="补充调查")
        assert too_long.value.code == ErrorCode.REPLY_EXTENSION_DAYS
        extended = services.extend_reply(
            actor=office, accident_pk=extraordinary.pk, days=30, reason="补充调查"
        )
        assert extended.reply_due_on == RECEIVED_ON + timedelta(days=60)
        assert extended.reply_extended_days == 30
        with pytest.raises(DomainError) as again:
            services.extend_reply(actor=office, accident_pk=extraordinary.pk, days=1, reason="再延")
    assert again.value.code == Code.DUPLICATE
    assert Investigation.objects.get(accident=extraordinary).reply_due_on == RECEIVED_ON + timedelta(days=60)
    _sweep(RECEIVED_ON + timedelta(days=60))
    assert Investigation.objects.get(accident=extraordinary).reply_overdue is False
    _sweep(RECEIVED_ON + timedelta(days=61))
    assert Investigation.objects.get(accident=extraordinary).reply_overdue is True


def test_the_report_is_received_only_once_it_is_concluded_and_not_before_the_conclusion(cast):
    office = cast["county_office"]
    with time_machine.travel(T0, tick=False):
        running = report(cast, occurred_at=T0 - timedelta(minutes=10))
        services.open_investigation(
            actor=office, accident_pk=running.pk, data={"lead_organ": "县政府", "team_leader": "张"}
        )
        with pytest.raises(DomainError) as not_concluded:
            services.record_report_received(actor=office, accident_pk=running.pk, received_on=T0.date())
    assert not_concluded.value.code == ErrorCode.REPORT_NOT_CONCLUDED
    accident = _concluded(cast)
    with time_machine.travel(local(2026, 4, 23, 9, 0), tick=False):
        for day in (CONCLUDED_ON - timedelta(days=1), date(2026, 4, 24)):
            with pytest.raises(DomainError) as outside:
                services.record_report_received(actor=office, accident_pk=accident.pk, received_on=day)
            assert (outside.value.code, outside.value.field) == (
                ErrorCode.REPORT_RECEIVED_OUTSIDE_PERIOD,
                "received_on",
            )
        assert Investigation.objects.get(accident=accident).report_received_on is None
        services.record_report_received(actor=office, accident_pk=accident.pk, received_on=CONCLUDED_ON)
        with pytest.raises(DomainError) as twice:
            services.record_report_received(actor=office, accident_pk=accident.pk, received_on=CONCLUDED_ON)
    assert twice.value.code == Code.DUPLICATE


def test_a_reply_needs_the_receipt_first_and_is_dated_between_it_and_today(cast):
    accident = _concluded(cast)
    with pytest.raises(DomainError) as no_receipt:
        _reply(cast, accident, date(2026, 4, 23))
    assert no_receipt.value.code == ErrorCode.REPLY_REPORT_NOT_RECEIVED
    accident = _received(cast)
    for replied_on in (RECEIVED_ON - timedelta(days=1), date(2026, 5, 2)):
        with pytest.raises(DomainError) as outside:
            _reply(cast, accident, replied_on, today=local(2026, 5, 1, 9, 0))
        assert (outside.value.code, outside.value.field) == (ErrorCode.REPLY_OUTSIDE_PERIOD, "replied_on")
    assert Investigation.objects.get(accident=accident).replied_on is None
    _reply(cast, accident, RECEIVED_ON)
    with pytest.raises(DomainError) as twice:
        _reply(cast, accident, RECEIVED_ON)
    assert twice.value.code == ErrorCode.REPLY_ALREADY_RECORDED


def test_the_reply_is_recorded_only_by_those_who_manage_the_investigation_in_scope(cast):
    accident = _received(cast)
    rows = Investigation.history.filter(accident_id=accident.pk).count()
    with pytest.raises(PermissionDenied):
        _reply(cast, accident, RECEIVED_ON, actor=cast["enterprise_x"])
    with pytest.raises(Http404):
        _reply(cast, accident, RECEIVED_ON, actor=cast["town_b"])
    assert Investigation.objects.get(accident=accident).replied_on is None
    assert Investigation.history.filter(accident_id=accident.pk).count() == rows


def test_a_report_awaiting_its_reply_is_a_to_do_of_the_office_until_the_reply_is_recorded(cast):
    accident = _received(cast)
    office = cast["county_office"]
    rows = selectors.replies_due(office)
    assert list(rows) == [accident]
    [item] = selectors.reply_todo_items(rows, 5)
    assert item.due == RECEIVED_ON + timedelta(days=15)
    assert not selectors.replies_due(cast["enterprise_x"]).exists()
    assert not selectors.replies_due(cast["town_b"]).exists()
    _reply(cast, accident, RECEIVED_ON + timedelta(days=3))
    assert not selectors.replies_due(office).exists()


def test_the_pages_show_the_overdue_reply_and_the_list_filters_on_it(cast, client):
    late = _received(cast)
    on_time = _received(cast)
    _reply(cast, on_time, RECEIVED_ON + timedelta(days=1))
    _sweep(RECEIVED_ON + timedelta(days=16))
    client.force_login(cast["county_office"])
    page = client.get(f"/accidents/{late.pk}/").content.decode()
    assert 'data-testid="reply-overdue"' in page
    assert "2026-05-07" in page  # the due date
    assert 'data-testid="reply-overdue"' not in client.get(f"/accidents/{on_time.pk}/").content.decode()
    listed = client.get("/accidents/?reply_overdue=true").context["page"]
    assert [a.pk for a in listed] == [late.pk]
    pending = client.get("/accidents/?pending=reply").context["page"]
    assert [a.pk for a in pending] == [late.pk]
