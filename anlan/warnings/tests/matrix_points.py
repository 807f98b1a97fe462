"""Permission-matrix rows of the points part.

The scene: a geohazard point in town A's village (东关社区). The supervisors whose area holds it keep and observe
it (the 安委办, town A, and the county's departments — 自然资源、水利 among them — whose territorial scope is the
county); the leader reads it; town B, the enterprise, the grid worker and the expert never see it (404). The
monitors (群测群防员) have no account: they are reached by SMS.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def point(c):
    from anlan.warnings.tests.factories_points import geohazard

    return {"pk": geohazard(c).pk}


def open_patrol(c):
    from anlan.warnings.tests.factories_points import open_patrol as make

    return {"pk": make(c).pk}


def done_patrol(c):
    from anlan.warnings.tests.factories_points import done_patrol as make

    return {"pk": make(c).pk}


def report_post(c):
    return {"findings": "坡体稳定，排水沟通畅"}


def create_post(c):
    return {
        "name": "新安镇北沟泥石流",
        "kind": "geohazard",
        "region": c.village_a.code,
        "households": "3",
        "people": "9",
        "monitor_name": "张秀英",
        "monitor_phone": "13700000003",
    }


def edit_post(c):
    return {**create_post(c), "name": "东关社区后山滑坡（扩大）"}


def observe_post(c):
    return {"seen": "坡体无明显变化", "reading": "裂缝宽 1 厘米"}


def close_post(c):
    return {"reason": "治理工程完工，险情消除"}


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


LIST = page(200)
CREATE = page(403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200)
# Town B may not file under town A's village: the form comes back (200, nothing written); departments as scoped.
CREATE_POST = page(403, county_office=302, town_a=302, town_b=200, dept_housing=302, dept_transport=302)
READ = page(404, county_office=200, town_a=200, dept_housing=200, dept_transport=200, leader=200)
EDIT = page(404, county_office=200, town_a=200, dept_housing=200, dept_transport=200, leader=403)
EDIT_POST = page(404, county_office=302, town_a=302, dept_housing=302, dept_transport=302, leader=403)
OBSERVE_POST = page(404, county_office=302, town_a=302, dept_housing=302, dept_transport=302, leader=403)
CLOSE_POST = page(404, county_office=302, town_a=302, dept_housing=302, dept_transport=302, leader=403)
EXPORT = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)

ROUTES = [
    Route("warnings:point-list", LIST),
    Route("warnings:point-export", EXPORT),
    Route("warnings:point-create", CREATE),
    _post("warnings:point-create", CREATE_POST, create_post),
    Route("warnings:point-detail", READ, kwargs=point),
    Route("warnings:point-edit", EDIT, kwargs=point),
    _post("warnings:point-edit", EDIT_POST, edit_post, kwargs=point),
    _post(
        "warnings:point-observe",
        OBSERVE_POST,
        observe_post,
        kwargs=point,
    ),
    _post(
        "warnings:point-close",
        CLOSE_POST,
        close_post,
        kwargs=point,
    ),
    Route("warnings:patrol-list", LIST),
    Route("warnings:patrol-report", EDIT, kwargs=open_patrol),
    _post("warnings:patrol-report", EDIT_POST, report_post, kwargs=open_patrol),
    Route("warnings:patrol-photo", READ, kwargs=done_patrol),
    Route("api:warnings-point-list", api(200)),
    Route(
        "api:warnings-point-detail",
        api(404, county_office=200, town_a=200, dept_housing=200, dept_transport=200, leader=200),
        kwargs=point,
    ),
]


def _audited():
    from anlan.warnings.models import Observation, Patrol, Point

    return [Point, Observation, Patrol]


AUDITED = _audited()
