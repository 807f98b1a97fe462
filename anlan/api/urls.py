"""The API root: every module's viewsets and paths, mounted from the module contract, plus schema and auth.

The schema and its documentation pages are for signed-in users only (anonymous: 401 for the schema, the
login page for the documentation)."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.module_loading import import_string
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from anlan.core.contract import registry
from anlan.core.headers import own_styles

from .views import obtain_token


class Router(DefaultRouter):
    """Record ids in paths are digits: anything else is a 404 of the router, never a lookup with a bad id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_value_pattern = (
            "[0-9]+"  # DRF's default, '[^/.]+', for viewsets without lookup_value_regex
        )


router = Router()
for prefix, viewset, basename in registry().api_routes:
    router.register(prefix, import_string(viewset), basename=basename)

module_paths = [pattern for dotted in registry().api_paths for pattern in import_string(dotted)]

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/", include(module_paths)),
    path("v1/auth/token/", obtain_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the page needs no inline script (CSP).
    path(
        "docs/",
        login_required(own_styles(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))),
        name="docs",
    ),
    path(
        "redoc/",
        login_required(own_styles(SpectacularRedocView.as_view(url_name="api:schema"))),
        name="redoc",
    ),
]
