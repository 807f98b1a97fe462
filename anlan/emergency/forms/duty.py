"""Forms of duty: a roster, a shift, a swap, a handover, a report taken in and its passing on."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anlan.core import trees, units
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Role

from ..models import DutyLogEntry, DutySwap

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
User = get_user_model()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


def people_for(unit, *, leaders: bool = False):
    """The unit's members; with `leaders`, also the 领导 of the unit's region and above."""
    condition = Q(pk__in=units.members(unit).values("pk"))
    if leaders:
        condition |= Q(
            memberships__is_active=True,
            memberships__role=Role.LEADER,
            memberships__region_id__in=[unit.region_id, *trees.ancestor_codes(unit.region_id)],
        )
    return User.objects.filter(condition, is_active=True).distinct().order_by("real_name", "username")


class RosterForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("值班单位"), queryset=None)
    month = forms.CharField(
        label=_("月份"), help_text=_("格式：2026-12"), widget=forms.TextInput(attrs={"type": "month"})
    )
    phone = forms.CharField(label=_("值班电话"), max_length=30)

    def __init__(self, *args, units_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_queryset

    def clean_month(self) -> date:
        text = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in text.split("-")[:2])
            return date(year, month, 1)
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("月份格式应为 年-月，例如 2026-12。")) from exc


class ShiftForm(BootstrapMixin, forms.Form):
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    officer = PersonChoiceField(label=_("值班员"), queryset=None)
    officer_phone = forms.CharField(label=_("值班员电话"), max_length=30)
    leader = PersonChoiceField(label=_("带班领导"), queryset=None)
    leader_phone = forms.CharField(label=_("带班领导电话"), max_length=30)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = people_for(unit)
        self.fields["leader"].queryset = people_for(unit, leaders=True)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class FillMonthForm(BootstrapMixin, forms.Form):
    """排一个月: the remaining days, in turns."""

    start_time = forms.TimeField(
        label=_("交接班时间"), initial="08:30", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    hours = forms.TypedChoiceField(
        label=_("班次"), coerce=int, choices=[(24, _("24小时一班")), (12, _("白班/夜班各12小时"))], initial=24
    )
    officers = PeopleChoiceField(label=_("值班员（依次轮值）"), queryset=None)
    leaders = PeopleChoiceField(label=_("带班领导（依次轮值）"), queryset=None)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = people_for(unit)
        self.fields["leaders"].queryset = people_for(unit, leaders=True)


class SwapForm(BootstrapMixin, forms.Form):
    post = forms.ChoiceField(label=_("岗位"), choices=DutySwap.Post.choices)
    replacement = PersonChoiceField(label=_("替班人"), queryset=None)
    replacement_phone = forms.CharField(label=_("替班人电话"), max_length=30)
    reason = forms.CharField(label=_("换班原因"), max_length=200)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = people_for(unit, leaders=True)


class HandoverForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("交接班记录"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("本班接报、处置中事项、需下一班跟进的事项。"),
    )


class CallForm(BootstrapMixin, forms.Form):
    """A report the duty officer types in (the system's own entries — accident reports — are not offered)."""

    SOURCES = [
        (value, label)
        for value, label in DutyLogEntry.Source.choices
        if value
        not in (DutyLogEntry.Source.ACCIDENT, DutyLogEntry.Source.NEAR_MISS, DutyLogEntry.Source.FOLLOW_UP)
    ]

    unit = forms.ModelChoiceField(label=_("接报单位"), queryset=None)
    received_at = forms.DateTimeField(label=_("接报时间"), widget=DATETIME)
    source = forms.ChoiceField(label=_("来源"), choices=SOURCES)
    caller = forms.CharField(label=_("报告人/来电人"), max_length=100, required=False)
    caller_phone = forms.CharField(label=_("来电号码"), max_length=30, required=False)
    summary = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, units_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_queryset


class PassOnForm(BootstrapMixin, forms.Form):
    passed_to = forms.CharField(label=_("转报/交办对象"), max_length=200)
