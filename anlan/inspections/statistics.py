"""Statistics of inspections and enforcement: SQL aggregates over the user's scope, never loops over rows."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from anlan.core import selectors as core_selectors
from anlan.core.filters import IndustryGrouping
from anlan.core.models import Enterprise, Industry

from . import rules
from .models import Answer, EnforcementAction, Inspection, InspectionPlan, RiskLevel, ScoreEntry, Suspension


def _year(year: int) -> Q:
    return Q(planned_on__gte=date(year, 1, 1), planned_on__lte=date(year, 12, 31))


def plan_progress(user, plans: list[InspectionPlan]) -> list[dict]:
    """Each plan with its department's recorded inspections of that year in the user's scope, per month,
    against the plan."""
    today = timezone.localdate()
    rows = []
    keys = {(p.department_id, p.year) for p in plans}
    done: dict[tuple, dict[int, int]] = {}
    if keys:
        years = {y for _d, y in keys}
        counts = (
            Inspection.objects.for_user(user)
            .filter(
                department_id__in={d for d, _y in keys},
                status=Inspection.Status.RECORDED,
                planned_on__gte=date(min(years), 1, 1),
                planned_on__lte=date(max(years), 12, 31),
            )
            .values("department_id", "planned_on__year")
            .annotate(month=ExtractMonth("planned_on"), n=Count("id"))
        )
        for row in counts:
            done.setdefault((row["department_id"], row["planned_on__year"]), {})[row["month"]] = row["n"]
    for plan in plans:
        months = done.get((plan.department_id, plan.year), {})
        monthly_done = [months.get(m, 0) for m in range(1, 13)]
        total_done = sum(monthly_done)
        expected = rules.planned_to_date(plan.monthly_counts, today, plan.year)
        rows.append(
            {
                "plan": plan,
                "planned": plan.planned_total,
                "expected": expected,
                "done": total_done,
                "monthly_done": monthly_done,
                "quarterly_done": rules.quarterly(monthly_done),
                "progress": rules.progress(total_done, plan.planned_total),
                "behind": total_done < expected,
            }
        )
    return rows


def by_department(user, year: int) -> list[dict]:
    """Inspections per department this year (planned, recorded) against the department's plan."""
    counts = (
        Inspection.objects.for_user(user)
        .filter(_year(year), department__isnull=False)  # towns' and leaders' own checks have none
        .values("department_id", "department__name")
        .annotate(
            total=Count("id"),
            recorded=Count("id", filter=Q(status=Inspection.Status.RECORDED)),
            unannounced=Count("id", filter=Q(kind=Inspection.Kind.UNANNOUNCED)),
        )
        .order_by("department__name")
    )
    plans = {
        p.department_id: p.planned_total
        for p in InspectionPlan.objects.for_user(user)
        .filter(year=year)
        .only("department_id", "monthly_counts")
    }
    return [
        {
            **row,
            "planned": plans.get(row["department_id"], 0),
            "progress": rules.progress(row["recorded"], plans.get(row["department_id"], 0)),
        }
        for row in counts
    ]


def by_industry(user, year: int, grouping: str = IndustryGrouping.INDUSTRY) -> list[dict]:
    """Inspections this year per 行业领域, or per GB/T 4754-2017 门类 of their industry ("C 制造业"; 未归类 for
    an industry without one): one grouped statement, most inspections first (未归类 last on a tie)."""
    if grouping == IndustryGrouping.SECTION:
        key, labels = core_selectors.section_of(), core_selectors.section_labels()
    else:
        key, labels = F("industry_id"), dict(Industry.objects.values_list("pk", "name"))
    rows = (
        Inspection.objects.for_user(user)
        .filter(_year(year))
        .annotate(group=key)
        .values("group")
        .annotate(
            total=Count("id"),
            recorded=Count("id", filter=Q(status=Inspection.Status.RECORDED)),
            unannounced=Count("id", filter=Q(kind=Inspection.Kind.UNANNOUNCED)),
        )
        .order_by()
    )
    result = [{**row, "label": str(labels.get(row["group"], row["group"]))} for row in rows]
    return sorted(result, key=lambda r: (-r["total"], r["group"] == "", r["label"]))


def risk_case():
    """The risk level of rules.risk_level as SQL over the enterprise's flags and industry (root) code."""
    high = Q(industry__code__in=rules.HIGH_RISK_ROOTS) | Q(industry__parent__code__in=rules.HIGH_RISK_ROOTS)
    medium = Q(industry__code__in=rules.MEDIUM_RISK_ROOTS) | Q(
        industry__parent__code__in=rules.MEDIUM_RISK_ROOTS
    )
    return Case(
        When(has_major_hazard_source=True, then=Value(rules.RISK_MAJOR)),
        When(high | Q(is_crowded_place=True), then=Value(rules.RISK_HIGH)),
        When(medium, then=Value(rules.RISK_MEDIUM)),
        default=Value(rules.RISK_LOW),
        output_field=CharField(),
    )


def coverage(user, year: int) -> list[dict]:
    """Share of the operating enterprises in scope inspected (recorded) this year, by risk level."""
    inspected = Inspection.objects.filter(
        _year(year), enterprise=OuterRef("pk"), status=Inspection.Status.RECORDED
    )
    rows = (
        Enterprise.objects.for_user(user)
        .exclude(status__in=[Enterprise.Status.CLOSED, Enterprise.Status.DEREGISTERED])
        .annotate(risk=risk_case(), seen=Exists(inspected))
        .values("risk")
        .annotate(total=Count("id"), inspected=Count("id", filter=Q(seen=True)))
    )
    found = {row["risk"]: row for row in rows}
    result = []
    for value, label in RiskLevel.choices:
        row = found.get(value, {"total": 0, "inspected": 0})
        result.append(
            {
                "risk": value,
                "label": label,
                "total": row["total"],
                "inspected": row["inspected"],
                "share": rules.progress(row["inspected"], row["total"]),
            }
        )
    return result


# Enterprises whose colour is read a query (the kernel attribute `credit.colour`).
COLOUR_CHUNK = 5000


def coverage_by_colour(user, year: int) -> list[dict]:
    """The operating enterprises in scope by their approved five-colour rating (read through the kernel
    attribute `credit.colour`; inspections never imports credit): how many, how many inspected (recorded) this
    year, the inspections recorded, and the inspections a year the colour asks for (rules.
    COLOUR_INSPECTIONS_PER_YEAR, Anlan's default). Unrated enterprises form their own row. The enterprise ids
    are walked in chunks, so memory stays flat."""
    from django.db.models import Subquery
    from django.db.models.functions import Coalesce

    from anlan.core import contract

    done = (
        Inspection.objects.filter(_year(year), enterprise=OuterRef("pk"), status=Inspection.Status.RECORDED)
        .order_by()
        .values("enterprise")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Enterprise.objects.for_user(user)
        .exclude(status__in=[Enterprise.Status.CLOSED, Enterprise.Status.DEREGISTERED])
        .annotate(done=Coalesce(Subquery(done), 0))
        .order_by()
        .values_list("pk", "done")
    )
    totals = {colour: {"total": 0, "inspected": 0, "inspections": 0} for colour in (*rules.COLOURS, "")}

    def add(batch):
        colours = contract.enterprise_attribute("credit.colour", [pk for pk, _n in batch])
        for pk, n in batch:
            row = totals[colours.get(pk) if colours.get(pk) in rules.COLOUR_WEIGHTS else ""]
            row["total"] += 1
            row["inspected"] += 1 if n else 0
            row["inspections"] += n

    batch = []
    for pair in rows.iterator(chunk_size=COLOUR_CHUNK):
        batch.append(pair)
        if len(batch) == COLOUR_CHUNK:
            add(batch)
            batch = []
    if batch:
        add(batch)
    result = []
    for colour, row in totals.items():
        per_year = rules.COLOUR_INSPECTIONS_PER_YEAR.get(colour)
        result.append(
            {
                "colour": colour,
                "label": rules.COLOUR_LABELS[colour],
                **row,
                "share": rules.progress(row["inspected"], row["total"]),
                "per_year": per_year,
                "expected": round(per_year * row["total"], 1) if per_year is not None else None,
            }
        )
    return result


def findings(user, year: int) -> dict:
    """Recorded inspections this year, their 不符合 answers and the hazards they opened."""
    inspections = Inspection.objects.for_user(user).filter(_year(year), status=Inspection.Status.RECORDED)
    answers = Answer.objects.filter(
        inspection__in=inspections.values("pk"), result=Answer.Result.NON_COMPLIANT
    ).aggregate(findings=Count("id"), major=Count("id", filter=Q(grade="major")))
    total = inspections.count()
    per = round(answers["findings"] / total, 2) if total else 0
    return {"inspections": total, **answers, "per_inspection": per}


def enforcement(user, year: int) -> dict:
    """Enforcement actions this year by kind, with the fines and confiscations imposed."""
    actions = (
        EnforcementAction.objects.for_user(user)
        .filter(issued_on__year=year)
        .exclude(status=EnforcementAction.Status.REVOKED)
    )
    by_kind = {row["kind"]: row["n"] for row in actions.values("kind").annotate(n=Count("id"))}
    totals = actions.aggregate(
        fines=Sum("amount", filter=Q(kind=EnforcementAction.Kind.FINE)),
        confiscated=Sum("amount", filter=Q(kind=EnforcementAction.Kind.CONFISCATION)),
    )
    return {
        "rows": [
            {"kind": v, "label": label, "n": by_kind.get(v, 0)} for v, label in EnforcementAction.Kind.choices
        ],
        "total": sum(by_kind.values()),
        "fines": totals["fines"] or 0,
        "confiscated": totals["confiscated"] or 0,
    }


def suspensions(user) -> dict:
    """Suspended enterprises and where their resumption stands; 擅自复产 flags."""
    queryset = Suspension.objects.for_user(user)
    by_status = {row["status"]: row["n"] for row in queryset.values("status").annotate(n=Count("id"))}
    return {
        "rows": [
            {"status": v, "label": label, "n": by_status.get(v, 0)} for v, label in Suspension.Status.choices
        ],
        "unauthorised": queryset.filter(unauthorised_production_at__isnull=False).count(),
    }


def current_scores(user) -> dict[int, int]:
    """Each scored person's points in the current cycle."""
    start, _end = rules.cycle_of(timezone.localdate())
    rows = (
        ScoreEntry.objects.for_user(user)
        .filter(cycle_start=start)
        .values("person_id")
        .annotate(total=Sum("points"))
    )
    return {row["person_id"]: row["total"] for row in rows}
