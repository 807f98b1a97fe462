"""XLSX import of monitoring alarms (a monitoring system's export, or a county platform's), with the kernel's
per-row error report (core/imports.py). Each row goes through `services.alarms.import_alarm` in a savepoint;
unless the user chose valid rows only, one bad row rolls the whole file back. A row naming an alarm already
received (same 来源系统 and 来源报警编号) that the user can see is left as it is (unchanged), so an overlapping
export can be imported again."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from anlan.core.errors import DomainError
from anlan.core.imports import UNCHANGED, FileProblem, ImportReport, Progress, RowResult, read_rows, run_rows
from anlan.core.models import Enterprise

from .. import rules
from ..models import Alarm
from . import alarms as services

# Column title → field. Titles marked * are required.
COLUMNS: list[tuple[str, str]] = [
    ("统一社会信用代码*", "uscc"),
    ("来源系统*", "source"),
    ("来源报警编号*", "source_id"),
    ("报警类型*", "kind"),
    ("监测点位*", "tag"),
    ("监测值*", "value"),
    ("报警阈值*", "threshold"),
    ("计量单位", "unit"),
    ("报警时间*", "raised_at"),
]
TITLE_OF = {name: title for title, name in COLUMNS}


def import_alarms(
    *, actor, handle, valid_only: bool, progress: Progress | None = None, chunk: int | None = None
) -> ImportReport:
    """Register each row as an alarm of the enterprise its 统一社会信用代码 names (in the actor's scope)."""
    try:
        rows = read_rows(handle, COLUMNS)
    except FileProblem as exc:
        return ImportReport(file_error=str(exc))

    def import_row(number: int, raw: dict) -> RowResult:
        try:
            services.import_alarm(actor=actor, data=raw)
        except DomainError as error:
            if error.code != services.AlarmError.DUPLICATE:
                raise
            source, source_id = str(raw.get("source") or "").strip(), _source_id(raw)
            if Alarm.objects.for_user(actor).filter(source=source, source_id=source_id).exists():
                return UNCHANGED
            raise
        return []

    return run_rows(rows, import_row, TITLE_OF, valid_only, progress, chunk)


def _source_id(raw: dict) -> str:
    value = raw.get("source_id")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value or "").strip()


def template_workbook(user) -> Workbook:
    """The import template: the columns, an example row (an enterprise of the user's scope) and the kinds."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("监测报警")
    sheet.append([title for title, _n in COLUMNS])
    enterprise = (
        Enterprise.objects.for_user(user, services.IMPORT)
        .filter(has_major_hazard_source=True)
        .order_by("pk")
        .first()
        or Enterprise.objects.for_user(user, services.IMPORT).order_by("pk").first()
    )
    sheet.append(
        [
            enterprise.uscc if enterprise else "",
            "DCS",
            "TI-1021-20260701-0001",
            str(rules.ALARM_KINDS[0][1]),
            "TI-1021 反应釜温度",
            "86.5",
            "80",
            "℃",
            "2026-07-01 08:30:00",
        ]
    )
    for index, (title, _n) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(14, len(title) * 2 + 2)
    kinds = workbook.create_sheet(_("报警类型"))
    kinds.append([_("报警类型")])
    for _code, label in rules.ALARM_KINDS:
        kinds.append([str(label)])
    return workbook
