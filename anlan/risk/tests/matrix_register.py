"""Permission-matrix rows of the register part.

The scene: the risk register of enterprise X (town A's village, construction, grid A). Enterprise X keeps it
(registers, assesses, adds controls and checks, uploads its site plan); whoever's scope holds X reads it — the
安委办, town A, the housing department (its industry), the grid worker (its grid) and the leader — and none of
them may change it (403); town B, the transport department and the expert never see it (404). The county map
and the export need the export right (supervisors, the leader, the enterprise); the LS variant is the county
office's.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _point(c):
    from anlan.risk.tests.factories_register import point

    return {"pk": point(c).pk}


def _control(c):
    from anlan.risk.tests.factories_register import control

    return {"pk": control(c).pk}


def _check(c):
    from anlan.risk.tests.factories_register import check

    return {"pk": check(c).pk}


def _enterprise(c):
    return {"pk": c.enterprise_x.pk}


def _with_plan(c):
    from anlan.risk.tests.factories_register import site_plan

    site_plan(c)
    return {"pk": c.enterprise_x.pk}


def _post(name, expected, data, kwargs, **kw):
    return Route(name, expected, kwargs=kwargs, method="post", data=data, writes=True, **kw)


def _point_data(c):
    from anlan.risk.tests.factories_register import point_data

    return point_data()


def _plan_upload(c):
    from anlan.risk.tests.factories_register import png

    return {"image": png()}


LIST = page(200)
EXPORT = page(
    403,
    county_office=200,
    town_a=200,
    town_b=200,
    dept_housing=200,
    dept_transport=200,
    enterprise_x=200,
    leader=200,
)
READ = page(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)
MANAGE = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=200, grid_worker=403, leader=403
)
MANAGE_POST = page(
    404, county_office=403, town_a=403, dept_housing=403, enterprise_x=302, grid_worker=403, leader=403
)
CONFIGURE = page(403, county_office=200)
CONFIGURE_POST = page(403, county_office=302)
IN_SCOPE_API = api(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)

ROUTES = [
    Route("risk:point-list", LIST),
    Route("risk:point-export", EXPORT),
    Route("risk:county-map", EXPORT),
    Route("risk:point-detail", READ, kwargs=_point),
    Route("risk:point-edit", MANAGE, kwargs=_point),
    _post("risk:point-edit", MANAGE_POST, _point_data, _point),
    _post("risk:point-place", MANAGE_POST, lambda c: {"x": "0.3", "y": "0.6"}, _point),
    Route("risk:point-assess", MANAGE, kwargs=_point),
    _post(
        "risk:point-assess",
        MANAGE_POST,
        lambda c: {
            "method": "lec",
            "likelihood": "3",
            "exposure": "6",
            "consequence": "7",
            "assessed_on": "2026-01-05",
        },
        _point,
    ),
    Route("risk:control-create", MANAGE, kwargs=_point),
    _post(
        "risk:control-create",
        MANAGE_POST,
        lambda c: {
            "content": "设置防护栏",
            "kind": "engineering",
            "control_level": "team",
            "responsible": "李班长",
        },
        _point,
    ),
    Route("risk:control-edit", MANAGE, kwargs=_control),
    _post(
        "risk:control-edit",
        MANAGE_POST,
        lambda c: {
            "content": "设置防护栏",
            "kind": "engineering",
            "control_level": "company",
            "responsible": "王总",
        },
        _control,
    ),
    _post("risk:control-delete", MANAGE_POST, lambda c: {}, _control),
    Route("risk:check-create", MANAGE, kwargs=_control),
    _post(
        "risk:check-create", MANAGE_POST, lambda c: {"content": "检查防护栏", "frequency": "weekly"}, _control
    ),
    _post("risk:check-delete", MANAGE_POST, lambda c: {}, _check),
    Route("risk:point-create", MANAGE, kwargs=_enterprise),
    _post("risk:point-create", MANAGE_POST, _point_data, _enterprise),
    Route("risk:enterprise-map", READ, kwargs=_enterprise),
    Route("risk:enterprise-panel", READ, kwargs=_enterprise),
    Route("risk:site-plan-upload", MANAGE, kwargs=_enterprise),
    _post("risk:site-plan-upload", MANAGE_POST, _plan_upload, _enterprise),
    Route("risk:site-plan-image", READ, kwargs=_with_plan),
    Route("risk:grading-settings", CONFIGURE),
    _post("risk:grading-settings", CONFIGURE_POST, lambda c: {"ls_variant": "B"}, lambda c: {}),
    Route("api:risk-point-list", api(200)),
    Route("api:risk-point-detail", IN_SCOPE_API, kwargs=_point),
]


def _audited():
    from anlan.risk.models import (
        ControlMeasure,
        GradingSettings,
        HazardCheck,
        RiskAssessment,
        RiskPoint,
        SitePlan,
    )

    return [RiskPoint, RiskAssessment, ControlMeasure, HazardCheck, SitePlan, GradingSettings]


AUDITED = _audited()
