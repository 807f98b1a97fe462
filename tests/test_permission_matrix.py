"""The permission matrix: every route × the fixed cast (style.md, "Jurisdiction and permissions").

anonymous → login redirect (pages) or 401 (API); out of scope → 404; in scope without the right → 403;
allowed → success and, for writes, an audit row. Denied writes leave no audit row. A meta-test
walks the URL resolver and fails on any route this table does not cover.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_module

from anlan.core.contract import registry
from tests.matrix import check_route_for_cast

# Every installed module's table (`c.matrix(...)` in its contribution): ROUTES and the AUDITED models.
MODULES = [import_module(name) for name in registry().matrix_modules]
ROUTES = [route for module in MODULES for route in module.ROUTES]
AUDITED = [model for module in MODULES for model in getattr(module, "AUDITED", [])]


# One test a route: the cast is made once and each member's request rolled back after it (check_route_for_cast).
CASES = [pytest.param(route, id=route.id) for route in ROUTES]


@pytest.mark.parametrize("route", CASES)
def test_permission_matrix(route, cast, client):
    failures = check_route_for_cast(route, cast, client, AUDITED)
    assert not failures, f"{route.id}:\n" + "\n".join(failures)


def _named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns == "admin":
                continue  # Django admin: superusers only (is_staff), not a jurisdiction-scoped surface
            yield from _named_routes(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_named_route_is_in_the_permission_matrix():
    covered = {route.name for route in ROUTES}
    missing = sorted(set(_named_routes()) - covered)
    assert not missing, f"routes missing from the permission matrix: {missing}"


def test_every_route_without_a_name_is_only_a_format_suffix_or_static():
    unnamed = []

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern, prefix + str(pattern.pattern))
            elif not pattern.name:
                unnamed.append(prefix + str(pattern.pattern))

    walk(get_resolver())
    assert unnamed == [], unnamed
