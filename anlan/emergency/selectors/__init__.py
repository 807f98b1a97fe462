"""Scoped reads shared by the parts of the emergency module (each part adds its own in selectors/… modules
or here, below its heading)."""

from __future__ import annotations

from anlan.core.models import Enterprise, Industry, Unit

from .. import rules


def _industry_paths() -> dict[int, list[str]]:
    """Each industry id → its path of codes from the root (the tree is a few dozen rows)."""
    rows = {
        pk: (code, parent) for pk, code, parent in Industry.objects.values_list("pk", "code", "parent_id")
    }
    paths = {}
    for pk in rows:
        path, node = [], pk
        while node is not None and node in rows and len(path) < 10:
            code, parent = rows[node]
            path.insert(0, code)
            node = parent
        paths[pk] = path
    return paths


def enterprise_categories(enterprise_ids) -> dict[int, str]:
    """The unit category (rules.UNIT_CATEGORIES) of each enterprise, from its main and other industries."""
    paths = _industry_paths()
    ids = list(enterprise_ids)
    industries: dict[int, list[int]] = {pk: [] for pk in ids}
    crowded = {}
    for pk, industry_id, is_crowded in Enterprise.objects.filter(pk__in=ids).values_list(
        "pk", "industry_id", "is_crowded_place"
    ):
        industries[pk].append(industry_id)
        crowded[pk] = is_crowded
    for pk, industry_id in Enterprise.other_industries.through.objects.filter(
        enterprise_id__in=ids
    ).values_list("enterprise_id", "industry_id"):
        industries[pk].append(industry_id)
    return {
        pk: rules.enterprise_category(
            [paths.get(i, []) for i in industries[pk] if i], is_crowded_place=crowded.get(pk, False)
        )
        for pk in ids
        if pk in crowded
    }


def unit_category(unit: Unit) -> str:
    """The category of a Unit: an enterprise's from its industries; a town's TOWN; a department, a 安委办 or
    a park committee GOVERNMENT; an outside body OTHER_ENTERPRISE."""
    if unit.kind == Unit.Kind.ENTERPRISE:
        return enterprise_categories([unit.enterprise_id]).get(unit.enterprise_id, rules.OTHER_ENTERPRISE)
    if unit.kind == Unit.Kind.TOWN:
        return rules.TOWN
    if unit.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.COMMITTEE_OFFICE, Unit.Kind.PARK_COMMITTEE):
        return rules.GOVERNMENT
    return rules.OTHER_ENTERPRISE
