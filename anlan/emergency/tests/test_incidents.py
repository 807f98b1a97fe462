"""Incidents made from the accidents module's reports, and the unit categories read from the registry."""

from __future__ import annotations

from anlan.accidents.tests.factories import report
from anlan.core import units
from anlan.core.tests.factories import EnterpriseFactory, industry
from anlan.emergency import rules, selectors
from anlan.emergency.models import Incident
from anlan.emergency.services.incident import incident_for_accident


def test_an_accident_gets_one_incident_that_carries_its_facts(cast):
    accident = report(cast)
    first = incident_for_accident(accident)
    again = incident_for_accident(accident)
    assert first.pk == again.pk
    assert Incident.objects.filter(accident=accident).count() == 1
    assert (first.kind, first.region_id, first.enterprise_id, first.grade) == (
        Incident.Kind.ACCIDENT,
        accident.region_id,
        accident.enterprise_id,
        accident.grade,
    )
    assert first.is_open


def test_the_incident_is_seen_as_the_accident_is(cast):
    incident = incident_for_accident(report(cast))
    assert Incident.objects.for_user(cast["county_office"]).filter(pk=incident.pk).exists()
    assert Incident.objects.for_user(cast["dept_housing"]).filter(pk=incident.pk).exists()
    assert not Incident.objects.for_user(cast["town_b"]).filter(pk=incident.pk).exists()


def test_categories_follow_the_industries_and_the_unit_kind(cast):
    trade = EnterpriseFactory(region=cast.village_a, industry=industry("hazchem-trade"))
    crowded = EnterpriseFactory(region=cast.village_a, industry=industry("machinery"), is_crowded_place=True)
    plain = EnterpriseFactory(region=cast.village_a, industry=industry("machinery"))
    plain.other_industries.add(industry("fireworks"))
    found = selectors.enterprise_categories([trade.pk, crowded.pk, plain.pk, cast.enterprise_x.pk])
    assert found == {
        trade.pk: rules.HAZARDOUS_CHEMICALS,
        crowded.pk: rules.CROWDED_PLACE,
        plain.pk: rules.FIREWORKS,
        cast.enterprise_x.pk: rules.CONSTRUCTION,
    }
    assert selectors.unit_category(units.unit_for(trade)) == rules.HAZARDOUS_CHEMICALS
    assert selectors.unit_category(units.unit_for(cast.dept_housing)) == rules.GOVERNMENT
    assert selectors.unit_category(units.unit_for(cast.town_a)) == rules.TOWN
    assert selectors.unit_category(units.committee_office_for(cast.town_a.parent)) == rules.GOVERNMENT
