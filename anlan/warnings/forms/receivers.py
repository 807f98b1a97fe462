"""Forms and the list filter of the places' warning receivers (第六十五条). Forms only parse input."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, scoped_regions
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Enterprise


class PlaceFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("场所或接收人"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    receiver = django_filters.ChoiceFilter(
        label=_("接收人"),
        choices=[("named", _("已指定")), ("missing", _("未指定"))],
        method="filter_receiver",
    )

    class Meta:
        model = Enterprise
        fields = ["q", "region", "receiver"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(warning_receiver__name__icontains=value))

    def filter_receiver(self, queryset, name, value):
        return queryset.filter(warning_receiver__isnull=(value == "missing"))


class ReceiverForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("预警信息接收人"), max_length=50)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("预警信息以短信送达此号码，附一键确认链接。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
