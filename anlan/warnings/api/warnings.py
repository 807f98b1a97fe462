"""Read-only API of warnings: the list and detail a user may open (as on the pages), and a warning's
confirmation board per town for the warning's own scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anlan.core.permissions import has_right

from .. import rules
from ..forms.warnings import WarningFilter
from ..models import Warning
from ..selectors import warnings as selectors
from . import ScopedReadOnly


class WarningSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    colour = serializers.SerializerMethodField()
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    hazard_display = serializers.CharField(source="get_hazard_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True, default="")

    class Meta:
        model = Warning
        fields = [
            "id",
            "kind",
            "category",
            "hazard",
            "hazard_display",
            "level",
            "level_display",
            "colour",
            "title",
            "region",
            "region_name",
            "area",
            "starts_at",
            "ends_at",
            "matters",
            "measures",
            "issuer_name",
            "issued_at",
            "status",
            "status_display",
            "revision",
            "lifted_at",
            "lift_reason",
        ]

    def get_colour(self, warning) -> str | None:
        return rules.warning_colour(warning.level) if warning.level else None


BOARD_KEYS = ("code", "name", "confirmed", "pending", "escalated", "total")


def board_row_fields() -> dict:
    return {
        key: serializers.CharField() if key in ("code", "name") else serializers.IntegerField()
        for key in BOARD_KEYS
    }


class WarningViewSet(ScopedReadOnly):
    """预警: the ones the caller may open — their scope's (drafts there only) and those they received."""

    serializer_class = WarningSerializer
    filterset_class = WarningFilter
    model = Warning

    def rows(self, user):
        return selectors.visible(user).order_by("-issued_at", "-pk")

    @extend_schema(
        responses=inline_serializer(
            "WarningBoard",
            {
                "revision": serializers.IntegerField(),
                "not_sent": serializers.IntegerField(),
                "totals": inline_serializer("WarningBoardTotals", board_row_fields()),
                "rows": inline_serializer("WarningBoardRow", board_row_fields(), many=True),
            },
        )
    )
    @action(detail=True)
    def board(self, request, pk=None):
        """The confirmation board of the live revision, per town (the warning's own scope only)."""
        warning = self.get_object()
        if not Warning.objects.for_user(request.user).filter(pk=warning.pk).exists():
            raise Http404  # a recipient sees the warning, not who else confirmed
        if not has_right(request.user, "warnings.view_board"):
            raise PermissionDenied
        board = selectors.board(warning)

        def row(entry):
            return {key: getattr(entry, key) for key in BOARD_KEYS} | {"name": str(entry.name)}

        return Response(
            {
                "revision": warning.revision,
                "not_sent": board.not_sent,
                "totals": row(board.totals),
                "rows": [row(entry) for entry in board.rows],
            }
        )
