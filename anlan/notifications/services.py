"""Sending notifications: `notify()` writes the in-app messages and, after commit, e-mail and SMS.

Other modules call only `notify()` (who to tell comes from `anlan.core.recipients`). Deduplication rests on the database: a unique
constraint on (recipient, dedupe_key) and `bulk_create(ignore_conflicts=True)`, so two workers notifying
the same event at once still create one message per recipient and only the one that created it sends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Notification
from .sms import get_backend

logger = logging.getLogger("anlan.notifications")


def _user_ids(recipients):
    """The recipients' keys: a subquery for a queryset of users (no separate round trip), else a set."""
    if isinstance(recipients, QuerySet):
        return recipients.values("pk")
    return {getattr(r, "pk", r) for r in recipients if r is not None}


def notify(
    recipients: Iterable,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    deliver: bool = True,
) -> int:
    """Create one notification per distinct active recipient; returns how many were created.

    With a non-empty `dedupe_key`, a recipient who already has a message with that key gets nothing new,
    however often (or however concurrently) this is called. E-mail and SMS go out after the transaction
    commits, only for the messages this call created, only to recipients with an address or a phone — unless
    `deliver` is false: a caller that sends its own e-mail and SMS (a warning's dispatch, which tracks each
    delivery) asks for the in-app messages only.
    """
    users = list(
        get_user_model()
        .objects.filter(pk__in=_user_ids(recipients), is_active=True)
        .only("pk", "email", "phone")
        .order_by("pk")
    )
    if not users:
        return 0
    # One timestamp for this call's rows: it tells them apart from rows a concurrent call inserted.
    stamp = timezone.now()
    rows = [
        Notification(
            recipient_id=user.pk,
            kind=kind,
            title=title,
            body=body,
            url=url,
            dedupe_key=dedupe_key,
            created_at=stamp,
        )
        for user in users
    ]
    with transaction.atomic():
        if dedupe_key:
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            created_ids = set(
                Notification.objects.filter(
                    dedupe_key=dedupe_key, recipient_id__in=[u.pk for u in users], created_at=stamp
                ).values_list("recipient_id", flat=True)
            )
            created = [user for user in users if user.pk in created_ids]
        else:
            Notification.objects.bulk_create(rows)
            created = users
        if created and deliver:
            contacts = [(user.email, getattr(user, "phone", "")) for user in created]
            transaction.on_commit(lambda: _deliver(contacts, title, body, url))
    return len(created)


def notify_after_commit(recipients: Iterable, **kwargs) -> None:
    """`notify(recipients, **kwargs)` once the caller's transaction commits — nothing if it rolls back. The
    recipients are read now, as the step that names them sees them."""
    recipients = list(recipients)
    transaction.on_commit(lambda: notify(recipients, **kwargs))


def _deliver(contacts: list[tuple[str, str]], title: str, body: str, url: str) -> None:
    """E-mail and SMS, each failure logged and never raised (the in-app message is already stored)."""
    text = "\n\n".join(part for part in (body, url) if part)
    for email, _phone in contacts:
        if not email:
            continue
        try:
            send_mail(title, text, None, [email])
        except Exception:
            logger.exception("notification e-mail to %s failed", email)
    phones = [phone for _email, phone in contacts if phone]
    if not phones:
        return
    try:
        backend = get_backend()
    except Exception:
        logger.exception("SMS backend could not be loaded")
        return
    for phone in phones:
        try:
            backend.send(phone, title)
        except Exception:
            logger.exception("notification SMS to %s failed", phone)


def inbox(user, *, unread: bool = False) -> QuerySet:
    """The user's own messages, newest first (only the unread ones with `unread`): the page and the API."""
    messages = Notification.objects.filter(recipient=user)
    return messages.filter(read_at__isnull=True) if unread else messages


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox(user, unread=True).count()


def mark_read(*, actor, notification_pk) -> Notification:
    """Mark one of the actor's own messages read (someone else's is 404, as if it did not exist)."""
    notification = get_object_or_404(Notification, pk=notification_pk, recipient=actor)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, actor) -> int:
    return inbox(actor, unread=True).update(read_at=timezone.now())
