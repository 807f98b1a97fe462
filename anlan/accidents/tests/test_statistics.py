"""四项指标 against a hand computation: scope, period, same period last year, breakdowns, rates, pyramid."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from anlan.accidents import services, statistics
from anlan.accidents.statistics import Filters, Period
from anlan.accidents.tests.factories import local, report
from anlan.core import contract
from anlan.core.tests.factories import industry

pytestmark = pytest.mark.django_db

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


def at(cast, when, **figures):
    with time_machine.travel(when + timedelta(minutes=30), tick=False):
        return report(cast, occurred_at=when, **figures)


@pytest.fixture
def accidents(cast):
    """2025: three in town A (one 较大), one road accident in town B; 2024: two in town A."""
    at(cast, local(2025, 3, 5, 10), deaths=1, serious_injuries=2, direct_loss_yuan=Decimal("500000.00"))
    at(cast, local(2025, 3, 20, 10), deaths=3, missing=1, direct_loss_yuan=Decimal("1234567.89"))
    at(cast, local(2025, 7, 1, 0, 5), deaths=0, minor_injuries=1, direct_loss_yuan=Decimal("10000.00"))
    at(
        cast,
        local(2025, 8, 8, 8),
        actor=cast["town_b"],
        enterprise=None,
        region=cast.town_b,
        kind="road_traffic",
        type_code="02",
        industry=industry("road-transport"),
        deaths=2,
        direct_loss_yuan=Decimal("0"),
    )
    at(cast, local(2024, 2, 1, 9), deaths=2, serious_injuries=1, direct_loss_yuan=Decimal("300000.00"))
    at(cast, local(2024, 12, 31, 23, 50), deaths=5, direct_loss_yuan=Decimal("100.00"))
    at(cast, local(2026, 1, 1, 0, 10), deaths=9)  # outside both periods


def test_the_four_indicators_match_a_hand_count_for_the_county(cast, accidents):
    row = statistics.totals(statistics.scoped(cast["county_office"], Filters()), YEAR)
    # 2025: 4 accidents; deaths 1 + (3+1 missing) + 0 + 2 = 7; serious 2; loss 50 + 123.4567889 + 1 + 0 万元.
    assert (row.current.accidents, row.current.deaths, row.current.injuries) == (4, 7, 2)
    assert row.current.loss_wan == Decimal("174.46")
    # 2024: 2 accidents; deaths 2 + 5; serious 1; loss 30.01 万元.
    assert (row.previous.accidents, row.previous.deaths, row.previous.injuries) == (2, 7, 1)
    assert row.previous.loss_wan == Decimal("30.01")
    assert row.summary == "一平三升"
    assert row.double_decline is False


def test_a_town_sees_only_its_own_accidents_in_the_statistics(cast, accidents):
    row = statistics.totals(statistics.scoped(cast["town_b"], Filters()), YEAR)
    assert (row.current.accidents, row.current.deaths, row.previous.accidents) == (1, 2, 0)


def test_the_region_breakdown_groups_by_town(cast, accidents):
    rows = statistics.by_region(statistics.scoped(cast["county_office"], Filters()), YEAR, cast.county)
    by_name = {r.label: (r.current.accidents, r.current.deaths, r.previous.accidents) for r in rows}
    assert by_name == {"新安镇": (3, 5, 2), "半塔镇": (1, 2, 0)}


def test_the_kind_and_type_breakdowns(cast, accidents):
    queryset = statistics.scoped(cast["county_office"], Filters())
    kinds = {r.key: r.current.accidents for r in statistics.by_kind(queryset, YEAR)}
    assert kinds == {"industrial": 3, "road_traffic": 1}
    types = {r.key: r.current.deaths for r in statistics.by_type(queryset, YEAR)}
    assert types == {"09": 5, "02": 2}


def test_the_month_breakdown_pairs_each_month_with_last_year_in_local_time(cast, accidents):
    rows = statistics.by_month(statistics.scoped(cast["county_office"], Filters()), YEAR)
    assert len(rows) == 12
    months = {r.key: (r.current.accidents, r.previous.accidents) for r in rows}
    assert months["2025-03"] == (2, 0)
    assert months["2025-02"] == (0, 1)
    assert months["2025-07"] == (1, 0)  # 00:05 local on 1 July is July, not June in UTC
    assert months["2025-12"] == (0, 1)


def test_relative_rates_use_the_region_figures_and_only_industrial_deaths_per_workers(cast, accidents):
    services.save_economy(
        actor=cast["county_office"],
        region_pk=cast.county.pk,
        year=2025,
        gdp_yi=Decimal("350.00"),
        industrial_employment=50000,
    )
    rates = statistics.relative_rates(statistics.scoped(cast["county_office"], Filters()), YEAR, cast.county)
    assert rates.per_100m_gdp == Decimal("0.020")  # 7 / 350
    assert rates.per_100k_workers == Decimal("10.000")  # 5 industrial deaths / 50000 × 100000
    partial = statistics.relative_rates(
        statistics.scoped(cast["county_office"], Filters()),
        Period(date(2025, 1, 1), date(2025, 6, 30)),
        cast.county,
    )
    assert partial.per_100m_gdp is None


def test_the_pyramid_counts_accidents_and_minor_events_and_has_no_hazard_layer_without_the_hook(
    cast, accidents, monkeypatch
):
    monkeypatch.delitem(contract.registry().hooks, statistics.HAZARD_COUNT_HOOK)
    with time_machine.travel(local(2025, 9, 1, 12), tick=False):
        services.record_minor_event(
            actor=cast["enterprise_x"],
            data={
                "kind": "near_miss",
                "occurred_at": timezone.now() - timedelta(hours=1),
                "region": cast.village_a,
                "enterprise": cast.enterprise_x,
                "industry": industry("construction"),
                "description": "险情",
            },
        )
    pyramid = statistics.pyramid(cast["county_office"], YEAR, Filters())
    assert (pyramid.serious, pyramid.minor, pyramid.no_injury, pyramid.hazards) == (3, 1, 1, None)
    assert "事故隐患" not in dict(pyramid.layers)
    assert len(pyramid.layers) == 3


def count_five(user, start, end, **filters):
    return 5


def test_the_pyramid_base_comes_from_the_module_providing_the_hazard_hook(cast, monkeypatch):
    monkeypatch.setitem(
        contract.registry().hooks,
        statistics.HAZARD_COUNT_HOOK,
        "anlan.accidents.tests.test_statistics.count_five",
    )
    pyramid = statistics.pyramid(cast["county_office"], YEAR, Filters())
    assert pyramid.hazards == 5
    assert dict(pyramid.layers)["事故隐患"] == 5


def test_the_hazards_module_provides_the_pyramid_hook():
    from anlan.hazards.pyramid import hazard_count

    assert contract.provided(statistics.HAZARD_COUNT_HOOK) is hazard_count


def test_statistics_run_a_fixed_number_of_queries(cast, accidents, django_assert_max_num_queries):
    queryset = statistics.scoped(cast["county_office"], Filters())
    with django_assert_max_num_queries(8):
        statistics.totals(queryset, YEAR)
        statistics.by_type(queryset, YEAR)
        statistics.by_kind(queryset, YEAR)
        statistics.by_month(queryset, YEAR)


def test_the_pyramid_base_counts_the_hazards_found_in_the_period_and_scope(cast):
    """The default hook (anlan.hazards.pyramid.hazard_count): not voided, found in the period, in scope."""
    from anlan.hazards.models import Hazard
    from anlan.hazards.tests.factories import HazardFactory

    x, y = cast.enterprise_x, cast.enterprise_y
    for found in (date(2025, 1, 1), date(2025, 12, 31)):
        HazardFactory(enterprise=x, found_on=found, due_on=date(2026, 1, 31))
    HazardFactory(enterprise=y, found_on=date(2025, 5, 5), due_on=date(2025, 6, 1))
    HazardFactory(
        enterprise=y, found_on=date(2025, 5, 5), due_on=date(2025, 6, 1), status=Hazard.Status.VOIDED
    )
    HazardFactory(enterprise=x, found_on=date(2026, 1, 1), due_on=date(2026, 1, 31))

    assert statistics.pyramid(cast["county_office"], YEAR, Filters()).hazards == 3
    assert statistics.pyramid(cast["town_a"], YEAR, Filters()).hazards == 2
    assert statistics.pyramid(cast["county_office"], YEAR, Filters(region=cast.town_b)).hazards == 1
    assert statistics.pyramid(cast["county_office"], YEAR, Filters(enterprise_id=x.pk)).hazards == 2
    construction = [industry("construction").pk]
    layers = dict(statistics.pyramid(cast["county_office"], YEAR, Filters(industry_ids=construction)).layers)
    assert layers["事故隐患"] == 2


def test_the_industry_breakdown_groups_by_section_in_one_statement(
    cast, accidents, django_assert_num_queries
):
    office = cast["county_office"]
    at(cast, local(2025, 9, 1, 9), actor=office, deaths=1, industry=industry("fire-key"))  # no code: 未归类
    at(cast, local(2024, 9, 1, 9), actor=office, deaths=1, industry=industry("special-equipment"))  # too
    queryset = statistics.scoped(cast["county_office"], Filters())
    with django_assert_num_queries(1):
        rows = statistics.by_industry(queryset, YEAR, "section")
    got = [(r.key, r.label, r.current.accidents, r.current.deaths, r.previous.accidents) for r in rows]
    assert got == [
        ("E", "E 建筑业", 3, 5, 2),  # construction: E47-E50
        ("G", "G 交通运输、仓储和邮政业", 1, 2, 0),  # road transport: G54
        ("", "未归类", 1, 1, 1),
    ]
    by_domain = statistics.report(cast["county_office"], YEAR, Filters())
    assert by_domain["grouping"] == "industry"
    assert {r.label for r in by_domain["by_industry"]} == {
        "建筑施工",
        "道路运输",
        "消防重点单位/人员密集场所",
        "特种设备",  # last year's only
    }
