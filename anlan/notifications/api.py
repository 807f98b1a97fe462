"""API for the caller's own notifications: list, read one, mark read (one or all)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anlan.notifications import services
from anlan.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's notifications, newest first; `?unread=1` for unread ones only."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return services.inbox(self.request.user, unread=self.request.query_params.get("unread") == "1")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read."""
        notification = services.mark_read(actor=request.user, notification_pk=pk)
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None, responses=inline_serializer("MarkAllRead", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all the caller's notifications read; returns how many were unread."""
        return Response({"marked": services.mark_all_read(actor=request.user)})
