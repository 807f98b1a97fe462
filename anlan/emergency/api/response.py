"""Read-only API of the response part: incidents (突发事件) with their responses — scoped like the pages."""

from __future__ import annotations

from rest_framework import serializers

from ..forms.response import IncidentFilter
from ..models import Incident, Response
from ..selectors import response as selectors
from . import ScopedReadOnly


class ResponseSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "level",
            "level_display",
            "plan",
            "commander_name",
            "commander_phone",
            "post_place",
            "status",
            "status_display",
            "started_at",
            "ended_at",
        ]


class IncidentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    grade_display = serializers.CharField(source="grade_label", read_only=True)
    responses = ResponseSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "occurred_at",
            "region",
            "region_name",
            "place",
            "enterprise",
            "accident",
            "grade",
            "grade_display",
            "summary",
            "reported_at",
            "closed_at",
            "responses",
        ]


class IncidentViewSet(ScopedReadOnly):
    """突发事件 in the caller's jurisdiction, each with its responses (level, commander, status)."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    model = Incident

    def rows(self, user):
        return (
            selectors.incident_list(user)
            .select_related("region")
            .prefetch_related("responses")
            .order_by("-occurred_at", "-pk")
        )
