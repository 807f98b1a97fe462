"""Forms and list filters of 两个清单. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Industry, Region, Unit
from anlan.core.rules import level_of_code, subtree_bounds

from .. import rules
from ..models import DutyItem, DutyList, WorkTask
from ..selectors import duties as selectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# ---------------------------------------------------------------- filters (the page, the export, the API)


class DutyListFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("责任主体"), method="filter_q")
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DutyList.Status.choices)
    holder = django_filters.ChoiceFilter(
        label=_("责任主体类别"),
        choices=[("unit", _("单位")), ("leader", _("领导"))],
        method="filter_holder",
    )

    class Meta:
        model = DutyList
        fields = ["q", "year", "status", "holder"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(holder_unit__name__icontains=value)
            | Q(holder_user__real_name__icontains=value)
            | Q(holder_post__icontains=value)
        )

    def filter_holder(self, queryset, name, value):
        return queryset.filter(holder_user__isnull=(value == "unit"))


class WorkTaskFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("任务或单位"), method="filter_q")
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=WorkTask.Status.choices)
    overdue = django_filters.BooleanFilter(
        label=_("仅看逾期"), method="filter_overdue", widget=forms.CheckboxInput
    )
    due_from = django_filters.DateFilter(
        label=_("完成时限起"), field_name="due_on", lookup_expr="gte", widget=DATE
    )
    due_to = django_filters.DateFilter(
        label=_("完成时限止"), field_name="due_on", lookup_expr="lte", widget=DATE
    )
    period = ("due_from", "due_to", _("完成时限"))

    class Meta:
        model = WorkTask
        fields = ["q", "year", "status", "overdue", "due_from", "due_to"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(unit__name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(selectors.overdue_q(timezone.localdate()))


# ---------------------------------------------------------------- forms


def _this_year() -> int:
    return timezone.localdate().year


class DutyListForm(BootstrapMixin, forms.Form):
    holder_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    holder_user = forms.ModelChoiceField(
        label=_("责任领导"), queryset=Unit.objects.none(), required=False, help_text=_("由安委办为领导起草")
    )
    holder_post = forms.CharField(label=_("领导职务"), max_length=100, required=False)
    year = forms.IntegerField(label=_("年度"), initial=_this_year)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder_unit"].queryset = selectors.holder_units(user)
        leaders = selectors.leader_choices(user)
        self.fields["holder_user"].queryset = leaders
        self.fields["holder_user"].label_from_instance = lambda u: u.real_name or u.username
        if not leaders.exists():
            del self.fields["holder_user"], self.fields["holder_post"]


class DutyItemForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("责任类别"), choices=rules.DUTY_CATEGORIES)
    text = forms.CharField(label=_("职责内容"), widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label=_("依据"), max_length=300, required=False)
    industries = forms.ModelMultipleChoiceField(
        label=_("覆盖行业"),
        queryset=Industry.objects.none(),
        required=False,
        help_text=_("该职责覆盖的行业领域；不选表示不限行业"),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("覆盖区域"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("该职责覆盖的区域；不选表示不限区域。行业和区域都不选的职责不用于照单追责的匹配"),
    )

    def __init__(self, *args, duty_list: DutyList, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industries"].queryset = Industry.objects.order_by("code")
        code = duty_list.region_id
        low, high = subtree_bounds(code, level_of_code(code))
        self.fields["regions"].queryset = Region.objects.filter(
            code__gte=low, code__lte=high, level__lte=4
        ).order_by("code")


class ReviseForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(
        label=_("修订后年度"), help_text=_("同一年度修订为新版本，或修订为下一年度的清单")
    )


class WorkTaskForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("承担单位"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("年度"), initial=_this_year)
    title = forms.CharField(label=_("任务名称"), max_length=200)
    description = forms.CharField(
        label=_("任务要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_on = forms.DateField(label=_("完成时限"), widget=DATE)
    duty_item = forms.ModelChoiceField(
        label=_("对应责任事项"), queryset=DutyItem.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        task_units = selectors.task_units(user)
        self.fields["unit"].queryset = task_units
        self.fields["duty_item"].queryset = (
            DutyItem.objects.for_user(user)
            .filter(duty_list__status=DutyList.Status.APPROVED, duty_list__holder_unit__in=task_units)
            .select_related("duty_list__holder_unit")
        )
        self.fields["duty_item"].label_from_instance = lambda i: (
            f"{i.duty_list.holder_unit.name}：{i.text[:40]}"
        )


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("上传文件"), required=False, help_text=_("图片或 PDF"))
    link = forms.CharField(
        label=_("或关联工作记录"),
        max_length=500,
        required=False,
        help_text=_("粘贴检查记录、应急演练或隐患页面的链接"),
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ReportForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 3}))
