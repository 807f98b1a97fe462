"""Read-only API of the forces part: rescue teams, shelters and the expert library, scoped like the pages."""

from __future__ import annotations

from rest_framework import serializers

from ..forms.forces import ExpertFilter, ShelterFilter, TeamFilter
from ..models import Expert, RescueTeam, Shelter
from ..selectors import forces as selectors
from . import ScopedReadOnly


class RescueTeamSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = RescueTeam
        fields = [
            "id",
            "name",
            "kind",
            "unit",
            "region",
            "region_name",
            "leader",
            "leader_phone",
            "members",
            "specialties",
            "equipment",
            "latitude",
            "longitude",
            "status",
            "updated_at",
        ]


class ShelterSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Shelter
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "capacity",
            "area_m2",
            "manager",
            "manager_phone",
            "facilities",
            "status",
            "updated_at",
        ]


class ExpertSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    specialties = serializers.ListField(
        source="specialty_codes", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "phone",
            "employer",
            "title",
            "specialties",
            "region",
            "region_name",
            "is_available",
            "unavailable_until",
        ]


class RescueTeamViewSet(ScopedReadOnly):
    """救援队伍 in the caller's jurisdiction."""

    serializer_class = RescueTeamSerializer
    filterset_class = TeamFilter
    model = RescueTeam

    def rows(self, user):
        return selectors.team_list(user).order_by("region_id", "name", "pk")


class ShelterViewSet(ScopedReadOnly):
    """避难场所 in the caller's jurisdiction."""

    serializer_class = ShelterSerializer
    filterset_class = ShelterFilter
    model = Shelter

    def rows(self, user):
        return selectors.shelter_list(user).order_by("region_id", "name", "pk")


class ExpertViewSet(ScopedReadOnly):
    """应急专家库 in the caller's jurisdiction (experts themselves see none)."""

    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter
    model = Expert

    def rows(self, user):
        return selectors.expert_list(user).order_by("name", "pk")
