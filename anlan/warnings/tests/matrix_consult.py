"""Permission-matrix rows of 会商研判.

The scene: a meeting convened by the county 安委办 (region: the county) and a bulletin sent from it to towns A
and B. The county's supervisors see the meeting — the 安委办, and the departments, whose territorial scope is
the county — and the leader reads it; only the convening unit's members correct it, send bulletins and close
them (a department gets 403, or its close is refused by the guard). Towns see their own receipt task, not the
county's meeting (404); town B never sees town A's task (404). The enterprise, grid worker and expert see none.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def meeting(c):
    from anlan.warnings.tests.factories_consult import consultation

    return {"pk": consultation(c).pk}


def sent(c):
    from anlan.warnings.tests.factories_consult import bulletin

    return {"pk": bulletin(c).pk}


def town_a_task(c):
    from anlan.warnings.tests.factories_consult import bulletin, task_of

    return {"pk": task_of(bulletin(c), c.town_a).pk}


def town_a_confirmed(c):
    from anlan.warnings.services.consult import selectors
    from anlan.warnings.tests.factories_consult import confirmed_task

    task = confirmed_task(c)
    measure = selectors.measures_of(selectors.bulletin_of(task)).first()
    return {"pk": task.pk, "measure_pk": measure.pk}


def create_post(c):
    from anlan.core import units

    return {
        "held_at": "2026-01-05T09:00",
        "kind": "regular",
        "topic": "一月份安全生产风险会商研判",
        "convener": units.committee_office_for(c.county).pk,
        "departments": [c.dept_housing.pk, c.dept_transport.pk],
        "attendees": "陈立华 县安委办",
        "situation": "节前生产经营活动增多。",
        "judgement": "道路运输和建筑施工风险较高。",
        "risk_level": "medium",
    }


def bulletin_post(c):
    from anlan.core import units

    return {
        "title": "节前安全风险提示",
        "risk_level": "medium",
        "content": "请落实以下措施。",
        "measures": "开展节前安全检查",
        "recipients": [units.unit_for(c.town_a).pk],
    }


def report_post(c):
    return {"done": "on", "note": "已落实"}


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


LIST = page(200)
SUPERVISE = dict(county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200)
CREATE = page(403, **SUPERVISE)
# Only the 安委办 acts for the convener it names; the others get the form back (200, nothing written).
CREATE_POST = page(403, **{**SUPERVISE, "county_office": 302})
READ = page(404, county_office=200, dept_housing=200, dept_transport=200, leader=200)
CONVENER = page(404, county_office=200, dept_housing=403, dept_transport=403, leader=403)
CONVENER_POST = page(404, county_office=302, dept_housing=403, dept_transport=403, leader=403)
# The department holds the right in scope, but the guard (the sending unit's members only) refuses: 302, no write.
CLOSE_POST = page(404, county_office=302, dept_housing=302, dept_transport=302, leader=403)
EXPORT = page(403, **SUPERVISE, leader=200)
# Town A's task: the territory above it and town A see it; departments see only tasks addressed to them.
TASK = page(404, county_office=200, town_a=200, leader=200)
RECIPIENT_POST = page(404, county_office=403, town_a=302, leader=403)

ROUTES = [
    Route("warnings:consultation-list", LIST),
    Route("warnings:consultation-export", EXPORT),
    Route("warnings:consultation-create", CREATE),
    _post("warnings:consultation-create", CREATE_POST, create_post),
    Route("warnings:consultation-detail", READ, kwargs=meeting),
    Route("warnings:consultation-edit", CONVENER, kwargs=meeting),
    _post("warnings:consultation-edit", CONVENER_POST, create_post, kwargs=meeting),
    Route("warnings:bulletin-create", CONVENER, kwargs=meeting),
    _post("warnings:bulletin-create", CONVENER_POST, bulletin_post, kwargs=meeting),
    Route("warnings:bulletin-list", LIST),
    Route("warnings:bulletin-detail", READ, kwargs=sent),
    _post(
        "warnings:bulletin-close",
        CLOSE_POST,
        lambda c: {},
        kwargs=sent,
        refused=frozenset({"dept_housing", "dept_transport"}),
    ),
    Route("warnings:bulletin-received", LIST),
    Route("warnings:bulletin-receipt", TASK, kwargs=town_a_task),
    _post("warnings:bulletin-confirm", RECIPIENT_POST, lambda c: {}, kwargs=town_a_task),
    _post("warnings:bulletin-report", RECIPIENT_POST, report_post, kwargs=town_a_confirmed),
    Route("api:warnings-consultation-list", api(200)),
    Route(
        "api:warnings-consultation-detail",
        api(404, county_office=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=meeting,
    ),
    Route("api:warnings-bulletin-list", api(200)),
    Route(
        "api:warnings-bulletin-detail",
        api(404, county_office=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=sent,
    ),
]


def _audited():
    from anlan.core.models import ReceiptTask
    from anlan.warnings.models import Bulletin, BulletinMeasure, Consultation, MeasureReport

    return [Consultation, Bulletin, BulletinMeasure, MeasureReport, ReceiptTask]


AUDITED = _audited()
