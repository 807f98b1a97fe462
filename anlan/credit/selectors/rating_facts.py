"""The facts of the five-colour rating, never one query per enterprise. Other modules are read only through the
kernel's enterprise attributes (`risk.highest_level`, `credit.dishonest`, `risk.selfcheck_missing`,
`risk.standardisation_grade`) and their public selectors (hazards, accidents, inspections' penalties); the
registry-derived risk level (`inspections.rules.risk_level`, the inputs the draw's pool uses) stands in where no
risk register exists.

A region's walk (`chunks_with_facts`) takes the rated enterprises in id order, a chunk at a time, and runs each
fact's grouped query ONCE for the whole region, ordered by enterprise id, reading it alongside (a merge on the
id): the database makes one pass over the hazards as hand-written SQL would, and only the rows of the current
chunk are held in memory. A few enterprises (`facts_for`) are read by id."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection

from anlan.accidents import selectors as accidents
from anlan.core import contract, trees
from anlan.core.models import Enterprise
from anlan.core.selectors import IdIn
from anlan.hazards import selectors as hazards
from anlan.inspections import rules as inspection_rules
from anlan.inspections import selectors as inspections

from .. import rules

# Enterprises that are closed or deregistered are not rated.
RATED_STATUSES = (Enterprise.Status.OPERATING, Enterprise.Status.SUSPENDED)
ROW = tuple[int, str, int, bool, bool]
# Distinct facts kept for sharing during a walk (≈ 100 bytes each); past this the table starts again.
SHARED_LIMIT = 100_000


def enterprise_rows(ids) -> list[ROW]:
    """(id, region code, industry id, 重大危险源, 人员密集场所) of the given rated enterprises, by id."""
    return list(
        Enterprise.objects.filter(IdIn("pk", ids), status__in=RATED_STATUSES)
        .order_by("pk")
        .values_list("pk", "region_id", "industry_id", "has_major_hazard_source", "is_crowded_place")
    )


def enterprise_chunks(bounds: tuple[str, str] | None, size: int) -> Iterator[list[ROW]]:
    """The rated enterprises of the region codes [low, high] (all when None), `size` at a time in id order
    (keyset: each chunk one indexed query)."""
    rows = Enterprise.objects.filter(status__in=RATED_STATUSES)
    if bounds is not None:
        rows = rows.filter(region_id__gte=bounds[0], region_id__lte=bounds[1])
    rows = rows.values_list("pk", "region_id", "industry_id", "has_major_hazard_source", "is_crowded_place")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        last = chunk[-1][0]
        yield chunk


def _queries(*, today: date, since: date, ids=None, bounds=None) -> dict:
    return {
        "hazards": hazards.enterprise_hazard_counts(today, since, ids=ids, bounds=bounds),
        "accidents": accidents.enterprise_accident_days(since, today, ids=ids, bounds=bounds),
        "penalties": inspections.enterprise_penalty_days(since, today, ids=ids, bounds=bounds),
    }


def _stream(queryset, size: int) -> Iterator[tuple]:
    """The rows of `queryset`, fetched `size` at a time from a server-side cursor (executed on the first row).
    On PostgreSQL they come as psycopg gives them: ints and dates already, so Django's converters (a call per
    column per row: ≈ 0.3 s of the province's 382,680 hazard groups) are skipped; SQLite returns dates as
    text, so there the ORM converts them."""
    if connection.vendor != "postgresql":
        yield from queryset.iterator(chunk_size=size)
        return
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield from rows


class _Merge:
    """Rows of a query ordered by enterprise id, handed out up to a given id (the chunk's last)."""

    def __init__(self, rows, size: int):
        self.rows = _stream(rows, size)
        self.head = next(self.rows, None)

    def upto(self, last: int) -> dict[int, list]:
        found: dict[int, list] = {}
        head, rows = self.head, self.rows
        while head is not None and head[0] <= last:
            found.setdefault(head[0], []).append(head)
            head = next(rows, None)
        self.head = head
        return found


def _grouped(rows) -> dict[int, list]:
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row[0], []).append(row)
    return found


def chunks_with_aggregates(
    bounds: tuple[str, str] | None, *, today: date, since: date, size: int
) -> Iterator[tuple[list[ROW], dict[str, dict[int, list]]]]:
    """The region's rated enterprises a chunk at a time with the rows of each fact's grouped query that belong
    to the chunk ({"hazards" | "accidents" | "penalties": {enterprise id: [rows]}}): each query runs once for
    the region and is read in step with the chunks."""
    queries = _queries(today=today, since=since, bounds=bounds)
    with _whole_result_plans():
        merges = {name: _Merge(rows, size) for name, rows in queries.items()}
    for chunk in enterprise_chunks(bounds, size):
        last = chunk[-1][0]
        yield chunk, {name: merge.upto(last) for name, merge in merges.items()}


def chunks_with_facts(
    bounds: tuple[str, str] | None, *, today: date, since: date, size: int
) -> Iterator[tuple[list[ROW], dict[int, rules.RatingFacts]]]:
    """The region's rated enterprises a chunk at a time with their facts (`chunks_with_aggregates`, the kernel's
    enterprise attributes of each chunk, the registry's risk level). `since` is the widest window's start over
    the counties' criteria: the rules cut each county's own windows."""
    roots = trees.industry_roots()
    shared: dict = {}
    for chunk, found in chunks_with_aggregates(bounds, today=today, since=since, size=size):
        yield chunk, _assemble(chunk, found, roots, shared)


@contextmanager
def _whole_result_plans():
    """PostgreSQL plans a cursor for its first rows (cursor_tuple_fraction 0.1): for the grouped hazards ordered
    by enterprise that is an index walk over every hazard row (≈ 60 s at province scale) instead of one scan, a
    hash aggregate and a sort of the groups. The cursors are declared (and planned) inside this block, which
    asks for plans that read the whole result."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


def facts_for(rows: list[ROW], *, today: date, since: date) -> dict[int, rules.RatingFacts]:
    """The facts of a few enterprises (`enterprise_rows`), read by id."""
    if not rows:
        return {}
    ids = [row[0] for row in rows]
    found = {name: _grouped(query) for name, query in _queries(today=today, since=since, ids=ids).items()}
    return _assemble(rows, found, trees.industry_roots())


def _assemble(
    rows: list[ROW], found: dict[str, dict[int, list]], roots: dict[int, str], shared: dict | None = None
) -> dict[int, rules.RatingFacts]:
    """Each enterprise's RatingFacts. Enterprises with the same facts share one (immutable) object, found by
    the tuple of its fields in `shared` (kept across a walk's chunks): most enterprises differ only in a few
    counts and dates, and building one frozen dataclass costs what ten lookups do."""
    ids = [row[0] for row in rows]
    levels = contract.enterprise_attribute("risk.highest_level", ids)
    dishonest = contract.enterprise_attribute("credit.dishonest", ids)
    missing = contract.enterprise_attribute("risk.selfcheck_missing", ids)
    grades = contract.enterprise_attribute("risk.standardisation_grade", ids)
    hazard_rows, accident_rows, penalty_rows = found["hazards"], found["accidents"], found["penalties"]
    no_hazards = (None, 0, 0, 0, None)
    registry_levels: dict[tuple, str] = {}
    if shared is None:
        shared = {}
    elif len(shared) > SHARED_LIMIT:
        shared.clear()
    result = {}
    for pk, _region, industry_id, major_source, crowded in rows:
        level = levels.get(pk)
        from_register = level in rules.RISK_LEVELS
        if not from_register:
            flags = (major_source, industry_id, crowded)
            level = registry_levels.get(flags)
            if level is None:
                level = registry_levels[flags] = rules.REGISTRY_RISK[
                    inspection_rules.risk_level(
                        has_major_hazard_source=major_source,
                        industry_root=roots.get(industry_id, ""),
                        is_crowded_place=crowded,
                    )
                ]
        _pk, open_major, overdue_major, overdue_ordinary, last_overdue_on = (
            hazard_rows.get(pk) or [no_hazards]
        )[0]
        accidents = accident_rows.get(pk)
        penalties = penalty_rows.get(pk)
        selfcheck = missing.get(pk)
        grade = grades.get(pk)
        fields = (  # in RatingFacts' field order
            level,
            from_register,
            bool(dishonest.get(pk)),
            tuple(sorted((d, g, n) for _pk, d, g, n in accidents)) if accidents else (),
            tuple(sorted((d, n) for _pk, d, n in penalties)) if penalties else (),
            open_major,
            overdue_major,
            overdue_ordinary,
            last_overdue_on,
            int(selfcheck) if selfcheck is not None else None,
            str(grade) if grade else None,
        )
        facts = shared.get(fields)
        if facts is None:
            facts = shared[fields] = rules.RatingFacts(*fields)
        result[pk] = facts
    return result


def facts_json(facts: rules.RatingFacts) -> dict:
    """The inputs snapshot kept with a rating."""
    return {
        "risk_level": facts.risk_level,
        "risk_from_register": facts.risk_from_register,
        "dishonest": facts.dishonest,
        "accidents": [[d.isoformat(), g, n] for d, g, n in facts.accidents],
        "penalties": [[d.isoformat(), n] for d, n in facts.penalties],
        "open_major_hazards": facts.open_major_hazards,
        "overdue_major_hazards": facts.overdue_major_hazards,
        "overdue_ordinary_hazards": facts.overdue_ordinary_hazards,
        "last_overdue_on": facts.last_overdue_on.isoformat() if facts.last_overdue_on else None,
        "selfcheck_missing": facts.selfcheck_missing,
        "standardisation_grade": facts.standardisation_grade,
    }
