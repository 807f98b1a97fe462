"""The demo county's inspections: plans, ≈1,500 inspections, two confirmed draws, enforcement with documents,
two suspended enterprises of which one resumed through the whole chain."""

from datetime import date

from django.utils import timezone

from anlan.core import demo
from anlan.core.models import Enterprise
from anlan.inspections.models import (
    Answer,
    EnforcementAction,
    Inspection,
    InspectionPlan,
    RandomDraw,
    Resumption,
    ScoreEntry,
    Suspension,
)
from anlan.inspections.services import rerun_draw

TODAY = date(2026, 6, 30)


def test_the_demo_has_a_year_of_inspections_draws_enforcement_and_suspensions(db):
    result = demo.build_demo(today=TODAY)
    assert 1500 <= result.counts["监督检查"] <= 1600
    assert InspectionPlan.objects.filter(year=2026).count() >= 5
    assert Inspection.objects.filter(status="recorded").count() > 1300
    assert Answer.objects.filter(result="non_compliant").exclude(hazard=None).exists()
    draws = RandomDraw.objects.exclude(status="draft")
    assert draws.count() == 2
    assert all(rerun_draw(d) == d.result for d in draws)
    assert EnforcementAction.objects.exclude(document=None).count() >= 60
    assert Suspension.objects.count() == 2
    resumed = Suspension.objects.get(status="resumed")
    assert resumed.enterprise.status == Enterprise.Status.OPERATING
    application = Resumption.objects.get(suspension=resumed)
    assert list(application.steps.values_list("decision", flat=True)) == ["approved"] * 3
    still = Suspension.objects.exclude(pk=resumed.pk).get()
    assert still.enterprise.status == Enterprise.Status.SUSPENDED
    assert still.unauthorised_production_at is not None
    assert ScoreEntry.objects.filter(action_due=True).exists()


def test_the_demo_watches_its_suspended_and_closed_units(db):
    from anlan.core.models import ReceiptTask
    from anlan.inspections import selectors
    from anlan.inspections.models import JointMeasure, WatchPlan

    result = demo.build_demo(today=TODAY)
    still = Suspension.objects.exclude(status="resumed").get()
    plan = WatchPlan.objects.get(suspension=still)
    assert plan.visits.count() == 2 and plan.next_due_on < timezone.localdate()
    assert list(selectors.watch_due(result.users["wangge"])) == [plan]
    statuses = sorted(m.task.status for m in JointMeasure.objects.filter(suspension=still))
    assert statuses == [ReceiptTask.Status.CONFIRMED, ReceiptTask.Status.PENDING, ReceiptTask.Status.PENDING]
    revisit = WatchPlan.objects.get(kind="revisit")
    assert revisit.enterprise.status == Enterprise.Status.CLOSED and revisit.visits.count() == 1
