"""The 严重失信主体名单 procedure in a browser (issue #18, seed-map H6): a candidate on enterprise X, entered by the
county 安委办, goes through 告知 (the notice DOCX), the enterprise's 陈述申辩 on a phone, the written decision to
list (3 years, the banner on X's page), and — 12 months later — X's application for early removal, which the
office grants after confirming every repair condition."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.credit import rules
from anlan.credit.models import DishonestyCase
from anlan.credit.tests import factories_dishonesty as f

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_a_candidate_is_told_states_its_case_is_listed_and_removed_early(
    page: Page, phone_page: Page, server, cast
):
    base = server.url
    case = f.candidate(cast)

    # The office finds the candidate in its queue and tells the party.
    login(page, server, "county_office")
    page.get_by_role("button", name="信用监管", exact=True).click()
    page.get_by_role("link", name="失信候选待办", exact=True).click()
    page.get_by_role("link", name=cast.enterprise_x.name).first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="告知当事人").click()
    expect(page.locator(".alert-success")).to_contain_text("告知当事人")
    expect(page.get_by_test_id("notice-docx")).to_contain_text("失信告")

    # The enterprise, on a phone, opens the case from the list and states its case.
    login(phone_page, server, "enterprise_x")
    phone_page.goto(f"{base}/credit/dishonesty/")
    phone_page.get_by_role("link", name=cast.enterprise_x.name).first.click()
    phone_page.get_by_role("link", name="提出陈述申辩").click()
    phone_page.get_by_label("陈述申辩意见").fill("我单位已停产整改并缴清罚款，请求不予列入。")
    phone_page.get_by_role("button", name="提交").click()
    expect(phone_page.get_by_text("已陈述申辩").first).to_be_visible()

    # The office (still signed in on its desktop) decides to list, answering the statement.
    page.goto(f"{base}/credit/dishonesty/{case.pk}/")
    page.get_by_role("link", name="决定列入").click()
    page.get_by_label("决定理由").fill("停产整改不影响违法事实的认定，申辩理由不成立。")
    page.get_by_role("button", name="提交").click()
    today = timezone.localdate()
    expect(page.get_by_test_id("listing-period")).to_contain_text(
        f"{today:%Y-%m-%d} — {rules.listing_expires_on(today):%Y-%m-%d}"
    )
    expect(page.get_by_test_id("decision-docx")).to_contain_text("失信决")
    expect(page.get_by_test_id("removal-not-yet")).to_be_visible()
    page.goto(f"{base}/enterprises/{cast.enterprise_x.pk}/")
    expect(page.get_by_test_id("dishonesty-banner")).to_contain_text("列入严重失信主体名单")

    # Thirteen months on (the listing moved back in time): X applies for early removal.
    listed_on = today - timedelta(days=400)
    DishonestyCase.objects.filter(pk=case.pk).update(
        listed_on=listed_on, expires_on=rules.listing_expires_on(listed_on)
    )
    phone_page.goto(f"{base}/credit/dishonesty/{case.pk}/")
    phone_page.get_by_role("link", name="申请提前移出").click()
    phone_page.get_by_label("信用修复情况").fill(
        "罚款已缴清，隐患全部整改并经复查合格，一年来未再发生违法行为。"
    )
    phone_page.get_by_role("button", name="提交").click()
    expect(phone_page.get_by_text("已申请提前移出").first).to_be_visible()

    # The office confirms every repair condition and removes the subject early.
    page.goto(f"{base}/credit/dishonesty/{case.pk}/")
    page.get_by_role("link", name="同意提前移出").click()
    page.get_by_role("button", name="提交").click()  # nothing confirmed: refused, naming the conditions
    expect(page.locator("form.card")).to_contain_text("尚未确认")
    for label in (
        "已履行行政处罚决定规定的义务",
        "已主动消除危害后果和不良影响",
        "未再发生应当列入严重失信主体名单的情形",
    ):
        page.get_by_label(label).check()
    page.get_by_label("审查意见").fill("经核查，信用修复条件均已满足。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已提前移出").first).to_be_visible()
    expect(page.get_by_test_id("repair-conditions").locator(".bi-check-circle-fill")).to_have_count(3)
    screenshot(page, "dishonesty-case.png")
    case.refresh_from_db()
    assert (case.status, case.removed_on) == (DishonestyCase.Status.REMOVED, today)
    page.goto(f"{base}/enterprises/{cast.enterprise_x.pk}/")
    expect(page.get_by_test_id("dishonesty-banner")).to_have_count(0)
