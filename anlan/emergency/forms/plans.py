"""Forms and the list filter of the plan pages: they parse input; the services decide (and name the field)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Unit

from .. import rules
from ..models import Plan, PlanReview
from ..models.plans import FILING_ITEMS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
LEVELS = [(str(level), label) for level, label in rules.RESPONSE_LEVELS]


def _today():
    return timezone.localdate()


class PlanForm(BootstrapMixin, forms.Form):
    """A plan's own facts (create and edit); the owner is chosen only when the user acts for several units."""

    owner = forms.TypedChoiceField(label=_("编制单位"), coerce=int)
    kind = forms.ChoiceField(label=_("预案类别"), choices=rules.PLAN_KINDS_WITH_CARD)
    title = forms.CharField(label=_("预案名称"), max_length=200)
    number = forms.CharField(label=_("预案编号"), max_length=60, required=False)
    applies_to = forms.CharField(label=_("适用范围"), max_length=300, required=False)
    response_levels = forms.MultipleChoiceField(
        label=_("响应分级"), choices=LEVELS, required=False, widget=forms.CheckboxSelectMultiple
    )
    file = forms.FileField(label=_("预案文本（PDF）"), required=False)
    note = forms.CharField(label=_("编制说明"), widget=TEXT, required=False)

    def __init__(self, *args, owners: list[Unit] | None = None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("owner", "file", "note"):
                del self.fields[name]
        else:
            self.fields["owner"].choices = [(u.pk, u.name) for u in owners or []]
            if owners and len(owners) == 1:
                self.fields["owner"].initial = owners[0].pk


class ReviewForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("评审日期"), widget=DATE, initial=_today)
    reviewers = forms.CharField(label=_("评审人员（专家）"), max_length=300)
    no_conflict = forms.BooleanField(
        label=_("评审人员与本单位无利害关系，有利害关系的已回避"),
        help_text=_("预案管理办法第二十二条"),
        error_messages={"required": _("请确认评审人员与本单位无利害关系（有利害关系的应当回避）。")},
    )
    conclusion = forms.ChoiceField(label=_("结论"), choices=PlanReview.Conclusion.choices)
    opinion = forms.CharField(label=_("评审意见"), widget=TEXT, required=False)


class SignForm(BootstrapMixin, forms.Form):
    signed_on = forms.DateField(label=_("签署日期"), widget=DATE, initial=_today)
    signed_by = forms.CharField(
        label=_("签署人（主要负责人）"),
        max_length=50,
        required=False,
        help_text=_("生产经营单位由登记的主要负责人签署，无需填写"),
    )


class PublishForm(BootstrapMixin, forms.Form):
    published_on = forms.DateField(label=_("公布日期"), widget=DATE, initial=_today)


class ReviseForm(BootstrapMixin, forms.Form):
    trigger = forms.ChoiceField(label=_("修订情形"), choices=rules.REVISION_TRIGGERS)
    note = forms.CharField(label=_("修订说明"), widget=TEXT, required=False)
    file = forms.FileField(label=_("修订后文本（PDF）"), required=False)


class EndForm(BootstrapMixin, forms.Form):
    how = forms.ChoiceField(label=_("方式"), choices=[("supersede", _("替代")), ("abolish", _("废止"))])
    reason = forms.CharField(label=_("原因"), max_length=300)


class FilingForm(BootstrapMixin, forms.Form):
    receiver = forms.TypedChoiceField(label=_("受理部门"), coerce=int)
    submitted_on = forms.DateField(label=_("报送日期"), widget=DATE, initial=_today)

    def __init__(self, *args, receivers: list[Unit] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].choices = [(u.pk, u.name) for u in receivers or []]


class AcceptForm(BootstrapMixin, forms.Form):
    registration_number = forms.CharField(
        label=_("备案编号"), max_length=60, required=False, help_text=_("留空则自动编号")
    )


class ReturnForm(BootstrapMixin, forms.Form):
    missing_items = forms.MultipleChoiceField(
        label=_("缺少的材料"), choices=FILING_ITEMS, required=False, widget=forms.CheckboxSelectMultiple
    )
    missing_note = forms.CharField(label=_("其他需补正的内容"), widget=TEXT, required=False)


class EvaluationForm(BootstrapMixin, forms.Form):
    evaluated_on = forms.DateField(label=_("评估日期"), widget=DATE, initial=_today)
    conclusion = forms.CharField(label=_("评估结论"), widget=TEXT)
    needs_revision = forms.BooleanField(label=_("需要修订"), required=False)
    trigger = forms.ChoiceField(
        label=_("修订情形"), choices=[("", "---------"), *rules.REVISION_TRIGGERS], required=False
    )


class PlanFilter(ScopedFilterSet):
    """The plan list's filters, shared by the page and its XLSX ledger."""

    q = django_filters.CharFilter(label=_("名称、编号或编制单位"), method="filter_q")
    owner_kind = django_filters.ChoiceFilter(
        label=_("编制单位类别"),
        choices=[("government", _("政府及部门")), ("enterprise", _("生产经营单位"))],
        method="filter_owner_kind",
    )
    kind = django_filters.ChoiceFilter(label=_("预案类别"), choices=rules.PLAN_KINDS_WITH_CARD)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Plan.Status.choices)
    filing_status = django_filters.ChoiceFilter(label=_("备案状态"), choices=Plan.FilingStatus.choices)
    overdue = django_filters.ChoiceFilter(
        label=_("逾期"),
        choices=[("filing", _("逾期未备案")), ("evaluation", _("逾期未评估"))],
        method="filter_overdue",
    )

    class Meta:
        model = Plan
        fields = ["q", "owner_kind", "kind", "status", "filing_status", "overdue"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__contains=value) | Q(number__contains=value) | Q(owner__name__contains=value)
        )

    def filter_owner_kind(self, queryset, name, value):
        if value == "enterprise":
            return queryset.filter(enterprise__isnull=False)
        if value == "government":
            return queryset.filter(enterprise__isnull=True)
        return queryset

    def filter_overdue(self, queryset, name, value):
        from ..selectors.plans import overdue_evaluation_q, overdue_filing_q

        today = timezone.localdate()
        if value == "filing":
            return queryset.filter(overdue_filing_q(today))
        if value == "evaluation":
            return queryset.filter(overdue_evaluation_q(today))
        return queryset
