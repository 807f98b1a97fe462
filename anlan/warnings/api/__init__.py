"""The warnings module's read-only API (one module per part), each viewset on the part's scoped selector."""

from __future__ import annotations

from rest_framework import viewsets


class ScopedReadOnly(viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail of `model`: the rows `rows(user)` gives — the part's scoped selector, as the
    list page uses it — so an id out of scope is a 404, as on the pages."""

    model = None

    def rows(self, user):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a user
            return self.model.objects.none()
        return self.rows(self.request.user)
