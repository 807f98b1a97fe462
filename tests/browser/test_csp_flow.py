"""The Content-Security-Policy blocks nothing Anlan's own pages need: the charts draw, htmx panels load, the API
documentation renders, and the browser reports no policy violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_styled, login


def watch_violations(page: Page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.mark.parametrize(
    ("path", "chart"),
    [
        ("/", "#chart-industry canvas"),
        ("/hazards/statistics/", "#chart-status canvas"),
        ("/accidents/statistics/", "#chart-month canvas"),
        ("/inspections/statistics/", "#chart-departments canvas"),
    ],
)
def test_charts_draw_under_the_policy(page, server, cast, path, chart):
    violations = watch_violations(page)
    login(page, server, "county_office")
    page.goto(f"{server.url}{path}")
    assert_styled(page)
    expect(page.locator(chart).first).to_be_attached()
    assert violations == []


def test_the_enterprise_page_loads_its_panels_under_the_policy(page, server, cast):
    violations = watch_violations(page)
    login(page, server, "county_office")
    page.goto(f"{server.url}/enterprises/{cast.enterprise_x.pk}/")
    expect(page.get_by_text(cast.enterprise_x.name).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_api_documentation_renders_under_its_policy(page, server, cast):
    violations = watch_violations(page)
    login(page, server, "county_office")
    page.goto(f"{server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    assert violations == []
