"""Accident pages: report through the form, the detail with its chain, the list, statistics and exports."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anlan.accidents import services
from anlan.accidents.models import Accident, AccidentKind, Investigation
from anlan.accidents.tests.factories import report
from anlan.core.tests.factories import industry

pytestmark = pytest.mark.django_db


def form_data(cast, **overrides):
    data = {
        "occurred_at": (timezone.localtime() - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
        "kind": "industrial",
        "type_code": "09",
        "region": cast.village_a.code,
        "place": "东关社区工地",
        "enterprise": cast.enterprise_x.pk,
        "industry": industry("construction").pk,
        "deaths": "1",
        "missing": "0",
        "serious_injuries": "0",
        "minor_injuries": "0",
        "direct_loss_yuan": "150000.00",
        "description": "高处坠落",
        "reporter_name": "王安全",
        "reporter_phone": "13800001111",
    }
    data.update(overrides)
    return data


def test_an_enterprise_reports_through_the_form_and_lands_on_the_detail(cast, as_user):
    client = as_user(cast["enterprise_x"])
    assert client.get(reverse("accidents:accident-create")).status_code == 200
    response = client.post(reverse("accidents:accident-create"), form_data(cast))
    accident = Accident.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accidents:accident-detail", args=[accident.pk])
    page = client.get(response.url).content.decode()
    assert "一般事故" in page
    assert 'data-testid="step-city"' in page


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"deaths": "-1"}, "deaths", "死亡人数"),
        ({"direct_loss_yuan": "10.123"}, "direct_loss_yuan", ""),
        (
            {"occurred_at": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")},
            "occurred_at",
            "不能晚于",
        ),
        ({"industry": ""}, "industry", ""),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_the_rest_is_kept(cast, as_user, overrides, field, text):
    response = as_user(cast["enterprise_x"]).post(
        reverse("accidents:accident-create"), form_data(cast, **overrides)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-field="{field}"' in body
    assert text in body
    assert "东关社区工地" in body
    assert not Accident.objects.exists()


def test_the_town_b_office_does_not_see_town_a_accidents(cast, as_user):
    accident = report(cast)
    client = as_user(cast["town_b"])
    assert accident.title not in client.get(reverse("accidents:accident-list")).content.decode()
    assert client.get(reverse("accidents:accident-detail", args=[accident.pk])).status_code == 404


def test_the_list_filters_by_grade_and_is_pinned_in_queries(cast, as_user, django_assert_max_num_queries):
    report(cast)
    major = report(cast, deaths=3)
    client = as_user(cast["county_office"])
    with django_assert_max_num_queries(12):
        body = client.get(reverse("accidents:accident-list"), {"grade": "relatively_major"}).content.decode()
    assert body.count('data-testid="grade"') == 1
    assert major.title in body


def test_a_follow_up_through_the_page_raises_the_grade(cast, as_user):
    accident = report(cast)
    client = as_user(cast["enterprise_x"])
    response = client.post(
        reverse("accidents:accident-report", args=[accident.pk]),
        {
            "kind": "follow_up",
            "deaths": "3",
            "missing": "0",
            "serious_injuries": "0",
            "minor_injuries": "0",
            "direct_loss_yuan": "150000",
            "description": "又有两人经抢救无效死亡",
        },
    )
    assert response.status_code == 302
    accident.refresh_from_db()
    assert accident.grade == "relatively_major"
    page = client.get(reverse("accidents:accident-detail", args=[accident.pk])).content.decode()
    assert 'data-testid="step-province"' in page


def test_the_duty_office_forwards_and_runs_the_investigation_from_the_detail_page(cast, as_user):
    accident = report(cast)
    client = as_user(cast["county_office"])
    url = reverse("accidents:accident-detail", args=[accident.pk])
    client.post(reverse("accidents:accident-forward", args=[accident.pk]), {"level": "county"})
    assert accident.steps.get(level="city").received_at is not None
    client.post(
        reverse("accidents:investigation-create", args=[accident.pk]),
        {
            "lead_organ": "来安县人民政府",
            "team_leader": "张组长",
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert Investigation.objects.get().status == "ongoing"
    page = client.get(url).content.decode()
    assert "延长调查期限" in page
    assert "提交调查结论" in page


def test_statistics_compare_with_last_year_and_export(cast, as_user):
    report(cast)
    client = as_user(cast["county_office"])
    page = client.get(reverse("accidents:statistics")).content.decode()
    assert 'data-testid="total-accidents">1<' in page
    response = client.get(reverse("accidents:statistics-export"), {"kind": AccidentKind.values[0]})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "合计" in workbook.sheetnames
    today = timezone.localdate()
    kind = AccidentKind.labels[0]
    by_region = workbook["按区划"]
    assert by_region["A1"].value == (
        f"生产安全事故统计　来安县　统计期 {today.year}-01-01 至 {today.isoformat()}　事故类别：{kind}（按区划）"
    )
    assert by_region["A2"].value.endswith(f"共 {by_region.max_row - 3} 条")
    assert [cell.value for cell in by_region[3]][:3] == ["分组", "事故起数", "去年同期"]
    assert by_region.freeze_panes == "A4"
    assert by_region.auto_filter.ref == f"A3:N{by_region.max_row}"


def test_the_ledger_export_has_one_row_per_accident_in_scope(cast, as_user):
    report(cast)
    report(cast, deaths=3)
    response = as_user(cast["town_a"]).get(reverse("accidents:accident-export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 3 + 2
    assert (sheet.cell(3, 1).value, sheet.cell(3, 2).value) == ("序号", "事故名称")
    response = as_user(cast["town_b"]).get(reverse("accidents:accident-export"))
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.max_row == 3


def test_the_filter_form_keeps_the_chosen_values(cast, as_user):
    query = {"kind": AccidentKind.values[0], "late": "false"}
    body = as_user(cast["county_office"]).get(reverse("accidents:accident-list"), query).content.decode()
    assert f'<option value="{AccidentKind.values[0]}" selected>' in body
    assert '<option value="false" selected>否</option>' in body


def test_the_investigation_buttons_come_from_its_table_and_lead_to_the_transition_pages(cast, as_user):
    accident = report(cast)
    office = cast["county_office"]
    services.open_investigation(
        actor=office, accident_pk=accident.pk, data={"lead_organ": "县政府", "team_leader": "张"}
    )
    investigation = Investigation.objects.get()
    client = as_user(office)
    page = client.get(reverse("accidents:accident-detail", args=[accident.pk])).content.decode()
    assert reverse("accidents:investigation-extend", args=[investigation.pk]) in page
    assert reverse("accidents:investigation-conclude", args=[investigation.pk]) in page
    assert reverse("accidents:investigation-close", args=[investigation.pk]) not in page
    form = client.get(reverse("accidents:investigation-conclude", args=[investigation.pk]))
    assert form.status_code == 200
    assert 'name="direct_cause"' in form.content.decode()
    response = client.post(
        reverse("accidents:investigation-conclude", args=[investigation.pk]), {"direct_cause": "违章作业"}
    )
    assert response.status_code == 302
    assert response.url == reverse("accidents:accident-detail", args=[accident.pk])
    investigation.refresh_from_db()
    assert investigation.status == Investigation.Status.CONCLUDED
    reader = as_user(cast["leader"]).get(reverse("accidents:accident-detail", args=[accident.pk]))
    assert 'data-testid="transitions"' not in reader.content.decode()


def test_a_measure_is_completed_through_its_transition_page(cast, as_user):
    accident = report(cast)
    office = cast["county_office"]
    services.open_investigation(
        actor=office, accident_pk=accident.pk, data={"lead_organ": "县政府", "team_leader": "张"}
    )
    measure = services.add_measure(
        actor=office,
        accident_pk=accident.pk,
        description="全面排查",
        responsible_party="建工集团",
        due_on=timezone.localdate(),
    )
    client = as_user(office)
    url = reverse("accidents:measure-complete", args=[measure.pk])
    assert url in client.get(reverse("accidents:accident-detail", args=[accident.pk])).content.decode()
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = client.post(url, {"completed_on": future, "note": "已完成"})
    assert refused.status_code == 200
    assert 'data-field="completed_on"' in refused.content.decode()
    measure.refresh_from_db()
    assert measure.status == "open"
    done = client.post(url, {"completed_on": timezone.localdate().isoformat(), "note": "已完成"})
    assert done.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.completion_note) == ("done", "已完成")


def test_the_detail_page_shows_the_stored_grade_criterion(cast, as_user):
    accident = report(cast, deaths=0, serious_injuries=12)
    page = as_user(cast["county_office"]).get(reverse("accidents:accident-detail", args=[accident.pk]))
    assert "重伤（含急性工业中毒）人数" in page.content.decode()


def test_statistics_group_by_section_on_the_page_and_in_the_export(cast, as_user):
    report(cast)  # construction: E 建筑业
    report(cast, actor=cast["county_office"], industry=industry("fire-key"))  # no section: 未归类
    client = as_user(cast["county_office"])
    page = client.get(reverse("accidents:statistics"), {"group": "section"})
    assert [(r.label, r.current.accidents) for r in page.context["by_industry"]] == [
        ("E 建筑业", 1),
        ("未归类", 1),
    ]
    body = page.content.decode()
    assert 'data-testid="stat-section"' in body and '<option value="section" selected>' in body
    assert 'data-testid="stat-industry"' in client.get(reverse("accidents:statistics")).content.decode()
    response = client.get(reverse("accidents:statistics-export"), {"group": "section"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "按行业领域" not in workbook.sheetnames
    sheet = workbook["按国民经济行业门类"]
    assert sorted(row[0] for row in sheet.iter_rows(min_row=4, values_only=True)) == ["E 建筑业", "未归类"]
    assert "分组：国民经济行业门类" in sheet["A1"].value
