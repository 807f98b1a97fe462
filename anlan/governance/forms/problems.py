"""Forms and list filters of 督查问题, 两书一函 and 问责记录. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet, YesNoFilter
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Industry, Unit

from .. import rules
from ..models import AccountabilityRecord, GovernmentLetter, Problem, SupervisionVisit
from ..selectors import problems as selectors

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# ---------------------------------------------------------------- filters (the page, the export, the API)


class VisitFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("督查名称或来源文件"), method="filter_q")
    source = django_filters.ChoiceFilter(label=_("来源"), choices=rules.PROBLEM_SOURCES)
    held_from = django_filters.DateFilter(
        label=_("日期起"), field_name="held_on", lookup_expr="gte", widget=DAY
    )
    held_to = django_filters.DateFilter(
        label=_("日期止"), field_name="held_on", lookup_expr="lte", widget=DAY
    )

    class Meta:
        model = SupervisionVisit
        fields = ["q", "source", "held_from", "held_to"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(source_document__icontains=value))


class ProblemFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("问题描述、隐患编号或责任单位"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("状态"), field_name="hazard__status", choices=selectors.STATUS_CHOICES
    )
    overdue = YesNoFilter(label=_("逾期"), method="filter_overdue")
    assignee_kind = django_filters.ChoiceFilter(
        label=_("单位类别"),
        field_name="hazard__responsible_unit__kind",
        choices=[(k.value, k.label) for k in selectors.ASSIGNEE_KINDS],
    )
    source = django_filters.ChoiceFilter(
        label=_("来源"), field_name="visit__source", choices=rules.PROBLEM_SOURCES
    )
    visit = django_filters.NumberFilter(label=_("督查"), field_name="visit_id", widget=forms.HiddenInput)
    due_from = django_filters.DateFilter(
        label=_("时限起"), field_name="hazard__due_on", lookup_expr="gte", widget=DAY
    )
    due_to = django_filters.DateFilter(
        label=_("时限止"), field_name="hazard__due_on", lookup_expr="lte", widget=DAY
    )

    class Meta:
        model = Problem
        fields = ["q", "status", "overdue", "assignee_kind", "source", "visit", "due_from", "due_to"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(hazard__description__icontains=value)
            | Q(hazard__number__istartswith=value)
            | Q(hazard__responsible_unit__name__icontains=value)
            | Q(systemic_measure__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        late = selectors.overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class LetterFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("标题或收函单位"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("文种"), choices=rules.LETTER_KINDS)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=GovernmentLetter.Status.choices)
    overdue = YesNoFilter(label=_("逾期未回复"), method="filter_overdue")

    class Meta:
        model = GovernmentLetter
        fields = ["q", "kind", "status", "overdue"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(recipient__name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        late = selectors.letter_overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class AccountabilityFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("对象单位、人员或事由"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=rules.ACCOUNTABILITY_KINDS)
    decided_from = django_filters.DateFilter(
        label=_("日期起"), field_name="decided_on", lookup_expr="gte", widget=DAY
    )
    decided_to = django_filters.DateFilter(
        label=_("日期止"), field_name="decided_on", lookup_expr="lte", widget=DAY
    )

    class Meta:
        model = AccountabilityRecord
        fields = ["q", "kind", "decided_from", "decided_to"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(subject_unit__name__icontains=value)
            | Q(person_name__icontains=value)
            | Q(reason__icontains=value)
        )


# ---------------------------------------------------------------- forms


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class VisitForm(BootstrapMixin, forms.Form):
    source = forms.ChoiceField(label=_("来源"), choices=rules.PROBLEM_SOURCES, initial="visit")
    title = forms.CharField(label=_("督查名称"), max_length=200)
    held_on = forms.DateField(label=_("督查（交办）日期"), widget=DAY)
    source_document = forms.CharField(
        label=_("来源文件"), max_length=200, required=False, help_text=_("上级交办的，填写交办文件或清单名称")
    )
    issuer = forms.ModelChoiceField(label=_("督查单位"), queryset=Unit.objects.none())
    team = forms.CharField(label=_("督查组"), max_length=100, required=False)
    inspected_units = UnitMultipleChoiceField(
        label=_("被督查单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple({"size": 8}),
    )
    note = forms.CharField(label=_("督查情况"), widget=forms.Textarea({"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = selectors.issuing_units(user)
        self.fields["inspected_units"].queryset = selectors.assignable_units(user)
        if not self.is_bound and self.fields["issuer"].queryset.count() == 1:
            self.initial.setdefault("issuer", self.fields["issuer"].queryset.first().pk)


class ProblemForm(BootstrapMixin, forms.Form):
    """A problem to assign; the service registers it as a hazard record (a place hazard of source 督查检查)."""

    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea({"rows": 3}))
    requirement = forms.CharField(label=_("整改要求"), widget=forms.Textarea({"rows": 2}), required=False)
    assignee = UnitChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    industry = forms.ModelChoiceField(
        label=_("行业领域"), queryset=Industry.objects.order_by("code"), help_text=_("隐患统计按行业领域汇总")
    )
    place = forms.CharField(
        label=_("问题场所"),
        max_length=200,
        required=False,
        help_text=_("如具体场所、路段；默认为责任单位名称"),
    )
    found_on = forms.DateField(label=_("发现日期"), widget=DAY, required=False, help_text=_("默认为督查日期"))
    due_on = forms.DateField(label=_("整改时限"), widget=DAY)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.assignable_units(user)


class MeasuresForm(BootstrapMixin, forms.Form):
    """深层次原因 and 制度措施 (问题 + 制度措施 两个清单): the assignee's, beside the hazard's plan and rectification."""

    root_cause = forms.CharField(
        label=_("深层次原因"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        help_text=_("既要查隐患更要查原因：制度、机制、责任上的原因"),
    )
    systemic_measure = forms.CharField(
        label=_("制度措施"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        help_text=_("为防止问题反复而建立的制度、机制（长效措施）"),
    )


def _problem_label(problem) -> str:
    return f"{problem.hazard.number} {problem.assignee.name}：{problem.description[:40]}"


class LetterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("文种"), choices=rules.LETTER_KINDS)
    issuer = forms.ModelChoiceField(label=_("发函单位"), queryset=Unit.objects.none())
    recipient = UnitChoiceField(label=_("收函单位"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("正文"), widget=forms.Textarea({"rows": 6}))
    reply_due_on = forms.DateField(label=_("回复时限"), widget=DAY)
    problem = forms.ModelChoiceField(
        label=_("督办问题"), queryset=Problem.objects.none(), required=False, help_text=_("仅督办函")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = selectors.issuing_units(user)
        self.fields["recipient"].queryset = selectors.assignable_units(user)
        self.fields["problem"].queryset = selectors.problem_list(user).filter(selectors.open_q())
        self.fields["problem"].label_from_instance = _problem_label
        if not self.is_bound and self.fields["issuer"].queryset.count() == 1:
            self.initial.setdefault("issuer", self.fields["issuer"].queryset.first().pk)


class LetterReplyForm(BootstrapMixin, forms.Form):
    reply = forms.CharField(label=_("书面回复"), widget=forms.Textarea({"rows": 5}))
    reply_file = forms.FileField(
        label=_("回复附件"), required=False, help_text=_("盖章回复的扫描件：图片或 PDF")
    )


CAUSE_KINDS = (("", "—"), ("accident", _("事故")), ("hazard", _("隐患")))


class AccountabilityForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=rules.ACCOUNTABILITY_KINDS)
    decided_by = forms.ModelChoiceField(label=_("作出单位"), queryset=Unit.objects.none())
    subject_unit = UnitChoiceField(label=_("对象单位"), queryset=Unit.objects.none())
    person_name = forms.CharField(label=_("对象人员"), max_length=50, required=False)
    person_title = forms.CharField(label=_("职务"), max_length=50, required=False)
    decided_on = forms.DateField(label=_("日期"), widget=DAY)
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea({"rows": 3}))
    file = forms.FileField(label=_("文书扫描件"), required=False, help_text=_("图片或 PDF"))
    problem = forms.ModelChoiceField(label=_("起因问题"), queryset=Problem.objects.none(), required=False)
    cause_kind = forms.ChoiceField(label=_("其他起因记录类型"), choices=CAUSE_KINDS, required=False)
    cause_id = forms.IntegerField(label=_("起因记录编号（ID）"), required=False, min_value=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = selectors.issuing_units(user)
        self.fields["subject_unit"].queryset = selectors.assignable_units(user)
        self.fields["problem"].queryset = selectors.problem_list(user)
        self.fields["problem"].label_from_instance = _problem_label
        if not self.is_bound and self.fields["decided_by"].queryset.count() == 1:
            self.initial.setdefault("decided_by", self.fields["decided_by"].queryset.first().pk)
