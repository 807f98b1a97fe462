"""Read-only API of the five-colour rating, scoped like the pages. An enterprise user sees its own rating only
while approved (the computed colour of a pending change is the county office's to approve first)."""

from __future__ import annotations

from rest_framework import serializers

from anlan.core.api import ScopedReadOnly

from ..forms.rating import RatingFilter
from ..models import Rating
from ..selectors import rating as selectors


class RatingSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    region = serializers.CharField(source="enterprise.region_id", read_only=True)
    colour_display = serializers.CharField(source="get_colour_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Rating
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "uscc",
            "region",
            "colour",
            "colour_display",
            "reasons",
            "computed_at",
            "status",
            "status_display",
            "approved_colour",
            "approved_reasons",
            "approved_at",
        ]


class RatingViewSet(ScopedReadOnly):
    """五色评定 of the enterprises in the caller's scope."""

    serializer_class = RatingSerializer
    filterset_class = RatingFilter
    model = Rating

    def rows(self, user):
        rows = selectors.rating_list(user)
        return rows if selectors.shows_pending(user) else rows.filter(status=Rating.Status.APPROVED)
