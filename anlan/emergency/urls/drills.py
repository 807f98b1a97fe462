"""Routes of drills (应急演练)."""

from django.urls import path

from ..views import drills as views

urlpatterns = [
    path("drills/", views.drill_list, name="drill-list"),
    path("drills/compliance/", views.compliance, name="drill-compliance"),
    path("drills/new/", views.drill_create, name="drill-create"),
    path("drills/<int:pk>/", views.drill_detail, name="drill-detail"),
    path("drills/<int:pk>/evaluate/", views.drill_evaluate, name="drill-evaluate"),
    path("drills/<int:pk>/problems/", views.drill_problem, name="drill-problem"),
    path("drills/<int:pk>/report/", views.drill_report, name="drill-report"),
    path("drills/<int:pk>/acknowledge/", views.drill_acknowledge, name="drill-acknowledge"),
    path("drills/problems/<int:pk>/hazard/", views.problem_hazard, name="drill-problem-hazard"),
]
