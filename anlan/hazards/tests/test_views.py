"""Pages: the list (scope, filters, overdue), the detail and its forms, bad input kept in the form, the ledger,
the import report, statistics and the enterprise page's history."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from anlan.core import units
from anlan.hazards.imports import COLUMNS
from anlan.hazards.models import Hazard, RectificationPlan

from .factories import HazardFactory, on, photo

LIST = "hazards:hazard-list"


def numbers(response) -> set[str]:
    return {h.number for h in response.context["page"]}


@pytest.fixture
def two_hazards(cast):
    x = HazardFactory(enterprise=cast.enterprise_x, number="YH341122-2026-00001")
    y = HazardFactory(
        enterprise=cast.enterprise_y, number="YH341122-2026-00002", due_on=on(-1), found_on=on(-30)
    )
    return x, y


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("county_office", {"YH341122-2026-00001", "YH341122-2026-00002"}),
        ("town_a", {"YH341122-2026-00001"}),
        ("town_b", {"YH341122-2026-00002"}),
        ("dept_housing", {"YH341122-2026-00001"}),
        ("enterprise_x", {"YH341122-2026-00001"}),
        ("grid_worker", {"YH341122-2026-00001"}),
        ("leader", {"YH341122-2026-00001", "YH341122-2026-00002"}),
    ],
)
def test_the_list_shows_only_the_jurisdiction(cast, as_user, two_hazards, who, expected):
    assert numbers(as_user(cast[who]).get(reverse(LIST))) == expected


def test_the_overdue_filter_uses_the_day_after_the_due_date(cast, as_user, two_hazards):
    client = as_user(cast["county_office"])
    assert numbers(client.get(reverse(LIST), {"overdue": "true"})) == {"YH341122-2026-00002"}
    HazardFactory(
        enterprise=cast.enterprise_x, number="YH341122-2026-00003", due_on=on(0)
    )  # due today: not yet
    assert numbers(client.get(reverse(LIST), {"overdue": "true"})) == {"YH341122-2026-00002"}


def test_search_filters_and_htmx_fragment(cast, as_user, two_hazards):
    client = as_user(cast["county_office"])
    assert numbers(client.get(reverse(LIST), {"q": "00002"})) == set()  # numbers match from the start
    assert numbers(client.get(reverse(LIST), {"q": "YH341122-2026-00002"})) == {"YH341122-2026-00002"}
    assert numbers(client.get(reverse(LIST), {"q": "化工"})) == {"YH341122-2026-00002"}
    fragment = client.get(reverse(LIST), HTTP_HX_REQUEST="true")
    assert [t.name for t in fragment.templates][0] == "hazards/_hazard_table.html"


def test_the_list_runs_a_fixed_number_of_queries(cast, as_user, django_assert_max_num_queries):
    for _ in range(25):
        HazardFactory(enterprise=cast.enterprise_x)
    client = as_user(cast["county_office"])
    with django_assert_max_num_queries(12):
        client.get(reverse(LIST))


def test_registration_form_keeps_the_input_and_names_the_bad_field(cast, as_user):
    client = as_user(cast["town_a"])
    response = client.post(
        reverse("hazards:hazard-create"),
        {
            "enterprise": cast.enterprise_x.pk,
            "source": "department_inspection",
            "category": "unsafe_condition",
            "grade": "ordinary",
            "description": "配电箱未接地",
            "found_on": on(0).isoformat(),
            "due_on": on(-1).isoformat(),
            "photos": [photo("bad.jpg", b"not an image at all")],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "photos" in form.errors or "due_on" in form.errors
    assert form["description"].value() == "配电箱未接地"
    assert Hazard.objects.count() == 0


def test_the_whole_loop_through_the_pages(cast, as_user):
    town = as_user(cast["town_a"])
    response = town.post(
        reverse("hazards:hazard-create"),
        {
            "enterprise": cast.enterprise_x.pk,
            "source": "department_inspection",
            "category": "unsafe_condition",
            "grade": "ordinary",
            "description": "配电箱未接地",
            "found_on": on(0).isoformat(),
            "due_on": on(10).isoformat(),
            "photos": [photo("before.png")],
        },
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response.url == reverse("hazards:hazard-detail", args=[hazard.pk])
    enterprise = as_user(cast["enterprise_x"])
    detail = enterprise.get(reverse("hazards:hazard-detail", args=[hazard.pk]))
    assert [b["transition"].name for b in detail.context["actions"]] == ["plan", "fix_on_the_spot"]
    enterprise.post(
        reverse("hazards:hazard-plan", args=[hazard.pk]),
        {"responsible_person": "张三", "measures": "重新接地", "due_on": on(5).isoformat()},
    )
    enterprise.post(
        reverse("hazards:hazard-submit", args=[hazard.pk]),
        {"description": "已重新接地并检测", "photos": [photo("after.png")]},
    )
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.AWAITING_VERIFICATION
    department = as_user(cast["dept_housing"])
    department.post(
        reverse("hazards:hazard-verify", args=[hazard.pk]),
        {"passed": "1", "opinion": "合格", "method": "on_site"},
    )
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.CLOSED
    assert (hazard.registering_unit, hazard.finding_unit) == (units.unit_for(cast.town_a),) * 2
    assert hazard.responsible_unit == units.unit_for(cast.enterprise_x)
    assert hazard.verifications.get().method == "on_site"
    page = department.get(reverse("hazards:hazard-detail", args=[hazard.pk]))
    subjects = " ".join(entry.subject for entry in page.context["timeline"])
    assert "整改方案" in subjects and "验收" in subjects
    assert page.context["photos"][0].name == "before.png"
    image = department.get(reverse("hazards:photo", args=[page.context["photos"][0].pk]))
    assert image.status_code == 200
    assert (
        as_user(cast["town_b"]).get(reverse("hazards:photo", args=[page.context["photos"][0].pk])).status_code
        == 404
    )


def ledger_rows(response) -> list[list]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row[1:]) for row in sheet.iter_rows(min_row=3, values_only=True)]  # header on, no 序号


def test_the_ledger_has_the_usual_columns_and_follows_the_filter(cast, as_user, two_hazards):
    x, _y = two_hazards
    RectificationPlan.objects.create(
        hazard=x,
        responsible_person="张三",
        measures="补设连墙件",
        due_on=x.due_on,
        funds=2,
        recorded_by=cast["town_a"],
    )
    rows = ledger_rows(as_user(cast["county_office"]).get(reverse("hazards:hazard-export"), {"q": x.number}))
    header, *data = rows
    assert header[:3] == ["隐患编号", "生产经营单位/场所", "所属区划"]
    for title in (
        "责任人",
        "整改措施",
        "整改资金（万元）",
        "整改期限",
        "状态",
        "验收人",
        "验收时间",
        "销号日期",
    ):
        assert title in header
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert (row["隐患编号"], row["责任人"], row["整改资金（万元）"], row["状态"]) == (
        x.number,
        "张三",
        2,
        "待整改",
    )


def test_the_ledger_is_scoped(cast, as_user, two_hazards):
    rows = ledger_rows(as_user(cast["town_b"]).get(reverse("hazards:hazard-export")))
    assert [r[0] for r in rows[1:]] == ["YH341122-2026-00002"]


def sheet(rows) -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append([title for title, _n in COLUMNS])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "hazards.xlsx"
    return buffer


def import_row(cast, **overrides):
    values = {
        "enterprise": cast.enterprise_x.uscc,
        "description": "消防通道堵塞",
        "category": "物的不安全状态",
        "grade": "一般事故隐患",
        "source": "企业自查",
        "found_on": on(-3).isoformat(),
        "due_on": on(7).isoformat(),
    }
    values.update(overrides)
    return [values.get(name, "") for _t, name in COLUMNS]


def test_the_import_is_all_or_nothing_with_a_report_per_row(cast, as_user):
    client = as_user(cast["town_a"])
    bad = import_row(cast, due_on=on(-10).isoformat(), grade="很大")
    response = client.post(reverse("hazards:hazard-import"), {"file": sheet([import_row(cast), bad])})
    report = response.context["report"]
    assert (report.total, report.valid, report.imported) == (2, 1, 0)
    assert {e.row for e in report.errors} == {3}
    assert {e.column for e in report.errors} >= {"隐患等级"}
    assert Hazard.objects.count() == 0
    response = client.post(
        reverse("hazards:hazard-import"), {"file": sheet([import_row(cast), bad]), "valid_only": "on"}
    )
    assert response.context["report"].imported == 1
    assert Hazard.objects.get().description == "消防通道堵塞"


def test_statistics_are_scoped_and_drill_down_to_the_towns(cast, as_user, two_hazards):
    x, y = two_hazards
    Hazard.objects.filter(pk=x.pk).update(status="closed", closed_on=on(0))
    response = as_user(cast["county_office"]).get(reverse("hazards:hazard-statistics"))
    ctx = response.context
    assert ctx["totals"]["found"] == 2 and ctx["totals"]["closed"] == 1 and ctx["totals"]["overdue"] == 1
    assert ctx["rectification_rate"] == 50.0
    towns = {r["region"].name: r["found"] for r in ctx["regions"]}
    assert towns == {"新安镇": 1, "半塔镇": 1}
    drill = as_user(cast["county_office"]).get(
        reverse("hazards:hazard-statistics"), {"region": cast.town_a.code}
    )
    assert {r["region"].name: r["found"] for r in drill.context["regions"]} == {"东关社区": 1}
    town_b = as_user(cast["town_b"]).get(reverse("hazards:hazard-statistics"))
    assert town_b.context["totals"]["found"] == 1


def test_the_enterprise_page_loads_its_hazard_history(cast, as_user, two_hazards):
    page = as_user(cast["town_a"]).get(reverse("core:enterprise-detail", args=[cast.enterprise_x.pk]))
    assert reverse("hazards:enterprise-hazards", args=[cast.enterprise_x.pk]).encode() in page.content
    fragment = as_user(cast["town_a"]).get(reverse("hazards:enterprise-hazards", args=[cast.enterprise_x.pk]))
    assert [h.number for h in fragment.context["hazards"]] == ["YH341122-2026-00001"]


def test_the_filter_form_keeps_the_chosen_values(cast, as_user):
    query = {"grade": "major", "source": "grid_patrol", "overdue": "true"}
    body = as_user(cast["county_office"]).get(reverse(LIST), query).content.decode()
    assert '<option value="major" selected>' in body
    assert '<option value="grid_patrol" selected>' in body
    assert '<option value="true" selected>是</option>' in body


def test_the_detail_page_offers_only_the_steps_the_user_may_take(cast, as_user):
    """A guard hides a step: the submitter is not offered verification, a major hazard no on-the-spot fix."""
    town = units.unit_for(cast.town_a)
    awaiting = HazardFactory(
        enterprise=cast.enterprise_x,
        status=Hazard.Status.AWAITING_VERIFICATION,
        submitted_by=cast["town_a"],
        registering_unit=town,  # registered (and so may be voided) by town A
        finding_unit=town,
    )
    major = HazardFactory(enterprise=cast.enterprise_x, grade=Hazard.Grade.MAJOR)

    def offered(who, hazard):
        page = as_user(cast[who]).get(reverse("hazards:hazard-detail", args=[hazard.pk]))
        return [b["transition"].name for b in page.context["actions"]]

    assert offered("town_a", awaiting) == ["void"]
    assert offered("dept_housing", awaiting) == ["verify", "reject", "void"]
    assert offered("enterprise_x", major) == ["plan"]
    body = as_user(cast["town_a"]).get(reverse("hazards:hazard-detail", args=[awaiting.pk])).content.decode()
    assert reverse("hazards:hazard-verify", args=[awaiting.pk]) not in body


def test_a_step_refused_by_its_rule_sends_the_user_back_and_writes_nothing(cast, as_user):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x, status=Hazard.Status.AWAITING_VERIFICATION, submitted_by=cast["town_a"]
    )
    client = as_user(cast["town_a"])
    before = hazard.history.count()
    url = reverse("hazards:hazard-verify", args=[hazard.pk])
    assert client.get(url).status_code == 302
    response = client.post(url, {"passed": "1", "opinion": "合格"}, follow=True)
    assert "验收人不能是提交整改的人" in response.content.decode()
    rejected = client.post(reverse("hazards:hazard-reject", args=[hazard.pk]), {"reason": "不合格"})
    assert rejected.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.AWAITING_VERIFICATION
    assert hazard.history.count() == before and hazard.verifications.count() == 0


def test_a_rejection_from_the_detail_page_needs_a_reason(cast, as_user):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x,
        status=Hazard.Status.AWAITING_VERIFICATION,
        submitted_by=cast["enterprise_x"],
    )
    client = as_user(cast["dept_housing"])
    client.post(reverse("hazards:hazard-reject", args=[hazard.pk]), {"reason": ""})
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.AWAITING_VERIFICATION
    client.post(reverse("hazards:hazard-reject", args=[hazard.pk]), {"reason": "连墙件间距仍超标"})
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.AWAITING_VERIFICATION  # no method: refused
    client.post(
        reverse("hazards:hazard-reject", args=[hazard.pk]),
        {"reason": "连墙件间距仍超标", "method": "on_site"},
    )
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.RECTIFYING
    assert hazard.verifications.get().opinion == "连墙件间距仍超标"


def test_the_overdue_badge_and_the_overdue_filter_are_one_rule(cast, as_user):
    """The list's badge (Hazard.is_overdue) marks exactly the rows the overdue filter (selectors.overdue_q)
    returns: open and due before today; due today, closed or voided is not overdue."""
    HazardFactory(enterprise=cast.enterprise_x, number="YH-DUE-TODAY", due_on=on(0))
    HazardFactory(enterprise=cast.enterprise_x, number="YH-LATE", due_on=on(-1), found_on=on(-9))
    HazardFactory(
        enterprise=cast.enterprise_x, number="YH-CLOSED", due_on=on(-1), found_on=on(-9), status="closed"
    )
    HazardFactory(
        enterprise=cast.enterprise_x, number="YH-VOIDED", due_on=on(-1), found_on=on(-9), status="voided"
    )
    client = as_user(cast["county_office"])
    badged = {h.number for h in client.get(reverse(LIST)).context["page"] if h.is_overdue}
    filtered = numbers(client.get(reverse(LIST), {"overdue": "true"}))
    assert badged == filtered == {"YH-LATE"}


def test_the_statistics_page_goes_up_only_inside_the_users_jurisdiction(cast, as_user):
    url = reverse("hazards:hazard-statistics")
    town = as_user(cast["town_a"]).get(url)
    assert town.context["parent"] == cast.town_a and town.context["up"] is None
    assert 'data-testid="region-up"' not in town.content.decode()
    county = as_user(cast["county_office"])
    assert county.get(url).context["up"] is None  # the county is the top of its scope
    drilled = county.get(url, {"region": cast.town_a.code})
    assert drilled.context["up"] == cast.county.code
    assert county.get(f"{url}?region={drilled.context['up']}").status_code == 200


def test_statistics_group_by_section_in_one_query_with_the_industries_without_one_as_unclassified(
    cast, as_user, two_hazards, django_assert_num_queries
):
    from anlan.core.tests.factories import industry
    from anlan.hazards import statistics

    HazardFactory(enterprise=cast.enterprise_x, number="YH341122-2026-00003")  # construction: E
    HazardFactory(enterprise=cast.enterprise_x, number="YH341122-2026-00004", industry=industry("fire-key"))
    HazardFactory(
        enterprise=cast.enterprise_x, number="YH341122-2026-00005", industry=industry("special-equipment")
    )
    url = reverse("hazards:hazard-statistics")
    client = as_user(cast["county_office"])
    by_section = client.get(url, {"group": "section"})
    assert by_section.context["grouping"] == "section"
    assert by_section.context["charts"]["industry"] == [
        {"name": "E 建筑业", "value": 2},
        {"name": "未归类", "value": 2},
        {"name": "C 制造业", "value": 1},
    ]
    body = by_section.content.decode()
    assert '<option value="section" selected>' in body and "按国民经济行业门类" in body
    by_industry = client.get(url)  # the default grouping stays 行业领域
    assert by_industry.context["grouping"] == "industry"
    assert {r["name"]: r["value"] for r in by_industry.context["charts"]["industry"]} == {
        "建筑施工": 2,
        "危险化学品生产": 1,
        "消防重点单位/人员密集场所": 1,
        "特种设备": 1,
    }
    assert client.get(url, {"group": "nonsense"}).context["grouping"] == "industry"
    scoped = Hazard.objects.for_user(cast["county_office"])
    with django_assert_num_queries(1):
        statistics.by_industry(scoped, "section")
    town_b = as_user(cast["town_b"]).get(url, {"group": "section"})  # scoped like every figure
    assert town_b.context["charts"]["industry"] == [{"name": "C 制造业", "value": 1}]
