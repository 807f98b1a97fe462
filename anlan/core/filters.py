"""Filters shared by the pages and the API, so a list and its export and its API answer the same query."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import trees
from .models import Department, Enterprise, Grid, Industry, Region


def scoped_regions(request):
    """The regions a list may be filtered by: the user's scope, from the county down (a filter's queryset)."""
    if request is None:
        return Region.objects.none()
    return Region.objects.for_user(request.user).filter(level__gte=Region.Level.COUNTY)


class RegionSubtreeFilter(django_filters.ModelChoiceFilter):
    """`?region=<code>`: records in that region's whole subtree (a code range, indexed)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(trees.subtree_q(self.field_name, value))


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业领域"), queryset=Industry.objects.all(), method="filter_industry"
    )
    status = django_filters.ChoiceFilter(label=_("经营状态"), choices=Enterprise.Status.choices)
    scale = django_filters.ChoiceFilter(label=_("规模"), choices=Enterprise.Scale.choices)
    major_hazard = django_filters.BooleanFilter(label=_("重大危险源"), field_name="has_major_hazard_source")
    crowded = django_filters.BooleanFilter(label=_("人员密集场所"), field_name="is_crowded_place")
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("name", "name"),
            ("uscc", "uscc"),
            ("region", "region"),
            ("employees", "employees"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("名称"),
            "uscc": _("信用代码"),
            "region": _("区划"),
            "employees": _("从业人员"),
        },
    )

    class Meta:
        model = Enterprise
        fields = ["q", "region", "industry", "status", "scale", "major_hazard", "crowded"]

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(name__icontains=value) | Q(uscc__startswith=value.upper()))

    def filter_industry(self, qs, name, value):
        if not value:
            return qs
        ids = trees.industry_descendants(value.pk)
        through = Enterprise.other_industries.through.objects.filter(industry_id__in=ids)
        return qs.filter(Q(industry_id__in=ids) | Q(pk__in=through.values("enterprise_id")))


class RegionFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(label=_("上级区划代码"), field_name="parent_id")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Region.Level.choices)
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["parent", "level", "q"]


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Department.Kind.choices)

    class Meta:
        model = Department
        fields = ["q", "kind"]


class GridFilter(django_filters.FilterSet):
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Grid
        fields = ["region", "q"]
