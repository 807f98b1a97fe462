"""The demo county's inspections: plans, ≈1,500 inspections, four confirmed draws, enforcement with documents,
three suspended enterprises of which one resumed through the whole chain and one follows a 挂牌督办."""

from datetime import date, timedelta

from django.utils import timezone

from anlan.core import demo
from anlan.core.models import Enterprise
from anlan.inspections.models import (
    Answer,
    ClosureProposal,
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
    assert draws.count() == 4
    assert all(rerun_draw(d) == d.result for d in draws)
    # 双随机、一公开 (issue #14): one draw published after its deadline, one due in a few days. The deadlines
    # need the holiday calendar of the years they span (the shipped one is 2026's).
    if all(d.publish_due_on for d in draws.filter(period_end__lt=timezone.localdate())):
        assert draws.filter(status="published", published_late=True).count() == 1
        soon = draws.get(status="confirmed", period_end__lt=timezone.localdate())
        assert 2 <= (soon.publish_due_on - timezone.localdate()).days <= 7
    assert EnforcementAction.objects.exclude(document=None).count() >= 60
    assert Suspension.objects.count() == 3
    # A halt after a 挂牌督办 with its 复产 application two days past the on-site review deadline.
    linked = Suspension.objects.exclude(supervision=None).get()
    assert linked.supervision.hazard.enterprise_id == linked.enterprise_id
    pending = Resumption.objects.get(suspension=linked, status="pending")
    assert pending.review_due_on == timezone.localdate() - timedelta(days=2) and pending.reviewed_on is None
    resumed = Suspension.objects.get(status="resumed")
    assert resumed.enterprise.status == Enterprise.Status.OPERATING
    application = Resumption.objects.get(suspension=resumed)
    assert list(application.steps.values_list("decision", flat=True)) == ["approved"] * 3
    still = Suspension.objects.exclude(pk=resumed.pk).exclude(pk=linked.pk).get()
    assert still.enterprise.status == Enterprise.Status.SUSPENDED
    assert still.unauthorised_production_at is not None
    assert ScoreEntry.objects.filter(action_due=True).exists()
    # 提请关闭: one construction site with a major hazard, fined three times within 180 days, flagged by the
    # enforcement service on the third fine.
    proposal = ClosureProposal.objects.get()
    assert proposal.status == ClosureProposal.Status.FLAGGED
    assert proposal.actions.count() == 3 and proposal.window_days == 180
    assert proposal.history.first().history_user is not None


def test_the_demo_watches_its_suspended_and_closed_units(db):
    from anlan.core.models import ReceiptTask
    from anlan.inspections import selectors
    from anlan.inspections.models import JointMeasure, WatchPlan

    result = demo.build_demo(today=TODAY)
    still = Suspension.objects.exclude(status="resumed").get(supervision=None)  # the one with a 擅自复产 flag
    plan = WatchPlan.objects.get(suspension=still)
    assert plan.visits.count() == 2 and plan.next_due_on < timezone.localdate()
    assert list(selectors.watch_due(result.users["wangge"])) == [plan]
    statuses = sorted(m.task.status for m in JointMeasure.objects.filter(suspension=still))
    assert (
        statuses == [ReceiptTask.Status.PENDING] * 3
    )  # 住建厅 (licence), 公安局, 供电公司: none the sender's own
    revisit = WatchPlan.objects.get(kind="revisit")
    assert revisit.enterprise.status == Enterprise.Status.CLOSED and revisit.visits.count() == 1
