"""An enterprise import that also updates a registered enterprise, in a real browser: the county office
uploads a sheet with two bad rows and one registered enterprise with a changed address, downloads the error
workbook, fixes the red cells (here with openpyxl), uploads it again, reads the diff, confirms, and finds the
new address and its change record on the enterprise's page."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from anlan.core.imports import COLUMNS
from anlan.core.tests.factories import next_id_number, next_uscc

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW_ADDRESS = "新安镇东关路99号"


def _row(**values) -> list:
    return [values.get(field, "") for _title, field in COLUMNS]


def test_the_error_workbook_is_fixed_and_the_diff_of_a_registered_enterprise_confirmed(page, server, cast):
    x = cast.enterprise_x
    principal = next_id_number()
    new = {"region": cast.village_a.code, "industry": "工贸", "principal": "李春华"}
    workbook = Workbook()
    workbook.active.append([title for title, _field in COLUMNS])
    workbook.active.append(
        _row(uscc=next_uscc(), name="来安县东关五金制品厂", principal_id_number=principal, **new)
    )
    bad_industry = {**new, "industry": "不存在的行业"}
    workbook.active.append(
        _row(uscc=next_uscc(), name="来安县东关包装厂", principal_id_number=principal, **bad_industry)
    )
    bad_flag = {**new, "has_major_hazard_source": "有"}
    workbook.active.append(
        _row(uscc=next_uscc(), name="来安县东关木业", principal_id_number=principal, **bad_flag)
    )
    # Enterprise X as registered, but for its address; the blank cells keep what is registered.
    workbook.active.append(
        _row(
            uscc=x.uscc,
            name=x.name,
            region=x.region_id,
            industry=x.industry.name,
            principal=x.principal.name,
            principal_id_number=x.principal.id_number,
            address=NEW_ADDRESS,
        )
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    login(page, server, "county_office")
    page.goto(f"{server.url}/enterprises/import/")
    page.locator("#id_file").set_input_files(
        {"name": "东关.xlsx", "mimeType": XLSX, "buffer": buffer.getvalue()}
    )
    page.get_by_role("button", name="校验并导入").click()
    expect(page.get_by_test_id("import-report")).to_contain_text("有错误 2 行；已导入 0 行。")
    expect(page.get_by_test_id("import-diff")).to_contain_text(NEW_ADDRESS)
    expect(page.get_by_test_id("import-confirm-updates")).to_have_count(0)

    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    fixed = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = fixed.active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "错误说明"
    red = [cell for line in sheet.iter_rows(min_row=2) for cell in line[1:] if cell.comment is not None]
    assert [cell.coordinate for cell in red] == ["E3", "O4"]  # 主行业领域 of row 3, 重大危险源 of row 4
    red[0].value, red[1].value = "工贸", "否"
    fixed_buffer = io.BytesIO()
    fixed.save(fixed_buffer)

    page.locator("#id_file").set_input_files(
        {"name": "东关-错误报告.xlsx", "mimeType": XLSX, "buffer": fixed_buffer.getvalue()}
    )
    page.get_by_role("button", name="校验并导入").click()
    expect(page.get_by_test_id("import-report")).to_contain_text("有错误 0 行；已导入 3 行。")
    diff = page.get_by_test_id("import-diff").locator("tbody tr")
    expect(diff).to_have_count(1)
    expect(diff.first.locator("td")).to_have_text(["5", x.name, "生产经营地址", x.address, NEW_ADDRESS])
    screenshot(page, "import-diff.png")

    page.get_by_test_id("import-confirm-updates").click()
    expect(page.get_by_role("alert")).to_contain_text("已更新 1 条记录。")
    expect(page.get_by_test_id("import-confirm-updates")).to_have_count(0)
    page.goto(f"{server.url}/enterprises/{x.pk}/")
    expect(page.locator("main")).to_contain_text(NEW_ADDRESS)
    latest = page.get_by_test_id("timeline").locator("li").first
    expect(latest).to_contain_text("Excel 导入更新")
    expect(latest).to_contain_text(NEW_ADDRESS)
