"""The accidents demo step: three years, mostly 一般, a few 较大, some late, investigations in every state."""

from datetime import date

import pytest
from django.db import transaction

from anlan.accidents import rules, statistics
from anlan.accidents.models import (
    Accident,
    Investigation,
    MinorEvent,
    NearMissIncident,
    RegionEconomy,
    ReportingFinding,
    Responsibility,
)
from anlan.core import demo

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.build_demo(demo.DEFAULT_SEED, today=TODAY)
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestTheAccidentsDemo:
    def test_three_years_of_accidents_mostly_ordinary_a_few_relatively_major(self, built):
        years = {a.occurred_at.year for a in Accident.objects.all()}
        assert years == {2024, 2025, 2026}
        grades = list(Accident.objects.values_list("grade", flat=True))
        assert grades.count("ordinary") > 0.8 * len(grades)
        assert 2 <= grades.count("relatively_major") <= 6
        assert Accident.objects.filter(occurred_at__date__gte=TODAY).count() == 0

    def test_some_are_late_and_every_investigation_state_is_present(self, built):
        assert 0 < Accident.objects.filter(is_late=True).count() < Accident.objects.count() / 2
        states = set(Investigation.objects.values_list("status", flat=True))
        assert states == set(Investigation.Status.values)

    def test_every_accident_has_its_first_report_and_its_chain(self, built):
        for accident in Accident.objects.prefetch_related("reports", "steps"):
            assert [r.kind for r in accident.reports.all()] == ["initial"]
            assert {s.level for s in accident.steps.all()} >= {"county", "city"}

    def test_near_misses_and_economy_figures_make_the_pyramid_and_rates(self, built):
        assert MinorEvent.objects.count() > 50
        assert RegionEconomy.objects.filter(region_id=demo.COUNTY_CODE, year=2025).exists()
        office = built.users["anweiban"]
        year = statistics.Period(date(2025, 1, 1), date(2025, 12, 31))
        rates = statistics.relative_rates(statistics.scoped(office, statistics.Filters()), year, built.county)
        assert rates.per_100m_gdp is not None

    def test_reports_were_replied_to_and_one_reply_is_overdue(self, built):
        received = Investigation.objects.filter(report_received_on__isnull=False)
        assert received.filter(replied_on__isnull=False).count() > 5
        overdue = received.filter(reply_overdue=True, replied_on__isnull=True)
        assert overdue.count() == 1
        assert overdue.get().reply_due_on < TODAY

    def test_one_accident_is_found_concealed_and_one_awaits_verification(self, built):
        assert ReportingFinding.objects.filter(is_concealed=True, concealment_verified=True).count() == 1
        assert ReportingFinding.objects.filter(awaiting_verification=True, is_concealed=False).count() == 1
        assert ReportingFinding.objects.filter(is_late=True).exists()

    def test_responsible_units_and_principals_carry_fines_within_the_law(self, built):
        units = Responsibility.objects.filter(party="unit", fine_wan__isnull=False).select_related(
            "investigation__accident"
        )
        assert units.exists()
        for unit in units:
            rules.check_unit_fine(unit.investigation.accident.grade, unit.fine_wan)
        principals = Responsibility.objects.filter(is_principal=True).select_related(
            "investigation__accident"
        )
        assert principals.exists()
        for principal in principals:
            grade = principal.investigation.accident.grade
            assert principal.fine_wan == rules.principal_fine_wan(grade, principal.last_year_income_wan)

    def test_one_relatively_major_near_miss_is_recorded_apart(self, built):
        incident = NearMissIncident.objects.get()
        assert rules.is_relatively_major_near_miss(people_at_risk=incident.people_at_risk)
        assert incident.is_late is False

    def test_injured_persons_by_days_cover_every_severity_and_the_counts_follow(self, built):
        from anlan.accidents.models import InjuredPerson
        from anlan.accidents.services import injury_counts_of

        days = set(InjuredPerson.objects.values_list("lost_work_days", flat=True))
        assert {0, 6000} <= days
        assert set(InjuredPerson.objects.values_list("severity", flat=True)) == {
            "",
            "minor",
            "serious",
            "fatal_equivalent",
        }
        for accident in Accident.objects.filter(injured_persons__isnull=False).distinct():
            figures = {
                "serious_injuries": accident.serious_injuries,
                "minor_injuries": accident.minor_injuries,
            }
            assert injury_counts_of(accident) == figures

    def test_last_years_vehicles_and_coal_output_give_both_new_rates(self, built):
        office = built.users["anweiban"]
        year = statistics.Period(date(2025, 1, 1), date(2025, 12, 31))
        rates = statistics.relative_rates(statistics.scoped(office, statistics.Filters()), year, built.county)
        assert rates.per_10k_vehicles is not None
        assert rates.per_million_tonnes is not None
        assert RegionEconomy.objects.get(region_id=demo.COUNTY_CODE, year=2026).motor_vehicles
