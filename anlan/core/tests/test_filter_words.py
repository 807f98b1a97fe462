"""A list's filters in words (core.filters.filters_in_words), for the title row of its ledger: each active
filter by its label and the chosen value's label; empty, unknown and sort parameters left out."""

from __future__ import annotations

from datetime import date

import django_filters
import pytest
from django.http import QueryDict

from anlan.core.exports import filter_request
from anlan.core.filters import (
    EnterpriseFilter,
    FilterWords,
    RegionSubtreeFilter,
    ScopedFilterSet,
    filters_in_words,
    period_in_words,
    scoped_regions,
)
from anlan.core.models import Enterprise

from .factories import industry

pytestmark = pytest.mark.django_db


class PeriodFilter(ScopedFilterSet):
    """A list with a period, a multiple choice and a region, as the hazard and accident lists have."""

    period = ("since", "until", "登记日期")
    region = RegionSubtreeFilter(
        label="区划", queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    status = django_filters.MultipleChoiceFilter(label="经营状态", choices=Enterprise.Status.choices)
    since = django_filters.DateFilter(label="登记日期起", field_name="created_at__date", lookup_expr="gte")
    until = django_filters.DateFilter(label="登记日期止", field_name="created_at__date", lookup_expr="lte")
    sort = django_filters.OrderingFilter(fields=(("name", "name"),))

    class Meta:
        model = Enterprise
        fields = ["region", "status"]


def words(filterset_class, query: str, user) -> FilterWords:
    return filters_in_words(
        filterset_class(QueryDict(query), queryset=Enterprise.objects.all(), request=filter_request(user))
    )


def test_each_filter_is_described_by_its_label_and_its_values_label_in_declared_order(cast):
    query = f"crowded=true&industry={industry('construction').pk}&scale=small&q=建工"
    assert words(EnterpriseFilter, query, cast["county_office"]) == FilterWords(
        others=["名称或信用代码：建工", "行业领域：建筑施工", "规模：小型", "人员密集场所：是"]
    )


def test_the_region_filter_is_named_apart_and_the_sort_page_and_unknown_parameters_are_left_out(cast):
    query = f"region={cast.town_a.code}&sort=-name&page=2&colour=red&status="
    assert words(EnterpriseFilter, query, cast["county_office"]) == FilterWords(region="新安镇")


def test_several_chosen_values_are_listed_and_a_period_is_one_phrase(cast):
    query = "status=operating&status=suspended&since=2026-01-01&until=2026-03-31"
    assert words(PeriodFilter, query, cast["county_office"]) == FilterWords(
        period="登记日期 2026-01-01 至 2026-03-31", others=["经营状态：正常生产经营、停产停业"]
    )


def test_an_invalid_query_filters_nothing_so_it_is_described_as_no_filter(cast):
    assert words(EnterpriseFilter, "scale=nonsense&q=建工", cast["county_office"]) == FilterWords()
    assert words(EnterpriseFilter, "", cast["county_office"]) == FilterWords()


@pytest.mark.parametrize(
    ("start", "end", "phrase"),
    [
        ("2026-01-01", "2026-03-31", "发现日期 2026-01-01 至 2026-03-31"),
        ("2026-01-01", None, "发现日期 2026-01-01 起"),
        (None, "2026-03-31", "发现日期 至 2026-03-31"),
        (None, None, ""),
    ],
    ids=["both", "from-only", "to-only", "none"],
)
def test_a_period_with_either_end_open(start, end, phrase):
    def day(text):
        return date.fromisoformat(text) if text else None

    assert period_in_words("发现日期", day(start), day(end)) == phrase


def test_a_yes_no_filter_offers_all_yes_and_no_and_filters_both_ways(cast):
    """Django's NullBooleanSelect offers 未知 for "any"; a list filter says 全部 (core.filters.YesNoFilter)."""
    cast.enterprise_x.is_crowded_place = True
    cast.enterprise_x.save()
    user = cast["county_office"]

    def listed(query):
        return EnterpriseFilter(
            QueryDict(query), queryset=Enterprise.objects.all(), request=filter_request(user)
        )

    html = listed("").form["crowded"].as_widget()
    assert [label for label in ("全部", "是", "否", "未知") if f">{label}</option>" in html] == [
        "全部",
        "是",
        "否",
    ]
    crowded, not_crowded = listed("crowded=true").qs, listed("crowded=false").qs
    assert cast.enterprise_x in crowded and cast.enterprise_x not in not_crowded
    assert set(crowded).isdisjoint(not_crowded) and not_crowded.exists()
