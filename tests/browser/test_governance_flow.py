"""责任落实 in a real browser (issue #17): after an accident the county 安委办 opens 照单追责 from the accident's page
and reads, for the 住建局 whose approved 责任清单 covers construction, which listed tasks were done before the
accident, with their evidence, and which were overdue; the year's 考核 is computed from live data, ranked and
published, and a town then reads its own score and the reasons, on a phone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from anlan.governance.services import assessment as services
from anlan.governance.tests import factories_assessment as fa
from anlan.governance.tests import factories_duties as fd

from .conftest import login, logout, screenshot

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_accountability_view_of_an_accident_shows_the_listed_duties_and_their_evidence(
    page: Page, phone_page: Page, server, cast
):
    from anlan.accidents.tests.factories import report

    base = server.url
    with time_machine.travel(datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), tick=False):
        fd.approved(cast)
        fd.confirmed(cast, due_on=date(2026, 6, 30), title="上半年建筑施工安全检查")
        fd.task(cast, due_on=date(2026, 9, 30), title="三季度燃气安全检查")
    accident = report(cast, occurred_at=datetime(2026, 11, 1, 9, tzinfo=SHANGHAI))

    # The county 安委办 goes from the menu to the accident, then to its 照单追责.
    login(page, server, "county_office")
    page.get_by_role("button", name="责任落实", exact=True).click()
    page.get_by_role("link", name="照单追责", exact=True).click()
    page.get_by_role("link", name=accident.title).click()
    expect(page.get_by_role("heading", name="照单追责 / 尽职免责")).to_be_visible()
    holder = page.get_by_test_id("holder")
    expect(holder).to_have_count(1)
    expect(holder).to_contain_text("住建")
    done = holder.locator('tr[data-outcome="done_on_time"]')
    expect(done).to_contain_text("上半年建筑施工安全检查")
    expect(done.get_by_role("link", name="现场照片.png")).to_be_visible()
    expect(holder.locator('tr[data-outcome="overdue_at_accident"]')).to_contain_text("三季度燃气安全检查")
    screenshot(page, "governance-accountability.png", full_page=True)

    # The evidence opens as the photo itself (shown inline, never its storage path).
    with page.expect_response(lambda response: "/evidence/" in response.url) as opened:
        done.get_by_role("link", name="现场照片.png").click()
    assert (opened.value.status, opened.value.headers["content-type"]) == (200, "image/png")

    # From the accident's own page the same view is one button away.
    page.goto(f"{base}{reverse('accidents:accident-detail', args=[accident.pk])}")
    page.get_by_role("link", name="照单追责", exact=True).click()
    expect(page.get_by_test_id("holder")).to_have_count(1)

    # The 住建局 itself reads the view on a phone; the table scrolls inside its card.
    login(phone_page, server, "dept_housing")
    phone_page.goto(page.url)
    expect(phone_page.get_by_test_id("holder")).to_contain_text("三季度燃气安全检查")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"


def test_the_years_assessment_is_computed_ranked_published_and_read_by_a_town(
    page: Page, phone_page: Page, server, cast
):
    base = server.url
    scheme = fa.published_scheme(cast)
    # A 4-point manual score for 新安镇's 台账, entered by one officer and confirmed by a second.
    score = fa.manual_score(cast, scheme, amount="4")
    services.review_manual_score(actor=fa.second_office(cast), score_pk=score.pk, name="confirm")

    login(page, server, "county_office")
    page.get_by_role("button", name="责任落实", exact=True).click()
    page.get_by_role("link", name="考核方案", exact=True).click()
    page.get_by_role("link", name=scheme.title).first.click()
    page.get_by_test_id("score").click()
    towns = page.get_by_test_id("ranking-towns")
    expect(towns).to_be_visible()
    expect(page.get_by_test_id("ranking-departments")).to_be_visible()
    first_row = towns.locator("tbody tr").first
    expect(first_row.locator("td").first).to_have_text("1")
    screenshot(page, "governance-ranking.png", full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发布考核结果").click()
    expect(page.get_by_role("button", name="发布考核结果")).to_have_count(0)
    logout(page, server)

    # The town is told, and reads its own score and the reasons on a phone.
    login(phone_page, server, "town_a")
    phone_page.goto(f"{base}{reverse('notifications:inbox')}")
    notice = phone_page.get_by_test_id("notification-list").locator(
        ".list-group-item", has_text="考核结果已发布"
    )
    expect(notice).to_have_count(1)
    notice.get_by_role("button", name="查看").click()
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("新安镇")
    expect(phone_page.get_by_test_id("lines")).to_contain_text("安全生产台账检查")
    expect(phone_page.get_by_test_id("lines")).to_contain_text("-4")
    screenshot(phone_page, "governance-result-phone.png", full_page=True)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
