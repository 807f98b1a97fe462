"""The hazard ledger (隐患台账) as XLSX, streamed through core's write-only workbook."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core.exports import xlsx_response

from .models import RectificationPlan

CHUNK = 2000


def ledger_queryset(queryset: QuerySet) -> QuerySet:
    """The ledger's hazards with their joins; the current plans come per chunk (`ledger_rows`)."""
    return queryset.select_related("enterprise", "region", "industry", "verified_by").order_by(
        "-found_on", "-id"
    )


def _with_current_plans(hazards: list) -> list:
    """Each hazard's current plan fields (`plan_person`, `plan_measures`, `plan_funds`) from one query for
    the whole chunk, instead of three correlated subqueries per row."""
    current: dict[int, dict] = {}
    plans = (
        RectificationPlan.objects.filter(hazard_id__in=[h.pk for h in hazards])
        .order_by("hazard_id", "-recorded_at", "-id")
        .values("hazard_id", "responsible_person", "measures", "funds")
    )
    for plan in plans:
        current.setdefault(plan["hazard_id"], plan)
    for hazard in hazards:
        plan = current.get(hazard.pk, {})
        hazard.plan_person = plan.get("responsible_person")
        hazard.plan_measures = plan.get("measures")
        hazard.plan_funds = plan.get("funds")
    return hazards


def _name(user) -> str:
    return user.display_name if user is not None else ""


COLUMNS: list[tuple[str, int, Callable]] = [
    (gettext_lazy("隐患编号"), 22, lambda h: h.number),
    (gettext_lazy("生产经营单位/场所"), 32, lambda h: h.subject),
    (gettext_lazy("所属区划"), 14, lambda h: h.region.name),
    (gettext_lazy("行业领域"), 14, lambda h: h.industry.name),
    (gettext_lazy("隐患描述"), 48, lambda h: h.description),
    (gettext_lazy("隐患类别"), 14, lambda h: h.get_category_display()),
    (gettext_lazy("隐患等级"), 14, lambda h: h.get_grade_display()),
    (gettext_lazy("隐患来源"), 12, lambda h: h.get_source_display()),
    (gettext_lazy("发现日期"), 12, lambda h: h.found_on),
    (gettext_lazy("责任人"), 12, lambda h: h.plan_person or ""),
    (gettext_lazy("整改措施"), 40, lambda h: h.plan_measures or ""),
    (
        gettext_lazy("整改资金（万元）"),
        14,
        lambda h: float(h.plan_funds) if h.plan_funds is not None else None,
    ),
    (gettext_lazy("整改期限"), 12, lambda h: h.due_on),
    (gettext_lazy("状态"), 10, lambda h: h.get_status_display()),
    (gettext_lazy("验收人"), 12, lambda h: _name(h.verified_by)),
    (gettext_lazy("验收时间"), 18, lambda h: h.verified_at),
    (gettext_lazy("销号日期"), 12, lambda h: h.closed_on),
]


def ledger_rows(queryset: QuerySet) -> Iterable[list]:
    hazards = queryset.iterator(chunk_size=CHUNK)
    while chunk := list(islice(hazards, CHUNK)):
        for hazard in _with_current_plans(chunk):
            yield [getter(hazard) for _title, _width, getter in COLUMNS]


def ledger_export(queryset: QuerySet) -> FileResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(
        f"hazards-{stamp}.xlsx",
        _("隐患排查治理台账"),
        [str(title) for title, _w, _g in COLUMNS],
        ledger_rows(queryset),
        [w for _t, w, _g in COLUMNS],
    )
