"""Certificates in a real browser (issue #18, "Training and certificates"): enterprise X opens a special operator's
page from its enterprise page's 从业人员与持证 panel, records his 特种作业操作证 on the form and reads its 复审 day
(3 years after issue) and last day (6 years); the 住建局 opens 证书到期/逾期 and finds X's operator whose 复审 window
is open, filters it by state, and the enterprise reads its certificates as cards on a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.core.rules import add_years
from anlan.risk.tests import factories_people as f

from .conftest import login, logout, screenshot

pytestmark = pytest.mark.browser


def test_the_enterprise_adds_a_certificate_and_a_supervisor_opens_the_expiring_list(
    page: Page, phone_page: Page, server, cast
):
    base = server.url
    today = timezone.localdate()
    welder = f.staff(cast, name="王焊工", post="焊工")
    in_window = f.staff(cast, name="李电工", post="电工")
    f.certificate(
        cast, holder=in_window, issued_on=add_years(today, -3) + timedelta(days=20), number="T-WINDOW-01"
    )

    # The enterprise opens its welder from its page's panel and records his certificate.
    login(page, server, "enterprise_x")
    page.goto(f"{base}/enterprises/{cast.enterprise_x.pk}/")
    panel = page.get_by_test_id("enterprise-people")
    expect(panel.get_by_test_id("people-certified")).to_have_text("1 / 2")
    page.goto(f"{base}/risk/people/staff/{welder.pk}/")
    page.get_by_test_id("certificate-create").click()
    issued = today - timedelta(days=10)
    page.locator("#id_kind").select_option("special_operation")
    page.locator("#id_category").select_option("welding")
    page.locator("#id_operation_item").fill("熔化焊接与热切割作业")
    page.locator("#id_number").fill("T341122198506010077")
    page.locator("#id_issuing_authority").fill("滁州市应急管理局")
    page.locator("#id_issued_on").fill(issued.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("review-due")).to_contain_text(add_years(issued, 3).isoformat())
    expect(page.get_by_test_id("review-due")).to_contain_text("每 3 年复审 1 次")
    expect(page.get_by_test_id("valid-until")).to_have_text(add_years(issued, 6).isoformat())
    expect(page.get_by_test_id("cert-state")).to_have_text("有效")
    page.goto(f"{base}/enterprises/{cast.enterprise_x.pk}/")
    expect(page.get_by_test_id("enterprise-people").get_by_test_id("people-certified")).to_have_text("2 / 2")
    logout(page, server)

    # The 住建局 opens the expiring/overdue list over the enterprises in its scope.
    login(page, server, "dept_housing")
    page.goto(f"{base}/risk/people/attention/")
    rows = page.get_by_test_id("attention-list")
    expect(rows).to_contain_text("T-WINDOW-01")
    expect(rows).to_contain_text("待复审")
    expect(rows).not_to_contain_text("T341122198506010077")
    page.locator("select[name=state]").first.select_option("expired")
    expect(page.get_by_test_id("attention-list")).not_to_contain_text("T-WINDOW-01")
    page.goto(f"{base}/risk/people/attention/")
    expect(page.get_by_test_id("attention-list")).to_contain_text("李电工")
    screenshot(page, "certificates.png")
    logout(page, server)

    # The enterprise reads its certificates on a phone.
    login(phone_page, server, "enterprise_x")
    phone_page.goto(f"{base}/risk/people/certificates/?attention=true")
    expect(phone_page.get_by_text("T-WINDOW-01")).to_be_visible()
