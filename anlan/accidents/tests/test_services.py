"""Reporting, re-grading, forwarding, findings and investigation through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from anlan.accidents import services, sweeps
from anlan.accidents.models import (
    Accident,
    AccidentReport,
    Investigation,
    PreventiveMeasure,
    RegionEconomy,
    ReportingFinding,
    ReportStep,
    Responsibility,
)
from anlan.accidents.rules import ErrorCode
from anlan.accidents.tests.factories import local, report
from anlan.core import audit
from anlan.core.errors import Code, DomainError
from anlan.core.models import Region
from anlan.core.tests.factories import industry
from anlan.notifications.models import Notification

pytestmark = pytest.mark.django_db

T0 = local(2026, 5, 10, 9, 0)


def follow_up(cast, accident, actor=None, **figures):
    data = {
        "deaths": accident.deaths,
        "missing": 0,
        "serious_injuries": 0,
        "minor_injuries": 0,
        "direct_loss_yuan": accident.direct_loss_yuan,
        "description": "续报情况",
    }
    data.update(figures)
    return services.add_report(
        actor=actor or cast["enterprise_x"], accident_pk=accident.pk, kind="follow_up", data=data
    )


def test_an_enterprise_reports_an_ordinary_accident_up_to_the_city_with_deadlines(cast):
    with time_machine.travel(T0, tick=False):
        accident = report(cast, occurred_at=T0 - timedelta(minutes=40))
    assert accident.grade == "ordinary"
    assert accident.grade_criterion == "none"
    assert accident.reported_at == T0
    steps = {s.level: s for s in accident.steps.all()}
    assert set(steps) == {"county", "city"}
    assert steps["county"].received_at == T0
    assert steps["county"].due_at == T0 + timedelta(minutes=20)
    assert steps["county"].is_late is False
    assert steps["city"].due_at == T0 + timedelta(hours=2)
    assert steps["city"].received_at is None
    assert accident.reports.get().kind == AccidentReport.Kind.INITIAL
    assert accident.history.count() == 1
    assert "高处坠落" in accident.title


def test_the_county_duty_office_is_notified_at_once_with_one_message_per_step(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accident = report(cast)
    step_messages = Notification.objects.filter(url=f"/accidents/{accident.pk}/")
    # 安委办 of the county and 住建局, which supervises construction (第九条); the town hears of it through the
    # emergency module's duty log, not as a reporting step.
    assert set(step_messages.values_list("recipient__username", flat=True)) == {
        "county_office",
        "dept_housing",
    }
    assert step_messages.count() == 2


@pytest.mark.parametrize(
    ("minutes", "late"), [(60, False), (61, True)], ids=["exactly one hour: on time", "61 minutes: 迟报"]
)
def test_a_unit_report_later_than_one_hour_after_the_head_knew_is_flagged_late(cast, minutes, late):
    with time_machine.travel(T0, tick=False):
        accident = report(
            cast, occurred_at=T0 - timedelta(hours=3), head_notified_at=T0 - timedelta(minutes=minutes)
        )
    assert accident.steps.get(level="county").is_late is late
    assert accident.is_late is late


def test_without_the_heads_receipt_time_the_clock_starts_at_the_accident(cast):
    with time_machine.travel(T0, tick=False):
        accident = report(cast, occurred_at=T0 - timedelta(minutes=61))
    assert accident.is_late is True


@pytest.mark.parametrize(
    ("figures", "grade", "criterion"),
    [
        ({"deaths": 3}, "relatively_major", "deaths"),
        ({"deaths": 2, "missing": 1}, "relatively_major", "deaths"),
        ({"serious_injuries": 10}, "relatively_major", "serious_injuries"),
        ({"direct_loss_yuan": Decimal("10000000.00")}, "relatively_major", "direct_loss"),
        ({"direct_loss_yuan": Decimal("9999999.99")}, "ordinary", "none"),
    ],
)
def test_the_report_is_graded_with_the_missing_counted_as_dead_and_loss_in_wan(
    cast, figures, grade, criterion
):
    accident = report(cast, **{"deaths": 0, **figures})
    assert (accident.grade, accident.grade_criterion) == (grade, criterion)


def test_a_follow_up_within_the_window_raises_the_grade_and_requires_the_province(
    cast, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False):
        accident = report(cast, occurred_at=T0 - timedelta(minutes=10))
    later = T0 + timedelta(days=3)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        version = follow_up(cast, accident, deaths=3)
    accident.refresh_from_db()
    assert version.grade_before == "ordinary"
    assert version.grade_after == "relatively_major"
    assert accident.grade == "relatively_major"
    assert accident.deaths == 3
    province = accident.steps.get(level="province")
    assert province.due_at == later + timedelta(hours=2)
    assert accident.reports.count() == 2
    assert Notification.objects.filter(kind="accident.regraded").exists()


def _accident_on(cast, occurred, kind="industrial"):
    with time_machine.travel(occurred + timedelta(minutes=30), tick=False):
        return report(cast, occurred_at=occurred, kind=kind)


@pytest.mark.parametrize(
    ("kind", "day", "regraded"),
    [
        ("industrial", 30, True),
        ("industrial", 31, False),
        ("road_traffic", 7, True),
        ("road_traffic", 8, False),
        ("fire", 7, True),
        ("fire", 8, False),
    ],
    ids=lambda v: str(v),
)
def test_a_casualty_change_re_grades_only_up_to_the_last_day_of_the_window(cast, kind, day, regraded):
    occurred = local(2026, 3, 1, 22, 0)
    accident = _accident_on(cast, occurred, kind)
    with time_machine.travel(local(2026, 3, 1, 23, 59) + timedelta(days=day), tick=False):
        version = follow_up(cast, accident, deaths=5)
    accident.refresh_from_db()
    assert version.within_window is regraded
    assert accident.grade == ("relatively_major" if regraded else "ordinary")
    assert accident.deaths == (5 if regraded else 1)
    assert version.deaths == 5  # the version is kept as reported either way
    assert accident.steps.filter(level="province").exists() is regraded


def test_a_lower_figure_lowers_the_grade_but_never_removes_a_step(cast):
    accident = report(cast, deaths=3)
    follow_up(cast, accident, deaths=1)
    accident.refresh_from_db()
    assert accident.grade == "ordinary"
    assert accident.steps.filter(level="province").exists()


def test_the_county_forwards_to_the_city_and_the_next_deadline_follows(
    cast, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False):
        accident = report(cast, deaths=3, occurred_at=T0 - timedelta(minutes=5))
    at = T0 + timedelta(hours=1, minutes=30)
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        city = services.forward_report(actor=cast["county_office"], accident_pk=accident.pk, level="county")
    assert city.received_at == at
    assert city.is_late is False
    assert accident.steps.get(level="county").forwarded_at == at
    assert accident.steps.get(level="province").due_at == at + timedelta(hours=2)


def test_forwarding_after_two_hours_flags_the_city_step_late(cast):
    with time_machine.travel(T0, tick=False):
        accident = report(cast, occurred_at=T0 - timedelta(minutes=5))
    with time_machine.travel(T0 + timedelta(hours=2, seconds=1), tick=False):
        city = services.forward_report(actor=cast["county_office"], accident_pk=accident.pk, level="county")
    accident.refresh_from_db()
    assert city.is_late is True
    assert accident.is_late is True


def test_the_top_required_level_cannot_forward_further(cast):
    accident = report(cast)
    services.forward_report(actor=cast["county_office"], accident_pk=accident.pk, level="county")
    rows = ReportStep.history.filter(accident_id=accident.pk).count()
    with pytest.raises(DomainError) as error:
        services.forward_report(actor=cast["county_office"], accident_pk=accident.pk, level="city")
    assert (error.value.code, error.value.field) == (ErrorCode.LEVEL_IS_TOP, "level")
    assert accident.steps.get(level="city").forwarded_at is None
    assert ReportStep.history.filter(accident_id=accident.pk).count() == rows


@pytest.mark.parametrize(
    ("level", "twice", "code"),
    [
        ("province", False, ErrorCode.LEVEL_NOT_IN_CHAIN),
        ("city", False, ErrorCode.LEVEL_NOT_RECEIVED),
        ("county", True, ErrorCode.LEVEL_ALREADY_FORWARDED),
    ],
    ids=["a level the grade does not require", "before receiving it", "a second time"],
)
def test_a_level_forwards_once_after_receiving_and_only_up_the_required_chain(cast, level, twice, code):
    accident = report(cast)
    if twice:
        services.forward_report(actor=cast["county_office"], accident_pk=accident.pk, level="county")
    before = list(accident.steps.order_by("level").values_list("received_at", "forwarded_at"))
    with pytest.raises(DomainError) as error:
        services.forward_report(actor=cast["county_office"], accident_pk=accident.pk, level=level)
    assert (error.value.code, error.value.field) == (code, "level")
    assert list(accident.steps.order_by("level").values_list("received_at", "forwarded_at")) == before


def test_the_sweep_flags_an_unforwarded_step_once_its_deadline_passes(cast):
    with time_machine.travel(T0, tick=False):
        accident = report(cast, occurred_at=T0 - timedelta(minutes=5))
    system = audit.system_actor()
    assert services.flag_overdue_steps(actor=system, now=T0 + timedelta(hours=2)) == 0
    assert services.flag_overdue_steps(actor=system, now=T0 + timedelta(hours=2, seconds=1)) == 1
    assert services.flag_overdue_steps(actor=system, now=T0 + timedelta(hours=3)) == 0
    accident.refresh_from_db()
    assert accident.is_late is True


def test_the_sweep_writes_one_history_row_per_flag_as_the_system_user(cast):
    with time_machine.travel(T0, tick=False):
        accident = report(cast, occurred_at=T0 - timedelta(minutes=5))
    city = accident.steps.get(level="city")
    steps_before = ReportStep.history.filter(id=city.pk).count()
    accidents_before = Accident.history.filter(id=accident.pk).count()
    run = sweeps.run(today=T0.date(), now=T0 + timedelta(hours=3))
    sweeps.run(today=T0.date(), now=T0 + timedelta(hours=4))  # a second run flags and writes nothing
    assert run == {"late_steps_flagged": 1, "late_replies_flagged": 0}
    step_rows = ReportStep.history.filter(id=city.pk)
    accident_rows = Accident.history.filter(id=accident.pk)
    assert step_rows.count() == steps_before + 1
    assert accident_rows.count() == accidents_before + 1
    for row in (step_rows.latest("history_id"), accident_rows.latest("history_id")):
        assert row.is_late is True
        assert audit.is_system_actor(row.history_user)
        assert row.history_user is not None
        assert row.history_change_reason


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"deaths": -1}, "deaths", ErrorCode.COUNT_NEGATIVE),
        ({"serious_injuries": -2}, "serious_injuries", ErrorCode.COUNT_NEGATIVE),
        ({"direct_loss_yuan": Decimal("-0.01")}, "direct_loss_yuan", ErrorCode.LOSS_NEGATIVE),
        ({"direct_loss_yuan": Decimal("100.001")}, "direct_loss_yuan", ErrorCode.LOSS_BELOW_CENTS),
        # Collected long before it runs: a day ahead stays in the future however long the suite takes.
        ({"occurred_at": timezone.now() + timedelta(days=1)}, "occurred_at", ErrorCode.OCCURRED_IN_FUTURE),
        (
            {"head_notified_at": timezone.now() - timedelta(days=2)},
            "head_notified_at",
            ErrorCode.HEAD_NOTIFIED_BEFORE_ACCIDENT,
        ),
        ({"place": ""}, "place", Code.INVALID),
    ],
    # Fixed ids: values computed from the clock would differ between pytest-xdist workers.
    ids=[
        "negative deaths",
        "negative serious injuries",
        "negative loss",
        "loss with three decimals",
        "occurred in the future",
        "head notified before the accident",
        "no place",
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(cast, overrides, field, code):
    with pytest.raises(DomainError) as error:
        report(cast, **overrides)
    assert (error.value.code, error.value.field) == (code, field)
    assert not Accident.objects.exists()
    assert not Accident.history.exists()
    assert not ReportStep.objects.exists()


@pytest.mark.parametrize(
    ("who", "overrides", "field", "code"),
    [
        ("town_b", {}, "enterprise", Code.OUT_OF_SCOPE),
        ("town_b", {"enterprise": None}, "region", ErrorCode.REGION_OUT_OF_SCOPE),
        (
            "dept_housing",
            {"enterprise": None, "industry": "hazchem-production"},
            "industry",
            ErrorCode.INDUSTRY_OUT_OF_SCOPE,
        ),
        ("enterprise_x", {"enterprise": None}, "enterprise", ErrorCode.ENTERPRISE_REQUIRED),
        ("enterprise_x", {"industry": "hazchem-production"}, "industry", ErrorCode.INDUSTRY_OUT_OF_SCOPE),
        ("enterprise_x", {"region": "110101000000"}, "region", ErrorCode.REGION_OUT_OF_SCOPE),
        ("county_office", {"region": "340000000000"}, "region", ErrorCode.REGION_ABOVE_COUNTY),
    ],
    ids=[
        "town B: enterprise X",
        "town B: town A's village",
        "housing: hazardous chemicals",
        "enterprise: without itself",
        "enterprise: another industry",
        "enterprise: another county",
        "county office: the province",
    ],
)
def test_a_region_industry_or_enterprise_outside_the_reporters_scope_is_refused(
    cast, who, overrides, field, code
):
    if "industry" in overrides:
        overrides["industry"] = industry(overrides["industry"])
    if "region" in overrides:
        overrides["region"] = Region.objects.get(pk=overrides["region"])
    with pytest.raises(DomainError) as error:
        report(cast, actor=cast[who], **overrides)
    assert (error.value.code, error.value.field) == (code, field)
    assert not Accident.objects.exists()
    assert not Accident.history.exists()


def test_an_enterprise_reports_an_accident_off_its_premises_inside_its_county(cast):
    accident = report(cast, region=cast.village_b)
    assert accident.region == cast.village_b
    assert accident.enterprise == cast.enterprise_x


def test_a_town_reports_a_road_accident_without_an_enterprise(cast):
    accident = report(
        cast,
        actor=cast["town_a"],
        enterprise=None,
        kind="road_traffic",
        type_code="02",
        industry=industry("road-transport"),
    )
    assert accident.enterprise is None
    assert "新安镇" not in accident.title or accident.region == cast.village_a


def test_roles_without_the_right_cannot_report(cast):
    with pytest.raises(PermissionDenied):
        report(cast, actor=cast["leader"])
    with pytest.raises(PermissionDenied):
        report(cast, actor=cast["grid_worker"])


def test_a_follow_up_on_an_accident_out_of_scope_is_404(cast):
    accident = report(cast)
    with pytest.raises(Http404):
        follow_up(cast, accident, actor=cast["town_b"], deaths=2)
    assert accident.reports.count() == 1


# ---------------------------------------------------------------- findings and investigation


def test_the_county_office_records_a_concealment_finding(cast):
    accident = report(cast)
    finding = services.record_finding(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        reported=False,
        deadline_passed=True,
        concealment_verified=True,
        description="经查证属实",
        found_on=timezone.localdate(),
    )
    assert finding.kinds == [ReportingFinding.Kind.CONCEALED]
    assert str(finding) == "瞒报"
    with pytest.raises(PermissionDenied):
        services.record_finding(
            actor=cast["town_a"],
            accident_pk=accident.pk,
            omission=True,
            omission_by_negligence=True,
            description="x",
            found_on=timezone.localdate(),
        )
    assert ReportingFinding.objects.count() == 1


def _investigation(cast, accident):
    return services.open_investigation(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        data={"lead_organ": "来安县人民政府", "team_leader": "张组长", "started_on": accident.occurred_on},
    )


def test_an_investigation_is_led_by_the_level_of_the_grade_and_due_in_sixty_days(cast):
    accident = report(cast, deaths=3)
    investigation = _investigation(cast, accident)
    assert investigation.level == "city"
    assert investigation.due_on == accident.occurred_on + timedelta(days=60)
    assert investigation.status == Investigation.Status.ONGOING


def test_an_investigation_is_extended_once_by_at_most_sixty_days(cast):
    accident = report(cast)
    _investigation(cast, accident)
    with pytest.raises(DomainError) as error:
        services.extend_investigation(
            actor=cast["county_office"],
            accident_pk=accident.pk,
            days=61,
            approved_by="县政府",
            reason="技术鉴定",
        )
    assert (error.value.code, error.value.field) == (ErrorCode.EXTENSION_DAYS, "days")
    assert Investigation.objects.get().status == Investigation.Status.ONGOING
    extended = services.extend_investigation(
        actor=cast["county_office"], accident_pk=accident.pk, days=60, approved_by="县政府", reason="技术鉴定"
    )
    assert extended.due_on == accident.occurred_on + timedelta(days=120)
    assert extended.status == Investigation.Status.EXTENDED
    with pytest.raises(DomainError) as again:
        services.extend_investigation(
            actor=cast["county_office"], accident_pk=accident.pk, days=10, approved_by="县政府", reason="再延"
        )
    assert again.value.code == Code.ILLEGAL_TRANSITION
    unchanged = Investigation.objects.get()
    assert (unchanged.status, unchanged.extended_days, unchanged.due_on) == (
        Investigation.Status.EXTENDED,
        60,
        accident.occurred_on + timedelta(days=120),
    )


def test_a_responsible_unit_becomes_a_dishonesty_list_candidate(cast):
    accident = report(cast)
    _investigation(cast, accident)
    unit = services.add_responsibility(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        data={
            "party": "unit",
            "enterprise": cast.enterprise_x,
            "finding": "安全管理不到位",
            "recommended_handling": "罚款",
        },
    )
    person = services.add_responsibility(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        data={
            "party": "person",
            "name": "李四",
            "position": "项目经理",
            "finding": "违章指挥",
            "recommended_handling": "吊销证书",
        },
    )
    assert unit.is_dishonesty_candidate is True
    assert unit.name == cast.enterprise_x.name
    assert unit.candidate_basis
    assert person.is_dishonesty_candidate is False


def test_a_responsible_unit_outside_the_investigators_scope_is_refused_on_the_field(cast):
    accident = report(cast)
    _investigation(cast, accident)
    with pytest.raises(DomainError) as error:
        services.add_responsibility(
            actor=cast["dept_housing"],
            accident_pk=accident.pk,
            data={
                "party": "unit",
                "enterprise": cast.enterprise_y,
                "finding": "安全管理不到位",
                "recommended_handling": "罚款",
            },
        )
    assert (error.value.code, error.value.field) == (Code.OUT_OF_SCOPE, "enterprise")
    assert not Responsibility.objects.exists()


def test_an_investigation_closes_only_when_every_measure_is_done(cast):
    accident = report(cast)
    _investigation(cast, accident)
    office = cast["county_office"]
    services.conclude_investigation(actor=office, accident_pk=accident.pk, direct_cause="未系安全带")
    measure = services.add_measure(
        actor=office,
        accident_pk=accident.pk,
        description="全面排查脚手架",
        responsible_party="建工集团",
        due_on=date.today() + timedelta(days=30),
    )
    with pytest.raises(DomainError) as refused:
        services.close_investigation(actor=office, accident_pk=accident.pk)
    assert refused.value.code == ErrorCode.MEASURES_OPEN
    assert Investigation.objects.get().status == Investigation.Status.CONCLUDED
    services.complete_measure(
        actor=office,
        accident_pk=accident.pk,
        measure_pk=measure.pk,
        completed_on=timezone.localdate(),
        note="已完成排查",
    )
    closed = services.close_investigation(actor=office, accident_pk=accident.pk)
    assert closed.status == Investigation.Status.CLOSED
    assert PreventiveMeasure.objects.get().status == "done"
    with pytest.raises(DomainError) as closed_error:
        services.add_measure(
            actor=office, accident_pk=accident.pk, description="x", responsible_party="y", due_on=date.today()
        )
    assert closed_error.value.code == ErrorCode.INVESTIGATION_CLOSED
    assert PreventiveMeasure.objects.count() == 1


def test_an_enterprise_cannot_manage_the_investigation_of_its_own_accident(cast):
    accident = report(cast)
    with pytest.raises(PermissionDenied):
        services.open_investigation(
            actor=cast["enterprise_x"], accident_pk=accident.pk, data={"lead_organ": "x", "team_leader": "y"}
        )
    assert not Investigation.objects.exists()


def test_the_economy_figures_are_entered_by_the_county_office_only(cast):
    figures = services.save_economy(
        actor=cast["county_office"],
        region_pk=cast.county.pk,
        year=2025,
        gdp_yi=Decimal("320.50"),
        industrial_employment=80000,
    )
    assert figures.history.count() == 1
    with pytest.raises(PermissionDenied):
        services.save_economy(
            actor=cast["town_a"],
            region_pk=cast.town_a.pk,
            year=2025,
            gdp_yi=Decimal("1"),
            industrial_employment=1,
        )
    assert list(RegionEconomy.objects.values_list("region_id", flat=True)) == [cast.county.pk]


def test_a_near_miss_is_recorded_in_scope(cast):
    event = services.record_minor_event(
        actor=cast["enterprise_x"],
        data={
            "kind": "near_miss",
            "occurred_at": timezone.now(),
            "region": cast.village_a,
            "enterprise": cast.enterprise_x,
            "industry": industry("construction"),
            "description": "吊物险些坠落",
        },
    )
    assert event.history.count() == 1


def test_the_accident_counts_the_missing_with_the_dead_as_the_grade_does(cast):
    accident = report(cast, deaths=2, missing=1)
    assert accident.counted_deaths == 3
    assert accident.grade == "relatively_major"
    assert accident.grade_criterion == "deaths"
