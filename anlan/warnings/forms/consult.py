"""Forms and list filters of 会商研判 and 安全风险提示单. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Department, ReceiptTask, Unit

from .. import rules
from ..models import Bulletin, Consultation, Warning
from ..models.consult import MANAGE
from ..selectors import consult as selectors

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------- filters (the page, the export, the API)


class ConsultationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("主题或研判结论"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("会商类型"), choices=rules.CONSULTATION_KINDS)
    risk_level = django_filters.ChoiceFilter(label=_("风险等级"), choices=rules.RISK_LEVELS)
    held_from = django_filters.DateFilter(
        label=_("会商日期起"),
        field_name="held_at",
        lookup_expr="date__gte",
        widget=forms.DateInput({"type": "date"}),
    )
    held_to = django_filters.DateFilter(
        label=_("会商日期止"),
        field_name="held_at",
        lookup_expr="date__lte",
        widget=forms.DateInput({"type": "date"}),
    )

    class Meta:
        model = Consultation
        fields = ["q", "kind", "risk_level", "held_from", "held_to"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(topic__icontains=value) | Q(judgement__icontains=value))


class BulletinFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("标题"), field_name="title", lookup_expr="icontains")
    risk_level = django_filters.ChoiceFilter(label=_("风险等级"), choices=rules.RISK_LEVELS)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Bulletin.Status.choices)

    class Meta:
        model = Bulletin
        fields = ["q", "risk_level", "status"]


class ReceivedFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("标题"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReceiptTask.Status.choices)

    class Meta:
        model = ReceiptTask
        fields = ["q", "status"]


# ---------------------------------------------------------------- forms


class ConsultationForm(BootstrapMixin, forms.Form):
    held_at = forms.DateTimeField(label=_("会商时间"), widget=WHEN)
    kind = forms.ChoiceField(label=_("会商类型"), choices=rules.CONSULTATION_KINDS)
    topic = forms.CharField(label=_("会商主题"), max_length=200)
    convener = forms.ModelChoiceField(label=_("召集单位"), queryset=Unit.objects.none())
    departments = forms.ModelMultipleChoiceField(
        label=_("参会部门"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("至少两个部门，如应急、自然资源、水利、气象"),
    )
    attendees = forms.CharField(
        label=_("参会人员"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一人：姓名、单位、职务"),
    )
    situation = forms.CharField(
        label=_("会商情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("监测数据、风险隐患和形势分析"),
    )
    judgement = forms.CharField(label=_("研判结论"), widget=forms.Textarea(attrs={"rows": 4}))
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=rules.RISK_LEVELS)
    follow_ups = forms.CharField(
        label=_("后续工作"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    warning = forms.ModelChoiceField(
        label=_("据此发布的预警"), queryset=Warning.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        conveners = selectors.conveners(user, MANAGE)
        self.fields["convener"].queryset = conveners
        first = conveners.first()
        region_code = first.region_id if first else ""
        self.fields["departments"].queryset = (
            selectors.consulting_departments(region_code) if region_code else Department.objects.none()
        )
        self.fields["warning"].queryset = Warning.objects.for_user(user).order_by("-created_at", "-pk")


class BulletinForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=rules.RISK_LEVELS)
    content = forms.CharField(label=_("风险提示内容"), widget=forms.Textarea(attrs={"rows": 4}))
    measures = forms.CharField(
        label=_("防范措施"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一条，接收单位逐条反馈落实情况"),
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("接收单位"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    confirm_hours = forms.IntegerField(
        label=_("确认时限（小时）"),
        required=False,
        help_text=_("不填按风险等级：重大 2 小时、较大 4 小时、一般 12 小时、低 24 小时；可填 1–72"),
    )

    def __init__(self, *args, user, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Enterprises are many: the form offers towns, departments and park committees (the service also
        # accepts enterprise units).
        offered = selectors.bulletin_recipients(user).exclude(kind=Unit.Kind.ENTERPRISE)
        if consultation is not None:
            offered = offered.exclude(pk=consultation.convener_id)
        self.fields["recipients"].queryset = offered.order_by("kind", "region_id", "name")


class MeasureReportForm(BootstrapMixin, forms.Form):
    done = forms.BooleanField(label=_("已落实"), required=False)
    note = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
