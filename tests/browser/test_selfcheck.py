"""自查自改 in a real browser (issue #18, seed-map B8): enterprise X opens its daily checklist from the menu and records
a run with one problem — which then stands in its own hazards list as a 企业自查 hazard — and a run that found
nothing; on a phone it reads its month calendar with the days it missed; the county 安委办 reads whether
self-inspection actually happens on the compliance list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from anlan.risk.tests import factories_selfcheck as f

from .conftest import login, logout, screenshot

pytestmark = pytest.mark.browser


def test_the_enterprise_records_its_self_inspection_and_a_supervisor_sees_compliance(
    page: Page, phone_page: Page, server, cast
):
    base = server.url
    checklist = f.checklist(cast)  # daily, enabled 60 days ago, never run: the days are gaps

    # The enterprise opens its checklist from the menu and records a run with one problem.
    login(page, server, "enterprise_x")
    page.get_by_role("button", name="企业主体责任", exact=True).click()
    page.get_by_role("link", name="自查自改", exact=True).click()
    page.get_by_role("link", name=checklist.name).first.click()
    page.get_by_test_id("run-create").click()
    item = page.get_by_test_id("run-item").nth(1)
    item.get_by_label("存在问题").check()
    item.locator("input[name^='note_']").fill("三层临边防护栏杆缺失")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("run-outcome")).to_contain_text("发现 1 个问题")
    page.goto(f"{base}{reverse('hazards:hazard-list')}")
    expect(page.get_by_text("三层临边防护栏杆缺失").first).to_be_visible()

    # A second run the same day finds nothing: it must say so explicitly.
    page.goto(f"{base}{reverse('risk:selfcheck-checklist-detail', args=[checklist.pk])}")
    page.get_by_test_id("run-create").click()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-field='nothing_found']")).to_be_visible()
    page.get_by_label("本次自查未发现问题").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("run-outcome")).to_contain_text("未发现问题")
    logout(page, server)

    # On a phone, the enterprise reads its month: today done, the days before it missed.
    login(phone_page, server, "enterprise_x")
    phone_page.goto(f"{base}{reverse('risk:selfcheck-calendar', args=[cast.enterprise_x.pk])}")
    calendar = phone_page.get_by_test_id("calendar")
    expect(calendar).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "selfcheck-calendar.png", full_page=True)

    # The county office reads whether self-inspection happens, enterprise by enterprise.
    login(page, server, "county_office")
    page.get_by_role("button", name="企业主体责任", exact=True).click()
    page.get_by_role("link", name="企业自查开展情况", exact=True).click()
    page.get_by_label("已建自查清单").select_option("true")
    expect(page.get_by_role("link", name=cast.enterprise_x.name).first).to_be_visible()
