"""Read-only API of 督查问题, 两书一函 and 问责记录, scoped like the pages (a department sees only what is addressed
to its own unit); a problem carries its hazard record's number, state, deadline and overdue flag."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from anlan.core.api import ScopedReadOnly

from .. import rules
from ..forms.problems import AccountabilityFilter, LetterFilter, ProblemFilter
from ..models import AccountabilityRecord, GovernmentLetter, Problem
from ..selectors import problems as selectors


class ProblemSerializer(serializers.ModelSerializer):
    """A problem with its hazard record's facts (number, state, deadline, closing day, overdue)."""

    visit_title = serializers.CharField(source="visit.title", read_only=True)
    source = serializers.CharField(source="visit.source", read_only=True)
    source_document = serializers.CharField(source="visit.source_document", read_only=True)
    issuer_name = serializers.CharField(source="visit.issuer.name", read_only=True)
    hazard_number = serializers.CharField(source="hazard.number", read_only=True)
    description = serializers.CharField(source="hazard.description", read_only=True)
    assignee = serializers.IntegerField(source="hazard.responsible_unit_id", read_only=True)
    assignee_name = serializers.CharField(source="hazard.responsible_unit.name", read_only=True)
    region = serializers.CharField(source="hazard.region_id", read_only=True)
    found_on = serializers.DateField(source="hazard.found_on", read_only=True)
    due_on = serializers.DateField(source="hazard.due_on", read_only=True)
    status = serializers.CharField(source="hazard.status", read_only=True)
    status_display = serializers.CharField(source="hazard.get_status_display", read_only=True)
    closed_on = serializers.DateField(source="hazard.closed_on", read_only=True)
    is_overdue = serializers.BooleanField(source="hazard.missed_deadline", read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "visit",
            "visit_title",
            "source",
            "source_document",
            "issuer_name",
            "position",
            "hazard",
            "hazard_number",
            "description",
            "requirement",
            "assignee",
            "assignee_name",
            "region",
            "found_on",
            "due_on",
            "status",
            "status_display",
            "is_overdue",
            "root_cause",
            "systemic_measure",
            "closed_on",
        ]


class ProblemViewSet(ScopedReadOnly):
    """督查问题 in the caller's scope."""

    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter
    model = Problem

    def rows(self, user):
        return selectors.problem_list(user)


class LetterSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    number = serializers.CharField(source="document.number", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    reply_is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = GovernmentLetter
        fields = [
            "id",
            "kind",
            "kind_display",
            "number",
            "title",
            "content",
            "issuer",
            "issuer_name",
            "recipient",
            "recipient_name",
            "problem",
            "issued_on",
            "reply_due_on",
            "reply",
            "replied_on",
            "status",
            "status_display",
            "reply_is_overdue",
        ]

    def get_reply_is_overdue(self, obj) -> bool:
        return rules.letter_reply_is_overdue(obj.reply_due_on, timezone.localdate(), obj.replied_on)


class LetterViewSet(ScopedReadOnly):
    """两书一函 in the caller's scope."""

    serializer_class = LetterSerializer
    filterset_class = LetterFilter
    model = GovernmentLetter

    def rows(self, user):
        return selectors.letter_list(user).order_by("-issued_on", "-pk")


class AccountabilitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    subject_unit_name = serializers.CharField(source="subject_unit.name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True)
    cause_type = serializers.SlugRelatedField(slug_field="model", read_only=True)

    class Meta:
        model = AccountabilityRecord
        fields = [
            "id",
            "kind",
            "kind_display",
            "subject_unit",
            "subject_unit_name",
            "person_name",
            "person_title",
            "decided_on",
            "reason",
            "decided_by",
            "decided_by_name",
            "problem",
            "cause_type",
            "cause_id",
            "cause_label",
        ]


class AccountabilityViewSet(ScopedReadOnly):
    """问责记录 in the caller's scope (a unit sees the records about itself)."""

    serializer_class = AccountabilitySerializer
    filterset_class = AccountabilityFilter
    model = AccountabilityRecord

    def rows(self, user):
        return selectors.accountability_list(user).order_by("-decided_on", "-pk")
