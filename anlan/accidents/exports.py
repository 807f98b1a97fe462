"""XLSX exports: the accident ledger (streamed, like core's) and the statistics tables."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from anlan.core.exports import excel_value, xlsx_response, yes_no

COLUMNS = [
    (gettext_lazy("事故名称"), 40, lambda a: a.title),
    (gettext_lazy("发生时间"), 18, lambda a: a.occurred_at),
    (gettext_lazy("发生地区划"), 14, lambda a: a.region.name),
    (gettext_lazy("事故地点"), 28, lambda a: a.place),
    (gettext_lazy("事故单位"), 30, lambda a: a.enterprise.name if a.enterprise else ""),
    (gettext_lazy("行业领域"), 14, lambda a: a.industry.name),
    (gettext_lazy("事故类别"), 10, lambda a: a.get_kind_display()),
    (gettext_lazy("事故类型"), 12, lambda a: a.get_type_code_display()),
    (gettext_lazy("事故等级"), 12, lambda a: a.get_grade_display()),
    (gettext_lazy("死亡人数"), 8, lambda a: a.deaths),
    (gettext_lazy("失踪人数"), 8, lambda a: a.missing),
    (gettext_lazy("重伤人数"), 8, lambda a: a.serious_injuries),
    (gettext_lazy("轻伤人数"), 8, lambda a: a.minor_injuries),
    (gettext_lazy("直接经济损失（万元）"), 14, lambda a: float(a.direct_loss_wan)),
    (gettext_lazy("初报接收时间"), 18, lambda a: a.reported_at),
    (gettext_lazy("迟报"), 6, lambda a: yes_no(a.is_late)),
]


def _rows(queryset) -> Iterable[list]:
    for accident in queryset.iterator(chunk_size=2000):
        yield [getter(accident) for _t, _w, getter in COLUMNS]


def accident_export(queryset) -> FileResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(
        f"accidents-{stamp}.xlsx",
        _("生产安全事故台账"),
        [str(t) for t, _w, _g in COLUMNS],
        _rows(queryset.order_by("-occurred_at", "-pk")),
        [w for _t, w, _g in COLUMNS],
    )


def _table(workbook, title: str, rows) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    indicators = [_("事故起数"), _("死亡人数"), _("重伤人数"), _("直接经济损失（万元）")]
    header = [_("分组")]
    for name in indicators:
        header += [name, _("去年同期"), _("增减")]
    sheet.append(header + [_("四项指标")])
    for row in rows:
        line = [row.label]
        for current, previous in zip(row.current.values(), row.previous.values(), strict=True):
            line += [excel_value(current), excel_value(previous), excel_value(current - previous)]
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in line] + [row.summary])


def statistics_export(report: dict) -> FileResponse:
    """One sheet per breakdown (small: grouped rows only), written to a temporary file and streamed."""
    workbook = Workbook(write_only=True)
    _table(workbook, _("合计"), [report["total"]])
    for key, title in (
        ("by_region", _("按区划")),
        ("by_industry", _("按行业领域")),
        ("by_type", _("按事故类型")),
        ("by_kind", _("按事故类别")),
        ("by_month", _("按月份")),
    ):
        _table(workbook, title, report[key])
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
