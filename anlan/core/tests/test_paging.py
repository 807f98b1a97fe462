"""IdFirstPaginator pages exactly like Django's Paginator, with the page's joins and annotations."""

import pytest
from django.core.paginator import Paginator
from django.db.models import Value

from anlan.core.models import Enterprise
from anlan.core.paging import IdFirstPaginator
from anlan.core.tests.factories import EnterpriseFactory, industry


@pytest.fixture
def enterprises(cast):
    for n in range(23):
        EnterpriseFactory(
            name=f"来安县测试单位{n:02d}", region=cast.village_a, industry=industry("machinery")
        )
    return Enterprise.objects.select_related("region", "industry").annotate(marker=Value(7))


@pytest.mark.parametrize(("per_page", "orphans"), [(5, 0), (10, 0), (10, 3), (25, 0)])
def test_every_page_matches_djangos_paginator(enterprises, per_page, orphans):
    ours, django = IdFirstPaginator(enterprises, per_page, orphans), Paginator(enterprises, per_page, orphans)
    assert (ours.count, ours.num_pages) == (django.count, django.num_pages)
    for number in ours.page_range:
        page = ours.page(number)
        assert [e.pk for e in page] == [e.pk for e in django.page(number)]
        assert (page.start_index(), page.end_index()) == (
            django.page(number).start_index(),
            django.page(number).end_index(),
        )
        assert all(e.marker == 7 and e.region.name for e in page)


def test_a_reversed_order_is_kept(enterprises):
    page = IdFirstPaginator(enterprises.order_by("-name"), 4).page(2)
    assert [e.name for e in page] == [f"来安县测试单位{n:02d}" for n in range(18, 14, -1)]


def test_the_page_runs_two_queries_however_deep(enterprises, django_assert_num_queries):
    paginator = IdFirstPaginator(enterprises, 5)
    assert paginator.count > 20
    with django_assert_num_queries(2):
        list(paginator.page(4))


def test_the_rows_are_fetched_by_primary_key_alone(enterprises, django_assert_num_queries):
    paginator = IdFirstPaginator(enterprises.filter(status=Enterprise.Status.OPERATING), 5)
    assert paginator.num_pages > 2  # counted before the measured page
    with django_assert_num_queries(2) as captured:
        list(paginator.page(2))
    ids_sql, rows_sql = (q["sql"] for q in captured.captured_queries)
    assert '"status"' in ids_sql.split("WHERE", 1)[1]
    assert '"status"' not in rows_sql.split("WHERE", 1)[1]


@pytest.mark.parametrize("distinct", [True, False])
def test_a_filter_through_a_many_valued_join_pages_as_djangos(cast, distinct):
    machinery, others = industry("machinery"), [industry("hazchem"), industry("light-industry")]
    for n in range(7):
        enterprise = EnterpriseFactory(name=f"来安县多行业单位{n}", region=cast.village_a, industry=machinery)
        enterprise.other_industries.add(*others[: 1 + n % 2])
    queryset = (
        Enterprise.objects.select_related("region").filter(other_industries__in=others).order_by("name")
    )
    queryset = queryset.distinct() if distinct else queryset
    ours, django = IdFirstPaginator(queryset, 4), Paginator(queryset, 4)
    assert ours.count == django.count == (7 if distinct else 10)
    for number in django.page_range:
        assert [e.pk for e in ours.page(number)] == [e.pk for e in django.page(number)]


def test_a_plain_list_still_pages():
    assert list(IdFirstPaginator(list(range(7)), 3).page(3)) == [6]
