"""Permission-matrix rows of the response part (see tests/matrix.py and tests/test_permission_matrix.py).

The scene is a flood in 东关社区 (village A of town A), typed in by the county office: it has no industry and no
enterprise, so the county office, town A and the leader see it (region) and nobody else does (404). Only the
county office commands (403 for town A and the leader); only town A records the 先期处置. A task goes to the
transport department, which sees that task (its unit owns it) but not the incident; the release's first reviewer
is the housing department, which sees its review the same way. The public page opens for anyone with the link.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.matrix import Route, api, page


def _f():
    from anlan.emergency.tests import factories_response

    return factories_response


def incident(c):
    return {"pk": _f().flood(c).pk}


def active(c):
    return {"pk": _f().start(c).pk}


def task(c):
    return {"pk": _f().task(c).pk}


def point(c):
    from anlan.core.units import unit_for
    from anlan.emergency.services import response as services

    response = _f().start(c)
    p = services.set_control_point(
        actor=c["county_office"],
        response_pk=response.pk,
        kind="road_closure",
        place="X012县道",
        unit_pk=unit_for(c.dept_transport).pk,
    )
    return {"pk": p.pk}


def draft(c):
    return {"pk": _f().release(c).pk}


def _submitted(c):
    from anlan.emergency.services import response as services

    r = _f().release(c)
    services.submit_release(actor=c["county_office"], release_pk=r.pk)
    return r


def submitted(c):
    return {"pk": _submitted(c).pk}


def approved(c):
    from anlan.core.units import unit_for
    from anlan.emergency.services import response as services

    r = _submitted(c)
    for who in ("dept_housing", "dept_transport"):
        review = r.reviews.get(unit=unit_for(getattr(c, who)))
        services.review_release(actor=c[who], review_pk=review.pk, approve=True)
    return {"pk": r.pk}


def published(c):
    return {"pk": _f().published(c).pk}


def token(c):
    return {"token": _f().published(c).token}


def housing_review(c):
    from anlan.core.units import unit_for

    return {"pk": _submitted(c).reviews.get(unit=unit_for(c.dept_housing)).pk}


def _when(minutes=0):
    return (timezone.localtime() + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def _unit(c, name):
    from anlan.core.units import unit_for

    return unit_for(getattr(c, name)).pk


def _reviewers(c):
    return [u.pk for u in _f().reviewer_units(c)]


ALL = page(200)
READ = page(404, county_office=200, town_a=200, leader=200)
RECORDERS = page(403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200)
# town B's form re-renders on the region (not its town): 200; the county office, town A and the departments
# (whose region scope is the county) record it.
RECORDED = page(403, county_office=302, town_a=302, town_b=200, dept_housing=302, dept_transport=302)
COMMAND_PAGE = page(404, county_office=200, town_a=403, leader=403)
COMMAND_DONE = page(404, county_office=302, town_a=403, leader=403)
TOWN_PAGE = page(404, county_office=403, town_a=200, leader=403)
TOWN_DONE = page(404, county_office=403, town_a=302, leader=403)
TASK_PAGE = page(404, county_office=200, town_a=200, leader=200, dept_transport=200)
TASK_DONE = page(404, county_office=403, town_a=403, leader=403, dept_transport=302)
REVIEW_PAGE = page(404, county_office=403, town_a=403, leader=403, dept_housing=200)
REVIEW_DONE = page(404, county_office=403, town_a=403, leader=403, dept_housing=302)
PUBLIC = page(200, anonymous=200)
EXPORTERS = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)


def _post(name, expected, data=None, kwargs=None, **kw):
    return Route(
        name,
        expected,
        kwargs=kwargs or (lambda c: {}),
        method="post",
        data=data or (lambda c: {}),
        writes=True,
        **kw,
    )


def _first_data(c):
    return {
        "called_at": _when(-60),
        "dispatched_at": _when(-55),
        "arrived_at": _when(-30),
        "responders": "李镇长 副镇长 13800000001",
        "actions": f"{_when(-25).replace('T', ' ')} 疏散沿河群众",
    }


def _release_data(c):
    return {"title": "情况通报", "text": "暂无人员伤亡。", "reviewers": _reviewers(c)}


ROUTES = [
    Route("emergency:response-list", ALL),
    Route("emergency:response-export", EXPORTERS),
    Route("emergency:response-incident-create", RECORDERS),
    _post(
        "emergency:response-incident-create",
        RECORDED,
        lambda c: {
            "kind": "natural_disaster",
            "title": "东关社区内涝",
            "occurred_at": _when(-30),
            "region": c.village_a.pk,
        },
    ),
    Route("emergency:response-incident-detail", READ, kwargs=incident),
    _post("emergency:response-incident-close", COMMAND_DONE, kwargs=incident),
    Route("emergency:response-chronicle", READ, kwargs=incident),
    Route("emergency:response-start", COMMAND_PAGE, kwargs=incident),
    _post(
        "emergency:response-start",
        COMMAND_DONE,
        lambda c: {
            "level": "4",
            "commander_name": "王指挥",
            "commander_phone": "13900000000",
            "post_place": "新安镇政府",
            "started_at": _when(),
        },
        incident,
    ),
    Route("emergency:response-first", TOWN_PAGE, kwargs=incident),
    _post("emergency:response-first", TOWN_DONE, _first_data, incident),
    Route("emergency:response-release-create", COMMAND_PAGE, kwargs=incident),
    _post("emergency:response-release-create", COMMAND_DONE, _release_data, incident),
    _post(
        "emergency:response-level", COMMAND_DONE, lambda c: {"to_level": "3", "reason": "水位上涨"}, active
    ),
    _post("emergency:response-end", COMMAND_DONE, lambda c: {"note": "退水"}, active),
    _post(
        "emergency:response-group-add",
        COMMAND_DONE,
        lambda c: {"name": "抢险救援组", "lead": _unit(c, "dept_housing")},
        active,
    ),
    _post(
        "emergency:response-task-add",
        COMMAND_DONE,
        lambda c: {"unit": _unit(c, "town_a"), "text": "转移群众", "deadline": _when(120)},
        active,
    ),
    _post(
        "emergency:response-control-add",
        COMMAND_DONE,
        lambda c: {
            "kind": "checkpoint",
            "place": "东关桥",
            "unit": _unit(c, "town_a"),
            "set_at": _when(),
        },
        active,
    ),
    _post(
        "emergency:response-note-add",
        COMMAND_DONE,
        lambda c: {"noted_at": _when(), "text": "转移32人"},
        active,
    ),
    _post("emergency:response-control-lift", COMMAND_DONE, kwargs=point),
    Route("emergency:response-task-list", ALL),
    Route("emergency:response-task-detail", TASK_PAGE, kwargs=task),
    _post("emergency:response-task-confirm", TASK_DONE, kwargs=task),
    _post("emergency:response-task-complete", TASK_DONE, lambda c: {"note": "已封闭"}, task),
    Route("emergency:response-release-detail", READ, kwargs=draft),
    Route("emergency:response-release-edit", COMMAND_PAGE, kwargs=draft),
    _post("emergency:response-release-edit", COMMAND_DONE, _release_data, draft),
    _post("emergency:response-release-submit", COMMAND_DONE, kwargs=draft),
    _post("emergency:response-release-publish", COMMAND_DONE, kwargs=approved),
    Route("emergency:response-release-correct", COMMAND_PAGE, kwargs=published),
    _post("emergency:response-release-correct", COMMAND_DONE, _release_data, published),
    Route("emergency:response-review", REVIEW_PAGE, kwargs=housing_review),
    _post("emergency:response-review", REVIEW_DONE, lambda c: {"decision": "approve"}, housing_review),
    Route("emergency:response-release-public", PUBLIC, kwargs=token),
    # The read-only API: lists are scoped (200 for everyone signed in), a record out of scope is 404.
    Route("api:emergency-incident-list", api(200)),
    Route("api:emergency-incident-detail", {**READ, "anonymous": 401}, kwargs=incident),
]


def _audited():
    from anlan.core.models import ReceiptTask
    from anlan.emergency.models import (
        ControlPoint,
        FirstResponder,
        FirstResponse,
        FirstResponseAction,
        Incident,
        PublicRelease,
        ReleaseReview,
        Response,
        ResponseGroup,
        ResponseLevelChange,
        ResponseNote,
        ResponseTask,
    )

    return [
        Incident,
        Response,
        ResponseLevelChange,
        ResponseGroup,
        ResponseTask,
        ControlPoint,
        ResponseNote,
        FirstResponse,
        FirstResponder,
        FirstResponseAction,
        PublicRelease,
        ReleaseReview,
        ReceiptTask,
    ]


AUDITED = _audited()
