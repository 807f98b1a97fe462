"""capacity.acting_unit: the Unit a user acts for, by role (issue #12: hazards record who found and registered)."""

from __future__ import annotations

import pytest

from anlan.core import capacity, units
from anlan.core.models import Unit


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("dept_housing", lambda c: units.unit_for(c.dept_housing)),
        ("enterprise_x", lambda c: units.unit_for(c.enterprise_x)),
        ("town_a", lambda c: units.unit_for(c.town_a)),
        ("county_office", lambda c: units.committee_office_for(c.county)),
        ("grid_worker", lambda c: units.unit_for(c.town_a)),  # the town of the grid's village
        ("leader", lambda c: None),
    ],
)
def test_the_unit_a_user_acts_for(cast, who, unit):
    assert capacity.acting_unit(cast[who]) == unit(cast)


def test_the_right_and_the_targets_narrow_the_capacity(cast):
    assert capacity.acting_unit(cast["grid_worker"], right="hazards.report_lead") == units.unit_for(
        cast.town_a
    )
    assert capacity.acting_unit(cast["grid_worker"], right="hazards.verify") is None
    assert capacity.acting_unit(cast["town_a"], region=cast.village_b.code) is None
    office = capacity.acting_unit(cast["county_office"], right="hazards.register_hazard")
    assert office.kind == Unit.Kind.COMMITTEE_OFFICE and office.region == cast.county
