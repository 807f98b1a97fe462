"""Forms and the list filter of the warning pages: they parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet
from anlan.core.forms import BootstrapMixin, IndustryMultipleChoiceField, RegionChoiceField
from anlan.core.models import Department, Industry, Region

from .. import rules
from ..models import Warning, WarningRecipient

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})
LEVEL_CHOICES = [("", "---------")] + [(level, rules.level_label(level)) for level, _label in rules.LEVELS]


def _when(**kw):
    return forms.DateTimeField(widget=WHEN, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kw)


class WarningForm(BootstrapMixin, forms.Form):
    """A draft: every field 第六十四条 requires may still be empty here; issuing checks them."""

    kind = forms.ChoiceField(label=_("预警种类"), choices=rules.KINDS)
    category = forms.ChoiceField(
        label=_("预警类别"),
        choices=[("", "---------"), *rules.CATEGORIES],
        required=False,
        help_text=_("突发事件预警须填写；社会安全事件不分预警级别，不在此发布。"),
    )
    hazard = forms.ChoiceField(label=_("灾种"), choices=rules.HAZARD_CHOICES)
    level = forms.TypedChoiceField(
        label=_("级别"), choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    region = RegionChoiceField(label=_("预警区域"), queryset=Region.objects.none())
    area = forms.CharField(label=_("可能影响的范围"), widget=TEXT, required=False)
    starts_at = _when(label=_("起始时间"), required=False)
    ends_at = _when(label=_("预计结束时间"), required=False)
    matters = forms.CharField(label=_("警示事项"), widget=TEXT, required=False)
    measures = forms.CharField(label=_("应当采取的措施"), widget=TEXT, required=False)
    groups = forms.MultipleChoiceField(
        label=_("发送对象"),
        choices=rules.TARGET_GROUPS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("指定的行业部门"), queryset=Department.objects.none(), required=False
    )
    industries = IndustryMultipleChoiceField(
        label=_("企业所属行业"), queryset=Industry.objects.none(), required=False
    )
    flags = forms.MultipleChoiceField(
        label=_("企业标记"),
        choices=rules.ENTERPRISE_FLAGS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, regions=None, departments=None, industries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions
        if departments is not None:
            self.fields["departments"].queryset = departments
        if industries is not None:
            self.fields["industries"].queryset = industries

    @staticmethod
    def initial_of(warning: Warning) -> dict:
        targets = rules.clean_targets(warning.targets)
        return {
            "kind": warning.kind,
            "category": warning.category,
            "hazard": warning.hazard,
            "level": warning.level,
            "title": warning.title,
            "region": warning.region_id,
            "area": warning.area,
            "starts_at": warning.starts_at,
            "ends_at": warning.ends_at,
            "matters": warning.matters,
            "measures": warning.measures,
            **targets,
        }

    def values(self) -> dict:
        """The service's `values` from the cleaned data."""
        data = dict(self.cleaned_data)
        data["targets"] = {
            "groups": data.pop("groups", []),
            "departments": [d.pk for d in data.pop("departments", [])],
            "industries": [i.pk for i in data.pop("industries", [])],
            "flags": data.pop("flags", []),
        }
        return data


class LevelForm(BootstrapMixin, forms.Form):
    level = forms.TypedChoiceField(label=_("调整为"), choices=LEVEL_CHOICES[1:], coerce=int)
    reason = forms.CharField(label=_("调整理由"), widget=TEXT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_level_%s")  # its `reason` shares the page with the lifting form's
        super().__init__(*args, **kwargs)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("说明"), widget=TEXT)


class MeasuresForm(BootstrapMixin, forms.Form):
    """The checklist of a level (第六十六条/第六十七条): one box per measure, and a note."""

    note = forms.CharField(label=_("落实说明"), widget=TEXT, required=False)

    def __init__(self, *args, level: int, done: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = rules.checklist(level)
        for code, article, label in self.measures:
            self.fields[f"m_{code}"] = forms.BooleanField(
                label=f"{label}（{article}）", required=False, initial=bool((done or {}).get(code))
            )
            self.fields[f"m_{code}"].widget.attrs["class"] = "form-check-input"
        self.order_fields([f"m_{code}" for code, _a, _l in self.measures] + ["note"])

    def done(self) -> dict:
        return {code: bool(self.cleaned_data.get(f"m_{code}")) for code, _a, _l in self.measures}


class WarningFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("标题或范围"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=rules.STATUSES)
    hazard = django_filters.ChoiceFilter(label=_("灾种"), choices=rules.HAZARD_CHOICES)
    level = django_filters.ChoiceFilter(label=_("级别"), choices=LEVEL_CHOICES[1:])
    kind = django_filters.ChoiceFilter(label=_("预警种类"), choices=rules.KINDS)
    issued_from = django_filters.DateFilter(
        label=_("发布日期自"),
        field_name="issued_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    issued_to = django_filters.DateFilter(
        label=_("至"),
        field_name="issued_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Warning
        fields = ["q", "status", "kind", "hazard", "level", "issued_from", "issued_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__contains=value) | Q(area__contains=value))


class RecipientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名或单位"), method="filter_q")
    reason = django_filters.ChoiceFilter(label=_("接收原因"), choices=WarningRecipient.Reason.choices)
    state = django_filters.ChoiceFilter(
        label=_("确认情况"),
        choices=[
            ("confirmed", _("已确认")),
            ("pending", _("待确认")),
            ("escalated", _("已升级")),
            ("unsent", _("未发送")),
        ],
        method="filter_state",
    )

    class Meta:
        model = WarningRecipient
        fields = ["q", "reason", "state"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(unit_name__contains=value))

    def filter_state(self, queryset, name, value):
        if value == "unsent":
            return queryset.filter(task__isnull=True)
        return queryset.filter(task__status=value)
