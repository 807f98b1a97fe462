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


@pytest.mark.parametrize(
    "gb4754, section",
    [
        ("C26", "C"),
        ("G54", "G"),
        ("A", "A"),
        ("A0411", "A"),
        ("B07,B08,B09,B10,B11,B12", "B"),
        ("C25, C26", "C"),
        ("E47，E48、E49 E50", "E"),
        ("C25,C26,F5162", "C"),
        ("F5162,G5941", "F"),
        ("R86,R87,R88,R90,N786", "R"),
        ("", ""),
        (" , ", ""),
        (None, ""),
    ],
    ids=[
        "one division",
        "another section",
        "a section itself",
        "a class code",
        "several agreeing",
        "spaces after commas",
        "Chinese commas and spaces",
        "spanning: the first code's section",
        "spanning trade and storage",
        "spanning culture and public facilities",
        "empty",
        "only separators",
        "none",
    ],
)
def test_industry_section_of(gb4754, section):
    assert rules.industry_section_of(gb4754) == section


@pytest.mark.parametrize("gb4754", ["C26,X1", "98", "D26", "C25,,2"])
def test_industry_section_of_refuses_a_bad_code(gb4754):
    with pytest.raises(ValueError):
        rules.industry_section_of(gb4754)


def test_a_section_is_labelled_with_its_letter_and_name_and_none_as_unclassified():
    assert rules.section_label("C") == "C 制造业"
    assert rules.section_label("G") == "G 交通运输、仓储和邮政业"
    assert rules.section_label("") == "未归类"
    assert rules.section_label(None) == "未归类"
