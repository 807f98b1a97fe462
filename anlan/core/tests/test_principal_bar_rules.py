"""The 主要负责人 bar after a closure (安全生产法 第一百一十三条): five years, both ends included."""

from datetime import date

import pytest

from anlan.core import rules


@pytest.mark.parametrize(
    "starts, ends",
    [
        (date(2026, 3, 1), date(2031, 3, 1)),
        (date(2026, 12, 31), date(2031, 12, 31)),
        (date(2028, 2, 29), date(2033, 2, 28)),  # no 29 February in 2033
    ],
)
def test_principal_bar_ends(starts, ends):
    assert rules.principal_bar_ends(starts) == ends


@pytest.mark.parametrize(
    "day, in_force",
    [
        (date(2026, 2, 28), False),
        (date(2026, 3, 1), True),  # first day
        (date(2031, 3, 1), True),  # last day
        (date(2031, 3, 2), False),
    ],
)
def test_bar_in_force(day, in_force):
    assert rules.bar_in_force(date(2026, 3, 1), date(2031, 3, 1), day) is in_force
