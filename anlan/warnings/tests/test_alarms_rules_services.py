"""Monitoring alarms: the pure rules (kinds, clock skew, signature, replay window, handling time) on both sides of
each boundary; receiving by import (scope, every field's refusal, once per source id) and handling to closure
through the TRANSITIONS table — every (state, transition) pair, who may, and a race of two stale copies."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from anlan.core.errors import Code, DomainError
from anlan.notifications.models import Notification
from anlan.warnings import rules
from anlan.warnings.models import Alarm
from anlan.warnings.services import alarms as services
from anlan.warnings.services.alarms import AlarmError
from anlan.warnings.tests.factories_alarms import alarm, alarm_data, checked_alarm, resolved_alarm

pytestmark = pytest.mark.django_db
AT = datetime(2026, 7, 1, 8, 30, tzinfo=timezone.get_fixed_timezone(480))


# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("toxic_gas", rules.ALARM_TOXIC_GAS),
        ("有毒气体浓度超限", rules.ALARM_TOXIC_GAS),
        ("有毒气体超限", rules.ALARM_TOXIC_GAS),
        (" 温度超限 ", rules.ALARM_TEMPERATURE),
        ("高温", None),
        ("", None),
    ],
    ids=["code", "label", "short-label", "spaces", "unknown", "blank"],
)
def test_an_alarm_kind_is_read_from_its_code_or_its_label(text, kind):
    assert rules.alarm_kind(text) == kind


@pytest.mark.parametrize(
    ("ahead", "ok"),
    [(timedelta(0), True), (timedelta(minutes=5), True), (timedelta(minutes=5, seconds=1), False)],
    ids=["now", "at-the-skew", "past-the-skew"],
)
def test_an_alarm_may_be_stamped_at_most_five_minutes_ahead_of_the_clock(ahead, ok):
    assert rules.alarm_raised_in_time(AT + ahead, AT) is ok


def test_a_signature_verifies_only_with_the_same_secret_timestamp_and_body():
    body = b'{"source_id": "1"}'
    good = rules.alarm_signature("s3cret", "1751330000", body)
    assert good.startswith("sha256=") and len(good) == 7 + 64
    assert rules.alarm_signature_valid("s3cret", "1751330000", body, good)
    assert not rules.alarm_signature_valid("other", "1751330000", body, good)
    assert not rules.alarm_signature_valid("s3cret", "1751330001", body, good)
    assert not rules.alarm_signature_valid("s3cret", "1751330000", body + b" ", good)
    assert not rules.alarm_signature_valid(
        "", "1751330000", body, rules.alarm_signature("", "1751330000", body)
    )
    assert not rules.alarm_signature_valid("s3cret", "1751330000", body, "")


@pytest.mark.parametrize(
    ("timestamp", "fresh"),
    [
        ("1000", True),
        ("700", True),
        ("1300", True),
        ("699", False),
        ("1301", False),
        ("-1000", False),
        ("10e2", False),
        ("", False),
        ("１０００", False),
    ],
    ids=[
        "now",
        "window-before",
        "window-after",
        "past-window",
        "beyond-window",
        "sign",
        "exponent",
        "blank",
        "fullwidth",
    ],
)
def test_a_call_is_fresh_only_within_the_window_either_side(timestamp, fresh):
    assert rules.alarm_timestamp_fresh(timestamp, 1000.0, window=300) is fresh


def test_handling_time_is_whole_minutes_from_the_alarm_to_its_closure():
    assert rules.alarm_handling_minutes(AT, AT + timedelta(minutes=41, seconds=59)) == 41
    assert rules.alarm_handling_minutes(AT, AT + timedelta(seconds=59)) == 0
    assert rules.alarm_handling_minutes(AT, AT - timedelta(minutes=3)) == 0


# ---------------------------------------------------------------- receiving by import


def test_an_imported_alarm_is_kept_with_its_values_and_told_to_the_enterprise(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = alarm(cast, value="86.5", threshold="80", raised_at="2026-07-01 08:30:00")
    made.refresh_from_db()
    assert (made.enterprise, made.source, made.kind, made.status, made.channel) == (
        cast.enterprise_x,
        "DCS",
        rules.ALARM_TEMPERATURE,
        Alarm.Status.RECEIVED,
        Alarm.Channel.IMPORT,
    )
    assert str(made.value) == "86.5000" and timezone.localtime(made.raised_at).hour == 8
    assert made.history.count() == 1 and made.history.first().history_user == cast["county_office"]
    told = set(
        Notification.objects.filter(kind="warnings.alarm").values_list("recipient__username", flat=True)
    )
    assert told == {"enterprise_x"}


def test_the_enterprise_may_import_its_own_alarms(cast):
    made = services.import_alarm(actor=cast["enterprise_x"], data=alarm_data(cast))
    assert made.enterprise == cast.enterprise_x


@pytest.mark.parametrize("who", ["town_b", "dept_transport"])
def test_an_enterprise_outside_the_importers_scope_is_refused_as_unknown(cast, who):
    with pytest.raises(DomainError) as refused:
        services.import_alarm(actor=cast[who], data=alarm_data(cast))
    assert (refused.value.code, refused.value.field) == (AlarmError.ENTERPRISE_UNKNOWN, "uscc")
    assert not Alarm.objects.exists()


def test_someone_without_the_import_right_is_refused(cast):
    with pytest.raises(PermissionDenied):
        services.import_alarm(actor=cast["leader"], data=alarm_data(cast))


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"uscc": "91341122MA2N0000X"}, AlarmError.USCC_INVALID, "uscc"),
        ({"source": ""}, AlarmError.SOURCE_REQUIRED, "source"),
        ({"source": "S" * 51}, AlarmError.SOURCE_REQUIRED, "source"),
        ({"source_id": " "}, AlarmError.SOURCE_ID_REQUIRED, "source_id"),
        ({"source_id": "9" * 101}, AlarmError.SOURCE_ID_REQUIRED, "source_id"),
        ({"kind": "高温"}, AlarmError.KIND_UNKNOWN, "kind"),
        ({"tag": ""}, AlarmError.TAG_REQUIRED, "tag"),
        ({"value": "八十"}, AlarmError.NUMBER_INVALID, "value"),
        ({"value": "NaN"}, AlarmError.NUMBER_INVALID, "value"),
        ({"threshold": ""}, AlarmError.NUMBER_INVALID, "threshold"),
        ({"threshold": "1e12"}, AlarmError.NUMBER_INVALID, "threshold"),
        ({"raised_at": "昨天"}, AlarmError.RAISED_AT_INVALID, "raised_at"),
        ({"raised_at": None}, AlarmError.RAISED_AT_INVALID, "raised_at"),
    ],
    ids=lambda value: str(value)[:30],
)
def test_a_bad_field_is_refused_naming_it_and_nothing_is_saved(cast, change, code, field):
    with pytest.raises(DomainError) as refused:
        services.import_alarm(actor=cast["county_office"], data=alarm_data(cast, **change))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not Alarm.objects.exists()


def test_an_alarm_raised_after_the_skew_is_refused_and_one_within_it_kept(cast):
    with pytest.raises(DomainError) as refused:
        alarm(cast, raised_at=timezone.now() + timedelta(minutes=6))
    assert refused.value.code == AlarmError.RAISED_IN_FUTURE
    assert alarm(cast, raised_at=timezone.now() + timedelta(minutes=4)).pk


def test_the_same_source_id_of_the_same_source_is_received_once(cast):
    alarm(cast, source_id="TI-1")
    with pytest.raises(DomainError) as refused:
        alarm(cast, source_id="TI-1")
    assert (refused.value.code, refused.value.field) == (AlarmError.DUPLICATE, "source_id")
    assert alarm(cast, source="GDS", source_id="TI-1").pk  # another system's id space
    assert Alarm.objects.count() == 2


# ---------------------------------------------------------------- handling


def test_checking_then_resolving_records_who_and_when(cast):
    made = checked_alarm(cast)
    assert made.status == Alarm.Status.CHECKED
    assert made.checked_by == cast["enterprise_x"] and made.checked_at is not None
    assert made.check_note == "现场确认温度偏高"
    done = services.resolve_alarm(actor=cast["enterprise_x"], alarm_pk=made.pk, resolution="开大冷却水")
    done.refresh_from_db()
    assert (done.status, done.closed_by, done.resolution) == (
        Alarm.Status.RESOLVED,
        cast["enterprise_x"],
        "开大冷却水",
    )
    assert done.closed_at >= done.checked_at
    reasons = list(done.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert len(reasons) == 3 and reasons[1].startswith("核查") and reasons[2].startswith("处置完毕")


@pytest.mark.parametrize("checked_first", [False, True], ids=["from-received", "from-checked"])
def test_a_false_alarm_is_closed_with_its_reason(cast, checked_first):
    made = checked_alarm(cast) if checked_first else alarm(cast)
    done = services.dismiss_alarm(actor=cast["enterprise_x"], alarm_pk=made.pk, reason="仪表标定期间数据跳变")
    done.refresh_from_db()
    assert (done.status, done.resolution, done.closed_by) == (
        Alarm.Status.FALSE_ALARM,
        "仪表标定期间数据跳变",
        cast["enterprise_x"],
    )
    assert done.history.first().history_change_reason == "仪表标定期间数据跳变"


@pytest.mark.parametrize(
    ("call", "kwargs", "field"),
    [
        (services.check_alarm, {"note": "  "}, "note"),
        (services.dismiss_alarm, {"reason": ""}, "reason"),
    ],
    ids=["check-without-note", "dismiss-without-reason"],
)
def test_a_step_without_its_text_is_refused_and_nothing_changes(cast, call, kwargs, field):
    made = alarm(cast)
    with pytest.raises(DomainError) as refused:
        call(actor=cast["enterprise_x"], alarm_pk=made.pk, **kwargs)
    assert refused.value.field == field
    made.refresh_from_db()
    assert made.status == Alarm.Status.RECEIVED and made.history.count() == 1


def test_resolving_needs_what_was_done(cast):
    made = checked_alarm(cast)
    with pytest.raises(DomainError) as refused:
        services.resolve_alarm(actor=cast["enterprise_x"], alarm_pk=made.pk, resolution="")
    assert refused.value.field == "resolution"


STATES = {
    Alarm.Status.RECEIVED: alarm,
    Alarm.Status.CHECKED: checked_alarm,
    Alarm.Status.RESOLVED: resolved_alarm,
}
STEPS = {
    "check": lambda actor, pk: services.check_alarm(actor=actor, alarm_pk=pk, note="核查"),
    "resolve": lambda actor, pk: services.resolve_alarm(actor=actor, alarm_pk=pk, resolution="处置"),
    "dismiss": lambda actor, pk: services.dismiss_alarm(actor=actor, alarm_pk=pk, reason="误报"),
}


@pytest.mark.parametrize("state", list(STATES), ids=str)
@pytest.mark.parametrize("name", list(STEPS))
def test_every_transition_leaves_only_its_own_states(cast, state, name):
    made = STATES[state](cast)
    transition = next(t for t in Alarm.TRANSITIONS if t.name == name)
    if state in transition.sources:
        assert STEPS[name](cast["enterprise_x"], made.pk).status == transition.target
    else:
        before = made.history.count()
        with pytest.raises(DomainError) as refused:
            STEPS[name](cast["enterprise_x"], made.pk)
        assert refused.value.code == Code.ILLEGAL_TRANSITION
        assert made.history.count() == before


def test_a_false_alarm_is_closed_for_good(cast):
    made = alarm(cast)
    services.dismiss_alarm(actor=cast["enterprise_x"], alarm_pk=made.pk, reason="误报")
    for name in STEPS:
        with pytest.raises(DomainError):
            STEPS[name](cast["enterprise_x"], made.pk)


@pytest.mark.parametrize("who", ["county_office", "town_a", "dept_housing", "leader"])
def test_those_who_see_an_alarm_do_not_handle_it(cast, who):
    made = alarm(cast)
    with pytest.raises(PermissionDenied):
        services.check_alarm(actor=cast[who], alarm_pk=made.pk, note="核查")
    made.refresh_from_db()
    assert made.status == Alarm.Status.RECEIVED and made.history.count() == 1


@pytest.mark.parametrize("who", ["town_b", "dept_transport", "expert"])
def test_an_alarm_out_of_scope_is_not_found(cast, who):
    made = alarm(cast)
    with pytest.raises(Http404):
        services.check_alarm(actor=cast[who], alarm_pk=made.pk, note="核查")


def test_of_two_stale_copies_exactly_one_transition_wins(cast):
    from anlan.core.workflow import apply_transition, find

    made = alarm(cast)
    first, second = Alarm.objects.get(pk=made.pk), Alarm.objects.get(pk=made.pk)
    apply_transition(first, find(Alarm.TRANSITIONS, "check"), actor=cast["enterprise_x"])
    with pytest.raises(DomainError) as refused:
        apply_transition(
            second, find(Alarm.TRANSITIONS, "dismiss"), actor=cast["enterprise_x"], reason="误报"
        )
    assert refused.value.code == Code.STALE
    assert Alarm.objects.get(pk=made.pk).status == Alarm.Status.CHECKED
