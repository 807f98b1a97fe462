from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from . import accidents as accidents_api
from . import core
from . import hazards as hazards_api
from . import inspections as inspections_api
from . import notifications as notifications_api

router = DefaultRouter()
router.register("regions", core.RegionViewSet, basename="region")
router.register("industries", core.IndustryViewSet, basename="industry")
router.register("departments", core.DepartmentViewSet, basename="department")
router.register("enterprises", core.EnterpriseViewSet, basename="enterprise")
router.register("hazards", hazards_api.HazardViewSet, basename="hazard")
router.register("hazard-leads", hazards_api.LeadViewSet, basename="hazard-lead")
router.register("hazard-extensions", hazards_api.ExtensionViewSet, basename="hazard-extension")
router.register("hazard-supervisions", hazards_api.SupervisionViewSet, basename="hazard-supervision")
router.register("notifications", notifications_api.NotificationViewSet, basename="notification")
router.register("accidents", accidents_api.AccidentViewSet, basename="accident")
router.register("inspection-plans", inspections_api.PlanViewSet, basename="inspection-plan")
router.register("inspection-draws", inspections_api.DrawViewSet, basename="inspection-draw")
router.register("inspections", inspections_api.InspectionViewSet, basename="inspection")
router.register("enforcement-actions", inspections_api.EnforcementViewSet, basename="enforcement-action")
router.register("suspensions", inspections_api.SuspensionViewSet, basename="suspension")
router.register("resumptions", inspections_api.ResumptionViewSet, basename="resumption")

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/me/", core.MeView.as_view(), name="me"),
    path(
        "v1/accident-statistics/",
        accidents_api.AccidentStatisticsView.as_view(),
        name="accident-statistics",
    ),
    path("v1/auth/token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
