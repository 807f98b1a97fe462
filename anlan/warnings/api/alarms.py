"""Read-only API of monitoring alarms, scoped like the pages (filters as the list page)."""

from __future__ import annotations

from rest_framework import serializers

from ..forms.alarms import AlarmFilter
from ..models import Alarm
from ..selectors import alarms as selectors
from . import ScopedReadOnly


class AlarmSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Alarm
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "enterprise_uscc",
            "source",
            "source_id",
            "channel",
            "kind",
            "kind_display",
            "tag",
            "value",
            "threshold",
            "unit",
            "raised_at",
            "received_at",
            "status",
            "status_display",
            "checked_at",
            "check_note",
            "closed_at",
            "resolution",
        ]


class AlarmViewSet(ScopedReadOnly):
    """两重点一重大 monitoring alarms in the caller's jurisdiction (an enterprise user: its own)."""

    serializer_class = AlarmSerializer
    filterset_class = AlarmFilter
    model = Alarm

    def rows(self, user):
        return selectors.alarm_list(user).order_by("-raised_at", "-pk")
