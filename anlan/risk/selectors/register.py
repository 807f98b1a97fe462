"""The risk register as a user's scope allows: points, their assessments, controls and checks, the site plan,
the county's grading setting, counts by level and enterprises' highest levels — each a scoped query or one SQL
aggregate (enterprise attribute `risk.highest_level`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, When

from anlan.core import rules as core_rules
from anlan.core.models import Enterprise, Region
from anlan.core.selectors import IdIn, access

from .. import rules
from ..models import ControlMeasure, GradingSettings, HazardCheck, RiskAssessment, RiskPoint, SitePlan

MANAGE = "risk.manage_register"
# Ids per query of the enterprise attribute: a province's 500k enterprises in a few dozen aggregates.
ID_CHUNK = 20_000
# At most this many enterprises on the county map (a province's users see the busiest first).
MAP_LIMIT = 3000

RANK = Case(
    *(When(level=level, then=rank) for level, rank in rules.LEVEL_RANK.items()),
    default=0,
    output_field=IntegerField(),
)


def point_list(user) -> QuerySet[RiskPoint]:
    return RiskPoint.objects.for_user(user).select_related("enterprise", "enterprise__region")


def access_point(user, pk, *, for_update: bool = False) -> RiskPoint:
    return access(
        RiskPoint.objects.select_related("enterprise", "enterprise__region"), user, pk, for_update=for_update
    )


def access_control(user, pk, *, for_update: bool = False) -> ControlMeasure:
    return access(
        ControlMeasure.objects.select_related("point", "point__enterprise"), user, pk, for_update=for_update
    )


def access_check(user, pk, *, for_update: bool = False) -> HazardCheck:
    return access(
        HazardCheck.objects.select_related("control", "control__point", "control__point__enterprise"),
        user,
        pk,
        for_update=for_update,
    )


def assessments_of(user, point: RiskPoint) -> QuerySet[RiskAssessment]:
    """The point's assessments, latest first (the first is the current one)."""
    return RiskAssessment.objects.for_user(user).filter(point=point).select_related("assessor")


def controls_of(user, point: RiskPoint) -> list[ControlMeasure]:
    return list(
        ControlMeasure.objects.for_user(user).filter(point=point).prefetch_related("checks").order_by("pk")
    )


def site_plan(user, enterprise: Enterprise) -> SitePlan | None:
    return SitePlan.objects.for_user(user).filter(enterprise=enterprise).first()


def county_of(region_code: str) -> str:
    """The county-level code above a region (a county's own code for a county)."""
    return core_rules.ancestor_code(region_code, Region.Level.COUNTY)


def ls_variant_for(enterprise: Enterprise) -> str:
    """The LS variant of the enterprise's county (§5: configurable per region; A when the county set none)."""
    return ls_variant_for_region(enterprise.region_id)


def ls_variant_for_region(region_code: str) -> str:
    code = county_of(region_code)
    variant = GradingSettings.objects.filter(region_id=code).values_list("ls_variant", flat=True).first()
    return variant or rules.LS_DEFAULT_VARIANT


def grading_settings_regions(user) -> QuerySet[Region]:
    """The counties whose grading the user may set: those in the scope of their 安委办 memberships."""
    return (
        Region.objects.for_user(user, "risk.configure_grading")
        .filter(level=Region.Level.COUNTY)
        .order_by("code")
    )


def level_counts(points: QuerySet[RiskPoint]) -> dict[str, int]:
    """Points by level (and `unassessed`, `total`) in one aggregate."""
    counts = points.order_by().aggregate(
        total=Count("pk"),
        unassessed=Count("pk", filter=Q(level="")),
        **{level: Count("pk", filter=Q(level=level)) for level in rules.LEVELS},
    )
    return counts


def highest_levels(enterprise_ids: Iterable[int]) -> dict[int, str]:
    """`risk.highest_level`: each enterprise's most severe current level, for enterprises with at least one
    assessed point (others are absent) — one aggregate per chunk of ids, whatever the number of points."""
    ids = sorted({int(pk) for pk in enterprise_ids})
    found: dict[int, str] = {}
    for start in range(0, len(ids), ID_CHUNK):
        rows = (
            RiskPoint.objects.filter(IdIn("enterprise_id", ids[start : start + ID_CHUNK]))
            .exclude(level="")
            .order_by()
            .values("enterprise_id")
            .annotate(rank=Max(RANK))
            .values_list("enterprise_id", "rank")
        )
        found.update((pk, rules.LEVEL_OF_RANK[rank]) for pk, rank in rows if rank)
    return found


def enterprise_levels(user) -> list[dict]:
    """The county map: enterprises in the user's scope with an assessed point, with their highest level and
    where they are (most severe first, at most MAP_LIMIT)."""
    rows = (
        RiskPoint.objects.for_user(user)
        .exclude(level="")
        .order_by()
        .values(
            "enterprise_id",
            "enterprise__name",
            "enterprise__longitude",
            "enterprise__latitude",
            "enterprise__region__name",
        )
        .annotate(rank=Max(RANK), points=Count("pk"))
        .order_by("-rank", "enterprise__name")[:MAP_LIMIT]
    )
    return [
        {
            "id": row["enterprise_id"],
            "name": row["enterprise__name"],
            "region": row["enterprise__region__name"],
            "lon": float(row["enterprise__longitude"]) if row["enterprise__longitude"] is not None else None,
            "lat": float(row["enterprise__latitude"]) if row["enterprise__latitude"] is not None else None,
            "level": rules.LEVEL_OF_RANK[row["rank"]],
            "colour": rules.COLOURS[rules.LEVEL_OF_RANK[row["rank"]]],
            "points": row["points"],
        }
        for row in rows
    ]


def enterprise_level_counts(user) -> dict[str, int]:
    """Enterprises in scope by their highest level: one grouped query over each enterprise's highest rank."""
    ranks = (
        RiskPoint.objects.filter(enterprise=OuterRef("pk"))
        .exclude(level="")
        .order_by()
        .values("enterprise")
        .annotate(rank=Max(RANK))
        .values("rank")
    )
    rows = (
        Enterprise.objects.for_user(user)
        .annotate(rank=Subquery(ranks))
        .exclude(rank=None)
        .order_by()
        .values("rank")
        .annotate(n=Count("pk"))
        .values_list("rank", "n")
    )
    counts = dict.fromkeys(rules.LEVELS, 0)
    for rank, n in rows:
        counts[rules.LEVEL_OF_RANK[rank]] = n
    return counts


def enterprises_needing_register(user) -> QuerySet[Enterprise]:
    """The 待办: the user's own enterprises (those they keep the register of) with no risk point yet, or with a
    point never assessed."""
    from anlan.core.permissions import has_right

    if not has_right(user, MANAGE):
        return Enterprise.objects.none()
    points = RiskPoint.objects.filter(enterprise=OuterRef("pk"))
    return (
        Enterprise.objects.for_user(user, MANAGE)
        .filter(~Exists(points) | Exists(points.filter(level="")))
        .annotate(
            unassessed=Count(
                "pk", filter=Q(pk__in=RiskPoint.objects.filter(level="").values("enterprise_id"))
            )
        )
        .order_by("name")
    )


def unassessed_counts(enterprise_ids: Iterable[int]) -> dict[int, int]:
    """Points never assessed, per enterprise (for the 待办's lines)."""
    rows = (
        RiskPoint.objects.filter(IdIn("enterprise_id", enterprise_ids), level="")
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values_list("enterprise_id", "n")
    )
    return dict(rows)
