"""The accident ledger built without a request (what a background export job does): scope, filters, values."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

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


def test_the_ledger_applies_the_saved_filters_and_the_lists_sort_newest_first_without_one(cast):
    now = timezone.now()
    report(cast, place="前天", occurred_at=now - timedelta(days=2), deaths=3)
    report(cast, place="今天", occurred_at=now - timedelta(minutes=5))
    owner = cast["county_office"]
    assert places(accident_ledger(owner, QueryDict(""))) == ["今天", "前天"]
    assert places(accident_ledger(owner, QueryDict("sort=-deaths"))) == ["前天", "今天"]
    assert places(accident_ledger(owner, QueryDict("sort=occurred"))) == ["前天", "今天"]
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
    # The scope, the count and the rows.
    with django_assert_max_num_queries(3):
        assert write_xlsx(ledger, io.BytesIO()) == 12


def test_the_downloaded_ledger_has_its_title_dates_as_dates_and_figures_as_numbers(cast, as_user):
    accident = report(cast, place="=1+1", direct_loss_yuan=Decimal("25000"))
    day = timezone.localdate(accident.occurred_at).isoformat()
    response = as_user(cast["county_office"]).get(
        reverse("accidents:accident-export"), {"date_from": day, "grade": accident.grade, "sort": "-deaths"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    grade = accident.get_grade_display()
    assert sheet["A1"].value == f"生产安全事故台账　来安县　发生日期 {day} 起　事故等级：{grade}"
    headers = [cell.value for cell in sheet[3]]
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == f"A3:{get_column_letter(len(headers))}4"
    cells = dict(zip(headers, sheet[4], strict=True))
    assert (cells["序号"].value, cells["事故地点"].value, cells["事故地点"].data_type) == (1, "=1+1", "s")
    occurred = cells["发生时间"]
    assert occurred.is_date and occurred.number_format == "yyyy-mm-dd hh:mm"
    expected = timezone.localtime(accident.occurred_at).replace(tzinfo=None)
    assert abs(occurred.value - expected) < timedelta(seconds=1)
    assert [
        (cells[title].value, cells[title].data_type) for title in ("死亡人数", "直接经济损失（万元）")
    ] == [
        (1, "n"),
        (2.5, "n"),
    ]
