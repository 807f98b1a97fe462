"""Forms and the list filter of the points part. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, scoped_regions
from anlan.core.forms import BootstrapMixin, RegionChoiceField
from anlan.core.models import Region

from .. import rules
from ..models import Patrol, Point

TEXT = forms.Textarea(attrs={"rows": 3})


class PointFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称、位置或群测群防员"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=rules.POINT_KINDS)
    active = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("yes", _("在册")), ("no", _("已核销"))],
        method="filter_active",
    )

    class Meta:
        model = Point
        fields = ["q", "region", "kind", "active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(place__icontains=value) | Q(monitor_name__icontains=value)
        )

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "yes"))


class PointForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=rules.POINT_KINDS)
    subtype = forms.CharField(
        label=_("灾害或工程类型"),
        max_length=50,
        required=False,
        help_text=_("如：滑坡、崩塌、泥石流；小（二）型水库"),
    )
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所在区划"))
    place = forms.CharField(label=_("位置"), max_length=200, required=False)
    households = forms.IntegerField(label=_("受威胁户数"), min_value=0, initial=0)
    people = forms.IntegerField(label=_("受威胁人数"), min_value=0, initial=0)
    monitor_name = forms.CharField(label=_("群测群防员"), max_length=50, required=False)
    monitor_phone = forms.CharField(
        label=_("群测群防员电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    owner_unit = forms.CharField(label=_("责任单位"), max_length=100, required=False)
    owner_name = forms.CharField(label=_("责任人"), max_length=50, required=False)
    owner_phone = forms.CharField(
        label=_("责任人电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    plan = forms.CharField(label=_("度汛方案"), widget=TEXT, required=False)
    plan_approved_on = forms.DateField(
        label=_("方案批准日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    longitude = forms.DecimalField(label=_("经度"), max_digits=9, decimal_places=6, required=False)
    latitude = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, required=False)
    note = forms.CharField(label=_("备注"), widget=TEXT, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.for_user(user, "warnings.manage_points")
            .filter(level__gte=Region.Level.TOWN)
            .order_by("code")
        )


class ObservationForm(BootstrapMixin, forms.Form):
    observed_at = forms.DateTimeField(
        label=_("监测时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("不填即为现在"),
    )
    observer = forms.CharField(label=_("监测人"), max_length=50, required=False, help_text=_("不填即为本人"))
    seen = forms.CharField(label=_("监测情况"), widget=TEXT)
    reading = forms.CharField(
        label=_("监测数据"), max_length=100, required=False, help_text=_("如：裂缝宽 3 厘米；水位 32.5 米")
    )
    alarming = forms.BooleanField(label=_("出现险情征兆（立即报告乡镇和县应急部门）"), required=False)


class CloseForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("核销原因"), widget=TEXT)


class PatrolFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("巡查点或预警"), method="filter_q")
    stage = django_filters.ChoiceFilter(label=_("巡查类别"), choices=rules.PATROL_STAGES)
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("open", _("待巡查")), ("overdue", _("已逾期")), ("done", _("已完成"))],
        method="filter_state",
    )
    warning = django_filters.NumberFilter(label=_("预警"), field_name="warning_id", widget=forms.HiddenInput)

    class Meta:
        model = Patrol
        fields = ["q", "stage", "state", "warning"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(point__name__icontains=value) | Q(warning__title__icontains=value))

    def filter_state(self, queryset, name, value):
        from django.utils import timezone

        if value == "done":
            return queryset.filter(done_at__isnull=False)
        if value == "overdue":
            return queryset.filter(done_at__isnull=True, due_at__lt=timezone.now())
        return queryset.filter(done_at__isnull=True)


class PatrolForm(BootstrapMixin, forms.Form):
    findings = forms.CharField(label=_("巡查情况"), widget=TEXT)
    danger = forms.BooleanField(label=_("发现险情（立即报告乡镇和县应急部门）"), required=False)
    photo = forms.FileField(
        label=_("现场照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    longitude = forms.DecimalField(label=_("经度"), max_digits=9, decimal_places=6, required=False)
    latitude = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, required=False)
