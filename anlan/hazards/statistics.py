"""The statistics page: every figure is a SQL aggregate over the user's scoped, filtered hazards."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from anlan.core import selectors as core_selectors
from anlan.core.filters import IndustryGrouping
from anlan.core.models import Industry, Region
from anlan.core.rules import LEVEL_PREFIX_LENGTH
from anlan.core.scope import memberships_of

from . import rules, selectors
from .models import Hazard


def home_region(user) -> Region | None:
    """The highest region of the user's jurisdiction: where the drill-down starts."""
    regions = [m.anchor_region for m in memberships_of(user) if m.anchor_region is not None]
    if not regions and user.is_superuser:
        return Region.objects.filter(level=Region.Level.PROVINCE).order_by("code").first()
    return min(regions, key=lambda r: (r.level, r.code)) if regions else None


def region_breakdown(queryset: QuerySet, parent: Region | None, today: date) -> list[dict]:
    """Found / closed / overdue for each child region of `parent` (one grouped query), with 整改率."""
    if parent is None or parent.level >= Region.Level.VILLAGE:
        return []
    length = LEVEL_PREFIX_LENGTH[parent.level + 1]
    grouped = selectors.by_region_prefix(queryset, length, today)
    rows = []
    for child in parent.children.order_by("code"):
        figures = grouped.get(child.code[:length], {"found": 0, "closed": 0, "overdue": 0})
        rows.append(
            {
                "region": child,
                "found": figures["found"],
                "closed": figures["closed"],
                "overdue": figures["overdue"],
                "rate": rules.rate(figures["closed"], figures["found"]),
            }
        )
    return rows


def _labelled(rows: list[dict], field: str, choices) -> list[dict]:
    labels = dict(choices)
    return [{"name": str(labels.get(row[field], row[field])), "value": row["n"]} for row in rows]


def by_industry(queryset: QuerySet, grouping: str = IndustryGrouping.INDUSTRY) -> list[dict]:
    """Hazards per 行业领域, or per GB/T 4754-2017 门类 of their industry (A to T, then 未归类 for an industry
    without one): one grouped query."""
    if grouping == IndustryGrouping.SECTION:
        labels = core_selectors.section_labels()
        rows = selectors.counts_by(
            queryset.annotate(industry_section=core_selectors.section_of()), "industry_section"
        )
        rows.sort(key=lambda row: row["industry_section"] == "")
        return [{"name": labels[row["industry_section"]], "value": row["n"]} for row in rows]
    industries = dict(Industry.objects.values_list("pk", "name"))
    return [
        {"name": industries.get(row["industry_id"], "—"), "value": row["n"]}
        for row in selectors.counts_by(queryset, "industry_id")
    ]


def aggregates(
    queryset: QuerySet, parent: Region | None, today: date, grouping: str = IndustryGrouping.INDUSTRY
) -> dict:
    """Every figure of the page except the overdue list: totals, breakdowns, trend and regions (SQL aggregates);
    the industry breakdown by `grouping` (行业领域 or 门类)."""
    totals = selectors.totals(queryset, today)
    monthly = selectors.monthly(queryset)
    charts = {
        "status": _labelled(selectors.counts_by(queryset, "status"), "status", Hazard.Status.choices),
        "grade": _labelled(selectors.counts_by(queryset, "grade"), "grade", Hazard.Grade.choices),
        "source": _labelled(selectors.counts_by(queryset, "source"), "source", Hazard.Source.choices),
        "industry": sorted(by_industry(queryset, grouping), key=lambda r: -r["value"]),
        "months": [row["month"].strftime("%Y-%m") for row in monthly if row["month"]],
        "found": [row["found"] for row in monthly if row["month"]],
        "closed": [row["closed"] for row in monthly if row["month"]],
        "labels": {"found": _("发现"), "closed": _("已销号")},
    }
    return {
        "totals": totals,
        "rectification_rate": rules.rate(totals["closed"], totals["found"]),
        "on_time_rate": rules.rate(totals["closed_on_time"], totals["due_in_period"]),
        "charts": charts,
        "regions": region_breakdown(queryset, parent, today),
    }


def page(
    user, queryset: QuerySet, parent: Region | None, today: date, grouping: str = IndustryGrouping.INDUSTRY
) -> dict:
    """The statistics page's figures for `parent` (default: the user's home region); `up` is the region one
    level higher while that is still inside the user's jurisdiction, else None (no link above the scope)."""
    home = home_region(user)
    parent = parent or home
    up = None
    if parent is not None and home is not None and parent.code != home.code and parent.parent_id:
        up = parent.parent_id if home.contains(parent.parent_id) else None
    overdue = (
        queryset.filter(selectors.overdue_q(today))
        .select_related("enterprise", "region")
        .order_by("due_on", "id")[:20]
    )
    return {
        **aggregates(queryset, parent, today, grouping),
        "grouping": grouping,
        "parent": parent,
        "up": up,
        "overdue_list": overdue,
        "today": today,
    }
