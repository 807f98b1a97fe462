"""Incidents: made once from the accidents module's 初报 (or a 较大涉险事故 report), or typed in by a duty
officer for a disaster or another event. The sub-domains (the duty log, first response, response, public
releases) hang their records off the incident these functions return."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from anlan.core.audit import system_actor
from anlan.core.records import save_with_history

from ..models import Incident


def _once(lookup: dict, make) -> Incident:
    """The incident for `lookup`, made by `make()` the first time (safe when two workers race)."""
    existing = Incident.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return make()
    except IntegrityError:
        return Incident.objects.get(**lookup)


def incident_for_accident(accident) -> Incident:
    """The incident following `accident` (an accidents.Accident), made on its 初报."""

    def make():
        incident = Incident(
            kind=Incident.Kind.ACCIDENT,
            title=accident.title,
            occurred_at=accident.occurred_at,
            region_id=accident.region_id,
            place=accident.place,
            enterprise_id=accident.enterprise_id,
            industry_id=accident.industry_id,
            accident=accident,
            grade=accident.grade,
            summary=accident.description,
            reported_at=accident.reported_at,
            recorded_by=accident.reporter,
        )
        save_with_history(incident, accident.reporter or system_actor(), "事故初报接报")
        return incident

    return _once({"accident": accident}, make)


def incident_for_near_miss(near_miss) -> Incident:
    """The incident following a 较大涉险事故 (an accidents.NearMissIncident), made on its report."""

    def make():
        incident = Incident(
            kind=Incident.Kind.NEAR_MISS,
            title=near_miss.title,
            occurred_at=near_miss.occurred_at,
            region_id=near_miss.region_id,
            place=near_miss.place,
            enterprise_id=near_miss.enterprise_id,
            industry_id=near_miss.industry_id,
            near_miss=near_miss,
            grade=near_miss.grade,
            summary=near_miss.description,
            reported_at=near_miss.reported_at,
            recorded_by=near_miss.reporter,
        )
        save_with_history(incident, near_miss.reporter or system_actor(), "较大涉险事故接报")
        return incident

    return _once({"near_miss": near_miss}, make)
