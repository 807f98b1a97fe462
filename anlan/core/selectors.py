"""Scoped reads. Out of scope is 404 (design.md §2): existence is never leaked by a 403."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import BooleanField, CharField, Count, F, Model, Q, QuerySet, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import contract, rules, trees
from .capacity import own_enterprise_ids
from .models import Department, Enterprise, Grid, Industry, Licence, LicenceChange, Region


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
        Enterprise.objects.select_related("region", "industry", "grid", "principal"),
        user,
        pk,
        for_update=for_update,
    )


def access_region(user, pk, *, for_update: bool = False) -> Region:
    return access(Region.objects.select_related("parent"), user, pk, for_update=for_update)


def access_grid(user, pk, *, for_update: bool = False) -> Grid:
    return access(Grid.objects.select_related("region"), user, pk, for_update=for_update)


def access_department(user, pk, *, for_update: bool = False) -> Department:
    return access(Department.objects.select_related("region"), user, pk, for_update=for_update)


def enterprise_list(user) -> QuerySet:
    return Enterprise.objects.for_user(user).select_related("region", "industry", "principal")


def enterprise_choices(user, query: str, *, limit: int = rules.PICKER_LIMIT) -> list[Enterprise]:
    """What a picker offers for the typed `query`, from the user's scope only, best first: names starting
    with it (by name), then pinyin initials starting with it (by initials), then credit codes starting with
    it (by code), then names containing it (by region, then name); at most `limit`. Nothing for an empty query.

    One query per kind, each stopping at the places still free, so a query that prefixes fill never scans
    for contained text. Each prefix is read as a range in the order of an index (initials and codes: the
    covering indexes enterprise_initials_region and enterprise_uscc_region), so the walk stops at the
    `limit`-th match in scope. Contained text walks the scope's part of enterprise_region_name in its order, to
    the end when fewer than `limit` names match (bench/README.md, "Pickers"; pg_trgm on PostgreSQL).
    """
    query = rules.picker_query(query)
    if not query:
        return []
    kinds = [(_name_prefix(query), ("name", "pk"))]
    initials = rules.initials_query(query)
    if initials:
        kinds.append(
            (_range("name_initials", initials, rules.initials_prefix_end(initials)), ("name_initials", "pk"))
        )
    uscc = rules.uscc_query(query)
    if uscc:
        kinds.append((_range("uscc", uscc, rules.uscc_prefix_end(uscc)), ("uscc",)))
    # In the order of enterprise_region_name (by place, then name): the walk stops at the limit-th match.
    kinds.append((Q(name__contains=query), ("region_id", "name", "pk")))
    scoped = Enterprise.objects.for_user(user)
    found: list[int] = []
    for condition, order in kinds:
        if len(found) >= limit:
            break
        matches = scoped.filter(condition).exclude(pk__in=found).order_by(*order)
        found += matches.values_list("pk", flat=True)[: limit - len(found)]
    rows = Enterprise.objects.select_related("region__parent").in_bulk(found)
    return [rows[pk] for pk in found]


def _range(field: str, low: str, end: str) -> Q:
    return Q(**{f"{field}__gte": low, f"{field}__lt": end}) if end else Q(**{f"{field}__gte": low})


def _name_prefix(text: str) -> Q:
    """Names starting with `text`. SQLite's LIKE ignores ASCII case, so no index serves it there; the range of
    code points does (exact in SQLite's BINARY order). PostgreSQL's LIKE 'text%' uses the name's pattern
    index (varchar_pattern_ops, made with db_index), where a range would follow the linguistic collation."""
    if connection.vendor == "sqlite":
        return _range("name", text, rules.text_prefix_end(text))
    return Q(name__startswith=text)


class IdIn(Expression):
    """`field IN ids` for tens of thousands of integer ids, bound as ONE parameter: `filter(IdIn("pk", ids))`.
    No placeholder per id to build, convert and parse (≈ 0.1 s per 10,000 on PostgreSQL) and no bound-parameter
    limit (SQLite's default is 32,766). PostgreSQL compares with `= ANY` over an array (its index scan takes the
    ids in order), bound as the array's text form (psycopg adapting a list of 5,000 ints costs ≈ 3 ms); SQLite
    reads a JSON list.

    Dense ids — a keyset walk's chunk, where few ids of the span are missing — are sent as their range and the
    holes (`field BETWEEN low AND high AND NOT field IN holes`): the same rows, a fraction of the text to build
    and parse (the rating job makes four such queries per chunk of 5,000 enterprises)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, ids: Iterable[int]):
        super().__init__()
        self.column = F(field)
        self.ids = sorted(set(map(int, ids)))

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def _dense(self) -> tuple[int, int, list[int]] | None:
        """(low, high, the ids missing between them) when there are fewer holes than ids, else None."""
        if not self.ids:
            return None
        low, high = self.ids[0], self.ids[-1]
        if high - low + 1 > 2 * len(self.ids):
            return None
        return low, high, sorted(set(range(low, high + 1)).difference(self.ids))

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        dense = self._dense()
        if dense is None:
            listed, ids = _member(column, self.ids, connection)
            return listed, [*params, *ids]
        low, high, holes = dense
        between, bounds = f"{column} BETWEEN %s AND %s", [*params, low, high]
        if not holes:
            return between, bounds
        listed, ids = _member(column, holes, connection)
        return f"({between} AND NOT {listed})", [*bounds, *params, *ids]


def _member(column: str, ids: list[int], connection) -> tuple[str, list]:
    """`column` among `ids`, the ids bound as one parameter: PostgreSQL's array text, SQLite's JSON list."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


def regions_for_choice(user, min_level: int = Region.Level.TOWN) -> QuerySet:
    """Regions a user may file records under (their scope), for select boxes."""
    return Region.objects.for_user(user).filter(level__gte=min_level).order_by("code")


def industry_tree() -> list[Industry]:
    """Industries in display order, with their depth for indentation (`trees.industry_tree`)."""
    return trees.industry_tree()


def section_of(industry_path: str = "industry"):
    """The GB/T 4754-2017 门类 of a record's industry as an SQL expression to group by: "" when the record has
    no industry or its industry no section, so both fall in one 未归类 group."""
    return Coalesce(F(f"{industry_path}__section"), Value(""), output_field=CharField())


def section_labels() -> dict[str, str]:
    """Each 门类 (and "" for 未归类) as statistics label it: "C 制造业"."""
    return {section: rules.section_label(section) for section in ("", *rules.SECTION_NAMES)}


# ---------------------------------------------------------------- the home page


def enterprise_counts_by_status(user) -> dict[str, int]:
    rows = Enterprise.objects.for_user(user).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def enterprise_counts_by_industry(user, limit: int = 12) -> list[dict]:
    """The `limit` main industries with the most enterprises in the user's scope: {industry__name, n}."""
    return list(
        Enterprise.objects.for_user(user)
        .values("industry__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:limit]
    )


def enterprise_flags(user) -> dict[str, int]:
    """In the user's scope: all enterprises, those with a major hazard source, crowded places (one query)."""
    return Enterprise.objects.for_user(user).aggregate(
        total=Count("pk"),
        major=Count("pk", filter=Q(has_major_hazard_source=True)),
        crowded=Count("pk", filter=Q(is_crowded_place=True)),
    )


@dataclass(frozen=True)
class Expiring:
    """Licences expired or expiring within the window (`rules.licence_expiring`): how many, the first few."""

    count: int
    first: list[Licence]


def access_licence_change(user, pk, *, for_update: bool = False) -> LicenceChange:
    return access(
        LicenceChange.objects.select_related("enterprise", "licence"), user, pk, for_update=for_update
    )


def expiring_licences(user, today: date, limit: int = 10) -> Expiring:
    """The user's licences for which `rules.licence_expiring(valid_until, today)` holds, soonest first."""
    licences = Licence.objects.for_user(user).filter(valid_until__lte=rules.licence_expiry_cutoff(today))
    first = list(licences.select_related("enterprise").order_by("valid_until", "pk")[:limit])
    count = len(first) if len(first) < limit else licences.count()
    return Expiring(count=count, first=first)


@dataclass(frozen=True)
class Figure:
    """A number another module contributes to the home page (an indicator or a to-do), with its list."""

    key: str
    label: str
    value: object
    url: str | None
    unit: str = ""


def home_indicators(user) -> list[Figure]:
    """Every module's home indicators (`contract.Indicator` with `home=True`), valued for the user."""
    return [
        Figure(item.key, str(item.label), item.value(user), item.link(user), str(item.unit))
        for item in contract.registry().indicators
        if item.home and item.visible_to(user)
    ]


@dataclass(frozen=True)
class TodoGroup:
    """One kind of 待办 on the home page: how many, the list showing them all, and the most urgent few."""

    key: str
    label: str
    value: int
    url: str | None
    items: list


# The home page lists this many items of each kind of 待办 (the rest behind the kind's own list).
TODO_ITEMS = 5


def todos(user, *, items: int = TODO_ITEMS) -> list[TodoGroup]:
    """The user's 待办 from every module's to-do providers, only those with something to do; each with its
    first `items` rows as links (0: counts only, as the header's badge needs)."""
    found = []
    for provider in contract.registry().todos:
        if not provider.visible_to(user):
            continue
        rows = provider.rows(user)  # built once: some providers check guards row by row
        count = rows.count()
        if count:
            first = provider.first_items(rows, items) if items else []
            found.append(TodoGroup(provider.key, str(provider.label), count, provider.link(user), first))
    return found


def todo_total(user) -> int:
    return sum(group.value for group in todos(user, items=0))


def shortcuts(user) -> list:
    return [shortcut for shortcut in contract.registry().shortcuts if shortcut.visible_to(user)]


# Home blocks ordered below this come before the indicators (the user's own work), the rest after them.
HOME_TOP = 50


def home_sections(user, *, top: bool) -> list[tuple[str, dict]]:
    """(template, context) of each home block the user may see that has something to show: those ordered
    below HOME_TOP when `top`, the others when not."""
    found = []
    for section in contract.registry().home_sections:
        if (section.order < HOME_TOP) is top and section.visible_to(user):
            values = section.values(user)
            if values:
                found.append((section.template, values))
    return found


# ---------------------------------------------------------------- regions


def managed_region_roots(user) -> list[Region]:
    """The highest regions the user manages (the top of the management tree)."""
    regions = Region.objects.for_user(user, "core.manage_region").order_by("level", "code")
    top = regions.first()
    return list(regions.filter(level=top.level)) if top else []


def child_regions(user, region: Region) -> list[Region]:
    """A region's children, each with `n_children`, `n_grids` and `n_enterprises` (its whole subtree's
    enterprises the user may see): two queries whatever the number of children."""
    children = list(
        region.children.annotate(
            n_children=Count("children", distinct=True), n_grids=Count("grids", distinct=True)
        ).order_by("code")
    )
    counts = child_enterprise_counts(user, region, children)
    for child in children:
        child.n_enterprises = counts[child.code]
    return children


def with_grid_counts(grids: QuerySet) -> QuerySet:
    """Grids with `n_enterprises` and `n_workers` (DISTINCT: two counts over two joins must not multiply)."""
    return grids.annotate(
        n_enterprises=Count("enterprises", distinct=True), n_workers=Count("memberships", distinct=True)
    )


def grid_list(user) -> QuerySet:
    """The grids the user manages, with their counts, in list order."""
    return with_grid_counts(
        Grid.objects.for_user(user, "core.manage_grid").select_related("region__parent")
    ).order_by(*Grid._meta.ordering)


def department_list(user) -> QuerySet:
    """The departments the user manages, with their active members counted, in list order."""
    return (
        Department.objects.for_user(user, "core.manage_department")
        .select_related("region")
        .prefetch_related("industries")
        .annotate(n_members=Count("memberships", distinct=True))
        .order_by(*Department._meta.ordering)  # an aggregate drops Meta.ordering
    )


def child_enterprise_counts(user, region: Region, children: list[Region]) -> dict[str, int]:
    """For each child region, the enterprises in its subtree the user may see: one aggregate query."""
    if not children:
        return {}
    counts = (
        Enterprise.objects.for_user(user)
        .filter(trees.subtree_q("region_id", region))
        .aggregate(
            **{
                f"n_{child.code}": Count("pk", filter=trees.subtree_q("region_id", child))
                for child in children
            }
        )
    )
    return {child.code: counts[f"n_{child.code}"] for child in children}


def breadcrumb_ancestors(user, region: Region) -> list[Region]:
    """The region's ancestors (province first, itself excluded) that the user may see: two queries."""
    ancestors = trees.ancestors(region)[:-1]
    visible = set(
        Region.objects.for_user(user).filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True)
    )
    return [a for a in ancestors if a.pk in visible]


def enterprise_status_targets(user, enterprise: Enterprise) -> list[str]:
    """The states the user may move the enterprise to now: the targets of `Enterprise.TRANSITIONS` leaving its
    state whose right the user holds on it and whose guards pass (one scope check per right involved)."""
    from .permissions import can
    from .rules import resumes_only_through_acceptance

    under_order = under_suspension_order(enterprise)
    leaving = [
        t
        for t in Enterprise.TRANSITIONS
        if enterprise.status in t.sources
        and not resumes_only_through_acceptance(enterprise.status, t.target, under_order=under_order)
    ]
    allowed = {right: can(user, right, enterprise) for right in {t.right for t in leaving}}
    return [t.target for t in leaving if allowed[t.right] and t.refusal(enterprise, user) is None]


def under_suspension_order(enterprise: Enterprise) -> bool:
    """Whether a 停产整顿 order is in force on the enterprise: the hook `core.suspension_in_force(enterprise_id)`
    a module provides (the inspections module's 复产验收), False when none does."""
    from .contract import provided

    check = provided("core.suspension_in_force")
    return bool(check and check(enterprise.pk))


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


# ---------------------------------------------------------------- home blocks (contract.HomeSection)


def home_registry(user) -> dict:
    """The registry summary of the user's jurisdiction: counts by status and industry, flags, licences."""
    today = timezone.localdate()
    by_status = enterprise_counts_by_status(user)
    return {
        "by_status": [(label, by_status.get(value, 0), value) for value, label in Enterprise.Status.choices],
        "by_industry": enterprise_counts_by_industry(user),
        "flags": enterprise_flags(user),
        "expiring": expiring_licences(user, today),
        "today": today,
    }


def home_enterprises(user) -> dict | None:
    """An enterprise user's own enterprise(s), with their licences expiring soon."""
    ids = own_enterprise_ids(user)
    if not ids:
        return None
    enterprises = list(
        Enterprise.objects.for_user(user).filter(pk__in=ids).select_related("industry", "region")
    )
    today = timezone.localdate()
    return {"enterprises": enterprises, "expiring": expiring_licences(user, today), "today": today}
