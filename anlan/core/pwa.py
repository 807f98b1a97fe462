"""The installable app (PWA): the web app manifest, the service worker at the site root and the page it shows
for a navigation while the network is down.

What the worker keeps (docs/operations.md, "Service worker"): the app shell (the vendored CSS/JS, fonts, icons
by their real hashed URLs, and this offline page) and, per page, only the forms a view marks with
`offline_form` (the lead and hazard registration forms, so that a draft can be opened and kept without a
network). No other signed-in page, no API answer and no photo is ever put in its cache.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .contract import registry

# The response header by which a view marks a page the worker may keep for offline use (a draft form), and the
# one naming whose page it is: the worker drops only other users' pages, whatever order its messages arrive in.
OFFLINE_HEADER = "X-Anlan-Offline"
OWNER_HEADER = "X-Anlan-Owner"
THEME_COLOUR = "#0b4f6c"
ICONS = {192: "anlan/icons/icon-192.png", 512: "anlan/icons/icon-512.png"}
# The app shell, cached when the worker installs: everything a form page loads (base.html, the map and
# field.js), so that a kept form opens fully styled and working offline.
SHELL_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
    "vendor/htmx/htmx.min.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
    "anlan/anlan.css",
    "anlan/anlan.js",
    "anlan/field.js",
    "anlan/favicon.svg",
    *ICONS.values(),
)


def offline_form(request, response: HttpResponse) -> HttpResponse:
    """Mark a form page the service worker may keep, so that it opens (with its draft) without a network, and
    name the signed-in user it was rendered for."""
    if response.status_code == 200:
        response[OFFLINE_HEADER] = "draft-form"
        response[OWNER_HEADER] = str(request.user.pk)
    return response


def shell_urls() -> list[str]:
    """The shell's real URLs (hashed names under the manifest storage)."""
    return [static(path) for path in SHELL_ASSETS]


@require_GET
def manifest(request):
    """The web app manifest: 安澜 opens standalone at `/`, with the brand colour and two PNG icons."""
    data = {
        "name": _("安澜"),
        "short_name": _("安澜"),
        "description": _("安全生产监管与应急管理平台"),
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any maskable"}
            for size, path in ICONS.items()
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request):
    """The worker script, served from the root so that its scope is the whole site. Its version is a digest
    of the shell's hashed URLs: a deployment that changes an asset changes the script, and browsers install
    the new worker (which drops the old caches)."""
    urls = shell_urls()
    offline_url = reverse("core:offline")
    version = hashlib.sha256(json.dumps([urls, offline_url]).encode()).hexdigest()[:12]
    response = render(
        request,
        "core/sw.js",
        {
            "config": json.dumps(
                {
                    "version": version,
                    "shell": urls,
                    "offline": offline_url,
                    "static": settings.STATIC_URL,
                    "header": OFFLINE_HEADER,
                    "owner": OWNER_HEADER,
                }
            ),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    # Browsers check the worker for updates on navigation; never serve it from an HTTP cache.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """What a navigation shows while the network is down. The same for everyone (the worker caches it for
    every user of the phone): no name, no record; the links to the forms kept for offline use are shown by
    the page's script only when the worker holds them."""
    shortcuts = sorted(registry().shortcuts, key=lambda s: s.order)
    return render(request, "core/offline.html", {"shortcuts": shortcuts})
