"""The hazard list on a phone: cells labelled by their column headers, the active filters as chips and their count
on the 筛选 toggle, kept in step when htmx swaps the table (the shared parts are tested in core/tests/test_lists.py)."""

import pytest
from django.urls import reverse

from anlan.hazards.models import Hazard
from anlan.hazards.tests.factories import HazardFactory


@pytest.fixture
def hazards(cast):
    HazardFactory(enterprise=cast.enterprise_x, grade=Hazard.Grade.MAJOR)
    HazardFactory(enterprise=cast.enterprise_x)


def test_the_hazard_list_labels_its_cells_and_shows_the_active_filters(cast, as_user, hazards):
    query = "grade=major&source=department_inspection"
    html = as_user(cast["county_office"]).get(reverse("hazards:hazard-list") + "?" + query).content.decode()
    assert 'data-testid="hazard-table" data-cards' in html
    for label in ("单位/场所", "隐患描述", "区划", "发现日期", "整改期限", "状态"):
        assert f'data-label="{label}"' in html
    assert 'data-testid="filter-count"> (2)</span>' in html
    assert html.count('data-testid="filter-chip"') == 2
    assert "隐患等级：重大事故隐患" in html
    assert 'href="?source=department_inspection"' in html  # the × of the grade chip


def test_an_htmx_filter_swap_updates_the_chips_and_the_count_on_the_toggle(cast, as_user, hazards):
    response = as_user(cast["county_office"]).get(
        reverse("hazards:hazard-list"), {"grade": "major", "q": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert '<span id="filter-count" data-testid="filter-count" hx-swap-oob="true"> (1)</span>' in html
    assert "隐患等级：重大事故隐患" in html
    assert 'id="filter-panel"' not in html  # the fragment only


def test_the_filter_form_s_empty_status_means_all_statuses_and_the_other_filters_apply(
    cast, as_user, hazards
):
    response = as_user(cast["county_office"]).get(
        reverse("hazards:hazard-list"), {"status": "", "grade": "major"}
    )
    assert not response.context["filter"].errors
    assert [h.grade for h in response.context["page"]] == [Hazard.Grade.MAJOR]
