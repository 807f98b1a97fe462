"""责任落实 in a real browser (issue #17): the county 安委办 hands a 督查 problem to the 住建局, which plans and
reports its rectification on the problem's hazard record, cannot close it out itself, and the 安委办 closes it out;
after an accident the county 安委办 opens 照单追责 from the accident's page
and reads, for the 住建局 whose approved 责任清单 covers construction, which listed tasks were done before the
accident, with their evidence, and which were overdue; the year's 考核 is computed from live data, ranked and
published, and a town then reads its own score and the reasons, on a phone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.core import units
from anlan.core.tests.factories import industry
from anlan.governance.services import assessment as services
from anlan.governance.tests import factories_assessment as fa
from anlan.governance.tests import factories_duties as fd
from anlan.hazards.tests.factories import png_bytes

from .conftest import login, logout, screenshot, verify_on_site

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")
PHOTO = {"name": "after.png", "mimeType": "image/png", "buffer": png_bytes()}


def test_a_supervision_problem_is_handed_to_a_department_planned_rectified_and_closed_out_by_the_office(
    page: Page, phone_page: Page, server, cast
):
    from anlan.governance.tests import factories_problems as fp

    base = server.url
    today = timezone.localdate()
    visit = fp.visit(cast)

    # The 安委办 opens the 督查 from the menu and hands a problem to the 住建局.
    login(page, server, "county_office")
    page.get_by_role("button", name="责任落实", exact=True).click()
    page.get_by_role("link", name="督查", exact=True).click()
    page.get_by_role("link", name=visit.title).click()
    page.get_by_test_id("problem-create").click()
    page.get_by_label("问题描述").fill("在建工地“打非治违”台账不完整，3个项目未纳入监管")
    page.get_by_label("整改要求").fill("全面排查在建项目，建立完整台账")
    page.get_by_label("责任单位").select_option(value=str(units.unit_for(cast.dept_housing).pk))
    page.get_by_label("行业领域").select_option(value=str(industry("construction").pk))
    page.get_by_label("整改时限").fill((today + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("待整改")
    number = page.get_by_test_id("hazard-number").inner_text()
    logout(page, server)

    # The 住建局, on a phone, finds it among its 待办, plans and reports the rectification on the hazard.
    login(phone_page, server, "dept_housing")
    item = phone_page.get_by_test_id("todo-item").filter(has_text=number)
    expect(item).to_have_count(1)
    item.get_by_role("link").first.click()
    phone_page.get_by_test_id("action-plan").click()
    phone_page.locator("#id_responsible_person").fill("李建国")
    phone_page.get_by_label("整改措施").fill("逐一排查在建项目，补录台账并纳入日常监管")
    phone_page.get_by_label("整改时限").fill((today + timedelta(days=10)).isoformat())
    phone_page.get_by_role("button", name="提交").click()
    expect(phone_page.get_by_test_id("status")).to_have_text("整改中")
    phone_page.get_by_test_id("action-submit").click()
    phone_page.get_by_label("整改情况").fill("3个项目已纳入监管，台账已补齐")
    phone_page.locator("input[name=photos]").set_input_files([PHOTO])
    phone_page.get_by_role("button", name="提交").click()
    expect(phone_page.get_by_test_id("status")).to_have_text("待验收")
    # The assignee never closes out what the 安委办 found.
    expect(phone_page.get_by_test_id("action-verify")).to_have_count(0)
    screenshot(phone_page, "governance-problem-phone.png", full_page=True)

    # The 安委办 closes it out from its 待验收; the problem page then reads 已销号.
    login(page, server, "county_office")
    item = page.get_by_test_id("todo-item").filter(has_text=number)
    expect(item).to_have_count(1)
    item.get_by_role("link").first.click()
    verify_on_site(page, "现场核查台账，3个项目已纳入监管")
    page.goto(f"{base}{reverse('governance:problem-detail', args=[visit.problems.get().pk])}")
    expect(page.get_by_test_id("status")).to_have_text("已销号")
    expect(page.get_by_test_id("verifications")).to_contain_text("现场核查台账")
    screenshot(page, "governance-problem.png", full_page=True)


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
