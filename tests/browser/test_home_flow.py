"""Each role's working day from the home page (工作台, issue #13): the enterprise on a phone opens its 待整改 item,
submits the rectification and the item is gone; the county office opens the hazard from its 待验收 and
verifies it, and that item is gone too; the grid worker starts from the big 上报线索 button and sees what
became of the leads. Screenshots of each role's home go to the README."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.core.tests.factories import industry
from anlan.hazards.models import Hazard
from anlan.hazards.tests.factories import HazardFactory, LeadFactory, png_bytes
from anlan.risk.tests import factories_register, factories_standard

from .conftest import login, screenshot, verify_on_site

pytestmark = pytest.mark.browser


@pytest.fixture
def day(cast):
    today = timezone.localdate()
    hazard = HazardFactory(
        enterprise=cast.enterprise_x,
        status=Hazard.Status.RECTIFYING,
        description="临边防护栏杆缺失",
        due_on=today + timedelta(days=2),
    )
    LeadFactory(region=cast.village_a, grid=cast.grid_a, place="东关路口", reported_by=cast["grid_worker"])
    HazardFactory(region=cast.village_a, place="东关菜市场", industry=industry("construction"), due_on=today)
    cast.expert_hazard()
    # X keeps its other duties (#18): an assessed risk point and a 安责险 policy in force, so its 待办 are the
    # hazards alone.
    factories_register.assessed_point(cast)
    factories_standard.policy(cast)
    return hazard


def _item(page: Page, hazard: Hazard):
    return page.get_by_test_id("todo-item").filter(has_text=hazard.number)


def test_the_enterprise_and_the_office_clear_their_todos_from_home(
    page: Page, phone_page: Page, server, cast, day
):
    login(phone_page, server, "enterprise_x")
    expect(phone_page.get_by_test_id("todo-count")).to_have_text("2")  # this one and the expert's case
    item = _item(phone_page, day)
    expect(item).to_contain_text("剩 2 天")
    screenshot(phone_page, "home-enterprise-phone.png", full_page=True)
    item.get_by_role("link").click()
    phone_page.get_by_test_id("action-submit").click()
    phone_page.get_by_label("整改情况").fill("已加设防护栏杆")
    phone_page.locator("input[name=photos]").set_input_files(
        [{"name": "after.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    phone_page.get_by_role("button", name="提交").click()
    expect(phone_page.get_by_test_id("status")).to_have_text("待验收")
    phone_page.goto(f"{server.url}/")
    expect(_item(phone_page, day)).to_have_count(0)
    expect(phone_page.get_by_test_id("todo-count")).to_have_text("1")

    login(page, server, "county_office")
    screenshot(page, "home-county-office.png", full_page=True)
    _item(page, day).get_by_role("link").click()
    verify_on_site(page, "现场核查，防护到位")
    page.goto(f"{server.url}/")
    expect(_item(page, day)).to_have_count(0)


@pytest.mark.parametrize(
    "who,block,shot",
    [
        ("grid_worker", "home-leads", "home-grid-worker-phone.png"),
        ("town_a", "home-registry", "home-town-phone.png"),
        ("expert", "home-assigned", "home-expert-phone.png"),
    ],
)
def test_each_role_finds_its_own_work_on_a_phone(phone_page: Page, server, cast, day, who, block, shot):
    login(phone_page, server, who)
    expect(phone_page.get_by_test_id(block)).to_be_visible()
    if who == "grid_worker":
        first = phone_page.locator("[data-shortcut]").first
        expect(first).to_have_text("上报隐患线索")
        expect(phone_page.get_by_test_id("my-lead")).to_contain_text("东关路口")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    screenshot(phone_page, shot, full_page=True)
    if who == "grid_worker":
        phone_page.locator("[data-shortcut=report_lead]").click()
        expect(phone_page).to_have_url(f"{server.url}/hazards/leads/new/")
