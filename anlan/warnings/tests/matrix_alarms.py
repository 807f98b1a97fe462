"""Permission-matrix rows of the alarms part.

The scene: a monitoring alarm of enterprise X (town A's village, construction, grid A). Enterprise X itself handles
it (核查, 处置, 误报); whoever's scope holds X sees it — the 安委办, town A, the housing department (its industry),
the grid worker (its grid) and the leader — and none of them may handle it (403); town B, the transport
department and the expert never see it (404). The webhook answers 401 to a call without a signature, whoever
sends it (it takes no login: a monitoring system signs with its secret).
"""

from __future__ import annotations

from tests.matrix import Route, api, expect, page


def alarm(c):
    from anlan.warnings.tests.factories_alarms import alarm as make

    return {"pk": make(c).pk}


def checked(c):
    from anlan.warnings.tests.factories_alarms import checked_alarm

    return {"pk": checked_alarm(c).pk}


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


LIST = page(200)
VIEW = page(
    403,
    county_office=200,
    town_a=200,
    town_b=200,
    dept_housing=200,
    dept_transport=200,
    enterprise_x=200,
    leader=200,
)
IMPORT = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, enterprise_x=200
)
EXPORT = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
READ = page(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)
HANDLE = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=200, grid_worker=403, leader=403
)
HANDLE_POST = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=302, grid_worker=403, leader=403
)
IN_SCOPE_API = api(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)

ROUTES = [
    Route("warnings:alarm-list", LIST),
    Route("warnings:alarm-statistics", VIEW),
    Route("warnings:alarm-export", EXPORT),
    Route("warnings:alarm-import", IMPORT),
    Route("warnings:alarm-import-template", IMPORT),
    Route("warnings:alarm-detail", READ, kwargs=alarm),
    Route("warnings:alarm-check", HANDLE, kwargs=alarm),
    _post("warnings:alarm-check", HANDLE_POST, lambda c: {"note": "现场确认温度偏高"}, kwargs=alarm),
    Route("warnings:alarm-resolve", HANDLE, kwargs=checked),
    _post("warnings:alarm-resolve", HANDLE_POST, lambda c: {"resolution": "开大冷却水"}, kwargs=checked),
    Route("warnings:alarm-dismiss", HANDLE, kwargs=alarm),
    _post("warnings:alarm-dismiss", HANDLE_POST, lambda c: {"reason": "仪表标定"}, kwargs=alarm),
    Route(
        "warnings:alarm-webhook",
        expect(401),
        kwargs=lambda c: {"source": "dcs"},
        method="post",
        data=lambda c: {"source_id": "X-1"},
        json=True,
        writes=True,
        label="unsigned",
    ),
    Route("api:warnings-alarm-list", api(200)),
    Route("api:warnings-alarm-detail", IN_SCOPE_API, kwargs=alarm),
]


def _audited():
    from anlan.warnings.models import Alarm

    return [Alarm]


AUDITED = _audited()
