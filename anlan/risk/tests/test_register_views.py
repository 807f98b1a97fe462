"""The register's pages: the list (filters, search, export), a point with its live assessment preview, the
enterprise's four-colour map, the county map, the enterprise-page panel and the home 待办."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anlan.risk.models import RiskPoint
from anlan.risk.tests.factories_register import assessed_point, control, lec_data, ls_data, point, site_plan

pytestmark = pytest.mark.django_db


def map_data(response) -> dict:
    html = response.content.decode()
    start = html.index('id="risk-map-data"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_the_list_filters_by_level_and_kind_and_searches(cast, as_user):
    assessed_point(cast, lec_data("6", "6", "15"), name="液氯储罐", kind="equipment")  # major
    assessed_point(cast, lec_data("1", "6", "7"), name="动火作业", kind="activity")  # low
    point(cast, name="配电室", kind="area")
    client = as_user(cast["county_office"])
    url = reverse("risk:point-list")
    assert [p.name for p in client.get(url, {"level": "major"}).context["page"]] == ["液氯储罐"]
    assert [p.name for p in client.get(url, {"level": "none"}).context["page"]] == ["配电室"]
    assert [p.name for p in client.get(url, {"kind": "activity"}).context["page"]] == ["动火作业"]
    assert [p.name for p in client.get(url, {"q": "储罐"}).context["page"]] == ["液氯储罐"]
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-level="major"' in page.content.decode()


def test_an_htmx_filter_answers_the_table_alone(cast, as_user):
    point(cast)
    response = as_user(cast["town_a"]).get(reverse("risk:point-list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b'data-testid="point-table"' in response.content


def test_the_list_shows_nothing_of_the_register_to_an_outsider(cast, as_user):
    point(cast)
    response = as_user(cast["town_b"]).get(reverse("risk:point-list"))
    assert list(response.context["page"]) == []
    assert b'data-testid="empty"' in response.content


def test_the_list_is_paged_with_a_bounded_number_of_queries(cast, as_user, django_assert_max_num_queries):
    for _ in range(25):
        point(cast)
    client = as_user(cast["county_office"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("risk:point-list"))
    assert len(response.context["page"]) == 20


def test_the_export_is_a_ledger_of_the_filtered_points(cast, as_user):
    made = assessed_point(cast, lec_data("6", "6", "15"), name="液氯储罐")
    control(cast, made, control_level="company")
    point(cast, name="配电室")
    response = as_user(cast["county_office"]).get(reverse("risk:point-export"), {"level": "major"})
    assert response.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "液氯储罐" in values
    assert "配电室" not in values
    assert "公司级" in values


def test_the_point_page_shows_the_current_assessment_and_warns_of_a_control_below_its_level(cast, as_user):
    made = assessed_point(cast, lec_data("6", "6", "15"))  # major → company level
    control(cast, made, control_level="team")
    response = as_user(cast["county_office"]).get(reverse("risk:point-detail", args=[made.pk]))
    html = response.content.decode()
    assert 'data-testid="control-gap"' in html
    assert "540" in html
    assert 'data-testid="assess"' not in html  # a supervisor reads; no assess button
    control(cast, made, control_level="company")
    response = as_user(cast["enterprise_x"]).get(reverse("risk:point-detail", args=[made.pk]))
    assert 'data-testid="control-gap"' not in response.content.decode()
    assert 'data-testid="assess"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "score", "level"),
    [
        (lec_data("6", "6", "15"), "540", "major"),
        (lec_data("10", "1", "7"), "70", "general"),
        (ls_data(4, 4), "16", "significant"),
    ],
)
def test_the_assess_form_previews_the_score_and_level_before_saving(cast, as_user, params, score, level):
    made = point(cast)
    response = as_user(cast["enterprise_x"]).get(
        reverse("risk:point-assess", args=[made.pk]), params, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert f'data-testid="preview-score">{score}<' in html
    assert f'data-level="{level}"' in html
    made.refresh_from_db()
    assert made.level == ""  # nothing saved by a preview


def test_an_incomplete_preview_says_what_to_do(cast, as_user):
    made = point(cast)
    response = as_user(cast["enterprise_x"]).get(
        reverse("risk:point-assess", args=[made.pk]),
        {"method": "lec", "likelihood": "6"},
        HTTP_HX_REQUEST="true",
    )
    assert "选择各项取值后" in response.content.decode()


def test_saving_an_assessment_redirects_to_the_point(cast, as_user):
    made = point(cast)
    response = as_user(cast["enterprise_x"]).post(
        reverse("risk:point-assess", args=[made.pk]),
        {**lec_data("3", "6", "15"), "assessed_on": "2026-01-05"},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.level, made.score) == ("significant", 270)


def test_a_refused_assessment_keeps_the_form_with_the_message(cast, as_user):
    made = point(cast)
    response = as_user(cast["enterprise_x"]).post(
        reverse("risk:point-assess", args=[made.pk]),
        {"method": "lec", "likelihood": "3", "assessed_on": "2026-01-05"},
    )
    assert response.status_code == 200
    assert "请选择 L、E、C 的取值" in response.content.decode()
    assert not RiskPoint.objects.exclude(level="").exists()


def test_the_enterprise_map_places_each_point_in_its_colour_and_offers_the_click_to_create(cast, as_user):
    site_plan(cast)
    assessed_point(cast, lec_data("6", "6", "15"), x="0.2", y="0.3")
    point(cast, name="未标注点")
    response = as_user(cast["enterprise_x"]).get(reverse("risk:enterprise-map", args=[cast.enterprise_x.pk]))
    data = map_data(response)
    assert data["width"] == 400
    assert [(m["x"], m["y"], m["colour"]) for m in data["markers"]] == [(0.2, 0.3, "red")]
    assert data["create"] == reverse("risk:point-create", args=[cast.enterprise_x.pk])
    assert "data-place-url" in response.content.decode()
    supervisor = as_user(cast["town_a"]).get(reverse("risk:enterprise-map", args=[cast.enterprise_x.pk]))
    assert map_data(supervisor)["create"] == ""


def test_the_new_point_form_takes_the_clicked_position(cast, as_user):
    url = reverse("risk:point-create", args=[cast.enterprise_x.pk])
    client = as_user(cast["enterprise_x"])
    assert client.get(url, {"x": "0.4", "y": "0.6"}).context["form"].initial == {"x": "0.4", "y": "0.6"}
    response = client.post(
        url + "?x=0.4&y=0.6",
        {"name": "2号罐", "kind": "equipment", "hazard_factors": "泄漏", "x": "0.4", "y": "0.6"},
    )
    assert response.status_code == 302
    made = RiskPoint.objects.get(name="2号罐")
    assert (float(made.x), float(made.y)) == (0.4, 0.6)


def test_the_site_plan_image_is_served_as_a_picture_that_cannot_be_sniffed(cast, as_user):
    site_plan(cast)
    response = as_user(cast["grid_worker"]).get(reverse("risk:site-plan-image", args=[cast.enterprise_x.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_site_plan_is_a_404(cast, as_user):
    response = as_user(cast["enterprise_x"]).get(reverse("risk:site-plan-image", args=[cast.enterprise_x.pk]))
    assert response.status_code == 404


def test_the_county_map_colours_enterprises_by_their_highest_level_and_counts_them(cast, as_user):
    cast.enterprise_x.longitude, cast.enterprise_x.latitude = 118.43, 32.45
    cast.enterprise_x.save()
    assessed_point(cast, lec_data("1", "6", "7"))
    assessed_point(cast, lec_data("3", "6", "15"))
    response = as_user(cast["county_office"]).get(reverse("risk:county-map"))
    data = map_data(response)
    assert [(e["id"], e["level"], e["colour"]) for e in data["enterprises"]] == [
        (cast.enterprise_x.pk, "significant", "orange")
    ]
    assert ("significant", "orange", "较大风险", 1) in response.context["levels"]
    outsider = as_user(cast["town_b"]).get(reverse("risk:county-map"))
    assert map_data(outsider)["enterprises"] == []


def test_the_enterprise_page_panel_counts_points_by_level(cast, as_user):
    assessed_point(cast, lec_data("6", "6", "15"))
    point(cast)
    response = as_user(cast["dept_housing"]).get(
        reverse("risk:enterprise-panel", args=[cast.enterprise_x.pk])
    )
    assert response.context["counts"]["major"] == 1
    assert response.context["counts"]["unassessed"] == 1
    assert response.context["highest"] == "major"


def test_the_home_page_asks_the_enterprise_to_build_its_register(cast, as_user):
    response = as_user(cast["enterprise_x"]).get(reverse("core:home"))
    assert "尚未建立风险辨识清单" in response.content.decode()
    made = point(cast)
    response = as_user(cast["enterprise_x"]).get(reverse("core:home"))
    assert "1 个风险点未评价" in response.content.decode()
    assert made.pk


def test_the_county_office_sets_the_variant_on_its_settings_page(cast, as_user):
    client = as_user(cast["county_office"])
    assert client.get(reverse("risk:grading-settings")).status_code == 200
    assert client.post(reverse("risk:grading-settings"), {"ls_variant": "C"}).status_code == 302
    from anlan.risk.selectors.register import ls_variant_for

    assert ls_variant_for(cast.enterprise_x) == "C"
