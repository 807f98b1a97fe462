"""Read-only API of geohazard and flood-control points, scoped like the pages (monitors' phones masked for
those who neither keep nor observe the point)."""

from __future__ import annotations

from rest_framework import serializers

from anlan.core.permissions import has_right
from anlan.core.rules import mask_phone

from ..forms.points import PointFilter
from ..models import Point
from ..selectors import points as selectors
from . import ScopedReadOnly


class PointSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    monitor_phone = serializers.SerializerMethodField()

    class Meta:
        model = Point
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "subtype",
            "region",
            "region_name",
            "place",
            "latitude",
            "longitude",
            "households",
            "people",
            "monitor_name",
            "monitor_phone",
            "owner_unit",
            "owner_name",
            "plan_approved_on",
            "is_active",
            "updated_at",
        ]

    def get_monitor_phone(self, point) -> str:
        user = self.context["request"].user
        if has_right(user, "warnings.manage_points") or has_right(user, "warnings.observe_points"):
            return point.monitor_phone
        return mask_phone(point.monitor_phone)


class PointViewSet(ScopedReadOnly):
    """隐患点与防汛重点部位 in the caller's jurisdiction."""

    serializer_class = PointSerializer
    filterset_class = PointFilter
    model = Point

    def rows(self, user):
        return selectors.point_list(user).order_by("region_id", "kind", "name", "pk")
