"""Fixtures of the inspection tests on top of the root cast: a pool of housing inspectors (one of them the
dept_housing user) and a planned inspection of enterprise X."""

from __future__ import annotations

import pytest

from anlan.inspections import services

from .factories import answers, inspector, planned, record_data


@pytest.fixture
def team(cast):
    return [
        inspector(cast.dept_housing, name="张执法", user=cast["dept_housing"]),
        inspector(cast.dept_housing, name="李执法"),
    ]


@pytest.fixture
def planned_x(cast, team):
    return planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])


@pytest.fixture
def recorded_x(cast, planned_x):
    """Enterprise X inspected by housing: two findings (临边防护, 起重机械), each with its hazard."""
    return services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=planned_x.pk,
        data=record_data(),
        answers=answers("construction", failing=("con-5", "con-6")),
    )
