"""Scoped reads. Out of scope is 404 (design.md §2): existence is never leaked by a 403."""

from __future__ import annotations

from django.db.models import Count, Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Department, Enterprise, Grid, Industry, Region


def access(queryset: QuerySet, user, pk, *, for_update: bool = False) -> Model:
    """The object with this key if the user may see it, else 404; optionally locked for update."""
    qs = queryset.for_user(user)
    if for_update:
        # Lock the record itself, not the rows it is joined to (PostgreSQL refuses FOR UPDATE on the
        # nullable side of an outer join, which select_related makes for optional foreign keys).
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("记录不存在或不在您的管辖范围内。")) from exc


def access_enterprise(user, pk, *, for_update: bool = False) -> Enterprise:
    return access(
        Enterprise.objects.select_related("region", "industry", "grid"), user, pk, for_update=for_update
    )


def access_region(user, pk, *, for_update: bool = False) -> Region:
    return access(Region.objects.select_related("parent"), user, pk, for_update=for_update)


def access_grid(user, pk, *, for_update: bool = False) -> Grid:
    return access(Grid.objects.select_related("region"), user, pk, for_update=for_update)


def access_department(user, pk, *, for_update: bool = False) -> Department:
    return access(Department.objects.select_related("region"), user, pk, for_update=for_update)


def enterprise_list(user) -> QuerySet:
    return Enterprise.objects.for_user(user).select_related("region", "industry")


def regions_for_choice(user, min_level: int = Region.Level.TOWN) -> QuerySet:
    """Regions a user may file records under (their scope), for select boxes."""
    return Region.objects.for_user(user).filter(level__gte=min_level).order_by("code")


def industry_tree() -> list[Industry]:
    """Industries in display order, with their depth for indentation."""
    items = list(Industry.objects.all())
    by_parent: dict[int | None, list[Industry]] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)
    ordered: list[Industry] = []

    def walk(parent_id, depth):
        for item in by_parent.get(parent_id, []):
            item.depth = depth
            ordered.append(item)
            walk(item.pk, depth + 1)

    walk(None, 0)
    return ordered


def enterprise_counts_by_status(user) -> dict[str, int]:
    rows = Enterprise.objects.for_user(user).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def with_contact_visibility(queryset: QuerySet, user) -> QuerySet:
    """Annotate `contact_visible`: whether this user may see the row's phone numbers unmasked (in SQL)."""
    from django.db.models import BooleanField, Case, Value, When

    from .permissions import has_right, roles_with_right
    from .scope import scope_q

    if not has_right(user, "core.view_contact"):
        return queryset.annotate(contact_visible=Value(False, output_field=BooleanField()))
    if user.is_superuser:
        return queryset.annotate(contact_visible=Value(True, output_field=BooleanField()))
    q = scope_q(user, queryset.model.scope, roles_with_right("core.view_contact"))
    return queryset.annotate(
        contact_visible=Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
