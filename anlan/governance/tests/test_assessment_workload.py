"""重点工作量分 and its deductions from governance's own records: the 工作任务清单 tasks done on time or late, the
安委会 decisions closed on time or late, and the campaigns' monthly cards reported by their deadline — each
counted for the unit that carries it, in one query, with the records behind it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anlan.governance import rules
from anlan.governance.models import CardReport, DecisionTask, TaskCard, WorkTask
from anlan.governance.selectors import assessment_facts as facts
from anlan.governance.services import assessment as assessment_services
from anlan.governance.services import campaigns as campaign_services
from anlan.governance.tests import factories_assessment as f
from anlan.governance.tests import factories_campaigns as fc
from anlan.governance.tests import factories_duties as fd

pytestmark = pytest.mark.django_db


def _days_ago(days: int):
    """A day earlier this year (the providers read the year's records only)."""
    day = timezone.localdate() - timedelta(days=days)
    if day.year != timezone.localdate().year:
        pytest.skip("needs earlier days of the same year")
    return day


def _counts(key, cast) -> dict[int, int]:
    return {unit: found.occurrences for unit, found in facts.facts_for(key, f.context(cast)).items()}


# ---------------------------------------------------------------- 工作任务清单


def _done(cast, *, due_on, completed_on, **kw):
    task = fd.task(cast, due_on=due_on, **kw)
    WorkTask.objects.filter(pk=task.pk).update(status=WorkTask.Status.DONE, completed_on=completed_on)
    return task


def test_a_task_confirmed_done_on_its_due_date_counts_on_time_and_not_late(cast):
    today = timezone.localdate()
    task = fd.confirmed(cast, due_on=today)  # reported today, the due date
    housing = f.unit_of(cast.dept_housing).pk
    found = facts.facts_for("duties.tasks_on_time", f.context(cast))
    assert found[housing].occurrences == 1
    assert found[housing].records == [
        {
            "id": task.pk,
            "label": f"{today:%Y-%m-%d} 开展建筑施工安全专项检查",
            "url": reverse("governance:task-detail", args=[task.pk]),
        }
    ]
    assert _counts("duties.tasks_late", cast) == {}


def test_a_task_done_a_day_after_its_due_date_is_late_not_on_time(cast):
    _done(cast, due_on=_days_ago(2), completed_on=_days_ago(1))
    housing = f.unit_of(cast.dept_housing).pk
    assert _counts("duties.tasks_on_time", cast) == {}
    assert _counts("duties.tasks_late", cast) == {housing: 1}


def test_an_open_task_is_late_the_day_after_its_due_date_and_not_on_it(cast):
    today = timezone.localdate()
    fd.task(cast, due_on=today)
    assert _counts("duties.tasks_late", cast) == {}
    WorkTask.objects.update(due_on=_days_ago(1))
    assert _counts("duties.tasks_late", cast) == {f.unit_of(cast.dept_housing).pk: 1}


def test_a_task_completed_after_the_cut_off_day_does_not_count_yet(cast):
    today = timezone.localdate()
    _done(cast, due_on=today + timedelta(days=5), completed_on=today + timedelta(days=1))
    assert _counts("duties.tasks_on_time", cast) == {}


def test_a_task_of_another_year_counts_for_neither(cast):
    today = timezone.localdate()
    task = _done(cast, due_on=today, completed_on=today)
    WorkTask.objects.filter(pk=task.pk).update(year=today.year - 1)
    assert _counts("duties.tasks_on_time", cast) == {}
    assert _counts("duties.tasks_late", cast) == {}


def test_each_unit_gets_its_own_tasks_in_one_query(cast):
    today = timezone.localdate()
    fd.confirmed(cast, due_on=today)
    fd.confirmed(cast, due_on=today)
    town = f.unit_of(cast.town_a)
    _done(cast, due_on=today, completed_on=today, unit=town, actor=cast["town_a"])
    ctx = f.context(cast)
    with CaptureQueriesContext(connection) as queries:
        found = facts.facts_for("duties.tasks_on_time", ctx)
    assert len(queries) == 1
    assert {unit: x.occurrences for unit, x in found.items()} == {
        f.unit_of(cast.dept_housing).pk: 2,
        town.pk: 1,
    }


# ---------------------------------------------------------------- 安委会议定事项


def _housing_decision(cast, *, due_on, reported=True, closed=True):
    task = fc.reported_task(cast) if reported else fc.housing_task(cast)
    DecisionTask.objects.filter(decision=task.decision).update(due_on=due_on)
    if closed:
        campaign_services.decide_task(actor=cast["county_office"], task_pk=task.pk, step="close")
    return task


def test_a_decision_reported_on_its_due_date_and_closed_counts_on_time(cast):
    task = _housing_decision(cast, due_on=timezone.localdate())
    housing = f.unit_of(cast.dept_housing).pk
    found = facts.facts_for("decisions.closed_on_time", f.context(cast))
    assert found[housing].occurrences == 1
    assert found[housing].records[0]["url"] == reverse("governance:decision-task-detail", args=[task.pk])
    assert _counts("decisions.late", cast) == {}  # town A's part is due today, not yet late


def test_a_decision_reported_the_day_after_its_due_date_is_late_even_once_closed(cast):
    _housing_decision(cast, due_on=_days_ago(1))
    housing, town = f.unit_of(cast.dept_housing).pk, f.unit_of(cast.town_a).pk
    assert _counts("decisions.closed_on_time", cast) == {}
    assert _counts("decisions.late", cast) == {housing: 1, town: 1}  # town A never reported


def test_a_reported_decision_not_yet_closed_is_not_on_time(cast):
    _housing_decision(cast, due_on=timezone.localdate(), closed=False)
    assert _counts("decisions.closed_on_time", cast) == {}


def test_an_open_decision_is_late_the_day_after_its_due_date_and_not_on_it(cast):
    task = _housing_decision(cast, due_on=timezone.localdate(), reported=False, closed=False)
    assert _counts("decisions.late", cast) == {}
    DecisionTask.objects.filter(decision=task.decision).update(due_on=_days_ago(1))
    assert _counts("decisions.late", cast) == {
        f.unit_of(cast.dept_housing).pk: 1,
        f.unit_of(cast.town_a).pk: 1,
    }


# ---------------------------------------------------------------- 专项整治 monthly cards


def _town_a_reports(cast):
    task = fc.town_a_card_task(cast, confirmed=True)
    campaign_services.report_card(
        actor=cast["town_a"],
        task_pk=task.pk,
        data={"enterprises_checked": 3, "hazards_found": 1, "hazards_rectified": 1, "text": "已完成。"},
    )
    return CardReport.objects.get()


def test_a_card_reported_by_its_deadline_counts_for_the_member_unit(cast):
    report = _town_a_reports(cast)
    TaskCard.objects.update(report_by=timezone.localdate())  # the deadline is today: still on time
    found = facts.facts_for("campaigns.cards_reported_on_time", f.context(cast))
    town = f.unit_of(cast.town_a).pk
    assert found[town].occurrences == 1
    assert found[town].records == [
        {
            "id": report.pk,
            "label": report.card.title,
            "url": reverse("governance:card-detail", args=[report.card_id]),
        }
    ]


def test_a_card_reported_after_its_deadline_does_not_count(cast):
    _town_a_reports(cast)
    TaskCard.objects.update(report_by=_days_ago(1))
    assert _counts("campaigns.cards_reported_on_time", cast) == {}


# ---------------------------------------------------------------- in a scoring run


def test_a_run_adds_the_workload_points_and_deducts_the_late_tasks_with_their_records(cast):
    units = f.cast_units(cast)
    today = timezone.localdate()
    on_time = [_done(cast, due_on=today, completed_on=today) for _ in range(2)]
    _done(cast, due_on=_days_ago(2), completed_on=_days_ago(1), unit=units["town_a"], actor=cast["town_a"])
    scheme = f.draft_scheme(cast)
    for row in (
        ("工作任务清单按期完成", rules.WORKLOAD, rules.PROCESS, "all", "duties.tasks_on_time", "0.5", "5"),
        ("工作任务未按期完成", rules.DEDUCTION, rules.PROCESS, "all", "duties.tasks_late", "1", "5"),
    ):
        assessment_services.add_indicator(
            actor=cast["county_office"], scheme_pk=scheme.pk, data=f.indicator_data(row)
        )
    assessment_services.publish_scheme(actor=cast["county_office"], scheme_pk=scheme.pk)
    run = assessment_services.start_scoring(actor=cast["county_office"], scheme_pk=scheme.pk)
    housing, town_a = f.result_of(run, units["dept_housing"]), f.result_of(run, units["town_a"])
    assert (housing.score, housing.rank) == (Decimal("101"), 1)
    assert town_a.score == Decimal("99")
    line = housing.lines.get(indicator__provider="duties.tasks_on_time")
    assert (line.occurrences, line.points) == (2, Decimal("1"))
    assert [record["id"] for record in line.records] == [task.pk for task in on_time]
    assert town_a.lines.get(indicator__provider="duties.tasks_late").points == Decimal("-1")
