"""Monitoring alarms of 两重点一重大 enterprises: received from an import (by a supervisor or the enterprise,
within their scope) or from a monitoring system's signed webhook (acting as the system actor), each once per
(source, source id); handled by the enterprise — 核查, then 处置 or 误报 — with who and when, through the
`Alarm.TRANSITIONS` table. A new alarm is told at once to the enterprise's users."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import recipients, records
from anlan.core.audit import record_text, system_actor
from anlan.core.errors import Code, DomainError
from anlan.core.models import Enterprise
from anlan.core.permissions import require, require_right
from anlan.core.rules import RuleViolation, validate_uscc
from anlan.core.workflow import apply_transition, find
from anlan.notifications.services import notify

from .. import rules
from ..models import Alarm
from ..selectors import alarms as selectors

HANDLE = "warnings.handle_alarm"
IMPORT = "warnings.import_alarms"


class AlarmError(StrEnum):
    USCC_INVALID = "alarm_uscc_invalid"
    ENTERPRISE_UNKNOWN = "alarm_enterprise_unknown"
    SOURCE_REQUIRED = "alarm_source_required"
    SOURCE_ID_REQUIRED = "alarm_source_id_required"
    DUPLICATE = "alarm_duplicate"
    KIND_UNKNOWN = "alarm_kind_unknown"
    TAG_REQUIRED = "alarm_tag_required"
    NUMBER_INVALID = "alarm_number_invalid"
    RAISED_AT_INVALID = "alarm_raised_at_invalid"
    RAISED_IN_FUTURE = "alarm_raised_in_future"
    NOTE_REQUIRED = "alarm_note_required"
    RESOLUTION_REQUIRED = "alarm_resolution_required"


def _text(data: dict, name: str, limit: int) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 1001.0 is the id 1001
    return str(value).strip()[:limit]


def _number(data: dict, name: str, label) -> Decimal:
    raw = data.get(name)
    try:
        if raw is None or isinstance(raw, bool) or str(raw).strip() == "":
            raise InvalidOperation
        value = Decimal(str(raw).strip())
        if not value.is_finite() or abs(value) >= Decimal("1e10"):
            raise InvalidOperation
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(
            AlarmError.NUMBER_INVALID, _("%(label)s须为数字。") % {"label": label}, field=name
        ) from exc
    return value.quantize(Decimal("0.0001"))


def _moment(raw) -> datetime:
    """A datetime from a sheet cell or an ISO 8601 string; without an offset it is Beijing time."""
    if isinstance(raw, datetime):
        value = raw
    else:
        text = str(raw or "").strip().replace("/", "-")
        value = parse_datetime(text) if text else None
        if value is None:
            raise DomainError(
                AlarmError.RAISED_AT_INVALID,
                _("报警时间格式应如 2026-07-01 08:30:00 或 2026-07-01T08:30:00+08:00。"),
                field="raised_at",
            )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _parsed(data: dict) -> dict:
    """The alarm's fields from an import row or a webhook's JSON, each refused with the field it concerns."""
    source_id = _text(data, "source_id", 101)
    if not source_id:
        raise DomainError(AlarmError.SOURCE_ID_REQUIRED, _("请填写来源报警编号。"), field="source_id")
    if len(source_id) > 100:
        raise DomainError(
            AlarmError.SOURCE_ID_REQUIRED, _("来源报警编号不能超过 100 个字符。"), field="source_id"
        )
    kind = rules.alarm_kind(_text(data, "kind", 50))
    if kind is None:
        raise DomainError(
            AlarmError.KIND_UNKNOWN,
            _("报警类型应为：%(kinds)s。")
            % {"kinds": "、".join(str(label) for _c, label in rules.ALARM_KINDS)},
            field="kind",
        )
    tag = _text(data, "tag", 100)
    if not tag:
        raise DomainError(AlarmError.TAG_REQUIRED, _("请填写监测点位（位号）。"), field="tag")
    raised_at = _moment(data.get("raised_at"))
    if not rules.alarm_raised_in_time(raised_at, timezone.now()):
        raise DomainError(AlarmError.RAISED_IN_FUTURE, _("报警时间不能晚于现在。"), field="raised_at")
    return {
        "source_id": source_id,
        "kind": kind,
        "tag": tag,
        "value": _number(data, "value", _("监测值")),
        "threshold": _number(data, "threshold", _("报警阈值")),
        "unit": _text(data, "unit", 20),
        "raised_at": raised_at,
    }


def _uscc(data: dict) -> str:
    try:
        return validate_uscc(_text(data, "uscc", 30))
    except RuleViolation as violation:
        raise DomainError(AlarmError.USCC_INVALID, violation.message, field="uscc") from violation


def _unknown_enterprise() -> DomainError:
    return DomainError(
        AlarmError.ENTERPRISE_UNKNOWN,
        _("统一社会信用代码对应的生产经营单位不存在或不在您的管辖范围内。"),
        field="uscc",
    )


def _duplicate(source: str, source_id: str) -> DomainError:
    return DomainError(
        AlarmError.DUPLICATE,
        _("来源系统“%(source)s”的报警编号“%(id)s”已接收，不再重复登记。")
        % {"source": source, "id": source_id},
        field="source_id",
    )


def _create(enterprise: Enterprise, *, source: str, channel: str, fields: dict, actor, reason) -> Alarm:
    if Alarm.objects.filter(source=source, source_id=fields["source_id"]).exists():
        raise _duplicate(source, fields["source_id"])
    alarm = Alarm(enterprise=enterprise, source=source, channel=channel, **fields)
    records.validate(alarm)
    try:
        records.save_with_history(alarm, actor, record_text(reason))
    except DomainError as error:  # the unique (source, source id) met by a concurrent call
        if error.code != Code.DUPLICATE:
            raise
        raise _duplicate(source, fields["source_id"]) from error
    transaction.on_commit(lambda: _tell_enterprise(alarm))
    return alarm


def _tell_enterprise(alarm: Alarm) -> None:
    """A new alarm, told at once to its enterprise's users (who handle it); once per alarm."""
    notify(
        recipients.enterprise_users(alarm.enterprise),
        kind="warnings.alarm",
        title=_("【监测报警】%(tag)s %(kind)s") % {"tag": alarm.tag, "kind": alarm.get_kind_display()},
        body=_("监测值 %(value)s%(unit)s，报警阈值 %(threshold)s%(unit)s，报警时间 %(at)s。")
        % {
            "value": alarm.value.normalize(),
            "threshold": alarm.threshold.normalize(),
            "unit": alarm.unit,
            "at": f"{timezone.localtime(alarm.raised_at):%Y-%m-%d %H:%M:%S}",
        },
        url=reverse("warnings:alarm-detail", args=[alarm.pk]),
        dedupe_key=f"alarm:{alarm.pk}",
    )


def import_alarm(*, actor, data: dict) -> Alarm:
    """An alarm from an import row: the enterprise (by 统一社会信用代码) must be one the actor may import for."""
    require_right(actor, IMPORT)
    source = _text(data, "source", 51)
    if not source or len(source) > 50:
        raise DomainError(
            AlarmError.SOURCE_REQUIRED, _("请填写来源系统（不超过 50 个字符）。"), field="source"
        )
    with transaction.atomic():
        uscc = _uscc(data)
        enterprise = Enterprise.objects.for_user(actor, IMPORT).filter(uscc=uscc).first()
        if enterprise is None:
            raise _unknown_enterprise()
        fields = _parsed(data)
        alarm = _create(
            enterprise,
            source=source,
            channel=Alarm.Channel.IMPORT,
            fields=fields,
            actor=actor,
            reason=gettext_lazy("Excel 导入监测报警"),
        )
        records.ensure_in_scope(actor, IMPORT, alarm, "uscc")
    return alarm


def receive_alarm(*, source: str, data: dict) -> tuple[Alarm, bool]:
    """An alarm pushed by an authenticated monitoring system `source` (the caller checked its signature and
    timestamp). A repeat of an alarm already received (same source id) changes nothing: (that alarm, False)."""
    with transaction.atomic():
        fields = _parsed(data)
        existing = Alarm.objects.filter(source=source, source_id=fields["source_id"]).first()
        if existing is not None:
            return existing, False
        enterprise = Enterprise.objects.filter(uscc=_uscc(data)).first()
        if enterprise is None:
            raise DomainError(
                AlarmError.ENTERPRISE_UNKNOWN, _("统一社会信用代码对应的生产经营单位未登记。"), field="uscc"
            )
        try:
            alarm = _create(
                enterprise,
                source=source,
                channel=Alarm.Channel.WEBHOOK,
                fields=fields,
                actor=system_actor(),
                reason=gettext_lazy("监测系统推送报警"),
            )
        except DomainError as error:  # the same alarm delivered twice at once: the other call kept it
            if error.code != AlarmError.DUPLICATE:
                raise
            return Alarm.objects.get(source=source, source_id=fields["source_id"]), False
    return alarm, True


# ---------------------------------------------------------------- handling (Alarm.TRANSITIONS)


def _step(*, actor, alarm_pk, name: str, reason: str = "", changes: dict) -> Alarm:
    alarm = selectors.access_alarm(actor, alarm_pk, for_update=True)
    transition = find(Alarm.TRANSITIONS, name)
    require(actor, transition.right, alarm)
    apply_transition(alarm, transition, actor=actor, reason=reason, changes=changes)
    return alarm


def check_alarm(*, actor, alarm_pk, note: str) -> Alarm:
    """核查: the enterprise confirms what the alarm shows (on site or remotely) and starts handling it."""
    note = (note or "").strip()
    if not note:
        raise DomainError(AlarmError.NOTE_REQUIRED, _("请填写核查情况。"), field="note")
    with transaction.atomic():
        return _step(
            actor=actor,
            alarm_pk=alarm_pk,
            name="check",
            reason=record_text(gettext_lazy("核查：%(note)s"), note=note[:200]),
            changes={"checked_at": timezone.now(), "checked_by": actor, "check_note": note},
        )


def resolve_alarm(*, actor, alarm_pk, resolution: str) -> Alarm:
    """处置完毕: the measures taken and the point back to normal; closes the alarm."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise DomainError(AlarmError.RESOLUTION_REQUIRED, _("请填写处置情况。"), field="resolution")
    with transaction.atomic():
        return _step(
            actor=actor,
            alarm_pk=alarm_pk,
            name="resolve",
            reason=record_text(gettext_lazy("处置完毕：%(text)s"), text=resolution[:200]),
            changes={"closed_at": timezone.now(), "closed_by": actor, "resolution": resolution},
        )


def dismiss_alarm(*, actor, alarm_pk, reason: str) -> Alarm:
    """误报: the alarm was not a real excursion (instrument fault, calibration …); closes it with the reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        return _step(
            actor=actor,
            alarm_pk=alarm_pk,
            name="dismiss",
            reason=reason,
            changes={"closed_at": timezone.now(), "closed_by": actor, "resolution": reason},
        )


def take_transition(*, actor, alarm: Alarm, transition, data: dict) -> Alarm:
    """The transition view's entry: the step's service with its form's data."""
    if transition.name == "check":
        return check_alarm(actor=actor, alarm_pk=alarm.pk, note=data.get("note", ""))
    if transition.name == "resolve":
        return resolve_alarm(actor=actor, alarm_pk=alarm.pk, resolution=data.get("resolution", ""))
    return dismiss_alarm(actor=actor, alarm_pk=alarm.pk, reason=data.get("reason", ""))
