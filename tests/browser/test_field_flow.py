"""A grid worker on a phone in the street (field use): from the home page's big 上报线索 button, a photo, the
phone's position (使用当前位置) and its point on the map, a description; the network drops at submit and the
draft is kept (also across a reload while offline, the form served by the service worker); when the network
returns the draft is submitted and the lead, with its point, is among 我的线索. The lead form with its map is
the README's phone screenshot."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from anlan.hazards.models import Lead
from anlan.hazards.tests.factories import png_bytes

from .conftest import PHONE, login, logout, screenshot

pytestmark = pytest.mark.browser

SPOT = {"latitude": 32.452345, "longitude": 118.433012}
# Whose copy of this page the service worker holds: the user id on the kept page's body, once it is the one
# expected (within the given seconds; else the last seen, None when nothing is kept).
KEPT_FOR = """([expected, seconds]) => new Promise((resolve) => {
    const until = Date.now() + seconds * 1000;
    const check = () => caches.open("anlan-pages")
        .then((cache) => cache.match(location.pathname))
        .then((kept) => (kept ? kept.text() : null))
        .then((html) => {
            const owner = html === null ? null : new DOMParser().parseFromString(html, "text/html").body.dataset.user;
            if (owner === expected || Date.now() > until) resolve(owner);
            else setTimeout(check, 100);
        });
    check();
})"""
# Whether a service worker controls the page, or takes control within the given seconds.
WAIT_FOR_WORKER = """(seconds) => Boolean(navigator.serviceWorker.controller) || Promise.race([
    new Promise((resolve) =>
        navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true))),
    new Promise((resolve) => setTimeout(() => resolve(false), seconds * 1000)),
])"""


def kept_for(page, user, seconds=5):
    """The id (text) of the user whose copy of the current page the worker keeps (None: none), waiting for
    `user`'s (None: for none to be kept)."""
    return page.evaluate(KEPT_FOR, [None if user is None else str(user.pk), seconds])


def tell_worker(page, message):
    page.evaluate("(message) => navigator.serviceWorker.controller.postMessage(message)", message)


def wait_for_worker(page):
    """The service worker installs on the first page and takes control. On a loaded machine its install
    (fetching the shell and the forms) can outlast the first wait: a page loaded again is controlled by the
    worker once it is active, so the page is reloaded once before giving up."""
    if not page.evaluate(WAIT_FOR_WORKER, 20):
        page.reload()
        assert page.evaluate(WAIT_FOR_WORKER, 30), (
            "no service worker took control (20 s, then 30 s after a reload)"
        )


@pytest.fixture
def field_phone(browser, server):
    """A phone (390×844, touch) whose owner lets the site read its position. A script error or a policy
    violation fails the test."""
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        geolocation=SPOT,
        permissions=["geolocation"],
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert errors == []


def test_a_grid_worker_reports_a_lead_with_photo_and_position_through_a_network_outage(
    field_phone, server, cast
):
    page = field_phone
    login(page, server, "grid_worker")
    wait_for_worker(page)
    page.locator("[data-shortcut=report_lead]").click()
    expect(page).to_have_url(f"{server.url}/hazards/leads/new/")

    page.locator("#id_photos").set_input_files(
        [{"name": "manhole.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    expect(page.get_by_test_id("photo-preview").locator("img")).to_have_count(1)
    page.get_by_role("button", name="使用当前位置").click()
    expect(page.get_by_label("经度")).to_have_value("118.433012")
    expect(page.get_by_label("纬度")).to_have_value("32.452345")
    expect(page.get_by_test_id("map-point")).to_be_visible()
    page.get_by_label("地点").fill("东关路口北侧")
    page.get_by_label("情况描述").fill("井盖缺失，夜间无警示")
    page.get_by_label("情况描述").blur()
    screenshot(page, "lead-form-phone.png", full_page=True)

    worker = cast.users["grid_worker"]
    assert kept_for(page, worker) == str(worker.pk), "the service worker did not keep the form"
    page.context.set_offline(True)
    page.get_by_role("button", name="提交").click()
    kit = page.locator("[data-draft-kit]")
    expect(kit).to_contain_text("网络不可用，已保存草稿，恢复网络后自动提交")
    assert Lead.objects.count() == 0

    page.reload()  # still offline: the worker serves the form it kept, the draft comes back into it
    expect(page.get_by_label("情况描述")).to_have_value("井盖缺失，夜间无警示")
    expect(page.get_by_label("经度")).to_have_value("118.433012")
    expect(page.get_by_test_id("photo-preview").locator("img")).to_have_count(1)
    expect(kit).to_contain_text("网络不可用，已保存草稿")
    page.goto(f"{server.url}/hazards/")  # any other page, offline: the offline page, linking the kept form
    expect(page.get_by_test_id("offline-title")).to_contain_text("网络不可用")
    page.get_by_role("link", name="上报隐患线索（可离线填写）").click()
    expect(page.get_by_label("地点")).to_have_value("东关路口北侧")

    page.context.set_offline(False)  # the draft goes by itself, with a fresh CSRF token
    expect(page).to_have_url(re.compile(r"/hazards/leads/\d+/$"), timeout=15_000)
    expect(page.locator(".alert-success")).to_contain_text("线索已上报。")
    expect(page.get_by_test_id("point-coordinates")).to_have_text("东经 118.433012，北纬 32.452345")
    lead = Lead.objects.get()
    assert (lead.longitude, lead.latitude, lead.place) == (
        Decimal("118.433012"),
        Decimal("32.452345"),
        "东关路口北侧",
    )
    assert lead.photos.count() == 1

    page.goto(f"{server.url}/")
    mine = page.get_by_test_id("my-lead").filter(has_text="东关路口北侧")
    expect(mine).to_be_visible()
    expect(mine.get_by_test_id("lead-located")).to_be_visible()
    page.goto(f"{server.url}/hazards/leads/new/")  # the accepted draft is gone
    expect(page.get_by_label("情况描述")).to_have_value("")


def test_on_a_shared_phone_the_form_kept_is_the_user_who_signed_in_last(field_phone, server, cast):
    """Signing in straight to the form (its link, ?next=) shows the first page of a new user: the previous user's
    kept pages are forgotten, the form stays kept, this user's."""
    page = field_phone
    login(page, server, "grid_worker")
    wait_for_worker(page)
    page.goto(f"{server.url}/hazards/leads/new/")
    worker, town = cast.users["grid_worker"], cast.users["town_a"]
    assert kept_for(page, worker) == str(worker.pk)
    page.get_by_role("button", name="菜单").click()  # the phone's collapsed navigation holds the user menu
    logout(page, server)

    login(page, server, "town_a", to="/hazards/leads/new/")
    assert kept_for(page, town) == str(town.pk), "the new user's form was not kept after the forgetting"
    # Forgetting drops only other users' pages, so its order against the keeping does not matter.
    tell_worker(page, {"type": "forget-pages", "user": str(town.pk)})
    page.wait_for_timeout(500)
    assert kept_for(page, town) == str(town.pk)
    tell_worker(page, {"type": "forget-pages", "user": str(worker.pk)})
    assert kept_for(page, None) is None
    tell_worker(page, {"type": "keep-page", "path": "/hazards/leads/new/"})  # what a form not kept asks
    assert kept_for(page, town) == str(town.pk)

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-user", str(town.pk))
    expect(page.get_by_label("情况描述")).to_be_visible()


def test_a_form_opened_before_the_worker_took_control_is_kept_once_it_does(field_phone, server, cast):
    """The phone's first visit: the form page loads before any worker controls it (here the worker is removed
    first). The worker the page registers takes control, and the form asks it to keep the page."""
    page = field_phone
    login(page, server, "grid_worker")
    wait_for_worker(page)
    assert page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.unregister())")
    page.goto(f"{server.url}/hazards/leads/new/")
    assert page.evaluate("() => navigator.serviceWorker.controller") is None
    assert page.evaluate(WAIT_FOR_WORKER, 30), "the worker the form registered did not take control"
    worker = cast.users["grid_worker"]
    assert kept_for(page, worker, seconds=20) == str(worker.pk), (
        "the form was not kept once the worker took control"
    )

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_label("情况描述")).to_be_visible()
