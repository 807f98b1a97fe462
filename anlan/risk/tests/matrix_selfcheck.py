"""Permission-matrix rows of 自查自改.

The scene: enterprise X (construction, in town A's village, supervised by the housing department) keeps a daily
checklist with one run. Who may open X may read them: the county 安委办, town A, the housing department, X itself,
the grid worker of X's grid and the county leader; town B, the transport department and the expert get 404. Only
X records (builds and edits checklists, records runs): the supervisors and others in scope get 403 — supervisors
read, they do not inspect for the enterprise. The lists are open to holders of `risk.view_selfcheck` (403 for the
grid worker and the expert); the compliance page and its ledger to supervisors and leaders.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _f():
    from anlan.risk.tests import factories_selfcheck

    return factories_selfcheck


def a_checklist(c):
    return {"pk": _f().checklist(c).pk}


def a_run(c):
    f = _f()
    return {"pk": f.run(c, f.checklist(c)).pk}


def enterprise_x(c):
    return {"pk": c.enterprise_x.pk}


def checklist_post(c):
    return {"name": "仓库周检表", "post": "材料仓库", "frequency": "weekly", "items": "灭火器有效 | GB 50140"}


def checklist_edit_post(c):
    return {**checklist_post(c), "is_active": "on"}


def run_post(c):
    """Every item 正常 and the run confirmed as finding nothing (the checklist is the route's own)."""
    from django.utils import timezone

    from anlan.risk.models import ChecklistItem

    items = ChecklistItem.objects.filter(checklist__enterprise=c.enterprise_x, is_active=True)
    values = {f"result_{item.pk}": "ok" for item in items}
    return {
        **values,
        "done_on": timezone.localdate().isoformat(),
        "inspector_name": "张安全",
        "nothing_found": "on",
    }


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


LIST = page(200, grid_worker=403, expert=403)
LEDGER = page(
    403,
    county_office=200,
    town_a=200,
    town_b=200,
    dept_housing=200,
    dept_transport=200,
    enterprise_x=200,
    leader=200,
)
SUPERVISE = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
READ = page(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)
RECORD = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=200, grid_worker=403, leader=403
)
RECORD_POST = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=302, grid_worker=403, leader=403
)
API_READ = api(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)

ROUTES = [
    Route("risk:selfcheck-checklist-list", LIST),
    Route("risk:selfcheck-checklist-detail", READ, kwargs=a_checklist),
    Route("risk:selfcheck-checklist-edit", RECORD, kwargs=a_checklist),
    _post("risk:selfcheck-checklist-edit", RECORD_POST, checklist_edit_post, kwargs=a_checklist),
    Route("risk:selfcheck-run-create", RECORD, kwargs=a_checklist),
    _post("risk:selfcheck-run-create", RECORD_POST, run_post, kwargs=a_checklist),
    Route("risk:selfcheck-run-list", LIST),
    Route("risk:selfcheck-run-export", LEDGER),
    Route("risk:selfcheck-run-detail", READ, kwargs=a_run),
    Route("risk:selfcheck-compliance", SUPERVISE),
    Route("risk:selfcheck-compliance-export", SUPERVISE),
    Route("risk:selfcheck-enterprise-panel", READ, kwargs=enterprise_x),
    Route("risk:selfcheck-calendar", READ, kwargs=enterprise_x),
    Route("risk:selfcheck-checklist-create", RECORD, kwargs=enterprise_x),
    _post("risk:selfcheck-checklist-create", RECORD_POST, checklist_post, kwargs=enterprise_x),
    Route("api:risk-selfcheck-run-list", api(200)),
    Route("api:risk-selfcheck-run-detail", API_READ, kwargs=a_run),
]


def _audited():
    from anlan.risk.models import Checklist, ChecklistItem, MissedPeriod, RunResult, SelfInspectionRun

    return [Checklist, ChecklistItem, SelfInspectionRun, RunResult, MissedPeriod]


AUDITED = _audited()
