"""`make run` as a new user meets it: the demo county served by gunicorn with a worker beside it, so the
demo's overdue hazards reach the inboxes within one schedule period (the hourly hazard sweep's first slot
runs when the worker starts). The test runs the real make target on a free port with its own data folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, _new_page, screenshot

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "anlan2026"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def make_run(tmp_path):
    """`make run PORT=… ANLAN_VAR_DIR=…` in its own process group; yields the base URL."""
    port = _free_port()
    log = (tmp_path / "make-run.log").open("w")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}", f"ANLAN_VAR_DIR={tmp_path / 'var'}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGTERM)
            pytest.fail(f"make run did not serve: {(tmp_path / 'make-run.log').read_text()[-3000:]}")
        time.sleep(1)
    yield url
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: gunicorn and the worker both stop
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    text = (tmp_path / "make-run.log").read_text()
    assert "Anlan worker" in text and "sweep:hazards" in text


def _login(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("user-menu")).to_be_attached()


def test_make_run_delivers_the_demo_overdue_escalations_to_the_inbox(make_run, browser, request, tmp_path):
    page = _new_page(browser, request, tmp_path, DESKTOP)
    _login(page, make_run, "anweiban")
    # The worker's first hazard sweep runs as soon as it starts: poll the bell for a minute at most.
    bell = page.get_by_test_id("unread-count")
    for _attempt in range(60):
        if bell.count():
            break
        time.sleep(1)
        page.reload()
    expect(bell).to_be_visible()
    page.get_by_test_id("notification-bell").click()
    expect(page.get_by_test_id("notification-list")).to_contain_text("已逾期未整改")
    screenshot(page, "inbox-overdue.png")
    assert page.problems == []

    phone = _new_page(browser, request, tmp_path / "phone", PHONE)
    _login(phone, make_run, "qiye")
    phone.goto(f"{make_run}/notifications/")
    expect(phone.get_by_test_id("notification-list")).to_contain_text("隐患")
    assert phone.problems == []
