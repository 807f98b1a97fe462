"""双重预防 risk register in a real browser (issue #18): the enterprise opens its register, clicks its site plan to
place a new risk point there, assesses it by LEC — the form shows D and the level before saving — and its
four-colour map shows the marker in the level's colour; the county 安委办's map then shows the enterprise in the
colour of its highest level."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from anlan.risk.demo.register import draw_plan
from anlan.risk.services import register as services
from anlan.risk.tests.factories_register import assessed_point, lec_data, ls_data

from .conftest import login, logout, screenshot

pytestmark = pytest.mark.browser


def test_the_enterprise_places_and_assesses_a_risk_point_and_both_maps_show_its_colour(
    page: Page, server, cast
):
    plan = SimpleUploadedFile("plan.png", draw_plan(0), "image/png")
    services.upload_site_plan(actor=cast["enterprise_x"], enterprise_pk=cast.enterprise_x.pk, image=plan)
    # Points already on the map: 较大 (orange), 一般 (yellow), 低 (blue).
    assessed_point(cast, lec_data("3", "6", "15"), name="装卸站台", x="0.2", y="0.3")
    assessed_point(cast, ls_data(2, 3), name="化验室", x="0.45", y="0.72")
    assessed_point(cast, lec_data("1", "6", "7"), name="空压机房", x="0.8", y="0.68")
    cast.enterprise_x.longitude, cast.enterprise_x.latitude = 118.433, 32.452
    cast.enterprise_x.save()

    # The enterprise opens its register from the menu, then its 四色图, and clicks an empty place of its plan.
    login(page, server, "enterprise_x")
    page.get_by_role("button", name="企业主体责任", exact=True).click()
    page.get_by_role("link", name="风险分级管控", exact=True).click()
    expect(page.get_by_test_id("point-table").get_by_role("link", name="装卸站台")).to_be_visible()
    page.get_by_test_id("own-map").click()
    plan_map = page.get_by_test_id("plan-map")
    expect(plan_map.locator(".leaflet-image-layer")).to_be_visible()
    box = plan_map.bounding_box()
    plan_map.click(position={"x": box["width"] * 0.62, "y": box["height"] * 0.3})

    # The click opened the new point's form at that place.
    assert "x=" in page.url and "y=" in page.url
    page.get_by_label("风险点名称").fill("液氯钢瓶库")
    page.get_by_label("风险点类型").select_option(label="场所区域")
    page.get_by_label("危险有害因素").fill("钢瓶阀门泄漏，氯气中毒")
    page.get_by_label("中毒和窒息").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="液氯钢瓶库")).to_be_visible()

    # LEC: L=6, E=6, C=15 — the preview shows D = 540 and 重大风险 before anything is saved.
    page.get_by_test_id("assess").click()
    page.get_by_label("作业条件危险性分析法（LEC）").check()
    page.get_by_label("L 事故发生的可能性").select_option("6")
    page.get_by_label("E 暴露于危险环境的频繁程度").select_option("6")
    page.get_by_label("C 发生事故可能造成的后果").select_option("15")
    expect(page.get_by_test_id("preview-score")).to_have_text("540")
    expect(page.get_by_test_id("preview-level")).to_have_text("重大风险")
    page.get_by_test_id("assess-save").click()
    expect(page.get_by_test_id("point-score")).to_have_text("540")

    # The four-colour map: the new marker, red.
    page.get_by_role("link", name="风险四色图").first.click()
    expect(page.get_by_test_id("plan-marker")).to_have_count(4)
    red = page.locator('[data-testid="plan-marker"][data-colour="red"]')
    expect(red).to_have_count(1)
    expect(red).to_have_attribute("title", "液氯钢瓶库 · 重大风险")
    screenshot(page, "risk-map.png")
    logout(page, server)

    # The county office's map colours the enterprise by its highest level.
    login(page, server, "county_office")
    page.goto(f"{server.url}/risk/map/")
    county_marker = page.locator(f'[data-testid="county-marker"][data-enterprise="{cast.enterprise_x.pk}"]')
    expect(county_marker).to_have_attribute("data-level", "major")
    expect(
        page.get_by_test_id("county-enterprises").get_by_role("link", name=cast.enterprise_x.name)
    ).to_be_visible()
    screenshot(page, "risk-county-map.png")
