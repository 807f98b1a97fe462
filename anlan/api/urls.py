"""The API root: every module's viewsets and paths, mounted from the module contract, plus schema and auth."""

from django.urls import include, path
from django.utils.module_loading import import_string
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from anlan.core.contract import registry

router = DefaultRouter()
for prefix, viewset, basename in registry().api_routes:
    router.register(prefix, import_string(viewset), basename=basename)

module_paths = [pattern for dotted in registry().api_paths for pattern in import_string(dotted)]

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/", include(module_paths)),
    path("v1/auth/token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
