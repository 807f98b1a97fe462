"""Scenes for the response part: an incident in town A brought along through the services, as users would."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core.models import Unit
from anlan.core.units import committee_office_for, unit_for
from anlan.emergency.models import Incident
from anlan.emergency.services import response as services


def flood(cast, **overrides) -> Incident:
    """A flood in 东关社区 (village A of town A), typed in by the county office two hours ago."""
    data = {
        "kind": Incident.Kind.NATURAL_DISASTER,
        "title": "新安镇东关社区山洪",
        "occurred_at": timezone.now() - timedelta(hours=2),
        "region": cast.village_a,
        "place": "东关社区河道",
        "summary": "强降雨致河水漫堤",
        **overrides,
    }
    return services.record_incident(actor=cast["county_office"], data=data)


def start(cast, incident=None, level=4):
    incident = incident or flood(cast)
    return services.start_response(
        actor=cast["county_office"],
        incident_pk=incident.pk,
        level=level,
        commander_name="王指挥",
        commander_phone="13900000000",
        post_place="新安镇政府",
    )


def county_office_unit(cast) -> Unit:
    return committee_office_for(cast.town_a.parent)


def task(cast, response=None, unit=None):
    response = response or start(cast)
    unit = unit or unit_for(cast.dept_transport)
    return services.assign_task(
        actor=cast["county_office"],
        response_pk=response.pk,
        unit_pk=unit.pk,
        text="封闭X012县道东关段",
        deadline=timezone.now() + timedelta(hours=3),
    )


def reviewer_units(cast) -> list[Unit]:
    return [unit_for(cast.dept_housing), unit_for(cast.dept_transport)]


def release(cast, incident=None, **kw):
    incident = incident or flood(cast)
    return services.draft_release(
        actor=cast["county_office"],
        incident_pk=incident.pk,
        title=kw.pop("title", "关于新安镇山洪的情况通报"),
        text=kw.pop("text", "6时许，新安镇东关社区发生山洪，暂无人员伤亡。"),
        reviewer_pks=[u.pk for u in _or(kw.pop("reviewers", None), reviewer_units(cast))],
        **kw,
    )


def published(cast, incident=None, **kw):
    """A release drafted, approved by both reviewers (housing, then transport) and published."""
    r = release(cast, incident, **kw)
    services.submit_release(actor=cast["county_office"], release_pk=r.pk)
    for who in ("dept_housing", "dept_transport"):
        review = r.reviews.get(unit=unit_for(getattr(cast, who)))
        services.review_release(actor=cast[who], review_pk=review.pk, approve=True)
    return services.publish_release(actor=cast["county_office"], release_pk=r.pk)


def _or(value, default):
    return default if value is None else value
