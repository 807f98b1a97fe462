"""The public rule functions of warnings, at every boundary (突发事件应对法 第六十三条至第七十条, the weather
signal scheme)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anlan.warnings import rules


@pytest.mark.parametrize(("level", "colour"), [(1, "red"), (2, "orange"), (3, "yellow"), (4, "blue")])
def test_each_level_has_its_colour_and_back(level, colour):
    assert rules.warning_colour(level) == colour
    assert rules.level_of_colour(colour) == level


@pytest.mark.parametrize("level", [0, 5, -1, None, "1"])
def test_a_level_outside_one_to_four_is_refused(level):
    with pytest.raises(ValueError):
        rules.warning_colour(level)


def test_the_level_label_names_colour_and_level():
    assert rules.level_label(2) == "橙色（二级）"
    assert rules.level_label(4) == "蓝色（四级）"


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        ("Ⅰ", ("red", "特别严重")),
        ("Ⅱ", ("orange", "严重")),
        ("Ⅲ", ("yellow", "较重")),
        ("Ⅳ", ("blue", "一般")),
    ],
)
def test_weather_signal_grades(grade, expected):
    assert rules.weather_signal(grade) == expected


def test_weather_signal_accepts_ascii_roman_numerals_and_refuses_others():
    assert rules.weather_signal("iv") == ("blue", "一般")
    assert rules.weather_signal(" II ") == ("orange", "严重")
    for bad in ("Ⅴ", "V", "", "1"):
        with pytest.raises(ValueError):
            rules.weather_signal(bad)


def test_measures_of_levels_three_and_four_are_article_66_only():
    assert rules.required_measure_articles(3) == ["第六十六条"]
    assert rules.required_measure_articles(4) == ["第六十六条"]


def test_levels_one_and_two_add_article_67():
    assert rules.required_measure_articles(1) == ["第六十六条", "第六十七条"]
    assert rules.required_measure_articles(2) == ["第六十六条", "第六十七条"]
    with pytest.raises(ValueError):
        rules.required_measure_articles(5)


def test_the_checklist_follows_the_articles():
    low = rules.checklist(3)
    high = rules.checklist(2)
    assert {article for _c, article, _l in low} == {"第六十六条"}
    assert len(high) > len(low) and {code for code, _a, _l in low} <= {code for code, _a, _l in high}
    assert "evacuate" in {code for code, _a, _l in high} and "evacuate" not in {code for code, _a, _l in low}


def test_required_fields_are_the_eight_of_article_64():
    assert rules.REQUIRED_FIELDS == {
        "category": "预警类别",
        "level": "级别",
        "starts_at": "起始时间",
        "area": "可能影响的范围",
        "matters": "警示事项",
        "measures": "应当采取的措施",
        "issuer": "发布单位",
        "issued_at": "发布时间",
    }


def test_missing_fields_in_the_laws_order():
    full = dict.fromkeys(rules.REQUIRED_FIELDS, "x")
    assert rules.missing_fields(full) == []
    assert rules.missing_fields({**full, "area": "  ", "category": None}) == ["category", "area"]
    assert rules.missing_fields({}) == list(rules.REQUIRED_FIELDS)


def test_signal_colours_per_type():
    assert rules.colour_allowed("rainstorm", 4)
    assert not rules.colour_allowed("hail", 3)  # 冰雹: 橙、红 only
    assert rules.colour_allowed("hail", 2)
    assert not rules.colour_allowed("fog", 4)  # 大雾: no blue
    assert not rules.colour_allowed("unknown", 1)


def test_confirmation_period_defaults_and_overrides():
    assert rules.confirm_within(1) == timedelta(minutes=15)
    assert rules.confirm_within(4) == timedelta(minutes=120)
    assert rules.confirm_within(2, {2: 45}) == timedelta(minutes=45)
    assert rules.confirm_within(3, {2: 45}) == timedelta(minutes=60)
    with pytest.raises(ValueError):
        rules.confirm_within(1, {1: 0})


def test_links_last_until_the_end_plus_a_day():
    start = datetime(2026, 7, 1, 8, tzinfo=UTC)
    end = start + timedelta(days=2)
    lifted = start + timedelta(hours=30)
    assert rules.token_valid_until(start, end, None) == end + timedelta(hours=24)
    assert rules.token_valid_until(start, end, lifted) == lifted + timedelta(hours=24)
    assert rules.token_valid_until(start, None, None) == start + timedelta(days=8)


def test_level_change_direction():
    assert rules.is_level_change(3, 2) == "raise"
    assert rules.is_level_change(2, 3) == "lower"
    assert rules.is_level_change(2, 2) == ""


def test_targets_are_cleaned():
    cleaned = rules.clean_targets(
        {
            "groups": ["towns", "nonsense", "committee"],
            "departments": ["3", 3, "x"],
            "flags": ["crowded_place", "?"],
        }
    )
    assert cleaned == {
        "groups": ["committee", "towns"],
        "departments": [3],
        "industries": [],
        "flags": ["crowded_place"],
    }


@given(st.integers(min_value=1, max_value=4))
def test_colour_and_level_are_inverse(level):
    assert rules.level_of_colour(rules.warning_colour(level)) == level
    assert rules.required_measure_articles(level)[0] == "第六十六条"
