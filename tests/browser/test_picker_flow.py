"""The type-ahead enterprise picker in a real browser: on the hazard registration form a town officer types pinyin
initials, picks the enterprise among namesakes and registers the hazard for it; on a phone the picker opens,
lists choices a thumb can hit and takes one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from anlan.core.tests.factories import EnterpriseFactory, industry
from anlan.hazards.models import Hazard

from .conftest import login, pick

pytestmark = pytest.mark.browser


@pytest.fixture
def namesakes(cast):
    """Two 安澜化工有限公司 of town A (different villages would do; here one has another credit code)."""
    common = {"name": "安澜化工有限公司", "region": cast.village_a, "industry": industry("construction")}
    return EnterpriseFactory(**common), EnterpriseFactory(**common)


def test_a_town_officer_finds_the_enterprise_by_its_initials_and_registers_a_hazard(
    page: Page, server, cast, namesakes
):
    chosen = namesakes[1]
    login(page, server, "town_a")
    page.goto(f"{server.url}/hazards/new/")
    pick(page, "生产经营单位", "alhg", chosen.uscc)
    page.get_by_label("隐患来源").select_option(index=1)
    page.get_by_label("隐患类别").select_option(index=1)
    page.get_by_label("隐患描述").fill("储罐区可燃气体报警器失效")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_be_visible()
    hazard = Hazard.objects.get()
    assert hazard.enterprise == chosen
    assert hazard.region == chosen.region  # derived from the enterprise, as before the picker


def test_on_a_phone_the_picker_opens_and_takes_a_choice(phone_page: Page, server, cast, namesakes):
    page = phone_page
    login(page, server, "town_a")
    page.goto(f"{server.url}/hazards/new/")
    control = page.get_by_role("combobox", name="生产经营单位", exact=True)
    control.click()
    control.press_sequentially("安澜")
    options = page.locator(".ts-dropdown.single .option")
    expect(options).to_have_count(2)
    box = options.first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a thumb's target, across the screen
    expect(options.first).to_contain_text(namesakes[0].uscc)
    options.nth(1).click()
    expect(page.locator("select#id_enterprise")).to_have_value(str(namesakes[1].pk))
    # With a choice made the input is out of sight until the box is tapped.
    control.locator("xpath=ancestor::div[contains(@class, 'ts-control')]").click()
    page.keyboard.type("不存在的单位")
    expect(page.locator(".ts-dropdown.single .no-results")).to_have_text("无匹配结果")
