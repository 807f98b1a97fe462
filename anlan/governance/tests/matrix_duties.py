"""Permission-matrix rows of 两个清单, 照单追责 and 监管盲区.

The scene: the 住建局's 责任清单 and tasks (region: the county). The county's supervisors — the 安委办 and both
departments, whose territorial scope is the county — and the leader read them; towns, whose scope is their own
town, get 404, and the enterprise, grid worker and expert too. Only the 住建局 edits, submits and reports (the
others holding the right are refused by the guard or get 403); only the 安委办 reviews and confirms.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _f():
    from anlan.governance.tests import factories_duties

    return factories_duties


def draft_list(c):
    return {"pk": _f().draft(c).pk}


def submitted_list(c):
    return {"pk": _f().submitted(c).pk}


def approved_list(c):
    return {"pk": _f().approved(c).pk}


def an_item(c):
    return {"pk": _f().draft(c).items.first().pk}


def a_task(c):
    return {"pk": _f().task(c).pk}


def groundwork_task(c):
    return {"pk": _f().groundwork(c, "rural_road", facts={}).pk}


def facts_post(c):
    return {"town_office": "yes", "joint_squads": "1", "stations": "2", "persuaders": "3"}


def evidenced_task(c):
    return {"pk": _f().with_evidence(c).pk}


def reported_task(c):
    return {"pk": _f().reported(c).pk}


def an_evidence(c):
    return {"pk": _f().with_evidence(c).evidence.first().pk}


def an_accident(c):
    from anlan.accidents.tests.factories import report

    return {"pk": report(c).pk}


def list_post(c):
    return {"holder_unit": _f().housing_unit(c).pk, "year": _f().this_year()}


def item_post(c):
    from anlan.core.tests.factories import industry

    return {
        "category": "industry",
        "text": "督促建筑施工企业落实主体责任",
        "industries": [industry("construction").pk],
    }


def task_post(c):
    year = _f().this_year()
    return {"unit": _f().housing_unit(c).pk, "year": year, "title": "燃气安全检查", "due_on": f"{year}-12-01"}


def evidence_post(c):
    return {"file": _f().png(), "note": "照片"}


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


SUPERVISE = dict(county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200)
VIEW = page(403, **SUPERVISE, leader=200)
DRAFT = page(403, **SUPERVISE)
# The 住建局 drafts its own list; the others' forms do not offer that unit (the form comes back: 200).
LIST_CREATE_POST = page(403, **{**SUPERVISE, "dept_housing": 302})
READ = page(404, county_office=200, dept_housing=200, dept_transport=200, leader=200)
DRAFTER = page(404, county_office=403, dept_housing=200, dept_transport=403, leader=403)
DRAFTER_POST = page(404, county_office=403, dept_housing=302, dept_transport=403, leader=403)
# Submit / start / report: the right is held in scope, but the guard (the drafting or the task's unit) refuses.
UNIT_STEP = page(404, county_office=302, dept_housing=302, dept_transport=302, leader=403)
UNIT_STEP_REFUSED = frozenset({"county_office", "dept_transport"})
REVIEWER_GET = page(404, county_office=200, dept_housing=403, dept_transport=403, leader=403)
REVIEWER_POST = page(404, county_office=302, dept_housing=403, dept_transport=403, leader=403)
# A task for the 住建局 may be given by the 住建局 itself or the 安委办; the others' forms do not offer it.
TASK_CREATE_POST = page(403, **{**SUPERVISE, "dept_housing": 302, "county_office": 302})
# The accident of enterprise X: whoever sees it and holds the right to read the lists (towns see town A's
# accident too: it is in their territory — town B does not).
ACCIDENT = page(
    404, county_office=200, town_a=200, dept_housing=200, leader=200, enterprise_x=403, grid_worker=403
)
OFFICE = page(403, county_office=200)

ROUTES = [
    Route("governance:list-list", VIEW),
    Route("governance:list-create", DRAFT),
    _post("governance:list-create", LIST_CREATE_POST, list_post),
    Route("governance:list-detail", READ, kwargs=draft_list),
    Route("governance:item-create", DRAFTER, kwargs=draft_list),
    _post("governance:item-create", DRAFTER_POST, item_post, kwargs=draft_list),
    Route("governance:item-edit", DRAFTER, kwargs=an_item),
    _post("governance:item-edit", DRAFTER_POST, item_post, kwargs=an_item),
    _post("governance:item-delete", DRAFTER_POST, lambda c: {}, kwargs=an_item),
    Route("governance:list-revise", DRAFTER, kwargs=approved_list),
    _post("governance:list-revise", DRAFTER_POST, lambda c: {"year": _f().this_year()}, kwargs=approved_list),
    _post("governance:list-submit", UNIT_STEP, lambda c: {}, kwargs=draft_list, refused=UNIT_STEP_REFUSED),
    _post("governance:list-approve", REVIEWER_POST, lambda c: {}, kwargs=submitted_list),
    Route("governance:list-return", REVIEWER_GET, kwargs=submitted_list),
    _post("governance:list-return", REVIEWER_POST, lambda c: {"reason": "职责不全"}, kwargs=submitted_list),
    Route("governance:task-list", VIEW),
    Route("governance:task-export", VIEW),
    Route("governance:task-create", DRAFT),
    _post("governance:task-create", TASK_CREATE_POST, task_post),
    Route("governance:task-detail", READ, kwargs=a_task),
    Route("governance:groundwork", VIEW),
    Route("governance:task-facts", DRAFTER, kwargs=groundwork_task),
    _post("governance:task-facts", DRAFTER_POST, facts_post, kwargs=groundwork_task),
    _post("governance:evidence-add", DRAFTER_POST, evidence_post, kwargs=a_task),
    Route("governance:evidence-file", READ, kwargs=an_evidence),
    _post("governance:evidence-delete", DRAFTER_POST, lambda c: {}, kwargs=an_evidence),
    _post("governance:task-start", UNIT_STEP, lambda c: {}, kwargs=a_task, refused=UNIT_STEP_REFUSED),
    Route(
        "governance:task-report",
        page(404, county_office=302, dept_housing=200, dept_transport=302, leader=403),
        kwargs=evidenced_task,
    ),
    _post(
        "governance:task-report",
        UNIT_STEP,
        lambda c: {"note": "已完成"},
        kwargs=evidenced_task,
        refused=UNIT_STEP_REFUSED,
    ),
    _post("governance:task-confirm", REVIEWER_POST, lambda c: {}, kwargs=reported_task),
    Route("governance:task-return", REVIEWER_GET, kwargs=reported_task),
    _post("governance:task-return", REVIEWER_POST, lambda c: {"reason": "佐证不足"}, kwargs=reported_task),
    Route("governance:accountability", VIEW),
    Route("governance:accident-duties", ACCIDENT, kwargs=an_accident),
    Route("governance:blind-spots", OFFICE),
    Route("governance:blind-export", OFFICE),
    Route("api:governance-duty-list-list", api(200)),
    Route(
        "api:governance-duty-list-detail",
        api(404, county_office=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=draft_list,
    ),
    Route("api:governance-task-list", api(200)),
    Route(
        "api:governance-task-detail",
        api(404, county_office=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=a_task,
    ),
]


def _audited():
    from anlan.governance.models import DutyItem, DutyList, TaskEvidence, WorkTask

    return [DutyList, DutyItem, WorkTask, TaskEvidence]


AUDITED = _audited()
