"""Permission-matrix rows of the evacuation part.

The scene: a rainstorm warning over the county, town A's evacuation with the row of its geohazard point. The
county office and town A register moves (属地管理); departments and the leader read town A's evacuation but
register nothing (403); town B, the enterprise, the grid worker and the expert never see it (404).
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def evacuation(c):
    from anlan.warnings.tests.factories_evacuation import evacuation as make

    return {"pk": make(c).pk}


def warning(c):
    from anlan.warnings.tests.factories import issued

    return {"warning_pk": issued(c).pk}


def household(c):
    from anlan.warnings.tests.factories_evacuation import household as make

    return {"pk": make(c).pk}


def moved_after_lifting(c):
    from anlan.warnings.tests.factories_evacuation import moved

    return {"pk": moved(c, lifted=True).pk}


def moved_while_issued(c):
    from anlan.warnings.tests.factories_evacuation import moved

    return {"pk": moved(c).pk}


def add_post(c):
    return {"head_name": "陈大海", "phone": "13900001111", "people": "4"}


def move_post(c):
    return {"shelter_kind": "relatives", "shelter_note": "投靠县城亲戚"}


def undo_post(c):
    return {"reason": "误登记，该户尚未转移"}


def _post(name, expected, data, kwargs, **kw):
    return Route(name, expected, kwargs=kwargs, method="post", data=data, writes=True, **kw)


LIST = page(200)
EXPORT = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
# A warning is open to all but the expert (its recipients and its scope); opening needs the right.
BOARD = page(200, expert=404)
OPEN = page(403, county_office=302, town_a=302, town_b=302, expert=404)
IN_SCOPE = {"county_office": 200, "town_a": 200, "dept_housing": 200, "dept_transport": 200, "leader": 200}
READ = page(404, **IN_SCOPE)
WRITE_FORM = page(404, county_office=200, town_a=200, dept_housing=403, dept_transport=403, leader=403)
WRITE = page(404, county_office=302, town_a=302, dept_housing=403, dept_transport=403, leader=403)

ROUTES = [
    Route("warnings:evacuation-list", LIST),
    Route("warnings:evacuation-export", EXPORT),
    Route("warnings:evacuation-board", BOARD, kwargs=warning),
    _post("warnings:evacuation-open", OPEN, lambda c: {}, warning),
    Route("warnings:evacuation-detail", READ, kwargs=evacuation),
    _post("warnings:household-add", WRITE, add_post, evacuation),
    Route("warnings:household-move", WRITE_FORM, kwargs=household),
    _post("warnings:household-move", WRITE, move_post, household),
    _post("warnings:household-return", WRITE, lambda c: {}, moved_after_lifting),
    # While the warning stands the guard refuses the return: a redirect with a message, nothing written.
    _post(
        "warnings:household-return",
        WRITE,
        lambda c: {},
        moved_while_issued,
        label="while issued",
        refused=frozenset({"county_office", "town_a"}),
    ),
    Route("warnings:household-undo", WRITE_FORM, kwargs=moved_while_issued),
    _post("warnings:household-undo", WRITE, undo_post, moved_while_issued),
    Route("api:warnings-evacuation-list", api(200)),
    Route("api:warnings-evacuation-detail", api(404, **IN_SCOPE), kwargs=evacuation),
    Route("api:warnings-household-list", api(200)),
    Route("api:warnings-household-detail", api(404, **IN_SCOPE), kwargs=household),
]


def _audited():
    from anlan.warnings.models import Evacuation, Household

    return [Evacuation, Household]


AUDITED = _audited()
