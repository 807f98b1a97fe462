"""Every answer carries the Content-Security-Policy; signed-in pages and every API answer are not stored;
the API schema and its documentation are for signed-in users."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anlan.core.headers import policy, tile_origin


def test_a_page_has_a_self_only_policy_for_scripts_and_style_sheets(cast, as_user):
    response = as_user(cast["town_a"]).get(reverse("core:home"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "style-src 'self';" in csp
    assert "'unsafe-inline'" not in csp.replace("style-src-attr 'unsafe-inline'", "")
    assert "frame-ancestors 'none'" in csp


def test_anonymous_pages_have_the_policy_too(client, db):
    for url in [reverse("login"), "/no-such-page/"]:
        assert client.get(url).headers["Content-Security-Policy"] == policy()


@pytest.mark.parametrize("name", ["core:home", "core:enterprise-list", "notifications:inbox"])
def test_a_signed_in_page_is_never_stored(cast, as_user, name):
    response = as_user(cast["county_office"]).get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("signed_in", [True, False])
def test_every_api_answer_is_never_stored(cast, client, signed_in):
    if signed_in:
        client.force_login(cast["town_a"])
    response = client.get("/api/v1/enterprises/")
    assert response.status_code == (200 if signed_in else 401)
    assert "no-store" in response.headers["Cache-Control"]


def test_no_page_template_has_an_inline_script(settings):
    """The policy allows no inline script: every <script> loads a file."""
    import re
    from pathlib import Path

    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "anlan").rglob("*.html")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_map_tiles_from_another_origin_are_allowed_as_images(settings):
    settings.ANLAN_MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    assert tile_origin(settings.ANLAN_MAP_TILE_URL) == "https://*.tiles.example.org"
    assert "img-src 'self' data: blob: https://*.tiles.example.org;" in policy()


def test_the_schema_needs_a_signed_in_caller(cast, client):
    assert client.get(reverse("api:schema")).status_code == 401
    client.force_login(cast["enterprise_x"])
    assert client.get(reverse("api:schema")).status_code == 200


@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_the_api_documentation_sends_anonymous_visitors_to_the_login_page(cast, client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(cast["town_a"])
    assert client.get(reverse(name)).status_code == 200


def test_swagger_ui_starts_from_a_script_file(cast, as_user):
    client = as_user(cast["town_a"])
    page = client.get(reverse("api:docs")).content.decode()
    assert "<script>" not in page
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
