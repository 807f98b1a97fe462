"""Table tests of the 两个清单 rules: the shown status (逾期 derived), what a task's record says on an accident's day,
and whether a listed duty covers an enterprise."""

from __future__ import annotations

from datetime import date

import pytest

from anlan.governance import rules

DUE = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("status", "today", "reported_on", "shown"),
    [
        pytest.param("not_started", date(2026, 6, 30), None, "not_started", id="due-day-is-not-overdue"),
        pytest.param("not_started", date(2026, 7, 1), None, "overdue", id="day-after-due-is-overdue"),
        pytest.param("in_progress", date(2026, 6, 29), None, "in_progress", id="in-progress-before-due"),
        pytest.param("in_progress", date(2026, 7, 1), None, "overdue", id="in-progress-after-due"),
        pytest.param("reported", date(2026, 7, 5), date(2026, 6, 30), "reported", id="reported-on-due-day"),
        pytest.param("reported", date(2026, 7, 5), date(2026, 7, 1), "overdue", id="reported-late-awaiting"),
        pytest.param("reported", date(2026, 6, 1), date(2026, 6, 1), "reported", id="reported-early"),
        pytest.param("done", date(2027, 1, 1), date(2026, 7, 3), "done", id="done-is-never-overdue"),
    ],
)
def test_task_status_derives_overdue_from_the_due_date(status, today, reported_on, shown):
    assert rules.task_status(status, DUE, today, reported_on) == shown


ACCIDENT = date(2026, 7, 10)


@pytest.mark.parametrize(
    ("status", "due_on", "completed_on", "outcome"),
    [
        pytest.param("done", DUE, date(2026, 6, 30), rules.DONE_ON_TIME, id="done-on-due-day"),
        pytest.param("done", DUE, date(2026, 7, 1), rules.DONE_LATE, id="done-a-day-late-before-accident"),
        pytest.param("done", DUE, date(2026, 7, 9), rules.DONE_LATE, id="done-late-the-day-before"),
        pytest.param("done", DUE, date(2026, 7, 10), rules.OVERDUE_AT_ACCIDENT, id="done-on-accident-day"),
        pytest.param(
            "done", date(2026, 7, 20), date(2026, 7, 10), rules.NOT_YET_DUE, id="due-later-done-same-day"
        ),
        pytest.param(
            "done", date(2026, 7, 20), date(2026, 7, 9), rules.DONE_ON_TIME, id="due-later-done-before"
        ),
        pytest.param(
            "reported", DUE, date(2026, 6, 1), rules.OVERDUE_AT_ACCIDENT, id="reported-not-confirmed"
        ),
        pytest.param(
            "in_progress", date(2026, 7, 9), None, rules.OVERDUE_AT_ACCIDENT, id="due-the-day-before"
        ),
        pytest.param("in_progress", date(2026, 7, 10), None, rules.NOT_YET_DUE, id="due-on-accident-day"),
        pytest.param("not_started", date(2026, 12, 31), None, rules.NOT_YET_DUE, id="due-at-year-end"),
    ],
)
def test_task_outcome_on_the_accident_day(status, due_on, completed_on, outcome):
    assert rules.task_outcome(status, due_on, completed_on, ACCIDENT) == outcome


CONSTRUCTION, HOUSING_ROOT, TRANSPORT = 11, 10, 20
COUNTY, TOWN_A, VILLAGE_A, TOWN_B = "341122000000", "341122100000", "341122100001", "341122101000"


@pytest.mark.parametrize(
    ("industries", "regions", "lineage", "region", "covers"),
    [
        pytest.param(
            {CONSTRUCTION}, set(), {CONSTRUCTION, HOUSING_ROOT}, VILLAGE_A, True, id="industry-any-region"
        ),
        pytest.param(
            {HOUSING_ROOT}, set(), {CONSTRUCTION, HOUSING_ROOT}, VILLAGE_A, True, id="ancestor-industry"
        ),
        pytest.param({TRANSPORT}, set(), {CONSTRUCTION, HOUSING_ROOT}, VILLAGE_A, False, id="other-industry"),
        pytest.param(set(), {TOWN_A}, {CONSTRUCTION}, VILLAGE_A, True, id="region-contains-village"),
        pytest.param(set(), {TOWN_A}, {CONSTRUCTION}, TOWN_A, True, id="region-itself"),
        pytest.param(set(), {TOWN_B}, {CONSTRUCTION}, VILLAGE_A, False, id="other-town"),
        pytest.param(set(), {COUNTY}, {CONSTRUCTION}, VILLAGE_A, True, id="county-contains-village"),
        pytest.param(
            {CONSTRUCTION}, {TOWN_B}, {CONSTRUCTION}, VILLAGE_A, False, id="industry-but-other-town"
        ),
        pytest.param({CONSTRUCTION}, {TOWN_A}, {CONSTRUCTION}, VILLAGE_A, True, id="both-match"),
        pytest.param(set(), set(), {CONSTRUCTION}, VILLAGE_A, False, id="general-duty-covers-none"),
        pytest.param({CONSTRUCTION}, set(), set(), VILLAGE_A, False, id="enterprise-without-industry"),
    ],
)
def test_duty_covers_an_enterprise_by_industry_and_region(industries, regions, lineage, region, covers):
    assert rules.duty_covers(industries, regions, lineage, region) is covers


@pytest.mark.parametrize(
    ("ancestor", "code", "inside"),
    [
        (COUNTY, VILLAGE_A, True),
        (TOWN_A, VILLAGE_A, True),
        (TOWN_B, VILLAGE_A, False),
        ("341100000000", COUNTY, True),
        (VILLAGE_A, TOWN_A, False),
        ("3411", VILLAGE_A, False),
    ],
)
def test_region_contains_by_code_prefix(ancestor, code, inside):
    assert rules.region_contains(ancestor, code) is inside


@pytest.mark.parametrize(
    ("status", "editable"),
    [("draft", True), ("returned", True), ("submitted", False), ("approved", False)],
)
def test_only_drafts_and_returned_lists_are_editable(status, editable):
    assert rules.list_is_editable(status) is editable


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (3, True)])
def test_a_completion_needs_evidence(count, ok):
    assert rules.report_has_evidence(count) is ok


@pytest.mark.parametrize(
    ("year", "ok"), [(1999, False), (2000, True), (2026, True), (2027, True), (2028, False)]
)
def test_list_year_bounds(year, ok):
    assert rules.duty_year_ok(year, date(2026, 12, 4)) is ok


@pytest.mark.parametrize(
    ("due_on", "ok"),
    [
        (date(2025, 12, 31), False),
        (date(2026, 1, 1), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
    ],
)
def test_a_task_falls_due_within_its_year(due_on, ok):
    assert rules.due_on_in_year(due_on, 2026) is ok
