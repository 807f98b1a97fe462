"""SMS backends. `settings.ANLAN_SMS_BACKEND` names the class; the default only writes to the log."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("anlan.sms")


class BaseSmsBackend:
    """Send one text message; raise on failure (the caller logs it and carries on). `key`, when given, is an
    idempotency key: a gateway that supports one sends a message with a key it has seen only once, so a caller
    that retries after a crash (at-least-once) does not make the phone ring twice."""

    def send(self, phone: str, text: str, key: str = "") -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes the message to the `anlan.sms` log instead of sending it (development, tests, no gateway)."""

    def send(self, phone: str, text: str, key: str = "") -> None:
        logger.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in `LocmemSmsBackend.outbox` and their idempotency keys in `keys` (for tests)."""

    outbox: list[tuple[str, str]] = []
    keys: list[str] = []

    def send(self, phone: str, text: str, key: str = "") -> None:
        LocmemSmsBackend.outbox.append((phone, text))
        LocmemSmsBackend.keys.append(key)


def get_backend() -> BaseSmsBackend:
    return import_string(settings.ANLAN_SMS_BACKEND)()
