"""Forms of the accident pages: they parse input; the services decide (and name the field at fault).

The casualty figures are typed only: their rules (whole, not negative, loss to the 分) are checked once, by
the service, for the pages and the API alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import capacity, trees
from anlan.core.filters import IndustryGrouping, industry_grouping_field
from anlan.core.forms import BootstrapMixin, IndustryChoiceField, RegionChoiceField
from anlan.core.models import Enterprise, Industry, Region, Role
from anlan.core.pickers import EnterpriseChoiceField
from anlan.core.rules import RuleViolation

from . import rules, selectors, services, statistics
from .models import (
    Accident,
    AccidentKind,
    AccidentReport,
    AccidentType,
    MinorEvent,
    NearMissIncident,
    ReportingFinding,
    Responsibility,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def figure_field(name: str, model=Accident) -> forms.Field:
    """A casualty figure of `services.CASUALTY_FIELDS`, labelled as the model labels it, typed only."""
    model_field = model._meta.get_field(name)
    kind = forms.DecimalField if name == "direct_loss_yuan" else forms.IntegerField
    help_text = _("单位：元，最多两位小数") if name == "direct_loss_yuan" else model_field.help_text
    return kind(label=model_field.verbose_name, initial=0, help_text=help_text)


def _industries(field):
    field.queryset = Industry.objects.all()
    field.choices = [("", "---------")] + [
        (i.pk, field.label_from_instance(i)) for i in trees.industry_tree()
    ]


# The figures of a report (初报, 续报, 补报), declared once from the service's list.
CasualtyFields = type(
    "CasualtyFields", (forms.Form,), {name: figure_field(name) for name in services.CASUALTY_FIELDS}
)


class AccidentForm(BootstrapMixin, CasualtyFields):
    """初报. The received time is set by the system, so it is not a field."""

    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=DATETIME)
    head_notified_at = forms.DateTimeField(
        label=_("单位负责人接报时间"),
        widget=DATETIME,
        required=False,
        help_text=_("未知时按事故发生时间计算报告时限"),
    )
    kind = forms.ChoiceField(
        label=_("事故类别"), choices=AccidentKind.choices, initial=AccidentKind.INDUSTRIAL
    )
    type_code = forms.ChoiceField(label=_("事故类型（GB 6441）"), choices=AccidentType.choices)
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("发生地区划"))
    place = forms.CharField(label=_("事故地点"), max_length=200)
    enterprise = EnterpriseChoiceField(
        label=_("事故单位"),
        required=False,
        help_text=_("道路交通等无事故单位的可不选"),
    )
    industry = IndustryChoiceField(queryset=Industry.objects.none(), label=_("行业领域"))
    description = forms.CharField(label=_("事故简要经过"), widget=TEXT)
    preliminary_cause = forms.CharField(label=_("初步原因"), widget=TEXT, required=False)
    measures_taken = forms.CharField(label=_("已采取的措施"), widget=TEXT, required=False)
    reporter_name = forms.CharField(label=_("报告人"), max_length=50)
    reporter_phone = forms.CharField(label=_("联系电话"), max_length=30)

    field_order = [
        "occurred_at",
        "head_notified_at",
        "kind",
        "type_code",
        "region",
        "place",
        "enterprise",
        "industry",
        "deaths",
        "missing",
        "serious_injuries",
        "minor_injuries",
        "direct_loss_yuan",
        "description",
        "preliminary_cause",
        "measures_taken",
        "reporter_name",
        "reporter_phone",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.reporting_regions(user)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        _industries(self.fields["industry"])
        own = capacity.capacities(user, right=services.REPORT, roles=[Role.ENTERPRISE])
        if own and not self.is_bound:
            enterprise = own[0].enterprise
            self.initial.setdefault("enterprise", enterprise.pk)
            self.initial.setdefault("region", enterprise.region_id)
            self.initial.setdefault("industry", enterprise.industry_id)
            self.initial.setdefault("reporter_name", user.display_name)
            self.initial.setdefault("reporter_phone", user.phone)


class FollowUpForm(BootstrapMixin, CasualtyFields):
    kind = forms.ChoiceField(
        label=_("报告类型"),
        choices=[(k, v) for k, v in AccidentReport.Kind.choices if k != AccidentReport.Kind.INITIAL],
    )
    description = forms.CharField(label=_("情况说明"), widget=TEXT)
    reporter_name = forms.CharField(label=_("报告人"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    field_order = ["kind", "deaths", "missing", "serious_injuries", "minor_injuries", "direct_loss_yuan"]

    @classmethod
    def for_accident(cls, accident: Accident, data=None):
        """The 续报 form with the accident's figures; while injured persons are recorded by lost work days,
        重伤/轻伤人数 are counted from them (services.add_report), so their fields are read-only here."""
        initial = {name: getattr(accident, name) for name in services.CASUALTY_FIELDS}
        form = cls(data, initial={**initial, "kind": AccidentReport.Kind.FOLLOW_UP})
        if accident.injured_persons.exists():
            for name in ("serious_injuries", "minor_injuries"):
                form.fields[name].disabled = True
                form.fields[name].help_text = _(
                    "已按伤员损失工作日登记，由登记结果计算；请在事故页“伤员损失工作日”中增改。"
                )
        return form


class InjuredPersonForm(BootstrapMixin, forms.Form):
    """An injured person by lost work days. Typed only, nothing required here: the service checks the name and
    the days (whole, not negative) and its message names the field."""

    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    identifier = forms.CharField(label=_("身份证号或工号"), max_length=40, required=False)
    lost_work_days = forms.CharField(
        label=_("损失工作日"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("GB 6441：1–104日为轻伤，105–5999日为重伤，6000日及以上按死亡折算（计入重伤）"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ForwardForm(forms.Form):
    level = forms.CharField()
    at = forms.DateTimeField(required=False, widget=DATETIME)


class RemoveForm(forms.Form):
    """A remove button: no field, only the POST."""


class FindingForm(BootstrapMixin, forms.Form):
    """The facts of the reporting; the classification follows from them (services.record_finding)."""

    reported = forms.TypedChoiceField(
        label=_("事故单位是否报告"),
        choices=[("1", _("已报告")), ("0", _("未报告"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    late = forms.BooleanField(label=_("超过规定时限报告"), required=False)
    omission = forms.BooleanField(label=_("应报事故或报告内容有遗漏"), required=False)
    omission_by_negligence = forms.BooleanField(label=_("遗漏系过失所致"), required=False)
    intentional_falsehood = forms.BooleanField(label=_("故意不如实报告"), required=False)
    false_fields = forms.MultipleChoiceField(
        label=_("不如实报告的事项"),
        choices=ReportingFinding.FalseField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline_passed = forms.BooleanField(label=_("未报告且已超过报告时限"), required=False)
    concealment_verified = forms.BooleanField(label=_("隐瞒不报经查证属实"), required=False)
    found_on = forms.DateField(label=_("认定日期"), widget=DATE, initial=date.today)
    description = forms.CharField(label=_("查证情况"), widget=TEXT)


class InvestigationForm(BootstrapMixin, forms.Form):
    lead_organ = forms.CharField(label=_("牵头单位"), max_length=120)
    team_leader = forms.CharField(label=_("调查组组长"), max_length=50)
    started_on = forms.DateField(label=_("成立日期"), widget=DATE, initial=date.today)
    team_members = forms.CharField(label=_("调查组成员"), widget=TEXT, required=False)


class ExtendForm(BootstrapMixin, forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=60)
    approved_by = forms.CharField(label=_("延期批准机关"), max_length=120)
    reason = forms.CharField(label=_("延期理由"), widget=TEXT)


class ConcludeForm(BootstrapMixin, forms.Form):
    direct_cause = forms.CharField(label=_("直接原因"), widget=TEXT)
    indirect_cause = forms.CharField(label=_("间接原因"), widget=TEXT, required=False)
    nature = forms.CharField(
        label=_("事故性质"), max_length=60, required=False, initial=_("生产安全责任事故")
    )


class ResponsibilityForm(BootstrapMixin, forms.Form):
    party = forms.ChoiceField(label=_("责任主体类型"), choices=Responsibility.Party.choices)
    name = forms.CharField(label=_("名称或姓名"), max_length=120, required=False)
    enterprise = EnterpriseChoiceField(label=_("对应生产经营单位"), required=False)
    position = forms.CharField(label=_("单位类型或职务"), max_length=120, required=False)
    finding = forms.CharField(label=_("责任认定"), widget=TEXT)
    recommended_handling = forms.CharField(label=_("处理建议"), widget=TEXT)
    fine_wan = forms.DecimalField(label=_("对单位罚款（万元）"), required=False, decimal_places=6)
    aggravated = forms.BooleanField(label=_("情节特别严重、影响特别恶劣"), required=False)
    is_principal = forms.BooleanField(label=_("事故发生单位主要负责人"), required=False)
    last_year_income_wan = forms.DecimalField(
        label=_("上一年年收入（万元）"), required=False, decimal_places=4
    )

    def __init__(self, *args, user, grade=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        if grade:
            guide = selectors.fine_guide(grade)
            self.fields["fine_wan"].help_text = guide["unit"]
            self.fields["last_year_income_wan"].help_text = guide["principal"]


class MeasureForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("防范和整改措施"), widget=TEXT)
    responsible_party = forms.CharField(label=_("责任单位"), max_length=120)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)


class CompleteMeasureForm(BootstrapMixin, forms.Form):
    completed_on = forms.DateField(label=_("完成日期"), widget=DATE, initial=date.today)
    note = forms.CharField(label=_("完成情况"), max_length=500)


class ReportReceivedForm(BootstrapMixin, forms.Form):
    received_on = forms.DateField(label=_("收到调查报告日期"), widget=DATE, initial=date.today)


class ReplyExtendForm(BootstrapMixin, forms.Form):
    days = forms.IntegerField(label=_("批复延长天数"), min_value=1, max_value=rules.MAX_REPLY_EXTENSION_DAYS)
    reason = forms.CharField(label=_("批复延期理由"), widget=TEXT)


class ReplyForm(BootstrapMixin, forms.Form):
    replied_on = forms.DateField(label=_("批复日期"), widget=DATE, initial=date.today)
    authority = forms.CharField(label=_("批复机关"), max_length=120)
    number = forms.CharField(label=_("批复文号"), max_length=60, required=False)


class MinorEventForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=MinorEvent.Kind.choices)
    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=DATETIME)
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("发生地区划"))
    enterprise = EnterpriseChoiceField(label=_("单位"), required=False)
    industry = IndustryChoiceField(queryset=Industry.objects.none(), label=_("行业领域"))
    minor_injuries = figure_field("minor_injuries", MinorEvent)
    description = forms.CharField(label=_("经过"), widget=TEXT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.reporting_regions(user)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        _industries(self.fields["industry"])


class NearMissForm(BootstrapMixin, forms.Form):
    """较大涉险事故: the facts the rule reads, and the report's particulars as for an accident."""

    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=DATETIME)
    head_notified_at = forms.DateTimeField(
        label=_("单位负责人接报时间"),
        widget=DATETIME,
        required=False,
        help_text=_("未知时按发生时间计算报告时限"),
    )
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("发生地区划"))
    place = forms.CharField(label=_("事件地点"), max_length=200)
    enterprise = EnterpriseChoiceField(label=_("事件单位"), required=False)
    industry = IndustryChoiceField(queryset=Industry.objects.none(), label=_("行业领域"))
    people_at_risk = figure_field("people_at_risk", NearMissIncident)
    trapped_or_missing = figure_field("trapped_or_missing", NearMissIncident)
    evacuated = figure_field("evacuated", NearMissIncident)
    threatens_key_site = forms.BooleanField(label=_("危及重要场所和设施"), required=False)
    serious_pollution = forms.BooleanField(label=_("严重污染水源、耕地、河流等"), required=False)
    description = forms.CharField(label=_("事件简要经过"), widget=TEXT)
    measures_taken = forms.CharField(label=_("已采取的措施"), widget=TEXT, required=False)
    reporter_name = forms.CharField(label=_("报告人"), max_length=50)
    reporter_phone = forms.CharField(label=_("联系电话"), max_length=30)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.reporting_regions(user)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        _industries(self.fields["industry"])


class EconomyForm(BootstrapMixin, forms.Form):
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("区划"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    gdp_yi = forms.DecimalField(
        label=_("地区生产总值（亿元）"), min_value=0.01, max_digits=12, decimal_places=2
    )
    industrial_employment = forms.IntegerField(label=_("工矿商贸就业人员数"), min_value=1)
    motor_vehicles = forms.IntegerField(
        label=_("机动车保有量（辆）"), min_value=1, required=False, help_text=_("用于道路交通事故万车死亡率")
    )
    raw_coal_wan_tonnes = forms.DecimalField(
        label=_("原煤产量（万吨）"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("无煤矿的地区不填；用于煤矿百万吨死亡率"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.for_user(user, "accidents.edit_economy").filter(
            level__lte=Region.Level.TOWN
        )


class StatisticsForm(BootstrapMixin, forms.Form):
    """The statistics query of the page, its export and the API: period (default this year to today),
    region (its subtree, within the user's scope), industry (with its sub-industries) and kind."""

    date_from = forms.DateField(label=_("起始日期"), widget=DATE, required=False)
    date_to = forms.DateField(label=_("截止日期"), widget=DATE, required=False)
    region = RegionChoiceField(
        queryset=Region.objects.none(),
        label=_("区划"),
        required=False,
        error_messages={"invalid_choice": _("区划不存在或不在您的管辖范围内。")},
    )
    industry = IndustryChoiceField(
        queryset=Industry.objects.none(),
        label=_("行业领域"),
        required=False,
        error_messages={"invalid_choice": _("行业领域“%(value)s”不存在。")},
    )
    kind = forms.ChoiceField(
        label=_("事故类别"), choices=[("", _("全部"))] + AccidentKind.choices, required=False
    )
    group = industry_grouping_field()

    # Which Heinrich variant the pyramid card shows (statistics.PYRAMID_VARIANTS); kept with the filters.
    pyramid = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.for_user(user).filter(level__gte=Region.Level.COUNTY)
        _industries(self.fields["industry"])

    def pyramid_variant(self) -> str:
        """The variant asked for, or the classic 1:29:300 for anything else."""
        asked = self.data.get("pyramid") if self.is_bound else None
        return asked if asked in rules.HEINRICH else statistics.DEFAULT_PYRAMID

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("date_from", "date_to"):
            try:  # the period and its year-earlier comparison must stay within the calendar
                rules.check_date_range(
                    data.get(name), name, self.fields[name].label, today, latest=rules.deadline_latest(today)
                )
            except RuleViolation as violation:
                self.add_error(name, violation.message)
                return data
        default = statistics.Period.default(today)
        data["date_from"] = data.get("date_from") or default.start
        data["date_to"] = data.get("date_to") or default.end
        if data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    @property
    def grouping(self) -> str:
        """How the industry breakdown groups: 行业领域 unless 门类 is asked for (and the query is valid)."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("group"):
            return self.cleaned_data["group"]
        return IndustryGrouping.INDUSTRY

    def query(self) -> tuple[statistics.Period, statistics.Filters]:
        """The period and filters asked for; the defaults (this year, everything) when the input is invalid."""
        if not (self.is_bound and self.is_valid()):
            return statistics.Period.default(timezone.localdate()), statistics.Filters()
        data = self.cleaned_data
        industry = data.get("industry")
        return statistics.Period(data["date_from"], data["date_to"]), statistics.Filters(
            region=data.get("region"),
            industry_ids=sorted(trees.industry_descendants(industry.pk)) if industry else None,
            kind=data.get("kind") or "",
        )
