"""The hazard ledger (隐患台账) as XLSX, streamed through core's write-only workbook."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from anlan.core.exports import (
    CHUNK,
    DATE,
    DATETIME,
    NUMBER,
    SERIAL,
    WRAP,
    Column,
    Ledger,
    Names,
    SheetWriter,
    choice_labels,
    filter_request,
    finish_sheet,
    info_line,
    local_naive,
    start_sheet,
)
from anlan.core.models import Department, Industry, Region
from anlan.core.paging import filtered

from . import rules, selectors
from .filters import HazardFilter, MissingFilingFilter
from .models import Hazard, RectificationPlan, StatisticsFiling, Supervision
from .selectors import FIGURE_ROWS

RIGHT = "hazards.export_hazard"

COLUMNS: list[Column] = [
    Column(gettext_lazy("隐患编号"), 19),
    Column(gettext_lazy("生产经营单位/场所"), 30, WRAP),
    Column(gettext_lazy("所属区划"), 12),
    Column(gettext_lazy("行业领域"), 12),
    Column(gettext_lazy("监管部门"), 24, WRAP),
    Column(gettext_lazy("隐患描述"), 46, WRAP),
    Column(gettext_lazy("隐患类别"), 12),
    Column(gettext_lazy("隐患等级"), 12),
    Column(gettext_lazy("隐患来源"), 10),
    Column(gettext_lazy("发现日期"), 0, DATE),
    Column(gettext_lazy("责任人"), 8),
    Column(gettext_lazy("整改措施"), 40, WRAP),
    Column(gettext_lazy("整改资金（万元）"), 8, NUMBER),
    Column(gettext_lazy("整改期限"), 0, DATE),
    Column(gettext_lazy("状态"), 8),
    Column(gettext_lazy("逾期天数"), 4, NUMBER),
    Column(gettext_lazy("督办级别"), 6),
    Column(gettext_lazy("验收人"), 8),
    Column(gettext_lazy("验收时间"), 0, DATETIME),
    Column(gettext_lazy("销号日期"), 0, DATE),
]

FIELDS = (
    "id",
    "number",
    "enterprise_id",
    "enterprise__name",
    "place",
    "region_id",
    "industry_id",
    "supervising_department_id",
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


def supervision_levels(hazard_ids: list[int]) -> dict[int, str]:
    """{hazard id: level} of each hazard's latest 挂牌督办 (listed or lifted; one revoked with its voided
    hazard does not count), for a whole chunk in one query."""
    latest: dict[int, str] = {}
    supervisions = (
        Supervision.objects.filter(hazard_id__in=hazard_ids)
        .exclude(status=Supervision.Status.CLOSED)
        .order_by("hazard_id", "-pk")
        .values_list("hazard_id", "level")
    )
    for hazard_id, level in supervisions:
        latest.setdefault(hazard_id, level)
    return latest


def overdue_days(status: str, due_on, today) -> int | None:
    """Whole days an open hazard is past its deadline on `today` (rules.is_overdue: the due date itself is
    not overdue, the day after is 1); None when it is not overdue or no longer open."""
    if status not in Hazard.OPEN or not rules.is_overdue(due_on, today):
        return None
    return rules.days_overdue(due_on, today)


def ledger_rows(queryset: QuerySet) -> Iterator[list]:
    categories = choice_labels(Hazard, "category")
    grades = choice_labels(Hazard, "grade")
    sources = choice_labels(Hazard, "source")
    statuses = choice_labels(Hazard, "status")
    levels = choice_labels(Supervision, "level")
    local = local_naive(timezone.get_current_timezone())
    today = timezone.localdate()
    regions, industries, departments = Names(Region), Names(Industry), Names(Department)
    hazards = queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK)
    while chunk := list(islice(hazards, CHUNK)):
        ids = [row[0] for row in chunk]
        plans, supervised = current_plans(ids), supervision_levels(ids)
        regions.load(row[5] for row in chunk)
        industries.load(row[6] for row in chunk)
        departments.load(row[7] for row in chunk)
        for (
            pk,
            number,
            enterprise_id,
            enterprise,
            place,
            region_id,
            industry_id,
            department_id,
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
            level = supervised.get(pk)
            yield [
                number,
                enterprise if enterprise_id else place,
                regions[region_id],
                industries[industry_id],
                departments[department_id],
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
                overdue_days(status, due_on, today),
                levels.get(level, level) if level else "",
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
        user=user,
        filterset=filterset,
    )


# ---------------------------------------------------------------- 隐患排查治理统计分析表 (16号令 第十四条)

MISSING_COLUMNS: list[Column] = [
    Column(gettext_lazy("生产经营单位"), 30, WRAP),
    Column(gettext_lazy("统一社会信用代码"), 18),
    Column(gettext_lazy("所属区划"), 12),
    Column(gettext_lazy("行业领域"), 12),
    Column(gettext_lazy("统计期"), 12),
    Column(gettext_lazy("报送期限"), 0, DATE),
    Column(gettext_lazy("状态"), 8),
    Column(gettext_lazy("标记未上报日期"), 0, DATE),
]


def missing_rows(queryset: QuerySet) -> Iterator[list]:
    statuses = choice_labels(StatisticsFiling, "status")
    regions, industries = Names(Region), Names(Industry)
    rows = queryset.values_list(
        "enterprise__name",
        "enterprise__uscc",
        "region_id",
        "industry_id",
        "period",
        "due_on",
        "status",
        "flagged_on",
    ).iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        regions.load(row[2] for row in chunk)
        industries.load(row[3] for row in chunk)
        for name, uscc, region_id, industry_id, period, due_on, status, flagged_on in chunk:
            yield [
                name,
                uscc,
                regions[region_id],
                industries[industry_id],
                rules.filing_period_label(period),
                due_on,
                statuses.get(status, status),
                flagged_on,
            ]


def missing_filing_ledger(user, params: QueryDict) -> Ledger:
    """The enterprises flagged for a missing 统计分析表 in the user's scope, filtered like the list."""
    queryset = selectors.missing_filings(user).order_by("region_id", "enterprise__name", "pk")
    filterset = MissingFilingFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="missing-filings",
        sheet_title=_("未按期上报隐患排查治理统计分析表的单位"),
        columns=MISSING_COLUMNS,
        queryset=filtered(filterset),
        rows=missing_rows,
        user=user,
        filterset=filterset,
    )


FILING_COLUMNS: list[Column] = [Column(gettext_lazy("项目"), 36, WRAP), Column(gettext_lazy("数值"), 16)]


def filing_workbook(filing: StatisticsFiling, handle) -> None:
    """One enterprise's 统计分析表 as a sheet of the ledger standard: the figures, then the analysis and the
    signature (主要负责人, date) or its state."""
    workbook = Workbook(write_only=True)
    columns = [SERIAL, *FILING_COLUMNS]
    title = _("%(enterprise)s %(period)s隐患排查治理统计分析表") % {
        "enterprise": filing.enterprise.name,
        "period": filing.period_label,
    }
    sheet = start_sheet(
        workbook, _("统计分析表"), title, info_line(timezone.now(), len(FIGURE_ROWS)), columns
    )
    writer = SheetWriter(sheet, FILING_COLUMNS)
    rows = [[label, value] for label, value in selectors.figure_rows(filing)]
    if filing.is_confirmed:
        signer = filing.confirmed_by.display_name if filing.confirmed_by else ""
        signed = [_("主要负责人签字"), signer], [_("上报日期"), filing.filed_on.isoformat()]
    else:
        signed = ([_("状态"), filing.state_label],)
    rows += [
        [_("报送期限"), filing.due_on.isoformat()],
        *signed,
        [_("分析说明"), filing.analysis or ""],
    ]
    for serial, row in enumerate(rows, start=1):
        sheet.append(writer.row(serial, [str(row[0]), row[1] if row[1] is not None else "—"]))
    finish_sheet(sheet, len(columns), len(rows))
    workbook.save(handle)
