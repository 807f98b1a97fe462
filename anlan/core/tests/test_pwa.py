"""The installable app: the manifest, the service worker at the root and the offline page (core.pwa), and the
policy that lets them load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.urls import reverse

from anlan.core.headers import policy
from anlan.core.pwa import OWNER_HEADER, SHELL_ASSETS


@pytest.fixture(params=["anonymous", "signed in"])
def client_of(request, client, cast):
    if request.param == "signed in":
        client.force_login(cast["grid_worker"])
    return client


def test_the_manifest_installs_anlan_standalone_at_the_root_with_two_png_icons(client_of):
    response = client_of.get(reverse("core:manifest"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert (data["name"], data["short_name"]) == ("安澜", "安澜")
    assert (data["start_url"], data["scope"], data["display"]) == ("/", "/", "standalone")
    assert data["theme_color"] == "#0b4f6c"
    assert [(icon["sizes"], icon["type"], icon["src"]) for icon in data["icons"]] == [
        ("192x192", "image/png", static("anlan/icons/icon-192.png")),
        ("512x512", "image/png", static("anlan/icons/icon-512.png")),
    ]


def test_the_icons_are_pngs_of_their_stated_size(settings):
    from PIL import Image

    for size in (192, 512):
        with Image.open(Path(settings.BASE_DIR, "anlan/static/anlan/icons", f"icon-{size}.png")) as image:
            assert (image.format, image.size) == ("PNG", (size, size))


def test_the_service_worker_is_javascript_for_the_whole_site_and_never_from_an_http_cache(client_of):
    response = client_of.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"] or "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Security-Policy"] == policy()


def test_the_worker_caches_the_shell_by_its_real_urls_and_the_offline_page(client, settings):
    body = client.get("/sw.js").content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["shell"] == [static(path) for path in SHELL_ASSETS]
    assert static("vendor/leaflet/leaflet.js") in config["shell"]
    assert config["offline"] == reverse("core:offline")
    assert config["header"] == "X-Anlan-Offline"
    assert config["owner"] == OWNER_HEADER
    # The pages' script checks whose kept copy it finds by the same header.
    assert f'"{OWNER_HEADER}"' in Path(settings.BASE_DIR, "anlan/static/anlan/field.js").read_text()
    assert len(config["version"]) == 12


def test_the_workers_version_follows_the_shell(client, settings, monkeypatch):
    first = client.get("/sw.js").content
    monkeypatch.setattr("anlan.core.pwa.SHELL_ASSETS", ("anlan/anlan.css",))
    assert client.get("/sw.js").content != first


def test_the_offline_page_names_nobody_and_links_only_the_forms_kept_offline(client, cast):
    client.force_login(cast["grid_worker"])
    response = client.get(reverse("core:offline"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "网络不可用" in html
    assert cast["grid_worker"].display_name not in html
    assert "csrfmiddlewaretoken" not in html
    assert f'data-offline-link="{reverse("hazards:lead-create")}" hidden' in html


def test_every_page_links_the_manifest_and_registers_the_worker(client, cast):
    client.force_login(cast["grid_worker"])
    html = client.get(reverse("core:home")).content.decode()
    assert f'<link rel="manifest" href="{reverse("core:manifest")}">' in html
    assert 'data-service-worker="/sw.js"' in html
    assert f'data-user="{cast["grid_worker"].pk}"' in html
    assert static("anlan/field.js") in html


def test_the_policy_lets_the_worker_and_the_manifest_load_from_our_origin_only():
    csp = policy()
    assert "worker-src 'self' blob:;" in csp
    assert "manifest-src 'self';" in csp
