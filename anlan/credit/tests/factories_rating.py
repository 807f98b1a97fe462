"""Scenes for the five-colour rating: facts written straight to the other modules' tables (a back-dated
accident, a penalty, a hazard) and ratings in a given state."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from anlan.accidents.models import Accident
from anlan.credit.models import Rating
from anlan.hazards.models import Hazard
from anlan.hazards.tests.factories import HazardFactory
from anlan.inspections.models import EnforcementAction


def accident(enterprise, day: date, grade: str = "ordinary") -> Accident:
    return Accident.objects.create(
        title=f"{enterprise.name}事故",
        type_code="09",
        occurred_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
        place="厂区",
        region=enterprise.region,
        enterprise=enterprise,
        industry=enterprise.industry,
        deaths=3 if grade == "relatively_major" else 1,
        grade=grade,
        grade_criterion="deaths" if grade == "relatively_major" else "none",
        description="事故经过",
        reporter_name="王安全",
        reporter_phone="13800001111",
    )


def penalty(cast, enterprise, day: date, kind: str = "fine") -> EnforcementAction:
    from anlan.inspections.tests.factories import inspector, planned

    team = [inspector(cast.dept_housing), inspector(cast.dept_housing)]
    inspection = planned(cast.dept_housing, enterprise, team, created_by=cast["dept_housing"])
    return EnforcementAction.objects.create(
        inspection=inspection,
        kind=kind,
        legal_basis="《安全生产法》第一百零二条",
        description="罚款",
        issued_by=cast["dept_housing"],
        issued_on=day,
    )


def hazard(enterprise, *, major: bool = False, due_on: date, closed_on: date | None = None, voided=False):
    status = Hazard.Status.REGISTERED
    if closed_on is not None:
        status = Hazard.Status.CLOSED
    if voided:
        status = Hazard.Status.VOIDED
    return HazardFactory(
        enterprise=enterprise,
        grade=Hazard.Grade.MAJOR if major else Hazard.Grade.ORDINARY,
        found_on=min(due_on, timezone.localdate()),
        due_on=due_on,
        status=status,
        closed_on=closed_on,
    )


def rating(enterprise, colour: str = "orange", *, approved: str = "", reasons=None) -> Rating:
    """A rating written straight to the table: computed `colour`, approved `approved` (pending unless equal)."""
    reasons = reasons or [
        {"code": "risk_significant", "colour": colour, "text": "最高风险等级为较大风险", "params": {}}
    ]
    return Rating.objects.create(
        enterprise=enterprise,
        colour=colour,
        reasons=reasons,
        computed_at=timezone.now(),
        status=Rating.Status.APPROVED if approved == colour else Rating.Status.PENDING,
        approved_colour=approved,
        approved_reasons=reasons if approved else [],
    )
