"""Read-only API of duty: rosters with their shifts, who is on duty now, the duty log — scoped like the pages."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from ..models import DutyLogEntry, DutyRoster, DutyShift
from ..selectors import duty as selectors
from ..views.duty import LogFilter, RosterFilter
from . import ScopedReadOnly


class ShiftSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.real_name", read_only=True)
    leader_name = serializers.CharField(source="leader.real_name", read_only=True)

    class Meta:
        model = DutyShift
        fields = [
            "id",
            "starts_at",
            "ends_at",
            "officer",
            "officer_name",
            "officer_phone",
            "leader",
            "leader_name",
            "leader_phone",
        ]


class RosterSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = DutyRoster
        fields = ["id", "unit", "unit_name", "month", "phone", "status", "status_display", "published_at"]


class RosterDetailSerializer(RosterSerializer):
    shifts = ShiftSerializer(many=True, read_only=True)

    class Meta(RosterSerializer.Meta):
        fields = [*RosterSerializer.Meta.fields, "shifts"]


class DutyRosterViewSet(ScopedReadOnly):
    """值班表 in the caller's jurisdiction; the detail lists the month's shifts."""

    filterset_class = RosterFilter
    model = DutyRoster

    def get_serializer_class(self):
        return RosterDetailSerializer if self.action == "retrieve" else RosterSerializer

    def rows(self, user):
        rosters = selectors.roster_list(user).order_by("-month", "unit__name", "pk")
        if self.action == "retrieve":
            rosters = rosters.prefetch_related("shifts__officer", "shifts__leader")
        return rosters


class OnDutySerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    phone = serializers.CharField()
    shifts = serializers.SerializerMethodField()

    def get_shifts(self, office) -> list[dict]:
        return [
            {
                "starts_at": shift.starts_at,
                "ends_at": shift.ends_at,
                "officer": shift.officer,
                "officer_phone": shift.officer_phone,
                "leader": shift.leader,
                "leader_phone": shift.leader_phone,
            }
            for shift in office.shifts
        ]


class DutyNowViewSet(viewsets.ViewSet):
    """值班在岗: every office in the caller's scope with a published roster this month, and who is on duty now."""

    serializer_class = OnDutySerializer

    def list(self, request):
        board = selectors.now_board(request.user, timezone.now(), query=request.query_params.get("q", ""))
        return Response(OnDutySerializer(board, many=True).data)


class LogEntrySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = DutyLogEntry
        fields = [
            "id",
            "unit",
            "unit_name",
            "received_at",
            "source",
            "source_display",
            "summary",
            "caller",
            "caller_phone",
            "incident",
            "passed_to",
            "passed_at",
            "confirmed_by",
            "confirmed_at",
        ]


class DutyLogViewSet(ScopedReadOnly):
    """值班日志 (接报登记) the caller may read."""

    serializer_class = LogEntrySerializer
    filterset_class = LogFilter
    model = DutyLogEntry

    def rows(self, user):
        return selectors.log_list(user).order_by("-received_at", "-pk")
