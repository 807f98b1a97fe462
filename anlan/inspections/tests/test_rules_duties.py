"""Issue #14: the on-site review of a 复产 application after a 挂牌督办 halt (16号令 第二十三条)."""

from datetime import date

import pytest

from anlan.inspections import rules


@pytest.mark.parametrize(
    "received, due",
    [
        (date(2026, 3, 1), date(2026, 3, 11)),
        (date(2026, 2, 25), date(2026, 3, 7)),
        (date(2026, 12, 28), date(2027, 1, 7)),
    ],
)
def test_resumption_review_due(received, due):
    assert rules.resumption_review_due(received) == due
