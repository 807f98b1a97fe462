"""Sending a warning's revision (job `warnings.dispatch`), resumable at every step.

1. The list: built if the revision has none yet (a level change builds it here).
2. Receipt tasks and in-app messages, a chunk at a time, each chunk one transaction: the recipients of the
   chunk still without a task get one (kernel `receipts.send_many`, with a confirmation link until the warning
   ends plus 24 hours) and the users among them an in-app message whose dedupe key makes it exactly-once.
   A worker killed mid-chunk rolls the chunk back; the re-run (the reaper re-queues the job) takes it again.
3. SMS and e-mail, a chunk at a time: sent, then marked. A worker killed between the two sends that chunk
   again on the re-run — at-least-once — with the same idempotency key (warning, revision, recipient) for the
   gateway to drop the repeat, and the same link (links are derived from the task, not stored).

4. The signed webhooks (services/webhooks.py), each delivery stored before it is POSTed.

A lifting (params `lifted`) sends the 解除 notice to the revision's recipients the same way, without tasks.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import receipts
from anlan.core.audit import system_actor
from anlan.core.models import ReceiptTask
from anlan.notifications.services import notify
from anlan.notifications.sms import get_backend

from .. import rules
from ..models import Warning, WarningRecipient
from . import targeting, webhooks
from .warnings import TASK_KIND, confirm_period

logger = logging.getLogger("anlan.warnings")
CHUNK = 1000
MAX_ATTEMPTS = 5
WARNING_NOTICE = "warnings.warning"


def link_url(task: ReceiptTask) -> str:
    from django.conf import settings

    base = settings.ANLAN_PUBLIC_URL.rstrip("/")
    return f"{base}{reverse('warnings:warning-confirm-link', args=[receipts.link_token(task)])}"


def _text(warning: Warning, lifted: bool) -> tuple[str, str]:
    if lifted:
        title = _("【预警解除】%(title)s") % {"title": warning.title}
        body = warning.lift_reason
    else:
        title = _("【%(level)s预警】%(title)s") % {"level": warning.level_label, "title": warning.title}
        body = "\n".join(
            part
            for part in (
                _("可能影响的范围：%(area)s") % {"area": warning.area},
                _("警示事项：%(matters)s") % {"matters": warning.matters},
                _("应当采取的措施：%(measures)s") % {"measures": warning.measures},
                _("发布单位：%(issuer)s") % {"issuer": warning.issuer or ""},
            )
            if part
        )
    return title[:200], body


def dispatch_job(run) -> dict:
    params = run.params
    warning = Warning.objects.select_related("region", "issuer").get(pk=params["warning"])
    revision = params["revision"]
    lifted = bool(params.get("lifted"))
    if warning.revision != revision and not lifted:
        return {"skipped": "superseded"}  # a newer level change has its own job
    rows = WarningRecipient.objects.filter(warning=warning, revision=revision)
    if not lifted and not rows.exists():
        targeting.store(warning, revision)
    total = rows.count()
    run.progress(0, total, force=True)
    created = 0 if lifted else _tasks_and_messages(warning, revision, run, total)
    if lifted:
        _lifted_messages(warning, revision)
    sent = _sms_and_mail(warning, revision, lifted, run, total)
    pushed = webhooks.send(warning, revision, lifted)
    run.progress(total, total, force=True)
    return {"recipients": total, "tasks": created, "sms": sent, "webhooks": pushed}


def _tasks_and_messages(warning: Warning, revision: int, run, total: int) -> int:
    actor = system_actor()
    title, body = _text(warning, lifted=False)
    url = reverse("warnings:warning-detail", args=[warning.pk])
    until = rules.token_valid_until(warning.starts_at, warning.ends_at, warning.lifted_at)
    within = confirm_period(warning.level)
    pending = WarningRecipient.objects.filter(warning=warning, revision=revision, task__isnull=True)
    created = 0
    while True:
        with transaction.atomic():
            chunk = list(pending.select_for_update(skip_locked=True).order_by("pk")[:CHUNK])
            if not chunk:
                break
            tasks = receipts.send_many(
                actor=actor,
                subject=warning,
                kind=TASK_KIND,
                title=title,
                body=body,
                addressees=[
                    receipts.Addressee(
                        region_id=row.region_id,
                        user_id=row.user_id,
                        name=row.name if row.user_id is None else "",
                        phone=row.phone if row.user_id is None else "",
                    )
                    for row in chunk
                ],
                confirm_within=within,
                sender_unit=warning.issuer,
                sent_at=warning.issued_at,
                link_expires_at=until,
            )
            now = timezone.now()
            for row, task in zip(chunk, tasks, strict=True):
                row.task = task
                if row.user_id:
                    row.in_app_at = now
            WarningRecipient.objects.bulk_update(chunk, ["task", "in_app_at"], batch_size=CHUNK)
            users = [row.user_id for row in chunk if row.user_id]
            if users:
                notify(
                    users,
                    kind=WARNING_NOTICE,
                    title=title,
                    body=body,
                    url=url,
                    dedupe_key=f"warning:{warning.pk}:r{revision}",
                    deliver=False,
                )
            created += len(chunk)
        run.progress(created, total)
    return created


def _lifted_messages(warning: Warning, revision: int) -> None:
    title, body = _text(warning, lifted=True)
    users = WarningRecipient.objects.filter(
        warning=warning, revision=revision, user__isnull=False
    ).values_list("user_id", flat=True)
    notify(
        list(users),
        kind=WARNING_NOTICE,
        title=title,
        body=body,
        url=reverse("warnings:warning-detail", args=[warning.pk]),
        dedupe_key=f"warning:{warning.pk}:lifted",
        deliver=False,
    )


def _sms_and_mail(warning: Warning, revision: int, lifted: bool, run, total: int) -> int:
    """SMS to every recipient with a phone (with the confirmation link for those who confirm by it), e-mail to
    those with an address; each row marked after its message (at-least-once)."""
    field = "lift_sms_at" if lifted else "sms_at"
    title, _body = _text(warning, lifted)
    backend = get_backend()
    todo = WarningRecipient.objects.filter(warning=warning, revision=revision).exclude(phone="", email="")
    todo = todo.filter(**{f"{field}__isnull": True}).select_related("task")
    sent = 0
    last = 0
    while True:
        chunk = list(todo.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            break
        done = []
        for row in chunk:
            text = title
            if not lifted and row.task is not None and row.task.is_open:
                text = f"{title} {_('请点击确认收到：')}{link_url(row.task)}"
            try:
                if row.phone:
                    backend.send(row.phone, text, key=f"warning:{warning.pk}:r{revision}:{field}:{row.pk}")
                if row.email and not lifted:
                    send_mail(title, text, None, [row.email])
            except Exception:
                logger.exception("warning %s: message to recipient %s failed", warning.pk, row.pk)
                WarningRecipient.objects.filter(pk=row.pk).update(sms_attempts=row.sms_attempts + 1)
                continue
            done.append(row.pk)
        now = timezone.now()
        WarningRecipient.objects.filter(pk__in=done).update(
            **{field: now}, sms_attempts=F("sms_attempts") + 1
        )
        sent += len(done)
        last = chunk[-1].pk
        run.progress(min(total, sent), total)
    return sent


def sweep(*, today, now, stdout=None) -> dict[str, int]:
    """Send again the SMS that failed (at most MAX_ATTEMPTS times) for the live revision of each live warning;
    rows never tried are the dispatch job's. Idempotent; several workers may run it."""
    retried = 0
    live = Warning.objects.filter(status=rules.ISSUED)
    backend = get_backend()
    failed = (
        WarningRecipient.objects.filter(
            warning__in=live,
            revision=F("warning__revision"),
            sms_at__isnull=True,
            sms_attempts__gte=1,
            sms_attempts__lt=MAX_ATTEMPTS,
        )
        .exclude(phone="")
        .select_related("warning", "task")
        .order_by("pk")
    )
    for row in failed[:CHUNK]:
        title, _body = _text(row.warning, lifted=False)
        text = title
        if row.task is not None and row.task.is_open:
            text = f"{title} {_('请点击确认收到：')}{link_url(row.task)}"
        claimed = WarningRecipient.objects.filter(
            pk=row.pk, sms_at__isnull=True, sms_attempts=row.sms_attempts
        ).update(sms_attempts=row.sms_attempts + 1)
        if not claimed:
            continue  # another worker has it
        try:
            backend.send(row.phone, text, key=f"warning:{row.warning_id}:r{row.revision}:sms_at:{row.pk}")
        except Exception:
            logger.exception("warning %s: SMS to recipient %s failed again", row.warning_id, row.pk)
            continue
        WarningRecipient.objects.filter(pk=row.pk).update(sms_at=now)
        retried += 1
    pushed = webhooks.retry()
    if stdout is not None and (retried or pushed):
        stdout.write(f"warnings: {retried} SMS sent again, {pushed} webhook deliveries made")
    return {"sms_retried": retried, "webhooks_retried": pushed}
