"""The hazard ledger (隐患台账) as XLSX, streamed through core's write-only workbook."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core.exports import CHUNK, Ledger, Names, choice_labels, filter_request, local_naive
from anlan.core.models import Industry, Region
from anlan.core.paging import filtered

from . import selectors
from .filters import HazardFilter
from .models import Hazard, RectificationPlan

RIGHT = "hazards.export_hazard"

COLUMNS: list[tuple[str, int]] = [
    (gettext_lazy("隐患编号"), 22),
    (gettext_lazy("生产经营单位/场所"), 32),
    (gettext_lazy("所属区划"), 14),
    (gettext_lazy("行业领域"), 14),
    (gettext_lazy("隐患描述"), 48),
    (gettext_lazy("隐患类别"), 14),
    (gettext_lazy("隐患等级"), 14),
    (gettext_lazy("隐患来源"), 12),
    (gettext_lazy("发现日期"), 12),
    (gettext_lazy("责任人"), 12),
    (gettext_lazy("整改措施"), 40),
    (gettext_lazy("整改资金（万元）"), 14),
    (gettext_lazy("整改期限"), 12),
    (gettext_lazy("状态"), 10),
    (gettext_lazy("验收人"), 12),
    (gettext_lazy("验收时间"), 18),
    (gettext_lazy("销号日期"), 12),
]

FIELDS = (
    "id",
    "number",
    "enterprise_id",
    "enterprise__name",
    "place",
    "region_id",
    "industry_id",
    "description",
    "category",
    "grade",
    "source",
    "found_on",
    "due_on",
    "status",
    "verified_by_id",
    "verified_by__real_name",
    "verified_by__username",
    "verified_at",
    "closed_on",
)
NO_PLAN = ("", "", None)


def current_plans(hazard_ids: list[int]) -> dict[int, tuple]:
    """{hazard id: (responsible person, measures, funds)} of each hazard's current (latest) plan, from one
    query for a whole chunk instead of correlated subqueries per row."""
    current: dict[int, tuple] = {}
    plans = (
        RectificationPlan.objects.filter(hazard_id__in=hazard_ids)
        .order_by("hazard_id", "-recorded_at", "-id")
        .values_list("hazard_id", "responsible_person", "measures", "funds")
    )
    for hazard_id, person, measures, funds in plans:
        if hazard_id not in current:
            current[hazard_id] = (person or "", measures or "", float(funds) if funds is not None else None)
    return current


def ledger_rows(queryset: QuerySet) -> Iterator[list]:
    categories = choice_labels(Hazard, "category")
    grades = choice_labels(Hazard, "grade")
    sources = choice_labels(Hazard, "source")
    statuses = choice_labels(Hazard, "status")
    local = local_naive(timezone.get_current_timezone())
    regions, industries = Names(Region), Names(Industry)
    hazards = queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK)
    while chunk := list(islice(hazards, CHUNK)):
        plans = current_plans([row[0] for row in chunk])
        regions.load(row[5] for row in chunk)
        industries.load(row[6] for row in chunk)
        for (
            pk,
            number,
            enterprise_id,
            enterprise,
            place,
            region_id,
            industry_id,
            description,
            category,
            grade,
            source,
            found_on,
            due_on,
            status,
            verifier_id,
            real_name,
            username,
            verified_at,
            closed_on,
        ) in chunk:
            person, measures, funds = plans.get(pk, NO_PLAN)
            yield [
                number,
                enterprise if enterprise_id else place,
                regions[region_id],
                industries[industry_id],
                description,
                categories.get(category, category),
                grades.get(grade, grade),
                sources.get(source, source),
                found_on,
                person,
                measures,
                funds,
                due_on,
                statuses.get(status, status),
                (real_name or username) if verifier_id is not None else "",  # User.display_name
                local(verified_at),
                closed_on,
            ]


def hazard_ledger(user, params: QueryDict) -> Ledger:
    """The hazard ledger this user may export, filtered (and sorted) by the list's query parameters."""
    queryset = selectors.hazard_list(user, RIGHT).order_by("-found_on", "-id")
    filterset = HazardFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="hazards",
        sheet_title=_("隐患排查治理台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=ledger_rows,
    )
