"""Receipt-confirmed tasks (接收确认): "send X to a unit or a person, who must confirm it; escalate when they
don't" — one primitive for warnings, joint measures on a suspension, 督查 problems, 会商 bulletins.

`send_for_receipt` writes one `ReceiptTask` per recipient and emits `core.receipt_sent`; `confirm_receipt`
accepts only a member of the recipient unit or the recipient user and emits `core.receipt_confirmed`;
`cancel` withdraws an open task (the sender only). The sweep escalates an open task one level when its
escalation time has come (`rules.receipt_escalation_due_at`: the deadline, then one confirmation period per
level) and emits `core.receipt_escalated` with `task` and `level`; who is told is up to the handlers of that
event. Every status change goes through the `ReceiptTask.TRANSITIONS` table (compare-and-set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import contract, rules, units
from .audit import system_actor
from .errors import DomainError, ErrorCode
from .models import ReceiptTask, Unit, User
from .records import save_with_history, validate
from .workflow import apply_transition, find

CHUNK = 500
# An unconfirmed task escalates at most this many times (then it stays escalated until confirmed or cancelled).
MAX_ESCALATION_LEVEL = 3
OPEN = ReceiptTask.OPEN


def _region_of(recipient_unit: Unit | None, subject, sender_unit: Unit | None):
    """The task's region: the recipient unit's, else the subject's, else the sending unit's."""
    for candidate in (recipient_unit, subject, sender_unit):
        region_id = getattr(candidate, "region_id", None)
        if region_id:
            return region_id
    return None


def send_for_receipt(
    *,
    actor,
    subject,
    kind: str,
    title: str,
    body: str = "",
    recipients: list[Unit | User],
    confirm_within: timedelta,
    sender_unit: Unit | None = None,
) -> list[ReceiptTask]:
    """Send `subject` (any record with an integer key) to each recipient, to be confirmed within
    `confirm_within`: one task per recipient (duplicates in the list are sent once)."""
    if not recipients:
        raise DomainError(
            ErrorCode.RECEIPT_NO_RECIPIENT, _("请至少选择一个接收单位或接收人。"), field="recipients"
        )
    if confirm_within <= timedelta(0):
        raise DomainError(
            ErrorCode.RECEIPT_BAD_DEADLINE, _("确认时限必须晚于发送时间。"), field="confirm_within"
        )
    if not isinstance(subject.pk, int):
        raise DomainError(ErrorCode.RECEIPT_SUBJECT_KEY, _("该类记录不能发送接收确认。"), field="subject")
    if sender_unit is not None and not actor.is_superuser and not units.is_member(actor, sender_unit):
        raise DomainError(
            ErrorCode.RECEIPT_NOT_SENDER_MEMBER,
            _("您不属于发送单位“%(unit)s”，不能以其名义发送。") % {"unit": sender_unit},
            field="sender_unit",
        )
    sent_at = timezone.now()
    confirm_by = sent_at + confirm_within
    content_type = ContentType.objects.get_for_model(subject)
    tasks, seen = [], set()
    with transaction.atomic():
        for recipient in recipients:
            if isinstance(recipient, Unit):
                key, values = ("unit", recipient.pk), {"recipient_unit": recipient}
                if not recipient.is_active:
                    raise DomainError(
                        ErrorCode.UNIT_INACTIVE,
                        _("单位“%(unit)s”已停用，不能接收。") % {"unit": recipient},
                        field="recipients",
                    )
            elif isinstance(recipient, User):
                key, values = ("user", recipient.pk), {"recipient_user": recipient}
            else:
                raise DomainError(
                    ErrorCode.RECEIPT_BAD_RECIPIENT, _("接收方只能是单位或用户。"), field="recipients"
                )
            if key in seen:
                continue
            seen.add(key)
            region_id = _region_of(values.get("recipient_unit"), subject, sender_unit)
            if region_id is None:
                raise DomainError(
                    ErrorCode.RECEIPT_NO_REGION, _("无法确定该任务的所属区划。"), field="recipients"
                )
            task = ReceiptTask(
                content_type=content_type,
                object_id=subject.pk,
                kind=kind,
                title=title,
                body=body,
                sender=actor,
                sender_unit=sender_unit,
                region_id=region_id,
                sent_at=sent_at,
                confirm_by=confirm_by,
                next_escalation_at=rules.receipt_escalation_due_at(sent_at, confirm_by, 0),
                **values,
            )
            validate(task)
            save_with_history(task, actor, "")
            contract.emit("core.receipt_sent", task=task)
            tasks.append(task)
    return tasks


@dataclass(frozen=True)
class Addressee:
    """One recipient of `send_many`: a unit, a user, or a contact without an account (name and phone), with
    the region the task is filed under (the recipient's, for a board by region)."""

    region_id: str
    unit_id: int | None = None
    user_id: int | None = None
    name: str = ""
    phone: str = ""


_LINK_SIGNER = signing.Signer(salt="anlan.core.receipts.link", sep=".")


def link_token(task: ReceiptTask) -> str:
    """The token of a task's confirmation link: the task's key, signed (the same every time it is asked for,
    so a message sent again carries the same link; nothing secret is stored)."""
    return _LINK_SIGNER.sign(str(task.pk))


def send_many(
    *,
    actor,
    subject,
    kind: str,
    title: str,
    body: str = "",
    addressees: list[Addressee],
    confirm_within: timedelta,
    sender_unit: Unit | None = None,
    sent_at: datetime | None = None,
    link_expires_at: datetime | None = None,
) -> list[ReceiptTask]:
    """`send_for_receipt` for many recipients at once (a warning to tens of thousands): one INSERT per batch,
    no history row per task (the subject's own history records the sending) and no `core.receipt_sent` per
    task. With `link_expires_at`, each task gets a confirmation link token, returned beside it once (only
    its hash is stored). The caller decides idempotency (which addressees still lack a task)."""
    if confirm_within <= timedelta(0):
        raise DomainError(
            ErrorCode.RECEIPT_BAD_DEADLINE, _("确认时限必须晚于发送时间。"), field="confirm_within"
        )
    if not isinstance(subject.pk, int):
        raise DomainError(ErrorCode.RECEIPT_SUBJECT_KEY, _("该类记录不能发送接收确认。"), field="subject")
    sent_at = sent_at or timezone.now()
    confirm_by = sent_at + confirm_within
    first_escalation = rules.receipt_escalation_due_at(sent_at, confirm_by, 0)
    content_type = ContentType.objects.get_for_model(subject)
    tasks: list[ReceiptTask] = []
    for each in addressees:
        if each.unit_id is None and each.user_id is None and not each.phone:
            raise DomainError(
                ErrorCode.RECEIPT_BAD_RECIPIENT,
                _("接收方只能是单位、用户或有电话的联系人。"),
                field="recipients",
            )
        task = ReceiptTask(
            content_type=content_type,
            object_id=subject.pk,
            kind=kind,
            title=title[:200],
            body=body,
            sender=actor,
            sender_unit=sender_unit,
            recipient_unit_id=each.unit_id,
            recipient_user_id=each.user_id,
            recipient_name=each.name[:50],
            recipient_phone=each.phone[:20],
            region_id=each.region_id,
            sent_at=sent_at,
            confirm_by=confirm_by,
            next_escalation_at=first_escalation,
            token_expires_at=link_expires_at,
        )
        tasks.append(task)
    ReceiptTask.objects.bulk_create(tasks, batch_size=CHUNK)
    return tasks


def task_for_token(token: str, *, now: datetime | None = None) -> ReceiptTask:
    """The task a confirmation link opens; a DomainError when the link is unknown, revoked or expired."""
    now = now or timezone.now()
    try:
        pk = int(_LINK_SIGNER.unsign(token or ""))
    except (signing.BadSignature, ValueError):
        pk = None
    task = ReceiptTask.objects.filter(pk=pk, token_expires_at__isnull=False).first() if pk else None
    if task is None:
        raise DomainError(ErrorCode.RECEIPT_LINK_INVALID, _("确认链接无效。"), field="token")
    if task.token_revoked_at is not None:
        raise DomainError(ErrorCode.RECEIPT_LINK_INVALID, _("确认链接已失效。"), field="token")
    if task.token_expires_at <= now:
        raise DomainError(ErrorCode.RECEIPT_LINK_INVALID, _("确认链接已过期。"), field="token")
    return task


def confirm_by_token(token: str, *, now: datetime | None = None) -> ReceiptTask:
    """Confirm through the recipient's link (no login): once; a confirmed task stays as it was."""
    with transaction.atomic():
        task = _locked(task_for_token(token, now=now))
        if task.status == ReceiptTask.Status.CONFIRMED:
            return task
        if task.status not in OPEN:
            raise DomainError(ErrorCode.RECEIPT_CLOSED, _("该任务已撤销，不能确认。"), field="__all__")
        apply_transition(
            task,
            find(ReceiptTask.TRANSITIONS, "confirm_by_link"),
            actor=system_actor(),
            changes={"confirmed_at": now or timezone.now(), "confirmed_via": ReceiptTask.ConfirmedVia.LINK},
        )
        contract.emit("core.receipt_confirmed", task=task)
    return task


def revoke_links(tasks, *, now: datetime | None = None) -> int:
    """Revoke the confirmation links of these tasks (a queryset): the links stop working at once."""
    return tasks.filter(token_revoked_at__isnull=True, token_expires_at__isnull=False).update(
        token_revoked_at=now or timezone.now()
    )


def cancel_many(tasks) -> int:
    """Withdraw the open tasks among `tasks` (a queryset) in one UPDATE — a warning lifted or re-issued: no
    history row per task (the subject's history records why). Links keep opening (to say so) until they expire."""
    return tasks.filter(status__in=OPEN).update(status=ReceiptTask.Status.CANCELLED)


def may_confirm(user, task: ReceiptTask) -> bool:
    """The recipient user, or a member of the recipient unit (units.is_member)."""
    if task.recipient_user_id is not None and task.recipient_user_id == getattr(user, "pk", None):
        return True
    return task.recipient_unit_id is not None and units.is_member(user, task.recipient_unit)


def _locked(task: ReceiptTask) -> ReceiptTask:
    return (
        ReceiptTask.objects.select_for_update(of=("self",)).select_related("recipient_unit").get(pk=task.pk)
    )


def confirm_receipt(*, actor, task: ReceiptTask) -> ReceiptTask:
    """Confirm receipt: only the recipient user or a member of the recipient unit; once."""
    with transaction.atomic():
        task = _locked(task)
        if not may_confirm(actor, task):
            raise DomainError(
                ErrorCode.RECEIPT_NOT_RECIPIENT,
                _("只有接收单位的人员或接收人本人可以确认。"),
                field="__all__",
            )
        if task.status == ReceiptTask.Status.CONFIRMED:
            raise DomainError(ErrorCode.RECEIPT_ALREADY_CONFIRMED, _("该任务已确认。"), field="__all__")
        if task.status not in OPEN:
            raise DomainError(ErrorCode.RECEIPT_CLOSED, _("该任务已撤销，不能确认。"), field="__all__")
        apply_transition(
            task,
            find(ReceiptTask.TRANSITIONS, "confirm"),
            actor=actor,
            changes={
                "confirmed_at": timezone.now(),
                "confirmed_by": actor,
                "confirmed_via": ReceiptTask.ConfirmedVia.IN_APP,
            },
        )
        contract.emit("core.receipt_confirmed", task=task)
    return task


def cancel(*, actor, task: ReceiptTask, reason: str) -> ReceiptTask:
    """Withdraw an open task (its sender only); the reason is required."""
    if not (reason or "").strip():
        raise DomainError(ErrorCode.RECEIPT_REASON_REQUIRED, _("撤销必须填写原因。"), field="reason")
    with transaction.atomic():
        task = _locked(task)
        if task.sender_id != actor.pk and not actor.is_superuser:
            raise DomainError(ErrorCode.RECEIPT_NOT_SENDER, _("只有发送人可以撤销。"), field="__all__")
        if task.status not in OPEN:
            raise DomainError(
                ErrorCode.RECEIPT_CLOSED,
                _("该任务已%(status)s，不能撤销。") % {"status": task.get_status_display()},
                field="__all__",
            )
        apply_transition(task, find(ReceiptTask.TRANSITIONS, "cancel"), actor=actor, reason=reason.strip())
    return task


# ---------------------------------------------------------------- the sweep


def _escalate(pk: int, level: int, now: datetime, actor) -> ReceiptTask | None:
    """Claim the task at `level` (a conditional UPDATE on id AND level: of two workers one wins) and move it
    one level up; None when another worker or a confirmation got there first."""
    with transaction.atomic():
        task = ReceiptTask.objects.filter(pk=pk, escalation_level=level, status__in=OPEN).first()
        if task is None:
            return None
        won = ReceiptTask.objects.filter(pk=pk, escalation_level=level, status__in=OPEN).update(
            escalation_level=level + 1,
            escalated_at=now,
            next_escalation_at=rules.receipt_escalation_due_at(task.sent_at, task.confirm_by, level + 1),
        )
        if not won:
            return None
        task.refresh_from_db()
        apply_transition(task, find(ReceiptTask.TRANSITIONS, "escalate"), actor=actor)
        contract.emit("core.receipt_escalated", task=task, level=task.escalation_level)
    return task


def sweep(*, today: date, now: datetime, stdout=None) -> dict[str, int]:
    """Escalate every open task whose escalation time has come, one level per run."""
    due = ReceiptTask.objects.filter(
        status__in=OPEN, next_escalation_at__lte=now, escalation_level__lt=MAX_ESCALATION_LEVEL
    )
    actor = system_actor()
    escalated, last = 0, 0
    while True:
        rows = list(due.filter(pk__gt=last).order_by("pk").values_list("pk", "escalation_level")[:CHUNK])
        if not rows:
            break
        for pk, level in rows:
            if _escalate(pk, level, now, actor) is not None:
                escalated += 1
        last = rows[-1][0]
    if stdout is not None and escalated:
        stdout.write(f"receipts: {escalated} escalated")
    return {"escalated": escalated}
