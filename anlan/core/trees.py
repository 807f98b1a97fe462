"""Region and industry trees: the one place that walks them (design.md §2).

Regions are 12-digit statistical codes whose prefixes are the ancestors (`rules.region_prefix`), so their
ancestors are computed from the code and their subtrees are code ranges (`rules.subtree_bounds`). Industries
are a small tree (GB/T 4754 sections and divisions plus the supervision categories) read once per call with
one query; callers that walk it for many records pass the `IndustryTree` around.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from . import rules
from .models import Industry, Region

# Region levels by name, for readability at call sites (Region.Level holds the same numbers).
PROVINCE, CITY, COUNTY, TOWN, VILLAGE = 1, 2, 3, 4, 5


ancestor_code = rules.ancestor_code


def county_of(code: str) -> str:
    return ancestor_code(code, COUNTY)


def town_of(code: str) -> str:
    return ancestor_code(code, TOWN)


def ancestor_codes(code: str) -> list[str]:
    """The codes of a region and all its ancestors, province first (no query)."""
    level = rules.level_of_code(code)
    return [ancestor_code(code, depth) for depth in range(1, level + 1)]


def ancestors(region: Region) -> list[Region]:
    """A region's ancestors and itself, province first, in one query (absent levels are skipped)."""
    codes = ancestor_codes(region.code)
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[code] for code in codes if code in found]


def subtree_q(field: str, region: Region) -> Q:
    """Rows whose `field` (a region code or foreign key) lies in the region's subtree (an indexed range)."""
    low, high = rules.subtree_bounds(region.code, region.level)
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def region_at_level(code: str, level: int) -> Region | None:
    """The region at `level` containing `code` (the region itself at its own level), or None."""
    if rules.level_of_code(code) < level:
        return None
    return Region.objects.filter(code=ancestor_code(code, level)).first()


@dataclass(frozen=True)
class IndustryTree:
    """The industry tree read once: parent of each id, children of each id, code of each id."""

    parent: dict[int, int | None]
    code: dict[int, str]

    @classmethod
    def load(cls) -> IndustryTree:
        rows = list(Industry.objects.values_list("pk", "parent_id", "code"))
        return cls(parent={pk: parent for pk, parent, _ in rows}, code={pk: code for pk, _, code in rows})

    def children(self) -> dict[int | None, list[int]]:
        result: dict[int | None, list[int]] = {}
        for pk, parent in self.parent.items():
            result.setdefault(parent, []).append(pk)
        return result

    def descendants(self, ids) -> frozenset[int]:
        """The ids and every id below them."""
        children = self.children()
        found: set[int] = set()
        stack = list(ids)
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children.get(pk, []))
        return frozenset(found)

    def lineage(self, pk: int | None) -> list[int]:
        """The id and its ancestors, nearest first."""
        found: list[int] = []
        while pk is not None and pk not in found:
            found.append(pk)
            pk = self.parent.get(pk)
        return found

    def root_code(self, pk: int) -> str:
        return self.code[self.lineage(pk)[-1]]


def industry_descendants(*ids: int) -> frozenset[int]:
    """Industries `ids` with all their descendants (one query)."""
    return IndustryTree.load().descendants(ids)


def industry_lineage(pk: int) -> list[int]:
    """An industry and its ancestors, nearest first (one query)."""
    return IndustryTree.load().lineage(pk)


def industry_roots() -> dict[int, str]:
    """Each industry id's root code (one query)."""
    tree = IndustryTree.load()
    return {pk: tree.root_code(pk) for pk in tree.parent}


def industry_tree() -> list[Industry]:
    """Industries in display order, each with its `depth` for indentation (one query)."""
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
