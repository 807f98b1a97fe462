"""Forms and filters of the five-colour rating: the list's filters (colour, status, region, industry), the
county criteria form and the batch approval's selection."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core import trees
from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, scoped_regions
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Industry

from ..models import Colour, Rating, RatingConfig


class RatingFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="filter_q")
    colour = django_filters.ChoiceFilter(label=_("评定颜色"), choices=Colour.choices)
    approved_colour = django_filters.ChoiceFilter(label=_("审定颜色"), choices=Colour.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Rating.Status.choices)
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="enterprise__region", to_field_name="code"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业领域"),
        queryset=Industry.objects.all(),
        field_name="enterprise__industry",
        method="filter_industry",
    )

    class Meta:
        model = Rating
        fields = ["q", "colour", "approved_colour", "status", "region", "industry"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__uscc__startswith=value.upper())
        )

    def filter_industry(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(enterprise__industry_id__in=trees.industry_descendants(value.pk))


class RatingConfigForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = RatingConfig
        fields = list(RatingConfig.FIELDS)


class BatchApproveForm(forms.Form):
    """The ratings ticked in the queue (none ticked: every pending rating the user may approve)."""

    ratings = forms.ModelMultipleChoiceField(queryset=Rating.objects.all(), required=False)
