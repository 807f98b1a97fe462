"""Alarms for tests: alarms of enterprise X (town A's village, construction — housing's industry, grid A),
made through the services as an import by the county office and handled by enterprise X."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.warnings.services import alarms as services

_numbers = iter(range(1, 10**6))


def alarm_data(cast, enterprise=None, **overrides) -> dict:
    enterprise = enterprise or cast.enterprise_x
    return {
        "uscc": enterprise.uscc,
        "source": "DCS",
        "source_id": f"A-{next(_numbers):05d}",
        "kind": "温度超限",
        "tag": "TI-1021 反应釜温度",
        "value": "86.5",
        "threshold": "80",
        "unit": "℃",
        "raised_at": timezone.now() - timedelta(minutes=30),
        **overrides,
    }


def alarm(cast, enterprise=None, **overrides):
    return services.import_alarm(actor=cast["county_office"], data=alarm_data(cast, enterprise, **overrides))


def checked_alarm(cast, **overrides):
    made = alarm(cast, **overrides)
    return services.check_alarm(actor=cast["enterprise_x"], alarm_pk=made.pk, note="现场确认温度偏高")


def resolved_alarm(cast, **overrides):
    made = checked_alarm(cast, **overrides)
    return services.resolve_alarm(
        actor=cast["enterprise_x"], alarm_pk=made.pk, resolution="开大冷却水，温度恢复"
    )
