"""Playwright flows in headless Chromium against pytest-django's live server (style.md, "Tests").

One Chromium per session; each test gets a fresh browser context (its own cookies and language),
a live server backed by a transactional test database, and the fixed cast from the root conftest.
The reference data loaded by migrations (regions, industries) survives the flush between tests
through serialized rollback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"  # Debian's package; `playwright install` cannot download here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 850}
PHONE = {"width": 390, "height": 844}
PASSWORD = "pass-word-2026"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser flow, whether or not its module says so."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM
    # calls from the test body ("You cannot call this from an async context"). Only while browser
    # tests run: set at import, it would leak into other tests (and fail `check --deploy`).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield from _chromium()


def _chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (Debian's chromium and fonts-noto-cjk)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite: a test database in a file, not the shared-cache in-memory one. A page makes several requests at
    once (the htmx panels of the enterprise page); in shared cache a second one that touches a table being
    written fails at once with "database table is locked", while in a WAL file it waits (busy timeout)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "browser.sqlite3")


@pytest.fixture
def server(live_server, django_db_serialized_rollback, cast):
    """The live server's base URL, with the cast in the database it serves."""
    return live_server


def _new_page(browser, request, tmp_path, viewport, **options) -> Page:
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True, **options
    )
    page = context.new_page()
    problems: list[str] = []
    # A page that throws, or a stylesheet/script that does not load, is a failure even when the
    # assertions about text happen to pass (unstyled screenshots would end up in the README).
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    def request_failed(req):
        # Aborted: a download ending its navigation, or leaving a page before a script finished
        # loading. Real failures (refused, reset, 4xx/5xx on static files) are still caught.
        if req.failure == "net::ERR_ABORTED":
            return
        problems.append(f"request failed: {req.method} {req.url} ({req.failure})")

    page.on("requestfailed", request_failed)
    page.on(
        "response",
        lambda res: (
            problems.append(f"HTTP {res.status}: {res.request.method} {res.url}")
            if res.status >= 500 or ("/static/" in res.url and res.status >= 400)
            else None
        ),
    )

    def finish():
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            shot = tmp_path / "failure.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"\nscreenshot of the failed page: {shot} ({page.url})")
        context.close()

    request.addfinalizer(finish)
    page.problems = problems
    return page


@pytest.fixture
def page(browser, server, request, tmp_path) -> Page:
    """A desktop-sized page (1366×850) in a fresh browser context."""
    page = _new_page(browser, request, tmp_path, DESKTOP)
    yield page
    assert page.problems == [], "\n".join(page.problems)


@pytest.fixture
def phone_page(browser, server, request, tmp_path) -> Page:
    """A phone-sized page (390×844) in a fresh browser context."""
    page = _new_page(browser, request, tmp_path, PHONE)
    yield page
    assert page.problems == [], "\n".join(page.problems)


def login(page: Page, live_server, username: str, password: str = PASSWORD, *, to: str = "/") -> None:
    """Sign in through the login form and wait for the 工作台 (home page), or for the page `to` asked for
    (`?next=`, as a link to it does)."""
    page.goto(f"{live_server.url}/accounts/login/" + ("" if to == "/" else f"?next={to}"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}{to}")
    expect(page.get_by_test_id("user-menu")).to_be_attached()


def logout(page: Page, live_server) -> None:
    """Sign out through the user menu, as a person would, and wait for the login page.

    Clearing cookies instead races the page's own HTMX requests: a response still in flight
    sets the old session cookie again, and the next login is then silently skipped.
    """
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_test_id("user-menu")).to_have_count(0)


def assert_styled(page: Page) -> None:
    """Bootstrap and anlan.css are applied: the navbar is a flex row in the brand colour."""
    navbar = page.locator("nav.navbar")
    expect(navbar).to_have_css("display", "flex")
    expect(navbar).to_have_css("background-color", "rgb(11, 79, 108)")


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a README screenshot into docs/screenshots/ (overwritten on every run)."""
    assert_styled(page)
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    return path


def pick(page: Page, label: str, typed: str, choice: str) -> None:
    """In the type-ahead picker labelled `label` (core/picker.js), type `typed` and choose the drop-down
    option that shows `choice` (a name or a credit code)."""
    # The box, not its input: with a choice made, tom-select moves the input out of sight until focused.
    control = page.get_by_role("combobox", name=label, exact=True)
    control.locator("xpath=ancestor::div[contains(@class, 'ts-control')]").click()
    expect(control).to_be_focused()
    # Filled at once, not typed key by key: a key typed while tom-select still handles the click could be
    # lost (a fresh-clone run searched "axjg" for "laxjg" and waited 30 s on a list that never came).
    control.fill(typed)
    page.locator(".ts-dropdown.single .option", has_text=choice).first.click()


def verify_on_site(page: Page, opinion: str) -> None:
    """On a hazard's page: 验收 with 现场核查 and `opinion`, and wait for 已销号."""
    page.get_by_test_id("action-verify").click()
    page.get_by_label("验收通过，予以销号").check()
    page.get_by_label("现场核查").check()
    page.get_by_label("验收意见").fill(opinion)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已销号")
