"""The demo county's hazards: a year of them in every state, some overdue, a few listed, leads from the grid."""

from datetime import date

from anlan.core import demo
from anlan.hazards.models import Hazard, HazardCounter, Lead, Supervision
from anlan.notifications.models import Notification

TODAY = date(2026, 6, 30)


def test_the_demo_has_hazards_in_every_state_overdue_ones_listed_majors_and_grid_leads(db):
    result = demo.build_demo(today=TODAY)
    assert result.counts["事故隐患"] == 5000
    assert set(Hazard.objects.values_list("status", flat=True).distinct()) == set(Hazard.Status.values)
    assert Hazard.objects.filter(status__in=Hazard.OPEN, due_on__lt=TODAY).count() > 100
    assert Supervision.objects.filter(status=Supervision.Status.LISTED, hazard__grade="major").count() == 4
    # each with its letter (the inspections step lists one more when no construction site's is at hand)
    assert Supervision.objects.count() >= 4 and not Supervision.objects.filter(document=None).exists()
    assert Lead.objects.filter(reported_by__username="wangge").count() == 60
    assert set(Lead.objects.values_list("status", flat=True).distinct()) == set(Lead.Status.values)
    # the counters continue where the demo's numbers stop: the next hazard gets the next number
    for counter in HazardCounter.objects.all():
        assert Hazard.objects.filter(number__startswith=f"YH341122-{counter.year}-").count() == counter.last
    # the generated hazards, plus those a later module's demo registers through the hazards' service (the risk
    # app's self-inspection runs report theirs; absent when that app is not installed)
    registered_later = result.counts.get("自查发现并登记的隐患", 0)
    assert (
        Hazard.objects.filter(found_on__gte=date(2025, 6, 30), found_on__lte=TODAY).count()
        == 5000 + registered_later
    )


def test_the_demo_has_last_quarters_filings_on_time_late_and_missing_and_the_enterprise_has_its_own_to_do(db):
    from anlan.core.models import User
    from anlan.hazards import selectors
    from anlan.hazards.models import StatisticsFiling

    result = demo.build_demo(today=TODAY)
    last = "2026-Q1"  # due 15 April; 2026-Q2 is not due before 15 July
    filings = StatisticsFiling.objects.filter(period=last)
    confirmed = filings.filter(status="confirmed")
    assert confirmed.filter(is_late=False).count() > confirmed.filter(is_late=True).count() > 0
    missing = filings.filter(flagged_on=TODAY).exclude(status="confirmed")
    assert 5 < missing.count() < confirmed.count()
    assert missing.filter(enterprise=result.demo_enterprise).exists()
    assert (
        StatisticsFiling.objects.filter(period="2025-Q4", status="confirmed").count()
        == confirmed.count() + missing.count()
    )
    assert Notification.objects.filter(kind="hazard_filing_missing").exists()
    qiye = User.objects.get(username="qiye")
    assert list(selectors.filings_due(qiye)) == [result.demo_enterprise]
    assert result.demo_enterprise.principal.user.username == "fuzeren"
    # every earlier period its page lists was filed: the one to do is the last quarter's
    periods = selectors.enterprise_filing_periods(result.demo_enterprise, TODAY)
    assert [row["period"] for row in periods if row["overdue"]] == [last]
