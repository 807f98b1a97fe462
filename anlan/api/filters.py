"""The API's filter backend: `filterset_fields` build their FilterSet on the kernel's scoped base too."""

from django_filters.rest_framework import DjangoFilterBackend

from anlan.core.filters import ScopedFilterSet


class FilterBackend(DjangoFilterBackend):
    filterset_base = ScopedFilterSet
