"""转移避险 as a user's scope allows: the towns' evacuations of a warning with their 应转必转 rate, a town's
households, the unmoved ones (the town's 待办), and the rate of a warning as a whole (a public, system read)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from anlan.core.selectors import access

from .. import rules
from ..models import Evacuation, Household

EVACUATE = "warnings.evacuate"
MOVED_Q = Q(households__status__in=[rules.MOVED, rules.RETURNED])


def evacuation_list(user) -> QuerySet[Evacuation]:
    """Evacuations with their counts (people to move, moved, households still to move): SQL aggregates."""
    return (
        Evacuation.objects.for_user(user)
        .select_related("town", "warning")
        .annotate(
            to_move=Coalesce(Sum("households__people"), 0),
            moved=Coalesce(Sum("households__people", filter=MOVED_Q), 0),
            unmoved=Count("households", filter=Q(households__status=rules.TO_MOVE)),
        )
    )


def with_rates(evacuations) -> list[Evacuation]:
    """The page's evacuations, each with `rate` (rules.evacuation_rate of its annotated counts)."""
    rows = list(evacuations)
    for row in rows:
        row.rate = rules.evacuation_rate(row.moved, row.to_move)
    return rows


def access_evacuation(user, pk, *, for_update: bool = False) -> Evacuation:
    return access(Evacuation.objects.select_related("town", "warning"), user, pk, for_update=for_update)


def access_household(user, pk, *, for_update: bool = False) -> Household:
    return access(
        Household.objects.select_related("evacuation", "evacuation__warning", "evacuation__town", "point"),
        user,
        pk,
        for_update=for_update,
    )


def households(user, evacuation: Evacuation) -> QuerySet[Household]:
    return (
        Household.objects.for_user(user)
        .filter(evacuation=evacuation)
        .select_related("point", "shelter")
        .order_by("status", "point_id", "pk")
    )


def totals(queryset: QuerySet[Household]) -> dict:
    """People to move, moved and households still to move in `queryset`, and the rate (one aggregate)."""
    counts = queryset.aggregate(
        to_move=Coalesce(Sum("people"), 0),
        moved=Coalesce(Sum("people", filter=Q(status__in=[rules.MOVED, rules.RETURNED])), 0),
        unmoved=Count("pk", filter=Q(status=rules.TO_MOVE)),
    )
    return {**counts, "rate": rules.evacuation_rate(counts["moved"], counts["to_move"])}


def scoped_totals(user, warning) -> dict:
    """The warning's 转移避险 within the user's scope (a town sees its own)."""
    return totals(Household.objects.for_user(user).filter(evacuation__warning=warning))


def rate(warning) -> dict:
    """The warning's 应转必转 over every town — to_move, moved, unmoved (households), rate — for the warning's
    page (public: `anlan.warnings.selectors.evacuation.rate(warning)`)."""
    return totals(Household.objects.filter(evacuation__warning=warning))


def unmoved(user, warning=None) -> QuerySet[Household]:
    """Households still to move, in the user's scope (optionally of one warning)."""
    rows = Household.objects.for_user(user).filter(status=rules.TO_MOVE)
    if warning is not None:
        rows = rows.filter(evacuation__warning=warning)
    return rows.select_related("evacuation__town", "evacuation__warning", "point").order_by(
        "evacuation__town_id", "point_id", "pk"
    )


def my_unmoved(user) -> QuerySet[Household]:
    """The 待办: households still to move under a standing warning, for those who register the moves."""
    from anlan.core.permissions import has_right

    if not has_right(user, EVACUATE):
        return Household.objects.none()
    return Household.objects.for_user(user, EVACUATE).filter(
        status=rules.TO_MOVE, evacuation__warning__status=rules.ISSUED
    )
