"""The emergency demo steps, built once on a fixed day: a year of rosters (county, towns, hazardous-chemical
enterprises); the night of an accident (初报 → duty logs → the town's 先期处置 → a response started and ended);
plans in every state; drills with an overdue and a due-soon plan; teams and shelters in every town, the expert
library with 赵国平 linked to the demo expert account, one consultation waiting for his opinion, every town's 四有."""

import pytest
from django.db import transaction
from django.utils import timezone

from anlan.core import demo, units
from anlan.core.models import Region, User
from anlan.emergency import rules
from anlan.emergency.models import (
    DutyLogEntry,
    DutyRoster,
    DutyShift,
    FirstResponse,
    Incident,
    Plan,
    PlanFiling,
    RescueTeam,
    Response,
    Shelter,
    TownCapacity,
)
from anlan.emergency.selectors import drills, enterprise_categories
from anlan.emergency.selectors import forces as selectors
from anlan.emergency.tests.factories_plans import calendar_through_next_year

# The day the demo is built, as `make run` builds it: the services stamp decisions with the real time, so a
# demo built on another day would have its filings checked after their own deadlines.
TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        calendar_through_next_year()
        yield demo.build_demo(demo.DEFAULT_SEED, today=TODAY)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_gives_every_town_a_team_a_shelter_and_its_four_items(built):
    towns = Region.objects.filter(level=Region.Level.TOWN, parent=built.county).count()
    assert towns > 0
    assert RescueTeam.objects.filter(kind=RescueTeam.Kind.TOWN).count() == towns
    assert Shelter.objects.values("region").distinct().count() == towns
    assert TownCapacity.objects.count() == towns


@pytest.mark.django_db
def test_the_demo_expert_has_one_consultation_waiting_for_an_opinion(built):
    zhuanjia = User.objects.get(username="zhuanjia")
    assert zhuanjia.expert_profile.name == "赵国平"
    due = list(selectors.opinions_due(zhuanjia))
    assert len(due) == 1
    assert selectors.consultation_list(zhuanjia).count() == 1
    assert not selectors.team_list(zhuanjia).exists()


@pytest.mark.django_db
def test_the_demo_keeps_a_year_of_rosters_for_the_county_the_towns_and_hazardous_chemical_enterprises(built):
    months = [rules.add_months(rules.month_start(TODAY), back) for back in range(-11, 2)]
    offices = {
        units.committee_office_for(built.county).pk,
        units.unit_for(built.towns["新安镇"]).pk,
        units.unit_for(built.towns["半塔镇"]).pk,
    }
    rostered = set(DutyRoster.objects.values_list("unit_id", flat=True))
    assert offices <= rostered
    enterprises = DutyRoster.objects.filter(unit__kind="enterprise").values_list(
        "unit__enterprise_id", flat=True
    )
    assert set(enterprise_categories(set(enterprises)).values()) == {rules.HAZARDOUS_CHEMICALS}
    assert len(rostered) == 6
    for unit in rostered:
        assert (
            sorted(
                DutyRoster.objects.filter(unit_id=unit, status=DutyRoster.Status.PUBLISHED).values_list(
                    "month", flat=True
                )
            )
            == months
        )
    # Every day of the year is covered, with a 带班领导 on every shift.
    county = units.committee_office_for(built.county)
    shifts = DutyShift.objects.filter(unit=county, published=True)
    assert shifts.count() == sum((rules.next_month(m) - m).days for m in months)
    assert not shifts.filter(leader__isnull=True).exists()


@pytest.mark.django_db
def test_the_demo_night_of_an_accident_runs_from_the_duty_log_to_a_response_started_and_ended(built):
    incident = Incident.objects.filter(accident__isnull=False).get()
    logged = set(DutyLogEntry.objects.filter(incident=incident).values_list("unit__kind", flat=True))
    assert {"committee_office", "town"} <= logged
    first = FirstResponse.objects.get(incident=incident)
    town = Region.objects.get(level=Region.Level.TOWN, code__startswith=incident.region.code[:9])
    assert units.is_member(first.recorded_by, units.unit_for(town))
    response = Response.objects.get(incident=incident)
    assert response.status == Response.Status.ENDED and response.ended_at > response.started_at
    assert Response.objects.filter(status=Response.Status.ACTIVE).count() == 1  # the flood, still running


@pytest.mark.django_db
def test_the_demo_has_plans_in_every_state_and_drills_with_an_overdue_and_a_due_soon_plan(built):
    assert set(Plan.objects.values_list("status", flat=True)) >= {"draft", "reviewed", "published"}
    assert set(PlanFiling.objects.values_list("status", flat=True)) == set(PlanFiling.Status.values)
    yingji = User.objects.get(username="yingji")
    statuses = {row.status for row in drills.compliance_rows(drills.plans_to_drill(yingji), today=TODAY)}
    assert statuses == {rules.ON_TIME, rules.DUE_SOON, rules.OVERDUE}
