"""The permission-matrix machinery shared by core's table and each module's `tests/matrix_<app>.py`.

A module lists its routes in `tests/matrix_<app>.py` as `ROUTES` (and the models whose history
rows count as audit in `AUDITED`); tests/test_permission_matrix.py collects them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

WHO = [
    "anonymous",
    "county_office",
    "town_a",
    "town_b",
    "dept_housing",
    "enterprise_x",
    "grid_worker",
    "leader",
]


def expect(default=None, **overrides) -> dict[str, int]:
    table = {who: overrides.get(who, default) for who in WHO}
    missing = [who for who, code in table.items() if code is None]
    assert not missing, f"matrix row lacks {missing}"
    return table


def page(default, anonymous=302, **kw):
    return expect(default, anonymous=anonymous, **kw)


def api(default, anonymous=401, **kw):
    return expect(default, anonymous=anonymous, **kw)


@dataclass
class Route:
    name: str
    expected: dict[str, int]
    kwargs: Callable = lambda c: {}
    method: str = "get"
    data: Callable | None = None
    json: bool = False
    writes: bool = False
    label: str = ""
    extra_checks: list = field(default_factory=list)
    # Status codes that mean "the write happened" (default: 302 for forms, 200/201 for JSON).
    success: frozenset[int] | None = None

    def succeeded(self, code: int) -> bool:
        if self.success is not None:
            return code in self.success
        return code in ({200, 201} if self.json else {302})

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{' ' + self.label if self.label else ''}"
