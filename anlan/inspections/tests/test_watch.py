"""Issue #14 (seed-map C8–C10): 盯守 of suspended units, 联合惩戒措施 as receipt-confirmed tasks, 跟踪问效 of closed
and exited units."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anlan.core import receipts, units
from anlan.core.errors import DomainError
from anlan.core.models import Enterprise, ReceiptTask, Unit
from anlan.core.rules import RuleViolation
from anlan.inspections import rules, selectors, services
from anlan.inspections.errors import ErrorCode
from anlan.inspections.models import (
    ScoreProposal,
    ScoringRule,
    Suspension,
    WatchPlan,
    WatchVisit,
)
from anlan.inspections.services import watch as watch_services
from anlan.notifications.models import Notification

TODAY = date(2026, 6, 30)


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "last, started, every, due",
    [
        (None, date(2026, 6, 1), 7, date(2026, 6, 8)),
        (date(2026, 6, 10), date(2026, 6, 1), 7, date(2026, 6, 17)),
        (date(2026, 12, 29), date(2026, 1, 1), 7, date(2027, 1, 5)),
        (None, date(2026, 2, 28), 1, date(2026, 3, 1)),
        (None, date(2026, 1, 1), 366, date(2027, 1, 2)),
        (date(2026, 3, 31), date(2026, 1, 1), 90, date(2026, 6, 29)),
    ],
)
def test_next_watch_due(last, started, every, due):
    assert rules.next_watch_due(last, started, every) == due


@pytest.mark.parametrize("every", [0, -1, 367])
def test_next_watch_due_refuses_an_interval_out_of_bounds(every):
    with pytest.raises(RuleViolation) as caught:
        rules.next_watch_due(None, TODAY, every)
    assert caught.value.code == ErrorCode.WATCH_INTERVAL_INVALID


@pytest.mark.parametrize(
    "due, today, overdue",
    [
        (TODAY, TODAY, False),
        (TODAY, TODAY + timedelta(days=1), True),
        (TODAY, TODAY - timedelta(days=1), False),
    ],
)
def test_watch_overdue_from_the_day_after(due, today, overdue):
    assert rules.watch_overdue(due, today) is overdue


# ---------------------------------------------------------------- fixtures


def _suspend(cast, recorded):
    finding = recorded.answers.filter(result="non_compliant").first()
    return services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded.pk,
        data={"kind": "suspension", "legal_basis": "《安全生产法》第六十五条", "description": "停产整顿"},
        finding_ids=[finding.pk],
    ).suspension


@pytest.fixture
def suspension_x(cast, recorded_x):
    return _suspend(cast, recorded_x)


@pytest.fixture
def rule():
    return ScoringRule.objects.create(
        code=rules.UNAUTHORISED_RESUMPTION_RULE, violation="擅自复产", points=12
    )


def _visit(actor, plan, **data):
    return services.record_visit(
        actor=actor,
        plan_pk=plan.pk,
        data={"visited_on": timezone.localdate(), "observation": "大门紧闭，无人员作业"} | data,
    )


def _resume(cast, suspension):
    application = services.apply_resumption(
        actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改"
    )
    for signer in ("dept_housing", "leader"):
        services.decide_resumption(actor=cast[signer], application_pk=application.pk, approve=True)


# ---------------------------------------------------------------- 盯守


def test_a_suspension_order_makes_its_watch_plan_with_the_local_watchers(cast, suspension_x):
    plan = WatchPlan.objects.get(suspension=suspension_x)
    assert plan.kind == WatchPlan.Kind.WATCH and plan.is_active
    assert plan.department_id == cast.dept_housing.pk
    assert plan.every_days == rules.WATCH_EVERY_DAYS
    assert plan.next_due_on == timezone.localdate() + timedelta(days=rules.WATCH_EVERY_DAYS)
    assert set(plan.watchers.all()) == {cast["grid_worker"], cast["town_a"]}


def test_the_department_edits_the_plan_with_watchers_in_scope_only(cast, suspension_x):
    plan = suspension_x.watch_plan
    services.save_watch_plan(
        actor=cast["dept_housing"], plan_pk=plan.pk, every_days=3, watcher_ids=[cast["dept_housing"].pk]
    )
    plan.refresh_from_db()
    assert plan.every_days == 3 and list(plan.watchers.all()) == [cast["dept_housing"]]
    assert plan.next_due_on == plan.started_on + timedelta(days=3)
    with pytest.raises(DomainError) as caught:
        services.save_watch_plan(
            actor=cast["dept_housing"], plan_pk=plan.pk, every_days=3, watcher_ids=[cast["town_b"].pk]
        )
    assert caught.value.code == ErrorCode.WATCHER_OUT_OF_SCOPE
    with pytest.raises(DomainError) as caught:
        services.save_watch_plan(
            actor=cast["dept_housing"], plan_pk=plan.pk, every_days=0, watcher_ids=[cast["town_a"].pk]
        )
    assert caught.value.code == ErrorCode.WATCH_INTERVAL_INVALID


def test_a_watcher_records_a_visit_and_the_next_due_date_moves_on(cast, suspension_x):
    plan = suspension_x.watch_plan
    earlier = timezone.localdate()
    visit = _visit(cast["grid_worker"], plan, visited_on=earlier)
    plan.refresh_from_db()
    assert visit.watcher == cast["grid_worker"] and not visit.producing
    assert plan.last_visit_on == earlier
    assert plan.next_due_on == earlier + timedelta(days=plan.every_days)
    suspension_x.refresh_from_db()
    assert suspension_x.unauthorised_production_at is None


def test_a_visit_is_refused_in_the_future_without_an_observation_or_by_a_non_watcher(cast, suspension_x):
    plan = suspension_x.watch_plan
    with pytest.raises(DomainError) as caught:
        _visit(cast["grid_worker"], plan, visited_on=timezone.localdate() + timedelta(days=1))
    assert caught.value.code == ErrorCode.VISIT_IN_FUTURE
    with pytest.raises(DomainError) as caught:
        _visit(cast["grid_worker"], plan, observation=" ")
    assert caught.value.code == ErrorCode.OBSERVATION_MISSING
    plan.watchers.set([cast["town_a"]])
    with pytest.raises(DomainError) as caught:
        _visit(cast["grid_worker"], plan)
    assert caught.value.code == ErrorCode.NOT_A_WATCHER
    # The department manages the plan and may record a visit itself.
    _visit(cast["dept_housing"], plan)


def test_production_found_on_a_watch_visit_goes_down_the_unauthorised_production_path(
    cast, suspension_x, rule, django_capture_on_commit_callbacks
):
    plan = suspension_x.watch_plan
    with django_capture_on_commit_callbacks(execute=True):
        visit = _visit(cast["grid_worker"], plan, producing=True, observation="夜间塔吊作业，工人进场")
    suspension_x.refresh_from_db()
    assert suspension_x.unauthorised_production_at is not None
    assert suspension_x.unauthorised_production_visit == visit
    assert suspension_x.unauthorised_production_by is None
    proposal = ScoreProposal.objects.get(watch_visit=visit)
    assert proposal.rule == rule and proposal.inspection is None
    assert Notification.objects.filter(
        recipient=cast["dept_housing"], kind=services.UNAUTHORISED_PRODUCTION
    ).exists()
    assert Notification.objects.filter(
        recipient=cast["county_office"], kind=services.UNAUTHORISED_PRODUCTION
    ).exists()
    # Confirming the proposal scores the person, with no inspection behind it.
    entry = services.confirm_score_proposal(
        actor=cast["dept_housing"], proposal_pk=proposal.pk, name="赵经理", position="主要负责人"
    )
    assert entry.points == 12 and entry.inspection is None


def test_resumption_ends_the_watch(cast, suspension_x):
    _resume(cast, suspension_x)
    plan = WatchPlan.objects.get(suspension=suspension_x)
    assert not plan.is_active and plan.ended_on == timezone.localdate()
    with pytest.raises(DomainError) as caught:
        _visit(cast["grid_worker"], plan)
    assert caught.value.code == ErrorCode.WATCH_PLAN_ENDED


# ---------------------------------------------------------------- the sweep


def _run(day):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return watch_services.sweep(today=day, now=timezone.now())


def test_the_sweep_flags_a_missed_visit_once_per_due_date(cast, suspension_x):
    plan = suspension_x.watch_plan
    today = timezone.localdate()
    due = today - timedelta(days=13)
    WatchPlan.objects.filter(pk=plan.pk).update(started_on=today - timedelta(days=20), next_due_on=due)
    assert _run(due)["overdue"] == 0  # due that day is not overdue yet
    assert _run(due + timedelta(days=1))["overdue"] == 1
    assert _run(today)["overdue"] == 0
    plan.refresh_from_db()
    assert plan.flagged_for == due
    sent = Notification.objects.filter(kind=watch_services.WATCH_OVERDUE, recipient=cast["dept_housing"])
    assert sent.count() == 1
    # A visit moves the due date on and re-arms the flag: the next missed due date is flagged once again.
    _visit(cast["grid_worker"], plan)
    plan.refresh_from_db()
    assert plan.next_due_on == today + timedelta(days=plan.every_days)
    assert _run(plan.next_due_on + timedelta(days=1))["overdue"] == 1
    assert _run(plan.next_due_on + timedelta(days=1))["overdue"] == 0
    assert sent.count() == 2


def test_the_sweep_makes_missing_plans_and_ends_resumed_ones(cast, suspension_x):
    WatchPlan.objects.filter(suspension=suspension_x).delete()
    assert _run(timezone.localdate())["watch_plans"] == 1
    assert _run(timezone.localdate())["watch_plans"] == 0
    plan = WatchPlan.objects.get(suspension=suspension_x)
    Suspension.objects.filter(pk=suspension_x.pk).update(status=Suspension.Status.RESUMED)
    assert _run(timezone.localdate())["ended"] == 1
    plan.refresh_from_db()
    assert not plan.is_active


# ---------------------------------------------------------------- 联合惩戒措施


@pytest.fixture
def power_company(cast):
    return Unit.objects.create(kind=Unit.Kind.OUTSIDE_BODY, name="国网来安县供电公司", region=cast.county)


def test_joint_measures_go_to_the_chosen_units_as_receipt_tasks(cast, suspension_x, power_company):
    police = Unit.objects.create(kind=Unit.Kind.OUTSIDE_BODY, name="来安县公安局", region=cast.county)
    power = services.send_joint_measure(
        actor=cast["dept_housing"], suspension_pk=suspension_x.pk, kind="power", recipient_pk=power_company.pk
    )
    explosives = services.send_joint_measure(
        actor=cast["dept_housing"], suspension_pk=suspension_x.pk, kind="explosives", recipient_pk=police.pk
    )
    assert power.task.recipient_unit == power_company and power.task.kind == watch_services.MEASURE_TASK
    assert explosives.task.recipient_unit == police
    assert power.task.subject == power and power.task.status == ReceiptTask.Status.PENDING
    with pytest.raises(DomainError) as caught:
        services.send_joint_measure(
            actor=cast["dept_housing"], suspension_pk=suspension_x.pk, kind="power", recipient_pk=police.pk
        )
    assert caught.value.code == ErrorCode.MEASURE_ALREADY_SENT
    with pytest.raises(DomainError) as caught:  # an enterprise is not a body that takes measures
        services.send_joint_measure(
            actor=cast["dept_housing"],
            suspension_pk=suspension_x.pk,
            kind="licence",
            recipient_pk=units.unit_for(cast.enterprise_x).pk,
        )
    assert caught.value.code == ErrorCode.MEASURE_RECIPIENT_INVALID
    with pytest.raises(
        DomainError
    ) as caught:  # the ordering department itself: its 暂扣 is an enforcement action
        services.send_joint_measure(
            actor=cast["dept_housing"],
            suspension_pk=suspension_x.pk,
            kind="licence",
            recipient_pk=units.unit_for(cast.dept_housing).pk,
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.MEASURE_RECIPIENT_INVALID, "recipient")
    assert "执法措施" in str(caught.value.message)
    ordering = units.unit_for(cast.dept_housing)
    assert ordering not in services.measure_recipients(cast["dept_housing"], suspension_x)
    assert police in services.measure_recipients(cast["dept_housing"], suspension_x)


def test_the_suspension_page_lists_measures_with_their_receipt_status(
    cast, suspension_x, power_company, client
):
    measure = services.send_joint_measure(
        actor=cast["dept_housing"], suspension_pk=suspension_x.pk, kind="power", recipient_pk=power_company.pk
    )
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("inspections:suspension-detail", args=[suspension_x.pk])).content.decode()
    assert "限制供电" in page and "待确认" in page and "国网来安县供电公司" in page
    assert "盯守计划与巡查记录" in page
    receipts.confirm_receipt(actor=_member_of(power_company), task=measure.task)
    page = client.get(reverse("inspections:suspension-detail", args=[suspension_x.pk])).content.decode()
    assert "已确认" in page


def _member_of(unit):
    from anlan.core.models import Person
    from anlan.core.tests.factories import UserFactory

    user = UserFactory(username=f"member{unit.pk}")
    Person.objects.create(name="供电公司联络员", employer=unit, user=user)
    return user


def test_the_recipient_confirms_on_the_measure_page_and_lifting_follows_resumption(
    cast, suspension_x, power_company, client
):
    measure = services.send_joint_measure(
        actor=cast["dept_housing"], suspension_pk=suspension_x.pk, kind="power", recipient_pk=power_company.pk
    )
    member = _member_of(power_company)
    assert list(selectors.measures_to_confirm(member)) == [measure]
    client.force_login(member)
    url = reverse("inspections:joint-measure-detail", args=[measure.pk])
    assert "确认收到并落实" in client.get(url).content.decode()
    client.post(reverse("inspections:joint-measure-confirm", args=[measure.pk]))
    measure.task.refresh_from_db()
    assert measure.task.status == ReceiptTask.Status.CONFIRMED
    assert not selectors.measures_to_confirm(member).exists()
    with pytest.raises(DomainError) as caught:
        services.lift_joint_measure(actor=cast["dept_housing"], measure_pk=measure.pk)
    assert caught.value.code == ErrorCode.MEASURE_NOT_LIFTABLE
    _resume(cast, suspension_x)
    measure = services.lift_joint_measure(actor=cast["dept_housing"], measure_pk=measure.pk)
    assert (
        measure.lift_task.kind == watch_services.LIFT_TASK
        and measure.lift_task.recipient_unit == power_company
    )
    services.confirm_joint_measure(actor=member, measure_pk=measure.pk, lifting=True)
    measure.lift_task.refresh_from_db()
    assert measure.lift_task.status == ReceiptTask.Status.CONFIRMED


# ---------------------------------------------------------------- 跟踪问效 of closed units


def _close(cast, recorded):
    finding = recorded.answers.filter(result="non_compliant").first()
    return services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded.pk,
        data={
            "kind": "closure",
            "legal_basis": "《安全生产法》第一百一十三条",
            "description": "依法予以关闭",
        },
        finding_ids=[finding.pk],
    )


def test_closure_makes_a_revisit_plan_once(cast, recorded_x):
    _close(cast, recorded_x)
    plan = WatchPlan.objects.get(enterprise=cast.enterprise_x, kind=WatchPlan.Kind.REVISIT)
    assert plan.every_days == rules.REVISIT_EVERY_DAYS and plan.department_id == cast.dept_housing.pk
    assert services.revisit_enterprise(cast.enterprise_x, cast["dept_housing"]) == plan
    assert _run(timezone.localdate())["revisit_plans"] == 0


def test_the_sweep_picks_up_closed_enterprises_without_a_plan(cast):
    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(status=Enterprise.Status.DEREGISTERED)
    assert _run(timezone.localdate())["revisit_plans"] == 1
    assert _run(timezone.localdate())["revisit_plans"] == 0
    assert WatchPlan.objects.filter(enterprise=cast.enterprise_x, kind="revisit", is_active=True).count() == 1


def test_the_inspections_sweep_runs_the_watch_sweep(cast):
    from anlan.inspections import sweeps

    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(status=Enterprise.Status.CLOSED)
    assert sweeps.run(today=timezone.localdate())["revisit_plans_made"] == 1
    assert sweeps.run(today=timezone.localdate())["revisit_plans_made"] == 0


def test_a_restart_found_on_a_revisit_is_an_unauthorised_production_finding(
    cast, recorded_x, rule, client, django_capture_on_commit_callbacks
):
    _close(cast, recorded_x)
    plan = WatchPlan.objects.get(enterprise=cast.enterprise_x, kind=WatchPlan.Kind.REVISIT)
    with django_capture_on_commit_callbacks(execute=True):
        visit = _visit(cast["town_a"], plan, producing=True, observation="厂区内机器运转，有工人作业")
    plan.refresh_from_db()
    assert plan.restart_found_at is not None
    assert ScoreProposal.objects.get(watch_visit=visit).rule == rule
    for who in ("dept_housing", "county_office", "leader"):
        assert Notification.objects.filter(
            recipient=cast[who], kind=services.UNAUTHORISED_PRODUCTION
        ).exists()
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("inspections:watch-detail", args=[plan.pk])).content.decode()
    assert "擅自复产" in page and "厂区内机器运转" in page and "记分建议" in page
    assert WatchVisit.objects.filter(plan=plan).count() == 1


# ---------------------------------------------------------------- pages, scope and the todo


def test_the_enterprise_never_sees_a_watch_plan(cast, suspension_x, client):
    plan = suspension_x.watch_plan
    client.force_login(cast["enterprise_x"])
    assert client.get(reverse("inspections:watch-detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("inspections:watch-visit-create", args=[plan.pk])).status_code == 404
    assert client.get(reverse("inspections:watch-list")).status_code == 403
    page = client.get(reverse("inspections:suspension-detail", args=[suspension_x.pk])).content.decode()
    assert "盯守计划与巡查记录" not in page
    assert not WatchPlan.objects.for_user(cast["enterprise_x"]).exists()


def test_the_todo_lists_the_watchers_due_plans(cast, suspension_x):
    plan = suspension_x.watch_plan
    assert not selectors.watch_due(cast["grid_worker"]).exists()
    WatchPlan.objects.filter(pk=plan.pk).update(next_due_on=timezone.localdate())
    assert list(selectors.watch_due(cast["grid_worker"])) == [plan]
    assert not selectors.watch_due(cast["dept_housing"]).exists()  # not a watcher
    items = selectors.watch_todo_items(selectors.watch_due(cast["grid_worker"]), 5)
    assert items[0].url == reverse("inspections:watch-detail", args=[plan.pk])


def test_the_watch_list_filters_the_overdue_and_the_phone_form_records(cast, suspension_x, client):
    plan = suspension_x.watch_plan
    WatchPlan.objects.filter(pk=plan.pk).update(next_due_on=timezone.localdate() - timedelta(days=2))
    client.force_login(cast["dept_housing"])
    page = client.get(reverse("inspections:watch-list"), {"overdue": "yes"}).content.decode()
    assert cast.enterprise_x.name in page and "逾期" in page
    page = client.get(reverse("inspections:watch-list"), {"overdue": "no"}).content.decode()
    assert cast.enterprise_x.name not in page
    client.force_login(cast["grid_worker"])
    form = client.get(reverse("inspections:watch-visit-create", args=[plan.pk])).content.decode()
    assert 'name="producing"' in form
    response = client.post(
        reverse("inspections:watch-visit-create", args=[plan.pk]),
        {"visited_on": timezone.localdate().isoformat(), "visited_at": "21:30", "observation": "无异常"},
    )
    assert response.status_code == 302
    assert WatchVisit.objects.filter(plan=plan, watcher=cast["grid_worker"]).exists()


def test_an_unconfirmed_measure_escalates_to_the_department_and_the_office(
    cast, suspension_x, power_company, django_capture_on_commit_callbacks
):
    measure = services.send_joint_measure(
        actor=cast["dept_housing"], suspension_pk=suspension_x.pk, kind="power", recipient_pk=power_company.pk
    )
    later = measure.task.confirm_by + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert receipts.sweep(today=later.date(), now=later)["escalated"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert receipts.sweep(today=later.date(), now=later)["escalated"] == 0
    told = Notification.objects.filter(kind=watch_services.MEASURE_NOTICE, title__contains="逾期未确认")
    assert set(told.values_list("recipient", flat=True)) >= {
        cast["dept_housing"].pk,
        cast["county_office"].pk,
    }
    assert told.filter(recipient=cast["dept_housing"]).count() == 1
