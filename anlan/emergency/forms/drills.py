"""Forms of drills: record a held drill, evaluate it, note a problem, make a problem a hazard."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet
from anlan.core.forms import BootstrapMixin

from ..models import Drill

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title}（{obj.get_kind_display()}）"


class DrillForm(BootstrapMixin, forms.Form):
    plan = PlanChoiceField(label=_("演练预案"), queryset=None)
    title = forms.CharField(label=_("演练名称"), max_length=200)
    kind = forms.ChoiceField(label=_("演练形式"), choices=Drill.Kind.choices)
    held_on = forms.DateField(label=_("演练日期"), widget=DATE)
    place = forms.CharField(label=_("演练地点"), max_length=200)
    scenario = forms.CharField(label=_("演练情景"), widget=forms.Textarea(attrs={"rows": 3}))
    participants = forms.IntegerField(label=_("参演人数"), min_value=1)
    participating_units = forms.CharField(label=_("参演单位"), max_length=300, required=False)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


class EvaluateForm(BootstrapMixin, forms.Form):
    evaluated_on = forms.DateField(label=_("评估日期"), widget=DATE)
    conclusion = forms.ChoiceField(label=_("评估结论"), choices=Drill.Conclusion.choices)
    evaluation = forms.CharField(label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ProblemForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 2}))


class HazardForm(BootstrapMixin, forms.Form):
    due_on = forms.DateField(label=_("整改期限"), widget=DATE)


class DrillFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("演练名称或组织单位"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("演练形式"), choices=Drill.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Drill.Status.choices)
    date_from = django_filters.DateFilter(label=_("演练日期起"), field_name="held_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("演练日期止"), field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Drill
        fields = ["q", "kind", "status", "date_from", "date_to"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(title__icontains=value) | Q(owner__name__icontains=value))
