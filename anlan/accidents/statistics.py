"""四项指标 and the pyramid as SQL aggregates over the user's scope (design.md §2: never Python loops over rows).

Deaths count the missing (regulations.md §11); injuries are serious injuries including acute poisoning;
loss is summed in yuan and shown in 万元. Every breakdown answers the current period and the same period
last year in one query, with conditional aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from anlan.core import capacity, contract, trees
from anlan.core import rules as core_rules
from anlan.core import selectors as core_selectors
from anlan.core.filters import IndustryGrouping
from anlan.core.models import Region, Role

from . import rules
from .models import Accident, AccidentKind, AccidentType, MinorEvent, NearMissIncident, RegionEconomy

INDICATORS = ("accidents", "deaths", "injuries", "loss_wan")
# The hook a hazards module provides: `count(user, start, end, *, region, industry_ids, enterprise_id) -> int`.
HAZARD_COUNT_HOOK = "accidents.pyramid.hazard_count"


@dataclass(frozen=True)
class Period:
    """Local dates, both inclusive."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        low = timezone.make_aware(datetime.combine(self.start, time.min), tz)
        high = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), tz)
        return low, high

    @classmethod
    def default(cls, today: date) -> Period:
        """The period a statistic shows unless told otherwise: this year up to today."""
        return cls(date(today.year, 1, 1), today)

    def last_year(self) -> Period:
        return Period(rules.shift_year(self.start), rules.shift_year(self.end))

    @property
    def whole_year(self) -> int | None:
        """The year when the period is exactly one calendar year (the relative indicators need one)."""
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31):
            return self.start.year
        return None


def _in(period: Period, prefix: str = "") -> Q:
    low, high = period.bounds()
    return Q(**{f"{prefix}occurred_at__gte": low, f"{prefix}occurred_at__lt": high})


def counted_deaths_sql(prefix: str = ""):
    """`rules.counted_deaths` as an SQL expression: the sum of the rule's DEATH_FIGURES columns."""
    first, *rest = (F(f"{prefix}{name}") for name in rules.DEATH_FIGURES)
    return sum(rest, first)


def _aggregates() -> dict:
    """The four indicators as plain aggregates (grouped by period and key, so no per-aggregate filters)."""
    return {
        "n_accidents": Count("pk"),
        "n_deaths": Sum(counted_deaths_sql()),
        "n_injuries": Sum("serious_injuries"),
        "n_loss": Sum("direct_loss_yuan"),
    }


def _wan(yuan) -> Decimal:
    return (Decimal(yuan or 0) / 10000).quantize(Decimal("0.01"))


@dataclass
class Indicators:
    accidents: int = 0
    deaths: int = 0
    injuries: int = 0
    loss_wan: Decimal = Decimal("0.00")

    @classmethod
    def from_row(cls, row: dict) -> Indicators:
        return cls(row["n_accidents"], row["n_deaths"] or 0, row["n_injuries"] or 0, _wan(row["n_loss"]))

    def values(self) -> list:
        return [getattr(self, name) for name in INDICATORS]


@dataclass
class Row:
    """One line of a comparison: a label with this period's and last year's indicators."""

    key: str
    label: str
    current: Indicators
    previous: Indicators

    @property
    def trends(self) -> list[rules.Trend]:
        return [rules.trend(c, p) for c, p in zip(self.current.values(), self.previous.values(), strict=True)]

    @property
    def changes(self) -> list[Decimal | None]:
        return [
            rules.change_ratio(c, p)
            for c, p in zip(self.current.values(), self.previous.values(), strict=True)
        ]

    @property
    def summary(self) -> str:
        return rules.four_indicator_summary(self.trends)

    @property
    def double_decline(self) -> bool:
        c, p = self.current, self.previous
        return rules.double_decline(c.accidents, p.accidents, c.deaths, p.deaths)


@dataclass
class Filters:
    region: Region | None = None
    industry_ids: list[int] | None = None
    kind: str = ""
    enterprise_id: int | None = None


def anchor_region(user) -> Region | None:
    """The broadest region among the user's territorial or department memberships (for grouping and rates)."""
    territorial = frozenset(Role.values) - {Role.ENTERPRISE}
    regions = [m.anchor_region for m in capacity.capacities(user, roles=territorial) if m.anchor_region]
    return min(regions, key=lambda r: r.level) if regions else None


def report(
    user, period: Period, filters: Filters, total_label: str = "", grouping: str = IndustryGrouping.INDUSTRY
) -> dict:
    """The 四项指标 and their breakdowns that the statistics page, its export and the API show (SQL aggregates);
    `by_industry` groups by `grouping`: 行业领域 (the default) or GB/T 4754-2017 门类."""
    queryset = scoped(user, filters)
    parent = filters.region or anchor_region(user)
    return {
        "period": period,
        "grouping": grouping,
        "total": totals(queryset, period, total_label),
        "by_industry": by_industry(queryset, period, grouping),
        "by_region": by_region(queryset, period, parent),
        "by_type": by_type(queryset, period),
        "by_kind": by_kind(queryset, period),
        "by_month": by_month(queryset, period),
        "rates": relative_rates(queryset, period, parent),
    }


def scoped(user, filters: Filters, model=Accident) -> QuerySet:
    queryset = model.objects.for_user(user)
    if filters.region is not None:
        queryset = queryset.filter(trees.subtree_q("region_id", filters.region))
    if filters.industry_ids:
        queryset = queryset.filter(industry_id__in=filters.industry_ids)
    if filters.kind and model is Accident:
        queryset = queryset.filter(kind=filters.kind)
    if filters.enterprise_id:
        queryset = queryset.filter(enterprise_id=filters.enterprise_id)
    return queryset


def _both(queryset: QuerySet, period: Period) -> QuerySet:
    """Rows of this period or the same period last year (the only rows any comparison reads), each marked
    `is_current`; grouping by it gives both periods from one statement."""
    current = _in(period)
    return queryset.filter(current | _in(period.last_year())).annotate(
        is_current=Case(When(current, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def _rows(queryset: QuerySet, period: Period, group=None) -> dict:
    """{group value: (this period, last year)} from one GROUP BY (group, is_current) statement."""
    both = _both(queryset, period)
    if group is not None:
        both = both.annotate(group=group)
    names = ["is_current"] + (["group"] if group is not None else [])
    found: dict = {}
    for row in both.values(*names).annotate(**_aggregates()).order_by():
        pair = found.setdefault(row.get("group"), [Indicators(), Indicators()])
        pair[0 if row["is_current"] else 1] = Indicators.from_row(row)
    return found


def totals(queryset: QuerySet, period: Period, label: str = "") -> Row:
    current, previous = _rows(queryset, period).get(None, (Indicators(), Indicators()))
    return Row("total", label, current, previous)


def breakdown(queryset: QuerySet, period: Period, key, labels: dict) -> list[Row]:
    """Rows grouped by `key` (a field name or an expression), labelled from `labels`, largest first."""
    grouped = _rows(queryset, period, F(key) if isinstance(key, str) else key)
    rows = [
        Row(str(value), str(labels.get(value, value)), current, previous)
        for value, (current, previous) in grouped.items()
    ]
    return sorted(rows, key=lambda r: (-r.current.deaths, -r.current.accidents, r.key))


def by_industry(queryset: QuerySet, period: Period, grouping: str = IndustryGrouping.INDUSTRY) -> list[Row]:
    """By 行业领域, or by the GB/T 4754-2017 门类 of the accident's industry ("C 制造业"; 未归类 for none)."""
    from anlan.core.models import Industry

    if grouping == IndustryGrouping.SECTION:
        rows = breakdown(queryset, period, core_selectors.section_of(), core_selectors.section_labels())
        return sorted(rows, key=lambda r: (-r.current.deaths, -r.current.accidents, r.key == "", r.key))
    return breakdown(queryset, period, "industry_id", dict(Industry.objects.values_list("pk", "name")))


def by_type(queryset: QuerySet, period: Period) -> list[Row]:
    return breakdown(queryset, period, "type_code", dict(AccidentType.choices))


def by_kind(queryset: QuerySet, period: Period) -> list[Row]:
    return breakdown(queryset, period, "kind", dict(AccidentKind.choices))


def by_region(queryset: QuerySet, period: Period, parent: Region | None) -> list[Row]:
    """Grouped by the regions one level below `parent` (towns under a county; counties under a city …)."""
    level = min((parent.level if parent else Region.Level.COUNTY) + 1, Region.Level.VILLAGE)
    digits = core_rules.LEVEL_PREFIX_LENGTH[level]
    rows = breakdown(queryset, period, Substr("region_id", 1, digits), {})
    names = dict(Region.objects.filter(pk__in=[r.key.ljust(12, "0") for r in rows]).values_list("pk", "name"))
    for row in rows:
        row.label = names.get(row.key.ljust(12, "0"), row.key)
    return rows


def by_month(queryset: QuerySet, period: Period) -> list[Row]:
    """One row per month of the period, paired with the same month last year."""
    tz = timezone.get_current_timezone()
    grouped = (
        _both(queryset, period)
        .annotate(month=TruncMonth("occurred_at", tzinfo=tz))
        .values("month")
        .annotate(**_aggregates())
        .order_by()
    )
    found = {(r["month"].year, r["month"].month): Indicators.from_row(r) for r in grouped}
    rows, cursor = [], date(period.start.year, period.start.month, 1)
    while cursor <= period.end:
        rows.append(
            Row(
                f"{cursor:%Y-%m}",
                f"{cursor:%Y-%m}",
                found.get((cursor.year, cursor.month), Indicators()),
                found.get((cursor.year - 1, cursor.month), Indicators()),
            )
        )
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    return rows


@dataclass
class Rates:
    year: int | None = None
    region: Region | None = None
    gdp_yi: Decimal | None = None
    employment: int | None = None
    vehicles: int | None = None
    coal_wan_tonnes: Decimal | None = None
    per_100m_gdp: Decimal | None = None
    per_100k_workers: Decimal | None = None
    per_10k_vehicles: Decimal | None = None
    per_million_tonnes: Decimal | None = None
    note: str = ""
    vehicles_note: str = ""
    coal_note: str = ""


def coal_mining_industry_ids() -> frozenset[int]:
    """Industries coded in GB/T 4754 division 06 (煤炭开采和洗选业), with their sub-industries (a small
    reference table, read once per statistic)."""
    from anlan.core.models import Industry

    coded = [
        pk for pk, codes in Industry.objects.values_list("pk", "gb4754") if rules.covers_coal_mining(codes)
    ]
    return trees.industry_descendants(*coded) if coded else frozenset()


def relative_rates(queryset: QuerySet, period: Period, region: Region | None) -> Rates:
    """The four relative indicators of regulations.md §11 for a whole calendar year of a region with figures:
    亿元GDP死亡率, 工矿商贸十万就业人员死亡率, 道路交通事故万车死亡率 (road-traffic deaths) and 煤矿百万吨死亡率
    (deaths in coal-mining industries), deaths counted as everywhere (`counted_deaths_sql`), in one aggregate.
    Vehicles and coal output are optional: a missing one leaves its rate empty with a note."""
    from django.utils.translation import gettext as _

    rates = Rates(year=period.whole_year, region=region)
    if region is None or rates.year is None:
        rates.note = _("选择一个区划和一个完整自然年度时计算相对指标。")
        return rates
    figures = RegionEconomy.objects.filter(region=region, year=rates.year).first()
    names = {"region": region.name, "year": rates.year}
    if figures is None:
        rates.note = _("尚未录入%(region)s%(year)d年的地区生产总值和就业人员数。") % names
        return rates
    deaths = counted_deaths_sql()
    row = queryset.filter(_in(period)).aggregate(
        n_deaths=Coalesce(Sum(deaths), Value(0)),
        industrial=Coalesce(Sum(deaths, filter=Q(kind=AccidentKind.INDUSTRIAL)), Value(0)),
        road=Coalesce(Sum(deaths, filter=Q(kind=AccidentKind.ROAD_TRAFFIC)), Value(0)),
        coal=Coalesce(Sum(deaths, filter=Q(industry_id__in=coal_mining_industry_ids())), Value(0)),
    )
    rates.gdp_yi, rates.employment = figures.gdp_yi, figures.industrial_employment
    rates.vehicles, rates.coal_wan_tonnes = figures.motor_vehicles, figures.raw_coal_wan_tonnes
    rates.per_100m_gdp = rules.deaths_per_100m_gdp(row["n_deaths"], figures.gdp_yi)
    rates.per_100k_workers = rules.deaths_per_100k_workers(row["industrial"], figures.industrial_employment)
    rates.per_10k_vehicles = rules.deaths_per_10k_vehicles(row["road"], figures.motor_vehicles)
    rates.per_million_tonnes = rules.deaths_per_million_tonnes(row["coal"], figures.raw_coal_wan_tonnes)
    if rates.per_10k_vehicles is None:
        rates.vehicles_note = _("尚未录入%(region)s%(year)d年的机动车保有量，不计算万车死亡率。") % names
    if rates.per_million_tonnes is None:
        rates.coal_note = (
            _("%(region)s%(year)d年未录入原煤产量（无煤矿的地区不填），不计算百万吨死亡率。") % names
        )
    return rates


# Heinrich's pyramids (rules.HEINRICH, regulations.md §12): the variant the card shows unless asked otherwise.
DEFAULT_PYRAMID = "classic"


def layer_labels() -> dict[str, str]:
    """The one mapping of the HEINRICH layer keys to what the card and the chart call them."""
    from django.utils.translation import gettext as _

    return {
        "major_injury": _("死亡或重伤事故"),
        "minor_injury": _("轻伤和轻微事故"),
        "no_injury": _("无伤害事故和未遂事件"),
        "hazards_or_unsafe_acts": _("事故隐患或不安全行为"),
    }


def variant_label(variant: str) -> str:
    """A variant's name with its ratio written from the data (the template writes no ratio)."""
    from django.utils.translation import gettext as _

    ratio = ":".join(str(n) for n in rules.HEINRICH[variant].values())
    names = {"classic": _("海因里希法则"), "with_hazards": _("含隐患和不安全行为")}
    return _("%(name)s %(ratio)s") % {"name": names.get(variant, variant), "ratio": ratio}


@dataclass
class Layer:
    """One layer of the pyramid: the actual count (None when no module counts it) and what the ratio expects
    of it, scaled from the top layer's actual count."""

    key: str
    label: str
    ratio: int
    actual: int | None
    expected: int


@dataclass
class Pyramid:
    """Heinrich's pyramid of one variant (rules.HEINRICH): the actual count of each layer next to the ratio's
    expectation; the hazards layer comes from the module providing HAZARD_COUNT_HOOK."""

    variant: str = DEFAULT_PYRAMID
    serious: int = 0
    minor: int = 0
    no_injury: int = 0
    hazards: int | None = None
    layers: list[Layer] = field(default_factory=list)
    note: str = ""

    @property
    def label(self) -> str:
        return variant_label(self.variant)


def hazard_count(user, period: Period, filters: Filters) -> int | None:
    """Hazards found in the period, from the module providing the hook; None when none does (no layer)."""
    counter = contract.provided(HAZARD_COUNT_HOOK)
    if counter is None:
        return None
    return int(
        counter(
            user,
            period.start,
            period.end,
            region=filters.region,
            industry_ids=filters.industry_ids,
            enterprise_id=filters.enterprise_id,
        )
    )


def pyramid(user, period: Period, filters: Filters, variant: str = DEFAULT_PYRAMID) -> Pyramid:
    """The layers of `variant` counted in SQL: accidents with deaths or serious injuries; those with minor
    injuries only and 轻微事故; those without injury and 未遂事件; and (with_hazards) the hazards found."""
    from django.utils.translation import gettext as _

    accidents = (
        scoped(user, filters)
        .filter(_in(period))
        .annotate(counted_deaths=counted_deaths_sql())
        .aggregate(
            serious=Count("pk", filter=Q(counted_deaths__gt=0) | Q(serious_injuries__gt=0)),
            minor=Count("pk", filter=Q(counted_deaths=0, serious_injuries=0, minor_injuries__gt=0)),
            none=Count("pk", filter=Q(counted_deaths=0, serious_injuries=0, minor_injuries=0)),
        )
    )
    events = (
        scoped(user, filters, MinorEvent)
        .filter(_in(period))
        .aggregate(
            minor=Count("pk", filter=Q(kind=MinorEvent.Kind.MINOR)),
            near=Count("pk", filter=Q(kind=MinorEvent.Kind.NEAR_MISS)),
        )
    )
    ratios = rules.HEINRICH[variant]
    result = Pyramid(
        variant=variant,
        serious=accidents["serious"],
        minor=accidents["minor"] + events["minor"],
        no_injury=accidents["none"] + events["near"],
        hazards=hazard_count(user, period, filters) if "hazards_or_unsafe_acts" in ratios else None,
    )
    actual = {
        "major_injury": result.serious,
        "minor_injury": result.minor,
        "no_injury": result.no_injury,
        "hazards_or_unsafe_acts": result.hazards,
    }
    expected = rules.heinrich_expected(variant, result.serious)
    labels = layer_labels()
    result.layers = [
        Layer(key, labels[key], ratio, actual[key], expected[key]) for key, ratio in ratios.items()
    ]
    if "hazards_or_unsafe_acts" in ratios and result.hazards is None:
        result.note = _("未接入隐患排查治理模块，无法统计事故隐患数。")
    return result


def pyramid_variants() -> list[tuple[str, str]]:
    return [(variant, variant_label(variant)) for variant in rules.HEINRICH]


def near_miss_count(user, period: Period, filters: Filters) -> int:
    """较大涉险事故 in the period: counted on their own, never in the 四项指标 of accidents (21号令 第二十六条)."""
    return scoped(user, filters, NearMissIncident).filter(_in(period)).count()
