"""The rest of the night of an accident, in a real browser: with rosters published for 新安镇 and the county
安委办, an enterprise files a 初报; both duty officers find it in their duty logs; the town, on a phone, records
its 先期处置 (who went, when they arrived, what they did); the county starts a 四级 应急响应, raises it to 三级,
tasks the 住建局, whose member confirms receipt; the response is ended and the chronicle (大事记) is downloaded as DOCX.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect

from anlan.accidents.tests.factories import report
from anlan.emergency.models import DutyLogEntry, Response, ResponseTask

from .conftest import login, logout, screenshot

pytestmark = pytest.mark.browser

WHEN = "%Y-%m-%dT%H:%M"


def _publish_roster(page: Page, base: str, unit: str, phone: str, officer, leader) -> None:
    """Through the 值班表 pages: this month's roster of `unit`, one shift a day from 00:00, published."""
    page.goto(f"{base}/")
    page.get_by_role("button", name="应急管理", exact=True).click()
    page.get_by_role("link", name="值班表", exact=True).click()
    page.get_by_test_id("roster-create").click()
    page.get_by_label("值班单位").select_option(label=unit)
    page.get_by_label("月份").fill(timezone.localdate().strftime("%Y-%m"))
    page.get_by_label("值班电话").fill(phone)
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("roster-fill").click()
    page.get_by_label("交接班时间").fill("00:00")
    page.get_by_label("值班员（依次轮值）").select_option(label=str(officer))
    page.get_by_label("带班领导（依次轮值）").select_option(label=str(leader))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("shift-table")).to_contain_text(str(officer))
    page.get_by_test_id("roster-publish").click()
    expect(page.locator(".alert-success")).to_contain_text("值班表已发布")


def _log_entry(page: Page, unit: str) -> None:
    """In the duty log (the county sees every office's entries in its scope), open the one of `unit`."""
    row = page.get_by_test_id("log-table").get_by_role("row").filter(has_text=unit)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("事故初报")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(unit)


def test_both_duty_officers_get_the_report_the_town_responds_first_and_the_county_runs_the_response(
    page: Page, phone_page: Page, server, cast
):
    base = server.url
    county_office = f"{cast.county.name}安委办"
    # The county 安委办 publishes this month's rosters of 新安镇 and of itself.
    login(page, server, "county_office")
    _publish_roster(page, base, "新安镇", "0550-5012110", cast["town_a"], cast["leader"])
    _publish_roster(page, base, county_office, "0550-5011110", cast["county_office"], cast["leader"])

    # An enterprise files the 初报 (its form is exercised in the accidents flow).
    accident = report(cast)

    # The county's duty officer finds it in the 安委办's duty log and confirms it.
    page.goto(f"{base}/emergency/duty/")
    page.get_by_role("link", name="值班日志").click()
    log = page.get_by_test_id("log-table")
    expect(log).to_contain_text("事故初报")
    expect(log).to_contain_text(county_office)
    _log_entry(page, county_office)
    expect(page.get_by_test_id("log-entry")).to_contain_text(accident.place)
    page.get_by_test_id("log-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认接报")
    county_entry = DutyLogEntry.objects.get(incident__accident=accident, unit__kind="committee_office")
    assert county_entry.confirmed_by == cast["county_office"]

    # The town's duty officer, on a phone: told at once, confirms, and records the 先期处置 on the incident.
    login(phone_page, server, "town_a")
    expect(phone_page.get_by_test_id("unread-count")).not_to_have_text("0")
    phone_page.goto(f"{base}/emergency/duty/log/")
    expect(phone_page.get_by_test_id("log-table")).to_contain_text("事故初报")
    _log_entry(phone_page, "新安镇")
    phone_page.get_by_test_id("log-confirm").click()
    expect(phone_page.locator(".alert-success")).to_contain_text("已确认接报")
    phone_page.get_by_test_id("log-incident").click()
    phone_page.get_by_role("link", name="记录先期处置").click()
    now = timezone.localtime().replace(second=0, microsecond=0)
    called, dispatched, arrived = (now - timedelta(minutes=m) for m in (20, 18, 6))
    phone_page.get_by_label("接警时间").fill(called.strftime(WHEN))
    phone_page.get_by_label("出动时间").fill(dispatched.strftime(WHEN))
    phone_page.get_by_label("到达时间").fill(arrived.strftime(WHEN))
    phone_page.get_by_label("出动人员").fill("李镇长 副镇长 13900001234\n赵应急 应急办主任 13900005678")
    phone_page.get_by_label("处置措施").fill(
        f"{arrived:%Y-%m-%d %H:%M} 划定警戒区，疏散工地作业人员\n{now:%Y-%m-%d %H:%M} 协助120转运伤员"
    )
    phone_page.get_by_role("button", name="保存").click()
    expect(phone_page.locator(".alert-success")).to_contain_text("先期处置已记录")
    first = phone_page.get_by_test_id("first-response")
    expect(first).to_contain_text("李镇长（副镇长）")
    expect(first).to_contain_text("划定警戒区，疏散工地作业人员")

    # The county starts a 四级 response from the incident's page and raises it to 三级.
    page.get_by_role("button", name="应急管理", exact=True).click()
    page.get_by_role("link", name="突发事件与应急响应", exact=True).click()
    page.get_by_role("link", name=accident.title).first.click()
    expect(page.get_by_test_id("first-response")).to_contain_text("赵应急")
    page.get_by_test_id("response-start").click()
    page.get_by_label("响应级别").select_option(label="四级")
    page.get_by_label(re.compile(r"^指挥长[\s*]*$")).fill("孙副县长")  # not 指挥长电话
    page.get_by_label("指挥长电话").fill("13900009999")
    page.get_by_label("现场指挥部位置").fill("东关社区建设工地北门")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("应急响应已启动")
    expect(page.get_by_role("heading", level=1)).to_contain_text("四级响应中")
    level_form = page.get_by_test_id("level-form")
    level_form.get_by_label("调整为").select_option(label="三级")
    level_form.get_by_label("调整原因").fill("伤员增加，周边居民需疏散")
    level_form.get_by_role("button", name="调整").click()
    expect(page.locator(".alert-success")).to_contain_text("响应级别已调整")
    expect(page.get_by_role("heading", level=1)).to_contain_text("三级响应中")

    # A task to the 住建局, whose member confirms receipt from the message.
    task_form = page.get_by_test_id("task-form")
    task_form.get_by_label("承办单位").select_option(label=cast.dept_housing.name)
    task_form.get_by_label("任务内容").fill("组织专家对3号楼脚手架及周边建筑进行安全评估")
    task_form.get_by_label("完成时限").fill((now + timedelta(hours=3)).strftime(WHEN))
    task_form.get_by_role("button", name="下达").click()
    expect(page.locator(".alert-success")).to_contain_text("任务已下达")
    expect(page.get_by_test_id("tasks")).to_contain_text("待确认")
    task = ResponseTask.objects.get()

    incident_url = page.url
    logout(page, server)
    login(page, server, "dept_housing")
    page.get_by_test_id("notification-bell").click()
    message = page.get_by_test_id("notification-list").locator(".list-group-item", has_text="应急任务")
    message.get_by_role("button", name="查看").click()
    expect(page).to_have_url(f"{base}/emergency/response-tasks/{task.pk}/")
    page.get_by_test_id("task-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认接收")
    logout(page, server)

    login(page, server, "county_office")
    page.goto(incident_url)
    expect(page.get_by_test_id("tasks")).to_contain_text("已确认")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("启动四级应急响应")
    expect(timeline).to_contain_text("响应级别由四级提高为三级")
    screenshot(page, "response-incident.png", full_page=True)

    # The response ends; the chronicle comes down as DOCX from the page's link.
    end_form = page.get_by_test_id("end-form")
    end_form.get_by_label("结束说明").fill("伤员已全部送医，现场险情排除")
    end_form.get_by_role("button", name="结束响应").click()
    expect(page.locator(".alert-success")).to_contain_text("应急响应已结束")
    assert Response.objects.get().status == Response.Status.ENDED
    with page.expect_download() as download:
        page.get_by_test_id("chronicle-docx").click()
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert f"发生地点：{cast.village_a.name} {accident.place}" in text
    assert "启动四级应急响应" in text
    assert "响应级别由四级提高为三级：伤员增加，周边居民需疏散" in text
    assert "划定警戒区，疏散工地作业人员" in text
