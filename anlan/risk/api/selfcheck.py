"""Read-only API of 自查记录 (self-inspection runs with their item results), scoped like the pages."""

from __future__ import annotations

from rest_framework import serializers

from anlan.core.api import ScopedReadOnly

from ..forms.selfcheck import RunFilter
from ..models import RunResult, SelfInspectionRun
from ..selectors import selfcheck as selectors


class SelfInspectionResultSerializer(serializers.ModelSerializer):
    content = serializers.CharField(source="item.content", read_only=True)

    class Meta:
        model = RunResult
        fields = ["item", "content", "result", "note", "hazard"]


class SelfInspectionRunSerializer(serializers.ModelSerializer):
    checklist_name = serializers.CharField(source="checklist.name", read_only=True)
    post = serializers.CharField(source="checklist.post", read_only=True)
    frequency = serializers.CharField(source="checklist.frequency", read_only=True)
    results = SelfInspectionResultSerializer(many=True, read_only=True)

    class Meta:
        model = SelfInspectionRun
        fields = [
            "id",
            "enterprise",
            "checklist",
            "checklist_name",
            "post",
            "frequency",
            "done_on",
            "period_start",
            "period_end",
            "is_counted",
            "inspector_name",
            "found_problems",
            "problem_count",
            "notes",
            "recorded_at",
            "results",
        ]


class RunViewSet(ScopedReadOnly):
    """自查记录 in the caller's scope; `found_problems=false` lists the runs that found nothing."""

    serializer_class = SelfInspectionRunSerializer
    filterset_class = RunFilter
    model = SelfInspectionRun

    def rows(self, user):
        return selectors.run_list(user).prefetch_related("results__item").order_by("-done_on", "-pk")
