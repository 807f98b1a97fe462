"""Use cases of 会商研判: record a joint meeting (and correct it), send a 安全风险提示单 from it to units for receipt
confirmation through the kernel, confirm and report on each measure as a recipient unit, close the bulletin,
and tell the unit's heads and the county duty office when a unit leaves it unconfirmed (the kernel's sweep).
Each checks scope and right, applies the rules, saves with one history row and notifies after commit."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import receipts, recipients, records, units
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.models import ReceiptTask
from anlan.core.permissions import can, require, require_right
from anlan.core.workflow import apply_transition, find
from anlan.notifications.services import notify

from .. import rules
from ..models import Bulletin, BulletinMeasure, Consultation, MeasureReport, Warning
from ..models.consult import MANAGE
from ..selectors import consult as selectors

BULLETIN_TASK = selectors.BULLETIN_TASK
NOTICE = "warnings.bulletin"


class ErrorCode(StrEnum):
    CONVENER_INVALID = "consult_convener_invalid"
    NOT_JOINT = "consult_not_joint"
    DEPARTMENT_INVALID = "consult_department_invalid"
    HELD_IN_FUTURE = "consult_held_in_future"
    WARNING_INVALID = "consult_warning_invalid"
    NO_MEASURE = "bulletin_no_measure"
    RISK_LEVEL = "bulletin_risk_level"
    CONFIRM_HOURS = "bulletin_confirm_hours"
    RECIPIENT_INVALID = "bulletin_recipient_invalid"
    BULLETIN_CLOSED = "bulletin_closed"
    NOT_RECIPIENT = "bulletin_not_recipient"
    NOT_CONFIRMED = "bulletin_not_confirmed"
    MEASURE_INVALID = "bulletin_measure_invalid"
    NOTE_REQUIRED = "bulletin_note_required"


def _text(data: dict, key: str) -> str:
    return (data.get(key) or "").strip()


# ---------------------------------------------------------------- meetings


def may_manage(user, consultation: Consultation) -> bool:
    """Whether the user may correct a meeting and send bulletins from it: holding the right over it in their
    scope and acting for its convening unit (a department in scope reads another unit's meeting, no more)."""
    return can(user, MANAGE, consultation) and (
        user.is_superuser or units.is_member(user, consultation.convener)
    )


def require_convener(user, consultation: Consultation) -> None:
    """403 unless `may_manage` (callers fetch the meeting scoped first: out of scope is already a 404)."""
    require(user, MANAGE, consultation)
    if not may_manage(user, consultation):
        raise PermissionDenied(_("只有召集单位的人员可以修改会商记录或发出风险提示单。"))


def _check_meeting(actor, data: dict, now: datetime) -> dict:
    """The meeting's facts, checked: a convener the actor acts for, at least two of its county's departments, a
    time not in the future, a warning the actor can see."""
    convener = data.get("convener")
    if convener is None or not selectors.conveners(actor, MANAGE).filter(pk=convener.pk).exists():
        raise DomainError(
            ErrorCode.CONVENER_INVALID, _("召集单位须为您所在且有权会商的单位。"), field="convener"
        )
    departments = list(data.get("departments") or [])
    allowed = set(
        selectors.consulting_departments(convener.region_id)
        .filter(pk__in=[d.pk for d in departments])
        .values_list("pk", flat=True)
    )
    stray = [d for d in departments if d.pk not in allowed]
    if stray:
        raise DomainError(
            ErrorCode.DEPARTMENT_INVALID,
            _("参会部门“%(name)s”不属于召集单位所在县（区）。") % {"name": stray[0].name},
            field="departments",
        )
    if not rules.consultation_is_joint(len(departments)):
        raise DomainError(
            ErrorCode.NOT_JOINT,
            _("会商研判须至少有 %(n)s 个部门参加。") % {"n": rules.MIN_CONSULTING_DEPARTMENTS},
            field="departments",
        )
    held_at = data.get("held_at")
    if held_at is None or not rules.held_at_ok(held_at, now):
        raise DomainError(ErrorCode.HELD_IN_FUTURE, _("会商时间不能晚于现在。"), field="held_at")
    warning = data.get("warning")
    if warning is not None and not Warning.objects.for_user(actor).filter(pk=warning.pk).exists():
        raise DomainError(ErrorCode.WARNING_INVALID, _("所选预警不在您的管辖范围内。"), field="warning")
    return {"convener": convener, "departments": departments, "held_at": held_at, "warning": warning}


MEETING_TEXT = ("topic", "kind", "attendees", "situation", "judgement", "risk_level", "follow_ups")


def _save_meeting(consultation: Consultation, *, actor, data: dict, reason) -> Consultation:
    checked = _check_meeting(actor, data, timezone.now())
    for name in MEETING_TEXT:
        setattr(consultation, name, _text(data, name))
    consultation.convener = checked["convener"]
    consultation.region_id = checked["convener"].region_id
    consultation.held_at = checked["held_at"]
    consultation.warning = checked["warning"]
    records.validate(consultation)
    records.save_with_history(
        consultation, actor, record_text(reason), m2m={"departments": checked["departments"]}
    )
    records.ensure_in_scope(actor, MANAGE, consultation, "convener")
    return consultation


def record_consultation(*, actor, data: dict) -> Consultation:
    """登记会商研判: the meeting as held, for a unit the actor acts for."""
    require_right(actor, MANAGE)
    with transaction.atomic():
        consultation = Consultation(recorded_by=actor)
        return _save_meeting(consultation, actor=actor, data=data, reason=gettext_lazy("登记会商研判"))


def update_consultation(*, actor, consultation_pk: int, data: dict) -> Consultation:
    """修改会商研判 (e.g. the warning issued afterwards); the history keeps what it said before."""
    with transaction.atomic():
        consultation = selectors.access_consultation(actor, consultation_pk, for_update=True)
        require_convener(actor, consultation)
        return _save_meeting(consultation, actor=actor, data=data, reason=gettext_lazy("修改会商研判"))


# ---------------------------------------------------------------- bulletins


def _bulletin_url(bulletin) -> str:
    return reverse("warnings:bulletin-detail", args=[bulletin.pk])


def _receipt_url(task) -> str:
    return reverse("warnings:bulletin-receipt", args=[task.pk])


def _body(content: str, measures: list[str]) -> str:
    lines = [content, "", str(_("应采取的防范措施："))]
    lines += [f"{index}. {text}" for index, text in enumerate(measures, start=1)]
    return "\n".join(lines)


def send_bulletin(*, actor, consultation_pk: int, data: dict) -> Bulletin:
    """发出安全风险提示单 from a meeting, in the convener's name, to each chosen unit for confirmation within the
    period its risk level gives (or the one the sender sets, 1–72 hours)."""
    with transaction.atomic():
        consultation = selectors.access_consultation(actor, consultation_pk, for_update=True)
        require_convener(actor, consultation)
        measures = rules.measure_lines(data.get("measures") or "")
        if not measures:
            raise DomainError(
                ErrorCode.NO_MEASURE, _("请至少填写一条防范措施（每行一条）。"), field="measures"
            )
        too_long = next((m for m in measures if len(m) > 500), None)
        if too_long is not None:
            raise DomainError(ErrorCode.NO_MEASURE, _("每条防范措施不超过 500 字。"), field="measures")
        risk_level = data.get("risk_level") or ""
        if risk_level not in rules.RISK_LEVEL_LABELS:
            raise DomainError(ErrorCode.RISK_LEVEL, _("请选择风险等级。"), field="risk_level")
        hours = data.get("confirm_hours")
        if hours is not None and not rules.confirm_hours_ok(hours):
            low, high = rules.BULLETIN_CONFIRM_BOUNDS
            raise DomainError(
                ErrorCode.CONFIRM_HOURS,
                _("确认时限须在 %(low)s 至 %(high)s 小时之间。") % {"low": low, "high": high},
                field="confirm_hours",
            )
        chosen = list(data.get("recipients") or [])
        allowed = selectors.bulletin_recipients(actor).exclude(pk=consultation.convener_id)
        valid = set(allowed.filter(pk__in=[u.pk for u in chosen]).values_list("pk", flat=True))
        stray = [u for u in chosen if u.pk not in valid]
        if stray:
            raise DomainError(
                ErrorCode.RECIPIENT_INVALID,
                _("接收单位“%(unit)s”不在您的管辖范围内，或不能接收。") % {"unit": stray[0]},
                field="recipients",
            )
        now = timezone.now()
        confirm_within = rules.bulletin_confirm_within(risk_level, hours)
        bulletin = Bulletin(
            consultation=consultation,
            title=_text(data, "title"),
            risk_level=risk_level,
            content=_text(data, "content"),
            sender_unit=consultation.convener,
            region_id=consultation.region_id,
            sent_at=now,
            confirm_by=now + confirm_within,
            sent_by=actor,
        )
        records.validate(bulletin)
        records.save_with_history(bulletin, actor, record_text(gettext_lazy("发出安全风险提示单")))
        for position, text in enumerate(measures, start=1):
            measure = BulletinMeasure(bulletin=bulletin, position=position, text=text)
            records.save_with_history(measure, actor, "")
        tasks = receipts.send_for_receipt(
            actor=actor,
            subject=bulletin,
            kind=BULLETIN_TASK,
            title=record_text(gettext_lazy("安全风险提示单：%(title)s"), title=bulletin.title),
            body=_body(bulletin.content, measures),
            recipients=chosen,
            confirm_within=confirm_within,
            sender_unit=consultation.convener,
        )
        records.ensure_in_scope(actor, MANAGE, bulletin, "__all__")
        for task in tasks:
            users = units.members(task.recipient_unit)
            transaction.on_commit(
                lambda task=task, users=users: notify(
                    users,
                    kind=NOTICE,
                    title=task.title,
                    body=str(_("请在 %(at)s 前确认收到并反馈防范措施落实情况。"))
                    % {"at": timezone.localtime(task.confirm_by).strftime("%Y-%m-%d %H:%M")},
                    url=_receipt_url(task),
                    dedupe_key=f"bulletin:{bulletin.pk}:task:{task.pk}:sent",
                )
            )
    return bulletin


def close_bulletin(*, actor, bulletin_pk: int, reason: str = "") -> Bulletin:
    """办结: the sender closes the bulletin; units that never confirmed are no longer chased (their tasks are
    withdrawn, the page still shows they did not confirm)."""
    with transaction.atomic():
        bulletin = selectors.access_bulletin(actor, bulletin_pk, for_update=True)
        require(actor, MANAGE, bulletin)
        apply_transition(
            bulletin,
            find(Bulletin.TRANSITIONS, "close"),
            actor=actor,
            reason=reason,
            changes={"closed_at": timezone.now()},
        )
        receipts.cancel_many(selectors.tasks_of(bulletin))
    return bulletin


# ---------------------------------------------------------------- the recipient unit


def _recipient_task(actor, task_pk: int) -> tuple[ReceiptTask, Bulletin]:
    task = selectors.access_task(actor, task_pk)
    if not receipts.may_confirm(actor, task):
        raise DomainError(ErrorCode.NOT_RECIPIENT, _("只有接收单位的人员可以确认和反馈。"), field="__all__")
    bulletin = selectors.bulletin_of(task)
    if bulletin.status != Bulletin.Status.SENT:
        raise DomainError(ErrorCode.BULLETIN_CLOSED, _("该提示单已办结，不能再确认或反馈。"), field="__all__")
    return task, bulletin


def confirm_bulletin(*, actor, task_pk: int) -> ReceiptTask:
    """确认收到: a member of the recipient unit, once (the kernel's receipt)."""
    with transaction.atomic():
        task, _bulletin = _recipient_task(actor, task_pk)
        return receipts.confirm_receipt(actor=actor, task=task)


def report_measure(*, actor, task_pk: int, measure_pk: int, done: bool, note: str = "") -> MeasureReport:
    """反馈落实情况 of one measure, after confirming receipt: done, or not yet with the reason; reported again, the
    report is updated (its history keeps the earlier one)."""
    note = (note or "").strip()
    with transaction.atomic():
        task, bulletin = _recipient_task(actor, task_pk)
        if task.status != ReceiptTask.Status.CONFIRMED:
            raise DomainError(ErrorCode.NOT_CONFIRMED, _("请先确认收到，再反馈落实情况。"), field="__all__")
        measure = BulletinMeasure.objects.filter(pk=measure_pk, bulletin=bulletin).first()
        if measure is None:
            raise DomainError(ErrorCode.MEASURE_INVALID, _("该措施不属于本提示单。"), field="measure")
        if not rules.measure_report_complete(done, note):
            raise DomainError(ErrorCode.NOTE_REQUIRED, _("未落实的措施请说明原因和计划。"), field="note")
        report = MeasureReport.objects.select_for_update().filter(
            measure=measure, task=task
        ).first() or MeasureReport(measure=measure, task=task, unit_id=task.recipient_unit_id)
        report.done, report.note = bool(done), note
        report.reported_by, report.reported_at = actor, timezone.now()
        records.validate(report)
        records.save_with_history(report, actor, record_text(gettext_lazy("反馈措施落实情况")))
    return report


# ---------------------------------------------------------------- escalation (core.receipt_escalated)


def bulletin_escalated(*, task, level: int) -> None:
    """`core.receipt_escalated` of a bulletin task: the recipient unit's heads and the county duty office are
    told, once per task and level."""
    if task.kind != BULLETIN_TASK:
        return
    bulletin = Bulletin.objects.filter(pk=task.object_id, status=Bulletin.Status.SENT).first()
    if bulletin is None or task.recipient_unit_id is None:
        return
    heads = recipients.unit_heads(task.recipient_unit)
    duty = recipients.duty_office(task.region_id)
    title = str(_("安全风险提示单逾期未确认：%(title)s") % {"title": bulletin.title})
    body = str(
        _("接收单位“%(unit)s”超过确认时限仍未确认（第 %(level)s 次升级）。")
        % {"unit": task.recipient_unit, "level": level}
    )
    key = f"bulletin:{bulletin.pk}:task:{task.pk}:escalated:{level}"
    # Each is sent the page they can open: the unit's heads their receipt, the duty office the bulletin.
    transaction.on_commit(
        lambda: notify(heads, kind=NOTICE, title=title, body=body, url=_receipt_url(task), dedupe_key=key)
    )
    transaction.on_commit(
        lambda: notify(duty, kind=NOTICE, title=title, body=body, url=_bulletin_url(bulletin), dedupe_key=key)
    )
