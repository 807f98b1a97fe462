"""The permission-matrix machinery shared by every module's table.

A module lists its routes in a table module (`anlan/<app>/tests/matrix.py`) as `ROUTES`, with the models
whose history rows count as audit in `AUDITED`, and declares it in its contribution (`c.matrix(...)`);
tests/test_permission_matrix.py collects every installed module's table and runs `check_route_for_cast` on
each route: one cast for the route, and each member's request in a savepoint rolled back after it, so every
member meets the same data and nothing one member wrote is seen by the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.urls import reverse

WHO = [
    "anonymous",
    "county_office",
    "town_a",
    "town_b",
    "dept_housing",
    "dept_transport",
    "enterprise_x",
    "grid_worker",
    "leader",
    "expert",
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
    # Cast members refused by a guard with a redirect and a message (core.entry.transition_view): their 302
    # writes nothing.
    refused: frozenset[str] = frozenset()

    def succeeded(self, code: int) -> bool:
        if self.success is not None:
            return code in self.success
        return code in ({200, 201} if self.json else {302})

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{' ' + self.label if self.label else ''}"


def audit_rows(models) -> int:
    """How many history rows the `models` have, in one query (a count per table would be one query each)."""
    tables = [connection.ops.quote_name(model.history.model._meta.db_table) for model in models]
    if not tables:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables))
        return cursor.fetchone()[0]


def check_route(route: Route, who: str, cast, client, audited) -> None:
    """Request the route as `who` and check the expected status; a successful write must leave an audit
    row among `audited` models' histories, a refused one none."""
    if who != "anonymous":
        client.force_login(cast[who])
    url = reverse(route.name, kwargs=route.kwargs(cast))
    data = route.data(cast) if route.data else {}
    if route.name == "api:token":
        client.logout()
        data = {"username": who, "password": "pass-word-2026"}
    before = audit_rows(audited) if route.writes else 0
    if route.json:
        response = getattr(client, route.method)(url, data=json.dumps(data), content_type="application/json")
    else:
        response = getattr(client, route.method)(url, data=data)
    expected = route.expected[who]
    assert response.status_code == expected, (
        f"expected {expected}, got {response.status_code}: {getattr(response, 'content', b'')[:300]!r}"
    )
    if who == "anonymous" and expected == 302 and route.method == "get":
        assert response.url.startswith(reverse("login"))
    if route.writes:
        if who != "anonymous" and who not in route.refused and route.succeeded(expected):
            assert audit_rows(audited) > before, "a successful write must leave an audit row"
        else:
            assert audit_rows(audited) == before, "a refused write must leave no audit row"


def check_route_for_cast(route: Route, cast, client, audited) -> list[str]:
    """`check_route` for each member of the cast in turn, each in a savepoint rolled back after its request
    (and the cast's instances reloaded), so one member's write is never the next one's data. Returns one line
    per member whose answer was not the expected one."""
    failures = []
    for who in WHO:
        try:
            with transaction.atomic():
                check_route(route, who, cast, client, audited)
                transaction.set_rollback(True)
        except AssertionError as error:
            failures.append(f"{who}: {error}")
        finally:
            client.logout()
            cast.reload()
    return failures
