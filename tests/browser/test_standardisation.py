"""安全生产标准化 and 安责险 in a real browser (issue #18): enterprise X (建筑施工, where 安责险 is compulsory) opens
its page and reads the 一必须五到位 panel — 应投未投 with the rule and how sure it is — records its policy on the
form, and the panel then shows the policy; the 住建局 finds the grade a fatal accident flagged 待撤销审查, reads why,
and withdraws it; the enterprise then reads 已撤销 on a phone."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.risk.tests import factories_standard as f

from .conftest import login, logout, screenshot

pytestmark = pytest.mark.browser


def test_the_enterprise_records_its_policy_and_a_supervisor_withdraws_a_flagged_grade(
    page: Page, phone_page: Page, server, cast
):
    base = server.url
    today = timezone.localdate()
    grade = f.flagged_grade(cast)
    f.spending(cast)
    f.responsibility(cast)

    # The enterprise reads its profile: 应投未投, and its grade under review.
    login(page, server, "enterprise_x")
    page.goto(f"{base}/enterprises/{cast.enterprise_x.pk}/")
    panel = page.get_by_test_id("enterprise-five-in-place")
    expect(panel.get_by_test_id("profile-policy")).to_contain_text("应投未投")
    expect(panel.get_by_test_id("profile-grade")).to_contain_text("待撤销审查")
    expect(panel.get_by_test_id("profile-money")).to_contain_text("到位")
    expect(panel.get_by_test_id("profile-training")).to_contain_text("培训记录不符合要求")

    # It records its policy; the panel then shows it.
    panel.get_by_test_id("policy-create").click()
    page.locator("#id_insurer").fill("中国人民财产保险股份有限公司滁州市分公司")
    page.locator("#id_policy_no").fill("PZAB2026341122009999")
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_ends_on").fill(today.replace(year=today.year + 1).isoformat())
    page.locator("#id_insured_people").fill("86")
    page.locator("#id_per_person_amount").fill("500000")
    page.locator("#id_total_amount").fill("43000000")
    page.locator("#id_premium").fill("25800")
    page.locator("#id_technical_service").check()
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(f"{base}/enterprises/{cast.enterprise_x.pk}/")
    panel = page.get_by_test_id("enterprise-five-in-place")
    expect(panel.get_by_test_id("profile-policy")).to_contain_text("PZAB2026341122009999")
    expect(panel.get_by_test_id("profile-policy")).not_to_contain_text("应投未投")
    panel.scroll_into_view_if_needed()
    screenshot(page, "enterprise-profile.png")
    logout(page, server)

    # The 住建局 finds the flagged grade, reads why, and withdraws it.
    login(page, server, "dept_housing")
    page.goto(f"{base}/risk/standard/grades/?status=under_review")
    page.get_by_test_id("grade-table").get_by_role("link", name=cast.enterprise_x.name).click()
    expect(page.get_by_test_id("grade-flag")).to_contain_text("有效期内发生生产安全死亡事故")
    expect(page.get_by_test_id("grade-flag")).to_contain_text("未确认")
    page.get_by_test_id("transitions").get_by_role("link", name="撤销等级").click()
    page.locator("#id_reason").fill("有效期内发生 1 人死亡的生产安全事故，撤销一级等级。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("grade-withdrawn")).to_contain_text("撤销一级等级")
    expect(page.get_by_test_id("transitions")).to_have_count(0)
    logout(page, server)

    # The enterprise reads it on a phone.
    login(phone_page, server, "enterprise_x")
    phone_page.goto(f"{base}/risk/standard/grades/{grade.pk}/")
    expect(phone_page.get_by_test_id("grade-withdrawn")).to_be_visible()
    expect(phone_page.get_by_text("已撤销").first).to_be_visible()
