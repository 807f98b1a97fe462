"""提请关闭 (安全生产法 第一百一十三条): the penalty kinds counted and the windows of penalties."""

from datetime import date, timedelta

import pytest

from anlan.hazards import rules as hazard_rules
from anlan.inspections import rules

# ---------------------------------------------------------------- 提请关闭 (安全生产法 第一百一十三条)


@pytest.mark.parametrize(
    "kind, counted",
    [
        ("fine", True),
        ("confiscation", True),
        ("suspension", True),
        ("licence_suspension", True),
        ("licence_revocation", True),
        ("rectification", False),  # an order, not a penalty
        ("referral", False),
        ("closure", False),
    ],
)
def test_penalty_kinds(kind, counted):
    assert rules.is_penalty(kind) is counted


@pytest.mark.parametrize(
    "offsets",
    [
        (),
        (0, 1),
        (0, 90, 180),
        (0, 90, 181),
        (0, 100, 200, 365),
        (0, 100, 200, 366),
        (0, 0, 0),
        (0, 10, 300, 310, 320),
    ],
)
def test_closure_windows_agree_with_closure_proposal_due(offsets):
    start = date(2026, 1, 1)
    dated = [(start + timedelta(days=o), pk) for pk, o in enumerate(offsets, 1)]
    windows = rules.closure_windows(dated)
    assert bool(windows) is hazard_rules.closure_proposal_due([d for d, _pk in dated])
    for window in windows:
        assert (window.last - window.first).days <= window.days
        assert len(window.ids) == (3 if window.days == 180 else 4)


def test_the_latest_window_comes_first():
    start = date(2026, 1, 1)
    dated = [(start + timedelta(days=o), pk) for pk, o in enumerate((0, 10, 20, 500, 510, 520), 1)]
    assert rules.closure_windows(dated)[0].ids == (4, 5, 6)
