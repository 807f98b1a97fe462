"""Scoped reads of the five-colour rating: a rating by id (404 out of scope), the list and its counts by
colour, the approval queue, an enterprise's rating and history, a county's criteria, and the approved colour
other modules read through the kernel attribute `credit.colour`."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from anlan.core import rules as core_rules
from anlan.core.models import Region
from anlan.core.scope import memberships_of
from anlan.core.selectors import IdIn, access

from .. import rules
from ..models import Colour, Rating, RatingConfig, RatingHistory

# The attribute provider reads at most this many ids a query (a province's draw pool is read in parts).
ATTRIBUTE_CHUNK = 10000


def access_rating(user, pk, *, for_update: bool = False) -> Rating:
    return access(Rating.objects.select_related("enterprise"), user, pk, for_update=for_update)


def rating_list(user, action: str | None = None) -> QuerySet:
    return (
        Rating.objects.for_user(user, action)
        .select_related("enterprise", "enterprise__region", "enterprise__industry")
        .exclude(colour="")
    )


def pending_for(user, action: str) -> QuerySet:
    """Pending ratings on which the user may do `action` (the approval queue)."""
    return Rating.objects.for_user(user, action).filter(status=Rating.Status.PENDING)


def approval_queue(user, action: str) -> QuerySet:
    return pending_for(user, action).exclude(colour="").select_related("enterprise", "enterprise__region")


def colour_counts(queryset: QuerySet, field: str = "colour") -> list[dict]:
    """How many ratings of the queryset have each colour (one grouped query), worst colour first."""
    found = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [
        {"colour": value, "label": label, "count": found.get(value, 0)} for value, label in Colour.choices
    ]


def rating_of(user, enterprise) -> Rating | None:
    return Rating.objects.for_user(user).filter(enterprise=enterprise).first()


def history_of(user, enterprise, limit: int = 20) -> list[RatingHistory]:
    return list(
        RatingHistory.objects.for_user(user).filter(enterprise=enterprise).select_related("actor")[:limit]
    )


def shows_pending(user) -> bool:
    """Enterprise users see their approved (published) colour only; supervisors see the computed one too."""
    return any(m.role != "enterprise" for m in memberships_of(user)) or user.is_superuser


def county_of(code: str) -> Region | None:
    length = core_rules.LEVEL_PREFIX_LENGTH[Region.Level.COUNTY]
    return Region.objects.filter(pk=code[:length].ljust(core_rules.REGION_CODE_LENGTH, "0")).first()


def config_row(region: Region) -> RatingConfig | None:
    return RatingConfig.objects.filter(region=region).select_related("updated_by").first()


def config_rules(region: Region) -> rules.RatingConfig:
    row = config_row(region)
    return row.to_rules() if row else rules.DEFAULT_CONFIG


def approved_colours(enterprise_ids) -> dict[int, str]:
    """Kernel attribute `credit.colour`: the approved colour of each rated enterprise (unrated ids absent)."""
    ids = sorted({int(pk) for pk in enterprise_ids})
    found: dict[int, str] = {}
    for start in range(0, len(ids), ATTRIBUTE_CHUNK):
        part = ids[start : start + ATTRIBUTE_CHUNK]
        found.update(
            Rating.objects.filter(IdIn("enterprise_id", part))
            .exclude(approved_colour="")
            .values_list("enterprise_id", "approved_colour")
        )
    return found
