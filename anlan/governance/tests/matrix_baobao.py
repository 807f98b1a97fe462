"""Permission-matrix rows of 四级包保.

The scene: the county 安委办 pairs the county leader (cast `leader`) with town A (安全生产包保), or with enterprise X
(in town A's village). The 安委办 and the leader see it through the county, town A through its town; town B, the
departments (the 包保 list is not theirs), the grid worker and the expert never see it (404); enterprise X sees
who 包保s it (read only) and nothing else. Only the 安委办 pairs, edits and deactivates (the leader and the town
get 403); only the paired leader records a visit (the 安委办, town A and the enterprise get 403).
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _f():
    from anlan.governance.tests import factories_baobao

    return factories_baobao


def town_pairing(c):
    return {"pk": _f().assignment(c).pk}


def enterprise_pairing(c):
    return {"pk": _f().assignment(c, "enterprise").pk}


def a_visit(c):
    return {"pk": _f().visit(c).pk}


def enterprise_x(c):
    return {"pk": c.enterprise_x.pk}


def create_post(c):
    f = _f()
    return {
        "owner_unit": f.office(c).pk,
        "leader": c["leader"].pk,
        "leader_post": "副县长",
        "level": "county",
        "kind": "flood",
        "target_type": "town",
        "town": f.town(c, c.town_b).pk,
    }


def edit_post(c):
    return {
        "leader_post": "县委常委",
        "level": "county",
        "kind": "safety",
        "year": 2026,
        "started_on": "2026-01-01",
        "every_days": 60,
    }


def visit_post(c):
    from django.utils import timezone

    return {"visited_on": timezone.localdate().isoformat(), "checked": "检查值班值守。", "problems_found": 0}


def _post(name, expected, data, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


LIST = page(200)
OFFICE = page(403, county_office=200)
OFFICE_POST = page(403, county_office=302)
EXPORT = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
READ = page(404, county_office=200, town_a=200, leader=200)
READ_ENTERPRISE = page(404, county_office=200, town_a=200, leader=200, enterprise_x=200)
MANAGE = page(404, county_office=200, town_a=403, leader=403)
MANAGE_POST = page(404, county_office=302, town_a=403, leader=403)
RECORD = page(404, county_office=403, town_a=403, leader=200)
RECORD_POST = page(404, county_office=403, town_a=403, leader=302)
# Enterprise X's page panel: those who may open the enterprise (its town, the housing department, its grid).
PANEL = page(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)
API_READ = api(404, county_office=200, town_a=200, leader=200)

ROUTES = [
    Route("governance:baobao-list", LIST),
    Route("governance:baobao-mine", LIST),
    Route("governance:baobao-export", EXPORT),
    Route("governance:baobao-create", OFFICE),
    _post("governance:baobao-create", OFFICE_POST, create_post),
    Route("governance:baobao-detail", READ, kwargs=town_pairing),
    Route("governance:baobao-detail", READ_ENTERPRISE, kwargs=enterprise_pairing, label="enterprise"),
    Route("governance:baobao-edit", MANAGE, kwargs=town_pairing),
    _post("governance:baobao-edit", MANAGE_POST, edit_post, kwargs=town_pairing),
    Route("governance:baobao-deactivate", MANAGE, kwargs=town_pairing),
    _post("governance:baobao-deactivate", MANAGE_POST, lambda c: {"reason": "职务调整"}, kwargs=town_pairing),
    Route("governance:baobao-visit-create", RECORD, kwargs=town_pairing),
    _post("governance:baobao-visit-create", RECORD_POST, visit_post, kwargs=town_pairing),
    Route("governance:baobao-enterprise-panel", PANEL, kwargs=enterprise_x),
    Route("api:governance-baobao-list", api(200)),
    Route("api:governance-baobao-detail", API_READ, kwargs=town_pairing),
    Route("api:governance-baobao-visit-list", api(200)),
    Route("api:governance-baobao-visit-detail", API_READ, kwargs=a_visit),
]


def _audited():
    from anlan.governance.models import Assignment, Visit

    return [Assignment, Visit]


AUDITED = _audited()
