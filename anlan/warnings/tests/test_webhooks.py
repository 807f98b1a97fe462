"""The signed webhook channel: each event POSTed once per address with a verifiable signature, retried by the
sweep until answered 2xx, never more than MAX_ATTEMPTS times."""

from __future__ import annotations

import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from anlan.core import jobs
from anlan.warnings.models import WebhookDelivery
from anlan.warnings.services import dispatch, webhooks
from anlan.warnings.services import warnings as services
from anlan.warnings.tests.factories import issued

SECRET = "s3cret-for-tests"


class Receiver:
    """A local HTTP server answering each POST with the next status of `answers` (then 200)."""

    def __init__(self):
        self.received = []
        self.answers = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the stdlib's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    receiver = Receiver()
    settings.ANLAN_WARNING_WEBHOOKS = [receiver.url]
    settings.ANLAN_WARNING_WEBHOOK_SECRET = SECRET
    settings.ANLAN_SMS_BACKEND = "anlan.notifications.sms.LocmemSmsBackend"
    yield receiver
    receiver.close()


def test_an_issued_warning_is_posted_signed_and_marked_delivered(cast, receiver):
    warning = issued(cast)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    expected = webhooks.signature(SECRET, headers["X-Anlan-Timestamp"], body)
    assert hmac.compare_digest(headers["X-Anlan-Signature"], expected)
    assert headers["X-Anlan-Delivery"] == f"warning:{warning.pk}:r1:issued"
    data = json.loads(body)
    assert data["event"] == "issued" and data["id"] == warning.pk and data["level"] == warning.level
    assert data["colour"] == "orange" and data["region_code"] == warning.region_id
    assert data["url"].endswith(f"/warnings/{warning.pk}/")
    delivery = WebhookDelivery.objects.get(warning=warning)
    assert delivery.delivered_at is not None and delivery.attempts == 1 and delivery.last_status == 200


def test_a_wrong_secret_does_not_verify(cast, receiver):
    issued(cast)
    headers, body = receiver.received[0]
    assert headers["X-Anlan-Signature"] != webhooks.signature("other", headers["X-Anlan-Timestamp"], body)


def test_level_change_and_lifting_are_their_own_events(cast, receiver):
    warning = issued(cast)
    services.change_level(actor=cast["county_office"], warning_pk=warning.pk, level=1, reason="雨势加强")
    jobs.work_off()
    services.lift(actor=cast["county_office"], warning_pk=warning.pk, reason="降雨结束")
    jobs.work_off()
    events = [json.loads(body)["event"] for _headers, body in receiver.received]
    assert events == ["issued", "updated", "lifted"]
    lifted = json.loads(receiver.received[-1][1])
    assert lifted["lift_reason"] == "降雨结束" and lifted["revision"] == 2


def test_a_failed_delivery_is_retried_by_the_sweep_until_answered(cast, receiver):
    receiver.answers = [503, 500]
    warning = issued(cast)
    delivery = WebhookDelivery.objects.get(warning=warning)
    assert delivery.delivered_at is None and delivery.last_status == 503
    dispatch.sweep(today=None, now=timezone.now())
    delivery.refresh_from_db()
    assert delivery.delivered_at is None and delivery.attempts == 2 and delivery.last_status == 500
    dispatch.sweep(today=None, now=timezone.now())
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 3
    dispatch.sweep(today=None, now=timezone.now())
    assert len(receiver.received) == 3  # nothing sent once delivered
    keys = {headers["X-Anlan-Delivery"] for headers, _body in receiver.received}
    assert keys == {delivery.key}  # the same idempotency key on every retry


def test_retries_stop_after_the_last_attempt(cast, receiver):
    receiver.answers = [500] * 10
    warning = issued(cast)
    for _round in range(webhooks.MAX_ATTEMPTS + 2):
        dispatch.sweep(today=None, now=timezone.now())
    delivery = WebhookDelivery.objects.get(warning=warning)
    assert delivery.attempts == webhooks.MAX_ATTEMPTS and delivery.delivered_at is None
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS


def test_an_unreachable_address_is_recorded_not_raised(cast, settings):
    settings.ANLAN_WARNING_WEBHOOKS = ["http://127.0.0.1:9/closed"]
    settings.ANLAN_SMS_BACKEND = "anlan.notifications.sms.LocmemSmsBackend"
    warning = issued(cast)
    delivery = WebhookDelivery.objects.get(warning=warning)
    assert delivery.delivered_at is None and delivery.last_status is None and delivery.last_error


def test_a_rerun_of_the_dispatch_does_not_post_again(cast, receiver):
    warning = issued(cast)
    webhooks.send(warning, warning.revision, lifted=False)
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.filter(warning=warning).count() == 1


def test_no_address_configured_means_no_delivery(cast, settings):
    settings.ANLAN_WARNING_WEBHOOKS = []
    settings.ANLAN_SMS_BACKEND = "anlan.notifications.sms.LocmemSmsBackend"
    warning = issued(cast)
    assert not WebhookDelivery.objects.filter(warning=warning).exists()
