"""Forms and list filters of 考核. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet, YesNoFilter
from anlan.core.forms import BootstrapMixin, RegionChoiceField
from anlan.core.models import Region, Role
from anlan.core.scope import memberships_of

from .. import rules
from ..models import AssessmentScheme, Indicator, UnitResult
from ..selectors import assessment_facts as facts

POINTS = {"max_digits": 6, "decimal_places": 2, "min_value": 0}


class SchemeFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("方案名称"), field_name="title", lookup_expr="icontains")
    year = django_filters.NumberFilter(label=_("考核年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssessmentScheme.Status.choices)

    class Meta:
        model = AssessmentScheme
        fields = ["q", "year", "status"]


class RankingFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("单位名称"), field_name="unit__name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(
        label=_("单位类别"),
        field_name="unit__kind",
        choices=[("town", _("乡镇(街道)")), ("department", _("部门"))],
    )
    vetoed = YesNoFilter(label=_("一票否决"))

    class Meta:
        model = UnitResult
        fields = ["q", "kind", "vetoed"]


def _office_regions(user):
    codes = [m.region_id for m in memberships_of(user) if m.role == Role.COMMITTEE_OFFICE and m.region_id]
    if getattr(user, "is_superuser", False):
        return Region.objects.filter(level__lte=Region.Level.COUNTY)
    return Region.objects.filter(pk__in=codes, level__lte=Region.Level.COUNTY)


class SchemeForm(BootstrapMixin, forms.Form):
    region = RegionChoiceField(label=_("考核区划"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("方案名称"), max_length=200)
    base = forms.DecimalField(label=_("基础分"), initial=rules.DEFAULT_BASE, **POINTS)
    maximum = forms.DecimalField(label=_("最高分"), required=False, help_text=_("留空表示不设上限"), **POINTS)
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = _office_regions(user)
        self.fields["region"].queryset = regions
        if not self.initial.get("region") and regions.count() == 1:
            self.initial["region"] = regions.first().pk


class IndicatorForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("指标名称"), max_length=200)
    kind = forms.ChoiceField(label=_("指标类型"), choices=rules.INDICATOR_KINDS)
    category = forms.ChoiceField(label=_("考核类别"), choices=rules.INDICATOR_CATEGORIES)
    applies_to = forms.ChoiceField(label=_("适用对象"), choices=Indicator.AppliesTo.choices)
    provider = forms.ChoiceField(label=_("数据来源"), required=False, help_text=_("人工评分指标不选"))
    points = forms.DecimalField(label=_("每次分值"), required=False, **POINTS)
    cap = forms.DecimalField(
        label=_("分值上限（权重）"), required=False, help_text=_("留空表示不设上限"), **POINTS
    )
    threshold = forms.IntegerField(
        label=_("参数"),
        required=False,
        min_value=0,
        max_value=1000,
        help_text=_("如检查计划完成率（%），默认 100"),
    )
    basis = forms.CharField(label=_("考核依据"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—")] + facts.provider_choices()


class ManualScoreForm(BootstrapMixin, forms.Form):
    indicator = forms.ModelChoiceField(label=_("考核指标"), queryset=Indicator.objects.none())
    unit = forms.ModelChoiceField(label=_("被考核单位"), queryset=None)
    amount = forms.DecimalField(label=_("扣分"), **POINTS)
    evidence = forms.CharField(
        label=_("评分依据"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("检查的台账、现场发现的问题及其记录"),
    )

    def __init__(self, *args, indicators, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["unit"].queryset = units
