"""Pages and API of the registry: lists, filters, masking, export, import, bad input."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from anlan.core import rules
from anlan.core.models import Enterprise
from anlan.core.tests.factories import EnterpriseFactory, RegionFactory, industry, next_uscc

LIST = "core:enterprise-list"


def names_in(response) -> set[str]:
    return {e.name for e in response.context["page"]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("county_office", {"来安县建工集团有限公司", "安徽来安化工有限公司"}),
        ("town_a", {"来安县建工集团有限公司"}),
        ("town_b", {"安徽来安化工有限公司"}),
        ("dept_housing", {"来安县建工集团有限公司"}),
        ("enterprise_x", {"来安县建工集团有限公司"}),
        ("grid_worker", {"来安县建工集团有限公司"}),
    ],
)
def test_the_list_shows_only_the_jurisdiction(cast, as_user, who, expected):
    response = as_user(cast[who]).get(reverse(LIST))
    assert names_in(response) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_search_matches_name_or_uscc_prefix(cast, as_user):
    client = as_user(cast["county_office"])
    assert names_in(client.get(reverse(LIST), {"q": "化工"})) == {"安徽来安化工有限公司"}
    assert names_in(client.get(reverse(LIST), {"q": cast.enterprise_x.uscc[:12].lower()})) >= {
        "来安县建工集团有限公司"
    }


def test_region_filter_covers_the_whole_subtree(cast, as_user):
    response = as_user(cast["county_office"]).get(reverse(LIST), {"region": cast.town_a.code})
    assert names_in(response) == {"来安县建工集团有限公司"}  # registered in a village of town A


def test_a_region_outside_the_jurisdiction_is_not_a_valid_filter(cast, as_user):
    response = as_user(cast["town_a"]).get(reverse(LIST), {"region": cast.town_b.code})
    assert response.context["filter"].errors
    assert names_in(response) == {"来安县建工集团有限公司"}


def test_industry_filter_includes_sub_industries(cast, as_user):
    EnterpriseFactory(name="来安县精工机械有限公司", region=cast.town_b, industry=industry("machinery"))
    response = as_user(cast["county_office"]).get(reverse(LIST), {"industry": industry("industry-trade").pk})
    assert names_in(response) == {"来安县精工机械有限公司"}


def test_the_list_is_paginated_with_a_bounded_number_of_queries(cast, as_user, django_assert_max_num_queries):
    for n in range(45):
        EnterpriseFactory(
            name=f"分页测试{n:02d}有限公司", region=cast.village_a, industry=industry("commerce")
        )
    client = as_user(cast["county_office"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse(LIST), {"page": 2})
    assert len(response.context["page"]) == 20
    assert response.context["page"].paginator.count == 47


def test_the_filter_form_keeps_the_chosen_values_and_marks_nothing_else(cast, as_user):
    query = {"status": "suspended", "crowded": "false", "region": cast.town_a.code}
    body = as_user(cast["county_office"]).get(reverse(LIST), query).content.decode()
    assert '<option value="suspended" selected>停产停业</option>' in body
    assert '<option value="false" selected>否</option>' in body
    assert f'<option value="{cast.town_a.code}" selected>' in body
    assert body.count(" selected>") == 3  # 全部 stays the unmarked default of the other selects


def test_htmx_requests_get_only_the_table(cast, as_user):
    response = as_user(cast["county_office"]).get(reverse(LIST), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body and '<nav class="navbar' not in body


def test_phones_are_masked_for_the_leader_and_shown_to_the_town(cast, as_user, client):
    phone = cast.enterprise_x.principal_phone
    detail = reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])
    assert phone not in as_user(cast["leader"]).get(detail).content.decode()
    client.logout()
    assert phone in as_user(cast["town_a"]).get(detail).content.decode()


def test_the_detail_page_shows_the_timeline(cast, as_user):
    from anlan.core import services

    services.update_enterprise(
        actor=cast["town_a"], enterprise_pk=cast.enterprise_x.pk, data={"employees": 88}, reason="核实人数"
    )
    body = (
        as_user(cast["town_a"])
        .get(reverse("core:enterprise-detail", args=[cast.enterprise_x.pk]))
        .content.decode()
    )
    assert "核实人数" in body and "88" in body


def test_bad_uscc_on_the_form_names_the_field_and_keeps_the_other_input(cast, as_user):
    response = as_user(cast["town_a"]).post(
        reverse("core:enterprise-create"),
        {
            "uscc": "91341122MA0000011X",
            "name": "保留的名称",
            "region": cast.village_a.code,
            "industry": industry("construction").pk,
            "scale": "small",
            "employees": 5,
            "principal": "某人",
            "principal_id_number": PRINCIPAL_ID_NUMBER,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["uscc"]
    assert "保留的名称" in response.content.decode()
    assert not Enterprise.objects.filter(name="保留的名称").exists()


def test_a_wrong_id_number_check_character_on_the_form_names_the_principal_field(cast, as_user):
    bad = PRINCIPAL_ID_NUMBER[:-1] + ("0" if PRINCIPAL_ID_NUMBER[-1] != "0" else "1")
    response = as_user(cast["town_a"]).post(
        reverse("core:enterprise-create"),
        {
            "uscc": next_uscc(),
            "name": "身份证有误公司",
            "region": cast.village_a.code,
            "industry": industry("construction").pk,
            "scale": "small",
            "employees": 5,
            "principal": "某人",
            "principal_id_number": bad,
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["principal_id_number"]
    assert "校验码错误" in response.context["form"].errors["principal_id_number"][0]
    assert not Enterprise.objects.filter(name="身份证有误公司").exists()


def test_the_principals_id_number_is_masked_like_the_phones(cast, as_user, client):
    number = cast.enterprise_x.principal.id_number
    detail = reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])
    assert number not in as_user(cast["leader"]).get(detail).content.decode()
    leader_api = client.get(f"/api/v1/enterprises/{cast.enterprise_x.pk}/").json()
    assert leader_api["principal_id_number"] == rules.mask_id_number(number)
    assert leader_api["principal"] == cast.enterprise_x.principal.name
    client.logout()
    assert number in as_user(cast["town_a"]).get(detail).content.decode()


def test_an_out_of_scope_region_on_the_form_is_a_field_error(cast, as_user):
    response = as_user(cast["town_a"]).post(
        reverse("core:enterprise-create"),
        {
            "uscc": next_uscc(),
            "name": "越界公司",
            "region": cast.village_b.code,
            "industry": industry("commerce").pk,
            "scale": "small",
            "employees": 5,
            "principal": "某人",
            "principal_id_number": PRINCIPAL_ID_NUMBER,
        },
    )
    assert "region" in response.context["form"].errors


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook.worksheets[0]
    return [list(row[1:]) for row in sheet.iter_rows(min_row=3, values_only=True)]  # header on, no 序号


def test_export_contains_the_filtered_scoped_rows_with_phones_masked_for_the_leader(cast, as_user):
    response = as_user(cast["leader"]).get(reverse("core:enterprise-export"), {"q": "建工"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response)
    assert rows[0][:2] == ["统一社会信用代码", "单位名称"]
    assert [r[1] for r in rows[1:]] == ["来安县建工集团有限公司"]
    phone_col = rows[0].index("主要负责人电话")
    assert (
        rows[1][phone_col]
        == cast.enterprise_x.principal_phone[:3] + "****" + cast.enterprise_x.principal_phone[-4:]
    )


def test_export_for_a_town_has_only_its_town_and_full_phones(cast, as_user):
    rows = read_xlsx(as_user(cast["town_a"]).get(reverse("core:enterprise-export")))
    assert [r[1] for r in rows[1:]] == ["来安县建工集团有限公司"]
    assert cast.enterprise_x.principal_phone in rows[1]


def workbook_bytes(rows, header=None):
    from anlan.core.imports import COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or [title for title, _f in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "enterprises.xlsx"
    return buffer


PRINCIPAL_ID_NUMBER = "34112219700101001" + rules.id_number_check_character("34112219700101001")


def row(cast, uscc=None, name="导入测试有限公司", region=None, industry_name="建筑施工", **kw):
    values = [
        uscc or next_uscc(),
        name,
        region or cast.village_a.code,
        industry_name,
        "某路1号",
        "小微企业",
        10,
        "甲",
        "乙",
        kw.get("principal_id_number", PRINCIPAL_ID_NUMBER),
        "13800000000",
        "丙",
        "13900000000",
        "否",
        "否",
        118.4,
        32.4,
        kw.get("grid", ""),
    ]
    return values


def test_a_clean_file_is_imported_whole(cast, as_user):
    data = workbook_bytes([row(cast, name="导入一"), row(cast, name="导入二", grid="G01")])
    response = as_user(cast["town_a"]).post(reverse("core:enterprise-import"), {"file": data})
    report = response.context["report"]
    assert (report.total, report.valid, report.imported, report.errors) == (2, 2, 2, [])
    assert Enterprise.objects.get(name="导入二").grid_id == cast.grid_a.pk
    assert Enterprise.objects.get(name="导入一").history.first().history_change_reason == "Excel 导入"


def test_one_bad_row_imports_nothing_and_the_report_names_row_and_column(cast, as_user):
    bad = row(cast, name="坏行", uscc="91341122MA0000011X")
    data = workbook_bytes([row(cast, name="好行"), bad, row(cast, name="越界行", region=cast.village_b.code)])
    response = as_user(cast["town_a"]).post(reverse("core:enterprise-import"), {"file": data})
    report = response.context["report"]
    assert report.imported == 0
    assert {(e.row, e.column) for e in report.errors} == {(3, "统一社会信用代码"), (4, "所属区划代码")}
    assert not Enterprise.objects.filter(name__in=["好行", "坏行", "越界行"]).exists()
    assert response.context["repeatable"] and response.context["job"].params["inputs"]


def test_the_user_can_then_import_only_the_valid_rows(cast, as_user):
    client = as_user(cast["town_a"])
    data = workbook_bytes([row(cast, name="好行"), row(cast, name="坏行", industry_name="不存在的行业")])
    first = client.post(reverse("core:enterprise-import"), {"file": data})
    job = first.context["job"]
    second = client.post(reverse("core:job-import-valid-rows", args=[job.pk]), follow=True)
    assert second.context["report"].imported == 1
    assert list(Enterprise.objects.filter(name__in=["好行", "坏行"]).values_list("name", flat=True)) == [
        "好行"
    ]


def test_duplicate_codes_inside_one_file_are_reported(cast, as_user):
    code = next_uscc()
    data = workbook_bytes([row(cast, uscc=code, name="甲公司"), row(cast, uscc=code, name="乙公司")])
    report = as_user(cast["town_a"]).post(reverse("core:enterprise-import"), {"file": data}).context["report"]
    assert [(e.row, e.column) for e in report.errors] == [(3, "统一社会信用代码")]


def test_a_file_without_the_required_columns_is_refused_whole(cast, as_user):
    data = workbook_bytes([["x"]], header=["名称"])
    report = as_user(cast["town_a"]).post(reverse("core:enterprise-import"), {"file": data}).context["report"]
    assert "缺少必填列" in report.file_error


def test_a_file_that_is_not_xlsx_is_refused_on_the_field(cast, as_user):
    upload = io.BytesIO(b"not a spreadsheet")
    upload.name = "list.csv"
    response = as_user(cast["town_a"]).post(reverse("core:enterprise-import"), {"file": upload})
    assert "file" in response.context["form"].errors


def test_the_import_template_is_a_workbook_with_the_users_region_codes(cast, as_user):
    response = as_user(cast["town_a"]).get(reverse("core:enterprise-import-template"))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    codes = [r[0] for r in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert cast.village_a.code in codes and cast.village_b.code not in codes


# ---------------------------------------------------------------- API


def test_api_list_is_scoped_and_masks_phones_for_the_leader(cast, as_user):
    data = as_user(cast["leader"]).get("/api/v1/enterprises/").json()
    assert data["count"] == 2
    phones = {row["principal_phone"] for row in data["results"]}
    assert all("****" in p for p in phones)


def test_api_shows_full_phones_to_the_town(cast, as_user):
    data = as_user(cast["town_a"]).get("/api/v1/enterprises/").json()
    assert [r["principal_phone"] for r in data["results"]] == [cast.enterprise_x.principal_phone]


def test_api_create_with_a_bad_uscc_names_the_field(cast, as_user):
    response = as_user(cast["town_a"]).post(
        "/api/v1/enterprises/",
        data=json.dumps(
            {
                "uscc": "123",
                "name": "x",
                "region": cast.village_a.code,
                "industry": industry("commerce").pk,
                "principal": "x",
                "principal_id_number": PRINCIPAL_ID_NUMBER,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "uscc" in response.json()


def test_api_out_of_scope_create_returns_the_domain_error_shape(cast, as_user):
    response = as_user(cast["dept_housing"]).post(
        "/api/v1/enterprises/",
        data=json.dumps(
            {
                "uscc": next_uscc(),
                "name": "越权化工",
                "region": cast.village_a.code,
                "industry": industry("hazchem").pk,
                "principal": "x",
                "principal_id_number": PRINCIPAL_ID_NUMBER,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_scope"
    assert response.json()["field"] == "industry"


def test_api_creates_an_enterprise_whose_principal_is_found_by_id_number(cast, as_user):
    principal = cast.enterprise_y.principal
    response = as_user(cast["town_a"]).post(
        "/api/v1/enterprises/",
        data=json.dumps(
            {
                "uscc": next_uscc(),
                "name": "同一负责人公司",
                "region": cast.village_a.code,
                "industry": industry("construction").pk,
                "principal": principal.name,
                "principal_id_number": principal.id_number,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["principal"], response.json()["principal_id_number"]) == (
        principal.name,
        principal.id_number,
    )
    assert Enterprise.objects.get(name="同一负责人公司").principal_id == principal.pk


def test_api_token_authentication(cast, client):
    token = client.post("/api/v1/auth/token/", {"username": "town_a", "password": "pass-word-2026"}).json()[
        "token"
    ]
    client.logout()
    response = client.get("/api/v1/enterprises/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_api_filters_match_the_page_filters(cast, as_user):
    data = as_user(cast["county_office"]).get("/api/v1/enterprises/", {"region": cast.town_b.code}).json()
    assert [r["name"] for r in data["results"]] == ["安徽来安化工有限公司"]


def test_the_openapi_schema_describes_the_enterprise_endpoints(cast, client):
    client.force_login(cast["enterprise_x"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/enterprises/" in schema["paths"]
    assert "/api/v1/enterprises/{id}/status/" in schema["paths"]


def region_sheet(rows):
    from anlan.core.imports import REGION_COLUMNS

    return workbook_bytes(rows, header=[title for title, _f in REGION_COLUMNS])


def test_towns_and_their_villages_import_in_file_order(cast, as_user):
    from anlan.core.models import Region

    data = region_sheet([["341122102000", "水口镇", "镇", "220"], ["341122102001", "水口村", "村", "220"]])
    report = (
        as_user(cast["county_office"])
        .post(reverse("core:region-import", args=[cast.county.code]), {"file": data})
        .context["report"]
    )
    assert (report.imported, report.errors) == (2, [])
    village = Region.objects.get(pk="341122102001")
    assert (village.parent_id, village.level, village.urban_rural_code) == ("341122102000", 5, "220")


def test_a_region_outside_the_page_root_or_without_a_parent_imports_nothing(cast, as_user):
    from anlan.core.models import Region

    data = region_sheet(
        [
            ["341122100008", "好村", "村", ""],
            ["341122101009", "别镇的村", "村", ""],
            ["341122109001", "无镇村", "村", ""],
        ]
    )
    report = (
        as_user(cast["county_office"])
        .post(reverse("core:region-import", args=[cast.town_a.code]), {"file": data})
        .context["report"]
    )
    assert report.imported == 0
    assert [(e.row, e.column) for e in report.errors] == [(3, "区划代码"), (4, "区划代码")]
    assert not Region.objects.filter(pk="341122100008").exists()


def test_region_and_grid_pages_count_enterprises_and_workers_separately(cast, as_user):
    """Two counts over two relations must not multiply each other (a join without DISTINCT would)."""
    from anlan.core.models import Role
    from anlan.core.tests.factories import MembershipFactory, UserFactory

    EnterpriseFactory(region=cast.village_a, grid=cast.grid_a, industry=industry("machinery"))
    MembershipFactory(user=UserFactory(), role=Role.GRID_WORKER, grid=cast.grid_a)
    client = as_user(cast["county_office"])
    page = client.get(reverse("core:region-detail", args=[cast.village_a.code]))
    grid = next(g for g in page.context["grids"] if g.pk == cast.grid_a.pk)
    assert (grid.n_enterprises, grid.n_workers) == (2, 2)
    listed = client.get(reverse("core:grid-list"))
    grid = next(g for g in listed.context["page"] if g.pk == cast.grid_a.pk)
    assert (grid.n_enterprises, grid.n_workers) == (2, 2)


# ---------------------------------------------------------------- home


def test_the_home_card_counts_every_expiring_licence_and_lists_the_first_ten(cast, as_user):
    import datetime

    from django.utils import timezone

    from anlan.core.tests.factories import LicenceFactory

    today = timezone.localdate()
    for n in range(12):
        LicenceFactory(enterprise=cast.enterprise_x, valid_until=today + datetime.timedelta(days=n))
    response = as_user(cast["town_a"]).get(reverse("core:home"))
    [registry] = [
        values for template, values in response.context["sections"] if template == "core/_home_registry.html"
    ]
    assert registry["expiring"].count == 12
    assert len(registry["expiring"].first) == 10
    assert '<div class="display-6" data-testid="stat-expiring">12</div>' in response.content.decode()


def test_a_licence_expiring_on_the_last_day_of_the_window_counts_and_one_day_later_does_not(cast):
    import datetime

    from anlan.core import rules, selectors
    from anlan.core.tests.factories import LicenceFactory

    today = datetime.date(2026, 12, 1)
    window = datetime.timedelta(days=rules.LICENCE_EXPIRY_WINDOW_DAYS)
    inside = LicenceFactory(enterprise=cast.enterprise_x, valid_until=today + window)
    LicenceFactory(enterprise=cast.enterprise_x, valid_until=today + window + datetime.timedelta(days=1))
    expired = LicenceFactory(enterprise=cast.enterprise_x, valid_until=today - datetime.timedelta(days=400))
    assert rules.licence_expiring(today + window, today)
    assert not rules.licence_expiring(today + window + datetime.timedelta(days=1), today)
    found = selectors.expiring_licences(cast["town_a"], today)
    assert (found.count, found.first) == (2, [expired, inside])
    assert selectors.expiring_licences(cast["town_b"], today).count == 0  # out of scope, out of the count


def test_the_home_page_shows_each_modules_indicators_and_only_the_todos_with_something_to_do(
    cast, as_user, monkeypatch
):
    from anlan.core import contract

    def open_enterprises(user, **params):
        return Enterprise.objects.for_user(user)

    contributions = contract.registry()
    monkeypatch.setattr(
        contributions,
        "indicators",
        [
            contract.Indicator(
                "fake-count", "假指标单位数", open_enterprises, url=lambda user: "/fake/list/"
            ),
            contract.Indicator("fake-cockpit", "只在驾驶舱", open_enterprises, home=False),
        ],
    )
    monkeypatch.setattr(
        contributions,
        "todos",
        [
            contract.TodoProvider("fake-todo", "待核查单位", open_enterprises, lambda user: "/fake/todo/"),
            contract.TodoProvider(
                "fake-empty", "空的待办", lambda user: Enterprise.objects.none(), lambda user: "/fake/empty/"
            ),
        ],
    )
    response = as_user(cast["town_a"]).get(reverse("core:home"))
    body = response.content.decode()
    assert [(f.key, f.label, f.value, f.url) for f in response.context["indicators"]] == [
        ("fake-count", "假指标单位数", 1, "/fake/list/")
    ]
    assert [(f.key, f.value, f.url) for f in response.context["todos"]] == [("fake-todo", 1, "/fake/todo/")]
    assert '<a class="text-decoration-none" href="/fake/list/">1</a>' in body
    assert '<strong class="small">待核查单位</strong>' in body and 'href="/fake/todo/"' in body
    assert "只在驾驶舱" not in body
    assert "空的待办" not in body and "/fake/empty/" not in body


def test_the_home_page_says_so_when_there_is_nothing_to_do(cast, as_user, monkeypatch):
    from anlan.core import contract

    monkeypatch.setattr(contract.registry(), "todos", [])
    body = as_user(cast["town_a"]).get(reverse("core:home")).content.decode()
    assert 'data-testid="todos-empty"' in body and 'data-testid="todo-item"' not in body
    assert 'data-testid="todo-total"' not in body


# ---------------------------------------------------------------- regions


def test_a_region_page_counts_each_childs_enterprises_in_one_query_and_shows_only_visible_ancestors(
    cast, as_user, django_assert_max_num_queries
):
    EnterpriseFactory(region=cast.village_a, industry=industry("machinery"))
    client = as_user(cast["county_office"])
    response = client.get(reverse("core:region-detail", args=[cast.county.code]))
    counts = {child.code: child.n_enterprises for child in response.context["children"]}
    assert counts[cast.town_a.code] == 2  # both in village A, inside town A's subtree
    assert counts[cast.town_b.code] == 1  # registered at the town itself
    village = client.get(reverse("core:region-detail", args=[cast.village_a.code]))
    # the county office sees neither the province nor the city: its breadcrumbs start at the county
    assert [label for label, _url in village.context["breadcrumbs"]] == [
        "区划与网格",
        cast.county.name,
        cast.town_a.name,
        cast.village_a.name,
    ]
    for n in range(6):
        RegionFactory(code=f"34112210{n + 2}000", name=f"新镇{n}", parent=cast.county, level=4)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("core:region-detail", args=[cast.county.code]))
    assert len(page.context["children"]) == 8


# ---------------------------------------------------------------- operating status on the page


def test_the_status_form_offers_only_the_states_reachable_now(cast, as_user):
    response = as_user(cast["town_a"]).get(reverse("core:enterprise-detail", args=[cast.enterprise_x.pk]))
    choices = [value for value, _label in response.context["status_form"].fields["status"].choices]
    assert choices == ["suspended", "closed", "deregistered"]


def test_the_enterprise_sees_no_status_form(cast, as_user):
    response = as_user(cast["enterprise_x"]).get(
        reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])
    )
    assert response.context["can_change_status"] is False
    assert reverse("core:enterprise-status", args=[cast.enterprise_x.pk]) not in response.content.decode()


def test_a_refused_status_change_on_the_page_names_the_rule_and_changes_nothing(cast, as_user):
    rows = cast.enterprise_x.history.count()
    response = as_user(cast["town_a"]).post(
        reverse("core:enterprise-status", args=[cast.enterprise_x.pk]),
        {"status": "operating", "reason": "无"},
        follow=True,
    )
    assert "经营状态未变化。" in response.content.decode()
    assert cast.enterprise_x.history.count() == rows


def test_the_api_changes_the_status_through_the_same_transitions(cast, as_user):
    client = as_user(cast["town_a"])
    url = f"/api/v1/enterprises/{cast.enterprise_x.pk}/status/"
    changed = client.post(url, {"status": "suspended", "reason": "停产整顿"}, content_type="application/json")
    assert (changed.status_code, changed.json()["status"]) == (200, "suspended")
    again = client.post(url, {"status": "suspended", "reason": "再次"}, content_type="application/json")
    assert again.status_code == 400
    assert (again.json()["code"], again.json()["field"]) == ("enterprise_status_unchanged", "status")


def test_a_sort_link_replaces_the_sort_and_keeps_the_filters(cast, as_user):
    import re

    body = as_user(cast["county_office"]).get(reverse("core:enterprise-list"), {"q": "建工", "sort": "name"})
    links = re.findall(r'<th scope="col"[^>]*><a href="\?([^"]+)"', body.content.decode())
    assert links, "the table has sort links"
    for link in links:
        assert link.count("sort=") == 1 and "q=%E5%BB%BA%E5%B7%A5" in link
    assert any(link.endswith("sort=-name") for link in links)  # the current sort, reversed
