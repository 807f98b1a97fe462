"""Read-only API of the people part, scoped like the pages. ID numbers are never given in full (masked like the
pages: first 6 and last 4 kept)."""

from __future__ import annotations

from rest_framework import serializers

from anlan.core.api import ScopedReadOnly
from anlan.core.rules import mask_id_number

from ..forms.people import CertificateFilter, StaffFilter
from ..models import Certificate, StaffMember
from ..selectors import people as selectors


class StaffSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.SerializerMethodField()

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "enterprise",
            "name",
            "id_number_masked",
            "post",
            "is_principal",
            "is_safety_manager",
            "is_special_operator",
            "hired_on",
            "left_on",
        ]

    def get_id_number_masked(self, obj) -> str:
        return mask_id_number(obj.person.id_number)


class StaffViewSet(ScopedReadOnly):
    """从业人员 of the enterprises in the caller's scope."""

    serializer_class = StaffSerializer
    filterset_class = StaffFilter
    model = StaffMember

    def rows(self, user):
        return selectors.staff_list(user).order_by("enterprise_id", "pk")


class CertificateSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="staff.person.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "enterprise",
            "staff",
            "holder",
            "kind",
            "kind_display",
            "category",
            "category_display",
            "operation_item",
            "number",
            "issuing_authority",
            "issued_on",
            "is_coal_mine",
            "review_interval_years",
            "review_window_opens",
            "review_due",
            "last_reviewed_on",
            "valid_until",
            "state",
        ]


class CertificateViewSet(ScopedReadOnly):
    """证书 of the enterprises in the caller's scope, with their state today (rules.certificate_state)."""

    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    model = Certificate

    def rows(self, user):
        return selectors.certificate_list(user).order_by("valid_until", "pk")
