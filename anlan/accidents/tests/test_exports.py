"""The accident ledger built without a request (what a background export job does): scope, filters, values."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from anlan.accidents.exports import accident_ledger
from anlan.accidents.tests.factories import report
from anlan.core.exports import write_xlsx

pytestmark = pytest.mark.django_db


def places(ledger) -> list[str]:
    return [row[3] for row in ledger.rows(ledger.queryset)]


def test_the_ledger_is_scoped_to_the_owner_without_a_request(cast):
    report(cast, place="东关工地")
    assert places(accident_ledger(cast["town_a"], QueryDict(""))) == ["东关工地"]
    assert accident_ledger(cast["town_b"], QueryDict("")).count() == 0


def test_the_ledger_applies_the_saved_filters_newest_first_whatever_the_sort(cast):
    now = timezone.now()
    report(cast, place="前天", occurred_at=now - timedelta(days=2), deaths=3)
    report(cast, place="今天", occurred_at=now - timedelta(minutes=5))
    owner = cast["county_office"]
    assert places(accident_ledger(owner, QueryDict("sort=-deaths"))) == ["今天", "前天"]
    since = timezone.localdate(now - timedelta(days=1)).isoformat()
    assert places(accident_ledger(owner, QueryDict(f"date_from={since}"))) == ["今天"]


def test_a_row_holds_the_same_values_and_types_as_the_record(cast):
    accident = report(cast, direct_loss_yuan=Decimal("1234567.89"))
    ledger = accident_ledger(cast["county_office"], QueryDict(""))
    (row,) = ledger.rows(ledger.queryset)
    assert row == [
        accident.title,
        timezone.localtime(accident.occurred_at).replace(tzinfo=None),
        accident.region.name,
        accident.place,
        cast.enterprise_x.name,
        accident.industry.name,
        accident.get_kind_display(),
        accident.get_type_code_display(),
        accident.get_grade_display(),
        1,
        0,
        0,
        2,
        123.456789,
        timezone.localtime(accident.reported_at).replace(tzinfo=None),
        "是" if accident.is_late else "否",
    ]
    assert row[1].tzinfo is None and type(row[13]) is float


def test_an_accident_without_an_enterprise_exports_an_empty_cell(cast):
    report(cast, actor=cast["town_a"], enterprise=None)
    ledger = accident_ledger(cast["county_office"], QueryDict(""))
    assert [row[4] for row in ledger.rows(ledger.queryset)] == [""]


def test_the_ledger_reads_in_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    for _number in range(12):
        report(cast)
    ledger = accident_ledger(cast["county_office"], QueryDict(""))
    with django_assert_max_num_queries(2):
        assert write_xlsx(ledger, io.BytesIO()) == 12
