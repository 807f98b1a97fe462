"""Scoped reads of 安委会会议/议定事项 and 专项整治: meetings, decisions and their tasks as the user's scope allows
(an assignee sees its own task; out of scope is a 404), the assignee's 待办, campaigns with their members and
cards, each member's card report, and the figures of a campaign's tagged records — read through the other
apps' public selectors and `tags.tagged`, as SQL aggregates."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from anlan.core import tags, units
from anlan.core.contract import TodoItem
from anlan.core.models import ReceiptTask, Region, Role, Unit
from anlan.core.scope import memberships_of
from anlan.core.selectors import access

from .. import rules
from ..models import (
    Campaign,
    CampaignArea,
    CampaignMember,
    CampaignReport,
    CardReport,
    CardReportEvidence,
    Decision,
    DecisionReport,
    DecisionTask,
    Meeting,
    TaskCard,
)

CARD_TASK = "governance.card"
# Units a decision or a campaign may involve: departments, towns and park committees (government units).
GOVERNMENT_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.TOWN, Unit.Kind.PARK_COMMITTEE)


def offices(user, right: str) -> QuerySet[Unit]:
    """The 安委办 units the user acts for with `right` (made on first use for their county or higher region)."""
    for membership in memberships_of(user):
        region = membership.region
        if (
            membership.role == Role.COMMITTEE_OFFICE
            and region is not None
            and region.level <= Region.Level.COUNTY
        ):
            units.committee_office_for(region)
    in_scope = Unit.objects.for_user(user, right).values("pk")
    return units.units_of(user).filter(kind=Unit.Kind.COMMITTEE_OFFICE, pk__in=in_scope).order_by("name")


def government_units(user) -> QuerySet[Unit]:
    """Active departments, towns and park committees in the user's scope (assignees and members)."""
    return (
        Unit.objects.for_user(user).filter(is_active=True, kind__in=GOVERNMENT_KINDS).order_by("kind", "name")
    )


# ---------------------------------------------------------------- meetings and decisions


def meeting_list(user) -> QuerySet[Meeting]:
    return (
        Meeting.objects.for_user(user)
        .select_related("region", "office")
        .annotate(
            decision_count=Count("decisions", distinct=True),
            open_count=Count(
                "decisions__tasks",
                filter=~Q(decisions__tasks__status=DecisionTask.Status.CLOSED),
                distinct=True,
            ),
        )
        .order_by("-held_on", "-pk")
    )


def access_meeting(user, pk, *, for_update: bool = False) -> Meeting:
    return access(
        Meeting.objects.select_related("region", "office", "recorded_by"), user, pk, for_update=for_update
    )


def decisions_of(meeting: Meeting) -> list[Decision]:
    """The meeting's decisions with their tasks (the caller opened the meeting: its tasks are shown with it)."""
    return list(meeting.decisions.order_by("position").prefetch_related("tasks__assignee"))


def task_list(user) -> QuerySet[DecisionTask]:
    return (
        DecisionTask.objects.for_user(user)
        .select_related("assignee", "decision__meeting", "region")
        .order_by("due_on", "pk")
    )


def access_task(user, pk, *, for_update: bool = False) -> DecisionTask:
    return access(
        DecisionTask.objects.select_related("assignee", "decision__meeting__office", "region"),
        user,
        pk,
        for_update=for_update,
    )


def reports_of(task: DecisionTask) -> QuerySet[DecisionReport]:
    return task.reports.select_related("reported_by").order_by("reported_at", "pk")


def overdue_q(today: date) -> Q:
    """Not closed and past the deadline (`rules.decision_is_overdue` as a query: the due date is not overdue)."""
    return ~Q(status=DecisionTask.Status.CLOSED) & Q(due_on__lt=today)


def my_open_tasks(user) -> QuerySet[DecisionTask]:
    """The 待办 of an assignee: its units' decisions still to do (assigned or returned), soonest due first."""
    return (
        DecisionTask.objects.for_user(user)
        .filter(status__in=DecisionTask.OPEN, assignee__in=units.units_of(user))
        .select_related("decision")
        .order_by("due_on", "pk")
    )


def tasks_to_confirm(user) -> QuerySet[DecisionTask]:
    """The 待办 of the 安委办: completions reported to the offices the user acts for."""
    return (
        DecisionTask.objects.for_user(user, "governance.manage_meetings")
        .filter(status=DecisionTask.Status.REPORTED, decision__meeting__office__in=units.units_of(user))
        .select_related("decision", "assignee")
        .order_by("reported_at", "pk")
    )


def task_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=f"{row.decision.text[:40]}"
            + (f"（{row.assignee.name}）" if row.status == DecisionTask.Status.REPORTED else ""),
            url=reverse("governance:decision-task-detail", args=[row.pk]),
            due=row.due_on,
        )
        for row in rows[:limit]
    ]


def my_tasks_url(user) -> str:
    return reverse("governance:decision-task-list") + "?mine=1"


def to_confirm_url(user) -> str:
    return reverse("governance:decision-task-list") + "?status=reported"


def task_summary(queryset: QuerySet[DecisionTask], today: date) -> dict[str, int]:
    return queryset.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=DecisionTask.Status.CLOSED)),
        reported=Count("pk", filter=Q(status=DecisionTask.Status.REPORTED)),
        overdue=Count("pk", filter=overdue_q(today)),
    )


# ---------------------------------------------------------------- campaigns


def campaign_list(user) -> QuerySet[Campaign]:
    return (
        Campaign.objects.for_user(user)
        .select_related("region", "office", "lead_unit")
        .annotate(member_count=Count("members", distinct=True), card_count=Count("cards", distinct=True))
        .order_by("-starts_on", "-pk")
    )


def access_campaign(user, pk, *, for_update: bool = False) -> Campaign:
    return access(
        Campaign.objects.select_related("region", "office", "lead_unit", "tag", "created_by"),
        user,
        pk,
        for_update=for_update,
    )


def members_of(campaign: Campaign) -> QuerySet[CampaignMember]:
    return campaign.members.select_related("unit").order_by("unit__kind", "unit__name")


def access_area(user, pk, *, for_update: bool = False) -> CampaignArea:
    """A special area through its campaign's scope (404 outside it)."""
    return access(
        CampaignArea.objects.select_related("campaign__office", "campaign__region"),
        user,
        pk,
        for_update=for_update,
    )


def access_member(user, pk, *, for_update: bool = False) -> CampaignMember:
    """A member unit's row through the campaign's scope (the office's pages; 404 outside it)."""
    return access(
        CampaignMember.objects.select_related("campaign__office", "campaign__region", "unit"),
        user,
        pk,
        for_update=for_update,
    )


def tag_rule(campaign: Campaign) -> rules.TagRule:
    """The campaign's rule: the industries of its areas, its region's subtree, its period."""
    from anlan.core import rules as core_rules

    industry_ids = frozenset(campaign.areas.values_list("industries", flat=True).exclude(industries=None))
    region = campaign.region
    return rules.TagRule(
        industry_ids=industry_ids,
        region_prefix=core_rules.region_prefix(region.code, region.level),
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
    )


def cards_of(campaign: Campaign) -> QuerySet[TaskCard]:
    return (
        campaign.cards.annotate(reported=Count("reports", distinct=True))
        .select_related("sent_by")
        .order_by("-month", "-pk")
    )


def access_card(user, pk, *, for_update: bool = False) -> TaskCard:
    return access(
        TaskCard.objects.select_related("campaign__office", "campaign__region"),
        user,
        pk,
        for_update=for_update,
    )


def card_tasks(card: TaskCard) -> QuerySet[ReceiptTask]:
    """The receipt tasks of a card the caller opened: one per member unit."""
    return (
        ReceiptTask.objects.filter(
            content_type=ContentType.objects.get_for_model(TaskCard), object_id=card.pk, kind=CARD_TASK
        )
        .select_related("recipient_unit", "confirmed_by")
        .order_by("recipient_unit__kind", "recipient_unit__name", "pk")
    )


def card_reports(card: TaskCard) -> dict[int, CardReport]:
    """Each member unit's report on the card, by unit."""
    return {row.unit_id: row for row in card.reports.select_related("reported_by")}


def access_card_task(user, pk, *, for_update: bool = False) -> ReceiptTask:
    """A card's receipt task as the kernel scopes it (the member unit, the territory above it, the sender)."""
    return access(
        ReceiptTask.objects.filter(kind=CARD_TASK).select_related("recipient_unit", "confirmed_by"),
        user,
        pk,
        for_update=for_update,
    )


def card_of(task: ReceiptTask) -> TaskCard:
    return TaskCard.objects.select_related("campaign__office", "campaign__region").get(pk=task.object_id)


def report_of_task(task: ReceiptTask) -> CardReport | None:
    return CardReport.objects.filter(task=task).select_related("reported_by").first()


def evidence_of(report: CardReport | None) -> list[CardReportEvidence]:
    """The report's evidence files, oldest first (the caller opened the report's card or receipt)."""
    if report is None:
        return []
    return list(report.evidence.select_related("added_by").order_by("pk"))


def evidence_by_unit(card: TaskCard) -> dict[int, list[CardReportEvidence]]:
    """Each member unit's evidence files on the card, by unit (one query)."""
    found: dict[int, list[CardReportEvidence]] = {}
    for row in CardReportEvidence.objects.filter(report__card=card).select_related("report").order_by("pk"):
        found.setdefault(row.report.unit_id, []).append(row)
    return found


def card_evidence_for(user, campaign: Campaign) -> dict[int, list[dict]]:
    """The campaign's card evidence the user may download, by card: unit, file name, size and download link
    (the stored path is never shown)."""
    found: dict[int, list[dict]] = {}
    rows = (
        CardReportEvidence.objects.for_user(user)
        .filter(report__card__campaign=campaign)
        .select_related("report__unit")
        .order_by("pk")
    )
    for row in rows:
        found.setdefault(row.report.card_id, []).append(
            {
                "id": row.pk,
                "unit_name": row.report.unit.name,
                "file_name": row.file_name,
                "size": row.size,
                "url": reverse("governance:card-evidence-file", args=[row.pk]),
            }
        )
    return found


def access_card_evidence(user, pk) -> CardReportEvidence:
    """An evidence file as its report is scoped: the member unit, the territory above it, the 安委办; else 404."""
    return access(CardReportEvidence.objects.select_related("report"), user, pk)


def my_cards(user) -> QuerySet[ReceiptTask]:
    """Every card sent to a unit of the user, newest first."""
    return (
        ReceiptTask.objects.for_user(user)
        .filter(kind=CARD_TASK, recipient_unit__in=units.units_of(user))
        .select_related("recipient_unit")
        .order_by("-sent_at", "-pk")
    )


def cards_to_report(user) -> QuerySet[ReceiptTask]:
    """The 待办 of a member unit: cards it has not reported on yet (confirmed or not)."""
    reported = CardReport.objects.values("task_id")
    return (
        my_cards(user)
        .exclude(status=ReceiptTask.Status.CANCELLED)
        .exclude(pk__in=reported)
        .order_by("confirm_by", "pk")
    )


def card_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=row.title, url=reverse("governance:card-receipt", args=[row.pk]), due=row.confirm_by.date()
        )
        for row in rows[:limit]
    ]


def my_cards_url(user) -> str:
    return reverse("governance:card-received")


def card_completion(campaign: Campaign, starts_on: date, ends_on: date) -> dict[str, int]:
    """The cards of the period: how many units they went to and how many reported (two aggregates)."""
    cards = campaign.cards.filter(month__gte=starts_on, month__lte=ends_on)
    sent = ReceiptTask.objects.filter(
        content_type=ContentType.objects.get_for_model(TaskCard),
        kind=CARD_TASK,
        object_id__in=cards.values("pk"),
    ).count()
    reported = CardReport.objects.filter(card__in=cards).count()
    return {"cards": cards.count(), "sent": sent, "reported": reported}


def unit_completion(campaign: Campaign, starts_on: date, ends_on: date) -> list[dict]:
    """Per member unit: cards received and reported in the period (grouped queries)."""
    cards = campaign.cards.filter(month__gte=starts_on, month__lte=ends_on).values("pk")
    sent = dict(
        ReceiptTask.objects.filter(
            content_type=ContentType.objects.get_for_model(TaskCard), kind=CARD_TASK, object_id__in=cards
        )
        .values_list("recipient_unit")
        .annotate(n=Count("pk"))
    )
    reported = dict(CardReport.objects.filter(card__in=cards).values_list("unit").annotate(n=Count("pk")))
    return [
        {"unit": m.unit.name, "sent": sent.get(m.unit_id, 0), "reported": reported.get(m.unit_id, 0)}
        for m in members_of(campaign)
    ]


def report_list(campaign: Campaign) -> QuerySet[CampaignReport]:
    return campaign.reports.select_related("document", "issued_by").order_by("-starts_on", "-pk")


def access_report(user, pk) -> CampaignReport:
    return access(CampaignReport.objects.select_related("campaign", "document"), user, pk)


def sees_report(user, report: CampaignReport) -> bool:
    """Whether the user can open the issued report (who is told of it)."""
    return CampaignReport.objects.for_user(user).filter(pk=report.pk).exists()


# ---------------------------------------------------------------- the campaign's tagged records


def tagged_figures(user, campaign: Campaign, starts_on: date, ends_on: date, today: date) -> dict[str, int]:
    """The figures of a 调度/通报/总结: the campaign's tagged hazards found in the period (found, rectified,
    overdue), inspections done and enforcement actions decided in it — each an aggregate over the other app's
    public selector, restricted to the tag with one subquery."""
    from anlan.hazards import selectors as hazards
    from anlan.inspections import selectors as inspections

    found = tags.tagged(hazards.hazard_list(user), campaign.tag).filter(
        found_on__gte=starts_on, found_on__lte=ends_on
    )
    hazard_totals = hazards.totals(found, today)
    visits = tags.tagged(inspections.inspection_list(user), campaign.tag).filter(
        planned_on__gte=starts_on, planned_on__lte=ends_on
    )
    visit_totals = visits.aggregate(
        inspections=Count("pk", filter=Q(status="recorded"), distinct=True),
        enforcement=Count("actions", distinct=True),
    )
    return {
        "hazards_found": hazard_totals["found"],
        "hazards_closed": hazard_totals["closed"],
        "hazards_overdue": hazard_totals["overdue"],
        "hazards_major": hazard_totals["major"],
        "inspections": visit_totals["inspections"],
        "enforcement": visit_totals["enforcement"],
    }


def tagged_counts(user, campaign: Campaign) -> dict[str, int]:
    """How many records of each kind carry the campaign's tag, in the user's scope."""
    from anlan.hazards import selectors as hazards
    from anlan.inspections import selectors as inspections

    return {
        "hazards": tags.tagged(hazards.hazard_list(user), campaign.tag).count(),
        "inspections": tags.tagged(inspections.inspection_list(user), campaign.tag).count(),
    }


def tagged_hazards(user, campaign: Campaign) -> QuerySet:
    from anlan.hazards import selectors as hazards

    return tags.tagged(hazards.hazard_list(user), campaign.tag).order_by("-found_on", "-pk")


def tagged_inspections(user, campaign: Campaign) -> QuerySet:
    from anlan.inspections import selectors as inspections

    return tags.tagged(inspections.inspection_list(user), campaign.tag).order_by("-planned_on", "-pk")


def rule_candidates(user, campaign: Campaign) -> dict[str, QuerySet]:
    """The records the campaign's rule covers and that do not carry its tag yet, in the user's scope: hazards
    by their finding date, inspections by their planned date (the SQL form of `rules.tag_rule_matches`)."""
    from anlan.core import rules as core_rules
    from anlan.hazards import selectors as hazards
    from anlan.inspections import selectors as inspections

    rule = tag_rule(campaign)
    if not rule.industry_ids:
        return {}
    low, high = core_rules.subtree_bounds(campaign.region.code, campaign.region.level)
    where = Q(industry_id__in=rule.industry_ids, region_id__gte=low, region_id__lte=high)
    hazard_rows = hazards.hazard_list(user).filter(
        where, found_on__gte=rule.starts_on, found_on__lte=rule.ends_on
    )
    visit_rows = inspections.inspection_list(user).filter(
        where, planned_on__gte=rule.starts_on, planned_on__lte=rule.ends_on
    )
    return {
        "hazards": hazard_rows.exclude(pk__in=tags.tagged(hazard_rows, campaign.tag).values("pk")),
        "inspections": visit_rows.exclude(pk__in=tags.tagged(visit_rows, campaign.tag).values("pk")),
    }


def active_campaigns(today: date) -> QuerySet[Campaign]:
    """Campaigns running on `today` (what the tagging sweep walks)."""
    return Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related(
        "region", "tag", "created_by", "office"
    )
