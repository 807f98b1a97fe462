"""Helpers to file accidents through the services, as users do (the figures are the usual test inputs)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from anlan.accidents import services
from anlan.core.tests.factories import industry


def accident_data(cast, **overrides) -> dict:
    """An ordinary 高处坠落 at enterprise X (construction, village A) an hour ago: one death."""
    data = {
        "kind": "industrial",
        "type_code": "09",
        "occurred_at": timezone.now() - timedelta(minutes=30),
        "head_notified_at": None,
        "place": "东关社区建设工地3号楼",
        "region": cast.village_a,
        "enterprise": cast.enterprise_x,
        "industry": industry("construction"),
        "deaths": 1,
        "missing": 0,
        "serious_injuries": 0,
        "minor_injuries": 2,
        "direct_loss_yuan": Decimal("1200000.00"),
        "description": "一名工人在脚手架作业时坠落。",
        "preliminary_cause": "未系安全带",
        "measures_taken": "停工，现场警戒",
        "reporter_name": "王安全",
        "reporter_phone": "13800001111",
    }
    data.update(overrides)
    return data


def report(cast, actor=None, **overrides):
    return services.report_accident(
        actor=actor or cast["enterprise_x"], data=accident_data(cast, **overrides)
    )


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))
