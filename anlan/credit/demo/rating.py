"""Demo ratings of the county's enterprises, computed by the rules from the other modules' demo facts (nothing
forced): a first rating as of 30 days ago that the county office (anweiban) approved, then today's recompute,
whose changes of colour wait in the approval queue."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from ..models import Rating
from ..services import rating as services

FIRST_RATING_DAYS_AGO = 30


def step(demo) -> None:
    office = demo.users["anweiban"]
    today = min(demo.today, timezone.localdate())
    earlier = today - timedelta(days=FIRST_RATING_DAYS_AGO)
    at = timezone.make_aware(datetime.combine(earlier, time(2, 0)))
    services.recompute(demo.county, today=earlier, now=at)
    for rating in Rating.objects.filter(status=Rating.Status.PENDING).exclude(colour="").order_by("pk"):
        services._approve(office, rating, at + timedelta(hours=7))
    now = timezone.make_aware(datetime.combine(today, time(2, 0)))
    services.recompute(demo.county, today=today, now=now)
    for colour, label in Rating._meta.get_field("colour").choices:
        demo.counts[f"五色评定·{label}"] = Rating.objects.filter(colour=colour).count()
    demo.counts["五色评定·待审定"] = Rating.objects.filter(status=Rating.Status.PENDING).count()
