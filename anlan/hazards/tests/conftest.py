"""Fixtures of the hazard tests on top of the root cast: the county's 安委办 as a department, an expert,
a second enterprise user (to verify what the first submitted) and hazards of enterprise X."""

from __future__ import annotations

import pytest

from anlan.core.models import Department, Role
from anlan.core.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from anlan.hazards.models import Hazard

from .factories import HazardFactory


@pytest.fixture
def office(cast) -> Department:
    """来安县安委办 (the comprehensive department letters are issued in the name of)."""
    return DepartmentFactory(
        name="来安县安全生产委员会办公室", short_name="县安委办", region=cast.county, kind="comprehensive"
    )


@pytest.fixture
def expert(cast):
    user = UserFactory(username="expert", real_name="赵国平")
    MembershipFactory(user=user, role=Role.EXPERT)
    return user


@pytest.fixture
def colleague_x(cast):
    """A second user of enterprise X."""
    user = UserFactory(username="enterprise_x2", real_name="钱七")
    MembershipFactory(user=user, role=Role.ENTERPRISE, enterprise=cast.enterprise_x)
    return user


@pytest.fixture
def hazard_x(cast) -> Hazard:
    return HazardFactory(enterprise=cast.enterprise_x, supervising_department=cast.dept_housing)


@pytest.fixture
def major_x(cast) -> Hazard:
    return HazardFactory(
        enterprise=cast.enterprise_x, grade=Hazard.Grade.MAJOR, supervising_department=cast.dept_housing
    )
