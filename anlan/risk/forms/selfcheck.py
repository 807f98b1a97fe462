"""Forms and list filters of 自查自改. Forms only parse input; the services decide. The run form grows one result,
note and photo field per active item of its checklist."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import trees
from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, YesNoFilter, scoped_regions
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Enterprise, Industry

from ..models import Checklist, RunResult, SelfInspectionRun
from ..models.selfcheck import Frequency, RiskLevel
from ..selectors import selfcheck as selectors

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUGGESTION = _("建议频次（安澜默认，可由县区调整）：重大、较大风险岗位每日，一般风险每周，低风险每月。")


class ChecklistForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("清单名称"), max_length=100, help_text=_("如：危化品仓库周检表"))
    post = forms.CharField(label=_("岗位/区域"), max_length=100)
    risk_level = forms.ChoiceField(
        label=_("岗位风险等级"), choices=[("", _("未评估")), *RiskLevel.choices], required=False
    )
    frequency = forms.ChoiceField(label=_("自查频次"), choices=Frequency.choices, help_text=SUGGESTION)
    starts_on = forms.DateField(
        label=_("启用日期"), widget=DAY, required=False, help_text=_("自启用后的第一个完整周期起应自查")
    )
    items = forms.CharField(
        label=_("检查内容"),
        widget=forms.Textarea({"rows": 8}),
        help_text=_("每行一项，可用“|”分隔检查依据，如：灭火器在有效期内 | GB 50140"),
    )


class ChecklistEditForm(ChecklistForm):
    starts_on = None
    is_active = forms.BooleanField(label=_("启用"), required=False)


class RunForm(BootstrapMixin, forms.Form):
    """A run of `checklist`: the day, the inspector, then per item `result_<id>`, `note_<id>` and `photo_<id>`."""

    done_on = forms.DateField(label=_("自查日期"), widget=DAY)
    inspector = forms.ModelChoiceField(label=_("检查人（本单位账号）"), queryset=None, required=False)
    inspector_name = forms.CharField(
        label=_("检查人姓名"), max_length=50, required=False, help_text=_("不选账号时填写")
    )
    notes = forms.CharField(label=_("备注"), widget=forms.Textarea({"rows": 2}), required=False)
    due_on = forms.DateField(
        label=_("问题整改期限"), widget=DAY, required=False, help_text=_("发现问题时适用，默认 7 天")
    )
    nothing_found = forms.BooleanField(label=_("本次自查未发现问题"), required=False)

    def __init__(self, *args, checklist: Checklist, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors
        self.fields["inspector"].label_from_instance = lambda u: u.real_name or u.username
        self.items = list(selectors.items_of(checklist))
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.content,
                choices=RunResult.Result.choices,
                widget=forms.RadioSelect,
                initial=RunResult.Result.OK,
                help_text=item.basis,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("问题描述"), max_length=500, required=False
            )
            self.fields[f"photo_{item.pk}"] = forms.ImageField(label=_("照片"), required=False)

    def head_fields(self):
        return [self[name] for name in ("done_on", "inspector", "inspector_name")]

    def tail_fields(self):
        return [self[name] for name in ("due_on", "notes")]

    def rows(self):
        """Each item with its three bound fields, for the template."""
        return [
            (item, self[f"result_{item.pk}"], self[f"note_{item.pk}"], self[f"photo_{item.pk}"])
            for item in self.items
        ]

    def service_data(self) -> tuple[dict, dict]:
        cleaned = self.cleaned_data
        values = {key: cleaned.get(key) for key in ("done_on", "inspector_name", "notes", "due_on")}
        values["inspector"] = cleaned.get("inspector")
        values["nothing_found"] = cleaned.get("nothing_found")
        values["results"] = {
            item.pk: (cleaned.get(f"result_{item.pk}"), cleaned.get(f"note_{item.pk}") or "")
            for item in self.items
        }
        photos = {
            item.pk: [cleaned[f"photo_{item.pk}"]] for item in self.items if cleaned.get(f"photo_{item.pk}")
        }
        return values, photos


# ---------------------------------------------------------------- list filters


def _enterprise_q(value: str, prefix: str = "enterprise__") -> Q:
    return Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}uscc__icontains": value})


class ChecklistFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("清单、岗位或企业"), method="filter_q")
    frequency = django_filters.ChoiceFilter(label=_("自查频次"), choices=Frequency.choices)
    risk_level = django_filters.ChoiceFilter(label=_("岗位风险等级"), choices=RiskLevel.choices)
    active = YesNoFilter(label=_("启用"), field_name="is_active")
    due = YesNoFilter(label=_("本周待自查"), method="filter_due")

    class Meta:
        model = Checklist
        fields = ["q", "frequency", "risk_level", "active", "due"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(_enterprise_q(value) | Q(name__icontains=value) | Q(post__icontains=value))

    def filter_due(self, queryset, name, value):
        due = selectors.due_checklists(self.request.user) if self.request else Checklist.objects.none()
        ids = due.values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class RunFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("清单、企业或检查人"), method="filter_q")
    found_problems = YesNoFilter(label=_("发现问题"), field_name="found_problems")
    done_after = django_filters.DateFilter(label=_("自查日期起"), field_name="done_on", lookup_expr="gte")
    done_before = django_filters.DateFilter(label=_("自查日期止"), field_name="done_on", lookup_expr="lte")
    checklist = django_filters.NumberFilter(label=_("清单"), field_name="checklist_id")

    class Meta:
        model = SelfInspectionRun
        fields = ["q", "found_problems", "done_after", "done_before", "checklist"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            _enterprise_q(value) | Q(checklist__name__icontains=value) | Q(inspector_name__icontains=value)
        )


class ComplianceFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("行业领域"), queryset=Industry.objects.all(), method="filter_industry"
    )
    has_checklist = YesNoFilter(label=_("已建自查清单"), method="filter_has_checklist")
    missing = YesNoFilter(label=_("近 90 天有缺失"), method="filter_missing")
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("rate_90", "rate_90"),
            ("rate_30", "rate_30"),
            ("missed_90", "missed_90"),
            ("last_run", "last_run"),
            ("name", "name"),
        ),
        field_labels={
            "rate_90": _("近 90 天自查率"),
            "rate_30": _("近 30 天自查率"),
            "missed_90": _("近 90 天缺失次数"),
            "last_run": _("最近自查日期"),
            "name": _("名称"),
        },
    )

    class Meta:
        model = Enterprise
        fields = ["q", "region", "industry", "has_checklist", "missing"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(_enterprise_q(value, ""))

    def filter_industry(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(industry_id__in=trees.industry_descendants(value.pk))

    def filter_has_checklist(self, queryset, name, value):
        return queryset.filter(checklists__gt=0) if value else queryset.filter(checklists=0)

    def filter_missing(self, queryset, name, value):
        return queryset.filter(missed_90__gt=0) if value else queryset.filter(missed_90=0)


def month_choice(value: str | None) -> tuple[int, int]:
    """`?month=YYYY-MM` as (year, month); this month when missing or malformed (bounded to 2000–2100)."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month
