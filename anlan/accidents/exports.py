"""XLSX exports: the accident ledger (streamed, like core's) and the statistics tables."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.http import FileResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from anlan.core.exports import (
    CHUNK,
    DATETIME,
    NUMBER,
    WRAP,
    Column,
    Ledger,
    choice_labels,
    excel_value,
    filter_request,
    finish_sheet,
    info_line,
    local_naive,
    safe_row,
    scope_name,
    start_sheet,
)
from anlan.core.filters import FilterWords, IndustryGrouping, form_in_words, period_in_words
from anlan.core.paging import filtered

from .filters import AccidentFilter
from .models import Accident

RIGHT = "accidents.export_accident"

COLUMNS: list[Column] = [
    Column(gettext_lazy("事故名称"), 38, WRAP),
    Column(gettext_lazy("发生时间"), 0, DATETIME),
    Column(gettext_lazy("发生地区划"), 12),
    Column(gettext_lazy("事故地点"), 26, WRAP),
    Column(gettext_lazy("事故单位"), 28, WRAP),
    Column(gettext_lazy("行业领域"), 12),
    Column(gettext_lazy("事故类别"), 8),
    Column(gettext_lazy("事故类型"), 10),
    Column(gettext_lazy("事故等级"), 10),
    Column(gettext_lazy("死亡人数"), 2, NUMBER),
    Column(gettext_lazy("失踪人数"), 2, NUMBER),
    Column(gettext_lazy("重伤人数"), 2, NUMBER),
    Column(gettext_lazy("轻伤人数"), 2, NUMBER),
    Column(gettext_lazy("直接经济损失（万元）"), 10, NUMBER),
    Column(gettext_lazy("初报接收时间"), 0, DATETIME),
    Column(gettext_lazy("迟报"), 2),
]

FIELDS = (
    "title",
    "occurred_at",
    "region__name",
    "place",
    "enterprise_id",
    "enterprise__name",
    "industry__name",
    "kind",
    "type_code",
    "grade",
    "deaths",
    "missing",
    "serious_injuries",
    "minor_injuries",
    "direct_loss_yuan",
    "reported_at",
    "is_late",
)
TEN_THOUSAND = Decimal(10000)


def ledger_rows(queryset: QuerySet) -> Iterator[list]:
    kinds = choice_labels(Accident, "kind")
    types = choice_labels(Accident, "type_code")
    grades = choice_labels(Accident, "grade")
    yes, no = _("是"), _("否")
    local = local_naive(timezone.get_current_timezone())
    for (
        title,
        occurred_at,
        region,
        place,
        enterprise_id,
        enterprise,
        industry,
        kind,
        type_code,
        grade,
        deaths,
        missing,
        serious_injuries,
        minor_injuries,
        loss_yuan,
        reported_at,
        is_late,
    ) in queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK):
        yield [
            title,
            local(occurred_at),
            region,
            place,
            enterprise if enterprise_id is not None else "",
            industry,
            kinds.get(kind, kind),
            types.get(type_code, type_code),
            grades.get(grade, grade),
            deaths,
            missing,
            serious_injuries,
            minor_injuries,
            float(loss_yuan / TEN_THOUSAND),  # Accident.direct_loss_wan
            local(reported_at),
            yes if is_late else no,
        ]


def accident_ledger(user, params: QueryDict) -> Ledger:
    """The accident ledger this user may export, filtered and sorted by the list's query parameters (newest
    first without a sort, as the list)."""
    queryset = Accident.objects.for_user(user, RIGHT).order_by("-occurred_at", "-pk")
    filterset = AccidentFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="accidents",
        sheet_title=_("生产安全事故台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=ledger_rows,
        user=user,
        filterset=filterset,
    )


def statistics_heading(user, form, period) -> str:
    """Row 1 of each statistics sheet: the report, its region (the chosen one, else the user's jurisdiction),
    its period (the default one too) and the other choices of the query form in words."""
    valid = form.is_bound and form.is_valid()
    words = form_in_words(form, period=("date_from", "date_to", "")) if valid else FilterWords()
    parts = [
        _("生产安全事故统计"),
        words.region or scope_name(user),
        period_in_words(_("统计期"), period.start, period.end),
        "；".join(words.others),
    ]
    return "　".join(str(part) for part in parts if part)


def _table(workbook, title: str, rows, heading: str) -> None:
    """One breakdown as a sheet of the standard (title, info, frozen header, autofilter, widths; a grouped
    table, so no 序号)."""
    indicators = [_("事故起数"), _("死亡人数"), _("重伤人数"), _("直接经济损失（万元）")]
    columns = [Column(_("分组"), 14)]
    for name in indicators:
        columns += [Column(name, 6, NUMBER), Column(_("去年同期"), 6, NUMBER), Column(_("增减"), 6, NUMBER)]
    columns.append(Column(_("四项指标"), 30))
    info = info_line(timezone.now(), len(rows))
    sheet = start_sheet(workbook, title, f"{heading}（{title}）", info, columns)
    for row in rows:
        line = [row.label]
        for current, previous in zip(row.current.values(), row.previous.values(), strict=True):
            line += [excel_value(current), excel_value(previous), excel_value(current - previous)]
        sheet.append(
            safe_row(sheet, [float(v) if hasattr(v, "as_tuple") else v for v in line] + [row.summary])
        )
    finish_sheet(sheet, len(columns), len(rows))


def statistics_export(report: dict, heading: str) -> FileResponse:
    """One sheet per breakdown (small: grouped rows only), written to a temporary file and streamed."""
    workbook = Workbook(write_only=True)
    _table(workbook, _("合计"), [report["total"]], heading)
    by_section = report.get("grouping") == IndustryGrouping.SECTION
    for key, title in (
        ("by_region", _("按区划")),
        ("by_industry", _("按国民经济行业门类") if by_section else _("按行业领域")),
        ("by_type", _("按事故类型")),
        ("by_kind", _("按事故类别")),
        ("by_month", _("按月份")),
    ):
        _table(workbook, title, list(report[key]), heading)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    period = report["period"]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"accident-statistics-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
