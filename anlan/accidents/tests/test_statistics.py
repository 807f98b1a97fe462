"""四项指标 against a hand computation: scope, period, same period last year, breakdowns, rates, pyramid."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from anlan.accidents import services, statistics
from anlan.accidents.models import Accident
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


def economy(cast, **figures):
    return services.save_economy(
        actor=cast["county_office"],
        region_pk=cast.county.pk,
        year=2025,
        gdp_yi=Decimal("350.00"),
        industrial_employment=50000,
        **figures,
    )


def coal_accident(cast, deaths=1):
    return at(
        cast,
        local(2025, 5, 5, 10),
        actor=cast["county_office"],
        enterprise=None,
        type_code="15",
        industry=industry("coal-mine"),
        deaths=deaths,
        direct_loss_yuan=Decimal("0"),
    )


def county_rates(cast, period=YEAR):
    return statistics.relative_rates(statistics.scoped(cast["county_office"], Filters()), period, cast.county)


def test_road_and_coal_rates_divide_their_own_deaths_by_vehicles_and_coal_output(cast, accidents):
    coal_accident(cast)
    economy(cast, motor_vehicles=100000, raw_coal_wan_tonnes=Decimal("50.00"))
    rates = county_rates(cast)
    assert rates.per_10k_vehicles == Decimal("0.200")  # 2 road-traffic deaths / 100000 × 10000
    assert rates.per_million_tonnes == Decimal("2.000")  # 1 coal-mine death / 50 万吨 × 100
    assert rates.per_100m_gdp == Decimal("0.023")  # 8 deaths of every kind / 350
    assert (rates.vehicles, rates.coal_wan_tonnes) == (100000, Decimal("50.00"))
    assert (rates.vehicles_note, rates.coal_note) == ("", "")


def test_without_vehicles_or_coal_output_the_two_rates_stay_empty_with_a_note(cast, accidents):
    economy(cast)
    rates = county_rates(cast)
    assert rates.per_100m_gdp is not None
    assert (rates.per_10k_vehicles, rates.per_million_tonnes) == (None, None)
    assert rates.vehicles_note == "尚未录入来安县2025年的机动车保有量，不计算万车死亡率。"
    assert "未录入原煤产量" in rates.coal_note


def test_without_economy_figures_or_a_whole_year_no_rate_is_computed(cast, accidents):
    assert county_rates(cast).per_10k_vehicles is None
    assert "尚未录入来安县2025年" in county_rates(cast).note
    economy(cast, motor_vehicles=100000, raw_coal_wan_tonnes=Decimal("50.00"))
    partial = county_rates(cast, Period(date(2025, 1, 1), date(2025, 6, 30)))
    assert (partial.per_10k_vehicles, partial.per_million_tonnes) == (None, None)


def test_a_road_death_reported_on_day_7_counts_in_the_vehicle_rate_and_one_on_day_8_does_not(cast, accidents):
    road = Accident.objects.get(kind="road_traffic")  # 2025-08-08 08:00, 2 deaths; 7-day window (§11)
    data = {"serious_injuries": 0, "minor_injuries": 0, "direct_loss_yuan": "0", "description": "伤员死亡"}
    with time_machine.travel(local(2025, 8, 15, 23, 0), tick=False):
        services.add_report(
            actor=cast["town_b"], accident_pk=road.pk, kind="follow_up", data={**data, "deaths": 3}
        )
    with time_machine.travel(local(2025, 8, 16, 0, 30), tick=False):
        late = services.add_report(
            actor=cast["town_b"], accident_pk=road.pk, kind="follow_up", data={**data, "deaths": 4}
        )
    assert late.within_window is False
    economy(cast, motor_vehicles=100000)
    assert county_rates(cast).per_10k_vehicles == Decimal("0.300")  # 3, not 4, × 10000 / 100000


def test_coal_mining_industries_are_those_coded_in_division_06_with_their_sub_industries(cast):
    from anlan.core.models import Industry

    coal = industry("coal-mine")
    child = Industry.objects.create(code="coal-washing", name="洗选煤", parent=coal, gb4754="")
    ids = statistics.coal_mining_industry_ids()
    assert {coal.pk, child.pk} <= ids
    assert industry("non-coal-mine").pk not in ids
    assert industry("construction").pk not in ids


def _near_miss_event(cast):
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


def layers(pyramid) -> dict:
    return {layer.key: (layer.actual, layer.expected) for layer in pyramid.layers}


def test_the_classic_pyramid_counts_three_layers_and_scales_1_29_300_from_the_top(cast, accidents):
    _near_miss_event(cast)
    pyramid = statistics.pyramid(cast["county_office"], YEAR, Filters())
    assert (pyramid.serious, pyramid.minor, pyramid.no_injury) == (3, 1, 1)
    assert pyramid.variant == "classic"
    # top = 3 accidents with deaths or serious injuries → 3 × 29 = 87, 3 × 300 = 900
    assert layers(pyramid) == {"major_injury": (3, 3), "minor_injury": (1, 87), "no_injury": (1, 900)}
    assert [layer.label for layer in pyramid.layers] == [
        "死亡或重伤事故",
        "轻伤和轻微事故",
        "无伤害事故和未遂事件",
    ]
    assert pyramid.label == "海因里希法则 1:29:300"
    assert pyramid.note == ""


def test_the_pyramid_with_hazards_adds_a_fourth_layer_expected_at_1000_per_top(cast, accidents, monkeypatch):
    monkeypatch.setitem(
        contract.registry().hooks,
        statistics.HAZARD_COUNT_HOOK,
        "anlan.accidents.tests.test_statistics.count_five",
    )
    pyramid = statistics.pyramid(cast["county_office"], YEAR, Filters(), "with_hazards")
    assert layers(pyramid)["hazards_or_unsafe_acts"] == (5, 3000)
    assert [layer.ratio for layer in pyramid.layers] == [1, 29, 300, 1000]
    assert pyramid.label == "含隐患和不安全行为 1:29:300:1000"


def test_the_pyramid_with_hazards_says_so_when_no_module_counts_hazards_instead_of_showing_0(
    cast, accidents, monkeypatch
):
    monkeypatch.delitem(contract.registry().hooks, statistics.HAZARD_COUNT_HOOK)
    pyramid = statistics.pyramid(cast["county_office"], YEAR, Filters(), "with_hazards")
    assert pyramid.hazards is None
    assert layers(pyramid)["hazards_or_unsafe_acts"] == (None, 3000)
    assert pyramid.note == "未接入隐患排查治理模块，无法统计事故隐患数。"


def test_the_classic_pyramid_does_not_ask_for_hazards(cast, monkeypatch):
    monkeypatch.setitem(
        contract.registry().hooks,
        statistics.HAZARD_COUNT_HOOK,
        "anlan.accidents.tests.test_statistics.count_five",
    )
    pyramid = statistics.pyramid(cast["county_office"], YEAR, Filters())
    assert pyramid.hazards is None
    assert "hazards_or_unsafe_acts" not in layers(pyramid)


def count_five(user, start, end, **filters):
    return 5


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

    def hazards(user, filters):
        return statistics.pyramid(user, YEAR, filters, "with_hazards").hazards

    assert hazards(cast["county_office"], Filters()) == 3
    assert hazards(cast["town_a"], Filters()) == 2
    assert hazards(cast["county_office"], Filters(region=cast.town_b)) == 1
    assert hazards(cast["county_office"], Filters(enterprise_id=x.pk)) == 2
    construction = [industry("construction").pk]
    assert hazards(cast["county_office"], Filters(industry_ids=construction)) == 2


def test_the_statistics_page_switches_pyramids_keeping_the_filters_and_shows_expectations(
    cast, accidents, as_user, monkeypatch
):
    from django.urls import reverse

    monkeypatch.delitem(contract.registry().hooks, statistics.HAZARD_COUNT_HOOK)
    economy(cast, motor_vehicles=100000)
    client = as_user(cast["county_office"])
    query = {"date_from": "2025-01-01", "date_to": "2025-12-31", "region": cast.county.code}
    page = client.get(reverse("accidents:statistics"), query).content.decode()
    assert "海因里希法则 1:29:300" in page
    assert 'data-testid="layer-hazards_or_unsafe_acts"' not in page
    assert "pyramid=with_hazards" in page and "date_from=2025-01-01" in page
    assert 'data-testid="rate-vehicles">0.200<' in page
    assert "未录入原煤产量" in page
    page = client.get(reverse("accidents:statistics"), {**query, "pyramid": "with_hazards"}).content.decode()
    assert 'data-testid="layer-hazards_or_unsafe_acts"' in page
    assert "未接入隐患排查治理模块，无法统计事故隐患数。" in page
    assert 'name="pyramid" value="with_hazards"' in page
    assert client.get(reverse("accidents:statistics"), {"pyramid": "bogus"}).status_code == 200


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
