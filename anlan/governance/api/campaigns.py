"""Read-only API of 安委会会议, 议定事项承办 and 专项整治, scoped like the pages: a meeting carries its decisions
and each task's status; a campaign its areas, members (phones masked for readers without the contact right)
and cards with how many units reported and the evidence files the caller may download (names, never paths); its
issued 调度/通报/总结."""

from __future__ import annotations

from rest_framework import serializers

from anlan.core import rules as core_rules
from anlan.core.permissions import has_right

from ..forms.campaigns import CampaignFilter, DecisionTaskFilter, MeetingFilter
from ..models import Campaign, Decision, DecisionTask, Meeting
from ..selectors import campaigns as selectors
from . import ScopedReadOnly


class DecisionTaskSerializer(serializers.ModelSerializer):
    assignee_name = serializers.CharField(source="assignee.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    decision_text = serializers.CharField(source="decision.text", read_only=True)
    meeting = serializers.IntegerField(source="decision.meeting_id", read_only=True)

    class Meta:
        model = DecisionTask
        fields = [
            "id",
            "meeting",
            "decision",
            "decision_text",
            "assignee",
            "assignee_name",
            "due_on",
            "status",
            "status_display",
            "reported_at",
            "closed_at",
            "overdue_flagged_on",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    tasks = DecisionTaskSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "position", "text", "due_on", "tasks"]


class MeetingSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "held_on",
            "chair",
            "attendees",
            "topics",
            "office",
            "office_name",
            "region",
            "decisions",
            "created_at",
        ]


class MeetingViewSet(ScopedReadOnly):
    """安委会会议 in the caller's jurisdiction, with decisions and their tasks."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    model = Meeting

    def rows(self, user):
        return selectors.meeting_list(user).prefetch_related("decisions__tasks__assignee")


class DecisionTaskViewSet(ScopedReadOnly):
    """议定事项承办: each assigned unit's part, as the caller may see it (an assignee its own)."""

    serializer_class = DecisionTaskSerializer
    filterset_class = DecisionTaskFilter
    model = DecisionTask

    def rows(self, user):
        return selectors.task_list(user)


class CampaignSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    tag_code = serializers.CharField(source="tag.code", read_only=True)
    areas = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    cards = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "themes",
            "starts_on",
            "ends_on",
            "office",
            "office_name",
            "lead_unit",
            "lead_unit_name",
            "region",
            "tag_code",
            "areas",
            "members",
            "cards",
            "reports",
        ]

    def get_areas(self, campaign) -> list[dict]:
        return [
            {"name": area.name, "industries": [i.code for i in area.industries.all()]}
            for area in campaign.areas.all()
        ]

    def get_members(self, campaign) -> list[dict]:
        request = self.context.get("request")
        full = request is not None and has_right(request.user, "core.view_contact")
        return [
            {
                "unit": m.unit_id,
                "unit_name": m.unit.name,
                "liaison_name": m.liaison_name,
                "liaison_phone": m.liaison_phone if full else core_rules.mask_phone(m.liaison_phone),
                "is_active": m.is_active,
            }
            for m in selectors.members_of(campaign)
        ]

    def get_reports(self, campaign) -> list[dict]:
        return [
            {
                "id": report.pk,
                "period": report.period,
                "starts_on": report.starts_on,
                "ends_on": report.ends_on,
                "number": report.document.number,
                "title": report.document.title,
                "issued_at": report.issued_at,
                "is_scheduled": report.is_scheduled,
            }
            for report in selectors.report_list(campaign)
        ]

    def get_cards(self, campaign) -> list[dict]:
        request = self.context.get("request")
        evidence = selectors.card_evidence_for(request.user, campaign) if request is not None else {}
        return [
            {
                "id": card.pk,
                "month": card.month,
                "title": card.title,
                "report_by": card.report_by,
                "reported": card.reported,
                "evidence": evidence.get(card.pk, []),
            }
            for card in selectors.cards_of(campaign)
        ]


class CampaignViewSet(ScopedReadOnly):
    """专项整治 in the caller's jurisdiction, with areas, members and cards."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    model = Campaign

    def rows(self, user):
        return selectors.campaign_list(user).prefetch_related("areas__industries")
