"""XLSX ledgers, streamed: rows go from a server-side cursor into openpyxl's write-only workbook on disk,
then the file is sent in chunks, so memory stays flat however many rows there are."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .rules import mask_id_number, mask_phone


def xlsx_response(
    filename: str, sheet_title: str, headers: list[str], rows: Iterable[list], widths: list[int] | None = None
) -> FileResponse:
    """Write rows into a temporary .xlsx and stream it back as an attachment."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, width in enumerate(widths or []):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([excel_value(v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def excel_value(value):
    """A cell value openpyxl writes as itself: dates and numbers stay typed, aware times in local time."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | int | float | str) or value is None:
        return value
    return str(value)


def yes_no(flag: bool) -> str:
    return _("是") if flag else _("否")


def _id_number(person, full: bool) -> str:
    number = person.id_number if person else ""
    return number if full else mask_id_number(number)


ENTERPRISE_COLUMNS: list[tuple[str, int, Callable]] = [
    (gettext_lazy("统一社会信用代码"), 22, lambda e, full: e.uscc),
    (gettext_lazy("单位名称"), 36, lambda e, full: e.name),
    (gettext_lazy("所属区划"), 16, lambda e, full: e.region.name),
    (gettext_lazy("主行业领域"), 18, lambda e, full: e.industry.name),
    (gettext_lazy("地址"), 36, lambda e, full: e.address),
    (gettext_lazy("规模"), 10, lambda e, full: e.get_scale_display()),
    (gettext_lazy("从业人员数"), 10, lambda e, full: e.employees),
    (gettext_lazy("法定代表人"), 12, lambda e, full: e.legal_representative),
    (gettext_lazy("主要负责人"), 12, lambda e, full: e.principal.name if e.principal else ""),
    (
        gettext_lazy("主要负责人居民身份证号码"),
        22,
        lambda e, full: _id_number(e.principal, full),
    ),
    (
        gettext_lazy("主要负责人电话"),
        16,
        lambda e, full: e.principal_phone if full else mask_phone(e.principal_phone),
    ),
    (gettext_lazy("安全管理人员"), 12, lambda e, full: e.safety_manager),
    (
        gettext_lazy("安全管理人员电话"),
        16,
        lambda e, full: e.safety_manager_phone if full else mask_phone(e.safety_manager_phone),
    ),
    (gettext_lazy("经营状态"), 12, lambda e, full: e.get_status_display()),
    (gettext_lazy("重大危险源"), 10, lambda e, full: yes_no(e.has_major_hazard_source)),
    (gettext_lazy("人员密集场所"), 12, lambda e, full: yes_no(e.is_crowded_place)),
    (gettext_lazy("经度"), 12, lambda e, full: float(e.longitude) if e.longitude is not None else None),
    (gettext_lazy("纬度"), 12, lambda e, full: float(e.latitude) if e.latitude is not None else None),
]


def enterprise_rows(queryset) -> Iterable[list]:
    """Rows of the enterprise ledger; `contact_visible` is annotated by the selector (SQL, per row)."""
    for enterprise in queryset.iterator(chunk_size=2000):
        full = bool(getattr(enterprise, "contact_visible", False))
        yield [getter(enterprise, full) for _title, _width, getter in ENTERPRISE_COLUMNS]


def enterprise_export(queryset) -> FileResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(
        f"enterprises-{stamp}.xlsx",
        _("生产经营单位台账"),
        [str(title) for title, _w, _g in ENTERPRISE_COLUMNS],
        enterprise_rows(queryset),
        [w for _t, w, _g in ENTERPRISE_COLUMNS],
    )
