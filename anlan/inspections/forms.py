"""Forms of the inspection pages: they parse and check shape; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import selectors as core_selectors
from anlan.core.forms import BootstrapMixin, IndustryChoiceField, RegionChoiceField
from anlan.core.models import Enterprise, Industry, Region
from anlan.core.pickers import EnterpriseChoiceField
from anlan.hazards.models import Hazard

from . import selectors
from .data import legal_basis
from .data.checklists import CHECKLISTS, items_of
from .models import (
    Answer,
    EnforcementAction,
    Inspection,
    InspectionPlan,
    Inspector,
    Letter,
    RandomDraw,
    RiskLevel,
    ScoredPerson,
    ScoringRule,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MONTHS = [f"m{n}" for n in range(1, 13)]
TARGET_ROWS = 3


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


class DepartmentMixin:
    """A department select limited to the departments the user may act for with `right`."""

    right = ""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = self.departments(user)
        options = list(self.fields["department"].queryset[:2])
        if len(options) == 1:
            self.fields["department"].initial = options[0]

    def departments(self, user):
        return selectors.departments_for(user, self.right)


class PlanningMixin(DepartmentMixin):
    """Planning (plans, the inspector pool, draws) is kept by the department itself: only departments the
    user signs for (selectors.planning_departments)."""

    def departments(self, user):
        return selectors.planning_departments(user, self.right)


class PlanForm(PlanningMixin, BootstrapMixin, forms.Form):
    right = "inspections.manage_plan"
    department = forms.ModelChoiceField(queryset=None, label=_("部门"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=120)
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        for index, name in enumerate(MONTHS, 1):
            self.fields[name] = forms.IntegerField(label=_("%(m)s月") % {"m": index}, min_value=0, initial=0)
        for row in range(TARGET_ROWS):
            self.fields[f"t{row}_industry"] = IndustryChoiceField(
                queryset=Industry.objects.all(), required=False, label=_("目标行业")
            )
            self.fields[f"t{row}_risk"] = forms.ChoiceField(
                choices=[("", "—")] + list(RiskLevel.choices), required=False, label=_("风险等级")
            )
            self.fields[f"t{row}_count"] = forms.IntegerField(
                min_value=0, required=False, label=_("计划次数")
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def service_data(self) -> tuple[dict, list[dict]]:
        data = self.cleaned_data
        plan = {
            "department": data["department"].pk,
            "year": data["year"],
            "title": data["title"],
            "notes": data["notes"],
            "monthly_counts": [data[name] or 0 for name in MONTHS],
        }
        targets = [
            {
                "industry": data[f"t{r}_industry"],
                "risk_level": data[f"t{r}_risk"],
                "count": data[f"t{r}_count"],
            }
            for r in range(TARGET_ROWS)
        ]
        return plan, targets


class InspectorForm(PlanningMixin, BootstrapMixin, forms.ModelForm):
    right = "inspections.manage_inspector"
    specialties = forms.ModelMultipleChoiceField(
        queryset=Industry.objects.filter(parent__isnull=True), required=False, label=_("专业领域")
    )

    class Meta:
        model = Inspector
        fields = ["department", "name", "certificate_number", "certificate_expires_on", "is_active"]
        widgets = {"certificate_expires_on": DATE}


class ConflictForm(BootstrapMixin, forms.Form):
    enterprise = EnterpriseChoiceField(label=_("生产经营单位"))
    reason = forms.CharField(label=_("回避事由"), max_length=200)
    declared_on = forms.DateField(label=_("申报日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)


class DrawForm(PlanningMixin, BootstrapMixin, forms.Form):
    right = "inspections.draw"
    department = forms.ModelChoiceField(queryset=None, label=_("部门"))
    plan = forms.ModelChoiceField(queryset=None, required=False, label=_("检查计划"))
    title = forms.CharField(label=_("抽查事项"), max_length=120)
    period_start = forms.DateField(label=_("检查期间起"), widget=DATE)
    period_end = forms.DateField(label=_("检查期间止"), widget=DATE)
    region = RegionChoiceField(queryset=None, label=_("抽取区域"))
    industry = IndustryChoiceField(queryset=Industry.objects.all(), required=False, label=_("行业领域"))
    risk_levels = forms.MultipleChoiceField(
        choices=RiskLevel.choices, required=False, label=_("风险等级"), widget=forms.CheckboxSelectMultiple
    )
    method = forms.ChoiceField(choices=RandomDraw.Method.choices, label=_("抽取方式"))
    sample_size = forms.IntegerField(label=_("抽取企业数"), min_value=1)
    team_size = forms.IntegerField(label=_("每组执法人员数"), min_value=2, initial=2)
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        help_text=_("留空由系统随机生成；填写后可复现抽取结果"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["plan"].queryset = InspectionPlan.objects.filter(department__in=self.departments(user))
        self.fields["region"].queryset = core_selectors.regions_for_choice(user, Region.Level.COUNTY)
        self.fields["industry"].queryset = Industry.objects.all()
        self.fields["risk_levels"].widget.attrs["class"] = ""


class InspectionForm(DepartmentMixin, BootstrapMixin, forms.Form):
    right = "inspections.inspect"
    department = forms.ModelChoiceField(queryset=None, label=_("检查部门"))
    kind = forms.ChoiceField(
        choices=[c for c in Inspection.Kind.choices if c[0] != Inspection.Kind.RANDOM], label=_("检查类型")
    )
    enterprise = EnterpriseChoiceField(required=False, label=_("生产经营单位"))
    place = forms.CharField(
        label=_("检查场所"), max_length=200, required=False, help_text=_("没有生产经营单位时填写")
    )
    region = RegionChoiceField(queryset=None, required=False, label=_("所属区划"))
    industry = IndustryChoiceField(queryset=Industry.objects.all(), required=False, label=_("行业领域"))
    checklist = forms.ChoiceField(
        choices=[("", _("按行业自动选择"))] + [(c.code, c.name) for c in CHECKLISTS],
        required=False,
        label=_("检查表"),
    )
    planned_on = forms.DateField(label=_("计划检查日期"), widget=DATE, initial=timezone.localdate)
    team = forms.ModelMultipleChoiceField(
        queryset=None, label=_("检查组"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        self.fields["region"].queryset = core_selectors.regions_for_choice(user)
        # The acting departments' pools and, for a 联合执法, their partners' (selectors.team_pool).
        self.fields["team"].queryset = selectors.team_pool(user, self.right)
        self.fields["team"].label_from_instance = selectors.inspector_label
        self.fields["team"].widget.attrs["class"] = ""

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["department"] = data["department"].pk
        data["enterprise"] = data["enterprise"].pk if data["enterprise"] else None
        data["region"] = data["region"].pk if data["region"] else None
        data = {k: v for k, v in data.items() if v not in (None, "")}
        data.pop("team", None)
        return data


class RecordForm(BootstrapMixin, forms.Form):
    """The record of an inspection: times, people, and one result/note/grade/photos group per checklist item."""

    arrived_at = forms.DateTimeField(
        label=_("到达现场时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    finished_at = forms.DateTimeField(
        label=_("检查结束时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    people_met = forms.CharField(label=_("被检查单位人员"), max_length=200, required=False)
    escort = forms.CharField(label=_("陪同人员"), max_length=200, required=False)
    summary = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("问题整改期限"), widget=DATE, required=False)
    production_during_suspension = forms.BooleanField(label=_("停产整顿期间擅自生产"), required=False)
    signature_scan = forms.FileField(label=_("签字确认扫描件"), required=False)
    early_reason = forms.CharField(
        label=_("提前检查原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("早于双随机计划检查期间实施时必须填写"),
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items_of(inspection.checklist)
        if inspection.kind == Inspection.Kind.UNANNOUNCED:
            del self.fields["escort"]
        if not inspection.draw_id:
            del self.fields["early_reason"]
        if inspection.is_own_check:
            del self.fields["signature_scan"]
        grades = Hazard.Grade.choices
        for item in self.items:
            self.fields[f"result_{item.key}"] = forms.ChoiceField(
                choices=Answer.Result.choices, label=item.text, widget=forms.RadioSelect
            )
            self.fields[f"note_{item.key}"] = forms.CharField(required=False, label=_("情况说明"))
            self.fields[f"grade_{item.key}"] = forms.ChoiceField(
                choices=grades, initial=item.grade, label=_("隐患等级")
            )
            self.fields[f"photos_{item.key}"] = PhotosField(label=_("照片"))
        for name, field in self.fields.items():
            if name.startswith("result_"):
                field.widget.attrs["class"] = "form-check-input"

    # The fields of one checklist item: `<part>_<item key>`.
    ITEM_PARTS = ("result", "note", "grade", "photos")

    def record_fields(self):
        """The fields of the record itself (times, people, summary …), without the checklist's."""
        item_fields = {f"{part}_{item.key}" for item in self.items for part in self.ITEM_PARTS}
        return [self[name] for name in self.fields if name not in item_fields]

    def rows(self):
        """One row per checklist item: the item and its result, note, grade and photos fields."""
        for item in self.items:
            yield (item, *(self[f"{part}_{item.key}"] for part in self.ITEM_PARTS))

    def service_args(self) -> tuple[dict, dict, dict]:
        data = self.cleaned_data
        record = {
            k: data.get(k)
            for k in (
                "arrived_at",
                "finished_at",
                "people_met",
                "escort",
                "summary",
                "due_on",
                "production_during_suspension",
                "early_reason",
            )
        }
        answers = {
            item.key: {
                "result": data[f"result_{item.key}"],
                "note": data[f"note_{item.key}"],
                "grade": data[f"grade_{item.key}"],
            }
            for item in self.items
        }
        photos = {
            item.key: data[f"photos_{item.key}"] for item in self.items if data.get(f"photos_{item.key}")
        }
        return record, answers, photos


class EnforcementForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(choices=EnforcementAction.Kind.choices, label=_("执法措施"))
    findings = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("对应问题"), widget=forms.CheckboxSelectMultiple
    )
    legal_basis = forms.CharField(label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("措施内容"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(
        label=_("金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    due_on = forms.DateField(label=_("整改/执行期限"), widget=DATE, required=False)
    licence = forms.CharField(label=_("许可证名称及编号"), max_length=120, required=False)
    referred_to = forms.CharField(label=_("移送机关"), max_length=120, required=False)
    supervision = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("所依据的挂牌督办"),
        help_text=_(
            "责令停产停业整顿系因挂牌督办的重大事故隐患而下达时选择；复产申请须在收到之日起10日内现场审查"
        ),
    )

    def __init__(self, *args, inspection: Inspection, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the listed 挂牌督办 of the inspected enterprise the user sees (the service checks again).
        supervisions = selectors.supervisions_to_link(user, inspection.enterprise_id)
        if user is None or not supervisions.exists():
            del self.fields["supervision"]
        else:
            self.fields["supervision"].queryset = supervisions
            self.fields["supervision"].label_from_instance = _supervision_label
        self.fields["findings"].queryset = inspection.answers.filter(result=Answer.Result.NON_COMPLIANT)
        self.fields["findings"].label_from_instance = lambda a: a.item_text
        self.fields["findings"].widget.attrs["class"] = ""
        # The articles the findings break and the measure applies (data.legal_basis), not the 判定标准 item;
        # the service fills the same when the field is left empty.
        self.fields["legal_basis"].required = False
        self.fields["legal_basis"].help_text = _("留空则按所选问题和措施引用安全生产法条款")
        keys = [a.item_key for a in self.fields["findings"].queryset]
        self.fields["legal_basis"].initial = legal_basis.basis_text(
            EnforcementAction.Kind.RECTIFICATION, keys
        )


def _supervision_label(supervision) -> str:
    return f"{supervision.letter_number} · {supervision.hazard.description[:30]}（{supervision.get_level_display()}）"


class SupervisionLinkForm(BootstrapMixin, forms.Form):
    """The 挂牌督办 an existing 停产整顿 follows (the enterprise's listed ones the user sees)."""

    supervision = forms.ModelChoiceField(queryset=None, label=_("所依据的挂牌督办"))

    def __init__(self, *args, suspension, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervision"].queryset = selectors.supervisions_to_link(user, suspension.enterprise_id)
        self.fields["supervision"].label_from_instance = _supervision_label
        self.fields["supervision"].help_text = _(
            "关联后，复产申请须在收到之日起10日内现场审查（16号令第二十三条）"
        )


class LetterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(choices=Letter._meta.get_field("kind").choices, label=_("文书种类"))
    addressee = forms.CharField(label=_("主送单位"), max_length=120)
    content = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 5}))
    action = forms.ModelChoiceField(queryset=None, required=False, label=_("复查的整改指令"))
    passed = forms.TypedChoiceField(
        choices=[("", "—"), ("1", _("复查合格")), ("0", _("复查不合格"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
        label=_("复查结论"),
        help_text=_("整改复查意见书必填：合格则对应隐患验收销号，不合格则退回整改"),
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = inspection.actions.filter(kind=EnforcementAction.Kind.RECTIFICATION)
        self.fields["addressee"].initial = inspection.subject


class OwnCheckForm(BootstrapMixin, forms.Form):
    """A town's or a leader's own check: 四不两直 or 督查 of an enterprise or a place, the people who went."""

    kind = forms.ChoiceField(
        choices=[(k, Inspection.Kind(k).label) for k in ("unannounced", "supervision")], label=_("检查类型")
    )
    enterprise = EnterpriseChoiceField(required=False, label=_("生产经营单位"))
    place = forms.CharField(
        label=_("检查场所"), max_length=200, required=False, help_text=_("没有生产经营单位时填写")
    )
    region = RegionChoiceField(queryset=None, required=False, label=_("所属区划"))
    checklist = forms.ChoiceField(
        choices=[("", _("按行业自动选择"))] + [(c.code, c.name) for c in CHECKLISTS],
        required=False,
        label=_("检查表"),
    )
    planned_on = forms.DateField(label=_("检查日期"), widget=DATE, initial=timezone.localdate)
    checkers = forms.CharField(label=_("检查人员"), max_length=200, help_text=_("参加检查的人员姓名"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        self.fields["region"].queryset = core_selectors.regions_for_choice(user)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["enterprise"] = data["enterprise"].pk if data["enterprise"] else None
        data["region"] = data["region"].pk if data["region"] else None
        return {k: v for k, v in data.items() if v not in (None, "")}


class ResumptionForm(BootstrapMixin, forms.Form):
    evidence = forms.CharField(label=_("整改情况及证明材料说明"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label=_("证明材料"), required=False)


class DecisionForm(BootstrapMixin, forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("同意")), ("0", _("不同意"))], coerce=lambda v: v == "1", label=_("审批结论")
    )
    opinion = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreProposalForm(BootstrapMixin, forms.Form):
    """Confirm a proposed 记分 for a scored person of the enterprise (or a new one named here), or dismiss it."""

    confirm = forms.TypedChoiceField(
        choices=[("1", _("确认记分")), ("0", _("不予记分"))], coerce=lambda v: v == "1", label=_("处理")
    )
    person = forms.ModelChoiceField(queryset=None, required=False, label=_("记分对象"))
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    position = forms.CharField(label=_("职务"), max_length=50, required=False)
    reason = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = ScoredPerson.objects.none()
        if proposal is not None:
            queryset = ScoredPerson.objects.filter(enterprise_id=proposal.enterprise_id)
        self.fields["person"].queryset = queryset


class PersonForm(BootstrapMixin, forms.Form):
    enterprise = EnterpriseChoiceField(label=_("生产经营单位"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    position = forms.CharField(label=_("职务"), max_length=50)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)


class ScoreForm(BootstrapMixin, forms.Form):
    rule = forms.ModelChoiceField(queryset=ScoringRule.objects.filter(is_active=True), label=_("记分标准"))
    scored_on = forms.DateField(label=_("记分日期"), widget=DATE, initial=timezone.localdate)
    inspection = forms.ModelChoiceField(queryset=None, required=False, label=_("监督检查"))

    def __init__(self, *args, person=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = Inspection.objects.for_user(user).filter(
            enterprise_id=person.enterprise_id, status=Inspection.Status.RECORDED
        )


class ClosureDraftForm(BootstrapMixin, forms.Form):
    """The 提请关闭建议: the facts and the legal basis (prefilled with 第一百一十三条)."""

    facts = forms.CharField(
        label=_("违法事实"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("重大事故隐患的情况、受到行政处罚的情况及整改情况"),
    )
    legal_basis = forms.CharField(
        label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 4}), initial=legal_basis.CLOSURE_BASIS
    )


class ClosureDecisionForm(BootstrapMixin, forms.Form):
    """The government's decision to close, as the county office records it."""

    decision_number = forms.CharField(label=_("关闭决定文号"), max_length=60)
    decided_on = forms.DateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}))


# ---------------------------------------------------------------- 盯守, 回头看 and 联合惩戒措施


class WatchPlanForm(BootstrapMixin, forms.Form):
    """How often and who (from the department, the town and the grid of the unit: services.watcher_candidates)."""

    every_days = forms.IntegerField(label=_("巡查间隔（天）"), min_value=1, max_value=366)
    watchers = forms.ModelMultipleChoiceField(
        queryset=None, label=_("盯守人员"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["watchers"].queryset = candidates
        self.fields["watchers"].label_from_instance = lambda u: u.display_name


class WatchVisitForm(BootstrapMixin, forms.Form):
    """A visit recorded on a phone on site: date and time default to now."""

    visited_on = forms.DateField(label=_("巡查日期"), widget=DATE)
    visited_at = forms.TimeField(
        label=_("到达时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    observation = forms.CharField(
        label=_("现场情况"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("设备、人员、用电、车辆进出等所见情况")}),
    )
    producing = forms.BooleanField(label=_("发现组织生产（施工）"), required=False)
    photos = forms.FileField(
        label=_("现场照片"),
        required=False,
        # The gallery; the page's 拍照 button (components/photo_kit.html) opens the camera.
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["visited_on"].initial = now.date()
        self.fields["visited_at"].initial = now.strftime("%H:%M")

    def clean_photos(self):
        return self.files.getlist("photos") if self.files else []


class JointMeasureForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("措施"), choices=[])
    recipient = forms.ModelChoiceField(queryset=None, label=_("接收单位"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, recipients, **kwargs):
        from .models import JointMeasure

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = JointMeasure.Kind.choices
        self.fields["recipient"].queryset = recipients
        self.fields["recipient"].label_from_instance = lambda u: f"{u.name}（{u.get_kind_display()}）"
