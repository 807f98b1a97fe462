"""Ledger exports in a real browser. A large one runs as a background job: the county office exports, lands
on the job page (queued), the page's progress polling follows the worker to the end, and the download link
gives the file; the notification bell says it is done. The worker is `jobs.work_off()` run by the test
meanwhile. A small one downloads at once, filtered as the list is, and follows the ledger standard."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from openpyxl import load_workbook
from playwright.sync_api import expect

from anlan.core import jobs
from anlan.core.tests.factories import EnterpriseFactory, industry
from anlan.hazards.models import Hazard
from anlan.hazards.tests.factories import HazardFactory

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


@override_settings(ANLAN_EXPORT_JOB_ROWS=3)
def test_a_large_export_runs_as_a_job_with_progress_and_a_download(page, phone_page, server, cast):
    for number in range(6):
        EnterpriseFactory(
            name=f"来安县导出测试{number}号有限公司", region=cast.village_a, industry=industry("construction")
        )
    login(page, server, "county_office")
    page.goto(f"{server.url}/enterprises/")
    page.locator("#export-link").click()

    expect(page.get_by_test_id("job-status")).to_have_text("排队中")
    expect(page.locator(".alert")).to_contain_text("共 8 行，已转入后台导出")
    jobs.work_off()
    # No reload: the page's own polling picks up the finished job.
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    expect(page.get_by_test_id("job-count")).to_contain_text("已处理 8 / 8 行")
    screenshot(page, "export-job.png")
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == 3 + 8  # title, info, header, rows
    page.reload()  # the bell counts on each page load
    expect(page.get_by_test_id("unread-count")).to_have_text("1")

    # The same job from the owner's phone: the list of her jobs, then the job.
    login(phone_page, server, "county_office")
    phone_page.goto(f"{server.url}/jobs/")
    expect(phone_page.get_by_test_id("job-table")).to_contain_text("导出生产经营单位台账（8 行）")
    phone_page.get_by_role("link", name="导出生产经营单位台账（8 行）").click()
    expect(phone_page.get_by_test_id("job-download")).to_be_visible()


def test_the_filtered_hazard_list_exports_a_standard_ledger(page, server, cast, tmp_path):
    HazardFactory(enterprise=cast.enterprise_x, status=Hazard.Status.RECTIFYING, description="=1+1")
    HazardFactory(enterprise=cast.enterprise_y, status=Hazard.Status.REGISTERED)
    login(page, server, "county_office")
    page.goto(f"{server.url}/hazards/")
    with page.expect_response(lambda r: "status=rectifying" in r.url and r.request.headers.get("hx-request")):
        page.locator("#id_status").select_option(label="整改中")
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 条")
    with page.expect_download() as download:
        page.locator("#export-link").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "隐患排查治理台账　来安县　状态：整改中"
    assert sheet["A2"].value.endswith("共 1 条")
    assert [sheet.cell(3, column).value for column in (1, 2)] == ["序号", "隐患编号"]
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref.startswith("A3:") and sheet.auto_filter.ref.endswith("4")
    description = sheet.cell(4, [cell.value for cell in sheet[3]].index("隐患描述") + 1)
    assert (description.value, description.data_type) == ("=1+1", "s")
