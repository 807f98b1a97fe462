"""Scoped reads of incidents, their response, first response and public releases."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet

from anlan.core import rules as core_rules
from anlan.core import trees
from anlan.core.models import ReceiptTask, Region, Unit
from anlan.core.selectors import access
from anlan.core.units import acts_for, committee_office_for, units_of

from ..models import (
    ControlPoint,
    FirstResponse,
    Incident,
    Plan,
    PublicRelease,
    ReleaseReview,
    Response,
    ResponseTask,
)

MANAGE = "emergency.manage_response"
RECORD_INCIDENT = "emergency.record_incident"
FIRST_RESPONSE = "emergency.record_first_response"


def access_incident(user, pk, *, for_update: bool = False) -> Incident:
    return access(
        Incident.objects.select_related("region", "enterprise", "industry"), user, pk, for_update=for_update
    )


def access_response(user, pk, *, for_update: bool = False) -> Response:
    return access(Response.objects.select_related("incident"), user, pk, for_update=for_update)


def access_task(user, pk, *, for_update: bool = False) -> ResponseTask:
    return access(
        ResponseTask.objects.select_related("response__incident", "unit", "receipt"),
        user,
        pk,
        for_update=for_update,
    )


def my_tasks(user) -> QuerySet:
    """The tasks given to the units the user acts for (the 应急任务 list), the unfinished first, by deadline."""
    if not getattr(user, "is_authenticated", False):
        return ResponseTask.objects.none()
    return (
        ResponseTask.objects.for_user(user)
        .filter(unit_id__in=units_of(user).values("pk"))
        .select_related("response__incident", "unit", "receipt")
        .order_by(F("completed_at").asc(nulls_first=True), "deadline", "pk")
    )


def tasks_to_do(user) -> QuerySet:
    """To-do: tasks of the user's units not reported done, in responses still running."""
    return my_tasks(user).filter(completed_at__isnull=True, response__status=Response.Status.ACTIVE)


def task_todo_items(rows, limit):
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from anlan.core.contract import TodoItem

    return [
        TodoItem(
            f"{task.response.incident.title}：{task.text[:24]}",
            reverse("emergency:response-task-detail", args=[task.pk]),
            due=timezone.localtime(task.deadline).date(),
            note=_("待确认接收")
            if task.receipt_id and task.receipt.status in ReceiptTask.OPEN
            else _("待报告完成"),
        )
        for task in rows[:limit]
    ]


def access_control_point(user, pk, *, for_update: bool = False) -> ControlPoint:
    return access(ControlPoint.objects.select_related("response__incident"), user, pk, for_update=for_update)


def access_release(user, pk, *, for_update: bool = False) -> PublicRelease:
    return access(
        PublicRelease.objects.select_related("incident", "issuer", "supersedes"),
        user,
        pk,
        for_update=for_update,
    )


def access_review(user, pk, *, for_update: bool = False) -> ReleaseReview:
    return access(
        ReleaseReview.objects.select_related("release__incident", "release__issuer", "unit"),
        user,
        pk,
        for_update=for_update,
    )


def published_release(token: str) -> PublicRelease | None:
    """The release a public link opens (published or superseded), or None."""
    return (
        PublicRelease.objects.for_token(token)
        .filter(status__in=[PublicRelease.Status.PUBLISHED, PublicRelease.Status.SUPERSEDED])
        .select_related("incident", "issuer")
        .first()
    )


def incident_list(user) -> QuerySet:
    return Incident.objects.for_user(user).select_related("region")


def command_unit(incident: Incident) -> Unit:
    """The 安委办 (应急局) of the incident's county: it commands the response and issues the releases."""
    county = Region.objects.get(pk=trees.county_of(incident.region_id))
    return committee_office_for(county)


def town_unit(incident: Incident) -> Unit | None:
    """The town where the incident happened (its 先期处置 is that town's), or None above town level."""
    from anlan.core.units import unit_for

    code = trees.town_of(incident.region_id)
    town = Region.objects.filter(pk=code, level=Region.Level.TOWN).first() if code else None
    return unit_for(town) if town else None


def commands(user, incident: Incident) -> bool:
    """Whether the user acts for the county 安委办 that commands the incident's response."""
    return acts_for(user, command_unit(incident), MANAGE)


def active_response(incident: Incident) -> Response | None:
    return incident.responses.filter(status=Response.Status.ACTIVE).first()


def _county_range(incident: Incident, path: str) -> dict:
    low, high = core_rules.subtree_bounds(trees.county_of(incident.region_id), Region.Level.COUNTY)
    return {f"{path}__gte": low, f"{path}__lte": high}


def unit_choices(incident: Incident) -> QuerySet:
    """Units a task, a group or a control point may go to: the active units of the incident's county."""
    return Unit.objects.filter(is_active=True, **_county_range(incident, "region")).order_by("kind", "name")


def reviewer_choices(incident: Incident) -> QuerySet:
    """Units that may review a release: departments, outside bodies and the 安委办 of the county."""
    return unit_choices(incident).filter(
        kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.OUTSIDE_BODY, Unit.Kind.COMMITTEE_OFFICE]
    )


def plan_choices(incident: Incident) -> QuerySet:
    return Plan.objects.filter(
        status=Plan.Status.PUBLISHED, enterprise__isnull=True, **_county_range(incident, "region")
    ).order_by("title")


@dataclass
class IncidentDetail:
    incident: Incident
    responses: list[Response]
    active: Response | None
    first_response: FirstResponse | None
    releases: list[PublicRelease]
    log_entries: list


def incident_detail(user, pk) -> IncidentDetail:
    incident = access_incident(user, pk)
    responses = list(
        incident.responses.select_related("plan", "started_by", "ended_by").prefetch_related(
            "level_changes__changed_by",
            "groups__lead",
            "tasks__unit",
            "tasks__receipt",
            "control_points__unit",
            "notes__created_by",
        )
    )
    first = (
        FirstResponse.objects.filter(incident=incident)
        .select_related("town")
        .prefetch_related("responders", "actions")
        .first()
    )
    return IncidentDetail(
        incident=incident,
        responses=responses,
        active=next((r for r in responses if r.is_active), None),
        first_response=first,
        releases=list(
            incident.releases.select_related("issuer", "supersedes").prefetch_related("reviews__unit")
        ),
        log_entries=list(incident.log_entries.select_related("unit").order_by("received_at")),
    )


def current_review(release: PublicRelease) -> ReleaseReview | None:
    """The first reviewer (in order) who has not yet approved, while the release is under review."""
    if release.status != PublicRelease.Status.IN_REVIEW:
        return None
    return release.reviews.exclude(decision=ReleaseReview.Decision.APPROVED).order_by("order", "id").first()
