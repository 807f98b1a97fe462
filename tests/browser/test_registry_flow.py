"""The registry (core) in a real browser: a town registers and edits an enterprise, the county office
reads the dashboard, exports the ledger and manages regions, a leader sees masked phones.

These flows also take the README screenshots in docs/screenshots/.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlparse

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from anlan.core.imports import COLUMNS
from anlan.core.models import Enterprise, Region
from anlan.core.rules import USCC_CHARSET, mask_phone
from anlan.core.tests.factories import (
    EnterpriseFactory,
    GridFactory,
    LicenceFactory,
    RegionFactory,
    industry,
    next_id_number,
    next_uscc,
)

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

# (industry code, name) for the county's enterprises on the dashboard; spread over the cast's
# villages and towns so every page has something to show.
COUNTY_ENTERPRISES = [
    ("construction", "安徽来安路桥建设有限公司"),
    ("construction", "来安县宏达建筑安装有限公司"),
    ("construction", "滁州汊河建设工程有限公司"),
    ("construction", "来安县城东建筑劳务有限公司"),
    ("construction", "来安县顺达钢结构工程有限公司"),
    ("hazchem-production", "安徽金禾新材料科技有限公司"),
    ("hazchem-production", "来安县永盛精细化工有限公司"),
    ("hazchem-production", "滁州润达涂料有限公司"),
    ("hazchem-trade", "来安县石化物资经营有限公司"),
    ("hazchem-trade", "来安县半塔加油站"),
    ("machinery", "来安县精工机械制造有限公司"),
    ("machinery", "安徽汊河汽车零部件有限公司"),
    ("machinery", "来安县恒力液压设备有限公司"),
    ("machinery", "滁州宏远铸造有限公司"),
    ("light-industry", "来安县绿源食品有限公司"),
    ("light-industry", "安徽来安纸业有限公司"),
    ("light-industry", "来安县福满家粮油有限公司"),
    ("building-materials", "来安县海螺水泥粉磨站"),
    ("building-materials", "来安县新型墙体材料有限公司"),
    ("commerce", "来安县苏宁购物广场"),
    ("commerce", "来安县华润万家超市"),
    ("fire-key", "来安县人民医院"),
    ("fire-key", "来安县金鼎大酒店"),
    ("urban-gas", "来安县港华燃气有限公司"),
    ("urban-gas", "来安县液化气储配站"),
    ("road-transport", "来安县公共交通有限公司"),
    ("road-transport", "来安县顺通危险货物运输有限公司"),
    ("fireworks", "来安县烟花爆竹批发有限公司"),
    ("non-coal-mine", "来安县张山石料矿"),
    ("culture-tourism", "来安县白鹭岛景区管理有限公司"),
]


def populate_county(cast) -> None:
    """About thirty enterprises across industries and villages, some flagged, some with licences due."""
    west = RegionFactory(
        code="341122100002", name="西关社区", parent=cast.town_a, level=Region.Level.VILLAGE, kind="社区"
    )
    water = RegionFactory(
        code="341122100203", name="水口村", parent=cast.town_a, level=Region.Level.VILLAGE, kind="村"
    )
    GridFactory(region=west, code="G01", name="西关社区第1网格")
    GridFactory(region=cast.village_a, code="G02", name="东关社区第2网格")
    places = [cast.village_a, west, water, cast.town_a, cast.village_b, cast.town_b]
    today = timezone.localdate()
    for n, (code, name) in enumerate(COUNTY_ENTERPRISES):
        enterprise = EnterpriseFactory(
            name=name,
            region=places[n % len(places)],
            industry=industry(code),
            employees=15 + 37 * n % 400,
            has_major_hazard_source=code in {"hazchem-production", "urban-gas"} and n % 2 == 0,
            is_crowded_place=code in {"fire-key", "commerce", "culture-tourism"},
            status=Enterprise.Status.SUSPENDED if n in (7, 19) else Enterprise.Status.OPERATING,
        )
        if n % 6 == 0:
            LicenceFactory(enterprise=enterprise, valid_until=today + timedelta(days=n - 8))


def results(page: Page):
    return page.get_by_test_id("enterprise-table").locator("tbody tr")


def search(page: Page, text: str) -> None:
    """Type into the list's search box as a user of a Chinese IME does: the text is inserted, then a
    key is released (htmx listens for keyup on the box)."""
    box = page.locator("#id_q")
    box.fill(text)
    box.press("End")


def search_in_panel(page: Page, text: str) -> None:
    """On a phone: open the 筛选 panel, search, and close it with 查询."""
    page.get_by_test_id("filter-toggle").click()
    search(page, text)
    page.get_by_test_id("filter-apply").click()
    expect(page.locator("#filter-panel")).to_be_hidden()


def wrong_check_character(uscc: str) -> str:
    return uscc[:17] + next(ch for ch in USCC_CHARSET if ch != uscc[17])


def wait_for_chart(page: Page, selector: str) -> None:
    """The ECharts canvas is drawn and its entry animation is over (no fixed sleep)."""
    expect(page.locator(f"{selector} canvas")).to_be_visible()
    page.wait_for_function(
        """(selector) => {
            const chart = window.echarts && echarts.getInstanceByDom(document.querySelector(selector));
            // no clip left to play and the last frame painted
            return Boolean(chart) && chart.getZr().animation.isFinished() && !chart.getZr()._needsRefresh;
        }""",
        arg=selector,
    )


def test_a_town_registers_then_edits_an_enterprise_and_the_timeline_keeps_both(page, server, cast):
    EnterpriseFactory(
        name="来安县东关食品有限公司", region=cast.village_a, industry=industry("light-industry")
    )
    login(page, server, "town_a")

    # the list holds the town's enterprises only
    page.get_by_role("link", name="生产经营单位", exact=True).first.click()
    expect(page).to_have_url(f"{server.url}/enterprises/")
    expect(results(page)).to_have_count(2)
    expect(results(page).filter(has_text="来安县建工集团有限公司")).to_have_count(1)
    expect(page.get_by_test_id("enterprise-table")).not_to_contain_text("安徽来安化工有限公司")

    # searching updates the table in place and pushes the query into the address bar
    page.evaluate("window.pageMark = 'same page'")
    with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request") == "true"):
        search(page, "建工")
    expect(results(page)).to_have_count(1)
    expect(results(page).first).to_contain_text("来安县建工集团有限公司")
    expect(page).to_have_url(re.compile(re.escape("q=" + quote("建工"))))
    assert parse_qs(urlparse(page.url).query)["q"] == ["建工"]
    assert page.evaluate("window.pageMark") == "same page"
    # a name outside the town's jurisdiction finds nothing
    search(page, "化工")
    expect(page.get_by_test_id("empty")).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_have_text("共 0 条")

    # registering with a wrong check character: the error sits under the code, the input is kept
    page.get_by_role("link", name="登记", exact=True).click()
    expect(page.get_by_role("heading", name="登记生产经营单位")).to_be_visible()
    uscc = next_uscc()
    page.locator("#id_uscc").fill(wrong_check_character(uscc))
    page.locator("#id_name").fill("来安县东关机械加工厂")
    page.locator("#id_region").select_option(cast.village_a.code)
    page.locator("#id_industry").select_option(str(industry("machinery").pk))
    page.locator("#id_employees").fill("36")
    page.locator("#id_principal").fill("王建国")
    principal_id_number = next_id_number()
    page.locator("#id_principal_id_number").fill(principal_id_number)
    page.locator("#id_principal_phone").fill("13955012345")
    page.get_by_role("button", name="保存").click()
    error = page.locator('.invalid-feedback[data-field="uscc"]')
    expect(error).to_have_text(
        f"统一社会信用代码校验位错误：第18位应为 {uscc[17]}，实际为 {wrong_check_character(uscc)[17]}。"
    )
    expect(page.locator("#id_uscc")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_name")).to_have_value("来安县东关机械加工厂")
    expect(page.locator("#id_principal_phone")).to_have_value("13955012345")
    assert not Enterprise.objects.filter(name="来安县东关机械加工厂").exists()

    # corrected, it is saved and the detail page opens with a 新建 entry in the timeline
    page.locator("#id_uscc").fill(uscc)
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/enterprises/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("来安县东关机械加工厂")
    expect(page.get_by_role("alert")).to_contain_text("已登记生产经营单位“来安县东关机械加工厂”。")
    timeline = page.get_by_test_id("timeline").locator(":scope > li")
    expect(timeline).to_have_count(1)
    expect(timeline.first).to_contain_text("新建")
    enterprise = Enterprise.objects.get(uscc=uscc)
    assert (enterprise.region_id, enterprise.employees) == (cast.village_a.code, 36)

    # an edit with a reason shows old → new and the reason on top of the timeline
    page.get_by_role("link", name="修改", exact=True).click()
    expect(page.locator("#id_employees")).to_have_value("36")
    page.locator("#id_employees").fill("52")
    page.locator("#id_reason").fill("年度核查，新增一条生产线")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存修改。")
    expect(timeline).to_have_count(2)
    latest = timeline.first
    expect(latest).to_contain_text("修改")
    expect(latest).to_contain_text("年度核查，新增一条生产线")
    expect(latest.locator("li", has_text="从业人员数")).to_have_text("从业人员数：36 → 52")
    expect(timeline.last).to_contain_text("新建")
    expect(page.get_by_test_id("principal-phone")).to_have_text("13955012345")  # the town acts on it
    expect(page.get_by_test_id("principal-id-number")).to_have_text(principal_id_number)
    enterprise.refresh_from_db()
    assert enterprise.employees == 52
    screenshot(page, "enterprise-detail.png")


def test_the_county_office_reads_the_dashboard_exports_the_ledger_and_opens_a_town(
    page, server, cast, tmp_path
):
    populate_county(cast)
    total = Enterprise.objects.count()
    assert total == 32

    page.goto(f"{server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill("county_office")
    page.get_by_label("密码").fill("pass-word-2026")
    screenshot(page, "login.png")
    login(page, server, "county_office")

    # the 工作台: totals and the industry chart drawn from the same scoped counts
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_test_id("stat-total")).to_have_text(str(total))
    wait_for_chart(page, "#chart-industry")
    bars = page.evaluate(
        """() => {
            const option = echarts.getInstanceByDom(document.getElementById('chart-industry')).getOption();
            return Object.fromEntries(option.yAxis[0].data.map((name, i) => [name, option.series[0].data[i]]));
        }"""
    )
    expected = {}
    for e in Enterprise.objects.select_related("industry"):
        expected[e.industry.name] = expected.get(e.industry.name, 0) + 1
    top12 = dict(sorted(expected.items(), key=lambda kv: -kv[1])[:12])
    assert len(bars) == 12
    assert all(bars[name] == expected[name] for name in bars)
    assert sorted(bars.values(), reverse=True) == sorted(top12.values(), reverse=True)
    screenshot(page, "home.png")

    # the list shows the whole county, 20 a page
    page.get_by_role("link", name="生产经营单位", exact=True).first.click()
    expect(page.get_by_test_id("result-count")).to_have_text("共 32 条 · 第 1 / 2 页")
    expect(results(page)).to_have_count(20)
    screenshot(page, "enterprise-list.png")

    # filtering by industry updates the export link too; the download holds exactly those rows
    with page.expect_response(lambda r: "industry=" in r.url and r.request.headers.get("hx-request")):
        page.locator("#id_industry").select_option(label="建筑施工")
    construction = Enterprise.objects.filter(industry=industry("construction")).order_by("name")
    expect(results(page)).to_have_count(construction.count())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    download = download_info.value
    assert re.fullmatch(r"enterprises-\d{8}-\d{4}\.xlsx", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(path, read_only=True).worksheets[0]
    title, _info, header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert title[0] == "生产经营单位台账　来安县　行业领域：建筑施工"
    assert header[:3] == ["序号", "统一社会信用代码", "单位名称"]
    name_at, phone_at = header.index("单位名称"), header.index("主要负责人电话")
    assert sorted(r[name_at] for r in rows) == sorted(e.name for e in construction)
    # the county office acts on contacts, so its ledger has phones in full
    assert {r[phone_at] for r in rows} == {e.principal_phone for e in construction}

    # 区划与网格: the county's towns, then 新安镇 with its villages and their enterprise counts
    page.get_by_role("button", name="基础数据").click()
    page.get_by_role("link", name="区划与网格").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("来安县")
    page.get_by_test_id("children").get_by_role("link", name="新安镇").click()
    expect(page).to_have_url(f"{server.url}/regions/{cast.town_a.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("新安镇")
    villages = page.get_by_test_id("children").locator("tbody tr")
    expect(villages).to_have_count(3)
    for village in Region.objects.filter(parent=cast.town_a):
        count = Enterprise.objects.filter(region=village).count()
        expect(villages.filter(has_text=village.name).locator("td").last).to_have_text(str(count))
    screenshot(page, "region-detail.png")


def test_an_import_with_one_bad_row_reports_it_and_imports_nothing_until_asked(page, server, cast):
    principal_id_number = next_id_number()  # one principal for every row: the same person

    def row(name, uscc=None, region=None):
        values = {
            "uscc": uscc or next_uscc(),
            "name": name,
            "region": region or cast.village_a.code,
            "industry": "工贸",
            "address": "新安镇东关路18号",
            "scale": "小微企业",
            "employees": 12,
            "principal": "李春华",
            "principal_id_number": principal_id_number,
            "principal_phone": "13805501234",
            "has_major_hazard_source": "否",
            "is_crowded_place": "否",
        }
        return [values.get(field, "") for _title, field in COLUMNS]

    workbook = Workbook()
    workbook.active.append([title for title, _field in COLUMNS])
    workbook.active.append(row("来安县东关五金制品厂"))
    workbook.active.append(row("来安县东关包装材料厂", uscc=wrong_check_character(next_uscc())))
    workbook.active.append(row("来安县东关木业有限公司"))
    buffer = io.BytesIO()
    workbook.save(buffer)

    login(page, server, "town_a")
    page.goto(f"{server.url}/enterprises/")
    page.get_by_role("link", name="Excel 导入").click()
    page.locator("#id_file").set_input_files(
        {
            "name": "新安镇企业名单.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": buffer.getvalue(),
        }
    )
    page.get_by_role("button", name="校验并导入").click()

    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("共 3 行：校验通过 2 行，有错误 1 行；已导入 0 行。")
    errors = page.get_by_test_id("import-errors").locator("tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td")).to_have_text(
        ["3", "统一社会信用代码", re.compile(r"^统一社会信用代码校验位错误")]
    )
    assert not Enterprise.objects.filter(name__startswith="来安县东关").exists()
    screenshot(page, "enterprise-import.png")

    page.get_by_role("button", name="只导入校验通过的 2 行").click()
    expect(page.get_by_role("alert")).to_contain_text("已导入 2 行。")
    assert sorted(
        Enterprise.objects.filter(name__startswith="来安县东关").values_list("name", flat=True)
    ) == [
        "来安县东关五金制品厂",
        "来安县东关木业有限公司",
    ]


def test_a_leader_sees_phone_numbers_masked_on_the_detail_page(page, server, cast):
    enterprise = cast.enterprise_x
    login(page, server, "leader")
    page.goto(f"{server.url}/enterprises/")
    page.get_by_role("link", name=enterprise.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(enterprise.name)
    expect(page.get_by_test_id("principal-phone")).to_have_text(mask_phone(enterprise.principal_phone))
    assert mask_phone(enterprise.principal_phone) != enterprise.principal_phone
    body = page.locator("main")
    expect(body).not_to_contain_text(enterprise.principal_phone)
    expect(body).not_to_contain_text(enterprise.safety_manager_phone)
    expect(body).to_contain_text(mask_phone(enterprise.safety_manager_phone))
    # read-only: no edit button
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)


def test_the_language_button_switches_the_interface_to_english(page, server, cast):
    login(page, server, "town_a")
    nav_item = page.locator('#nav-main a.nav-link[href="/enterprises/"]')
    expect(nav_item).to_have_text("生产经营单位")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    expect(page.get_by_test_id("language-en")).to_have_text("English")
    page.get_by_test_id("language-en").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{server.url}/")
    with translation.override("en"):
        english = gettext("生产经营单位")
    assert english == "Enterprises"  # the compiled English catalogue
    expect(nav_item).to_have_text(english)
    expect(page.get_by_test_id("language-zh-hans")).to_have_text("简体中文")


def test_on_a_phone_the_menu_collapses_and_the_list_still_works(phone_page, server, cast):
    page = phone_page
    login(page, server, "town_a")
    toggler = page.locator(".navbar-toggler")
    nav_item = page.locator('#nav-main a.nav-link[href="/enterprises/"]')
    expect(toggler).to_be_visible()
    expect(nav_item).to_be_hidden()

    toggler.click()
    expect(nav_item).to_be_visible()
    nav_item.click()
    expect(page).to_have_url(f"{server.url}/enterprises/")
    expect(results(page)).to_have_count(1)
    # columns that do not fit are hidden instead of pushing the page sideways
    uscc_header = page.get_by_test_id("enterprise-table").locator("th", has_text="统一社会信用代码")
    expect(uscc_header).to_have_count(1)
    expect(uscc_header).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # the filters wait behind the 筛选 button; 查询 applies them and closes the panel
    search_in_panel(page, "化工")
    expect(page.get_by_test_id("empty")).to_be_visible()
    search_in_panel(page, "建工")
    link = results(page).get_by_role("link", name="来安县建工集团有限公司")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("来安县建工集团有限公司")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
