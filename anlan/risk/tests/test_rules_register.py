"""LEC and LS grading (regulations.md §5): every allowed input, every boundary, every refusal."""

from __future__ import annotations

import math
from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.risk import rules
from anlan.risk.rules import LEC, LS, lec, lec_level, ls

L_VALUES = ["10", "6", "3", "1", "0.5", "0.2", "0.1"]
E_VALUES = ["10", "6", "3", "2", "1", "0.5"]
C_VALUES = ["100", "40", "15", "7", "3", "1"]


def expected_level(D: Decimal) -> str:
    if D > 320:
        return "major"
    if D >= 160:
        return "significant"
    if D >= 70:
        return "general"
    return "low"


def expected_band(D: Decimal) -> str:
    if D > 320:
        return "extreme"
    if D >= 160:
        return "high"
    if D >= 70:
        return "significant"
    if D >= 20:
        return "general"
    return "slight"


# ---------------------------------------------------------------- LEC, every product


@pytest.mark.parametrize(("L", "E", "C"), list(product(L_VALUES, E_VALUES, C_VALUES)))
def test_every_allowed_lec_product_is_graded_by_the_cut_offs(L, E, C):
    result = lec(L, E, C)
    D = Decimal(L) * Decimal(E) * Decimal(C)
    assert isinstance(result, LEC)
    assert isinstance(result.D, Decimal)
    assert result.D == D
    assert result.band == expected_band(D)
    assert result.level == expected_level(D)
    assert (
        result.colour
        == {"major": "red", "significant": "orange", "general": "yellow", "low": "blue"}[result.level]
    )
    assert result.level == lec_level(result.D)


@given(
    st.sampled_from(L_VALUES),
    st.sampled_from(E_VALUES),
    st.sampled_from(C_VALUES),
    st.sampled_from(["str", "decimal", "float", "int"]),
)
def test_lec_gives_the_same_result_whatever_the_type_of_an_allowed_value(L, E, C, kind):
    def as_kind(text):
        if kind == "decimal":
            return Decimal(text)
        if kind == "float":
            return float(text)
        if kind == "int" and "." not in text:
            return int(text)
        return text

    assert lec(as_kind(L), as_kind(E), as_kind(C)) == lec(L, E, C)


@given(st.sampled_from(L_VALUES), st.sampled_from(E_VALUES), st.sampled_from(C_VALUES))
def test_a_higher_factor_never_gives_a_lower_level(L, E, C):
    rank = rules.LEVEL_RANK
    base = lec(L, E, C)
    for higher_c in (c for c in C_VALUES if Decimal(c) > Decimal(C)):
        assert rank[lec(L, E, higher_c).level] >= rank[base.level]


def test_products_of_allowed_values_never_fall_on_160_or_320_but_do_on_70_and_20():
    products = {Decimal(L) * Decimal(E) * Decimal(C) for L, E, C in product(L_VALUES, E_VALUES, C_VALUES)}
    assert Decimal(160) not in products
    assert Decimal(320) not in products
    # 70 and 20 are products (10 × 1 × 7, 10 × 2 × 1): the convention decides them, 70 → 一般, 20 → 一般危险 (低).
    assert {Decimal(70), Decimal(20)} <= products
    assert lec(10, 1, 7) == LEC(Decimal(70), "significant", "general", "yellow")
    assert lec(10, 2, 1) == LEC(Decimal(20), "general", "low", "blue")


def test_the_extremes_of_lec():
    assert lec(10, 10, 100) == LEC(Decimal("10000"), "extreme", "major", "red")
    assert lec("0.1", "0.5", 1) == LEC(Decimal("0.05"), "slight", "low", "blue")


def test_a_decimal_written_with_trailing_zeros_is_the_same_value():
    assert lec("0.50", "1.0", "7") == lec("0.5", "1", "7")


@pytest.mark.parametrize(
    ("L", "E", "C"),
    [
        pytest.param(2, 6, 7, id="L-not-in-table"),
        pytest.param(3, 4, 7, id="E-not-in-table"),
        pytest.param(3, 6, 20, id="C-not-in-table"),
        pytest.param(0, 6, 7, id="L-zero"),
        pytest.param(-3, 6, 7, id="L-negative"),
        pytest.param("abc", 6, 7, id="L-text"),
        pytest.param(None, 6, 7, id="L-none"),
        pytest.param(True, 6, 7, id="L-bool"),
        pytest.param(float("nan"), 6, 7, id="L-nan"),
        pytest.param(3, float("inf"), 7, id="E-inf"),
        pytest.param(3, Decimal("NaN"), 7, id="E-decimal-nan"),
        pytest.param([3], 6, 7, id="L-list"),
        pytest.param(3, 6, "", id="C-empty"),
    ],
)
def test_lec_refuses_values_outside_the_tables(L, E, C):
    with pytest.raises(ValueError):
        lec(L, E, C)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_lec_accepts_a_float_only_when_it_equals_an_allowed_value(value):
    allowed = {Decimal(v) for v in L_VALUES}
    if math.isfinite(value) and Decimal(repr(value)) in allowed:
        assert Decimal(repr(value)) == lec(value, 1, 1).D
    else:
        with pytest.raises(ValueError):
            lec(value, 1, 1)


# ---------------------------------------------------------------- D entered directly: every boundary


@pytest.mark.parametrize(
    ("D", "level", "band"),
    [
        ("0", "low", "slight"),
        ("19.99", "low", "slight"),
        ("20", "low", "general"),
        ("20.01", "low", "general"),
        ("69.99", "low", "general"),
        ("70", "general", "significant"),
        ("70.01", "general", "significant"),
        ("159.99", "general", "significant"),
        ("160", "significant", "high"),
        ("160.01", "significant", "high"),
        ("319.99", "significant", "high"),
        ("320", "significant", "high"),
        ("320.01", "major", "extreme"),
        ("10000", "major", "extreme"),
    ],
)
def test_a_d_entered_directly_takes_the_level_of_its_band(D, level, band):
    assert lec_level(D) == level
    assert lec_level(Decimal(D)) == level
    assert lec_level(float(D)) == level
    assert rules.lec_band(D) == band


@pytest.mark.parametrize(
    "D",
    [
        pytest.param(-1, id="negative"),
        pytest.param("-0.01", id="negative-text"),
        pytest.param(float("nan"), id="nan"),
        pytest.param(Decimal("NaN"), id="decimal-nan"),
        pytest.param(float("inf"), id="infinite"),
        pytest.param("x", id="text"),
        pytest.param(None, id="none"),
        pytest.param(False, id="bool"),
    ],
)
def test_lec_level_refuses_what_is_not_a_non_negative_number(D):
    with pytest.raises(ValueError):
        lec_level(D)


@given(st.decimals(min_value=0, max_value=20000, allow_nan=False, places=2))
def test_lec_level_is_monotonic_in_d(D):
    assert rules.LEVEL_RANK[lec_level(D)] <= rules.LEVEL_RANK[lec_level(D + Decimal("0.01"))]


# ---------------------------------------------------------------- LS


VARIANT_TABLES = {
    # §5 as written: each level's R values.
    "A": {"major": {20, 25}, "significant": {9, 10, 12, 15, 16}, "general": {4, 5, 6, 8}, "low": {1, 2, 3}},
    "B": {"major": {20, 25}, "significant": {10, 12, 15, 16}, "general": {4, 5, 6, 8, 9}, "low": {1, 2, 3}},
    "C": {"major": {20, 25}, "significant": {15, 16}, "general": {9, 10, 12}, "low": {1, 2, 3, 4, 5, 6, 8}},
}


@pytest.mark.parametrize("variant", ["A", "B", "C"])
@pytest.mark.parametrize(("L", "S"), list(product(range(1, 6), range(1, 6))))
def test_every_ls_product_is_graded_by_its_variant_table(L, S, variant):
    result = ls(L, S, variant)
    assert isinstance(result, LS)
    assert result.R == L * S
    table = VARIANT_TABLES[variant]
    assert result.R in table[result.level]
    assert result.colour == rules.COLOURS[result.level]


@given(st.integers(1, 5), st.integers(1, 5))
def test_the_variants_agree_where_section_5_says_they_do(L, S):
    R = L * S
    levels = {ls(L, S, variant).level for variant in ("A", "B", "C")}
    if R in (20, 25):
        assert levels == {"major"}
    elif R in (15, 16):
        assert levels == {"significant"}
    elif R in (1, 2, 3):
        assert levels == {"low"}


def test_variant_a_is_the_default():
    assert ls(3, 3) == ls(3, 3, "A") == LS(9, "significant", "orange")


@pytest.mark.parametrize(
    ("L", "S", "variant"),
    [
        pytest.param(0, 3, "A", id="L-zero"),
        pytest.param(6, 3, "A", id="L-six"),
        pytest.param(3, 0, "A", id="S-zero"),
        pytest.param(3, 6, "A", id="S-six"),
        pytest.param(2.0, 3, "A", id="L-float"),
        pytest.param("2", 3, "A", id="L-text"),
        pytest.param(True, 3, "A", id="L-bool"),
        pytest.param(None, 3, "A", id="L-none"),
        pytest.param(3, 3, "D", id="unknown-variant"),
        pytest.param(3, 3, "a", id="lowercase-variant"),
    ],
)
def test_ls_refuses_factors_outside_one_to_five_and_unknown_variants(L, S, variant):
    with pytest.raises(ValueError):
        ls(L, S, variant)


# ---------------------------------------------------------------- 管控层级


@pytest.mark.parametrize(
    ("level", "required"),
    [("major", "company"), ("significant", "workshop"), ("general", "team"), ("low", "post")],
)
def test_each_level_is_controlled_at_least_at_its_control_level(level, required):
    assert rules.required_control_level(level) == required


@pytest.mark.parametrize("level", rules.LEVELS)
@pytest.mark.parametrize("control_level", rules.CONTROL_LEVELS)
def test_a_control_is_sufficient_exactly_when_it_is_not_below_the_required_level(level, control_level):
    required = rules.required_control_level(level)
    expected = rules.CONTROL_LEVELS.index(control_level) <= rules.CONTROL_LEVELS.index(required)
    assert rules.control_level_sufficient(control_level, level) is expected


def test_unknown_levels_are_refused():
    with pytest.raises(ValueError):
        rules.required_control_level("red")
    with pytest.raises(ValueError):
        rules.control_level_sufficient("factory", "major")


def test_the_highest_of_some_levels():
    assert rules.highest_level(["low", "general", "", "significant"]) == "significant"
    assert rules.highest_level([]) is None


@pytest.mark.parametrize(
    ("x", "y", "valid"),
    [
        (0, 0, True),
        (1, 1, True),
        ("0.5", "0.25", True),
        (-0.01, 0.5, False),
        (0.5, 1.01, False),
        ("a", 0, False),
    ],
)
def test_a_plan_position_is_a_pair_of_fractions(x, y, valid):
    assert rules.plan_position_valid(x, y) is valid
