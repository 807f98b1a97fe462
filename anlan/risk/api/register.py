"""Read-only API of risk points, scoped like the pages (filters as the register list)."""

from __future__ import annotations

from rest_framework import serializers

from anlan.core.api import ScopedReadOnly

from ..forms.register import PointFilter
from ..models import RiskPoint
from ..selectors import register as selectors


class RiskPointSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    colour = serializers.CharField(read_only=True, help_text="red | orange | yellow | blue, or empty")
    accident_type_codes = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "enterprise_uscc",
            "name",
            "kind",
            "kind_display",
            "location",
            "x",
            "y",
            "hazard_factors",
            "accident_type_codes",
            "level",
            "level_display",
            "colour",
            "score",
            "assessed_on",
            "created_at",
        ]


class RiskPointViewSet(ScopedReadOnly):
    """双重预防 risk points in the caller's jurisdiction (an enterprise user: its own), with the current level."""

    serializer_class = RiskPointSerializer
    filterset_class = PointFilter
    model = RiskPoint

    def rows(self, user):
        return selectors.point_list(user).order_by("enterprise_id", "name", "pk")
