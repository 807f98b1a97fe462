"""The night of an accident, in a real browser: the county 安委办 draws up and publishes 新安镇's duty roster for
the month; an enterprise files an accident 初报; the town's duty officer, on a phone, is told at once, finds the
report in the duty log, confirms it and records to whom it was passed; the county sees who is on duty with
one-tap call links, and the 带班领导 on the roster has the duty widget in the header."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.accidents.tests.factories import report
from anlan.emergency.models import DutyLogEntry

from .conftest import login, logout, screenshot

pytestmark = pytest.mark.browser


def test_an_accident_at_night_reaches_the_towns_duty_officer_who_confirms_it(
    page: Page, phone_page: Page, server, cast
):
    base = server.url
    # The county 安委办 draws up 新安镇's roster for this month and publishes it.
    login(page, server, "county_office")
    page.goto(f"{base}/")
    page.get_by_role("button", name="应急管理", exact=True).click()
    page.get_by_role("link", name="值班表", exact=True).click()
    page.get_by_test_id("roster-create").click()
    page.get_by_label("值班单位").select_option(label="新安镇")
    page.get_by_label("月份").fill(timezone.localdate().strftime("%Y-%m"))
    page.get_by_label("值班电话").fill("0550-5012110")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("roster-fill").click()
    page.get_by_label("交接班时间").fill("00:00")
    page.get_by_label("值班员（依次轮值）").select_option(label=str(cast["town_a"]))
    page.get_by_label("带班领导（依次轮值）").select_option(label=str(cast["leader"]))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("shift-table")).to_contain_text(str(cast["leader"]))
    page.get_by_test_id("roster-publish").click()
    expect(page.locator(".alert-success")).to_contain_text("值班表已发布")

    # An enterprise files the 初报 (its form is exercised in the accidents flow).
    accident = report(cast)

    # The town's duty officer, on a phone: told at once, finds it in the log, confirms and passes it on.
    login(phone_page, server, "town_a")
    expect(phone_page.get_by_test_id("unread-count")).not_to_have_text("0")
    phone_page.goto(f"{base}/emergency/duty/log/")
    expect(phone_page.get_by_test_id("log-table")).to_contain_text("事故初报")
    phone_page.get_by_test_id("log-table").get_by_role("link").first.click()
    expect(phone_page.get_by_test_id("log-entry")).to_contain_text(accident.place)
    phone_page.get_by_test_id("log-confirm").click()
    expect(phone_page.locator(".alert-success")).to_contain_text("已确认接报")
    phone_page.get_by_label("转报/交办对象").fill("镇长、分管副镇长，镇应急办已赶赴现场")
    phone_page.get_by_role("button", name="记录转报").click()
    expect(phone_page.get_by_test_id("log-entry")).to_contain_text("镇应急办已赶赴现场")
    screenshot(phone_page, "duty-log-phone.png", full_page=True)
    town_entry = DutyLogEntry.objects.get(incident__accident=accident, unit__kind="town")
    assert town_entry.confirmed_by == cast["town_a"]

    # The county sees who is on duty now, with call links.
    page.goto(f"{base}/emergency/duty/")
    board = page.get_by_test_id("duty-board")
    expect(board).to_contain_text("新安镇")
    # The office line, and the officer's and leader's (no mobile on their accounts: the duty phone stands in).
    expect(board.locator('a[href="tel:0550-5012110"]')).to_have_count(3)
    screenshot(page, "duty-now.png")

    # The 带班领导 on the roster has the duty widget in the header; the county office (not rostered) has not.
    expect(page.get_by_test_id("duty-widget")).to_have_count(0)
    logout(page, server)
    login(page, server, "leader")
    expect(page.get_by_test_id("duty-widget")).to_be_attached()
