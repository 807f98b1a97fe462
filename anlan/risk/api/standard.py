"""Read-only API of 标准化, 安责险 and 安全生产费用, scoped like the pages."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from anlan.core.api import ScopedReadOnly

from .. import rules
from ..forms.standard import GradeFilter, PolicyFilter, SpendingFilter
from ..models import LiabilityPolicy, SafetySpending, SpendingUse, StandardisationGrade
from ..selectors import standard as selectors


class GradeSerializer(serializers.ModelSerializer):
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = StandardisationGrade
        fields = [
            "id",
            "enterprise",
            "grade",
            "grade_display",
            "issuing_level",
            "issuing_authority",
            "certificate_no",
            "specialty",
            "issued_on",
            "valid_until",
            "status",
            "status_display",
            "is_current",
            "confirmed_at",
            "flagged_at",
            "flag_basis",
            "withdrawn_on",
            "withdrawal_reason",
            "withdrawal_basis",
        ]

    def get_is_current(self, obj) -> bool:
        return rules.grade_is_current(obj.status, obj.valid_until, timezone.localdate())


class GradeViewSet(ScopedReadOnly):
    """安全生产标准化等级 in the caller's scope."""

    serializer_class = GradeSerializer
    filterset_class = GradeFilter
    model = StandardisationGrade

    def rows(self, user):
        return selectors.grade_list(user).order_by("-issued_on", "-pk")


class PolicySerializer(serializers.ModelSerializer):
    covers_today = serializers.SerializerMethodField()

    class Meta:
        model = LiabilityPolicy
        fields = [
            "id",
            "enterprise",
            "insurer",
            "policy_no",
            "starts_on",
            "ends_on",
            "insured_people",
            "per_person_amount",
            "total_amount",
            "premium",
            "technical_service",
            "covers_today",
        ]

    def get_covers_today(self, obj) -> bool:
        return rules.policy_covers(obj.starts_on, obj.ends_on, timezone.localdate())


class PolicyViewSet(ScopedReadOnly):
    """安责险保单 in the caller's scope."""

    serializer_class = PolicySerializer
    filterset_class = PolicyFilter
    model = LiabilityPolicy

    def rows(self, user):
        return selectors.policy_list(user)


class SpendingUseSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpendingUse
        fields = ["category", "amount"]


class SpendingSerializer(serializers.ModelSerializer):
    uses = SpendingUseSerializer(many=True, read_only=True)

    class Meta:
        model = SafetySpending
        fields = ["id", "enterprise", "year", "extracted", "used", "uses", "note"]


class SpendingViewSet(ScopedReadOnly):
    """安全生产费用 in the caller's scope."""

    serializer_class = SpendingSerializer
    filterset_class = SpendingFilter
    model = SafetySpending

    def rows(self, user):
        return selectors.spending_list(user)
