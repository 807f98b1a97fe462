"""Scenes of 考核: a published scheme for the cast's county with one indicator of each kind, the units of the
cast's towns and departments, a second 安委办 user to review manual scores, and runs computed and published."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from anlan.core import units
from anlan.core.models import Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.governance import rules
from anlan.governance.models import AssessmentRun, AssessmentScheme, Indicator
from anlan.governance.selectors import assessment_facts as facts
from anlan.governance.services import assessment as services

INDICATORS = [
    # name, kind, category, applies_to, provider, points, cap
    ("发生较大生产安全事故", rules.DEDUCTION, rules.RESULT, "all", "accidents.relatively_major", "10", "30"),
    ("发生一般生产安全事故", rules.DEDUCTION, rules.RESULT, "all", "accidents.ordinary", "2", "6"),
    ("重大事故隐患逾期未整改", rules.DEDUCTION, rules.PROCESS, "all", "hazards.major_overdue", "3", "15"),
    (
        "监督检查未完成年度计划",
        rules.DEDUCTION,
        rules.PROCESS,
        "department",
        "inspections.below_plan",
        "5",
        "5",
    ),
    ("隐患整改销号", rules.WORKLOAD, rules.PROCESS, "all", "hazards.closed", "0.5", "5"),
    ("安全生产台账检查", rules.MANUAL, rules.PROCESS, "all", "", "0", "10"),
    ("发生重大及以上生产安全事故", rules.VETO, rules.RESULT, "all", "accidents.major_or_above", "0", None),
    ("瞒报、谎报生产安全事故", rules.VETO, rules.RESULT, "all", "accidents.misreported", "0", None),
]


def unit_of(obj):
    return units.unit_for(obj)


def context(c) -> facts.FactContext:
    """What a provider reads for the cast's county: this year, cut off today."""
    today = timezone.localdate()
    return facts.FactContext(
        today.year,
        today.replace(month=1, day=1),
        today.replace(month=12, day=31),
        today,
        "341122000000",
        "341122999999",
        facts.scored_units(c.county.code, c.county.level),
    )


def cast_units(c) -> dict[str, object]:
    return {
        "town_a": unit_of(c.town_a),
        "town_b": unit_of(c.town_b),
        "dept_housing": unit_of(c.dept_housing),
        "dept_transport": unit_of(c.dept_transport),
    }


def second_office(c):
    """Another 安委办 user of the county: the reviewer of manual scores."""
    if "county_office_2" not in c.users:
        user = UserFactory(username="county_office_2")
        MembershipFactory(user=user, role=Role.COMMITTEE_OFFICE, region=c.county)
        c.users["county_office_2"] = user
    return c.users["county_office_2"]


def draft_scheme(c, *, year: int | None = None) -> AssessmentScheme:
    cast_units(c)
    return services.create_scheme(
        actor=c["county_office"],
        data={
            "region": c.county,
            "year": year or timezone.localdate().year,
            "title": "来安县安全生产工作考核方案",
            "base": Decimal("100"),
            "maximum": None,
            "notes": "",
        },
    )


def indicator_data(row) -> dict:
    name, kind, category, applies_to, provider, points, cap = row
    return {
        "name": name,
        "kind": kind,
        "category": category,
        "applies_to": applies_to,
        "provider": provider,
        "points": Decimal(points),
        "cap": Decimal(cap) if cap is not None else None,
        "threshold": None,
        "basis": "",
    }


def scheme_with_indicators(c) -> AssessmentScheme:
    scheme = draft_scheme(c)
    for row in INDICATORS:
        services.add_indicator(actor=c["county_office"], scheme_pk=scheme.pk, data=indicator_data(row))
    return scheme


def published_scheme(c) -> AssessmentScheme:
    scheme = scheme_with_indicators(c)
    return services.publish_scheme(actor=c["county_office"], scheme_pk=scheme.pk)


def indicator(scheme, kind: str) -> Indicator:
    return scheme.indicators.filter(kind=kind).order_by("position").first()


def manual_score(c, scheme=None, *, amount="4", unit=None):
    scheme = scheme or published_scheme(c)
    return services.enter_manual_score(
        actor=c["county_office"],
        indicator_pk=indicator(scheme, rules.MANUAL).pk,
        data={
            "unit": unit or unit_of(c.town_a),
            "amount": Decimal(amount),
            "evidence": "安全生产责任制台账缺 3 月记录",
        },
    )


def computed_run(c) -> AssessmentRun:
    scheme = published_scheme(c)
    return services.start_scoring(actor=c["county_office"], scheme_pk=scheme.pk)


def published_run(c) -> AssessmentRun:
    run = computed_run(c)
    return services.publish_run(actor=c["county_office"], run_pk=run.pk)


def result_of(run, unit):
    return run.results.get(unit=unit)
