"""Drills (应急演练): recording a held drill of a published plan, evaluation, problems made hazards, the report to
the county-level department and its acknowledgement, each plan's compliance with its frequency, the sweep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from anlan.core.errors import DomainError
from anlan.emergency import rules
from anlan.emergency.models import Drill
from anlan.emergency.selectors import drills as selectors
from anlan.emergency.services import drills as services
from anlan.emergency.tests.factories_plans import enterprise_plan, housing_unit
from anlan.hazards.models import Hazard
from anlan.notifications.models import Notification

PUBLISHED = date(2026, 3, 2)


def _data(**overrides):
    data = {
        "title": "塔吊倒塌综合应急演练",
        "kind": "combined",
        "held_on": timezone.localdate() - timedelta(days=1),
        "place": "项目部",
        "scenario": "塔吊倒塌，人员被困",
        "participants": 30,
    }
    data.update(overrides)
    return data


def _record(cast, plan=None, **overrides) -> Drill:
    plan = plan or enterprise_plan(cast, state="published", day=PUBLISHED)
    return services.record_drill(actor=cast["enterprise_x"], plan_pk=plan.pk, data=_data(**overrides))


def _evaluate(cast, drill, **overrides):
    data = {"evaluated_on": drill.held_on, "conclusion": "basic", "evaluation": "基本达到预期"}
    data.update(overrides)
    return services.evaluate_drill(actor=cast["enterprise_x"], drill_pk=drill.pk, data=data)


def test_a_drill_is_held_between_the_plans_publication_and_today(cast):
    plan = enterprise_plan(cast, state="published", day=PUBLISHED)
    for day in (timezone.localdate() + timedelta(days=1), PUBLISHED - timedelta(days=1)):
        with pytest.raises(DomainError) as refused:
            _record(cast, plan, held_on=day)
        assert refused.value.field == "held_on"
    assert _record(cast, plan, held_on=PUBLISHED).held_on == PUBLISHED
    assert _record(cast, plan, held_on=timezone.localdate()).status == Drill.Status.HELD


def test_only_a_published_plans_owner_records_its_drill(cast):
    draft = enterprise_plan(cast, state="draft")
    with pytest.raises(DomainError) as refused:
        _record(cast, draft)
    assert refused.value.field == "plan"
    plan = enterprise_plan(cast, state="published", day=PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.record_drill(actor=cast["dept_housing"], plan_pk=plan.pk, data=_data())


def test_evaluation_is_dated_from_the_drill_to_today_and_given_once(cast):
    drill = _record(cast)
    with pytest.raises(DomainError) as refused:
        _evaluate(cast, drill, evaluated_on=drill.held_on - timedelta(days=1))
    assert refused.value.field == "evaluated_on"
    with pytest.raises(DomainError):
        _evaluate(cast, drill, evaluation=" ")
    _evaluate(cast, drill)
    with pytest.raises(DomainError):
        _evaluate(cast, drill)


def test_a_drill_is_reported_after_evaluation_to_the_supervising_department_which_alone_acknowledges(cast):
    drill = _record(cast)
    with pytest.raises(DomainError):
        services.report_drill(actor=cast["enterprise_x"], drill_pk=drill.pk)
    _evaluate(cast, drill)
    services.report_drill(actor=cast["enterprise_x"], drill_pk=drill.pk)
    drill.refresh_from_db()
    assert drill.reported_to == housing_unit(cast)
    assert Notification.objects.filter(
        kind="emergency.drill_reported", recipient=cast["dept_housing"]
    ).exists()
    assert list(selectors.reports_to_acknowledge(cast["dept_housing"])) == [drill]
    for outsider in ("enterprise_x", "county_office"):
        with pytest.raises(PermissionDenied):
            services.acknowledge_drill(actor=cast[outsider], drill_pk=drill.pk)
    services.acknowledge_drill(actor=cast["dept_housing"], drill_pk=drill.pk)
    drill.refresh_from_db()
    assert (drill.status, drill.acknowledged_by) == (Drill.Status.ACKNOWLEDGED, cast["dept_housing"])
    assert list(selectors.reports_to_acknowledge(cast["dept_housing"])) == []


def test_a_problem_becomes_one_hazard_of_the_enterprise_found_in_the_drill(cast):
    drill = _record(cast)
    problem = services.add_problem(
        actor=cast["enterprise_x"], drill_pk=drill.pk, description="应急广播覆盖不全"
    )
    hazard = services.problem_to_hazard(
        actor=cast["enterprise_x"], problem_pk=problem.pk, due_on=timezone.localdate() + timedelta(days=30)
    )
    assert (hazard.source, hazard.enterprise, hazard.found_on) == (
        Hazard.Source.DRILL,
        cast.enterprise_x,
        drill.held_on,
    )
    assert "应急广播覆盖不全" in hazard.description
    with pytest.raises(DomainError):
        services.problem_to_hazard(
            actor=cast["enterprise_x"],
            problem_pk=problem.pk,
            due_on=timezone.localdate() + timedelta(days=30),
        )
    assert Hazard.objects.filter(source=Hazard.Source.DRILL).count() == 1


def _status(cast, plan):
    (row,) = [
        r
        for r in selectors.compliance_rows(type(plan).objects.filter(pk=plan.pk), today=timezone.localdate())
    ]
    return row


def test_compliance_counts_from_publication_and_the_last_drill_with_the_due_soon_edge(cast):
    plan = enterprise_plan(cast, state="published", day=PUBLISHED)
    # 建筑施工: every half year (条例 第八条), the stricter of that and the plan kind's yearly drill.
    row = _status(cast, plan)
    assert row.requirement.months == 6 and row.requirement.report_to == rules.COUNTY_DEPARTMENT
    today = timezone.localdate()
    expected = rules.drill_status(None, requirement=row.requirement, today=today, since=PUBLISHED)
    assert (row.last_drilled_on, row.status) == (None, expected)
    edge = rules.add_months(today + timedelta(days=30), -6)  # due exactly 30 days from today
    if edge >= PUBLISHED:
        Drill.objects.all().delete()
        _record(cast, plan, held_on=edge)
        assert _status(cast, plan).status == rules.DUE_SOON
        Drill.objects.filter(plan=plan).update(held_on=edge + timedelta(days=1))
        assert _status(cast, plan).status == rules.ON_TIME


def test_the_sweep_tells_the_owner_of_an_overdue_plan_once(cast):
    plan = enterprise_plan(cast, state="published", day=PUBLISHED)
    today = rules.add_months(PUBLISHED, 6) + timedelta(days=1)
    assert services.sweep(today=today, now=timezone.now())["overdue_notices"] == 1
    assert services.sweep(today=today, now=timezone.now())["overdue_notices"] == 0
    message = Notification.objects.get(kind="emergency.drill_overdue")
    assert message.recipient == cast["enterprise_x"] and plan.title in message.title


def test_the_compliance_page_lists_the_plan_with_its_status_and_counts(cast, client):
    enterprise_plan(cast, state="published", day=PUBLISHED)
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("emergency:drill-compliance")).content.decode()
    assert "来安县建工集团生产安全事故综合应急预案" in page
    client.force_login(cast["town_b"])
    assert "来安县建工集团" not in client.get(reverse("emergency:drill-compliance")).content.decode()
