"""Response headers every page and API answer carries: a Content-Security-Policy and, for whatever a signed-in
user or an API client receives, `Cache-Control: no-store` (no copy left in a browser's or a proxy's cache)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.cache import patch_cache_control

CSP_HEADER = "Content-Security-Policy"


def tile_origin(url: str) -> str:
    """The origin of the map tile URL template (`https://{s}.tile.example.org/{z}/{x}/{y}.png`), or ''."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def policy(*, styles: str = "'self'") -> str:
    """Scripts and style sheets from our own origin only (htmx, Bootstrap, ECharts and Leaflet are served
    locally). Style *attributes* stay allowed: they cannot load anything or select elements."""
    images = " ".join(filter(None, ["'self'", "data:", "blob:", tile_origin(settings.ANLAN_MAP_TILE_URL)]))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {styles}",
            "style-src-attr 'unsafe-inline'",
            f"img-src {images}",
            "font-src 'self' data:",
            "connect-src 'self'",
            # The service worker (/sw.js, core.pwa) and the web app manifest come from our own origin.
            "worker-src 'self' blob:",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def own_styles(view):
    """For a third-party page that injects its own <style> elements (the API documentation)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers.setdefault(CSP_HEADER, policy(styles="'self' 'unsafe-inline'"))
        return response

    return wrapped


class SecurityHeadersMiddleware:
    """Sets the CSP (unless the view set its own) and `no-store` for signed-in users and the API."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(CSP_HEADER, self.csp)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or getattr(user, "is_authenticated", False):
            patch_cache_control(response, no_store=True, private=True)
        return response
