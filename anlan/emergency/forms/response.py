"""Forms and the list filter of the incident and response pages: they parse input; the services decide."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import rules as core_rules
from anlan.core.filters import ScopedFilterSet
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Region

from .. import rules
from ..models import ControlPoint, Incident, ResponseTask

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})
LEVELS = [(level, label) for level, label in rules.RESPONSE_LEVELS]
TYPED_KINDS = [(k, v) for k, v in Incident.Kind.choices if k in ("natural_disaster", "other")]


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


def _when(**kw):
    return forms.DateTimeField(widget=WHEN, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kw)


def _units_field(label, queryset, **kw):
    return forms.ModelChoiceField(label=label, queryset=queryset, **kw)


class IncidentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("事件类别"), choices=TYPED_KINDS)
    title = forms.CharField(label=_("事件名称"), max_length=200)
    occurred_at = _when(label=_("发生时间"), initial=_now)
    region = forms.ModelChoiceField(label=_("发生地区划"), queryset=Region.objects.none())
    place = forms.CharField(label=_("发生地点"), max_length=200, required=False)
    summary = forms.CharField(label=_("简要情况"), widget=TEXT, required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions


class StartForm(BootstrapMixin, forms.Form):
    level = forms.TypedChoiceField(label=_("响应级别"), choices=LEVELS, coerce=int)
    plan = forms.ModelChoiceField(label=_("启动的预案"), queryset=None, required=False)
    commander_name = forms.CharField(label=_("指挥长"), max_length=50)
    commander_phone = forms.CharField(label=_("指挥长电话"), max_length=30)
    post_place = forms.CharField(label=_("现场指挥部位置"), max_length=200)
    post_lat = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, required=False)
    post_lng = forms.DecimalField(label=_("经度"), max_digits=9, decimal_places=6, required=False)
    started_at = _when(label=_("启动时间"), initial=_now)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


class LevelForm(BootstrapMixin, forms.Form):
    to_level = forms.TypedChoiceField(label=_("调整为"), choices=LEVELS, coerce=int)
    reason = forms.CharField(label=_("调整原因"), widget=TEXT)


class EndForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("结束说明"), widget=TEXT, required=False)


class GroupForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("工作组"),
        max_length=60,
        help_text=_("如综合协调组、抢险救援组、医疗救护组、治安警戒组、宣传报道组、后勤保障组"),
    )
    lead = forms.ModelChoiceField(label=_("牵头单位"), queryset=None)
    duties = forms.CharField(label=_("职责"), widget=TEXT, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = units


class TaskForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=None)
    text = forms.CharField(label=_("任务内容"), widget=TEXT)
    deadline = _when(label=_("完成时限"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ControlPointForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("管控类型"), choices=ControlPoint.Kind.choices)
    place = forms.CharField(label=_("位置"), max_length=200)
    unit = forms.ModelChoiceField(label=_("负责单位"), queryset=None)
    set_at = _when(label=_("设立时间"), initial=_now)
    lat = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, required=False)
    lng = forms.DecimalField(label=_("经度"), max_digits=9, decimal_places=6, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class LiftForm(BootstrapMixin, forms.Form):
    lifted_at = _when(label=_("解除时间"), required=False)


class NoteForm(BootstrapMixin, forms.Form):
    noted_at = _when(label=_("时间"), initial=_now)
    text = forms.CharField(label=_("内容"), widget=TEXT)


class CompleteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("完成情况"), widget=TEXT)


class ConfirmForm(forms.Form):
    """A bare POST (the confirmation button)."""


def _parse_time(text: str, day) -> datetime | None:
    """ "HH:MM" on `day`, or "YYYY-MM-DD HH:MM"; None when unreadable."""
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M", "%H:%M"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%H:%M":
            parsed = datetime.combine(day, time(parsed.hour, parsed.minute))
        return timezone.make_aware(parsed)
    return None


class FirstResponseForm(BootstrapMixin, forms.Form):
    called_at = _when(label=_("接警时间"))
    dispatched_at = _when(label=_("出动时间"))
    arrived_at = _when(label=_("到达时间"), required=False)
    handed_over_at = _when(label=_("移交应急响应时间"), required=False)
    responders = forms.CharField(
        label=_("出动人员"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一人：姓名 职务 电话，以空格分隔"),
    )
    actions = forms.CharField(
        label=_("处置措施"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("每行一条：时间（HH:MM，或 YYYY-MM-DD HH:MM） 措施"),
    )

    def clean_responders(self):
        rows = []
        for line in self.cleaned_data["responders"].splitlines():
            parts = line.split()
            if parts:
                rows.append(
                    {
                        "name": parts[0],
                        "post": parts[1] if len(parts) > 1 else "",
                        "phone": " ".join(parts[2:]),
                    }
                )
        return rows

    def clean(self):
        data = super().clean()
        called = data.get("called_at")
        rows = []
        for number, line in enumerate((data.get("actions") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            head, _sep, rest = line.partition(" ")
            at = None
            if called is not None:
                day = timezone.localtime(called).date()
                at = _parse_time(head, day)
                if at is not None and at < called:
                    # A bare "HH:MM" earlier than the call is after midnight: actions follow the call.
                    at = _parse_time(head, day + timedelta(days=1))
                if at is None:  # "YYYY-MM-DD HH:MM text"
                    second, _sep2, rest2 = rest.partition(" ")
                    at = _parse_time(f"{head} {second}", day)
                    rest = rest2 if at is not None else rest
            if at is None or not rest.strip():
                self.add_error("actions", _("第%(n)s行应为“时间 措施”。") % {"n": number})
                continue
            rows.append({"at": at, "text": rest.strip()})
        data["actions"] = rows
        return data


def responders_text(first) -> str:
    return "\n".join(" ".join(filter(None, [r.name, r.post, r.phone])) for r in first.responders.all())


def actions_text(first) -> str:
    return "\n".join(f"{timezone.localtime(a.at):%Y-%m-%d %H:%M} {a.text}" for a in first.actions.all())


class ReleaseForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}))
    reviewers = forms.ModelMultipleChoiceField(
        label=_("审核单位（按顺序审核）"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("如县委县政府办公室（两办）、县委宣传部"),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = units

    def clean_reviewers(self):
        return [unit.pk for unit in self.cleaned_data["reviewers"]]


class ReviewForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核意见"), choices=[("approve", _("同意发布")), ("return", _("退回修改"))]
    )
    comment = forms.CharField(label=_("意见"), widget=TEXT, required=False)


class IncidentFilter(ScopedFilterSet):
    """The incident list's filters."""

    q = django_filters.CharFilter(label=_("名称或地点"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("事件类别"), choices=Incident.Kind.choices)
    town = django_filters.ChoiceFilter(label=_("乡镇（街道）"), choices=[], method="filter_town")
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("open", _("未结束")), ("closed", _("已结束")), ("responding", _("响应中"))],
        method="filter_state",
    )
    occurred_from = django_filters.DateFilter(
        label=_("发生日期自"),
        field_name="occurred_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    occurred_to = django_filters.DateFilter(
        label=_("至"),
        field_name="occurred_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Incident
        fields = ["q", "kind", "town", "state", "occurred_from", "occurred_to"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from anlan.core.selectors import regions_for_choice

            towns = regions_for_choice(user).filter(level=Region.Level.TOWN).order_by("code")
            # On this instance's form, not on the filter: a filter's field is built once and may already be
            # cached on the class (the OpenAPI schema reads it), and a copy of it would keep the empty choices.
            self.form.fields["town"].choices = [(t.code, t.name) for t in towns]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__contains=value) | Q(place__contains=value) | Q(summary__contains=value)
        )

    def filter_town(self, queryset, name, value: str):
        low, high = core_rules.subtree_bounds(value, Region.Level.TOWN)
        return queryset.filter(region__gte=low, region__lte=high)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(closed_at__isnull=True)
        if value == "closed":
            return queryset.filter(closed_at__isnull=False)
        if value == "responding":
            return queryset.filter(responses__status="active").distinct()
        return queryset


class TaskFilter(ScopedFilterSet):
    """The 应急任务 list's filters."""

    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("open", _("未完成")), ("done", _("已完成"))],
        method="filter_state",
    )

    class Meta:
        model = ResponseTask
        fields: list[str] = []

    def filter_state(self, queryset, name, value):
        return queryset.filter(completed_at__isnull=value == "open")
