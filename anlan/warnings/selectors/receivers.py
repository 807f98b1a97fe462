"""人员密集场所 and their warning receivers (突发事件应对法 第六十五条), as the user's scope allows."""

from __future__ import annotations

from django.db.models import QuerySet

from anlan.core.models import Enterprise
from anlan.core.selectors import access, with_contact_visibility


def places(user) -> QuerySet[Enterprise]:
    """The 人员密集场所 a user sees, each with its receiver (or none yet) and whether its phone shows unmasked."""
    rows = Enterprise.objects.for_user(user).filter(is_crowded_place=True)
    return with_contact_visibility(rows, user).select_related("region", "warning_receiver")


def access_place(user, pk) -> Enterprise:
    return access(
        Enterprise.objects.filter(is_crowded_place=True).select_related("warning_receiver"), user, pk
    )
