"""The signed webhook channel: every warning issued, changed in level or lifted is POSTed as JSON to each
address in ANLAN_WARNING_WEBHOOKS, signed with ANLAN_WARNING_WEBHOOK_SECRET.

    X-Anlan-Timestamp: 1733280000
    X-Anlan-Delivery:  warning:12:r2:updated        (the idempotency key: the same for every retry)
    X-Anlan-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">

At least once: a delivery row is stored first (one per warning, revision, event and address), the POST made, and
the row marked only on a 2xx answer; the sweep retries the others, at most MAX_ATTEMPTS times.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from .. import rules
from ..models import Warning, WebhookDelivery

logger = logging.getLogger("anlan.warnings")
MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 10


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def event_of(revision: int, lifted: bool) -> str:
    if lifted:
        return WebhookDelivery.LIFTED
    return WebhookDelivery.ISSUED if revision == 1 else WebhookDelivery.UPDATED


def payload(warning: Warning, revision: int, event: str) -> dict:
    def stamp(value):
        return timezone.localtime(value).isoformat() if value else None

    return {
        "id": warning.pk,
        "revision": revision,
        "event": event,
        "kind": warning.kind,
        "category": warning.category,
        "hazard": warning.hazard,
        "hazard_label": str(rules.HAZARD_LABELS.get(warning.hazard, "")),
        "level": warning.level,
        "colour": rules.warning_colour(warning.level) if warning.level else None,
        "title": warning.title,
        "region_code": warning.region_id,
        "region": warning.region.name,
        "area": warning.area,
        "starts_at": stamp(warning.starts_at),
        "ends_at": stamp(warning.ends_at),
        "matters": warning.matters,
        "measures": warning.measures,
        "issuer": str(warning.issuer or ""),
        "issued_at": stamp(warning.issued_at),
        "lifted_at": stamp(warning.lifted_at),
        "lift_reason": warning.lift_reason if event == WebhookDelivery.LIFTED else "",
        "url": settings.ANLAN_PUBLIC_URL.rstrip("/") + reverse("warnings:warning-detail", args=[warning.pk]),
    }


def queue(warning: Warning, revision: int, lifted: bool) -> list[WebhookDelivery]:
    """The delivery rows of this revision's event, one per configured address (idempotent)."""
    event = event_of(revision, lifted)
    return [
        WebhookDelivery.objects.get_or_create(warning=warning, revision=revision, event=event, url=url)[0]
        for url in settings.ANLAN_WARNING_WEBHOOKS
    ]


def deliver(delivery: WebhookDelivery, *, claimed: bool = False) -> bool:
    """POST the delivery once; True when answered 2xx (the row is then marked delivered). The attempt is
    counted here unless the caller `claimed` the row by counting it already."""
    if delivery.delivered_at is not None:
        return True
    warning = Warning.objects.select_related("region", "issuer").get(pk=delivery.warning_id)
    body = json.dumps(payload(warning, delivery.revision, delivery.event), ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Anlan-Timestamp": timestamp,
            "X-Anlan-Delivery": delivery.key,
            "X-Anlan-Signature": signature(settings.ANLAN_WARNING_WEBHOOK_SECRET, timestamp, body),
        },
    )
    status, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (configured URLs)
            status = answer.status
    except urllib.error.HTTPError as failure:
        status, error = failure.code, str(failure.reason)
    except (OSError, ValueError) as failure:
        error = str(failure)
    done = status is not None and 200 <= status < 300
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + (0 if claimed else 1),
        last_status=status,
        last_error=error[:300],
        delivered_at=timezone.now() if done else None,
    )
    if not done:
        logger.warning("warning webhook %s to %s failed: %s %s", delivery.key, delivery.url, status, error)
    return done


def send(warning: Warning, revision: int, lifted: bool) -> int:
    """Queue and try each delivery of this event once; the sweep retries what failed."""
    return sum(deliver(delivery) for delivery in queue(warning, revision, lifted) if delivery.attempts == 0)


def retry(*, limit: int = 200) -> int:
    """Deliveries not yet answered 2xx, tried fewer than MAX_ATTEMPTS times; each claimed before it is tried."""
    sent = 0
    pending = WebhookDelivery.objects.filter(
        delivered_at__isnull=True, attempts__gte=1, attempts__lt=MAX_ATTEMPTS
    ).order_by("pk")
    for delivery in pending[:limit]:
        # claimed by moving its attempts on; another worker's claim of the same row updates nothing
        claimed = WebhookDelivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
            attempts=F("attempts") + 1
        )
        if claimed:
            sent += deliver(delivery, claimed=True)
    return sent
