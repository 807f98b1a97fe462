"""Forms of the hazard pages: they parse and check shape; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anlan.core import capacity
from anlan.core import selectors as core_selectors
from anlan.core.forms import BootstrapMixin, IndustryChoiceField, RegionChoiceField
from anlan.core.models import Enterprise, Grid, Industry, Region, Role, Unit
from anlan.core.pickers import EnterpriseChoiceField

from .data.major_criteria import CRITERIA
from .models import Extension, Hazard, Lead, Supervision, Verification
from .selectors import experts

PLACE_UNIT_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.TOWN, Unit.Kind.PARK_COMMITTEE)

# Roles other than an enterprise's own: someone holding one registers hazards found by others.
NOT_ENTERPRISE = tuple(role for role in Role.values if role != Role.ENTERPRISE)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Decimal degrees typed by hand on a phone (a decimal keypad), filled by 使用当前位置 or the map (field.js).
COORDINATE = {"step": "0.000001", "inputmode": "decimal", "data-coordinate": ""}
COORDINATE_WIDGETS = {
    "longitude": forms.NumberInput(attrs={**COORDINATE, "placeholder": _("如 118.433000")}),
    "latitude": forms.NumberInput(attrs={**COORDINATE, "placeholder": _("如 32.452000")}),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several pictures in one input; the service checks each is a real picture within the size limit."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(PhotosField, self).clean(item, initial) for item in files]


def _industry_choices(field) -> None:
    field.queryset = Industry.objects.all()
    field.choices = [("", "---------")] + [
        (i.pk, field.label_from_instance(i)) for i in core_selectors.industry_tree()
    ]


def criterion_choices(industry=None):
    """The 判定标准 items, grouped by standard; with an industry, only the standards that apply to it
    (rules.standards_for), so a construction site is not offered the chemicals items."""
    from . import rules, services

    standards = rules.standards_for(services.industry_codes(industry)) if industry else None
    groups: dict = {}
    for c in CRITERIA:
        if standards is None or c.standard in standards:
            groups.setdefault(f"{c.standard.name}（{c.standard.number}）", []).append(
                (c.key, f"{c.article}：{c.text}")
            )
    return [("", "---------"), *groups.items()]


class HazardForm(BootstrapMixin, forms.ModelForm):
    """Registration. With an enterprise, region/industry/grid come from it; without one, a place is named."""

    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所属区划"), required=False)
    industry = IndustryChoiceField(queryset=Industry.objects.none(), label=_("行业领域"), required=False)
    major_criterion = forms.ChoiceField(label=_("重大隐患判定标准条款"), required=False)
    responsible_unit = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("没有生产经营单位时选择负责整改的部门、乡镇(街道)或园区管委会；默认为所在乡镇(街道)"),
    )
    photos = PhotosField(label=_("隐患照片"))

    class Meta:
        model = Hazard
        fields = list(Hazard.REGISTRATION_FIELDS)
        widgets = {
            "found_on": DATE,
            "due_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "major_basis": forms.Textarea(attrs={"rows": 2}),
            **COORDINATE_WIDGETS,
        }
        field_classes = {"enterprise": EnterpriseChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        self.fields["enterprise"].required = False
        self.fields["region"].queryset = core_selectors.regions_for_choice(user)
        self.fields["grid"].queryset = Grid.objects.for_user(user)
        _industry_choices(self.fields["industry"])
        own = not capacity.capacities(user, roles=NOT_ENTERPRISE) and set(capacity.own_enterprise_ids(user))
        if not self.initial.get("enterprise") and own and len(own) == 1:
            self.initial["enterprise"] = next(iter(own))  # an enterprise's user registers its own hazards
        enterprise = Enterprise.objects.filter(pk=self.initial.get("enterprise") or None).first()
        self.fields["major_criterion"].choices = criterion_choices(
            enterprise.industry_id if enterprise else None
        )
        self.fields["responsible_unit"].queryset = Unit.objects.for_user(user).filter(
            kind__in=PLACE_UNIT_KINDS, is_active=True
        )
        if not capacity.capacities(user, roles=NOT_ENTERPRISE):
            self.fields["source"].initial = Hazard.Source.SELF_INSPECTION

    def clean(self):
        data = super().clean()
        if not data.get("enterprise"):
            for name in ("region", "industry", "place"):
                if not data.get(name):
                    self.add_error(name, _("没有选择生产经营单位时，此项必填。"))
        return data


class PlanForm(BootstrapMixin, forms.Form):
    """整改方案. The 五落实 items beyond the first three are required for a major hazard (the service checks)."""

    responsible_person = forms.CharField(label=_("责任人"), max_length=50)
    responsible_phone = forms.CharField(label=_("责任人电话"), max_length=20, required=False)
    due_on = forms.DateField(label=_("整改时限"), widget=DATE)
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}))
    funds = forms.DecimalField(
        label=_("整改资金（万元）"), max_digits=12, decimal_places=2, required=False, min_value=0
    )
    organisation = forms.CharField(label=_("负责治理的机构"), max_length=100, required=False)
    goals = forms.CharField(
        label=_("治理的目标和任务"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    interim_measures = forms.CharField(
        label=_("安全措施和应急预案"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, major: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not major:
            for name in ("funds", "organisation", "goals", "interim_measures"):
                self.fields[name].help_text = _("重大事故隐患必填（五落实）")
        else:
            for name in ("funds", "organisation", "goals", "interim_measures"):
                self.fields[name].widget.attrs["required"] = "required"


class RectificationForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 4}))
    photos = PhotosField(label=_("整改后照片"), required=True)


class VerifyForm(BootstrapMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("验收结论"),
        choices=[("1", _("验收通过，予以销号")), ("0", _("验收不通过，退回整改"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label=_("验收方式"), choices=Verification.Method.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(label=_("验收意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class RejectForm(ReasonForm):
    """验收不通过: the opinion and how it was checked."""

    method = forms.ChoiceField(label=_("验收方式"), choices=Verification.Method.choices)


class ExtensionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Extension
        fields = ["new_due_on", "reason"]
        widgets = {"new_due_on": DATE, "reason": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(BootstrapMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批结论"),
        choices=[("1", _("批准")), ("0", _("不批准"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class ExpertForm(BootstrapMixin, forms.Form):
    expert = forms.ModelChoiceField(label=_("专家"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts().order_by("real_name")


class SupervisionForm(BootstrapMixin, forms.ModelForm):
    """挂牌督办: the responsible unit is a registered Unit (the letter's addressee), not free text."""

    class Meta:
        model = Supervision
        fields = ["level", "due_on", "responsible_unit", "requirements"]
        widgets = {"due_on": DATE, "requirements": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import responsible_units

        self.fields["responsible_unit"].queryset = (
            responsible_units(hazard) if hazard is not None else Unit.objects.none()
        )


class LiftForm(BootstrapMixin, forms.Form):
    opinion = forms.CharField(label=_("摘牌意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class RecheckForm(BootstrapMixin, forms.Form):
    checked_on = forms.DateField(label=_("复查日期"), widget=DATE)
    held = forms.TypedChoiceField(
        label=_("复查结论"),
        choices=[("1", _("整改效果保持")), ("0", _("整改效果未保持（登记新隐患）"))],
        coerce=lambda v: v == "1",
    )
    notes = forms.CharField(label=_("复查情况"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("新隐患整改期限"), widget=DATE, required=False)


class LeadForm(BootstrapMixin, forms.ModelForm):
    photos = PhotosField(label=_("现场照片"))

    class Meta:
        model = Lead
        fields = [
            "source",
            "enterprise",
            "place",
            "region",
            "description",
            "longitude",
            "latitude",
            "reported_on",
            "reporter_name",
            "reporter_phone",
        ]
        widgets = {
            "reported_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            **COORDINATE_WIDGETS,
        }
        field_classes = {"enterprise": EnterpriseChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        self.fields["region"] = RegionChoiceField(
            queryset=core_selectors.regions_for_choice(user), label=_("所属区划"), required=False
        )
        self.fields["region"].widget.attrs["class"] = "form-select"
        if capacity.acts_for(user, roles=[Role.GRID_WORKER]) and not user.is_superuser:
            self.fields["source"].initial = Lead.Source.GRID_PATROL
            # A grid worker reports from their own grid: the lead is placed in the grid's village.
            for name in ("reporter_name", "reporter_phone", "region"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not data.get("place"):
            self.add_error("place", _("请选择生产经营单位或填写地点。"))
        return data


class LeadConfirmForm(BootstrapMixin, forms.Form):
    """What the officer adds when confirming a lead: grade, category, deadline (and industry for a place)."""

    industry = IndustryChoiceField(queryset=Industry.objects.none(), label=_("行业领域"), required=False)
    category = forms.ChoiceField(label=_("隐患类别"), choices=Hazard.Category.choices)
    grade = forms.ChoiceField(label=_("隐患等级"), choices=Hazard.Grade.choices)
    major_criterion = forms.ChoiceField(label=_("重大隐患判定标准条款"), required=False)
    major_basis = forms.CharField(
        label=_("判定依据说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    location = forms.CharField(label=_("具体部位"), max_length=200, required=False)
    due_on = forms.DateField(label=_("整改期限"), widget=DATE)

    def __init__(self, *args, industry=None, **kwargs):
        super().__init__(*args, **kwargs)
        _industry_choices(self.fields["industry"])
        self.fields["major_criterion"].choices = criterion_choices(industry)


# ---------------------------------------------------------------- 隐患排查治理统计分析表 (16号令 第十四条)


class FilingPeriodForm(forms.Form):
    period = forms.CharField(label=_("统计期"), max_length=7)


class FilingAnalysisForm(BootstrapMixin, forms.Form):
    analysis = forms.CharField(
        label=_("分析说明"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("本期隐患排查治理工作的开展情况、主要隐患类型和原因、整改措施及下一步工作打算"),
    )


class FilingRuleForm(BootstrapMixin, forms.Form):
    province = forms.ModelChoiceField(
        label=_("省级区划"), queryset=Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")
    )
    quarter_day = forms.IntegerField(label=_("季度报送日"), min_value=1, max_value=28, initial=15)
    annual_month = forms.IntegerField(label=_("年度报送月"), min_value=1, max_value=12, initial=1)
    annual_day = forms.IntegerField(label=_("年度报送日"), min_value=1, max_value=31, initial=31)
    effective_from = forms.DateField(
        label=_("施行日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("依据"), required=False, max_length=200)
