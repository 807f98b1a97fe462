"""Lists on a phone: cells labelled by their column headers (cards), the active filters as chips, the 筛选 toggle."""

from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from anlan.core.cards import label_cells
from anlan.core.filters import EnterpriseFilter
from anlan.core.models import Enterprise
from anlan.core.paging import active_filters, cleared_query


def enterprise_filter(cast, query: str):
    request = RequestFactory().get("/", QueryDict(query))
    request.user = cast["county_office"]
    return EnterpriseFilter(request.GET or None, queryset=Enterprise.objects.all(), request=request)


def chips_of(cast, query: str):
    return [
        (c.label, c.value, QueryDict(c.remove_query)) for c in active_filters(enterprise_filter(cast, query))
    ]


# ---------------------------------------------------------------- chips


def test_each_active_filter_is_a_chip_with_its_label_and_the_label_of_its_value(cast):
    chips = chips_of(cast, f"region={cast.town_a.code}&status=suspended&major_hazard=true&sort=name&page=2")
    assert [(label, value) for label, value, _query in chips] == [
        ("区划", cast.town_a.name),
        ("经营状态", "停产停业"),
        ("重大危险源", "是"),
    ]


def test_a_chip_removes_its_own_filter_and_keeps_the_others_and_the_sort_but_not_the_page(cast):
    chips = chips_of(cast, f"region={cast.town_a.code}&status=suspended&crowded=false&sort=-name&page=2")
    status = next(query for label, _value, query in chips if label == "经营状态")
    assert status.dict() == {"region": cast.town_a.code, "crowded": "false", "sort": "-name"}
    crowded = next((value, query) for label, value, query in chips if label == "人员密集场所")
    assert crowded[0] == "否"
    assert "crowded" not in crowded[1] and crowded[1]["status"] == "suspended"


def test_no_filter_no_chip(cast):
    assert active_filters(enterprise_filter(cast, "")) == []
    assert active_filters(None) == []
    assert chips_of(cast, "q=&region=&status=&major_hazard=&sort=name&page=3") == []


def test_a_value_that_is_not_valid_is_shown_as_typed_so_it_can_be_removed(cast):
    chips = chips_of(cast, "status=bogus&q=化工")
    assert [(label, value) for label, value, _query in chips] == [
        ("名称或信用代码", "化工"),
        ("经营状态", "bogus"),
    ]
    assert chips[1][2].dict() == {"q": "化工"}


def test_clearing_the_filters_keeps_only_the_sort(cast):
    assert QueryDict(cleared_query(enterprise_filter(cast, "status=closed&sort=-name&page=2"))).dict() == {
        "sort": "-name"
    }
    assert cleared_query(enterprise_filter(cast, "status=closed")) == ""
    assert cleared_query(None) == ""


# ---------------------------------------------------------------- cells labelled by their headers

TABLE = """<table class="t"><thead><tr><th><a href="?sort=name">名称 ↑</a></th><th colspan="2">日期</th>
<th>状态 &amp; 进度</th><th></th></tr></thead>
<tbody><tr><td><a href="/1/">甲</a></td><td>起</td><td>止</td><td data-label="自定">x</td><td><a class="btn">办理</a></td></tr>
<tr><td colspan="5">没有记录。</td></tr>
<tr><td>乙<table><tr><td>内</td></tr></table></td><td>1</td><td>2</td><td>3</td><td/></tr></tbody></table>"""


def test_each_body_cell_is_labelled_by_the_header_of_its_column():
    html = label_cells(TABLE)
    assert html.startswith('<table class="t" data-cards>')
    assert '<td data-card-title><a href="/1/">甲</a></td>' in html
    assert '<td data-label="日期">起</td><td data-label="日期">止</td>' in html
    assert '<td data-label="自定">x</td>' in html  # a label the page gave is kept
    assert '<td data-label=""><a class="btn">办理</a></td>' in html  # no header text: no label shown
    assert '<td data-label="状态 &amp; 进度">3</td>' in html
    assert '<td colspan="5">没有记录。</td>' in html  # the empty list's message spans the card
    assert "<table><tr><td>内</td></tr></table>" in html  # a table inside a cell is left alone
    assert "<th" in html and "data-label" not in html.split("<tbody>")[0]


def test_the_title_can_be_another_column():
    html = label_cells(TABLE, title_column=2)
    assert '<td data-label="名称"><a href="/1/">甲</a></td><td data-card-title>起</td>' in html


# ---------------------------------------------------------------- pages


def test_the_enterprise_list_labels_its_cells_and_counts_no_filter_when_there_is_none(cast, as_user):
    html = as_user(cast["enterprise_x"]).get(reverse("core:enterprise-list")).content.decode()
    for label in ("统一社会信用代码", "区划", "行业领域", "主要负责人", "从业人员", "状态"):
        assert f'data-label="{label}"' in html
    assert 'data-testid="filter-toggle"' in html
    assert 'data-testid="filter-count"></span>' in html
    assert 'data-testid="filter-chip"' not in html
