"""Fixtures of the inspection tests on top of the root cast: a pool of housing inspectors (one of them the
dept_housing user) and a planned inspection of enterprise X."""

from __future__ import annotations

import pytest

from .factories import inspector, planned


@pytest.fixture
def team(cast):
    return [
        inspector(cast.dept_housing, name="张执法", user=cast["dept_housing"]),
        inspector(cast.dept_housing, name="李执法"),
    ]


@pytest.fixture
def planned_x(cast, team):
    return planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
