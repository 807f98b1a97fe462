"""Forms and the list filter of the 严重失信主体名单. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import RegionSubtreeFilter, ScopedFilterSet, scoped_regions
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Enterprise, Region
from anlan.core.pickers import EnterpriseChoiceField

from .. import rules
from ..data import dishonesty as data
from ..models import DishonestyCase, DishonestySubject


class CandidateForm(BootstrapMixin, forms.Form):
    """人工登记候选: the subject (an enterprise or its 主要负责人, or an agency or one of its staff), the situation, the
    facts, the penalty decision and the deciding unit."""

    subject_kind = forms.ChoiceField(label=_("主体类别"), choices=DishonestySubject.Kind.choices)
    enterprise = EnterpriseChoiceField(
        label=_("生产经营单位"), required=False, help_text=_("主体为生产经营单位或其主要负责人时填写")
    )
    agency_name = forms.CharField(label=_("机构名称"), max_length=120, required=False)
    agency_type = forms.ChoiceField(
        label=_("机构类型"), choices=[("", "—"), *DishonestySubject.AgencyType.choices], required=False
    )
    region = forms.ModelChoiceField(label=_("机构所在区划"), queryset=Region.objects.none(), required=False)
    person_name = forms.CharField(label=_("人员姓名"), max_length=50, required=False)
    person_id_number = forms.CharField(label=_("居民身份证号码"), max_length=18, required=False)
    situation = forms.TypedChoiceField(
        label=_("列入情形"), choices=rules.SITUATION_CHOICES, coerce=int, initial=9
    )
    basis = forms.CharField(label=_("列入依据（事实）"), widget=forms.Textarea({"rows": 3}))
    penalty_reference = forms.CharField(label=_("行政处罚决定书文号"), max_length=120, required=False)
    deciding_unit = forms.ModelChoiceField(label=_("决定部门"), queryset=None, empty_label=None)

    def __init__(self, *args, user=None, deciding_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        self.fields["region"].queryset = Region.objects.for_user(user).filter(
            level__gte=Region.Level.COUNTY, level__lte=Region.Level.TOWN
        )
        self.fields["deciding_unit"].queryset = deciding_units


class StatementForm(BootstrapMixin, forms.Form):
    statement = forms.CharField(label=_("陈述申辩意见"), widget=forms.Textarea({"rows": 4}), max_length=4000)


class DecisionForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("决定理由"),
        widget=forms.Textarea({"rows": 3}),
        max_length=2000,
        help_text=_("当事人提出陈述申辩的，应说明采纳或不予采纳的理由"),
    )


class RemovalApplicationForm(BootstrapMixin, forms.Form):
    application = forms.CharField(
        label=_("信用修复情况"),
        widget=forms.Textarea({"rows": 4}),
        max_length=4000,
        help_text=_("履行处罚、消除影响、整改落实等情况"),
    )


class RemovalDecisionForm(BootstrapMixin, forms.Form):
    """The deciding department confirms each repair condition (data.REPAIR_CONDITIONS, unconfirmed wording)."""

    penalty_fulfilled = forms.BooleanField(label=data.REPAIR_CONDITIONS[0][1], required=False)
    harm_removed = forms.BooleanField(label=data.REPAIR_CONDITIONS[1][1], required=False)
    no_new_listing_event = forms.BooleanField(label=data.REPAIR_CONDITIONS[2][1], required=False)
    note = forms.CharField(label=_("审查意见"), widget=forms.Textarea({"rows": 2}), required=False)


class SettingsForm(BootstrapMixin, forms.Form):
    local_relatively_major_rule = forms.BooleanField(
        label=_("较大事故一律联合惩戒（本地从严）"), required=False
    )
    statement_working_days = forms.IntegerField(label=_("陈述申辩期限（工作日）"), min_value=1, max_value=30)


# The status filter's choice for the subjects on the list now (公示中).
PUBLIC = "public"


class CaseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称、姓名或信用代码"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[(PUBLIC, _("公示中（已列入、已申请提前移出）")), *DishonestyCase.Status.choices],
        method="filter_status",
    )
    kind = django_filters.ChoiceFilter(
        label=_("主体类别"), field_name="subject__kind", choices=DishonestySubject.Kind.choices
    )
    situation = django_filters.ChoiceFilter(label=_("列入情形"), choices=rules.SITUATION_CHOICES)
    region = RegionSubtreeFilter(
        label=_("区划"), queryset=scoped_regions, field_name="region", to_field_name="code"
    )

    class Meta:
        model = DishonestyCase
        fields = ["q", "status", "kind", "situation", "region"]

    def filter_status(self, queryset, name, value):
        if value == PUBLIC:
            return queryset.filter(status__in=DishonestyCase.LISTED_STATES)
        return queryset.filter(status=value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(subject__name__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(enterprise__uscc__icontains=value)
        )
