"""Accidents in a real browser: an enterprise files a 初报, the county duty office sees it at once (bell and
list), a 续报 raises the grade, and the newly required level appears with its deadline.

Per 493号令 第十条 a 一般 accident already goes up to the 设区的市级, so the city step and its deadline are
shown from the first report; the 续报 that makes it 较大 adds the 省级 step with its deadline.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.accidents.models import Accident
from anlan.core.tests.factories import industry

from .conftest import login, pick, screenshot

pytestmark = pytest.mark.browser


def test_an_enterprise_report_reaches_the_county_at_once_and_a_follow_up_raises_the_grade(
    page: Page, browser, server, cast
):
    base = server.url
    login(page, server, "enterprise_x")
    page.goto(f"{base}/accidents/new/")
    occurred = timezone.localtime() - timedelta(minutes=25)
    page.locator("#id_occurred_at").fill(occurred.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_type_code").select_option("09")
    page.locator("#id_region").select_option(cast.village_a.code)
    page.locator("#id_place").fill("东关社区安置房项目3号楼")
    pick(page, "事故单位", "laxjg", cast.enterprise_x.uscc)
    page.locator("#id_industry").select_option(str(industry("construction").pk))
    page.locator("#id_deaths").fill("1")
    page.locator("#id_serious_injuries").fill("2")
    page.locator("#id_direct_loss_yuan").fill("860000.00")
    page.locator("#id_description").fill("一名工人在外脚手架拆除作业时坠落，两人受伤。")
    page.locator("#id_reporter_name").fill("王安全")
    page.locator("#id_reporter_phone").fill("13800001111")
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_test_id("grade").first).to_have_text("一般事故")
    accident = Accident.objects.get()
    city_due = timezone.localtime(accident.steps.get(level="city").due_at).strftime("%Y-%m-%d %H:%M")
    expect(page.get_by_test_id("due-city")).to_have_text(city_due)
    expect(page.get_by_test_id("step-province")).to_have_count(0)

    # The county duty office, in its own browser context, sees it at once: bell, list and detail.
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    office = context.new_page()
    login(office, server, "county_office")
    expect(office.get_by_test_id("unread-count")).to_have_text("1")
    office.get_by_test_id("notification-bell").click()
    expect(office.get_by_test_id("notification-list")).to_contain_text(accident.title)
    office.get_by_role("button", name="查看").click()
    expect(office).to_have_url(f"{base}/accidents/{accident.pk}/")
    expect(office.get_by_test_id("report-steps")).to_contain_text("县级")
    office.goto(f"{base}/accidents/")
    expect(office.get_by_test_id("accident-table")).to_contain_text(accident.title)

    # The enterprise files a 续报: two of the injured died, a third is missing → 3 dead incl. missing → 较大.
    page.get_by_test_id("follow-up").click()
    page.locator("#id_deaths").fill("2")
    page.locator("#id_missing").fill("1")
    page.locator("#id_description").fill("两名伤员经抢救无效死亡，一人下落不明。")
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_test_id("grade").first).to_have_text("较大事故")
    accident.refresh_from_db()
    province_due = timezone.localtime(accident.steps.get(level="province").due_at).strftime("%Y-%m-%d %H:%M")
    expect(page.get_by_test_id("step-province")).to_be_visible()
    expect(page.get_by_test_id("due-province")).to_have_text(province_due)
    expect(page.get_by_test_id("due-city")).to_have_text(city_due)
    expect(page.get_by_test_id("grade-basis")).to_contain_text("死亡（含失踪）人数")

    office.reload()
    expect(office.get_by_test_id("accident-table")).to_contain_text("较大事故")
    screenshot(page, "accident-detail.png", full_page=True)
    context.close()
