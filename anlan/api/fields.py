"""Serializer fields shared by the modules' APIs."""

from __future__ import annotations

from rest_framework import serializers


class PendingChoiceField(serializers.ChoiceField):
    """A read-only choice not made yet on some records (stored as ""): null until it is, never "" (which is
    outside the enum the schema declares)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return super().to_representation(value) if value else None
