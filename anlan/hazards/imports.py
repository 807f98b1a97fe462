"""XLSX import of hazards (migrating an existing 隐患台账), with core's per-row error report.

Each row goes through the registration form and `services.register_hazard`, in a savepoint; unless the user
chose valid rows only, one bad row rolls the whole file back. Rows are registered as open hazards (待整改).
A row with a 隐患编号 names a registered hazard: its registration details (rules.AMENDABLE_FIELDS) may be
corrected while it is 待整改, shown as a diff and applied through `services.amend_registration` only when
the user confirms; a difference in a field the workflow owns is an error of the row, never applied.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from anlan.core import rules
from anlan.core.audit import record_text
from anlan.core.imports import (
    SKIPPED,
    FileProblem,
    ImportReport,
    Progress,
    RowResult,
    cell_text,
    changed,
    choose_from,
    kept_blank,
    listed,
    notes_sheet,
    plain_errors,
    read_rows,
    run_rows,
    update_outcome,
)
from anlan.core.models import Enterprise, Industry
from anlan.core.permissions import can
from anlan.core.rules import RuleViolation

from . import rules as hazard_rules
from . import services
from .data.major_criteria import CRITERIA
from .forms import HazardForm
from .models import Hazard

COLUMNS: list[tuple[str, str]] = [
    ("统一社会信用代码", "enterprise"),
    ("隐患场所", "place"),
    ("所属区划代码", "region"),
    ("行业领域", "industry"),
    ("具体部位", "location"),
    ("隐患描述*", "description"),
    ("隐患类别*", "category"),
    ("隐患等级*", "grade"),
    ("判定标准条款", "major_criterion"),
    ("判定依据说明", "major_basis"),
    ("隐患来源*", "source"),
    ("发现日期*", "found_on"),
    ("发现人", "finder"),
    ("整改期限*", "due_on"),
    ("隐患编号", "number"),
]
TITLE_OF = {name: title for title, name in COLUMNS}
CHOICES = {"category": Hazard.Category, "grade": Hazard.Grade, "source": Hazard.Source}
NOTES = {
    "enterprise": gettext_lazy(
        "生产经营单位的统一社会信用代码，须已登记且在您的管辖范围内；场所隐患不填，改填隐患场所。"
    ),
    "place": gettext_lazy("没有统一社会信用代码时填写（如“沿街门面”），并填所属区划代码和行业领域。"),
    "region": gettext_lazy("12位统计用区划代码（以文本格式填写）。"),
    "industry": gettext_lazy("从下拉列表选择，或填写“行业领域”工作表中的代码。"),
    "category": gettext_lazy("从下拉列表选择。"),
    "grade": gettext_lazy("从下拉列表选择；重大事故隐患须填判定标准条款。"),
    "major_criterion": gettext_lazy("重大事故隐患的判定标准条款代码，见“判定标准条款”工作表。"),
    "source": gettext_lazy("从下拉列表选择。"),
    "found_on": gettext_lazy("日期，如 2026-03-01、2026/3/1 或 2026年3月1日。"),
    "due_on": gettext_lazy("日期，不得早于发现日期。"),
    "number": gettext_lazy(
        "新登记的隐患不填。填写已登记的隐患编号时该行为更新：导入后列出与系统不同的各列，您确认后才更新，"
        "留空的单元格保持原值。只有待整改的隐患可以更新，且只能修改具体部位、隐患描述、隐患类别、"
        "隐患来源和发现人；其他列由整改流程确定，须与系统一致或留空。"
    ),
}


class _Lookups:
    def __init__(self, user):
        self.enterprises = dict(Enterprise.objects.for_user(user).values_list("uscc", "pk"))
        self.industries = {}
        for industry in Industry.objects.all():
            self.industries[industry.name] = industry.pk
            self.industries[industry.code] = industry.pk
        self.labels: dict[str, dict[str, str]] = {}
        for name, choices in CHOICES.items():
            table = {value: value for value in choices.values}
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    table.update({str(label): value for value, label in choices.choices})
            self.labels[name] = table

    def form_data(self, raw: dict, problems: list) -> dict:
        data = {name: cell_text(value) for name, value in raw.items()}
        for name in ("found_on", "due_on"):
            value = raw.get(name)
            if hasattr(value, "date"):
                data[name] = value.date().isoformat()
            elif data.get(name):
                try:
                    data[name] = rules.parse_date_text(data[name], name).isoformat()
                except rules.RuleViolation as exc:
                    problems.append((name, str(exc.message)))
        uscc = data.get("enterprise", "").upper()
        if uscc:
            if uscc not in self.enterprises:
                problems.append(
                    ("enterprise", _("统一社会信用代码“%(v)s”不存在或不在您的管辖范围内。") % {"v": uscc})
                )
            data["enterprise"] = self.enterprises.get(uscc, "")
        industry = data.get("industry", "")
        if industry:
            if industry not in self.industries:
                problems.append(("industry", _("行业领域“%(v)s”不存在。") % {"v": industry}))
            data["industry"] = self.industries.get(industry, "")
        for name, table in self.labels.items():
            value = data.get(name, "")
            if value and value not in table:
                problems.append((name, _("“%(v)s”不是有效的选项。") % {"v": value}))
            data[name] = table.get(value, value)
        return data


def import_hazards(
    *,
    actor,
    handle,
    valid_only: bool,
    progress: Progress | None = None,
    chunk: int | None = None,
    confirm: dict | None = None,
) -> ImportReport:
    """Register each row as a hazard, or with a 隐患编号 list (and, confirming, apply) its corrections."""
    try:
        rows = read_rows(handle, COLUMNS)
    except FileProblem as exc:
        return ImportReport(file_error=str(exc))
    lookups = _Lookups(actor)

    def import_row(number: int, raw: dict) -> RowResult:
        problems: list[tuple[str, str]] = []
        key = cell_text(raw.get("number"))
        data = lookups.form_data({k: v for k, v in raw.items() if k != "number"}, problems)
        if key:
            hazard = Hazard.objects.for_user(actor).filter(number=key).first()
            if hazard is None:
                return [("number", _("隐患编号“%(v)s”不存在或不在您的管辖范围内。") % {"v": key})]
            if not can(actor, "hazards.register_hazard", hazard):
                return [("number", _("您无权修改隐患“%(v)s”的登记信息。") % {"v": key})]
            return _amendment(number, raw, data, hazard, problems)
        if confirm is not None and not problems:
            return SKIPPED
        form = HazardForm(data, user=actor)
        if not form.is_valid() or problems:
            problems.extend(plain_errors(form, skip={name for name, _m in problems}))
            return problems
        fields = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        services.register_hazard(actor=actor, data=fields, reason=record_text(gettext_lazy("Excel 导入")))
        return []

    def _amendment(number: int, raw: dict, data: dict, hazard: Hazard, problems: list) -> RowResult:
        # The registration form over the hazard's current values; the file's non-blank cells replace them.
        current_form = HazardForm(instance=hazard, user=actor)
        current = {name: current_form[name].value() for name in current_form.fields}
        keep = kept_blank(raw) | (set(current) - set(raw))
        before = {name: getattr(hazard, name) for _title, name in COLUMNS if name != "number"}
        label = f"{hazard.number} {hazard.description}"[:60]
        form = HazardForm(
            {**data, **{n: current[n] for n in keep if n in current}}, instance=hazard, user=actor
        )
        for name in set(form.fields) - set(TITLE_OF):  # not in the sheet: neither read nor checked
            del form.fields[name]
        if not form.is_valid() or problems:
            problems.extend(plain_errors(form, skip={name for name, _m in problems}))
            return problems
        compared = [name for _title, name in COLUMNS if name in before and name not in keep]
        pairs = [(name, before[name], form.cleaned_data.get(name)) for name in compared]
        amendable = [pair for pair in pairs if pair[0] in hazard_rules.AMENDABLE_FIELDS]
        refused = []
        for pair in pairs:
            differs = pair[0] not in hazard_rules.AMENDABLE_FIELDS and changed(Hazard, TITLE_OF, [pair])
            if differs:
                column, now, _new = differs[0]
                message = _(
                    "“%(column)s”由整改流程确定，不能通过导入修改（系统中为“%(current)s”）；请与系统一致或留空。"
                )
                refused.append((pair[0], message % {"column": column, "current": now}))
        changes = changed(Hazard, TITLE_OF, amendable)
        if changes and not refused:
            try:
                hazard_rules.check_registration_amendable(hazard.status, hazard.get_status_display())
            except RuleViolation as exc:
                refused.append(("number", str(exc.message)))
        if refused:
            return refused

        def apply():
            services.amend_registration(
                actor=actor,
                hazard_pk=hazard.pk,
                data={name: form.cleaned_data.get(name) for name, _c, _n in amendable},
                reason=record_text(gettext_lazy("Excel 导入更新")),
            )

        return update_outcome(number, label, changes, confirm, apply)

    return run_rows(rows, import_row, TITLE_OF, valid_only, progress, chunk)


def template_workbook(user) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("隐患台账")
    sheet.append([title for title, _n in COLUMNS])
    enterprise = Enterprise.objects.for_user(user).order_by("pk").first()
    sheet.append(
        [
            enterprise.uscc if enterprise else "",
            "",
            "",
            "",
            "3号楼外脚手架",
            "脚手架连墙件缺失",
            str(Hazard.Category.UNSAFE_CONDITION.label),
            str(Hazard.Grade.ORDINARY.label),
            "",
            "",
            str(Hazard.Source.SELF_INSPECTION.label),
            "2026-03-01",
            "张三",
            "2026-03-31",
        ]
    )
    for index, (title, _n) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(12, len(title) * 2 + 2)
    lists = workbook.create_sheet(_("选项"))
    lists.append([_("隐患类别"), _("隐患等级"), _("隐患来源")])
    columns = [Hazard.Category.choices, Hazard.Grade.choices, Hazard.Source.choices]
    for row in range(max(len(c) for c in columns)):
        lists.append([str(c[row][1]) if row < len(c) else "" for c in columns])
    criteria = workbook.create_sheet(_("判定标准条款"))
    criteria.append([_("条款代码"), _("标准"), _("条款"), _("内容")])
    for item in CRITERIA:
        criteria.append(
            [item.key, f"{item.standard.name}（{item.standard.number}）", item.article, item.text]
        )
    industries = workbook.create_sheet(_("行业领域"))
    industries.append([_("名称"), _("代码")])
    for industry in Industry.objects.all():
        industries.append([industry.name, industry.code])
    position = {name: index + 1 for index, (_t, name) in enumerate(COLUMNS)}
    for letter, (name, choices) in zip("ABC", CHOICES.items(), strict=True):
        choose_from(sheet, position[name], listed(lists.title, letter, len(choices.choices)))
    choose_from(sheet, position["industry"], listed(industries.title, "A", industries.max_row - 1))
    choose_from(sheet, position["major_criterion"], listed(criteria.title, "A", len(CRITERIA)))
    sheet.freeze_panes = "A2"
    notes_sheet(workbook, COLUMNS, NOTES)
    return workbook
