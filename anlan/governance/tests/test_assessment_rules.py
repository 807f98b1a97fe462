"""The assessment arithmetic (rules.assessment_score, rules.rank): a table for every deduction, cap, floor and
veto boundary, and properties over random schemes."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.governance import rules
from anlan.governance.rules import AssessmentFacts, AssessmentItem, AssessmentScheme

ACCIDENT = AssessmentItem("accident", rules.DEDUCTION, D("5"), D("20"))  # 5 per occurrence, cap 20
UNCAPPED = AssessmentItem("overdue", rules.DEDUCTION, D("2"), None)
WORK = AssessmentItem("work", rules.WORKLOAD, D("0.5"), D("5"))
LEDGER = AssessmentItem("ledger", rules.MANUAL, D("0"), D("10"))
VETO = AssessmentItem("major", rules.VETO)
SCHEME = AssessmentScheme((ACCIDENT, UNCAPPED, WORK, LEDGER, VETO))


def score(occurrences=None, manual=None, scheme=SCHEME):
    return rules.assessment_score(scheme, AssessmentFacts(occurrences or {}, manual or {}))


@pytest.mark.parametrize(
    ("occurrences", "expected", "capped"),
    [
        pytest.param(0, D("100"), False, id="no occurrence deducts nothing"),
        pytest.param(1, D("95"), False, id="one occurrence deducts its points"),
        pytest.param(3, D("85"), False, id="one below the cap deducts in full"),
        pytest.param(4, D("80"), False, id="exactly at the cap deducts the cap, not marked capped"),
        pytest.param(5, D("80"), True, id="above the cap deducts only the cap"),
        pytest.param(50, D("80"), True, id="far above the cap deducts only the cap"),
    ],
)
def test_a_negative_list_rule_deducts_points_per_occurrence_up_to_its_cap(occurrences, expected, capped):
    result = score({"accident": occurrences})
    assert result.score == expected
    line = next(line for line in result.lines if line.code == "accident")
    assert (line.occurrences, line.capped) == (occurrences, capped)
    assert line.points == expected - D("100")
    assert result.deducted == D("100") - expected


def test_a_rule_without_a_cap_deducts_every_occurrence():
    assert score({"overdue": 7}).score == D("86")


@pytest.mark.parametrize(
    ("occurrences", "expected"),
    [
        pytest.param(0, D("100"), id="no work adds nothing"),
        pytest.param(9, D("104.5"), id="one below the cap adds in full"),
        pytest.param(10, D("105"), id="exactly at the cap"),
        pytest.param(11, D("105"), id="above the cap adds only the cap"),
    ],
)
def test_key_work_adds_points_up_to_its_cap(occurrences, expected):
    result = score({"work": occurrences})
    assert result.score == expected
    assert result.added == expected - D("100")


def test_the_maximum_bounds_the_total_when_the_scheme_has_one():
    scheme = AssessmentScheme(SCHEME.items, maximum=D("102"))
    assert score({"work": 10}, scheme=scheme).score == D("102")
    assert score({"work": 3}, scheme=scheme).score == D("101.5")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param(D("0"), D("100"), id="nothing deducted"),
        pytest.param(D("9.5"), D("90.5"), id="below the cap"),
        pytest.param(D("10"), D("90"), id="at the cap"),
        pytest.param(D("12"), D("90"), id="above the cap deducts the cap"),
        pytest.param(D("-3"), D("100"), id="a negative amount deducts nothing"),
    ],
)
def test_a_manual_score_deducts_its_confirmed_amount_up_to_the_cap(amount, expected):
    assert score(manual={"ledger": amount}).score == expected


def test_the_total_never_falls_below_zero():
    result = score({"overdue": 60, "accident": 9})
    assert result.score == D("0")
    assert result.deducted == D("140")


def test_exactly_zero_is_not_floored_further():
    assert score({"overdue": 50}).score == D("0")


def test_a_veto_condition_met_vetoes_whatever_the_score():
    result = score({"major": 1, "work": 10})
    assert result.vetoed
    assert result.score == D("105")
    assert result.veto_codes == ("major",)


def test_no_veto_occurrence_leaves_the_result_not_vetoed():
    assert not score({"major": 0}).vetoed


def _result(score_, deducted, vetoed=False):
    return rules.AssessmentResult(D(score_), vetoed, D(deducted), D("0"), ())


def test_the_ranking_puts_higher_scores_first_and_vetoed_units_last():
    ranked = rules.rank(
        [
            ("甲镇", _result("99", "1", vetoed=True)),
            ("乙镇", _result("80", "20")),
            ("丙镇", _result("90", "10")),
        ]
    )
    assert [(position, name) for position, name, _ in ranked] == [(1, "丙镇"), (2, "乙镇"), (3, "甲镇")]


def test_a_tie_is_broken_by_fewer_deductions_then_by_name():
    ranked = rules.rank(
        [
            ("丁局", _result("95", "10")),
            ("乙局", _result("95", "5")),
            ("甲局", _result("95", "5")),
        ]
    )
    assert [name for _, name, _ in ranked] == ["乙局", "甲局", "丁局"]


def test_two_vetoed_units_rank_among_themselves_by_score():
    ranked = rules.rank([("甲", _result("50", "50", True)), ("乙", _result("70", "30", True))])
    assert [name for _, name, _ in ranked] == ["乙", "甲"]


# ---------------------------------------------------------------- properties

points = st.decimals(min_value=0, max_value=50, places=1)
caps = st.none() | st.decimals(min_value=0, max_value=100, places=1)
kinds = st.sampled_from([rules.DEDUCTION, rules.WORKLOAD, rules.MANUAL, rules.VETO])
items = st.lists(st.tuples(kinds, points, caps), min_size=1, max_size=6).map(
    lambda rows: tuple(AssessmentItem(f"i{n}", kind, p, cap) for n, (kind, p, cap) in enumerate(rows))
)
maximums = st.none() | st.decimals(min_value=100, max_value=150, places=0)


@st.composite
def cases(draw):
    scheme = AssessmentScheme(draw(items), maximum=draw(maximums))
    counts = {item.code: draw(st.integers(0, 40)) for item in scheme.items}
    manual = {item.code: draw(points) for item in scheme.items if item.kind == rules.MANUAL}
    return scheme, AssessmentFacts(counts, manual)


@given(cases())
def test_the_score_stays_within_zero_and_the_maximum(case):
    scheme, facts = case
    result = rules.assessment_score(scheme, facts)
    assert result.score >= 0
    if scheme.maximum is not None:
        assert result.score <= scheme.maximum


@given(cases(), st.data())
def test_one_more_deduction_occurrence_never_raises_the_score(case, data):
    scheme, facts = case
    deductions = [item.code for item in scheme.items if item.kind in (rules.DEDUCTION, rules.VETO)]
    if not deductions:
        return
    code = data.draw(st.sampled_from(deductions))
    more = AssessmentFacts({**facts.occurrences, code: facts.occurrences[code] + 1}, facts.manual)
    assert rules.assessment_score(scheme, more).score <= rules.assessment_score(scheme, facts).score


@given(
    st.lists(
        st.tuples(st.decimals(0, 120, places=1), st.decimals(0, 100, places=1), st.booleans()), max_size=12
    )
)
def test_every_vetoed_unit_ranks_after_every_unit_not_vetoed(rows):
    results = [(f"单位{n}", _result(s, d, v)) for n, (s, d, v) in enumerate(rows)]
    ranked = rules.rank(results)
    flags = [result.vetoed for _, _, result in ranked]
    assert flags == sorted(flags)
    assert [position for position, _, _ in ranked] == list(range(1, len(rows) + 1))
