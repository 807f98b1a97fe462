"""Forms and list filters of 两个清单. Forms only parse input; the services decide."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet, YesNoFilter
from anlan.core.forms import BootstrapMixin
from anlan.core.models import Industry, Region, Unit
from anlan.core.rules import level_of_code, subtree_bounds

from .. import rules
from ..models import DutyItem, DutyList, WorkTask
from ..selectors import duties as selectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# ---------------------------------------------------------------- filters (the page, the export, the API)


class DutyListFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("责任主体"), method="filter_q")
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DutyList.Status.choices)
    holder = django_filters.ChoiceFilter(
        label=_("责任主体类别"),
        choices=[("unit", _("单位")), ("leader", _("领导"))],
        method="filter_holder",
    )

    class Meta:
        model = DutyList
        fields = ["q", "year", "status", "holder"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(holder_unit__name__icontains=value)
            | Q(holder_user__real_name__icontains=value)
            | Q(holder_post__icontains=value)
        )

    def filter_holder(self, queryset, name, value):
        return queryset.filter(holder_user__isnull=(value == "unit"))


class WorkTaskFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("任务或单位"), method="filter_q")
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=WorkTask.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("任务类型"), choices=rules.TASK_KINDS)
    overdue = YesNoFilter(label=_("仅看逾期"), method="filter_overdue", widget=forms.CheckboxInput)
    due_from = django_filters.DateFilter(
        label=_("完成时限起"), field_name="due_on", lookup_expr="gte", widget=DATE
    )
    due_to = django_filters.DateFilter(
        label=_("完成时限止"), field_name="due_on", lookup_expr="lte", widget=DATE
    )
    period = ("due_from", "due_to", _("完成时限"))

    class Meta:
        model = WorkTask
        fields = ["q", "year", "status", "kind", "overdue", "due_from", "due_to"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(unit__name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(selectors.overdue_q(timezone.localdate()))


# ---------------------------------------------------------------- forms


def _this_year() -> int:
    return timezone.localdate().year


class DutyListForm(BootstrapMixin, forms.Form):
    holder_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    holder_user = forms.ModelChoiceField(
        label=_("责任领导"), queryset=Unit.objects.none(), required=False, help_text=_("由安委办为领导起草")
    )
    holder_post = forms.CharField(label=_("领导职务"), max_length=100, required=False)
    year = forms.IntegerField(label=_("年度"), initial=_this_year)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder_unit"].queryset = selectors.holder_units(user)
        leaders = selectors.leader_choices(user)
        self.fields["holder_user"].queryset = leaders
        self.fields["holder_user"].label_from_instance = lambda u: u.real_name or u.username
        if not leaders.exists():
            del self.fields["holder_user"], self.fields["holder_post"]


class DutyItemForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("责任类别"), choices=rules.DUTY_CATEGORIES)
    text = forms.CharField(label=_("职责内容"), widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label=_("依据"), max_length=300, required=False)
    industries = forms.ModelMultipleChoiceField(
        label=_("覆盖行业"),
        queryset=Industry.objects.none(),
        required=False,
        help_text=_("该职责覆盖的行业领域；不选表示不限行业"),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("覆盖区域"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("该职责覆盖的区域；不选表示不限区域。行业和区域都不选的职责不用于照单追责的匹配"),
    )

    def __init__(self, *args, duty_list: DutyList, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industries"].queryset = Industry.objects.order_by("code")
        code = duty_list.region_id
        low, high = subtree_bounds(code, level_of_code(code))
        self.fields["regions"].queryset = Region.objects.filter(
            code__gte=low, code__lte=high, level__lte=4
        ).order_by("code")


class ReviseForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(
        label=_("修订后年度"), help_text=_("同一年度修订为新版本，或修订为下一年度的清单")
    )


class WorkTaskForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("承担单位"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("年度"), initial=_this_year)
    title = forms.CharField(label=_("任务名称"), max_length=200)
    kind = forms.ChoiceField(
        label=_("任务类型"),
        choices=rules.TASK_KINDS,
        initial=rules.KIND_GENERAL,
        required=False,  # left out: 一般任务 (as the service and the API take it)
        help_text=_("基础工作任务在报告完成前须填报相应的工作数据"),
    )
    description = forms.CharField(
        label=_("任务要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_on = forms.DateField(label=_("完成时限"), widget=DATE)
    duty_item = forms.ModelChoiceField(
        label=_("对应责任事项"), queryset=DutyItem.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        task_units = selectors.task_units(user)
        self.fields["unit"].queryset = task_units
        self.fields["duty_item"].queryset = (
            DutyItem.objects.for_user(user)
            .filter(duty_list__status=DutyList.Status.APPROVED, duty_list__holder_unit__in=task_units)
            .select_related("duty_list__holder_unit")
        )
        self.fields["duty_item"].label_from_instance = lambda i: (
            f"{i.duty_list.holder_unit.name}：{i.text[:40]}"
        )


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("上传文件"), required=False, help_text=_("图片或 PDF"))
    link = forms.CharField(
        label=_("或关联工作记录"),
        max_length=500,
        required=False,
        help_text=_("粘贴检查记录、应急演练或隐患页面的链接"),
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ReportForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 3}))


# ---------------------------------------------------------------- 工作数据 of the 基础工作 kinds


def _blank(choices):
    return [("", "---------"), *choices]


def _count_field(label):
    # Counts are checked by rules.check_task_facts (required, whole, not negative), which names the field.
    return forms.CharField(label=label, required=False, max_length=12, widget=forms.NumberInput())


def _fact_label(name: str):
    return rules.FACT_LABELS[name]


class _FactsFields(forms.Form):
    """The facts of one 基础工作 task, its fields named by their place in the stored facts (`projects.0.name`,
    `venues.school.people`), so the rule's error lands beside the field. Every field is optional here: the
    rule decides, and names the field it refuses. Trailing blank rows of the repeated parts (projects, levels)
    are left out; two more than those filled are offered. (FactsForm adds the Bootstrap styling, which has to
    run after the kind's fields are built.)"""

    EXTRA_ROWS = 2

    def __init__(self, *args, kind: str, facts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        facts = facts or {}
        self.rows = 0
        self.groups: list[tuple[str, list[str]]] = []
        getattr(self, f"_build_{kind}")(facts)

    def _add(self, name, field, value=None, group=""):
        self.fields[name] = field
        if value is not None:
            self.initial[name] = value
        if not self.groups or self.groups[-1][0] != group:
            self.groups.append((group, []))
        self.groups[-1][1].append(name)

    def _build_three_simul(self, facts):
        projects = facts.get("projects", [])
        self.rows = max(len(projects) + self.EXTRA_ROWS, 3)
        for index in range(self.rows):
            row = projects[index] if index < len(projects) else {}
            group = _("项目%(n)s") % {"n": index + 1}
            at = f"projects.{index}"
            self._add(
                f"{at}.name",
                forms.CharField(label=_fact_label("name"), required=False, max_length=100),
                row.get("name"),
                group,
            )
            self._add(
                f"{at}.enterprise",
                forms.CharField(label=_fact_label("enterprise"), required=False, max_length=100),
                row.get("enterprise"),
                group,
            )
            self._add(
                f"{at}.stage",
                forms.ChoiceField(
                    label=_fact_label("stage"), required=False, choices=_blank(rules.PROJECT_STAGES)
                ),
                row.get("stage"),
                group,
            )
            self._add(
                f"{at}.result",
                forms.ChoiceField(
                    label=_fact_label("result"), required=False, choices=_blank(rules.PROJECT_RESULTS)
                ),
                row.get("result"),
                group,
            )
            self._add(
                f"{at}.note",
                forms.CharField(label=_fact_label("note"), required=False, max_length=300),
                row.get("note"),
                group,
            )

    def _coverage(self, facts, group):
        self._add("target", _count_field(_fact_label("target")), facts.get("target"), group)
        self._add("reached", _count_field(_fact_label("reached")), facts.get("reached"), group)

    def _build_safety_month(self, facts):
        group = _("活动")
        self._add("activities", _count_field(_fact_label("activities")), facts.get("activities"), group)
        self._add("participants", _count_field(_fact_label("participants")), facts.get("participants"), group)
        self._coverage(facts, _("覆盖对象（单位）"))

    def _build_law_five(self, facts):
        venues = facts.get("venues", {})
        for code, label in rules.LAW_VENUES:
            row = venues.get(code, {})
            self._add(
                f"venues.{code}.activities",
                _count_field(_fact_label("activities")),
                row.get("activities"),
                label,
            )
            self._add(f"venues.{code}.people", _count_field(_fact_label("people")), row.get("people"), label)
        self._coverage(facts, _("覆盖对象（单位）"))

    def _build_safe_community(self, facts):
        self._add(
            "community",
            forms.CharField(label=_fact_label("community"), required=False, max_length=100),
            facts.get("community"),
        )
        self._add(
            "level",
            forms.ChoiceField(
                label=_fact_label("level"), required=False, choices=_blank(rules.COMMUNITY_LEVELS)
            ),
            facts.get("level"),
        )
        self._add(
            "stage",
            forms.ChoiceField(label=_("阶段"), required=False, choices=_blank(rules.COMMUNITY_STAGES)),
            facts.get("stage"),
        )
        self._add(
            "status",
            forms.ChoiceField(
                label=_fact_label("status"), required=False, choices=_blank(rules.COMMUNITY_STATUSES)
            ),
            facts.get("status"),
        )

    def _build_rural_road(self, facts):
        office = facts.get("town_office")
        self._add(
            "town_office",
            forms.ChoiceField(
                label=_("已设立乡镇交管办"),
                required=False,
                choices=_blank([("yes", _("是")), ("no", _("否"))]),
            ),
            None if office is None else ("yes" if office else "no"),
        )
        for name in ("joint_squads", "stations", "persuaders"):
            self._add(name, _count_field(_fact_label(name)), facts.get(name))

    def _build_root_hazard(self, facts):
        group = _("治理周期")
        self._add("start_year", _count_field(_fact_label("start_year")), facts.get("start_year"), group)
        self._add("end_year", _count_field(_fact_label("end_year")), facts.get("end_year"), group)
        levels = facts.get("levels", [])
        self.rows = max(len(levels) + self.EXTRA_ROWS, 3)
        for index in range(self.rows):
            row = levels[index] if index < len(levels) else {}
            group = _("层级%(n)s") % {"n": index + 1}
            at = f"levels.{index}"
            self._add(
                f"{at}.level",
                forms.ChoiceField(label=_("层级"), required=False, choices=_blank(rules.ROOT_LEVELS)),
                row.get("level"),
                group,
            )
            self._add(
                f"{at}.label",
                forms.CharField(
                    label=_fact_label("label"),
                    required=False,
                    max_length=30,
                    help_text=_("层级选“其他”时填写"),
                ),
                row.get("label"),
                group,
            )
            self._add(f"{at}.target", _count_field(_fact_label("target")), row.get("target"), group)
            self._add(f"{at}.done", _count_field(_fact_label("done")), row.get("done"), group)

    def grouped(self):
        """(group title, bound fields) for the template."""
        return [(title, [self[name] for name in names]) for title, names in self.groups]

    def raw(self) -> dict:
        """The cleaned fields as the nested facts the rule checks (blank rows of repeated parts left out)."""
        data = self.cleaned_data
        if self.kind == rules.KIND_THREE_SIMULTANEITIES:
            return {"projects": self._rows("projects", ("name", "enterprise", "stage", "result", "note"))}
        if self.kind == rules.KIND_ROOT_HAZARD:
            return {
                "start_year": data.get("start_year"),
                "end_year": data.get("end_year"),
                "levels": self._rows("levels", ("level", "label", "target", "done")),
            }
        if self.kind == rules.KIND_LAW_FIVE:
            venues = {
                code: {
                    "activities": data.get(f"venues.{code}.activities"),
                    "people": data.get(f"venues.{code}.people"),
                }
                for code, _label in rules.LAW_VENUES
            }
            return {"venues": venues, "target": data.get("target"), "reached": data.get("reached")}
        if self.kind == rules.KIND_RURAL_ROAD:
            office = {"yes": True, "no": False}.get(data.get("town_office"))
            return {
                **{k: data.get(k) for k in ("joint_squads", "stations", "persuaders")},
                "town_office": office,
            }
        return {name: data.get(name) for name in self.fields}

    def _rows(self, prefix: str, keys: tuple[str, ...]) -> list[dict]:
        data = self.cleaned_data
        rows = [{key: data.get(f"{prefix}.{index}.{key}") for key in keys} for index in range(self.rows)]
        # Only the trailing blank rows are left out, so a row keeps its index (and the rule's field its name).
        while rows and all(value in (None, "") for value in rows[-1].values()):
            rows.pop()
        return rows


class FactsForm(BootstrapMixin, _FactsFields):
    """The facts form, its widgets styled (BootstrapMixin runs after the kind's fields are built)."""
