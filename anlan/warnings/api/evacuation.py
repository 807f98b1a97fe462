"""Read-only API of 转移避险, scoped like the pages: the towns' evacuations with their 应转必转 counts and rate
(SQL aggregates), and the households (phones masked for readers who do not register moves)."""

from __future__ import annotations

from rest_framework import serializers

from anlan.core.permissions import has_right
from anlan.core.rules import mask_phone

from .. import rules
from ..forms.evacuation import EvacuationFilter, HouseholdFilter
from ..models import Evacuation, Household
from ..selectors import evacuation as selectors
from . import ScopedReadOnly


class EvacuationSerializer(serializers.ModelSerializer):
    warning_title = serializers.CharField(source="warning.title", read_only=True)
    warning_status = serializers.CharField(source="warning.status", read_only=True)
    town_name = serializers.CharField(source="town.name", read_only=True)
    to_move = serializers.IntegerField(read_only=True, help_text="people to move")
    moved = serializers.IntegerField(read_only=True, help_text="people moved (returned ones included)")
    unmoved = serializers.IntegerField(read_only=True, help_text="households still to move")
    rate = serializers.SerializerMethodField(help_text="应转必转率 in per cent; null when nobody is to move")

    class Meta:
        model = Evacuation
        fields = [
            "id",
            "warning",
            "warning_title",
            "warning_status",
            "town",
            "town_name",
            "to_move",
            "moved",
            "unmoved",
            "rate",
            "created_at",
        ]

    def get_rate(self, evacuation) -> float | None:
        rate = rules.evacuation_rate(evacuation.moved, evacuation.to_move)
        return None if rate is None else float(rate)


class EvacuationViewSet(ScopedReadOnly):
    """转移避险 per warning and town in the caller's jurisdiction."""

    serializer_class = EvacuationSerializer
    filterset_class = EvacuationFilter
    model = Evacuation

    def rows(self, user):
        return selectors.evacuation_list(user).order_by("-warning_id", "town_id", "pk")


class HouseholdSerializer(serializers.ModelSerializer):
    warning = serializers.IntegerField(source="evacuation.warning_id", read_only=True)
    town_name = serializers.CharField(source="evacuation.town.name", read_only=True)
    point_name = serializers.CharField(source="point.name", read_only=True, default="")
    shelter_name = serializers.CharField(source="shelter.name", read_only=True, default="")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "id",
            "evacuation",
            "warning",
            "town_name",
            "point",
            "point_name",
            "head_name",
            "phone",
            "households",
            "people",
            "status",
            "status_display",
            "shelter_kind",
            "shelter",
            "shelter_name",
            "shelter_note",
            "moved_at",
            "returned_at",
        ]

    def get_phone(self, household) -> str:
        if has_right(self.context["request"].user, selectors.EVACUATE):
            return household.phone
        return mask_phone(household.phone)


class HouseholdViewSet(ScopedReadOnly):
    """The households of the caller's evacuations, filtered by warning, status or name."""

    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter
    model = Household

    def rows(self, user):
        return (
            Household.objects.for_user(user)
            .select_related("evacuation__town", "point", "shelter")
            .order_by("evacuation_id", "status", "pk")
        )
