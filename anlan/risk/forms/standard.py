"""Forms and list filters of 标准化, 安责险, 安全生产费用 and 安全生产责任制. Forms only parse input; the services
decide."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet, YesNoFilter
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Enterprise

from .. import rules
from ..data import standard as standard_data
from ..models import LiabilityPolicy, SafetySpending, StandardisationGrade
from ..selectors import standard as selectors

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"min_value": 0, "max_digits": 14, "decimal_places": 2}


class GradeForm(BootstrapMixin, forms.Form):
    grade = forms.ChoiceField(label=_("标准化等级"), choices=StandardisationGrade.Grade.choices)
    issuing_level = forms.ChoiceField(
        label=_("定级层级"),
        choices=[
            ("", _("按等级（一级国家、二级省级、三级市县）")),
            *StandardisationGrade.IssuingLevel.choices,
        ],
        required=False,
    )
    issuing_authority = forms.CharField(
        label=_("定级部门"), max_length=100, help_text=_("如：滁州市应急管理局")
    )
    certificate_no = forms.CharField(label=_("证书（公告）编号"), max_length=60)
    specialty = forms.CharField(label=_("专业类别"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("定级日期"), widget=DAY, help_text=_("有效期 3 年，自动计算"))


class WithdrawForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤销原因"), widget=forms.Textarea({"rows": 2}), max_length=500)
    basis = forms.CharField(
        label=_("撤销依据"),
        widget=forms.Textarea({"rows": 2}),
        required=False,
        help_text=_("留空时沿用待撤销审查的依据"),
    )


class PolicyForm(BootstrapMixin, forms.Form):
    insurer = forms.CharField(label=_("承保公司"), max_length=100)
    policy_no = forms.CharField(label=_("保单号"), max_length=60)
    starts_on = forms.DateField(label=_("保险起期"), widget=DAY)
    ends_on = forms.DateField(label=_("保险止期"), widget=DAY)
    insured_people = forms.IntegerField(label=_("参保人数"), min_value=0, required=False)
    per_person_amount = forms.DecimalField(
        label=_("每人死亡伤残责任限额（元）"),
        help_text=_("国家规定不低于 %(n)s 元（较可能，以当地规定为准）")
        % {"n": f"{standard_data.PER_PERSON_MINIMUM_YUAN:,}"},
        **MONEY,
    )
    total_amount = forms.DecimalField(label=_("累计责任限额（元）"), **MONEY)
    premium = forms.DecimalField(label=_("保费（元）"), **MONEY)
    technical_service = forms.BooleanField(label=_("主承保公司提供第三方技术服务"), required=False)


class ServiceForm(BootstrapMixin, forms.Form):
    served_on = forms.DateField(label=_("服务日期"), widget=DAY)
    provider = forms.CharField(label=_("服务机构"), max_length=100)
    content = forms.CharField(label=_("服务内容"), widget=forms.Textarea({"rows": 3}))
    findings = forms.CharField(label=_("发现问题及建议"), widget=forms.Textarea({"rows": 3}), required=False)


class SpendingForm(BootstrapMixin, forms.Form):
    """A year's extracted amount and one amount per use category of 财资〔2022〕136号."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    extracted = forms.DecimalField(label=_("提取金额（元）"), **MONEY)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea({"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label, _confidence in standard_data.SPENDING_CATEGORIES:
            self.fields[f"used_{code}"] = forms.DecimalField(
                label=_("使用：%(label)s（元）") % {"label": label},
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
                **MONEY,
            )
        self.order_fields(["year", "extracted"])


class ResponsibilityForm(BootstrapMixin, forms.Form):
    title = forms.CharField(
        label=_("文件名称"), max_length=200, help_text=_("如：全员安全生产责任制（2026 年修订）")
    )
    document_no = forms.CharField(label=_("文号"), max_length=60, required=False)
    adopted_on = forms.DateField(label=_("印发日期"), widget=DAY)


# ---------------------------------------------------------------- list filters


def _enterprise_q(value: str, prefix: str = "enterprise__") -> Q:
    return Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}uscc__icontains": value})


class GradeFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("企业名称、信用代码或证书编号"), method="filter_q")
    grade = django_filters.ChoiceFilter(label=_("标准化等级"), choices=StandardisationGrade.Grade.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=StandardisationGrade.Status.choices)
    issuing_level = django_filters.ChoiceFilter(
        label=_("定级层级"), choices=StandardisationGrade.IssuingLevel.choices
    )
    expiring = YesNoFilter(label=_("90 天内到期"), method="filter_expiring")
    confirmed = YesNoFilter(label=_("已核实"), method="filter_confirmed")

    class Meta:
        model = StandardisationGrade
        fields = ["q", "grade", "status", "issuing_level", "expiring", "confirmed"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(_enterprise_q(value) | Q(certificate_no__icontains=value))

    def filter_expiring(self, queryset, name, value):
        today = timezone.localdate()
        window = Q(
            status__in=rules.GRADE_HOLDING_STATUSES,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=rules.GRADE_EXPIRY_NOTICE_DAYS),
        )
        return queryset.filter(window) if value else queryset.exclude(window)

    def filter_confirmed(self, queryset, name, value):
        return queryset.filter(confirmed_at__isnull=not value)


class PolicyFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("企业名称、承保公司或保单号"), method="filter_q")
    covering = YesNoFilter(label=_("在保"), method="filter_covering")
    technical_service = YesNoFilter(label=_("提供技术服务"), method="filter_service")

    class Meta:
        model = LiabilityPolicy
        fields = ["q", "covering", "technical_service"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            _enterprise_q(value) | Q(insurer__icontains=value) | Q(policy_no__icontains=value)
        )

    def filter_covering(self, queryset, name, value):
        covering = selectors.covering_policy_q(timezone.localdate())
        return queryset.filter(covering) if value else queryset.exclude(covering)

    def filter_service(self, queryset, name, value):
        return queryset.filter(technical_service=value)


class UninsuredFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="filter_q")
    industry = django_filters.ChoiceFilter(label=_("高危行业领域"), method="filter_industry", choices=[])
    lapsed = YesNoFilter(label=_("曾投保（已脱保）"), method="filter_lapsed")

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "lapsed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["industry"].extra["choices"] = [
            (str(index), entry.name) for index, entry in enumerate(standard_data.COMPULSORY_INSURANCE)
        ]

    def filter_q(self, queryset, name, value):
        return queryset.filter(_enterprise_q(value, ""))

    def filter_industry(self, queryset, name, value):
        from anlan.core import trees

        try:
            entry = standard_data.COMPULSORY_INSURANCE[int(value)]
        except (ValueError, IndexError):
            return queryset.none()
        tree = trees.IndustryTree.load()
        roots = [pk for pk, code in tree.code.items() if code in entry.industry_codes]
        return queryset.filter(industry_id__in=tree.descendants(roots))

    def filter_lapsed(self, queryset, name, value):
        from django.db.models import Exists, OuterRef

        had = LiabilityPolicy.objects.filter(enterprise=OuterRef("pk"))
        return queryset.filter(Exists(had)) if value else queryset.filter(~Exists(had))


class SpendingFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="filter_q")
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = SafetySpending
        fields = ["q", "year"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(_enterprise_q(value))
