"""The fact providers of 考核: each a named query over other modules' data (through their public selectors only),
registered by key. An indicator names its provider; a scoring run calls each provider once for all units of the
county and gets, per unit, the occurrences and the records behind them (so every point is traceable).

A provider is one small function `(ctx: FactContext) -> dict[unit_pk, UnitFacts]`, registered with `@provider`.
Record-based providers use `attribute`, which reads the whole county in one SQL query and then labels only the
records it keeps: a window over narrow rows cuts them into parts by town (the region code's town prefix) and
owner (a department foreign key, or the record's industry within a department's 三管三必须 and region) and
returns each part's count and first `REFERENCES_PER_UNIT` ids — never a query per unit, so ≈1,500 units over
millions of rows cost one scan per provider, and the labels of at most 20 records a unit are read by id.

Providers over governance's own records — the 工作任务清单, the 安委会 decisions and the campaigns' monthly
cards — name their unit directly; `per_unit` counts them in one query the same way."""

from __future__ import annotations

import heapq
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import BigIntegerField, Count, F, Q, QuerySet
from django.db.models.expressions import RowRange, Window
from django.db.models.functions import Cast, RowNumber, Substr, TruncDate
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.accidents import selectors as accidents
from anlan.core import rules as core_rules
from anlan.core import selectors as core_selectors
from anlan.core import trees
from anlan.core.models import Department, Unit
from anlan.governance.models import CardReport, DecisionTask, Problem, WorkTask
from anlan.hazards import selectors as hazards
from anlan.inspections import selectors as inspections

# The records kept on one deduction line (the count is always complete; the page links to the rest).
REFERENCES_PER_UNIT = 20
TOWN_PREFIX = core_rules.LEVEL_PREFIX_LENGTH[4]
COUNTY_PREFIX = core_rules.LEVEL_PREFIX_LENGTH[3]


@dataclass(frozen=True)
class ScoredUnit:
    """A unit being scored, with what attribution needs: its region prefix and, for a department, its id and
    supervised industries (with their descendants)."""

    pk: int
    kind: str
    name: str
    prefix: str
    department_id: int | None = None
    industry_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class FactContext:
    """What a provider reads: the year's days, the data cut-off day, the county's region-code bounds, the units
    and the indicator's parameter (e.g. a plan completion rate in %)."""

    year: int
    first: date
    last: date
    as_of: date
    low: str
    high: str
    units: tuple[ScoredUnit, ...]
    threshold: int | None = None


@dataclass
class UnitFacts:
    occurrences: int = 0
    records: list[dict] = field(default_factory=list)


Provider = Callable[[FactContext], dict[int, UnitFacts]]


@dataclass(frozen=True)
class ProviderSpec:
    key: str
    label: object
    function: Provider
    unit_kinds: tuple[str, ...]


PROVIDERS: dict[str, ProviderSpec] = {}


def provider(key: str, label, unit_kinds: Iterable[str] = (Unit.Kind.TOWN, Unit.Kind.DEPARTMENT)):
    """Register a provider under `key` (the value an indicator stores)."""

    def register(function: Provider) -> Provider:
        if key in PROVIDERS:
            raise KeyError(f"assessment fact provider {key!r} registered twice")
        PROVIDERS[key] = ProviderSpec(key, label, function, tuple(unit_kinds))
        return function

    return register


def provider_choices() -> list[tuple[str, object]]:
    return [(spec.key, spec.label) for spec in PROVIDERS.values()]


def facts_for(key: str, ctx: FactContext) -> dict[int, UnitFacts]:
    spec = PROVIDERS[key]
    return spec.function(
        FactContext(**{**ctx.__dict__, "units": tuple(u for u in ctx.units if u.kind in spec.unit_kinds)})
    )


# ---------------------------------------------------------------- units


def scored_units(region_code: str, level: int) -> tuple[ScoredUnit, ...]:
    """The active towns and departments of a region's subtree (three queries: units, department industries,
    the industry tree)."""
    low, high = core_rules.subtree_bounds(region_code, level)
    rows = list(
        Unit.objects.filter(
            kind__in=(Unit.Kind.TOWN, Unit.Kind.DEPARTMENT),
            is_active=True,
            region_id__gte=low,
            region_id__lte=high,
        )
        .select_related("region", "department__region")
        .order_by("kind", "name", "pk")
    )
    department_ids = [u.department_id for u in rows if u.department_id]
    direct: dict[int, set[int]] = defaultdict(set)
    for department_id, industry_id in Department.industries.through.objects.filter(
        department_id__in=department_ids
    ).values_list("department_id", "industry_id"):
        direct[department_id].add(industry_id)
    tree = trees.IndustryTree.load()
    units = []
    for unit in rows:
        if unit.kind == Unit.Kind.DEPARTMENT:
            region = unit.department.region
            units.append(
                ScoredUnit(
                    unit.pk,
                    unit.kind,
                    unit.name,
                    core_rules.region_prefix(region.code, region.level),
                    unit.department_id,
                    tree.descendants(direct[unit.department_id]),
                )
            )
        else:
            units.append(ScoredUnit(unit.pk, unit.kind, unit.name, unit.region_id[:TOWN_PREFIX]))
    return tuple(units)


# ---------------------------------------------------------------- attribution: one query, then the labels kept


def attribute(
    queryset: QuerySet,
    ctx: FactContext,
    *,
    label: Callable[[dict], str],
    fields: tuple[str, ...],
    url_name: str,
    department: str | None = None,
) -> dict[int, UnitFacts]:
    """Count the queryset's rows per unit and keep each unit's first records: one query over all units, then the
    labels of the records kept.

    A town gets the rows whose region is in its subtree; a department the rows whose `department` foreign key
    names it, or — without one — the rows in its region subtree whose industry it supervises. The query cuts the
    rows into parts by place (the region code's town prefix, longer when a department sits below a town) and
    owner (that foreign key, or the industry), and returns of each part its row count and the ids of its first
    `REFERENCES_PER_UNIT` rows — a window over narrow rows: no label column is sorted or carried through it. A
    unit's count is the sum of its parts' counts and its first records are among its parts' first records, so
    only the records finally kept are labelled, read by primary key in a second step (`_labelled`)."""
    departments = [u for u in ctx.units if u.kind == Unit.Kind.DEPARTMENT]
    owner = department or "industry_id"
    place_length = TOWN_PREFIX
    if not department:
        place_length = max([TOWN_PREFIX, *(len(u.prefix) for u in departments)])
    # The place as a number: sorting integers is several times faster than comparing collated text.
    place = Cast(Substr("region_id", 1, place_length), BigIntegerField())
    part = [place, F(owner)]
    order = [F("pk").asc()]
    # The rank and the total share one window (the whole part as frame, which the rank ignores): one sort.
    whole = RowRange(start=None, end=None)
    rows = (
        queryset.annotate(
            part_place=place,
            part_rank=Window(RowNumber(), partition_by=part, order_by=order, frame=whole),
            part_total=Window(Count("pk"), partition_by=part, order_by=order, frame=whole),
        )
        .filter(part_rank__lte=REFERENCES_PER_UNIT)
        # No ORDER BY: a unit's references are put in order below (the model's default ordering would sort
        # every matching row once more).
        .order_by()
        .values_list("pk", "part_place", owner, "part_total")
    )
    towns = {u.prefix: u.pk for u in ctx.units if u.kind == Unit.Kind.TOWN}
    by_department_id = {u.department_id: u for u in departments}
    by_industry: dict[int, list[ScoredUnit]] = defaultdict(list)
    for unit in departments:
        for industry_id in unit.industry_ids:
            by_industry[industry_id].append(unit)
    parts: dict[tuple, tuple[int, list[int]]] = {}
    for pk, part_place, owner_id, total in rows:
        parts.setdefault((str(part_place).zfill(place_length), owner_id), (total, []))[1].append(pk)
    counts: dict[int, int] = defaultdict(int)
    candidates: dict[int, list[int]] = defaultdict(list)
    for (part_place, owner_id), (total, pks) in parts.items():
        units = [towns[part_place[:TOWN_PREFIX]]] if part_place[:TOWN_PREFIX] in towns else []
        if department:
            if owner_id in by_department_id:
                units.append(by_department_id[owner_id].pk)
        else:
            units += [u.pk for u in by_industry.get(owner_id, ()) if part_place.startswith(u.prefix)]
        for unit_pk in units:
            counts[unit_pk] += total
            candidates[unit_pk] += pks
    kept = {unit_pk: heapq.nsmallest(REFERENCES_PER_UNIT, pks) for unit_pk, pks in candidates.items()}
    labelled = _labelled(queryset.model, {pk for pks in kept.values() for pk in pks}, label, fields, url_name)
    return {
        unit_pk: UnitFacts(counts[unit_pk], [labelled[pk] for pk in pks]) for unit_pk, pks in kept.items()
    }


def _labelled(model, pks: set[int], label, fields: tuple[str, ...], url_name: str) -> dict[int, dict]:
    """The reference (id, label, link) of each record, read by primary key in one query."""
    if not pks:
        return {}
    url = _url_for(url_name)
    rows = model._base_manager.filter(core_selectors.IdIn("pk", pks)).order_by().values("pk", *fields)
    return {row["pk"]: {"id": row["pk"], "label": label(row), "url": url(row["pk"])} for row in rows}


def _url_for(url_name: str) -> Callable[[int], str]:
    """`reverse(url_name, args=[pk])` for many pks: reversed once (with a stand-in pk), then filled in — a
    province's ≈1,500 units keep up to 20 records each per fact, and reverse() costs ≈ 0.1 ms."""
    stand_in = "918273645546372819"
    prefix, _stand_in, suffix = reverse(url_name, args=[int(stand_in)]).partition(stand_in)
    return lambda pk: f"{prefix}{pk}{suffix}"


# ---------------------------------------------------------------- accidents


def _accident_label(row: dict) -> str:
    return row["title"]


def _accidents(ctx: FactContext, grades) -> QuerySet:
    return accidents.accidents_between(ctx.low, ctx.high, ctx.first, min(ctx.last, ctx.as_of)).filter(
        grade__in=grades
    )


@provider("accidents.ordinary", gettext_lazy("一般生产安全事故（起）"))
def ordinary_accidents(ctx: FactContext) -> dict[int, UnitFacts]:
    return attribute(
        _accidents(ctx, accidents.ORDINARY_GRADES),
        ctx,
        label=_accident_label,
        fields=("title",),
        url_name="accidents:accident-detail",
    )


@provider("accidents.relatively_major", gettext_lazy("较大生产安全事故（起）"))
def relatively_major_accidents(ctx: FactContext) -> dict[int, UnitFacts]:
    return attribute(
        _accidents(ctx, accidents.RELATIVELY_MAJOR_GRADES),
        ctx,
        label=_accident_label,
        fields=("title",),
        url_name="accidents:accident-detail",
    )


@provider("accidents.major_or_above", gettext_lazy("重大及以上生产安全事故（起）"))
def major_accidents(ctx: FactContext) -> dict[int, UnitFacts]:
    return attribute(
        _accidents(ctx, accidents.MAJOR_OR_ABOVE),
        ctx,
        label=_accident_label,
        fields=("title",),
        url_name="accidents:accident-detail",
    )


@provider("accidents.misreported", gettext_lazy("瞒报、谎报生产安全事故（起）"))
def misreported_accidents(ctx: FactContext) -> dict[int, UnitFacts]:
    rows = accidents.accidents_between(ctx.low, ctx.high, ctx.first, min(ctx.last, ctx.as_of)).filter(
        pk__in=accidents.misreported_accident_ids()
    )
    return attribute(
        rows, ctx, label=_accident_label, fields=("title",), url_name="accidents:accident-detail"
    )


# ---------------------------------------------------------------- hazards


def _short(text: str, length: int = 40) -> str:
    """`Truncator(text).chars(length)`: the same text, without its two translation look-ups per call when the
    text is short enough to be kept whole (Truncator then returns its NFC form) — labels are made for every
    reference kept, up to 20 per unit and fact."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= length else Truncator(text).chars(length)


def _hazard_label(row: dict) -> str:
    return f"{row['number']} {_short(row['description'])}"


@provider("hazards.major_overdue", gettext_lazy("逾期未整改的重大事故隐患（项）"))
def overdue_major_hazards(ctx: FactContext) -> dict[int, UnitFacts]:
    return attribute(
        hazards.overdue_hazards_on(ctx.low, ctx.high, min(ctx.last, ctx.as_of), major_only=True),
        ctx,
        label=_hazard_label,
        fields=("number", "description"),
        url_name="hazards:hazard-detail",
        department="supervising_department_id",
    )


@provider("hazards.overdue", gettext_lazy("逾期未整改的事故隐患（项）"))
def overdue_hazards(ctx: FactContext) -> dict[int, UnitFacts]:
    return attribute(
        hazards.overdue_hazards_on(ctx.low, ctx.high, min(ctx.last, ctx.as_of)),
        ctx,
        label=_hazard_label,
        fields=("number", "description"),
        url_name="hazards:hazard-detail",
        department="supervising_department_id",
    )


@provider("hazards.closed", gettext_lazy("整改销号的事故隐患（项）"))
def closed_hazards(ctx: FactContext) -> dict[int, UnitFacts]:
    return attribute(
        hazards.hazards_closed_between(ctx.low, ctx.high, ctx.first, min(ctx.last, ctx.as_of)),
        ctx,
        label=_hazard_label,
        fields=("number", "description"),
        url_name="hazards:hazard-detail",
        department="supervising_department_id",
    )


def _problem_label(row: dict) -> str:
    return f"{row['hazard__number']} {Truncator(row['hazard__description']).chars(40)}"


@provider("problems.overdue", gettext_lazy("逾期未整改的督查问题（项）"))
def overdue_problems(ctx: FactContext) -> dict[int, UnitFacts]:
    """督查问题 whose hazard record is open and overdue on the cut-off day (the hazards' rule,
    `hazards.selectors.overdue_q`), counted against the assigned unit (the hazard's responsible unit) — not,
    as `hazards.overdue` does, against the department supervising the hazard's industry."""
    return per_unit(
        Problem.objects.annotate(
            region_id=F("hazard__region_id"), unit_id=F("hazard__responsible_unit_id")
        ).filter(hazards.overdue_q(min(ctx.last, ctx.as_of), "hazard__")),
        ctx,
        unit="unit_id",
        label=_problem_label,
        fields=("hazard__number", "hazard__description"),
        url_name="governance:problem-detail",
    )


# ---------------------------------------------------------------- inspections


def _inspection_label(row: dict) -> str:
    return f"{row['planned_on']:%Y-%m-%d} {row['enterprise__name'] or row['place']}"


def _recorded(ctx: FactContext) -> QuerySet:
    return inspections.inspections_recorded_between(ctx.low, ctx.high, ctx.first, min(ctx.last, ctx.as_of))


@provider("inspections.recorded", gettext_lazy("完成的监督检查（次）"))
def recorded_inspections(ctx: FactContext) -> dict[int, UnitFacts]:
    return attribute(
        _recorded(ctx),
        ctx,
        label=_inspection_label,
        fields=("planned_on", "enterprise__name", "place"),
        url_name="inspections:inspection-detail",
        department="department_id",
    )


@provider(
    "inspections.below_plan", gettext_lazy("监督检查未完成年度计划（参数：完成率%）"), (Unit.Kind.DEPARTMENT,)
)
def inspections_below_plan(ctx: FactContext) -> dict[int, UnitFacts]:
    """One occurrence for a department whose recorded inspections of the year fall below `threshold`% (default
    100) of its 年度监督检查计划; the reference states both numbers and links the inspections list."""
    rate = ctx.threshold if ctx.threshold is not None else 100
    by_department = {u.department_id: u for u in ctx.units}
    planned = inspections.planned_inspection_totals(ctx.year, list(by_department))
    done = dict(
        _recorded(ctx)
        .filter(department_id__in=list(planned))
        .values_list("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    out = {}
    for department_id, total in planned.items():
        count = done.get(department_id, 0)
        if count * 100 < total * rate:
            out[by_department[department_id].pk] = UnitFacts(
                1,
                [
                    {
                        "id": None,
                        "label": _("计划检查 %(plan)s 次，已检查 %(done)s 次")
                        % {"plan": total, "done": count},
                        "url": reverse("inspections:inspection-list")
                        + f"?department={department_id}&status=recorded",
                    }
                ],
            )
    return out


# ---------------------------------------------------------------- governance's own records (重点工作量分)


def per_unit(
    queryset: QuerySet,
    ctx: FactContext,
    *,
    unit: str,
    label: Callable[[dict], str],
    fields: tuple[str, ...],
    url_name: str,
    url_field: str = "pk",
) -> dict[int, UnitFacts]:
    """Count the queryset's rows per unit named by the foreign key `unit`, keeping each unit's first records,
    in one query (window counts, as `attribute`). Rows of units not being scored are left out."""
    scored = {u.pk for u in ctx.units}
    partition = [F(unit)]
    rows = (
        queryset.filter(region_id__gte=ctx.low, region_id__lte=ctx.high)
        .annotate(
            unit_rank=Window(RowNumber(), partition_by=partition, order_by=[F("pk").asc()]),
            unit_total=Window(Count("pk"), partition_by=partition),
        )
        .filter(unit_rank__lte=REFERENCES_PER_UNIT)
        .values("pk", unit, *fields, *(() if url_field == "pk" else (url_field,)), "unit_total")
        .order_by(unit, "pk")
    )
    out: dict[int, UnitFacts] = {}
    for row in rows:
        if row[unit] not in scored:
            continue
        facts = out.setdefault(row[unit], UnitFacts(row["unit_total"]))
        facts.records.append(
            {"id": row["pk"], "label": label(row), "url": reverse(url_name, args=[row[url_field]])}
        )
    return out


def _task_label(row: dict) -> str:
    return f"{row['due_on']:%Y-%m-%d} {row['title']}"


def _tasks(ctx: FactContext) -> QuerySet:
    return WorkTask.objects.filter(year=ctx.year)


def _task_facts(queryset: QuerySet, ctx: FactContext) -> dict[int, UnitFacts]:
    return per_unit(
        queryset,
        ctx,
        unit="unit_id",
        label=_task_label,
        fields=("due_on", "title"),
        url_name="governance:task-detail",
    )


@provider("duties.tasks_on_time", gettext_lazy("按期完成的工作任务（项）"))
def tasks_done_on_time(ctx: FactContext) -> dict[int, UnitFacts]:
    """The year's 工作任务清单 tasks the 安委办 confirmed done, reported on or before their due date and by the
    cut-off day."""
    return _task_facts(
        _tasks(ctx)
        .filter(status=WorkTask.Status.DONE, completed_on__lte=F("due_on"))
        .filter(completed_on__lte=ctx.as_of),
        ctx,
    )


@provider("duties.tasks_late", gettext_lazy("未按期完成的工作任务（项）"))
def tasks_not_done_on_time(ctx: FactContext) -> dict[int, UnitFacts]:
    """The year's tasks due before the cut-off day and not confirmed done by their due date: still open, or
    done late."""
    done_on_time = Q(status=WorkTask.Status.DONE, completed_on__lte=F("due_on"))
    return _task_facts(_tasks(ctx).filter(due_on__lt=ctx.as_of).exclude(done_on_time), ctx)


def _decision_label(row: dict) -> str:
    return f"{row['due_on']:%Y-%m-%d} {_short(row['decision__text'])}"


def _decision_facts(queryset: QuerySet, ctx: FactContext) -> dict[int, UnitFacts]:
    return per_unit(
        queryset.filter(due_on__gte=ctx.first, due_on__lte=ctx.last),
        ctx,
        unit="assignee_id",
        label=_decision_label,
        fields=("due_on", "decision__text"),
        url_name="governance:decision-task-detail",
    )


def _closed_on_time() -> Q:
    return Q(status=DecisionTask.Status.CLOSED, reported_day__lte=F("due_on"))


@provider("decisions.closed_on_time", gettext_lazy("按期办结的安委会议定事项（项）"))
def decisions_closed_on_time(ctx: FactContext) -> dict[int, UnitFacts]:
    """The 安委会 decisions due this year whose assignee reported completion by the due date and the 安委办
    confirmed the closure by the cut-off day."""
    return _decision_facts(
        DecisionTask.objects.annotate(
            reported_day=TruncDate("reported_at"), closed_day=TruncDate("closed_at")
        )
        .filter(_closed_on_time())
        .filter(closed_day__lte=ctx.as_of),
        ctx,
    )


@provider("decisions.late", gettext_lazy("逾期未办结的安委会议定事项（项）"))
def decisions_late(ctx: FactContext) -> dict[int, UnitFacts]:
    """The decisions due this year before the cut-off day that were not closed on time: still open, or
    reported after the due date."""
    return _decision_facts(
        DecisionTask.objects.annotate(reported_day=TruncDate("reported_at"))
        .filter(due_on__lt=ctx.as_of)
        .exclude(_closed_on_time()),
        ctx,
    )


def _card_label(row: dict) -> str:
    return row["card__title"]


@provider("campaigns.cards_reported_on_time", gettext_lazy("按时报送的专项整治月度任务完成情况（次）"))
def cards_reported_on_time(ctx: FactContext) -> dict[int, UnitFacts]:
    """Each monthly task card of this year a member unit reported on by the card's deadline (and the cut-off
    day)."""
    return per_unit(
        CardReport.objects.annotate(region_id=F("task__region_id"), reported_day=TruncDate("reported_at"))
        .filter(card__month__year=ctx.year, reported_day__lte=F("card__report_by"))
        .filter(reported_day__lte=ctx.as_of),
        ctx,
        unit="unit_id",
        label=_card_label,
        fields=("card__title",),
        url_name="governance:card-detail",
        url_field="card_id",
    )
