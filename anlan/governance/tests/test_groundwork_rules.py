"""Table tests of the 基础工作 rules: each kind's facts checked whole (the field of the first fault named), the
report's need of them, coverage and progress percentages, the years of a 隐患根治 and the one-line summary."""

from __future__ import annotations

import pytest

from anlan.core.rules import RuleViolation
from anlan.governance import rules
from anlan.governance.rules import FactCode

YEAR = 2026


def project(**overrides):
    return {
        "name": "化工园区扩建项目",
        "enterprise": "",
        "stage": "design",
        "result": "compliant",
        "note": "",
        **overrides,
    }


def month(**overrides):
    return {"activities": 12, "participants": 3000, "target": 40, "reached": 38, **overrides}


def venues(**overrides):
    rows = {code: {"activities": 2, "people": 100} for code, _label in rules.LAW_VENUES}
    return {**rows, **overrides}


def law(**overrides):
    return {"venues": venues(), "target": 10, "reached": 10, **overrides}


def community(**overrides):
    return {
        "community": "新安镇",
        "level": "provincial",
        "stage": "create",
        "status": "in_progress",
        **overrides,
    }


def road(**overrides):
    return {"town_office": True, "joint_squads": 2, "stations": 5, "persuaders": 12, **overrides}


def root(**overrides):
    return {
        "start_year": 2025,
        "end_year": 2027,
        "levels": [
            {"level": "county", "target": 20, "done": 8},
            {"level": "township", "target": 40, "done": 40},
        ],
        **overrides,
    }


def refused(kind, raw, year=YEAR) -> RuleViolation:
    with pytest.raises(RuleViolation) as error:
        rules.check_task_facts(kind, raw, year)
    return error.value


# ---------------------------------------------------------------- kinds


def test_a_general_task_has_no_facts_and_keeps_none():
    assert not rules.kind_has_facts(rules.KIND_GENERAL)
    assert rules.check_task_facts(rules.KIND_GENERAL, {"target": 5}, YEAR) == {}
    assert rules.facts_block_report(rules.KIND_GENERAL, {}, YEAR) is None


@pytest.mark.parametrize("kind", [code for code, _label in rules.TASK_KINDS if code != rules.KIND_GENERAL])
def test_every_groundwork_kind_has_facts(kind):
    assert rules.kind_has_facts(kind)


def test_an_unknown_kind_is_refused():
    assert (refused("drill", {}).field, refused("drill", {}).code) == ("kind", FactCode.INVALID)


# ---------------------------------------------------------------- 三同时


def test_three_simultaneities_projects_are_kept_with_unknown_keys_dropped():
    facts = rules.check_task_facts(
        rules.KIND_THREE_SIMULTANEITIES, {"projects": [project(extra="x", note=" 整改 ")], "x": 1}, YEAR
    )
    assert facts == {"projects": [project(note="整改")]}


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        pytest.param({}, "projects", FactCode.REQUIRED, id="no-projects"),
        pytest.param({"projects": []}, "projects", FactCode.REQUIRED, id="empty-projects"),
        pytest.param({"projects": ["x"]}, "projects.0", FactCode.INVALID, id="row-not-a-mapping"),
        pytest.param(
            {"projects": [project(name=" ")]}, "projects.0.name", FactCode.REQUIRED, id="blank-name"
        ),
        pytest.param(
            {"projects": [project(), project(stage="")]},
            "projects.1.stage",
            FactCode.REQUIRED,
            id="second-no-stage",
        ),
        pytest.param(
            {"projects": [project(stage="use")]}, "projects.0.stage", FactCode.INVALID, id="bad-stage"
        ),
        pytest.param(
            {"projects": [project(result="ok")]}, "projects.0.result", FactCode.INVALID, id="bad-result"
        ),
        pytest.param(
            {"projects": [project(name="x" * 101)]}, "projects.0.name", FactCode.INVALID, id="name-too-long"
        ),
        pytest.param({"projects": [project()] * 51}, "projects", FactCode.TOO_MANY, id="51-projects"),
    ],
)
def test_three_simultaneities_faults_name_their_field(raw, field, code):
    error = refused(rules.KIND_THREE_SIMULTANEITIES, raw)
    assert (error.field, error.code) == (field, code)


def test_fifty_projects_and_no_enterprise_are_accepted():
    facts = rules.check_task_facts(rules.KIND_THREE_SIMULTANEITIES, {"projects": [project()] * 50}, YEAR)
    assert len(facts["projects"]) == 50 and facts["projects"][0]["enterprise"] == ""


# ---------------------------------------------------------------- counts and coverage (安全生产月, 法律五进)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        pytest.param(None, FactCode.REQUIRED, id="missing"),
        pytest.param("", FactCode.REQUIRED, id="blank"),
        pytest.param(-1, FactCode.NEGATIVE, id="minus-one"),
        pytest.param("-3", FactCode.NEGATIVE, id="minus-three-typed"),
        pytest.param("3.5", FactCode.INVALID, id="fraction-typed"),
        pytest.param(2.0, FactCode.INVALID, id="float"),
        pytest.param(True, FactCode.INVALID, id="bool"),
        pytest.param(rules.MAX_COUNT + 1, FactCode.INVALID, id="too-large"),
    ],
)
def test_a_count_must_be_a_whole_number_from_zero(value, code):
    error = refused(rules.KIND_SAFETY_MONTH, month(participants=value))
    assert (error.field, error.code) == ("participants", code)


@pytest.mark.parametrize(
    "value", [0, "0", " 7 ", rules.MAX_COUNT], ids=["zero", "zero-typed", "typed", "max"]
)
def test_zero_typed_and_the_largest_counts_are_accepted(value):
    facts = rules.check_task_facts(rules.KIND_SAFETY_MONTH, month(participants=value), YEAR)
    assert facts["participants"] == int(str(value).strip())


def test_reached_equal_to_target_is_full_coverage():
    facts = rules.check_task_facts(rules.KIND_SAFETY_MONTH, month(target=40, reached=40), YEAR)
    assert rules.coverage_percent(facts["reached"], facts["target"]) == 100.0


def test_reached_above_target_is_refused_on_reached():
    error = refused(rules.KIND_SAFETY_MONTH, month(target=40, reached=41))
    assert (error.field, error.code) == ("reached", FactCode.OVER_TARGET)
    assert "41" in str(error.message) and "40" in str(error.message)


@pytest.mark.parametrize(
    ("reached", "target", "percent"),
    [
        pytest.param(0, 0, None, id="no-target"),
        pytest.param(0, 5, 0.0, id="none-reached"),
        pytest.param(1, 3, 33.3, id="a-third"),
        pytest.param(2, 3, 66.7, id="two-thirds-rounded"),
        pytest.param(38, 40, 95.0, id="ninety-five"),
    ],
)
def test_coverage_percent_has_one_decimal(reached, target, percent):
    assert rules.coverage_percent(reached, target) == percent


def test_law_five_keeps_the_five_venues():
    facts = rules.check_task_facts(rules.KIND_LAW_FIVE, law(), YEAR)
    assert list(facts["venues"]) == ["enterprise", "village", "community", "school", "agency"]
    assert (rules.law_five_activities(facts), rules.law_five_people(facts)) == (10, 500)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        pytest.param(law(venues=None), "venues.enterprise.activities", id="no-venues"),
        pytest.param(
            law(venues=venues(school={"activities": 1})), "venues.school.people", id="school-no-people"
        ),
        pytest.param(
            law(venues=venues(agency={"activities": -1, "people": 0})), "venues.agency.activities", id="neg"
        ),
    ],
)
def test_law_five_faults_name_the_venue(raw, field):
    assert refused(rules.KIND_LAW_FIVE, raw).field == field


def test_law_five_message_names_the_venue():
    error = refused(rules.KIND_LAW_FIVE, law(venues=venues(school={"activities": 1})))
    assert "进学校" in str(error.message)


def test_law_five_with_a_venue_without_activities_saves_but_cannot_be_reported():
    raw = law(venues=venues(school={"activities": 0, "people": 0}))
    facts = rules.check_task_facts(rules.KIND_LAW_FIVE, raw, YEAR)
    blocked = rules.facts_block_report(rules.KIND_LAW_FIVE, facts, YEAR)
    assert (blocked.field, blocked.code) == ("venues.school.activities", FactCode.VENUE_EMPTY)
    assert (
        rules.facts_block_report(
            rules.KIND_LAW_FIVE, rules.check_task_facts(rules.KIND_LAW_FIVE, law(), YEAR), YEAR
        )
        is None
    )


# ---------------------------------------------------------------- 安全社区, 农村道路


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        pytest.param(community(community=""), "community", FactCode.REQUIRED, id="no-community"),
        pytest.param(community(level="city"), "level", FactCode.INVALID, id="bad-level"),
        pytest.param(community(stage=None), "stage", FactCode.REQUIRED, id="no-stage"),
        pytest.param(community(status="done"), "status", FactCode.INVALID, id="bad-status"),
    ],
)
def test_safe_community_faults(raw, field, code):
    error = refused(rules.KIND_SAFE_COMMUNITY, raw)
    assert (error.field, error.code) == (field, code)


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        pytest.param(road(town_office=None), "town_office", FactCode.REQUIRED, id="office-unanswered"),
        pytest.param(road(town_office="yes"), "town_office", FactCode.REQUIRED, id="office-not-a-bool"),
        pytest.param(road(joint_squads=-1), "joint_squads", FactCode.NEGATIVE, id="negative-squads"),
        pytest.param(road(persuaders=""), "persuaders", FactCode.REQUIRED, id="no-persuaders"),
    ],
)
def test_rural_road_faults(raw, field, code):
    error = refused(rules.KIND_RURAL_ROAD, raw)
    assert (error.field, error.code) == (field, code)


def test_a_town_without_a_traffic_office_is_a_fact_not_a_fault():
    assert (
        rules.check_task_facts(rules.KIND_RURAL_ROAD, road(town_office=False), YEAR)["town_office"] is False
    )


# ---------------------------------------------------------------- 隐患根治


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        pytest.param(root(start_year=None), "start_year", FactCode.REQUIRED, id="no-start"),
        pytest.param(root(start_year=1999), "start_year", FactCode.INVALID, id="start-1999"),
        pytest.param(
            root(start_year=2027, end_year=2026), "end_year", FactCode.YEARS_ORDER, id="end-before-start"
        ),
        pytest.param(
            root(start_year=2020, end_year=2030), "end_year", FactCode.YEARS_ORDER, id="eleven-years"
        ),
        pytest.param(
            root(start_year=2027, end_year=2028), "start_year", FactCode.YEAR_OUTSIDE, id="starts-after-year"
        ),
        pytest.param(
            root(start_year=2024, end_year=2025), "start_year", FactCode.YEAR_OUTSIDE, id="ends-before-year"
        ),
        pytest.param(root(levels=[]), "levels", FactCode.REQUIRED, id="no-levels"),
        pytest.param(
            root(levels=[{"level": "county", "target": 5, "done": 6}]),
            "levels.0.done",
            FactCode.OVER_TARGET,
            id="done-over",
        ),
        pytest.param(
            root(
                levels=[
                    {"level": "county", "target": 5, "done": 1},
                    {"level": "county", "target": 1, "done": 0},
                ]
            ),
            "levels.1.level",
            FactCode.DUPLICATE,
            id="same-level-twice",
        ),
        pytest.param(
            root(levels=[{"level": "other", "label": "", "target": 5, "done": 1}]),
            "levels.0.label",
            FactCode.REQUIRED,
            id="other-without-label",
        ),
        pytest.param(
            root(levels=[{"level": "city", "target": 5, "done": 1}]),
            "levels.0.level",
            FactCode.INVALID,
            id="bad",
        ),
        pytest.param(
            root(levels=[{"level": "county", "target": -5, "done": 0}]),
            "levels.0.target",
            FactCode.NEGATIVE,
            id="neg",
        ),
    ],
)
def test_root_hazard_faults(raw, field, code):
    error = refused(rules.KIND_ROOT_HAZARD, raw)
    assert (error.field, error.code) == (field, code)


@pytest.mark.parametrize(
    ("start", "end"),
    [(2026, 2026), (2017, 2026), (2026, 2035)],
    ids=["one-year", "ten-years-ending-now", "ten-years-starting-now"],
)
def test_root_hazard_years_at_their_bounds_are_accepted(start, end):
    facts = rules.check_task_facts(rules.KIND_ROOT_HAZARD, root(start_year=start, end_year=end), YEAR)
    assert (facts["start_year"], facts["end_year"]) == (start, end)


def test_free_labelled_levels_are_kept_apart_and_named_by_their_label():
    raw = root(
        levels=[
            {"level": "other", "label": "危化企业", "target": 3, "done": 3},
            {"level": "other", "label": "燃气管网", "target": 9, "done": 0, "extra": 1},
        ]
    )
    facts = rules.check_task_facts(rules.KIND_ROOT_HAZARD, raw, YEAR)
    assert facts["levels"][1] == {"level": "other", "label": "燃气管网", "target": 9, "done": 0}
    assert rules.root_level_label("other", "危化企业") == "危化企业"
    assert rules.root_level_label("national") == "国道"


@pytest.mark.parametrize(
    ("done", "target", "percent"),
    [(0, 0, None), (0, 20, 0.0), (8, 20, 40.0), (20, 20, 100.0), (1, 7, 14.3)],
    ids=["no-target", "nothing-done", "forty", "all-done", "rounded"],
)
def test_progress_percent(done, target, percent):
    assert rules.progress_percent(done, target) == percent


# ---------------------------------------------------------------- the report and the summary


def test_a_groundwork_task_without_facts_cannot_be_reported():
    blocked = rules.facts_block_report(rules.KIND_SAFE_COMMUNITY, {}, YEAR)
    assert (blocked.field, blocked.code) == ("facts", FactCode.REQUIRED)
    assert "安全社区建设" in str(blocked.message)


def test_facts_no_longer_valid_block_the_report_naming_the_field():
    stale = {"start_year": 2020, "end_year": 2022, "levels": [{"level": "county", "target": 1, "done": 1}]}
    blocked = rules.facts_block_report(rules.KIND_ROOT_HAZARD, stale, YEAR)
    assert (blocked.field, blocked.code) == ("start_year", FactCode.YEAR_OUTSIDE)


@pytest.mark.parametrize(
    ("kind", "raw", "summary"),
    [
        (
            rules.KIND_THREE_SIMULTANEITIES,
            {"projects": [project(), project(result="non_compliant"), project(result="non_compliant")]},
            "检查项目3个，不符合2个",
        ),
        (rules.KIND_SAFETY_MONTH, month(), "活动12场，3000人次，覆盖38/40（95.0%）"),
        (rules.KIND_SAFETY_MONTH, month(target=0, reached=0), "活动12场，3000人次，覆盖0/0（—）"),
        (rules.KIND_LAW_FIVE, law(), "活动10场，500人次，覆盖10/10（100.0%）"),
        (rules.KIND_SAFE_COMMUNITY, community(), "新安镇：省级创建，进行中"),
        (rules.KIND_RURAL_ROAD, road(), "交管办已设立，联合执法中队2个，劝导站5个，劝导员12名"),
        (rules.KIND_ROOT_HAZARD, root(), "2025—2027：县道 8/20；乡道 40/40"),
    ],
    ids=["three", "month", "month-no-target", "law", "community", "road", "root"],
)
def test_the_summary_line_of_each_kind(kind, raw, summary):
    assert rules.facts_summary(kind, rules.check_task_facts(kind, raw, YEAR)) == summary


def test_no_summary_without_facts():
    assert rules.facts_summary(rules.KIND_ROOT_HAZARD, {}) == ""
    assert rules.facts_summary(rules.KIND_GENERAL, {"x": 1}) == ""
