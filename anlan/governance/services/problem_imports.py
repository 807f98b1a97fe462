"""XLSX import of a problem list handed down by the city or province (「市安委办交办问题清单」) into a 督查 of
source 上级交办, through the kernel's importer (core/imports.py, per-row error report). Each row is one problem,
assigned through `services.problems.assign_problem` exactly as by hand, so each row registers a hazard record
(unit in scope, industry by name or code, deadline not before the finding); unless the user chose valid rows only, one bad row rolls the whole file back."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook

from anlan.core.errors import DomainError
from anlan.core.imports import FileProblem, ImportReport, Progress, RowResult, read_rows, run_rows
from anlan.core.models import Industry

from ..selectors import problems as selectors
from . import problems as services

# Column title → field. Titles marked * are required.
COLUMNS: list[tuple[str, str]] = [
    ("问题描述*", "description"),
    ("责任单位*", "assignee"),
    ("行业领域*", "industry"),
    ("整改时限*", "due_on"),
    ("整改要求", "requirement"),
    ("发现日期", "found_on"),
    ("问题场所", "place"),
]
TITLE_OF = {name: title for title, name in COLUMNS}


def _date(raw, field: str) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise DomainError(
            services.ErrorCode.TEXT_MISSING, _("日期格式应为 2026-03-31。"), field=field
        ) from exc


def import_problems(
    *,
    actor,
    handle,
    valid_only: bool,
    progress: Progress | None = None,
    chunk: int | None = None,
    visit: int | None = None,
) -> ImportReport:
    """Assign each row as a problem of the visit `visit`, to the unit its 责任单位 names (in the actor's scope)."""
    try:
        rows = read_rows(handle, COLUMNS)
    except FileProblem as exc:
        return ImportReport(file_error=str(exc))
    assignable = {unit.name: unit for unit in selectors.assignable_units(actor)}
    industries = {}
    for industry in Industry.objects.all():
        industries[industry.code] = industries[industry.name] = industry

    def import_row(number: int, raw: dict) -> RowResult:
        name = str(raw.get("assignee") or "").strip()
        assignee = assignable.get(name)
        if assignee is None:
            raise DomainError(
                services.ErrorCode.UNIT_INVALID,
                _("责任单位“%(name)s”不在您的管辖范围内，或不是部门、乡镇（街道）、园区管委会。")
                % {"name": name},
                field="assignee",
            )
        industry_name = str(raw.get("industry") or "").strip()
        industry = industries.get(industry_name)
        if industry is None:
            raise DomainError(
                services.ErrorCode.TEXT_MISSING,
                _("行业领域“%(name)s”不存在，请填写行业领域的名称（如“城镇燃气”）。")
                % {"name": industry_name},
                field="industry",
            )
        data = {
            "description": str(raw.get("description") or ""),
            "industry": industry,
            "place": str(raw.get("place") or ""),
            "requirement": str(raw.get("requirement") or ""),
            "assignee": assignee,
            "due_on": _date(raw.get("due_on"), "due_on"),
            "found_on": _date(raw.get("found_on"), "found_on"),
        }
        services.assign_problem(actor=actor, visit_pk=visit, data=data)
        return []

    return run_rows(rows, import_row, TITLE_OF, valid_only, progress, chunk)


def template_workbook(user) -> Workbook:
    """The import template: the columns and an example row naming a unit of the user's scope."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("交办问题")
    sheet.append([title for title, _n in COLUMNS])
    unit = selectors.assignable_units(user).first()
    sheet.append(
        [
            "老旧小区燃气管道改造进度滞后。",
            unit.name if unit else "",
            "城镇燃气",
            "2026-06-30",
            "按计划完成改造。",
            "",
            "",
        ]
    )
    for index, (title, _n) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(16, len(title) * 3)
    return workbook
