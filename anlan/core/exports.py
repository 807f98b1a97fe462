"""XLSX ledgers, streamed: rows go from a server-side cursor into openpyxl's write-only workbook on disk,
then the file is sent in chunks (or kept as a job's result), so memory stays flat however many rows there are.

A `Ledger` is what to write, built without a request (`enterprise_ledger(user, params)` and the apps' own):
the view answers with `xlsx_response(ledger)`, a background job calls `write_xlsx(ledger, handle, progress=…)`.
Its `rows` read plain values (`values_list` with SQL joins) and yield cells openpyxl writes as they are:
str, int, float, date, naive local datetime or None. Text that would start a formula (`=`, `+`, `-`, `@`,
tab, CR) is written as text (`safe_row`), so a name or address typed by a user never runs in Excel or WPS.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace

from django.db.models import Model, QuerySet
from django.http import FileResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .filters import EnterpriseFilter
from .models import Enterprise
from .paging import filtered
from .rules import mask_id_number, mask_phone
from .selectors import with_contact_visibility

CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Ledger:
    """One sheet to export: its titles and widths, the scoped and filtered rows, and how to turn them into
    cell values (`rows(queryset)`, streaming)."""

    name: str  # file-name stem: "hazards" -> hazards-20261202-0930.xlsx
    sheet_title: str
    columns: list[tuple[str, int]]  # (title, width), titles lazily translated
    queryset: QuerySet
    rows: Callable[[QuerySet], Iterator[list]]

    @property
    def headers(self) -> list[str]:
        return [str(title) for title, _width in self.columns]

    @property
    def widths(self) -> list[int]:
        return [width for _title, width in self.columns]

    def count(self) -> int:
        return self.queryset.count()

    def filename(self) -> str:
        return f"{self.name}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def write_xlsx(
    ledger: Ledger, handle, *, progress: Callable[[int], None] | None = None, every: int = 1000
) -> int:
    """Write the ledger as a workbook to the binary file `handle`; returns the number of data rows.
    `progress(rows_written)` is called every `every` rows and once at the end."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ledger.sheet_title[:31])
    for index, width in enumerate(ledger.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for title in ledger.headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    append, step, written = sheet.append, max(every, 1), 0
    for row in ledger.rows(ledger.queryset):
        append(safe_row(sheet, row))
        written += 1
        if progress is not None and written % step == 0:
            progress(written)
    workbook.save(handle)
    if progress is not None:
        progress(written)
    return written


def xlsx_response(ledger: Ledger) -> FileResponse:
    """The ledger as an immediate download: written to a temporary file, then streamed back."""
    filename = ledger.filename()
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    write_xlsx(ledger, handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def filter_request(user) -> SimpleNamespace:
    """What a FilterSet reads from its request (`request.user`), for a ledger built without one."""
    return SimpleNamespace(user=user)


# ---------------------------------------------------------------- cell values

# OWASP "CSV injection": a cell starting with one of these is read as a formula by Excel, WPS and LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """A write-only cell holding `value` as text: typed string and quote-prefixed, so the spreadsheet shows it
    as typed and does not evaluate it, not even when the cell is edited."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def formula_like(value) -> bool:
    """Text a spreadsheet would read as a formula (it starts with one of FORMULA_START)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def safe_row(sheet, row: list) -> list:
    """The row with every text that would start a formula made a text cell; numbers and dates untouched."""
    if not any(formula_like(value) for value in row):
        return row
    return [text_cell(sheet, value) if formula_like(value) else value for value in row]


def safe_cell(sheet, value) -> WriteOnlyCell:
    """`value` as a write-only cell (to be styled), formula-like text as text."""
    return text_cell(sheet, value) if formula_like(value) else WriteOnlyCell(sheet, value=value)


def excel_value(value):
    """A cell value openpyxl writes as itself: dates and numbers stay typed, aware times in local time."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | int | float | str) or value is None:
        return value
    return str(value)


def local_naive(tz) -> Callable[[datetime | None], datetime | None]:
    """A converter of aware datetimes to naive ones in `tz` (what `excel_value` does, one check cheaper)."""

    def convert(value):
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(tz).replace(tzinfo=None)

    return convert


def choice_labels(model: type[Model], field: str) -> dict:
    """{stored value: label} of a choices field, as `get_<field>_display()` gives them (translated now)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


class Names:
    """Names of a reference table (regions, industries) by id, fetched once per chunk for the ids not seen
    yet: a ledger row then needs no join to a large table, and each name is read once per export."""

    def __init__(self, model: type[Model], field: str = "name"):
        self.model, self.field, self.known = model, field, {}

    def load(self, ids) -> None:
        missing = {pk for pk in ids if pk is not None and pk not in self.known}
        if missing:
            self.known.update(
                self.model._default_manager.filter(pk__in=missing).values_list("pk", self.field)
            )

    def __getitem__(self, pk) -> str:
        return self.known.get(pk, "")


def yes_no(flag: bool) -> str:
    return _("是") if flag else _("否")


# ---------------------------------------------------------------- the enterprise ledger

ENTERPRISE_COLUMNS: list[tuple[str, int]] = [
    (gettext_lazy("统一社会信用代码"), 22),
    (gettext_lazy("单位名称"), 36),
    (gettext_lazy("所属区划"), 16),
    (gettext_lazy("主行业领域"), 18),
    (gettext_lazy("地址"), 36),
    (gettext_lazy("规模"), 10),
    (gettext_lazy("从业人员数"), 10),
    (gettext_lazy("法定代表人"), 12),
    (gettext_lazy("主要负责人"), 12),
    (gettext_lazy("主要负责人居民身份证号码"), 22),
    (gettext_lazy("主要负责人电话"), 16),
    (gettext_lazy("安全管理人员"), 12),
    (gettext_lazy("安全管理人员电话"), 16),
    (gettext_lazy("经营状态"), 12),
    (gettext_lazy("重大危险源"), 10),
    (gettext_lazy("人员密集场所"), 12),
    (gettext_lazy("经度"), 12),
    (gettext_lazy("纬度"), 12),
]

ENTERPRISE_FIELDS = (
    "uscc",
    "name",
    "region__name",
    "industry__name",
    "address",
    "scale",
    "employees",
    "legal_representative",
    "principal_id",
    "principal__name",
    "principal__id_number",
    "principal_phone",
    "safety_manager",
    "safety_manager_phone",
    "status",
    "has_major_hazard_source",
    "is_crowded_place",
    "longitude",
    "latitude",
    "contact_visible",  # annotated by selectors.with_contact_visibility (SQL, per row)
)


def enterprise_rows(queryset: QuerySet) -> Iterator[list]:
    """Rows of the enterprise ledger; phones and ID numbers masked where `contact_visible` is false."""
    scales = choice_labels(Enterprise, "scale")
    statuses = choice_labels(Enterprise, "status")
    yes, no = _("是"), _("否")
    for (
        uscc,
        name,
        region,
        industry,
        address,
        scale,
        employees,
        legal_representative,
        principal_id,
        principal,
        id_number,
        principal_phone,
        safety_manager,
        safety_manager_phone,
        status,
        major_hazard,
        crowded,
        longitude,
        latitude,
        full,
    ) in queryset.values_list(*ENTERPRISE_FIELDS).iterator(chunk_size=CHUNK):
        if principal_id is None:
            principal = id_number = ""
        if not full:
            id_number = mask_id_number(id_number)
            principal_phone = mask_phone(principal_phone)
            safety_manager_phone = mask_phone(safety_manager_phone)
        yield [
            uscc,
            name,
            region,
            industry,
            address,
            scales.get(scale, scale),
            employees,
            legal_representative,
            principal,
            id_number,
            principal_phone,
            safety_manager,
            safety_manager_phone,
            statuses.get(status, status),
            yes if major_hazard else no,
            yes if crowded else no,
            float(longitude) if longitude is not None else None,
            float(latitude) if latitude is not None else None,
        ]


def enterprise_ledger(user, params: QueryDict) -> Ledger:
    """The enterprise ledger (生产经营单位台账) this user may export, filtered by the list's query parameters."""
    right = "core.export_enterprise"
    queryset = with_contact_visibility(Enterprise.objects.for_user(user, right), user)
    filterset = EnterpriseFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="enterprises",
        sheet_title=_("生产经营单位台账"),
        columns=ENTERPRISE_COLUMNS,
        queryset=filtered(filterset, queryset.order_by("region_id", "name")),
        rows=enterprise_rows,
    )
