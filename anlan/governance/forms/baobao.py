"""Forms and the list filter of 四级包保. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet, YesNoFilter
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Unit, User
from anlan.core.pickers import EnterpriseChoiceField

from .. import rules
from ..models import Assignment
from ..selectors import baobao as selectors

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssignmentFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("包保领导、职务或对象"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("包保层级"), choices=rules.BAOBAO_LEVELS)
    kind = django_filters.ChoiceFilter(label=_("包保类别"), choices=rules.BAOBAO_KINDS)
    target_type = django_filters.ChoiceFilter(label=_("对象类型"), choices=rules.BAOBAO_TARGET_TYPES)
    leader = django_filters.NumberFilter(
        label=_("包保领导"), field_name="leader_id", widget=forms.HiddenInput
    )
    overdue = YesNoFilter(label=_("逾期未走访"), method="filter_overdue")
    active = YesNoFilter(label=_("有效"), method="filter_active")

    class Meta:
        model = Assignment
        fields = ["q", "level", "kind", "target_type", "leader", "overdue", "active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(leader__real_name__icontains=value)
            | Q(leader_post__icontains=value)
            | Q(town__name__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(point__name__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        late = selectors.overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value)


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class AssignmentForm(BootstrapMixin, forms.Form):
    """A new pairing: the leader and one target (the field matching `target_type`)."""

    owner_unit = forms.ModelChoiceField(label=_("维护单位"), queryset=Unit.objects.none())
    leader = LeaderChoiceField(label=_("包保领导"), queryset=User.objects.none())
    leader_post = forms.CharField(label=_("职务"), max_length=100, help_text=_("如：县委常委、副县长"))
    level = forms.ChoiceField(label=_("包保层级"), choices=rules.BAOBAO_LEVELS)
    kind = forms.ChoiceField(label=_("包保类别"), choices=rules.BAOBAO_KINDS)
    target_type = forms.ChoiceField(label=_("包保对象类型"), choices=rules.BAOBAO_TARGET_TYPES)
    town = forms.ModelChoiceField(label=_("乡镇（街道）"), queryset=Unit.objects.none(), required=False)
    enterprise = EnterpriseChoiceField(label=_("企业"), required=False)
    point = forms.ModelChoiceField(label=_("地质灾害隐患点"), queryset=Unit.objects.none(), required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    started_on = forms.DateField(
        label=_("包保开始日期"), widget=DAY, required=False, help_text=_("默认为今天")
    )
    every_days = forms.IntegerField(
        label=_("走访频次（天）"),
        min_value=1,
        required=False,
        help_text=_("留空按层级默认：县级 90 天、乡级 30 天、村级 14 天、组级 7 天（本地惯例，可调整）"),
    )
    note = forms.CharField(label=_("包保职责"), widget=forms.Textarea({"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = selectors.office_units(user)
        self.fields["leader"].queryset = selectors.leader_candidates(user)
        self.fields["town"].queryset = selectors.town_targets(user)
        self.fields["enterprise"].queryset = selectors.enterprise_targets(user)
        self.fields["point"].queryset = selectors.point_targets(user)
        if not self.is_bound and self.fields["owner_unit"].queryset.count() == 1:
            self.initial.setdefault("owner_unit", self.fields["owner_unit"].queryset.first().pk)


class AssignmentEditForm(BootstrapMixin, forms.Form):
    leader_post = forms.CharField(label=_("职务"), max_length=100)
    level = forms.ChoiceField(label=_("包保层级"), choices=rules.BAOBAO_LEVELS)
    kind = forms.ChoiceField(label=_("包保类别"), choices=rules.BAOBAO_KINDS)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    started_on = forms.DateField(label=_("包保开始日期"), widget=DAY)
    every_days = forms.IntegerField(label=_("走访频次（天）"), min_value=1)
    note = forms.CharField(label=_("包保职责"), widget=forms.Textarea({"rows": 3}), required=False)


class DeactivateForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class VisitForm(BootstrapMixin, forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DAY)
    checked = forms.CharField(label=_("检查督导内容"), widget=forms.Textarea({"rows": 3}))
    findings = forms.CharField(
        label=_("发现问题"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        help_text=_("发现的隐患请另在隐患排查治理中登记"),
    )
    problems_found = forms.IntegerField(label=_("发现问题数"), min_value=0, required=False, initial=0)
