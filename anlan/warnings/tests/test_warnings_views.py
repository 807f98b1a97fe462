"""Warning pages: the list and its filters, the draft form (errors named on the field), the page before
sending, the recipient's confirmation and report, the board, the received list and the link's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anlan.core import jobs, receipts
from anlan.warnings.models import Warning, WarningRecipient
from anlan.warnings.tests.factories import built, draft, issued


@pytest.fixture(autouse=True)
def sms(settings):
    settings.ANLAN_SMS_BACKEND = "anlan.notifications.sms.LocmemSmsBackend"


def test_the_list_filters_by_status_and_level(cast, client):
    live = issued(cast, title="暴雨橙色预警")
    quiet = draft(cast, title="大雾草稿", level=4)
    client.force_login(cast["county_office"])
    url = reverse("warnings:warning-list")
    page = client.get(url, {"status": "issued"}).content.decode()
    assert live.title in page and quiet.title not in page
    page = client.get(url, {"level": "4"}).content.decode()
    assert quiet.title in page and live.title not in page
    page = client.get(url, {"q": "大雾"}).content.decode()
    assert quiet.title in page and live.title not in page


def test_the_form_names_the_field_at_fault_and_keeps_the_input(cast, client):
    client.force_login(cast["county_office"])
    response = client.post(
        reverse("warnings:warning-create"),
        {
            "kind": "emergency",
            "hazard": "rainstorm",
            "level": "2",
            "title": "测试",
            "region": cast.county.code,
            "area": "全县",
            "starts_at": "2026-07-01T08:00",
            "ends_at": "2026-07-01T07:00",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "预计结束时间须晚于起始时间" in page and "全县" in page  # the message, and the input kept
    assert not Warning.objects.exists()


def test_create_then_build_then_issue_from_the_page(cast, client):
    client.force_login(cast["county_office"])
    response = client.post(
        reverse("warnings:warning-create"),
        {
            "kind": "emergency",
            "category": "natural_disaster",
            "hazard": "rainstorm",
            "level": "3",
            "title": "新安镇暴雨黄色预警",
            "region": cast.town_a.code,
            "area": "新安镇沿河",
            "starts_at": "2026-12-04T08:00",
            "matters": "强降雨",
            "measures": "加强巡查",
            "groups": ["towns", "grid"],
        },
    )
    warning = Warning.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "warnings:warning-detail", args=[warning.pk]
    )
    page = client.get(response.url).content.decode()
    assert 'data-testid="build"' in page and 'data-testid="issue"' not in page
    client.post(reverse("warnings:warning-build", args=[warning.pk]))
    jobs.work_off()
    page = client.get(response.url).content.decode()
    assert "接收名单共 2 人" in page and 'data-testid="issue"' in page
    client.post(reverse("warnings:warning-issue", args=[warning.pk]))
    jobs.work_off()
    warning.refresh_from_db()
    assert warning.status == "issued"
    assert WarningRecipient.objects.filter(warning=warning, task__isnull=False).count() == 2


def test_a_draft_shows_what_is_missing_before_issue(cast, client):
    warning = built(cast, matters="")
    client.force_login(cast["county_office"])
    page = client.get(reverse("warnings:warning-detail", args=[warning.pk])).content.decode()
    assert 'data-testid="missing"' in page and "警示事项" in page and 'data-testid="issue"' not in page


def test_a_recipient_confirms_and_reports_from_the_page(cast, client):
    warning = issued(cast, level=2)
    client.force_login(cast["town_a"])
    url = reverse("warnings:warning-detail", args=[warning.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="confirm"' in page and "转移、疏散或者撤离" in page  # 第六十七条 at 二级
    client.post(reverse("warnings:warning-report", args=[warning.pk]), {"m_plan": "on", "m_evacuate": "on"})
    row = WarningRecipient.objects.get(warning=warning, user=cast["town_a"])
    assert row.measures_done["evacuate"] is True and row.measures_done["standby"] is False
    assert row.task.status == "confirmed"
    assert "您已确认收到" in client.get(url).content.decode()
    received = client.get(reverse("warnings:received")).content.decode()
    assert warning.title in received


def test_a_recipient_outside_the_scope_sees_no_list_or_board(cast, client):
    warning = issued(cast)
    client.force_login(cast["town_b"])
    assert client.get(reverse("warnings:warning-detail", args=[warning.pk])).status_code == 200
    assert client.get(reverse("warnings:warning-recipients", args=[warning.pk])).status_code == 404
    assert client.get(reverse("warnings:warning-board", args=[warning.pk])).status_code == 404


def test_the_board_and_the_unconfirmed_of_a_town(cast, client):
    warning = issued(cast)
    client.force_login(cast["county_office"])
    url = reverse("warnings:warning-board", args=[warning.pk])
    page = client.get(url).content.decode()
    assert cast.town_a.name in page and 'data-testid="board-total"' in page and "every 15s" in page
    page = client.get(url, {"town": cast.town_a.code}).content.decode()
    assert 'data-testid="unconfirmed"' in page and cast["town_a"].display_name in page


def test_the_link_page_confirms_with_one_tap_without_login(cast, client):
    warning = issued(cast)
    row = WarningRecipient.objects.get(warning=warning, user=cast["town_a"])
    url = reverse("warnings:warning-confirm-link", args=[receipts.link_token(row.task)])
    page = client.get(url).content.decode()
    assert warning.title in page and 'data-testid="confirm"' in page
    history = row.task.history.count()
    response = client.post(url)
    assert response.status_code == 302
    row.task.refresh_from_db()
    assert row.task.status == "confirmed" and row.task.confirmed_via == "link"
    assert row.task.history.count() == history + 1  # the confirmation is audited
    assert 'data-testid="confirmed"' in client.get(url).content.decode()


def test_a_bad_link_is_a_404_page(cast, client):
    response = client.get(reverse("warnings:warning-confirm-link", args=["1.forged"]))
    assert response.status_code == 404 and "确认链接无效" in response.content.decode()


def test_the_link_page_is_rate_limited_per_address(cast, client, settings):
    settings.ANLAN_LINK_RATE_PER_MINUTE = 2
    url = reverse("warnings:warning-confirm-link", args=["1.forged"])
    assert [client.get(url).status_code for _request in range(2)] == [404, 404]
    refused = client.get(url)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "访问过于频繁" in refused.content.decode()
    assert client.get(url, REMOTE_ADDR="10.9.9.9").status_code == 404  # another address is not held back


def test_the_ledger_exports(cast, client):
    issued(cast)
    client.force_login(cast["county_office"])
    response = client.get(reverse("warnings:warning-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
