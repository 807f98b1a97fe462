"""Forms and list filters of the forces part. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, YesNoFilter, scoped_regions
from anlan.core.forms import BootstrapMixin, RegionChoiceField
from anlan.core.models import Region, Role, Unit, User

from .. import rules
from ..models import Expert, ExpertConsultation, Incident, RescueTeam, Shelter
from ..selectors import forces as selectors


def _regions(user, right: str):
    return Region.objects.for_user(user, right).filter(level__gte=Region.Level.COUNTY).order_by("code")


# ---------------------------------------------------------------- filters (the page, the export, the API)


class TeamFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称、队长或专长"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    kind = django_filters.ChoiceFilter(label=_("队伍类别"), choices=RescueTeam.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RescueTeam.Status.choices)

    class Meta:
        model = RescueTeam
        fields = ["q", "region", "kind", "status"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(leader__icontains=value) | Q(specialties__icontains=value)
        )


class ShelterFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称或地址"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    kind = django_filters.ChoiceFilter(label=_("场所类型"), choices=Shelter.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Shelter.Status.choices)

    class Meta:
        model = Shelter
        fields = ["q", "region", "kind", "status"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class ExpertFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("姓名或单位"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )
    specialty = django_filters.ChoiceFilter(
        label=_("专业领域"), choices=rules.EXPERT_SPECIALTIES, method="filter_specialty"
    )
    available = YesNoFilter(label=_("当前可用"), method="filter_available")

    class Meta:
        model = Expert
        fields = ["q", "region", "specialty", "available"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(employer__icontains=value))

    def filter_specialty(self, queryset, name, value):
        return selectors.with_specialty(queryset, value)

    def filter_available(self, queryset, name, value):
        q = selectors.available_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class ConsultationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("会诊事项"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ExpertConsultation.Status.choices)

    class Meta:
        model = ExpertConsultation
        fields = ["q", "status"]


# ---------------------------------------------------------------- forms


class TeamForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("队伍名称"), max_length=120)
    kind = forms.ChoiceField(label=_("队伍类别"), choices=RescueTeam.Kind.choices)
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所在区划"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("所属单位"), required=False)
    leader = forms.CharField(label=_("队长"), max_length=50)
    leader_phone = forms.CharField(label=_("队长电话"), max_length=30)
    members = forms.IntegerField(label=_("队员人数"), min_value=1)
    specialties = forms.CharField(
        label=_("专长"), max_length=200, required=False, help_text=_("多个专长用顿号分隔，如：水域救援、破拆")
    )
    equipment = forms.CharField(label=_("主要装备"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    longitude = forms.DecimalField(label=_("经度"), max_digits=9, decimal_places=6, required=False)
    latitude = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions(user, "emergency.manage_rescue_forces")
        self.fields["unit"].queryset = Unit.objects.for_user(user).filter(is_active=True).order_by("name")


class ShelterForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("场所名称"), max_length=120)
    kind = forms.ChoiceField(label=_("场所类型"), choices=Shelter.Kind.choices)
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所在区划"))
    address = forms.CharField(label=_("地址"), max_length=200)
    capacity = forms.IntegerField(label=_("可容纳人数"), min_value=1)
    area_m2 = forms.DecimalField(label=_("面积（平方米）"), max_digits=10, decimal_places=1, min_value=0)
    manager = forms.CharField(label=_("管理人"), max_length=50)
    manager_phone = forms.CharField(label=_("管理人电话"), max_length=30)
    facilities = forms.CharField(
        label=_("配套设施"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    longitude = forms.DecimalField(label=_("经度"), max_digits=9, decimal_places=6, required=False)
    latitude = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions(user, "emergency.manage_rescue_forces")


class StatusForm(forms.Form):
    status = forms.CharField(max_length=20)


class ExpertForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    employer = forms.CharField(label=_("工作单位"), max_length=120)
    title = forms.CharField(label=_("职称/职务"), max_length=60, required=False)
    specialties = forms.MultipleChoiceField(
        label=_("专业领域"), choices=rules.EXPERT_SPECIALTIES, widget=forms.CheckboxSelectMultiple
    )
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所属区划"))
    is_available = forms.BooleanField(label=_("可参加会诊"), required=False, initial=True)
    unavailable_until = forms.DateField(
        label=_("暂不可用至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("出差、休假等期间，含当日；次日起恢复可用"),
    )
    user = forms.ModelChoiceField(
        label=_("登录账号"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("关联后，专家可登录查看并答复邀请其参加的会诊"),
    )
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions(user, "emergency.manage_experts")
        self.fields["user"].queryset = User.objects.filter(
            is_active=True, memberships__role=Role.EXPERT, memberships__is_active=True
        ).distinct()
        self.fields["specialties"].widget.attrs["class"] = ""


class ConsultationForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("会诊事项"), max_length=200)
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所属区划"))
    incident = forms.ModelChoiceField(
        label=_("关联突发事件"), queryset=Incident.objects.none(), required=False
    )
    reference = forms.CharField(
        label=_("关联事项"), max_length=200, required=False, help_text=_("如隐患编号、事故名称")
    )
    question = forms.CharField(label=_("会诊问题"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions(user, "emergency.manage_consultations")
        self.fields["incident"].queryset = Incident.objects.for_user(user).order_by("-occurred_at")


class AssignForm(BootstrapMixin, forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label=_("邀请专家"), queryset=Expert.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered: the experts available today and not yet called; the service checks again.
        queryset = Expert.objects.for_user(user).filter(selectors.available_q(timezone.localdate()))
        if consultation is not None:
            queryset = queryset.exclude(assignments__consultation=consultation)
        self.fields["experts"].queryset = queryset.order_by("name")
        self.fields["experts"].widget.attrs["class"] = ""


class AssignPostForm(forms.Form):
    """The POST of an assignment: any expert in scope, so that an unavailable one is refused by the service
    with its rule, not by the form as an unknown choice."""

    experts = forms.ModelMultipleChoiceField(queryset=Expert.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = Expert.objects.for_user(user)


class OpinionForm(BootstrapMixin, forms.Form):
    opinion = forms.CharField(label=_("专家意见"), widget=forms.Textarea(attrs={"rows": 5}))


class CloseForm(BootstrapMixin, forms.Form):
    conclusion = forms.CharField(label=_("会诊结论"), widget=forms.Textarea(attrs={"rows": 4}))


class CapacityForm(BootstrapMixin, forms.Form):
    """The 四有 of one town: for each item yes/no, a description and an evidence file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in rules.CAPACITY_ITEMS:
            self.fields[f"has_{code}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"{code}_note"] = forms.CharField(
                label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            self.fields[f"{code}_evidence"] = forms.FileField(
                label=_("佐证材料（图片或 PDF）"), required=False
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
