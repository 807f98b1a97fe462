"""A storm warning, in a real browser: the county 安委办 drafts a 暴雨橙色预警 for 新安镇, builds and checks the
recipient list, issues it; a 人员密集场所's receiver (no account) confirms from the SMS link on a phone in one
tap; the town office stays silent and is escalated; the county watches the confirmation board; the town then
confirms in the app and the county lifts the warning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.core import jobs, receipts
from anlan.core.models import ReceiptTask
from anlan.notifications.sms import LocmemSmsBackend
from anlan.warnings.models import PlaceReceiver, Warning, WarningRecipient

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def sms(settings, server):
    settings.ANLAN_SMS_BACKEND = "anlan.notifications.sms.LocmemSmsBackend"
    settings.ANLAN_PUBLIC_URL = server.url
    LocmemSmsBackend.outbox, LocmemSmsBackend.keys = [], []
    return LocmemSmsBackend


def test_an_orange_warning_is_issued_confirmed_by_link_escalated_watched_and_lifted(
    page: Page, phone_page: Page, server, cast, sms
):
    base = server.url
    cast.enterprise_x.is_crowded_place = True
    cast.enterprise_x.save()
    PlaceReceiver.objects.create(enterprise=cast.enterprise_x, name="商场值班经理", phone="13900000001")

    # The county 安委办 drafts the warning from the menu.
    login(page, server, "county_office")
    page.goto(f"{base}/")
    page.get_by_role("button", name="监测预警", exact=True).click()
    page.get_by_role("link", name="预警发布", exact=True).click()
    page.get_by_test_id("warning-create").click()
    form = page.get_by_test_id("warning-form")
    form.get_by_label("预警种类").select_option(label="突发事件预警")
    form.get_by_label("预警类别").select_option(label="自然灾害")
    form.get_by_label("灾种").select_option(label="暴雨")
    form.get_by_label("级别").select_option(value="2")
    form.get_by_label("标题").fill("新安镇暴雨橙色预警")
    form.get_by_label("预警区域").select_option(value=cast.town_a.code)
    form.get_by_label("可能影响的范围").fill("新安镇沿河各村、低洼地带")
    now = timezone.localtime()
    form.get_by_label("起始时间").fill(now.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("预计结束时间").fill((now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("警示事项").fill("未来24小时累计雨量可达100毫米以上，山洪、内涝风险高")
    form.get_by_label("应当采取的措施").fill("转移危险区域群众，停止户外作业，加强值班和巡查")
    form.get_by_label("乡镇（街道）").check()
    form.get_by_label("人员密集场所预警信息接收人").check()
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("send-list")).to_be_visible()

    # The list is built in the background and checked before sending.
    page.get_by_test_id("build").click()
    jobs.work_off()
    page.reload()
    expect(page.get_by_test_id("send-list")).to_contain_text("接收名单共")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("issue").click()
    jobs.work_off()
    warning = Warning.objects.get(title="新安镇暴雨橙色预警")
    assert warning.status == "issued"

    # The place's receiver has an SMS with a link; on a phone, one tap confirms.
    (text,) = [text for phone, text in sms.outbox if phone == "13900000001"]
    link = text[text.index(base) :]
    phone_page.goto(link)
    expect(phone_page.get_by_test_id("level-badge")).to_contain_text("橙色")
    phone_page.get_by_test_id("confirm").click()
    expect(phone_page.get_by_test_id("confirmed")).to_be_visible()
    screenshot(phone_page, "warning-link-phone.png", full_page=True)
    place_row = WarningRecipient.objects.get(warning=warning, reason="place")
    assert place_row.task.confirmed_via == "link"

    # The town office does not confirm in time: the sweep escalates it.
    later = timezone.now() + timedelta(hours=2)
    receipts.sweep(today=timezone.localdate(), now=later)
    town_row = WarningRecipient.objects.get(warning=warning, user=cast["town_a"])
    town_row.task.refresh_from_db()
    assert town_row.task.status == ReceiptTask.Status.ESCALATED

    # The county watches the board: one confirmed, the town escalated.
    page.get_by_test_id("board-link").click()
    board = page.get_by_test_id("board")
    expect(board).to_contain_text(cast.town_a.name)
    expect(page.get_by_test_id("board-total")).to_contain_text("1")
    board.get_by_role("link", name=cast.town_a.name, exact=True).click()
    expect(page.get_by_test_id("unconfirmed")).to_contain_text(cast["town_a"].display_name)
    screenshot(page, "warning-board.png")

    # The town confirms in the app; the county lifts the warning.
    login(phone_page, server, "town_a")
    phone_page.goto(f"{base}/warnings/{warning.pk}/")
    phone_page.get_by_test_id("confirm").click()
    expect(phone_page.get_by_test_id("my-receipt")).to_contain_text("您已确认收到")
    page.goto(f"{base}/warnings/{warning.pk}/")
    lift = page.get_by_test_id("lift-form")
    lift.get_by_label("说明").fill("降雨过程结束，险情解除")
    lift.get_by_role("button", name="解除").click()
    jobs.work_off()
    page.reload()
    expect(page.get_by_test_id("warning-fields")).to_contain_text("降雨过程结束")
    warning.refresh_from_db()
    assert warning.status == "lifted"
    assert any("【预警解除】" in text for phone, text in sms.outbox if phone == "13900000001")
