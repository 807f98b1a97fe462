"""Read-only API of the 严重失信主体名单, scoped like the pages."""

from __future__ import annotations

from rest_framework import serializers

from anlan.core.api import ScopedReadOnly

from ..forms.dishonesty import CaseFilter
from ..models import DishonestyCase
from ..selectors import dishonesty as selectors


class CaseSerializer(serializers.ModelSerializer):
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    subject_kind = serializers.CharField(source="subject.kind", read_only=True)
    agency_type = serializers.CharField(source="subject.agency_type", read_only=True)
    situation_display = serializers.CharField(source="get_situation_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    deciding_unit_name = serializers.CharField(source="deciding_unit.name", read_only=True)

    class Meta:
        model = DishonestyCase
        fields = [
            "id",
            "subject_name",
            "subject_kind",
            "agency_type",
            "enterprise",
            "region",
            "situation",
            "situation_display",
            "basis",
            "source",
            "penalty_reference",
            "deciding_unit",
            "deciding_unit_name",
            "status",
            "status_display",
            "notified_on",
            "notice_number",
            "statement_due_on",
            "stated_on",
            "decided_on",
            "decision_number",
            "listed_on",
            "expires_on",
            "removal_applied_on",
            "removed_on",
            "revoked_on",
        ]


class CaseViewSet(ScopedReadOnly):
    """严重失信主体名单 cases in the caller's scope."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    model = DishonestyCase

    def rows(self, user):
        return selectors.case_list(user)
