"""四级包保 for tests: the cast's county leader paired by the county 安委办 with town A, enterprise X or a
geohazard point in town A's village, and visits recorded on them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core import units
from anlan.governance.services import baobao as services


def office(cast):
    return units.committee_office_for(cast.county)


def town(cast, region=None):
    return units.unit_for(region or cast.town_a)


def point(cast):
    from anlan.warnings.tests.factories_points import geohazard

    return geohazard(cast)


def data(cast, target_type="town", target=None, **overrides) -> dict:
    if target is None:
        target = {"town": town, "enterprise": lambda c: c.enterprise_x, "point": point}[target_type](cast)
    return {
        "owner_unit": office(cast),
        "leader": cast["leader"],
        "leader_post": "县委常委、副县长",
        "level": "county",
        "kind": "safety",
        "target_type": target_type,
        target_type: target,
        "started_on": timezone.localdate() - timedelta(days=10),
        "every_days": None,
        "note": "",
        **overrides,
    }


def assignment(cast, target_type="town", **overrides):
    return services.create_assignment(actor=cast["county_office"], data=data(cast, target_type, **overrides))


def visit_data(**overrides) -> dict:
    return {
        "visited_on": timezone.localdate(),
        "checked": "检查汛期值班值守和隐患排查台账。",
        "findings": "",
        "problems_found": 0,
        **overrides,
    }


def visit(cast, the_assignment=None, actor=None, **overrides):
    the_assignment = the_assignment or assignment(cast)
    return services.record_visit(
        actor=actor or cast["leader"], assignment_pk=the_assignment.pk, data=visit_data(**overrides)
    )
