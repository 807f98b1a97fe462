"""Permission-matrix rows of the five-colour rating.

The scene: enterprise X (construction, village A of town A, grid A) has a rating. Every supervisor and the
leader read the ratings list and export the ledger (the enterprise, the grid worker and the expert get 403);
only the county office (安委办) approves, keeps the county's criteria and starts a recompute of all; the
supervisors in X's scope (the county office, town A, the housing department) recompute X; X's page panel is seen
by whoever sees X (404 for town B, the transport department and the expert). The criteria page is read by
everyone signed in: no national standard defines the colours, so the county's configuration is public.
"""

from __future__ import annotations

from tests.matrix import Route, api, page


def _f():
    from anlan.credit.tests import factories_rating

    return factories_rating


def pending_x(c):
    return {"pk": _f().rating(c.enterprise_x, "orange", approved="yellow").pk}


def approved_x(c):
    return {"pk": _f().rating(c.enterprise_x, "orange", approved="orange").pk}


def enterprise_x(c):
    return {"pk": c.enterprise_x.pk}


def county(c):
    return {"code": c.county.code}


def batch_post(c):
    return {"ratings": [_f().rating(c.enterprise_x, "orange", approved="yellow").pk]}


def config_post(c):
    from anlan.credit import rules

    data = {}
    for name, value in rules.DEFAULT_CONFIG.__dict__.items():
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = str(value)
    data["recent_months"] = "6"
    return data


def _post(name, expected, data=None, kwargs=None, **kw):
    return Route(name, expected, kwargs=kwargs or (lambda c: {}), method="post", data=data, writes=True, **kw)


SUPERVISORS_AND_LEADER = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)
OFFICE = page(403, county_office=200)
OFFICE_POST = page(403, county_office=302)
# Rating of X: those who see X; only the county office approves.
APPROVE_X = page(
    404, county_office=302, town_a=403, dept_housing=403, enterprise_x=403, grid_worker=403, leader=403
)
RECOMPUTE_X = page(
    404, county_office=302, town_a=302, dept_housing=302, enterprise_x=403, grid_worker=403, leader=403
)
PANEL_X = page(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)
API_X = api(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=200, leader=200
)

ROUTES = [
    Route("credit:rating-list", SUPERVISORS_AND_LEADER),
    Route("credit:rating-export", SUPERVISORS_AND_LEADER),
    Route("credit:rating-queue", OFFICE),
    _post("credit:rating-approve-batch", OFFICE_POST, batch_post),
    _post("credit:rating-approve", APPROVE_X, kwargs=pending_x),
    Route("credit:rating-enterprise-panel", PANEL_X, kwargs=enterprise_x),
    _post("credit:rating-recompute", RECOMPUTE_X, kwargs=enterprise_x),
    # Starting the job writes a Job row (no domain change yet): no audit row to expect.
    Route("credit:rating-recompute-all", OFFICE_POST, method="post"),
    Route("credit:rating-config", page(200), kwargs=county),
    Route("credit:rating-config-edit", OFFICE, kwargs=county),
    _post("credit:rating-config-edit", OFFICE_POST, config_post, kwargs=county),
    Route("api:credit-rating-list", api(200)),
    Route("api:credit-rating-detail", API_X, kwargs=approved_x),
]


def _audited():
    from anlan.credit.models import Rating, RatingConfig

    return [Rating, RatingConfig]


AUDITED = _audited()
