"""Read-only API of 四级包保, scoped like the pages; assignments carry their computed overdue flag."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from anlan.core.api import ScopedReadOnly

from .. import rules
from ..forms.baobao import AssignmentFilter
from ..models import Assignment, Visit
from ..selectors import baobao as selectors


class AssignmentSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(read_only=True)
    target_name = serializers.CharField(read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "leader",
            "leader_name",
            "leader_post",
            "level",
            "level_display",
            "kind",
            "kind_display",
            "target_type",
            "town",
            "enterprise",
            "point",
            "target_name",
            "year",
            "started_on",
            "every_days",
            "is_active",
            "region",
            "last_visited_on",
            "due_on",
            "is_overdue",
        ]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_active and rules.baobao_visit_is_overdue(obj.due_on, timezone.localdate())


class AssignmentViewSet(ScopedReadOnly):
    """包保关系 in the caller's scope."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    model = Assignment

    def rows(self, user):
        return selectors.assignment_list(user)


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = ["id", "assignment", "visited_on", "checked", "findings", "problems_found", "recorded_at"]


class VisitViewSet(ScopedReadOnly):
    """包保走访 in the caller's scope."""

    serializer_class = VisitSerializer
    model = Visit

    def rows(self, user):
        return selectors.visit_list(user)
