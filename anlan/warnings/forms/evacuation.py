"""Forms and the list filter of the evacuation part. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet
from anlan.core.forms import BootstrapMixin

from .. import rules
from ..models import Evacuation, Household

AT = {
    "required": False,
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    "help_text": _("不填即为现在"),
}


class EvacuationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("预警或乡镇"), method="filter_q")
    state = django_filters.ChoiceFilter(
        label=_("预警状态"),
        choices=[("open", _("预警中")), ("ended", _("已结束"))],
        method="filter_state",
    )

    class Meta:
        model = Evacuation
        fields = ["q", "state"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(warning__title__icontains=value) | Q(town__name__icontains=value))

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(warning__status=rules.ISSUED)
        return queryset.exclude(warning__status=rules.ISSUED)


class HouseholdForm(BootstrapMixin, forms.Form):
    head_name = forms.CharField(label=_("户主"), max_length=50)
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    people = forms.IntegerField(label=_("人数"), min_value=1, initial=1)
    note = forms.CharField(label=_("备注"), max_length=200, required=False, help_text=_("如：住址、老弱病残"))


class MoveForm(BootstrapMixin, forms.Form):
    """登记已转移. The shelters offered are those of the user's scope (emergency's public selector)."""

    moved_at = forms.DateTimeField(label=_("转移时间"), **AT)
    shelter_kind = forms.ChoiceField(
        label=_("安置方式"), choices=rules.SHELTER_KINDS, widget=forms.RadioSelect, initial=rules.IN_SHELTER
    )
    shelter = forms.ModelChoiceField(label=_("避难场所"), queryset=None, required=False)
    shelter_note = forms.CharField(
        label=_("安置地点说明"),
        max_length=200,
        required=False,
        help_text=_("投亲靠友的亲友住址，或其他安置地点"),
    )

    def __init__(self, *args, user=None, **kwargs):
        from anlan.emergency.models import Shelter
        from anlan.emergency.selectors.forces import shelter_list

        super().__init__(*args, **kwargs)
        self.fields["shelter"].queryset = (
            shelter_list(user).select_related("region").order_by("region_id", "name")
            if user is not None
            else Shelter.objects.none()
        )
        self.fields["shelter"].label_from_instance = lambda s: f"{s.region.name} · {s.name}（{s.capacity}人）"


class HouseholdFilter(ScopedFilterSet):
    """The households ledger's filter: one warning, a status, a name."""

    q = django_filters.CharFilter(label=_("户主、隐患点或乡镇"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=rules.HOUSEHOLD_STATUSES)
    warning = django_filters.NumberFilter(
        label=_("预警"), field_name="evacuation__warning_id", widget=forms.HiddenInput
    )

    class Meta:
        model = Household
        fields = ["q", "status", "warning"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(head_name__icontains=value)
            | Q(point__name__icontains=value)
            | Q(evacuation__town__name__icontains=value)
        )
