"""Scenes for the warning tests: a complete draft over the cast's county, its list built, issued and sent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core import jobs
from anlan.warnings.services import warnings as services

TARGETS = {"groups": ["committee", "towns", "enterprises", "places", "grid"], "flags": []}


def values(cast, **overrides) -> dict:
    now = timezone.now()
    return {
        "kind": "emergency",
        "category": "natural_disaster",
        "hazard": "rainstorm",
        "level": 2,
        "title": "来安县暴雨橙色预警",
        "region": cast.county,
        "area": "全县，重点是新安镇、半塔镇沿河低洼地带",
        "starts_at": now,
        "ends_at": now + timedelta(days=1),
        "matters": "未来24小时累计雨量可达100毫米以上",
        "measures": "转移危险区域群众，停止户外作业",
        "targets": TARGETS,
        **overrides,
    }


def draft(cast, **overrides):
    return services.create_draft(actor=cast["county_office"], values=values(cast, **overrides))


def built(cast, **overrides):
    warning = draft(cast, **overrides)
    services.build_list(actor=cast["county_office"], warning_pk=warning.pk)
    jobs.work_off()
    return warning


def issued(cast, **overrides):
    warning = built(cast, **overrides)
    services.issue(actor=cast["county_office"], warning_pk=warning.pk)
    jobs.work_off()
    warning.refresh_from_db()
    return warning
