"""Read-only API of 两个清单: the 责任清单 with their items, and the 工作任务 with their derived status, their kind
and 工作数据 (facts, as stored: the shapes are in docs/models/governance-duties.md) and evidence (titles and links
only), scoped like the pages."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from anlan.core.api import ScopedReadOnly

from .. import rules
from ..forms.duties import DutyListFilter, WorkTaskFilter
from ..models import DutyItem, DutyList, TaskEvidence, WorkTask
from ..selectors import duties as selectors


class DutyItemSerializer(serializers.ModelSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = DutyItem
        fields = ["id", "position", "category", "category_display", "text", "basis", "industries", "regions"]


class DutyListSerializer(serializers.ModelSerializer):
    holder_name = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    items = DutyItemSerializer(many=True, read_only=True)

    class Meta:
        model = DutyList
        fields = [
            "id",
            "holder_unit",
            "holder_user",
            "holder_name",
            "holder_post",
            "year",
            "version",
            "region",
            "owner_unit",
            "status",
            "status_display",
            "previous",
            "submitted_at",
            "reviewed_at",
            "review_note",
            "items",
        ]


class DutyListViewSet(ScopedReadOnly):
    """责任清单 in the caller's jurisdiction, each with its items."""

    serializer_class = DutyListSerializer
    filterset_class = DutyListFilter
    model = DutyList

    def rows(self, user):
        return selectors.list_list(user).prefetch_related("items__industries", "items__regions")


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskEvidence
        fields = ["id", "file_name", "record_title", "note", "added_at"]


class WorkTaskSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    shown_status = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    facts_summary = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = WorkTask
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "title",
            "kind",
            "kind_display",
            "description",
            "due_on",
            "duty_item",
            "facts",
            "facts_summary",
            "status",
            "shown_status",
            "report_note",
            "reported_on",
            "completed_on",
            "evidence",
        ]

    def get_facts_summary(self, task) -> str:
        return rules.facts_summary(task.kind, task.facts)

    def get_shown_status(self, task) -> str:
        return rules.task_status(task.status, task.due_on, timezone.localdate(), task.reported_on)


class WorkTaskViewSet(ScopedReadOnly):
    """工作任务 in the caller's jurisdiction; `shown_status` is 逾期 (overdue) when derived so."""

    serializer_class = WorkTaskSerializer
    filterset_class = WorkTaskFilter
    model = WorkTask

    def rows(self, user):
        return selectors.task_list(user).prefetch_related("evidence")
