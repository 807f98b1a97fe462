"""The rating's pages: the list (counts by colour, filters, the notice that this is the county's
configuration), the approval queue, the enterprise panel (why this colour; the enterprise sees only the
approved colour), the criteria page and form."""

from __future__ import annotations

from django.urls import reverse

from anlan.credit.models import Rating, RatingConfig
from anlan.credit.tests import factories_rating as f

WHY_ORANGE = [
    {"code": "penalty", "colour": "orange", "text": "近12个月受到行政处罚2次（2026-03-01）", "params": {}},
    {
        "code": "risk_general",
        "colour": "yellow",
        "text": "最高风险等级为一般风险（登记信息推定）",
        "params": {},
    },
]


def test_the_list_counts_ratings_by_colour_and_filters_by_colour(cast, as_user):
    f.rating(cast.enterprise_x, "orange", reasons=WHY_ORANGE)
    f.rating(cast.enterprise_y, "red", approved="red")
    page = as_user(cast["county_office"]).get(reverse("credit:rating-list"))
    assert page.status_code == 200
    counts = {c["colour"]: c["count"] for c in page.context["counts"]}
    assert counts == {"red": 1, "orange": 1, "yellow": 0, "blue": 0, "green": 0}
    assert "没有国家统一标准" in page.content.decode()
    orange = as_user(cast["county_office"]).get(reverse("credit:rating-list") + "?colour=orange")
    assert [r.enterprise for r in orange.context["page"]] == [cast.enterprise_x]


def test_a_town_lists_only_the_ratings_of_its_town(cast, as_user):
    f.rating(cast.enterprise_x, "orange")
    f.rating(cast.enterprise_y, "red")
    page = as_user(cast["town_a"]).get(reverse("credit:rating-list"))
    assert [r.enterprise for r in page.context["page"]] == [cast.enterprise_x]
    assert sum(c["count"] for c in page.context["counts"]) == 1


def test_the_list_costs_a_fixed_number_of_queries(cast, as_user, django_assert_max_num_queries):
    from anlan.core.tests.factories import EnterpriseFactory, industry

    for _n in range(15):
        f.rating(EnterpriseFactory(region=cast.village_a, industry=industry("construction")), "yellow")
    client = as_user(cast["county_office"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("credit:rating-list")).status_code == 200


def test_the_panel_tells_a_supervisor_why_the_enterprise_is_orange(cast, as_user):
    f.rating(cast.enterprise_x, "orange", approved="yellow", reasons=WHY_ORANGE)
    page = as_user(cast["town_a"]).get(reverse("credit:rating-enterprise-panel", args=[cast.enterprise_x.pk]))
    text = page.content.decode()
    assert "为什么是橙色" in text
    assert "近12个月受到行政处罚2次（2026-03-01）" in text
    assert 'data-testid="rating-recompute"' in text
    assert 'data-testid="rating-approve"' not in text  # the town does not approve


def test_the_county_office_approves_from_the_panel(cast, as_user):
    rating = f.rating(cast.enterprise_x, "orange", approved="yellow", reasons=WHY_ORANGE)
    client = as_user(cast["county_office"])
    page = client.get(reverse("credit:rating-enterprise-panel", args=[cast.enterprise_x.pk]))
    assert 'data-testid="rating-approve"' in page.content.decode()
    back = reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])
    response = client.post(reverse("credit:rating-approve", args=[rating.pk]), {"next": back})
    assert response.status_code == 302 and response.url == back
    rating.refresh_from_db()
    assert (rating.status, rating.approved_colour) == ("approved", "orange")


def test_the_enterprise_sees_its_approved_colour_not_the_pending_one(cast, as_user):
    f.rating(cast.enterprise_x, "orange", approved="yellow", reasons=WHY_ORANGE)
    Rating.objects.filter(enterprise=cast.enterprise_x).update(
        approved_reasons=[
            {"code": "risk_general", "colour": "yellow", "text": "最高风险等级为一般风险", "params": {}}
        ]
    )
    page = as_user(cast["enterprise_x"]).get(
        reverse("credit:rating-enterprise-panel", args=[cast.enterprise_x.pk])
    )
    text = page.content.decode()
    assert 'data-colour="yellow"' in text
    assert "行政处罚" not in text
    assert 'data-testid="rating-recompute"' not in text


def test_an_unrated_enterprise_panel_says_so(cast, as_user):
    page = as_user(cast["county_office"]).get(
        reverse("credit:rating-enterprise-panel", args=[cast.enterprise_x.pk])
    )
    assert 'data-testid="rating-none"' in page.content.decode()


def test_the_queue_lists_pending_changes_and_a_batch_approves_them(cast, as_user):
    f.rating(cast.enterprise_x, "orange", approved="yellow")
    f.rating(cast.enterprise_y, "blue", approved="blue")
    client = as_user(cast["county_office"])
    page = client.get(reverse("credit:rating-queue"))
    assert [r.enterprise for r in page.context["page"]] == [cast.enterprise_x]
    assert client.post(reverse("credit:rating-approve-batch")).status_code == 302
    assert not Rating.objects.filter(status="pending").exists()


def test_the_criteria_page_says_no_national_standard_defines_the_colours(cast, as_user):
    page = as_user(cast["expert"]).get(reverse("credit:rating-config", args=[cast.county.code]))
    text = page.content.decode()
    assert "没有国家统一标准" in text
    assert "本县尚未修改，使用平台默认配置" in text
    assert 'data-testid="rating-config-edit"' not in text


def test_a_town_is_no_county_for_the_criteria(cast, as_user):
    assert (
        as_user(cast["county_office"])
        .get(reverse("credit:rating-config", args=[cast.town_a.code]))
        .status_code
        == 404
    )


def test_the_county_office_changes_the_criteria(cast, as_user):
    from anlan.credit.tests.matrix_rating import config_post

    client = as_user(cast["county_office"])
    data = config_post(cast)
    data.pop("orange_penalty")  # unticked
    response = client.post(reverse("credit:rating-config-edit", args=[cast.county.code]), data)
    assert response.status_code == 302
    config = RatingConfig.objects.get(region=cast.county)
    assert (config.recent_months, config.orange_penalty, config.updated_by) == (
        6,
        False,
        cast["county_office"],
    )


def test_a_window_out_of_range_is_refused_on_its_field(cast, as_user):
    from anlan.credit.tests.matrix_rating import config_post

    data = {**config_post(cast), "recent_months": "0"}
    page = as_user(cast["county_office"]).post(
        reverse("credit:rating-config-edit", args=[cast.county.code]), data
    )
    assert page.status_code == 200
    assert "recent_months" in page.context["form"].errors
    assert not RatingConfig.objects.exists()


def test_the_ledger_exports_the_ratings_in_scope(cast, as_user):
    f.rating(cast.enterprise_x, "orange", reasons=WHY_ORANGE)
    response = as_user(cast["town_a"]).get(reverse("credit:rating-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_api_hides_a_pending_colour_from_the_enterprise(cast, client):
    f.rating(cast.enterprise_x, "orange", approved="yellow")
    client.force_login(cast["enterprise_x"])
    assert client.get(reverse("api:credit-rating-list")).json()["count"] == 0
    client.force_login(cast["town_a"])
    rows = client.get(reverse("api:credit-rating-list")).json()["results"]
    assert [(r["colour"], r["approved_colour"]) for r in rows] == [("orange", "yellow")]
