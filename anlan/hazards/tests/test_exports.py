"""The hazard ledger built without a request (what a background export job does): scope, filters, values."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from anlan.core.exports import write_xlsx
from anlan.core.tests.factories import UserFactory
from anlan.hazards.exports import hazard_ledger
from anlan.hazards.models import Hazard, RectificationPlan

from .factories import HazardFactory, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hazards(cast):
    x = HazardFactory(enterprise=cast.enterprise_x, number="YH341122-2026-00001")
    y = HazardFactory(
        enterprise=cast.enterprise_y, number="YH341122-2026-00002", due_on=on(-1), found_on=on(-30)
    )
    return x, y


def numbers(ledger) -> list[str]:
    return [row[0] for row in ledger.rows(ledger.queryset)]


def plan(hazard, person, funds, recorded_by):
    return RectificationPlan.objects.create(
        hazard=hazard,
        responsible_person=person,
        measures=f"{person}的措施",
        due_on=hazard.due_on,
        funds=funds,
        recorded_by=recorded_by,
    )


def test_the_ledger_is_scoped_to_the_owner_without_a_request(cast, two_hazards):
    assert numbers(hazard_ledger(cast["town_b"], QueryDict(""))) == ["YH341122-2026-00002"]
    assert hazard_ledger(cast["county_office"], QueryDict("")).count() == 2


def test_the_ledger_applies_the_saved_filters_and_sort(cast, two_hazards):
    owner = cast["county_office"]
    assert numbers(hazard_ledger(owner, QueryDict("overdue=true"))) == ["YH341122-2026-00002"]
    assert numbers(hazard_ledger(owner, QueryDict(""))) == ["YH341122-2026-00001", "YH341122-2026-00002"]
    assert numbers(hazard_ledger(owner, QueryDict("sort=found"))) == [
        "YH341122-2026-00002",
        "YH341122-2026-00001",
    ]


def test_a_filter_that_reads_the_user_gets_the_ledgers_owner(cast, two_hazards):
    x, y = two_hazards
    Hazard.objects.filter(pk=x.pk).update(status=Hazard.Status.AWAITING_VERIFICATION)
    Hazard.objects.filter(pk=y.pk).update(status=Hazard.Status.RECTIFYING)
    assert numbers(hazard_ledger(cast["county_office"], QueryDict("to=verify"))) == [x.number]


def test_a_row_holds_the_same_values_and_types_as_the_record(cast, two_hazards):
    x, _y = two_hazards
    verifier = UserFactory(username="verifier", real_name="赵验收")
    plan(x, "张三", 2, cast["town_a"])
    plan(x, "李四", "3.50", cast["town_a"])  # the newer plan is the current one
    verified_at = timezone.now() - timedelta(hours=3)
    Hazard.objects.filter(pk=x.pk).update(
        status=Hazard.Status.CLOSED, verified_by=verifier, verified_at=verified_at, closed_on=on(0)
    )
    x.refresh_from_db()
    ledger = hazard_ledger(cast["county_office"], QueryDict(f"q={x.number}"))
    (row,) = ledger.rows(ledger.queryset)
    assert row == [
        x.number,
        cast.enterprise_x.name,
        x.region.name,
        x.industry.name,
        x.description,
        x.get_category_display(),
        x.get_grade_display(),
        x.get_source_display(),
        x.found_on,
        "李四",
        "李四的措施",
        3.5,
        x.due_on,
        "已销号",
        "赵验收",
        timezone.localtime(verified_at).replace(tzinfo=None),
        on(0),
    ]
    assert [type(row[i]) for i in (11, 15)] == [float, type(verified_at)]
    assert row[15].tzinfo is None


def test_a_hazard_without_plan_or_verifier_exports_empty_cells(cast, two_hazards):
    _x, y = two_hazards
    ledger = hazard_ledger(cast["town_b"], QueryDict(""))
    (row,) = ledger.rows(ledger.queryset)
    assert row[9:12] == ["", "", None]
    assert row[14:] == ["", None, None]
    assert row[13] == y.get_status_display()


def test_a_hazard_at_a_place_shows_the_place(cast):
    HazardFactory(region=cast.village_a, industry=cast.enterprise_x.industry, place="东关菜市场")
    ledger = hazard_ledger(cast["county_office"], QueryDict(""))
    assert [row[1] for row in ledger.rows(ledger.queryset)] == ["东关菜市场"]


def test_the_ledger_reads_plans_per_chunk_in_a_constant_number_of_queries(
    cast, django_assert_max_num_queries
):
    for _number in range(30):
        hazard = HazardFactory(enterprise=cast.enterprise_x)
        plan(hazard, "张三", None, cast["town_a"])
    ledger = hazard_ledger(cast["county_office"], QueryDict(""))
    # The scope, the hazards, their plans, and the names of the regions and industries met (once each).
    with django_assert_max_num_queries(5):
        assert write_xlsx(ledger, io.BytesIO()) == 30
