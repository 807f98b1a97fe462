"""Permission-matrix rows of the places' warning receivers (第六十五条).

The scene: enterprise X (town A, housing's industry) is a 人员密集场所. The place itself and the supervisors
whose scope covers it (the 安委办, town A, the housing department) name its receiver; those who see it without
the right (the grid worker, the leader) are refused; the rest never see it (404). The list and the enterprise
panel are scoped lists: every signed-in user gets one, possibly empty.
"""

from __future__ import annotations

from tests.matrix import Route, page


def place(c):
    c.enterprise_x.is_crowded_place = True
    c.enterprise_x.save(update_fields=["is_crowded_place"])
    return {"pk": c.enterprise_x.pk}


def receiver_post(c):
    return {"name": "商场值班经理", "phone": "13900000001"}


EDIT = page(
    404, county_office=200, town_a=200, dept_housing=200, enterprise_x=200, grid_worker=403, leader=403
)
EDIT_POST = page(
    404, county_office=302, town_a=302, dept_housing=302, enterprise_x=302, grid_worker=403, leader=403
)
EXPORT = page(
    403, county_office=200, town_a=200, town_b=200, dept_housing=200, dept_transport=200, leader=200
)

ROUTES = [
    Route("warnings:receiver-list", page(200)),
    Route("warnings:receiver-export", EXPORT),
    Route("warnings:enterprise-receiver", page(200), kwargs=place),
    Route("warnings:receiver-edit", EDIT, kwargs=place),
    Route(
        "warnings:receiver-edit",
        EDIT_POST,
        kwargs=place,
        method="post",
        data=receiver_post,
        writes=True,
        label="name the receiver",
    ),
]


def _audited():
    from anlan.warnings.models import PlaceReceiver

    return [PlaceReceiver]


AUDITED = _audited()
