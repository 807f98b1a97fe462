"""The facts of the five-colour rating for a chunk of enterprises: one query per kind of fact, never one per
enterprise. Other modules are read only through the kernel's enterprise attributes (`risk.highest_level`,
`credit.dishonest`, `risk.selfcheck_missing`, `risk.standardisation_grade`) and their public selectors
(hazards, accidents, inspections' penalties); the registry-derived risk level
(`inspections.rules.risk_level`, the inputs the draw's pool uses) stands in where no risk register exists."""

from __future__ import annotations

from datetime import date

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


def enterprise_rows(ids) -> list[tuple[int, str, int, bool, bool]]:
    """(id, region code, industry id, 重大危险源, 人员密集场所) of the chunk's rated enterprises."""
    return list(
        Enterprise.objects.filter(IdIn("pk", ids), status__in=RATED_STATUSES)
        .order_by("pk")
        .values_list("pk", "region_id", "industry_id", "has_major_hazard_source", "is_crowded_place")
    )


def facts_for(rows, *, today: date, since: date) -> dict[int, rules.RatingFacts]:
    """The rating facts of each enterprise of `rows` (`enterprise_rows`) on `today`, with the dated events
    since `since` (the widest window of the counties' criteria: the rules cut each county's windows)."""
    ids = [row[0] for row in rows]
    if not ids:
        return {}
    roots = trees.industry_roots()
    levels = contract.enterprise_attribute("risk.highest_level", ids)
    dishonest = contract.enterprise_attribute("credit.dishonest", ids)
    missing = contract.enterprise_attribute("risk.selfcheck_missing", ids)
    grades = contract.enterprise_attribute("risk.standardisation_grade", ids)
    hazard_counts = hazards.enterprise_hazard_counts(ids, today, since)
    accident_days = accidents.enterprise_accident_days(ids, since, today)
    penalty_days = inspections.enterprise_penalty_days(ids, since, today)
    found = {}
    for pk, _region, industry_id, major_source, crowded in rows:
        level = levels.get(pk)
        from_register = level in rules.RISK_LEVELS
        if not from_register:
            registry = inspection_rules.risk_level(
                has_major_hazard_source=major_source,
                industry_root=roots.get(industry_id, ""),
                is_crowded_place=crowded,
            )
            level = rules.REGISTRY_RISK[registry]
        counts = hazard_counts.get(pk, {})
        selfcheck = missing.get(pk)
        grade = grades.get(pk)
        found[pk] = rules.RatingFacts(
            risk_level=level,
            risk_from_register=from_register,
            dishonest=bool(dishonest.get(pk)),
            accidents=tuple(sorted(accident_days.get(pk, ()))),
            penalties=tuple(sorted(penalty_days.get(pk, ()))),
            open_major_hazards=counts.get("open_major", 0),
            overdue_major_hazards=counts.get("overdue_major", 0),
            overdue_ordinary_hazards=counts.get("overdue_ordinary", 0),
            last_overdue_on=counts.get("last_overdue_on"),
            selfcheck_missing=int(selfcheck) if selfcheck is not None else None,
            standardisation_grade=str(grade) if grade else None,
        )
    return found


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
