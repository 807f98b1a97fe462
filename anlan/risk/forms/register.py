"""Forms and the list filter of the register part. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, ScopedModelFilter, scoped_regions
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Enterprise

from ..models import (
    ControlLevel,
    ControlMeasure,
    GradingSettings,
    HazardCheck,
    Level,
    RiskAssessment,
    RiskPoint,
)

TEXT = forms.Textarea(attrs={"rows": 3})
UNASSESSED = "none"

# The LEC tables with the meaning of each value (regulations.md §5).
LEC_L_CHOICES = [
    ("10", _("10 完全可以预料")),
    ("6", _("6 相当可能")),
    ("3", _("3 可能，但不经常")),
    ("1", _("1 可能性小，完全意外")),
    ("0.5", _("0.5 很不可能，可以设想")),
    ("0.2", _("0.2 极不可能")),
    ("0.1", _("0.1 实际不可能")),
]
LEC_E_CHOICES = [
    ("10", _("10 连续暴露")),
    ("6", _("6 每天工作时间内暴露")),
    ("3", _("3 每周一次或偶然暴露")),
    ("2", _("2 每月一次暴露")),
    ("1", _("1 每年几次暴露")),
    ("0.5", _("0.5 非常罕见地暴露")),
]
LEC_C_CHOICES = [
    ("100", _("100 大灾难，许多人死亡")),
    ("40", _("40 灾难，数人死亡")),
    ("15", _("15 非常严重，一人死亡")),
    ("7", _("7 严重，重伤")),
    ("3", _("3 重大，致残")),
    ("1", _("1 引人注目，需要救护")),
]
LS_L_CHOICES = [
    ("5", _("5 极可能发生")),
    ("4", _("4 很可能发生")),
    ("3", _("3 可能发生")),
    ("2", _("2 较不可能发生")),
    ("1", _("1 基本不可能发生")),
]
LS_S_CHOICES = [
    ("5", _("5 特别严重（多人死亡）")),
    ("4", _("4 严重（一人死亡或多人重伤）")),
    ("3", _("3 较严重（重伤）")),
    ("2", _("2 一般（轻伤）")),
    ("1", _("1 轻微（无伤亡）")),
]


class PointFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称、位置或单位"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="enterprise__region", to_field_name="code"
    )
    enterprise = ScopedModelFilter(label=_("生产经营单位"), model=Enterprise)
    level = django_filters.MultipleChoiceFilter(
        label=_("风险等级"), choices=[*Level.choices, (UNASSESSED, _("未评价"))], method="filter_level"
    )
    kind = django_filters.ChoiceFilter(label=_("风险点类型"), choices=RiskPoint.Kind.choices)

    class Meta:
        model = RiskPoint
        fields = ["q", "region", "enterprise", "level", "kind"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(location__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(enterprise__uscc=value.upper())
        )

    def filter_level(self, queryset, name, value):
        if not value:
            return queryset
        levels = ["" if v == UNASSESSED else v for v in value]
        return queryset.filter(level__in=levels)


class PointForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("风险点名称"), max_length=100, help_text=_("如：1号储罐区、动火作业、配电室")
    )
    kind = forms.ChoiceField(label=_("风险点类型"), choices=RiskPoint.Kind.choices)
    location = forms.CharField(label=_("所在区域或位置"), max_length=100, required=False)
    hazard_factors = forms.CharField(
        label=_("危险有害因素"),
        widget=TEXT,
        help_text=_("辨识出的人的不安全行为、物的不安全状态、环境和管理缺陷"),
    )
    accident_types = forms.MultipleChoiceField(
        label=_("可能导致的事故类型"),
        choices=RiskPoint.AccidentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    x = forms.DecimalField(
        label=_("平面图横向位置"),
        min_value=0,
        max_value=1,
        decimal_places=4,
        required=False,
        widget=forms.HiddenInput,
    )
    y = forms.DecimalField(
        label=_("平面图纵向位置"),
        min_value=0,
        max_value=1,
        decimal_places=4,
        required=False,
        widget=forms.HiddenInput,
    )


class AssessForm(BootstrapMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("评价方法"), choices=RiskAssessment.Method.choices, widget=forms.RadioSelect, initial="lec"
    )
    likelihood = forms.ChoiceField(label=_("L 事故发生的可能性"), choices=LEC_L_CHOICES, required=False)
    exposure = forms.ChoiceField(label=_("E 暴露于危险环境的频繁程度"), choices=LEC_E_CHOICES, required=False)
    consequence = forms.ChoiceField(
        label=_("C 发生事故可能造成的后果"), choices=LEC_C_CHOICES, required=False
    )
    ls_likelihood = forms.ChoiceField(label=_("L 可能性"), choices=LS_L_CHOICES, required=False)
    severity = forms.ChoiceField(label=_("S 严重性"), choices=LS_S_CHOICES, required=False)
    assessed_on = forms.DateField(
        label=_("评价日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("likelihood", "exposure", "consequence", "ls_likelihood", "severity"):
            self.fields[name].choices = [("", "---------"), *self.fields[name].choices]


class ControlForm(BootstrapMixin, forms.Form):
    content = forms.CharField(label=_("管控措施"), widget=TEXT)
    kind = forms.ChoiceField(label=_("措施类型"), choices=ControlMeasure.Kind.choices)
    control_level = forms.ChoiceField(label=_("管控层级"), choices=ControlLevel.choices)
    responsible = forms.CharField(label=_("责任人"), max_length=50)


class CheckForm(BootstrapMixin, forms.Form):
    content = forms.CharField(
        label=_("排查内容"), max_length=200, help_text=_("如：检查可燃气体报警仪是否在线")
    )
    frequency = forms.ChoiceField(label=_("排查频次"), choices=HazardCheck.Frequency.choices)


class SitePlanForm(BootstrapMixin, forms.Form):
    image = forms.FileField(
        label=_("厂区平面图"),
        help_text=_("JPEG 或 PNG 图片；上传后在图上点选位置即可标注风险点"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )


class GradingSettingsForm(BootstrapMixin, forms.Form):
    ls_variant = forms.ChoiceField(
        label=_("风险矩阵分级标准"),
        choices=GradingSettings.Variant.choices,
        widget=forms.RadioSelect,
        help_text=_("国家标准未规定风险矩阵法的分级界限；各地做法不一，默认采用 A。"),
    )


LEVEL_CHOICES = dict(Level.choices)
CONTROL_LEVEL_CHOICES = dict(ControlLevel.choices)
