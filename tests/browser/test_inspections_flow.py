"""The inspection loops in a real browser:

- the housing department draws one enterprise at random (双随机), confirms the draw, records the inspection
  with its checklist (one item 不符合 → a hazard), and orders the rectification (责令限期整改), confirming
  before the numbered 责令限期整改指令书 is issued, then downloads it as DOCX;
- 复产: the suspended enterprise applies with its proof file, each step of the chain is signed by a different
  person who sees the proof, and the 复产通知 is downloadable;
- a town officer records the town's own 四不两直 check that found nothing (全部符合): it leaves its record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect

from anlan.core.models import Enterprise
from anlan.core.tests.factories import EnterpriseFactory, industry
from anlan.hazards.models import Hazard
from anlan.inspections import services
from anlan.inspections.data.checklists import items_of
from anlan.inspections.models import EnforcementAction, Inspection, RandomDraw, Resumption, Suspension
from anlan.inspections.tests.factories import answers, inspector, planned, record_data

from .conftest import login, logout, pick

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

    # Irreversible steps (confirming a draw, issuing a document) ask first (data-confirm): agree to each.
    page.on("dialog", lambda dialog: dialog.accept())
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
    arrived = now - timedelta(hours=2)
    page.get_by_label("到达现场时间").fill(arrived.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("检查结束时间").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    if arrived.date() < today:  # run just after midnight: the visit began the day before the drawn period
        page.get_by_label("提前检查原因").fill("夜间突击检查，到达时间在零点前")
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


def _suspended(cast):
    """Enterprise X ordered to stop (停产整顿) by the housing department on a recorded inspection."""
    team = [
        inspector(cast.dept_housing, name="张执法", user=cast["dept_housing"]),
        inspector(cast.dept_housing),
    ]
    visit = planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
    services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=visit.pk,
        data=record_data(),
        answers=answers("construction", failing=("con-4",)),
    )
    finding = visit.answers.get(result="non_compliant")
    suspension = services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=visit.pk,
        data={"kind": "suspension", "description": "责令停产整顿"},
        finding_ids=[finding.pk],
    ).suspension
    # The finding's hazard was fixed and verified (the hazards loop, tested on its own).
    Hazard.objects.filter(pk=finding.hazard_id).update(status=Hazard.Status.CLOSED)
    return suspension


def _sign(page: Page, server, username: str, suspension, opinion: str):
    logout(page, server)
    login(page, server, username)
    page.goto(f"{server.url}/inspections/suspensions/{suspension.pk}/")
    expect(page.get_by_test_id("proof")).to_have_count(2)  # the enterprise's proof, at every step
    page.get_by_test_id("approve-select").select_option("1")
    page.locator("textarea[name=opinion]").fill(opinion)
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("steps")).to_contain_text(opinion)


def test_resumption_chain_signed_by_different_people_issues_the_notice(page: Page, server, cast, tmp_path):
    from anlan.core.models import Role
    from anlan.core.tests.factories import MembershipFactory, UserFactory

    suspension = _suspended(cast)
    officer = UserFactory(username="housing_officer")
    MembershipFactory(user=officer, role=Role.DEPARTMENT, department=cast.dept_housing)

    login(page, server, "enterprise_x")
    page.goto(f"{server.url}/inspections/suspensions/{suspension.pk}/")
    page.get_by_role("link", name="申请复产验收").click()
    page.get_by_label("整改情况及证明材料说明").fill("深基坑专项施工方案已编制并通过专家论证")
    page.get_by_label("证明材料", exact=True).set_input_files(
        {"name": "论证意见.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("复产验收中")
    expect(page.get_by_test_id("proof")).to_have_count(2)  # shown at both steps of the chain

    _sign(page, server, "housing_officer", suspension, "现场验收合格")
    # The officer has signed: the leader's step is not theirs, so no decision is offered to them.
    expect(page.get_by_test_id("decide")).to_have_count(0)
    _sign(page, server, "leader", suspension, "同意恢复生产")

    expect(page.get_by_test_id("status")).to_have_text("已复产")
    assert Suspension.objects.get(pk=suspension.pk).status == Suspension.Status.RESUMED
    assert Enterprise.objects.get(pk=cast.enterprise_x.pk).status == Enterprise.Status.OPERATING
    application = Resumption.objects.get()
    assert {s.decided_by_id for s in application.steps.all()} == {officer.pk, cast["leader"].pk}
    with page.expect_download() as download:
        page.get_by_test_id("resumption-notice").click()
    assert download.value.suggested_filename == f"{application.notice.number}.docx"
    path = tmp_path / "notice.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "复产通知" in text and "同意你单位" in text


def test_a_town_records_its_own_unannounced_check_that_found_nothing(page: Page, server, cast):
    login(page, server, "town_a")
    page.goto(f"{server.url}/inspections/")
    page.get_by_test_id("own-check-create").click()
    page.get_by_label("检查类型").select_option("unannounced")
    pick(page, "生产经营单位", "laxjg", cast.enterprise_x.uscc)
    page.get_by_label("检查人员").fill("镇长 王某、安监办 李某")
    page.get_by_role("button", name="提交").click()

    now = timezone.localtime()
    page.get_by_label("到达现场时间").fill((now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("检查结束时间").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("all-compliant").click()
    page.get_by_role("button", name="提交检查结果").click()

    expect(page.get_by_test_id("status")).to_have_text("已检查")
    expect(page.get_by_test_id("result")).to_contain_text("未发现问题")
    expect(page.get_by_test_id("conducted-by")).to_have_text("新安镇人民政府")
    expect(page.get_by_test_id("action-enforce")).to_have_count(0)
    check = Inspection.objects.get(kind=Inspection.Kind.UNANNOUNCED)
    assert check.department is None and check.status == Inspection.Status.RECORDED
    assert not check.answers.exclude(result="compliant").exists()
