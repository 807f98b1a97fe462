"""The pure rules: the 双随机 draw (reproducible, conflicts, team size, uniform), plans, resumption chain, scoring."""

from __future__ import annotations

from datetime import date

import pytest

from anlan.core.rules import RuleViolation
from anlan.inspections import rules
from anlan.inspections.errors import ErrorCode

POOL = list(range(1, 201))
PEOPLE = list(range(1001, 1011))


def test_the_same_seed_gives_the_same_draw():
    first = rules.draw(seed=20260101, pool=POOL, n=15, inspectors=PEOPLE)
    again = rules.draw(seed=20260101, pool=list(reversed(POOL)), n=15, inspectors=list(reversed(PEOPLE)))
    assert first == again


def test_a_different_seed_gives_a_different_draw():
    assert rules.draw(seed=1, pool=POOL, n=15, inspectors=PEOPLE) != rules.draw(
        seed=2, pool=POOL, n=15, inspectors=PEOPLE
    )


def test_the_draw_is_pinned_to_its_documented_algorithm():
    """Re-running with the stdlib alone (random.Random(seed).sample over sorted ids) gives the same enterprises."""
    import random

    expected = random.Random(7).sample(sorted(POOL), 5)
    assert [a.enterprise for a in rules.draw(seed=7, pool=POOL, n=5, inspectors=PEOPLE)] == expected


def test_every_team_has_at_least_two_distinct_inspectors_and_no_conflict():
    conflicts = {(p, e) for p in PEOPLE[:8] for e in POOL[:100]}
    result = rules.draw(seed=3, pool=POOL, n=60, inspectors=PEOPLE, team_size=2, conflicts=conflicts)
    for assignment in result:
        assert len(set(assignment.team)) == 2
        assert not any((p, assignment.enterprise) in conflicts for p in assignment.team)


def test_a_pair_used_in_the_period_is_not_repeated():
    used = {(1001, e) for e in POOL} | {(1002, e) for e in POOL}
    result = rules.draw(seed=5, pool=POOL, n=30, inspectors=PEOPLE, used_pairs=used)
    assert all(1001 not in a.team and 1002 not in a.team for a in result)


def test_the_load_is_spread_over_the_pool():
    result = rules.draw(seed=11, pool=POOL, n=50, inspectors=PEOPLE)
    counts = {p: sum(p in a.team for a in result) for p in PEOPLE}
    assert max(counts.values()) - min(counts.values()) <= 1


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        pytest.param({"team_size": 1}, "team_size", ErrorCode.TEAM_TOO_SMALL, id="one-inspector-team"),
        pytest.param({"n": 0}, "sample_size", ErrorCode.DRAW_SAMPLE_EMPTY, id="nothing-to-draw"),
        pytest.param({"n": 201}, "sample_size", ErrorCode.DRAW_POOL_TOO_SMALL, id="more-than-the-pool"),
        pytest.param(
            {"inspectors": [1001]},
            "inspectors",
            ErrorCode.DRAW_TOO_FEW_INSPECTORS,
            id="pool-smaller-than-a-team",
        ),
        pytest.param({"seed": -1}, "seed", ErrorCode.DRAW_SEED_NEGATIVE, id="negative-seed"),
        pytest.param({"method": "lottery"}, "method", ErrorCode.DRAW_METHOD_UNKNOWN, id="unknown-method"),
        pytest.param(
            {"conflicts": {(p, e) for p in PEOPLE[1:] for e in POOL}},
            "inspectors",
            ErrorCode.DRAW_TOO_FEW_AFTER_CONFLICTS,
            id="all-conflicted",
        ),
    ],
)
def test_an_impossible_draw_is_refused_naming_the_field(kwargs, field, code):
    arguments = {"seed": 1, "pool": POOL, "n": 10, "inspectors": PEOPLE, **kwargs}
    with pytest.raises(RuleViolation) as caught:
        rules.draw(**arguments)
    assert caught.value.field == field
    assert caught.value.code == code


def test_the_unweighted_draw_is_uniform_over_many_seeded_runs():
    """Chi-square over 20 enterprises, 5 drawn per run, seeds 0..3999 (fixed: the test cannot flake).
    Critical value of χ² with 19 degrees of freedom at p = 0.001 is 43.82."""
    pool = list(range(1, 21))
    counts = dict.fromkeys(pool, 0)
    runs, n = 4000, 5
    for seed in range(runs):
        for assignment in rules.draw(seed=seed, pool=pool, n=n, inspectors=PEOPLE):
            counts[assignment.enterprise] += 1
    statistic = rules.chi_square(list(counts.values()), runs * n / len(pool))
    assert statistic < 43.82


def test_the_weighted_draw_favours_higher_risk():
    pool = list(range(1, 101))
    weights = {pk: (4 if pk <= 50 else 1) for pk in pool}
    high = 0
    for seed in range(300):
        result = rules.draw(seed=seed, pool=pool, n=10, inspectors=PEOPLE, method="weighted", weights=weights)
        high += sum(a.enterprise <= 50 for a in result)
    assert high / (300 * 10) > 0.7


@pytest.mark.parametrize(
    ("major", "root", "crowded", "level"),
    [
        (True, "commerce", False, "major"),
        (False, "hazchem", False, "high"),
        (False, "campus", True, "high"),
        (False, "construction", False, "medium"),
        (False, "agriculture", False, "low"),
    ],
)
def test_the_risk_level_comes_from_the_registry_flags(major, root, crowded, level):
    assert (
        rules.risk_level(has_major_hazard_source=major, industry_root=root, is_crowded_place=crowded) == level
    )


def test_a_certificate_is_valid_on_its_expiry_day_and_not_the_day_after():
    assert rules.certificate_valid(date(2026, 3, 31), date(2026, 3, 31))
    assert not rules.certificate_valid(date(2026, 3, 31), date(2026, 4, 1))


def test_a_plan_needs_twelve_non_negative_monthly_counts():
    assert rules.check_monthly_counts([1] * 12) == [1] * 12
    for bad, code in (
        ([1] * 11, ErrorCode.PLAN_NOT_TWELVE_MONTHS),
        ([1] * 11 + [-1], ErrorCode.PLAN_COUNT_NOT_WHOLE),
        ([1] * 11 + ["x"], ErrorCode.PLAN_COUNT_NOT_WHOLE),
    ):
        with pytest.raises(RuleViolation) as caught:
            rules.check_monthly_counts(bad)
        assert caught.value.code == code


def test_progress_against_the_plan_to_date():
    counts = [10] * 12
    assert rules.quarterly(counts) == [30, 30, 30, 30]
    assert rules.planned_to_date(counts, date(2026, 3, 15), 2026) == 30
    assert rules.planned_to_date(counts, date(2027, 1, 1), 2026) == 120
    assert rules.progress(15, 30) == 50
    assert rules.progress(3, 0) is None


def test_an_unannounced_visit_has_no_escort_and_records_its_arrival():
    with pytest.raises(RuleViolation) as caught:
        rules.check_unannounced("unannounced", "办公室主任", date(2026, 1, 1))
    assert caught.value.field == "escort"
    assert caught.value.code == ErrorCode.UNANNOUNCED_WITH_ESCORT
    with pytest.raises(RuleViolation) as caught:
        rules.check_unannounced("unannounced", "", None)
    assert caught.value.code == ErrorCode.UNANNOUNCED_ARRIVAL_MISSING
    rules.check_unannounced("routine", "办公室主任", None)


def test_the_chain_adds_the_review_of_a_higher_issuing_level():
    chain = [("department", "部门验收"), ("leader", "领导审批")]
    assert rules.signoff_chain(chain, "county") == chain
    assert rules.signoff_chain(chain, "city")[-1][0] == "review_city"
    with pytest.raises(RuleViolation) as caught:
        rules.signoff_chain([], "county")
    assert caught.value.code == ErrorCode.CHAIN_NOT_CONFIGURED


def test_the_next_step_is_the_first_undecided_and_a_rejection_ends_the_chain():
    assert rules.next_step([None, None]) == 0
    assert rules.next_step(["approved", None]) == 1
    assert rules.next_step(["approved", "approved"]) is None
    assert rules.next_step(["rejected", None]) is None


def test_the_scoring_cycle_is_twelve_months():
    assert rules.cycle_of(date(2026, 5, 1)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert rules.cycle_of(date(2026, 5, 1), 7) == (date(2025, 7, 1), date(2026, 6, 30))
    assert not rules.threshold_reached(11)
    assert rules.threshold_reached(12)
