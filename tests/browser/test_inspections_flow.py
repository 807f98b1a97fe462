"""The inspection loop in a real browser: the housing department draws one enterprise at random (双随机),
confirms the draw, records the inspection with its checklist (one item 不符合 → a hazard), and orders the
rectification (责令限期整改), downloading the numbered 责令限期整改指令书 as DOCX."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect

from anlan.core.tests.factories import EnterpriseFactory, industry
from anlan.hazards.models import Hazard
from anlan.inspections.data.checklists import items_of
from anlan.inspections.models import EnforcementAction, Inspection, RandomDraw
from anlan.inspections.tests.factories import inspector

from .conftest import login

pytestmark = pytest.mark.browser


def test_draw_to_inspection_to_hazard_to_rectification_order(page: Page, server, cast, tmp_path):
    today = timezone.localdate()
    inspector(cast.dept_housing, name="张执法", user=cast["dept_housing"])
    inspector(cast.dept_housing, name="李执法")
    inspector(cast.dept_housing, name="过期执法", expires_in_days=-1)
    for n in range(3):
        EnterpriseFactory(
            name=f"来安县第{n}建筑公司", region=cast.village_a, industry=industry("construction")
        )

    login(page, server, "dept_housing")
    page.goto(f"{server.url}/inspections/draws/")
    page.get_by_test_id("new-draw").click()
    page.get_by_label("抽查事项").fill("建筑施工双随机抽查")
    page.get_by_label("检查期间起").fill(today.isoformat())
    page.get_by_label("检查期间止").fill((today + timedelta(days=20)).isoformat())
    page.get_by_label("抽取区域").select_option(cast.county.code)
    page.get_by_label("抽取企业数").fill("1")
    page.get_by_label("随机种子").fill("20260101")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("待确认")
    expect(page.get_by_test_id("seed")).to_have_text("20260101")
    expect(page.get_by_test_id("draw-result")).not_to_contain_text("过期执法")
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("verified")).to_contain_text("结果一致")
    # The draw's steps come from RandomDraw.TRANSITIONS ({% transition_buttons %}).
    page.get_by_test_id("transitions").get_by_role("button", name="确认抽取结果").click()
    expect(page.get_by_test_id("status")).to_have_text("已确认")
    assert RandomDraw.objects.get().status == RandomDraw.Status.CONFIRMED

    page.get_by_test_id("draw-inspection").click()
    page.get_by_test_id("transitions").get_by_role("link", name="记录检查结果").click()
    now = timezone.localtime()
    page.get_by_label("到达现场时间").fill((now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("检查结束时间").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("被检查单位人员").fill("李四（安全员）")
    inspection = Inspection.objects.get()
    for item in items_of(inspection.checklist):
        value = "non_compliant" if item.key == "con-5" else "compliant"
        page.locator(f"tr[data-item='{item.key}'] input[value='{value}']").check()
    page.locator("tr[data-item='con-5'] input[name='note_con-5']").fill("三层临边无防护栏杆")
    page.get_by_role("button", name="提交检查结果").click()
    expect(page.get_by_test_id("status")).to_have_text("已检查")
    expect(page.get_by_test_id("hazard-link")).to_have_count(1)
    hazard = Hazard.objects.get()
    assert hazard.source == Hazard.Source.DEPARTMENT_INSPECTION and "三层临边无防护栏杆" in hazard.description

    page.get_by_test_id("action-enforce").click()
    page.get_by_label("执法措施").select_option("rectification")
    page.locator("input[name=findings]").check()
    page.get_by_label("措施内容").fill("责令于期限前完成临边防护整改")
    page.get_by_label("整改/执行期限").fill((today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("action-document")).to_contain_text("责令限期整改指令书")
    with page.expect_download() as download:
        page.get_by_test_id("action-document").click()
    action = EnforcementAction.objects.get()
    assert download.value.suggested_filename == f"{action.document.number}.docx"
    path = tmp_path / "order.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "责令限期整改指令书" in text and action.document.number in text and "临边" in text
