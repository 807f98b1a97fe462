"""SMS backends. `settings.ANLAN_SMS_BACKEND` names the class; the default only writes to the log."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("anlan.sms")


class BaseSmsBackend:
    """Send one text message; raise on failure (the caller logs it and carries on)."""

    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes the message to the `anlan.sms` log instead of sending it (development, tests, no gateway)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in `LocmemSmsBackend.outbox` (for tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        LocmemSmsBackend.outbox.append((phone, text))


def get_backend() -> BaseSmsBackend:
    return import_string(settings.ANLAN_SMS_BACKEND)()
