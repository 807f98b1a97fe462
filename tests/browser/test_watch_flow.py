"""盯守 of a suspended unit in a real browser, on a phone (seed-map C8): the grid worker finds the visit due in
their 待办, opens the plan, records what they saw, and the plan moves its next due date on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.inspections.models import WatchPlan

from .conftest import login, screenshot
from .test_inspections_flow import _suspended

pytestmark = pytest.mark.browser


def test_the_grid_worker_records_a_watch_visit_from_the_home_page(phone_page: Page, server, cast):
    suspension = _suspended(cast)
    plan = WatchPlan.objects.get(suspension=suspension)
    assert plan.watchers.filter(pk=cast["grid_worker"].pk).exists()  # the unit's grid worker watches it
    today = timezone.localdate()
    WatchPlan.objects.filter(pk=plan.pk).update(
        started_on=today - timedelta(days=9), next_due_on=today - timedelta(days=2)
    )

    page = phone_page
    login(page, server, cast["grid_worker"].username)
    todo = page.get_by_test_id("todos")
    expect(todo).to_contain_text("待盯守")
    todo.get_by_role("link", name=cast.enterprise_x.name).first.click()
    expect(page.get_by_test_id("watch-overdue")).to_be_visible()
    page.get_by_test_id("watch-visit-create").click()
    page.get_by_label("现场情况").fill("大门上锁，配电房已断电，工地无人作业")
    expect(page.get_by_test_id("take-photo")).to_be_visible()  # the camera, as on the lead form
    screenshot(page, "watch-visit-phone.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())  # a record cannot be taken back: the form asks first
    page.get_by_role("button", name="提交").click()
    visits = page.get_by_test_id("watch-visits")
    expect(visits).to_contain_text("配电房已断电")
    expect(visits).to_contain_text(cast["grid_worker"].display_name)  # the watcher's name, not the login
    expect(page.get_by_test_id("watch-overdue")).to_have_count(0)
    plan.refresh_from_db()
    assert plan.last_visit_on == today and plan.next_due_on == today + timedelta(days=plan.every_days)
