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


def test_a_plain_list_still_pages():
    assert list(IdFirstPaginator(list(range(7)), 3).page(3)) == [6]
