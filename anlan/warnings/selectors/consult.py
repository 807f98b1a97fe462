"""Scoped reads of 会商研判 and 安全风险提示单: meetings and bulletins as the user's scope allows, the receipt tasks
of a bulletin (read through the bulletin the user may open), a recipient's own task (scoped by the kernel:
out of scope is 404), and the units' reports on each measure."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from anlan.core import rules as core_rules
from anlan.core import trees, units
from anlan.core.contract import TodoItem
from anlan.core.models import Department, ReceiptTask, Region, Role, Unit
from anlan.core.scope import memberships_of
from anlan.core.selectors import access

from ..models import Bulletin, BulletinMeasure, Consultation, MeasureReport

BULLETIN_TASK = "warnings.bulletin"
OPEN = ReceiptTask.OPEN
# Units a bulletin may be sent to: towns, departments, park committees and enterprises.
RECIPIENT_KINDS = (Unit.Kind.TOWN, Unit.Kind.DEPARTMENT, Unit.Kind.PARK_COMMITTEE, Unit.Kind.ENTERPRISE)


# ---------------------------------------------------------------- meetings


def consultation_list(user) -> QuerySet[Consultation]:
    return (
        Consultation.objects.for_user(user)
        .select_related("region", "convener", "warning")
        .annotate(bulletin_count=Count("bulletins", distinct=True))
        .order_by("-held_at", "-pk")  # an aggregate drops Meta.ordering
    )


def access_consultation(user, pk, *, for_update: bool = False) -> Consultation:
    return access(
        Consultation.objects.select_related("region", "convener", "warning", "recorded_by"),
        user,
        pk,
        for_update=for_update,
    )


def conveners(user, right: str) -> QuerySet[Unit]:
    """The units a user may convene a meeting for: the active units they act for, in the scope of `right` (the
    units of their own department, town or county 安委办 are made on first use, as `units.unit_for` does)."""
    for membership in memberships_of(user):
        region = membership.region
        if membership.role == Role.DEPARTMENT and membership.department_id:
            units.unit_for(membership.department)
        elif membership.role == Role.TOWN and region is not None and region.level == Region.Level.TOWN:
            units.unit_for(region)
        elif (
            membership.role == Role.COMMITTEE_OFFICE
            and region is not None
            and region.level <= Region.Level.COUNTY
        ):
            units.committee_office_for(region)
    in_scope = Unit.objects.for_user(user, right).values("pk")
    return units.units_of(user).filter(pk__in=in_scope).order_by("name")


def consulting_departments(region_code: str) -> QuerySet[Department]:
    """The active departments of the county a meeting is held in (a registry read: who may sit at the table)."""
    county = trees.county_of(region_code)
    low, high = core_rules.subtree_bounds(county, trees.COUNTY)
    return Department.objects.filter(is_active=True, region_id__gte=low, region_id__lte=high).order_by(
        "region_id", "name"
    )


# ---------------------------------------------------------------- bulletins


def bulletin_list(user) -> QuerySet[Bulletin]:
    return Bulletin.objects.for_user(user).select_related("region", "sender_unit", "consultation")


def access_bulletin(user, pk, *, for_update: bool = False) -> Bulletin:
    return access(
        Bulletin.objects.select_related("region", "sender_unit", "consultation", "sent_by"),
        user,
        pk,
        for_update=for_update,
    )


def bulletin_recipients(user) -> QuerySet[Unit]:
    """The units a user may send a bulletin to: active towns, departments, park committees and enterprises in
    their scope."""
    return Unit.objects.for_user(user).filter(is_active=True, kind__in=RECIPIENT_KINDS)


def measures_of(bulletin) -> QuerySet[BulletinMeasure]:
    return bulletin.measures.order_by("position")


def tasks_of(bulletin) -> QuerySet[ReceiptTask]:
    """The receipt tasks of a bulletin the caller has opened (`access_bulletin` first): one per recipient unit."""
    content_type = ContentType.objects.get_for_model(Bulletin)
    return (
        ReceiptTask.objects.filter(content_type=content_type, object_id=bulletin.pk, kind=BULLETIN_TASK)
        .select_related("recipient_unit", "confirmed_by")
        .order_by("recipient_unit__kind", "recipient_unit__name", "pk")
    )


def receipt_summary(bulletin) -> dict[str, int]:
    """How many recipients confirmed, are pending, escalated (still unconfirmed past their time), cancelled."""
    statuses = ReceiptTask.Status
    return tasks_of(bulletin).aggregate(
        total=Count("pk"),
        confirmed=Count("pk", filter=Q(status=statuses.CONFIRMED)),
        pending=Count("pk", filter=Q(status=statuses.PENDING)),
        escalated=Count("pk", filter=Q(status=statuses.ESCALATED)),
        cancelled=Count("pk", filter=Q(status=statuses.CANCELLED)),
    )


def reports_of_bulletin(bulletin) -> dict[tuple[int, int], MeasureReport]:
    """Every unit's report on every measure of the bulletin, by (task, measure)."""
    rows = MeasureReport.objects.filter(measure__bulletin=bulletin).select_related("reported_by")
    return {(row.task_id, row.measure_id): row for row in rows}


def access_task(user, pk, *, for_update: bool = False) -> ReceiptTask:
    """A bulletin's receipt task as the kernel scopes it (the recipient unit's members, the territory above
    it, the sender): anyone else gets a 404."""
    return access(
        ReceiptTask.objects.filter(kind=BULLETIN_TASK).select_related("recipient_unit", "confirmed_by"),
        user,
        pk,
        for_update=for_update,
    )


def bulletin_of(task: ReceiptTask) -> Bulletin:
    """The bulletin a task was sent for (read through the task the user may open)."""
    return Bulletin.objects.select_related("sender_unit", "consultation", "region").get(pk=task.object_id)


def reports_of_task(task: ReceiptTask) -> dict[int, MeasureReport]:
    return {
        row.measure_id: row for row in MeasureReport.objects.filter(task=task).select_related("reported_by")
    }


def my_open_receipts(user) -> QuerySet[ReceiptTask]:
    """Bulletins the user's units have not confirmed yet (the 待办)."""
    return (
        ReceiptTask.objects.for_user(user)
        .filter(kind=BULLETIN_TASK, status__in=OPEN, recipient_unit__in=units.units_of(user))
        .select_related("recipient_unit")
        .order_by("confirm_by", "pk")
    )


def todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=row.title,
            url=reverse("warnings:bulletin-receipt", args=[row.pk]),
            due=timezone.localtime(row.confirm_by).date(),
        )
        for row in rows[:limit]
    ]


def received_list(user) -> QuerySet[ReceiptTask]:
    """Every bulletin task addressed to a unit of the user (confirmed or not), newest first."""
    return (
        ReceiptTask.objects.for_user(user)
        .filter(kind=BULLETIN_TASK, recipient_unit__in=units.units_of(user))
        .select_related("recipient_unit")
        .order_by("-sent_at", "-pk")
    )
