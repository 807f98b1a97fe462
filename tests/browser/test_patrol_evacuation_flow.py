"""A geohazard warning in the field, in a real browser on a phone: the town office finds the 雨前排查 of the
landslide point among its to-dos, reports it with a photo and a danger found; opens the town's 转移避险 from the
warning's page, moves the threatened households to the town's shelter; the county 安委办 watches the 应转必转
rate reach 100 % on its desktop board."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from anlan.emergency.tests.factories_forces import make_shelter
from anlan.notifications.models import Notification
from anlan.warnings import rules
from anlan.warnings.models import Household, Patrol
from anlan.warnings.tests.factories import issued
from anlan.warnings.tests.factories_points import geohazard

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

TITLE = "来安县地质灾害气象风险黄色预警"


def _photo(tmp_path):
    path = tmp_path / "slope.png"
    Image.new("RGB", (64, 48), (120, 90, 60)).save(path, format="PNG")
    return path


def test_a_town_patrols_its_point_and_moves_its_people_from_a_phone_while_the_county_watches(
    page: Page, phone_page: Page, server, cast, tmp_path
):
    base = server.url
    point = geohazard(cast)  # town A's village: 5 households, 17 people
    shelter = make_shelter(cast)
    warning = issued(cast, hazard="geohazard", level=3, title=TITLE)
    assert Patrol.objects.filter(warning=warning, point=point).count() == 2  # 雨前排查 and 雨中巡查

    # The town office, on a phone, starts from its to-dos.
    login(phone_page, server, "town_a")
    group = phone_page.get_by_test_id("todos").locator("[data-todo='warnings.patrols']")
    expect(group).to_contain_text("待完成的巡查任务")
    group.get_by_role("link").first.click()
    table = phone_page.get_by_test_id("patrol-table")
    expect(table).to_contain_text("雨前排查")
    table.get_by_role("row").filter(has_text="雨前排查").get_by_role("link", name=point.name).click()

    form = phone_page.get_by_test_id("patrol-form")
    form.get_by_label("巡查情况").fill("后山坡脚新增裂缝约3米，坡面有渗水")
    form.get_by_label("发现险情（立即报告乡镇和县应急部门）").check()
    form.get_by_label("现场照片").set_input_files(str(_photo(tmp_path)))
    form.get_by_role("button", name="报告巡查情况").click()
    expect(phone_page.get_by_test_id("patrol-table")).to_be_visible()
    before = Patrol.objects.get(warning=warning, point=point, stage=rules.BEFORE)
    assert before.done_at and before.danger and before.photo
    # A danger found is told to the county at once.
    assert Notification.objects.filter(recipient=cast["county_office"], title__contains=point.name).exists()

    # From the warning's page, the town opens its evacuation and moves the threatened households.
    phone_page.goto(f"{base}/warnings/{warning.pk}/")
    card = phone_page.get_by_test_id("evacuation-progress")
    expect(card).to_contain_text("尚未登记需转移的群众")
    card.get_by_role("link", name="查看").click()
    phone_page.get_by_test_id("open-form").get_by_role("button").click()
    expect(phone_page.get_by_test_id("towns")).to_contain_text(cast.town_a.name)
    expect(phone_page.get_by_test_id("unmoved")).to_contain_text(f"{point.name}受威胁群众")
    phone_page.get_by_test_id("towns").get_by_role("link", name=cast.town_a.name).click()
    households = phone_page.get_by_test_id("households")
    households.get_by_role("link", name="登记已转移").first.click()
    move = phone_page.get_by_test_id("move-form")
    move.get_by_role("combobox", name="避难场所").select_option(
        label=f"{cast.town_a.name} · {shelter.name}（{shelter.capacity}人）"
    )
    move.get_by_role("button", name="登记已转移").click()
    expect(phone_page.get_by_test_id("totals")).to_contain_text("100.0%")
    screenshot(phone_page, "evacuation-phone.png", full_page=True)
    row = Household.objects.get(evacuation__warning=warning, point=point)
    assert (row.status, row.shelter_id) == (rules.MOVED, shelter.pk)

    # The county watches the rate on its board.
    login(page, server, "county_office")
    page.goto(f"{base}/warnings/{warning.pk}/")
    expect(page.get_by_test_id("evacuation-progress")).to_contain_text("100.0%")
    page.get_by_test_id("evacuation-progress").get_by_role("link", name="查看").click()
    expect(page.get_by_test_id("totals")).to_contain_text("17")
    expect(page.get_by_test_id("unmoved")).to_contain_text("没有待转移的群众")
    screenshot(page, "evacuation-board.png")
