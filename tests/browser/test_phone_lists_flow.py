"""Lists on a phone (390×844, touch): the county office (安委办) and an enterprise read the hazard and enterprise
lists as cards, with nothing to scroll sideways; the office filters the hazards from the 筛选 panel, sees the
filter as a chip and takes it off with its ×. Screenshots of the cards and of the open panel go to the README."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from anlan.hazards.models import Hazard
from anlan.hazards.tests.factories import HazardFactory

from .conftest import PHONE, _new_page, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def touch_phone(browser, server, request, tmp_path):
    """Pages of a touch phone, each in its own browser context (one per person)."""
    pages = []

    def new_page() -> Page:
        pages.append(_new_page(browser, request, tmp_path, PHONE, is_mobile=True, has_touch=True))
        return pages[-1]

    yield new_page
    assert [problem for page in pages for problem in page.problems] == []


@pytest.fixture
def hazards(cast):
    HazardFactory(
        enterprise=cast.enterprise_x, grade=Hazard.Grade.MAJOR, description="储罐区可燃气体报警器失效"
    )
    HazardFactory(enterprise=cast.enterprise_x, description="临边防护栏杆缺失，脚手架连墙件间距过大")
    HazardFactory(enterprise=cast.enterprise_x, description="配电箱未设置漏电保护器")


def assert_cards(page: Page, table: str, labels: list[str]) -> None:
    """No sideways scroll; every row is a card whose labelled cells are wide enough to read."""
    expect(page.get_by_test_id(table)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    cards = page.evaluate(
        """(table) => [...document.querySelectorAll(`[data-testid="${table}"] > tbody > tr`)].map(row => ({
            display: getComputedStyle(row).display,
            cells: [...row.querySelectorAll(":scope > td[data-label]")].filter(td => td.dataset.label).map(td => ({
                label: getComputedStyle(td, "::before").content,
                width: td.getBoundingClientRect().width,
                visible: td.getBoundingClientRect().height > 0,
            })),
        }))""",
        table,
    )
    assert cards, f"{table} has no rows"
    for card in cards:
        assert card["display"] == "flex"
        assert all(cell["visible"] and cell["width"] > 100 for cell in card["cells"]), card
        shown = [cell["label"].strip('"') for cell in card["cells"]]
        assert set(labels) <= set(shown), shown


def test_the_office_and_an_enterprise_read_lists_as_cards_and_filter_them_with_a_thumb(
    touch_phone, server, cast, hazards
):
    page = touch_phone()
    login(page, server, "county_office")
    page.goto(server.url + reverse("hazards:hazard-list"))
    assert_cards(page, "hazard-table", ["单位/场所", "区划", "整改期限", "状态"])
    expect(page.get_by_test_id("filter-form")).to_be_hidden()  # behind the 筛选 button
    screenshot(page, "hazards-phone-cards.png")

    page.get_by_test_id("filter-toggle").tap()
    panel = page.locator("#filter-panel")
    expect(panel).to_be_visible()
    grade = panel.get_by_label("隐患等级")
    assert grade.bounding_box()["height"] >= 44 and grade.bounding_box()["width"] > 300
    grade.select_option("major")
    screenshot(page, "hazards-phone-filters.png")
    panel.get_by_test_id("filter-apply").tap()
    expect(panel).to_be_hidden()
    chip = page.get_by_test_id("filter-chip")
    expect(chip).to_have_text("隐患等级：重大事故隐患×")
    expect(page.get_by_test_id("filter-count")).to_have_text(" (1)")
    expect(page.get_by_test_id("hazard-table").locator("tbody > tr")).to_have_count(1)

    chip.get_by_test_id("filter-chip-remove").tap()
    expect(page.get_by_test_id("filter-chip")).to_have_count(0)
    expect(page.get_by_test_id("hazard-table").locator("tbody > tr")).to_have_count(3)
    assert "grade=" not in page.url

    page.goto(server.url + reverse("core:enterprise-list"))
    assert_cards(page, "enterprise-table", ["统一社会信用代码", "区划", "行业领域", "状态"])

    enterprise = touch_phone()
    login(enterprise, server, "enterprise_x")
    for url, table in (("hazards:hazard-list", "hazard-table"), ("core:enterprise-list", "enterprise-table")):
        enterprise.goto(server.url + reverse(url))
        assert_cards(enterprise, table, ["区划", "状态"])
