"""Forms and list filters of the people part. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, YesNoFilter, scoped_regions
from anlan.core.forms import BootstrapMixin

from ..models import Certificate, StaffMember, TrainingRecord
from ..models.people import STATE_LABELS
from ..selectors import people as selectors

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

STATE_CHOICES = list(STATE_LABELS.items())
ATTENTION_CHOICES = STATE_CHOICES[:4]


class _Form(BootstrapMixin, forms.Form):
    """A form of the people part (Bootstrap classes on every widget)."""


class _Roles(_Form):
    post = forms.CharField(label=_("岗位"), max_length=60, help_text=_("如：电工、焊工、安全员、总经理"))
    is_principal = forms.BooleanField(label=_("主要负责人"), required=False)
    is_safety_manager = forms.BooleanField(label=_("安全管理人员"), required=False)
    is_special_operator = forms.BooleanField(label=_("特种作业人员"), required=False)
    hired_on = forms.DateField(label=_("入职日期"), widget=DAY, required=False)


class StaffForm(_Roles):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("居民身份证号码"), max_length=18, help_text=_("18 位，校验位会被核对")
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    field_order = ["name", "id_number", "phone", "post"]


class StaffEditForm(_Roles):
    left_on = forms.DateField(label=_("离岗日期"), widget=DAY, required=False, help_text=_("人员离岗时填写"))


class CertificateForm(_Form):
    kind = forms.ChoiceField(label=_("证书类别"), choices=Certificate.Kind.choices)
    category = forms.ChoiceField(
        label=_("作业类别"),
        choices=[("", _("（特种作业操作证填写）")), *Certificate.CATEGORIES],
        required=False,
    )
    operation_item = forms.CharField(
        label=_("准操项目"),
        max_length=60,
        required=False,
        help_text=_("如：低压电工作业、熔化焊接与热切割作业"),
    )
    number = forms.CharField(label=_("证书编号"), max_length=40)
    issuing_authority = forms.CharField(label=_("发证机关"), max_length=100)
    issued_on = forms.DateField(
        label=_("初次领证日期"), widget=DAY, help_text=_("特种作业操作证：有效期 6 年、复审日期自动计算")
    )
    continuous_years_same_trade = forms.IntegerField(
        label=_("连续从事本工种年限"), min_value=0, max_value=60, required=False, initial=0
    )
    compliant = forms.BooleanField(label=_("严格遵守安全生产法律法规"), required=False, initial=True)
    authority_agrees = forms.BooleanField(
        label=_("考核发证机关同意延长复审（满 10 年方可延至每 6 年 1 次）"), required=False
    )
    is_coal_mine = forms.BooleanField(label=_("煤矿特种作业（按煤矿规定管理，不自动计算）"), required=False)
    coal_note = forms.CharField(label=_("煤矿证书说明"), widget=forms.Textarea({"rows": 2}), required=False)
    valid_until = forms.DateField(
        label=_("有效期至"), widget=DAY, required=False, help_text=_("煤矿证书和考核合格证按证书载明填写")
    )
    review_due = forms.DateField(label=_("复审日期"), widget=DAY, required=False)


class ReviewForm(_Form):
    reviewed_on = forms.DateField(label=_("复审日期"), widget=DAY)


class AssessmentForm(_Form):
    kind = forms.ChoiceField(
        label=_("考核类别"), choices=[("principal", _("主要负责人")), ("safety_manager", _("安全管理人员"))]
    )
    assessed_on = forms.DateField(label=_("考核日期"), widget=DAY)
    assessor = forms.CharField(label=_("考核机关"), max_length=100)
    score = forms.DecimalField(
        label=_("考核成绩"), min_value=0, max_value=100, decimal_places=1, help_text=_("满分 100，80 分合格")
    )
    note = forms.CharField(label=_("备注"), widget=forms.Textarea({"rows": 2}), required=False)


class TrainingForm(_Form):
    held_on = forms.DateField(label=_("培训日期"), widget=DAY)
    subject = forms.CharField(label=_("培训主题"), max_length=200)
    kind = forms.ChoiceField(label=_("培训类别"), choices=TrainingRecord.Kind.choices)
    hours = forms.DecimalField(
        label=_("学时"), min_value=0, max_value=200, decimal_places=1, help_text=_("复审培训不少于 8 学时")
    )
    trainer = forms.CharField(label=_("授课人（机构）"), max_length=100)
    attendees = forms.ModelMultipleChoiceField(
        label=_("参训人员"), queryset=StaffMember.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("备注"), widget=forms.Textarea({"rows": 2}), required=False)

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprise is not None:
            self.fields["attendees"].queryset = selectors.current_staff_choices(enterprise)
        self.fields["attendees"].label_from_instance = lambda s: f"{s.person.name}（{s.post}）"

    def clean_attendees(self):
        return [s.pk for s in self.cleaned_data["attendees"]]


# ---------------------------------------------------------------- list filters


def _enterprise_q(value: str, prefix: str = "enterprise__") -> Q:
    return Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}uscc__icontains": value})


class StaffFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("姓名、岗位或企业"), method="filter_q")
    role = django_filters.ChoiceFilter(
        label=_("角色"),
        method="filter_role",
        choices=[
            ("principal", _("主要负责人")),
            ("safety_manager", _("安全管理人员")),
            ("special_operator", _("特种作业人员")),
        ],
    )
    current = YesNoFilter(label=_("在岗"), method="filter_current")

    class Meta:
        model = StaffMember
        fields = ["q", "role", "current"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            _enterprise_q(value) | Q(person__name__icontains=value) | Q(post__icontains=value)
        )

    def filter_role(self, queryset, name, value):
        return queryset.filter(**{f"is_{value}": True})

    def filter_current(self, queryset, name, value):
        return queryset.filter(left_on__isnull=value)


class CertificateFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("持证人、证书编号或企业"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("证书类别"), choices=Certificate.Kind.choices)
    category = django_filters.ChoiceFilter(label=_("作业类别"), choices=Certificate.CATEGORIES)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=STATE_CHOICES, method="filter_state")
    attention = YesNoFilter(label=_("待复审、到期或逾期"), method="filter_attention")

    class Meta:
        model = Certificate
        fields = ["q", "kind", "category", "state", "attention"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            _enterprise_q(value) | Q(staff__person__name__icontains=value) | Q(number__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        return queryset.filter(state=value)

    def filter_attention(self, queryset, name, value):
        wanted = Q(state__in=selectors.ATTENTION)
        return queryset.filter(wanted) if value else queryset.exclude(wanted)


class AttentionFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("企业、持证人或证书编号"), method="filter_q")
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="enterprise__region", to_field_name="code"
    )
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ATTENTION_CHOICES, method="filter_state")
    kind = django_filters.ChoiceFilter(label=_("证书类别"), choices=Certificate.Kind.choices)
    category = django_filters.ChoiceFilter(label=_("作业类别"), choices=Certificate.CATEGORIES)

    class Meta:
        model = Certificate
        fields = ["q", "region", "state", "kind", "category"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            _enterprise_q(value) | Q(staff__person__name__icontains=value) | Q(number__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        return queryset.filter(state=value)


class TrainingFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("主题、授课人或企业"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("培训类别"), choices=TrainingRecord.Kind.choices)
    held_after = django_filters.DateFilter(
        label=_("培训日期自"),
        field_name="held_on",
        lookup_expr="gte",
        widget=forms.DateInput({"type": "date"}),
    )
    held_before = django_filters.DateFilter(
        label=_("培训日期至"),
        field_name="held_on",
        lookup_expr="lte",
        widget=forms.DateInput({"type": "date"}),
    )

    class Meta:
        model = TrainingRecord
        fields = ["q", "kind", "held_after", "held_before"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            _enterprise_q(value) | Q(subject__icontains=value) | Q(trainer__icontains=value)
        )
