"""自查自改 for tests: checklists and runs of the cast's enterprise X (construction, town A's village, supervised by
the housing department), made through the services as its user `enterprise_x` would."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.risk.models import RunResult
from anlan.risk.selectors import selfcheck as selectors
from anlan.risk.services import selfcheck as services

ITEMS = "安全帽、安全带佩戴 | 《建筑施工高处作业安全技术规范》\n临边洞口防护到位 | JGJ 80\n施工用电一机一闸一漏 | JGJ 46"


def checklist_data(**overrides) -> dict:
    return {
        "name": "施工现场日检表",
        "post": "施工现场",
        "risk_level": "significant",
        "frequency": "daily",
        "starts_on": timezone.localdate() - timedelta(days=60),
        "items": ITEMS,
        **overrides,
    }


def checklist(cast, actor=None, enterprise=None, **overrides):
    enterprise = enterprise or cast.enterprise_x
    return services.create_checklist(
        actor=actor or cast["enterprise_x"], enterprise_pk=enterprise.pk, data=checklist_data(**overrides)
    )


def run_data(checklist, *, problems=None, **overrides) -> dict:
    """Every active item 正常 unless `problems` maps an item's position (0-based) to its problem's words."""
    problems = problems or {}
    results = {}
    for index, item in enumerate(selectors.items_of(checklist)):
        if index in problems:
            results[item.pk] = (RunResult.Result.PROBLEM, problems[index])
        else:
            results[item.pk] = (RunResult.Result.OK, "")
    return {
        "done_on": timezone.localdate(),
        "inspector_name": "张安全",
        "results": results,
        "nothing_found": not problems,
        **overrides,
    }


def run(cast, checklist, actor=None, *, problems=None, photos=None, **overrides):
    return services.record_run(
        actor=actor or cast["enterprise_x"],
        checklist_pk=checklist.pk,
        data=run_data(checklist, problems=problems, **overrides),
        photos=photos,
    )
