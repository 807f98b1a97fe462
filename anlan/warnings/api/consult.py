"""Read-only API of 会商研判 and 安全风险提示单, scoped like the pages; a bulletin carries its measures and each
recipient unit's receipt status."""

from __future__ import annotations

from rest_framework import serializers

from ..forms.consult import BulletinFilter, ConsultationFilter
from ..models import Bulletin, BulletinMeasure, Consultation
from ..selectors import consult as selectors
from . import ScopedReadOnly


class ConsultationSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    convener_name = serializers.CharField(source="convener.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    risk_level_display = serializers.CharField(source="get_risk_level_display", read_only=True)
    department_names = serializers.SlugRelatedField(
        source="departments", slug_field="name", many=True, read_only=True
    )

    class Meta:
        model = Consultation
        fields = [
            "id",
            "held_at",
            "kind",
            "kind_display",
            "topic",
            "convener",
            "convener_name",
            "region",
            "region_name",
            "departments",
            "department_names",
            "attendees",
            "situation",
            "judgement",
            "risk_level",
            "risk_level_display",
            "follow_ups",
            "warning",
            "created_at",
        ]


class ConsultationViewSet(ScopedReadOnly):
    """会商研判 in the caller's jurisdiction."""

    serializer_class = ConsultationSerializer
    filterset_class = ConsultationFilter
    model = Consultation

    def rows(self, user):
        return selectors.consultation_list(user).prefetch_related("departments")


class BulletinMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = BulletinMeasure
        fields = ["id", "position", "text"]


class BulletinSerializer(serializers.ModelSerializer):
    sender_unit_name = serializers.CharField(source="sender_unit.name", read_only=True)
    risk_level_display = serializers.CharField(source="get_risk_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    measures = BulletinMeasureSerializer(many=True, read_only=True)
    receipts = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "consultation",
            "title",
            "risk_level",
            "risk_level_display",
            "content",
            "sender_unit",
            "sender_unit_name",
            "region",
            "sent_at",
            "confirm_by",
            "status",
            "status_display",
            "closed_at",
            "measures",
            "receipts",
        ]

    def get_receipts(self, bulletin) -> list[dict]:
        return [
            {
                "unit": task.recipient_unit_id,
                "unit_name": task.recipient_unit.name,
                "status": task.status,
                "confirmed_at": task.confirmed_at,
                "escalation_level": task.escalation_level,
            }
            for task in selectors.tasks_of(bulletin)
        ]


class BulletinViewSet(ScopedReadOnly):
    """安全风险提示单 in the caller's jurisdiction (sent by or above them), with each recipient's receipt."""

    serializer_class = BulletinSerializer
    filterset_class = BulletinFilter
    model = Bulletin

    def rows(self, user):
        return selectors.bulletin_list(user).prefetch_related("measures").order_by("-sent_at", "-pk")
