"""The five-colour rating explains itself (issue #18, seed-map B13): enterprise X was approved yellow; a
penalty this year makes the nightly recompute orange, awaiting approval. The county 安委办 opens the ratings
list, filters the orange ones, opens enterprise X and reads why it is orange in words; it approves the change
from the queue, and the enterprise, on a phone, reads its published colour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.credit.models import Rating
from anlan.credit.services import rating as services
from anlan.credit.tests import factories_rating as f

from .conftest import login, logout, screenshot

pytestmark = pytest.mark.browser


def test_a_supervisor_reads_why_an_enterprise_is_orange_and_approves_the_change(
    page: Page, phone_page: Page, server, cast
):
    base = server.url
    today = timezone.localdate()
    services.recompute(None, today=today, now=timezone.now())
    services.approve_ratings(actor=cast["county_office"])
    f.penalty(cast, cast.enterprise_x, today - timedelta(days=20))
    services.sweep(today=today, now=timezone.now())
    assert Rating.objects.get(enterprise=cast.enterprise_x).status == "pending"

    login(page, server, "county_office")
    page.get_by_role("button", name="信用监管", exact=True).click()
    page.get_by_role("link", name="五色评定", exact=True).click()
    expect(page.get_by_test_id("rating-notice")).to_contain_text("没有国家统一标准")
    expect(page.locator('[data-count="orange"]')).to_have_text("2")
    page.get_by_label("评定颜色").select_option("orange")
    expect(
        page.get_by_test_id("rating-table").get_by_role("link", name=cast.enterprise_x.name)
    ).to_be_visible()
    page.get_by_test_id("rating-table").get_by_role("link", name=cast.enterprise_x.name).click()

    panel = page.get_by_test_id("enterprise-rating")
    expect(panel).to_contain_text("为什么是橙色")
    expect(panel.get_by_test_id("rating-reasons")).to_contain_text("近12个月受到行政处罚1次")
    expect(panel.get_by_test_id("rating-reasons")).to_contain_text("最高风险等级为一般风险")
    expect(panel.get_by_test_id("rating-history")).to_contain_text("重新评定")
    panel.scroll_into_view_if_needed()
    screenshot(page, "rating.png")

    # The change waits in the queue; the office approves it there.
    page.goto(f"{base}/credit/ratings/queue/")
    row = page.get_by_test_id("queue-row").filter(has_text=cast.enterprise_x.name)
    expect(row).to_be_visible()
    row.get_by_role("button", name="审定").click()
    expect(page.locator(".alert-success")).to_contain_text("已审定")
    expect(page.get_by_test_id("queue-row").filter(has_text=cast.enterprise_x.name)).to_have_count(0)
    logout(page, server)

    # The enterprise reads its published colour on its own page, on a phone.
    login(phone_page, server, "enterprise_x")
    phone_page.goto(f"{base}/enterprises/{cast.enterprise_x.pk}/")
    panel = phone_page.get_by_test_id("enterprise-rating")
    expect(panel.locator('[data-testid="rating-colour"] [data-colour="orange"]')).to_be_visible()
    expect(panel).to_contain_text("近12个月受到行政处罚1次")
