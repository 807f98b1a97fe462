"""Forms and list filters of 安委会会议/议定事项 and 专项整治. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet, YesNoFilter
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Industry, ReceiptTask, Unit

from .. import rules
from ..models import Campaign, DecisionTask, Meeting
from ..models.campaigns import MANAGE_CAMPAIGNS, MANAGE_MEETINGS
from ..selectors import campaigns as selectors

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# ---------------------------------------------------------------- filters (the page, the export, the API)


class MeetingFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("会议名称或议题"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("会议类型"), choices=rules.MEETING_KINDS)
    held_from = django_filters.DateFilter(
        label=_("会议日期起"), field_name="held_on", lookup_expr="gte", widget=DAY
    )
    held_to = django_filters.DateFilter(
        label=_("会议日期止"), field_name="held_on", lookup_expr="lte", widget=DAY
    )

    class Meta:
        model = Meeting
        fields = ["q", "kind", "held_from", "held_to"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(topics__icontains=value))


class DecisionTaskFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("议定事项或承办单位"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DecisionTask.Status.choices)
    overdue = YesNoFilter(label=_("仅看逾期"), method="filter_overdue", widget=forms.CheckboxInput)
    mine = YesNoFilter(label=_("仅看本单位承办"), method="filter_mine", widget=forms.CheckboxInput)

    class Meta:
        model = DecisionTask
        fields = ["q", "status", "overdue", "mine"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(decision__text__icontains=value) | Q(assignee__name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        return queryset.filter(selectors.overdue_q(timezone.localdate())) if value else queryset

    def filter_mine(self, queryset, name, value):
        from anlan.core import units

        user = getattr(self.request, "user", None)
        return queryset.filter(assignee__in=units.units_of(user)) if value and user else queryset


class CampaignFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("行动名称"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("行动类型"), choices=rules.CAMPAIGN_KINDS)

    class Meta:
        model = Campaign
        fields = ["q", "kind"]


class CardReceivedFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("标题"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReceiptTask.Status.choices)

    class Meta:
        model = ReceiptTask
        fields = ["q", "status"]


# ---------------------------------------------------------------- meetings and decisions


class MeetingForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=rules.MEETING_KINDS)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("会议日期"), widget=DAY)
    chair = forms.CharField(label=_("主持人"), max_length=100)
    attendees = forms.CharField(
        label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行一人或一个单位")
    )
    topics = forms.CharField(label=_("会议议题"), widget=forms.Textarea(attrs={"rows": 3}))
    office = forms.ModelChoiceField(label=_("安委办"), queryset=Unit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = selectors.offices(user, MANAGE_MEETINGS)


class DecisionForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("完成时限"), widget=DAY)
    assignees = forms.ModelMultipleChoiceField(
        label=_("承办单位"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = selectors.government_units(user)


class ProgressForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        label=_("佐证材料"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("文件名称、文号或相关记录编号"),
    )


class CompletionForm(ProgressForm):
    """The form of the `report` transition: what was done and the evidence (required by the service)."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("record", None)
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        self.fields["evidence"].required = True


# ---------------------------------------------------------------- campaigns


class CampaignForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("行动类型"), choices=rules.CAMPAIGN_KINDS)
    title = forms.CharField(label=_("行动名称"), max_length=200)
    themes = forms.CharField(
        label=_("整治重点"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("专题、重点内容和目标")
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DAY)
    ends_on = forms.DateField(label=_("结束日期"), widget=DAY)
    office = forms.ModelChoiceField(label=_("安委办"), queryset=Unit.objects.none())
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = selectors.offices(user, MANAGE_CAMPAIGNS)
        self.fields["lead_unit"].queryset = selectors.government_units(user)


class AreaForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("专题/专项名称"), max_length=100)
    industries = forms.ModelMultipleChoiceField(
        label=_("涉及行业领域"),
        queryset=Industry.objects.order_by("code"),
        required=False,
        help_text=_("按规则标记时，这些行业领域的隐患和检查记录纳入本行动"),
    )


class MemberForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("成员单位"), queryset=Unit.objects.none())
    liaison_name = forms.CharField(label=_("联络员"), max_length=50)
    liaison_phone = forms.CharField(label=_("联络员电话"), max_length=20)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.government_units(user)


class CardForm(BootstrapMixin, forms.Form):
    month = forms.DateField(
        label=_("月份"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    tasks = forms.CharField(
        label=_("当月任务清单"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("每行一项")
    )
    report_by = forms.DateField(label=_("报送时限"), widget=DAY)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files in one input; the service checks each (a picture or a PDF within the kernel's bounds)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf,.pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(EvidenceFilesField, self).clean(item, initial) for item in files]


class MemberEditForm(BootstrapMixin, forms.Form):
    liaison_name = forms.CharField(label=_("联络员"), max_length=50)
    liaison_phone = forms.CharField(label=_("联络员电话"), max_length=20)


class MemberRemoveForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("移出原因"), max_length=300, required=False)


class CardReportForm(BootstrapMixin, forms.Form):
    enterprises_checked = forms.IntegerField(label=_("检查企业（单位）数"), min_value=0, max_value=1_000_000)
    hazards_found = forms.IntegerField(label=_("排查隐患数"), min_value=0, max_value=1_000_000)
    hazards_rectified = forms.IntegerField(label=_("整改隐患数"), min_value=0, max_value=1_000_000)
    text = forms.CharField(label=_("工作开展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    files = EvidenceFilesField(
        label=_("佐证材料"),
        help_text=_("可选多个文件：图片（JPEG、PNG）或 PDF；再次报送时新文件追加在已有文件之后"),
    )


class ReportIssueForm(BootstrapMixin, forms.Form):
    period = forms.ChoiceField(label=_("类别"), choices=rules.PERIOD_KINDS)
    day = forms.DateField(
        label=_("期间内任一日"), widget=DAY, help_text=_("如 2026-03-01 表示 3 月、第一季度或 2026 年")
    )


class TagForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("记录类型"), choices=(("hazard", _("隐患")), ("inspection", _("监督检查")))
    )
    record = forms.IntegerField(label=_("记录编号（ID）"), min_value=1)
    remove = forms.BooleanField(label=_("取消标记"), required=False)
