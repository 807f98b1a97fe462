"""XLSX ledgers (台账), streamed: rows go from a server-side cursor into openpyxl's write-only workbook on disk,
then the file is sent in chunks (or kept as a job's result), so memory stays flat however many rows there are.

A `Ledger` is what to write, built without a request (`enterprise_ledger(user, params)` and the apps' own):
the view answers with `xlsx_response(ledger)`, a background job calls `write_xlsx(ledger, handle, progress=…)`.
Its `rows` read plain values (`values_list` with SQL joins) and yield cells openpyxl writes as they are:
str, int, float, date, naive local datetime or None. Text that would start a formula (`=`, `+`, `-`, `@`,
tab, CR) is written as text (`safe_row`), so a name or address typed by a user never runs in Excel or WPS.

Every ledger gets the same sheet (the 台账 standard, docs/development.md "Ledger exports"), whichever path
writes it: row 1 the title — ledger, region, period and the list's filters in words (`filters.filters_in_words`)
—, row 2 the export time and the row count, row 3 the header with 序号 first, the data from row 4 numbered
1..N; panes frozen below the header, an autofilter over header and data, widths from the header and the
column's typical content (a CJK character counts two), long text wrapped, dates as date cells.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from types import SimpleNamespace

from django.db.models import Model, QuerySet
from django.http import FileResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import recipients
from .filters import EnterpriseFilter, filters_in_words
from .models import Enterprise
from .paging import filtered
from .rules import mask_id_number, mask_phone
from .scope import memberships_of
from .selectors import with_contact_visibility

CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Column kinds: how a column's cells are written and how wide it is at least.
TEXT, WRAP, NUMBER, DATE, DATETIME = "text", "wrap", "number", "date", "datetime"
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
KIND_WIDTH = {DATE: 10, DATETIME: 16}  # the display width of 2026-03-31 and 2026-03-31 09:30
MAX_WIDTH = 60
TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3  # the data start on the row after the header


@dataclass(frozen=True)
class Column:
    """One column of a ledger: its title (lazily translated), the display width of its typical content
    (a CJK character counts two) and its kind (TEXT, WRAP for long text, NUMBER, DATE, DATETIME)."""

    title: str
    width: int = 0
    kind: str = TEXT


def display_width(text: str) -> int:
    """Columns `text` takes in a spreadsheet: two for a wide (CJK) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def column_width(column: Column) -> int:
    """The column's width: its header or its typical content, whichever is wider, plus a margin, at most
    MAX_WIDTH (wrapped text goes on below)."""
    typical = max(column.width, KIND_WIDTH.get(column.kind, 0))
    return min(max(display_width(str(column.title)), typical) + 2, MAX_WIDTH)


@dataclass
class Ledger:
    """One sheet to export: its titles and columns, the scoped and filtered rows, and how to turn them into
    cell values (`rows(queryset)`, streaming, without the 序号 the writer adds). `user` and `filterset` give
    the title row its region and filters in words."""

    name: str  # file-name stem: "hazards" -> hazards-20261202-0930.xlsx
    sheet_title: str
    columns: list[Column]
    queryset: QuerySet
    rows: Callable[[QuerySet], Iterator[list]]
    user: object = None
    filterset: object = None
    _count: int | None = field(default=None, init=False, repr=False)

    @property
    def headers(self) -> list[str]:
        return [str(column.title) for column in self.columns]

    @property
    def widths(self) -> list[int]:
        return [column_width(column) for column in self.columns]

    def count(self) -> int:
        """The number of rows (counted once: the title row and the export view both need it)."""
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def filename(self) -> str:
        return f"{self.name}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"

    def title(self) -> str:
        """Row 1: the ledger, its region (the filtered one, or the user's scope), period and filters in words."""
        words = filters_in_words(self.filterset) if self.filterset is not None else None
        region = (words.region if words else "") or scope_name(self.user)
        parts = [
            self.sheet_title,
            region,
            words.period if words else "",
            "；".join(words.others if words else []),
        ]
        return "　".join(str(part) for part in parts if part)

    def info(self, at: datetime) -> str:
        """Row 2: when it was exported and how many rows it holds."""
        return info_line(at, self.count())


def info_line(at: datetime, rows: int) -> str:
    """Row 2 of an exported sheet: when it was exported (local time) and how many rows it holds."""
    return _("导出时间：%(at)s　共 %(n)d 条") % {"at": f"{timezone.localtime(at):%Y-%m-%d %H:%M}", "n": rows}


SERIAL = Column(gettext_lazy("序号"), 4, NUMBER)


def scope_name(user) -> str:
    """The user's jurisdiction by name: the regions, departments, grids or enterprises their memberships
    are anchored at (already loaded for the scope, so no query)."""
    names: list[str] = []
    for membership in memberships_of(user):
        anchor = membership.department or membership.enterprise or membership.grid or membership.region
        if anchor is not None and anchor.name not in names:
            names.append(anchor.name)
    return "、".join(names)


class SheetWriter:
    """Turns a ledger's rows into write-only cells: 序号 first, dates and datetimes with their number format,
    long text wrapped, formula-like text as text. A styled column reuses one cell (openpyxl writes a row's
    cells as soon as it is appended), so styling costs no object per cell."""

    def __init__(self, sheet, columns: list[Column]):
        self.sheet = sheet
        self.styles = [self._style(column.kind) for column in columns]
        self.cells = [self._cell(style) if style else None for style in self.styles]

    @staticmethod
    def _style(kind: str) -> dict | None:
        if kind == DATE:
            return {"number_format": DATE_FORMAT}
        if kind == DATETIME:
            return {"number_format": DATETIME_FORMAT}
        if kind == WRAP:
            return {"alignment": Alignment(wrap_text=True, vertical="top")}
        return None

    def _cell(self, style: dict, value=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def row(self, serial: int, values: list) -> list:
        out: list = [serial]
        for value, cell, style in zip(values, self.cells, self.styles, strict=True):
            if value is None:
                out.append(None)
            elif formula_like(value):
                text = text_cell(self.sheet, value)
                if style:
                    for name, setting in style.items():
                        setattr(text, name, setting)
                out.append(text)
            elif cell is not None:
                cell.value = value
                out.append(cell)
            else:
                out.append(value)
        return out


def start_sheet(workbook, sheet_title: str, title: str, info: str, columns: list[Column]):
    """A write-only sheet with the standard's top: column widths and frozen panes (both must precede the first
    row), row 1 the title (bold, larger; no merged cells in a write-only sheet, so it overflows from A1), row 2
    the info line, row 3 the bold header."""
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(column)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    heading = safe_cell(sheet, title)
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    sheet.append([safe_cell(sheet, info)])
    bold, centred = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    header = []
    for column in columns:
        cell = safe_cell(sheet, str(column.title))
        cell.font, cell.alignment = bold, centred
        header.append(cell)
    sheet.append(header)
    return sheet


def finish_sheet(sheet, columns: int, rows: int) -> None:
    """The autofilter over the header and the `rows` written (it goes in the sheet's tail, after the rows)."""
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{HEADER_ROW + rows}"


def write_xlsx(
    ledger: Ledger, handle, *, progress: Callable[[int], None] | None = None, every: int = 1000
) -> int:
    """Write the ledger as a workbook to the binary file `handle`; returns the number of data rows.
    `progress(rows_written)` is called every `every` rows and once at the end."""
    workbook = Workbook(write_only=True)
    columns = [SERIAL, *ledger.columns]
    sheet = start_sheet(workbook, ledger.sheet_title, ledger.title(), ledger.info(timezone.now()), columns)
    writer = SheetWriter(sheet, ledger.columns)
    append, step, written = sheet.append, max(every, 1), 0
    for row in ledger.rows(ledger.queryset):
        written += 1
        append(writer.row(written, row))
        if progress is not None and written % step == 0:
            progress(written)
    finish_sheet(sheet, len(columns), written)
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

ENTERPRISE_COLUMNS: list[Column] = [
    Column(gettext_lazy("统一社会信用代码"), 18),
    Column(gettext_lazy("单位名称"), 34, WRAP),
    Column(gettext_lazy("所属区划"), 12),
    Column(gettext_lazy("主行业领域"), 16),
    Column(gettext_lazy("监管部门"), 24, WRAP),
    Column(gettext_lazy("地址"), 34, WRAP),
    Column(gettext_lazy("规模"), 10),
    Column(gettext_lazy("从业人员数"), 6, NUMBER),
    Column(gettext_lazy("法定代表人"), 8),
    Column(gettext_lazy("主要负责人"), 8),
    Column(gettext_lazy("主要负责人居民身份证号码"), 18),
    Column(gettext_lazy("主要负责人电话"), 13),
    Column(gettext_lazy("安全管理人员"), 8),
    Column(gettext_lazy("安全管理人员电话"), 13),
    Column(gettext_lazy("经营状态"), 12),
    Column(gettext_lazy("重大危险源"), 2),
    Column(gettext_lazy("人员密集场所"), 2),
    Column(gettext_lazy("经度"), 11, NUMBER),
    Column(gettext_lazy("纬度"), 11, NUMBER),
]

ENTERPRISE_FIELDS = (
    "pk",
    "uscc",
    "name",
    "region_id",
    "region__name",
    "industry_id",
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


def other_industries(enterprise_ids: list[int]) -> dict[int, list[int]]:
    """{enterprise id: its other industries' ids}, for a chunk of enterprises in one query."""
    through = Enterprise.other_industries.through.objects.filter(enterprise_id__in=enterprise_ids)
    found: dict[int, list[int]] = {}
    for enterprise_id, industry_id in through.order_by("pk").values_list("enterprise_id", "industry_id"):
        found.setdefault(enterprise_id, []).append(industry_id)
    return found


def supervising_names(router: recipients.DepartmentRouter, region_id: str, industry_ids) -> str:
    """The departments supervising an enterprise (三管三必须): the one `recipients.supervising_department`
    gives for its main industry, then for each other industry, each named once."""
    names: list[str] = []
    for industry_id in industry_ids:
        name = router.name(region_id, industry_id)
        if name and name not in names:
            names.append(name)
    return "、".join(names)


def enterprise_rows(queryset: QuerySet) -> Iterator[list]:
    """Rows of the enterprise ledger; phones and ID numbers masked where `contact_visible` is false."""
    scales = choice_labels(Enterprise, "scale")
    statuses = choice_labels(Enterprise, "status")
    yes, no = _("是"), _("否")
    router = recipients.DepartmentRouter()
    enterprises = queryset.values_list(*ENTERPRISE_FIELDS).iterator(chunk_size=CHUNK)
    while chunk := list(islice(enterprises, CHUNK)):
        others = other_industries([row[0] for row in chunk])
        for (
            pk,
            uscc,
            name,
            region_id,
            region,
            industry_id,
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
        ) in chunk:
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
                supervising_names(router, region_id, [industry_id, *others.get(pk, ())]),
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
        user=user,
        filterset=filterset,
    )
