"""Every demo record's page opens for the county office (issue #12: 60 of 1,519 demo inspection pages answered
500). One demo build, then the detail page of every inspection, suspension, draw, plan, lead and accident of
the demo county, and of one hazard of each kind (status × grade × source × supervised × extended): all of
the demo's thousands of hazards would take ten minutes, and their pages differ only by those."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from anlan.accidents.models import Accident
from anlan.core import demo
from anlan.core.models import Membership, Role
from anlan.hazards.models import Hazard, Lead, Supervision
from anlan.inspections.models import (
    Inspection,
    InspectionPlan,
    JointMeasure,
    RandomDraw,
    Suspension,
    WatchPlan,
)

TODAY = date(2026, 6, 30)

PAGES = [
    ("inspections:inspection-detail", Inspection),
    ("inspections:suspension-detail", Suspension),
    ("inspections:draw-detail", RandomDraw),
    ("inspections:plan-detail", InspectionPlan),
    ("inspections:watch-detail", WatchPlan),
    ("inspections:joint-measure-detail", JointMeasure),
    ("hazards:hazard-detail", Hazard),
    ("hazards:lead-detail", Lead),
    ("accidents:accident-detail", Accident),
]


def hazard_of_each_kind() -> list[int]:
    kinds = Hazard.objects.values_list(
        "pk",
        "status",
        "grade",
        "source",
        Exists(Supervision.objects.filter(hazard=OuterRef("pk"))),
        "extensions",
    )
    first: dict[tuple, int] = {}
    for pk, *kind in kinds.order_by("pk"):
        first.setdefault((*kind[:4], kind[4] is not None), pk)
    return sorted(first.values())


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One demo build for the module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.build_demo(demo.DEFAULT_SEED, today=TODAY)
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "model"), PAGES, ids=[route for route, _m in PAGES])
def test_every_demo_record_page_opens_for_the_county_office(built, client, route, model):
    office = Membership.objects.filter(role=Role.COMMITTEE_OFFICE, region_id=demo.COUNTY_CODE).first().user
    client.force_login(office)
    client.raise_request_exception = False
    ids = list(model.objects.values_list("pk", flat=True)) if model is not Hazard else hazard_of_each_kind()
    assert ids, f"the demo has no {model.__name__}"
    failures = [
        (pk, status) for pk in ids if (status := client.get(reverse(route, args=[pk])).status_code) != 200
    ]
    assert failures == []
