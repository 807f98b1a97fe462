"""A plan's filing (预案备案), in a real browser: an enterprise registers its 综合应急预案 from the 应急管理 menu,
records the 评审, has it signed by its 主要负责人 and publishes it, then files it with the 住建局 (the department
supervising its industry). The 住建局, on a phone, opens it from its to-do list and returns it once, listing
everything missing; the enterprise files again; the 住建局 accepts it and downloads the 备案登记表 (DOCX).
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from anlan.emergency.models import Plan, PlanFiling
from anlan.emergency.tests.factories_plans import calendar_through_next_year

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

TITLE = "来安县建工集团生产安全事故综合应急预案"


def _open_from_todo(page: Page, server) -> None:
    """From the home page's to-do list, the plan's filing waiting for a check."""
    page.goto(f"{server.url}/")
    group = page.get_by_test_id("todos").locator("[data-todo='emergency.plan_filings_to_check']")
    expect(group).to_contain_text("待审查的预案备案")
    group.get_by_test_id("todo-item").filter(has_text=TITLE).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"预案备案审查：{TITLE}")


def test_an_enterprise_files_its_plan_the_department_returns_it_once_then_accepts_it(
    page: Page, phone_page: Page, server, cast
):
    # The 20-working-day filing deadline counted from December reaches into next year, whose holiday notice is
    # not loaded here: a weekends-only calendar stands in (as for the emergency unit tests).
    calendar_through_next_year()
    base = server.url

    # The enterprise registers its plan from the menu.
    login(page, server, "enterprise_x")
    page.get_by_role("button", name="应急管理", exact=True).click()
    page.get_by_role("link", name="应急预案", exact=True).click()
    page.get_by_test_id("plan-create").click()
    form = page.get_by_test_id("plan-form")
    form.get_by_label("预案类别").select_option(label="综合应急预案")
    form.get_by_label("预案名称").fill(TITLE)
    form.get_by_label("预案编号").fill("JG-YA-2026-01")
    form.get_by_label("适用范围").fill("本公司各在建项目")
    form.get_by_label("一级").check()
    form.get_by_label("二级").check()
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("预案已登记")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    plan = Plan.objects.get()

    # 评审 (or 论证, as the rule decides for this enterprise), signature by the 主要负责人, publication.
    review = page.get_by_test_id("review-form")
    review.get_by_label("评审人员（专家）").fill("张工（建筑施工）、刘工（应急管理）、陈工（消防）")
    review.get_by_label("评审人员与本单位无利害关系，有利害关系的已回避").check()  # 第二十二条
    review.get_by_label("结论").select_option(label="通过")
    review.get_by_label("评审意见").fill("预案要素齐全，响应分级合理。")
    review.get_by_role("button", name="记录评审/论证").click()
    expect(page.locator(".alert-success")).to_contain_text("评审记录已保存")
    page.get_by_test_id("sign-form").get_by_role("button", name="主要负责人签署").click()
    expect(page.locator(".alert-success")).to_contain_text("预案已签署")
    page.get_by_test_id("publish-form").get_by_role("button", name="公布").click()
    expect(page.locator(".alert-success")).to_contain_text("预案已公布")

    # Filed with the 住建局.
    filing_form = page.get_by_test_id("filing-form")
    filing_form.get_by_label("受理部门").select_option(label=cast.dept_housing.name)
    filing_form.get_by_role("button", name="报送备案").click()
    expect(page.locator(".alert-success")).to_contain_text("已报送备案")
    expect(page.get_by_test_id("filings")).to_contain_text(f"{cast.dept_housing.name} · 待审查")
    expect(page.get_by_test_id("filing-form")).to_have_count(0)

    # The 住建局, on a phone, opens it from its to-do list and returns it once with everything missing.
    login(phone_page, server, "dept_housing")
    _open_from_todo(phone_page, server)
    returned = phone_page.get_by_test_id("return-form")
    returned.get_by_label("风险评估结果").check()
    returned.get_by_label("应急资源调查清单").check()
    returned.get_by_label("其他需补正的内容").fill("评审意见须附专家签字页")
    returned.get_by_role("button", name="材料不齐，一次性告知补正").click()
    expect(phone_page.locator(".alert-success")).to_contain_text("已一次性告知需补正的材料")
    expect(phone_page.get_by_test_id("filing")).to_contain_text(
        "需补正：风险评估结果；应急资源调查清单；评审意见须附专家签字页"
    )
    expect(phone_page.get_by_test_id("accept-form")).to_have_count(0)
    first = PlanFiling.objects.get()
    assert first.status == PlanFiling.Status.RETURNED
    assert first.missing_items == ["risk_assessment", "resource_survey"]

    # The enterprise sees what is missing and, with the materials completed, files again.
    page.reload()
    expect(page.get_by_test_id("filings")).to_contain_text("需补正：风险评估结果；应急资源调查清单")
    filing_form = page.get_by_test_id("filing-form")
    filing_form.get_by_label("受理部门").select_option(label=cast.dept_housing.name)
    filing_form.get_by_role("button", name="报送备案").click()
    expect(page.locator(".alert-success")).to_contain_text("已报送备案")

    # The 住建局 accepts it and downloads the 备案登记表.
    _open_from_todo(phone_page, server)
    accept = phone_page.get_by_test_id("accept-form")
    accept.get_by_label("备案编号").fill("来建应急备〔2026〕7号")
    accept.get_by_role("button", name="材料齐全，予以备案").click()
    expect(phone_page.locator(".alert-success")).to_contain_text("已予以备案")
    with phone_page.expect_download() as download:
        phone_page.get_by_role("link", name="下载备案登记表").click()
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert TITLE in text
    assert "来建应急备〔2026〕7号" in text
    plan.refresh_from_db()
    assert plan.filing_status == Plan.FilingStatus.ACCEPTED
    assert list(plan.filings.order_by("pk").values_list("status", flat=True)) == ["returned", "accepted"]

    # The enterprise's plan page: both filings, the link to the 备案登记表.
    page.reload()
    filings = page.get_by_test_id("filings")
    expect(filings).to_contain_text("退回补正")
    expect(filings.get_by_role("link", name="备案登记表")).to_be_visible()
    screenshot(page, "plan-filing.png", full_page=True)
    expect(page.get_by_test_id("unread-count")).not_to_have_text("0")
    page.goto(f"{base}/emergency/plans/?filing_status=accepted")
    expect(page.get_by_test_id("plan-table")).to_contain_text(TITLE)
