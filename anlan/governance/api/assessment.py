"""Read-only API of 考核, scoped like the pages: the runs a user may open (the ranking table, without other units'
lines) and the unit results with their lines and records (the 安委办's and leaders'; a unit's own once
published)."""

from __future__ import annotations

from rest_framework import serializers

from anlan.core.api import ScopedReadOnly

from ..models import AssessmentRun, ResultLine, UnitResult
from ..selectors import assessment as selectors


class RankingRowSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_kind = serializers.CharField(source="unit.kind", read_only=True)

    class Meta:
        model = UnitResult
        fields = ["id", "unit", "unit_name", "unit_kind", "rank", "score", "deducted", "added", "vetoed"]


class RunSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="scheme.year", read_only=True)
    title = serializers.CharField(source="scheme.title", read_only=True)
    region = serializers.CharField(source="scheme.region_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    ranking = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentRun
        fields = [
            "id",
            "year",
            "title",
            "region",
            "status",
            "status_display",
            "as_of",
            "unit_count",
            "computed_at",
            "published_at",
            "ranking",
        ]

    def get_ranking(self, run) -> list[dict]:
        return RankingRowSerializer(selectors.ranking(run), many=True).data


class RunViewSet(ScopedReadOnly):
    """考核结果 and their ranking tables the caller may read."""

    serializer_class = RunSerializer
    model = AssessmentRun

    def rows(self, user):
        return selectors.run_list(user)


class LineSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    kind = serializers.CharField(source="indicator.kind", read_only=True)
    category = serializers.CharField(source="indicator.category", read_only=True)

    class Meta:
        model = ResultLine
        fields = [
            "indicator",
            "indicator_name",
            "kind",
            "category",
            "occurrences",
            "points",
            "capped",
            "records",
        ]


class ResultSerializer(RankingRowSerializer):
    run = serializers.IntegerField(source="run_id", read_only=True)
    lines = LineSerializer(many=True, read_only=True)

    class Meta(RankingRowSerializer.Meta):
        fields = [*RankingRowSerializer.Meta.fields, "run", "lines"]


class ResultViewSet(ScopedReadOnly):
    """单位考核结果 with every line and its records."""

    serializer_class = ResultSerializer
    model = UnitResult

    def rows(self, user):
        return (
            selectors.result_list(user)
            .select_related("unit")
            .prefetch_related("lines__indicator")
            .order_by("run_id", "rank")
        )
