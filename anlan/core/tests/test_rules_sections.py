"""GB/T 4754-2017: the 门类 (section) of any division code (regulations.md §10)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.core import rules


@pytest.mark.parametrize(
    "code, section",
    [
        ("01", "A"),
        ("05", "A"),
        ("06", "B"),
        ("12", "B"),
        ("13", "C"),
        ("26", "C"),
        ("C26", "C"),
        ("C2614", "C"),
        ("c261", "C"),
        ("43", "C"),
        ("44", "D"),
        ("46", "D"),
        ("47", "E"),
        ("50", "E"),
        ("51", "F"),
        ("52", "F"),
        ("53", "G"),
        ("60", "G"),
        ("61", "H"),
        ("62", "H"),
        ("63", "I"),
        ("65", "I"),
        ("66", "J"),
        ("69", "J"),
        ("70", "K"),
        ("71", "L"),
        ("72", "L"),
        ("73", "M"),
        ("75", "M"),
        ("76", "N"),
        ("79", "N"),
        ("80", "O"),
        ("82", "O"),
        ("83", "P"),
        ("84", "Q"),
        ("85", "Q"),
        ("86", "R"),
        ("90", "R"),
        ("91", "S"),
        ("96", "S"),
        ("97", "T"),
        (" G5411 ", "G"),
        ("C", "C"),
    ],
)
def test_industry_section(code, section):
    assert rules.industry_section(code) == section


@pytest.mark.parametrize("code", ["", "00", "98", "2", "C2", "D26", "C26145", "X26", "26a"])
def test_industry_section_refuses(code):
    with pytest.raises(ValueError):
        rules.industry_section(code)


@given(st.integers(min_value=1, max_value=97))
def test_every_division_has_one_section(division):
    section = rules.industry_section(f"{division:02d}")
    assert rules.industry_section(f"{section}{division:02d}") == section
    assert section in rules.SECTION_NAMES
