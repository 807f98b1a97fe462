"""The hazard loop in a real browser: a grid worker's lead, confirmed by the town into a hazard (the town sees
no 立即整改 or plan on it: no 代管), planned and rectified by the enterprise with photos, verified by the
department with its method and closed; and a major hazard listed for supervision (挂牌督办) by the department
to a registered unit, closed, then lifted (摘牌)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anlan.core import units
from anlan.hazards import services
from anlan.hazards.models import Hazard, Lead, Supervision
from anlan.hazards.tests.factories import HazardFactory, png_bytes

from .conftest import login, logout, pick, verify_on_site

pytestmark = pytest.mark.browser


def picture(name: str) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes()}


def test_lead_to_closed_hazard(page: Page, server, cast):
    today = timezone.localdate()
    login(page, server, "grid_worker")
    page.goto(f"{server.url}/hazards/leads/new/")
    pick(page, "生产经营单位", "来安县建工", cast.enterprise_x.uscc)
    page.get_by_label("情况描述").fill("三号楼临边防护栏杆缺失")
    page.locator("input[name=photos]").set_input_files([picture("site.png")])
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("待核实")
    lead = Lead.objects.get()
    assert lead.grid == cast.grid_a and lead.photos.count() == 1

    logout(page, server)
    login(page, server, "town_a")
    page.goto(f"{server.url}/hazards/leads/{lead.pk}/")
    page.get_by_test_id("action-confirm").click()
    page.get_by_label("隐患类别").select_option("unsafe_condition")
    page.get_by_label("整改期限").fill((today + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("待整改")
    hazard = Hazard.objects.get()
    assert hazard.source == Hazard.Source.GRID_PATROL
    assert hazard.finding_unit == units.unit_for(cast.town_a)  # the grid worker's town found it
    # No 代管: the town may not plan or fix the enterprise's hazard.
    expect(page.get_by_test_id("action-fix_on_the_spot")).to_have_count(0)
    expect(page.get_by_test_id("action-plan")).to_have_count(0)

    logout(page, server)
    login(page, server, "enterprise_x")
    page.goto(f"{server.url}/hazards/{hazard.pk}/")
    page.get_by_test_id("action-plan").click()
    page.locator("#id_responsible_person").fill("张三")
    page.get_by_label("整改措施").fill("加设防护栏杆和安全网")
    page.get_by_label("整改时限").fill((today + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("整改中")
    expect(page.get_by_test_id("plan")).to_contain_text("加设防护栏杆和安全网")
    page.get_by_test_id("action-submit").click()
    page.get_by_label("整改情况").fill("防护栏杆和安全网已全部加设")
    page.locator("input[name=photos]").set_input_files([picture("after.png")])
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("待验收")
    expect(page.get_by_test_id("action-verify")).to_have_count(0)  # the submitter may not verify

    logout(page, server)
    login(page, server, "dept_housing")
    page.goto(f"{server.url}/hazards/{hazard.pk}/")
    verify_on_site(page, "现场核查，防护到位")
    expect(page.get_by_test_id("timeline")).to_contain_text("现场核查，防护到位")
    hazard.refresh_from_db()
    assert (hazard.status, hazard.verified_by) == (Hazard.Status.CLOSED, cast["dept_housing"])
    assert hazard.verifications.get().method == "on_site"


def test_major_hazard_listed_for_supervision_then_lifted(page: Page, server, cast):
    today = timezone.localdate()
    hazard = HazardFactory(
        enterprise=cast.enterprise_x,
        grade=Hazard.Grade.MAJOR,
        major_basis="房屋市政工程生产安全重大事故隐患判定标准 第四条",
        supervising_department=cast.dept_housing,
        description="塔吊司机无特种作业操作证上岗",
    )
    login(page, server, "dept_housing")
    page.goto(f"{server.url}/hazards/{hazard.pk}/")
    page.get_by_test_id("action-supervise").click()
    page.get_by_label("责任单位").select_option(label=cast.enterprise_x.name)
    page.get_by_label("督办期限").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("督办要求").fill("立即停止塔吊作业，30日内完成整改")
    page.get_by_role("button", name="提交").click()
    supervision = page.get_by_test_id("supervision")
    expect(supervision).to_contain_text("督〔")
    expect(supervision).to_contain_text("督办中")
    with page.expect_download() as download:
        page.get_by_test_id("letter").click()
    assert download.value.suggested_filename.endswith(".docx")

    # The enterprise rectifies and the department verifies (through the services: the first flow did it by hand).
    listed = Supervision.objects.get()
    Hazard.objects.filter(pk=hazard.pk).update(
        status=Hazard.Status.AWAITING_VERIFICATION, submitted_by=cast["enterprise_x"]
    )
    services.verify_rectification(
        actor=cast["dept_housing"], hazard_pk=hazard.pk, passed=True, opinion="验收合格", method="on_site"
    )

    page.goto(f"{server.url}/hazards/{hazard.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("已销号")
    page.get_by_placeholder("摘牌意见").fill("整改验收合格，同意摘牌")
    page.get_by_test_id("lift").click()
    expect(page.get_by_test_id("supervision")).to_contain_text("已摘牌")
    listed.refresh_from_db()
    assert listed.status == Supervision.Status.LIFTED
