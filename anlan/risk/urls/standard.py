"""Routes of 标准化, 安责险, 安全生产费用 and 安全生产责任制."""

from django.urls import include, path

from anlan.core.entry import transition_patterns

from ..models import StandardisationGrade
from ..views import standard as views

urlpatterns = [
    path("standard/grades/", views.grade_list, name="standard-grade-list"),
    path("standard/grades/export/", views.grade_export, name="standard-grade-export"),
    path("standard/grades/<int:pk>/", views.grade_detail, name="standard-grade-detail"),
    path("standard/grades/<int:pk>/confirm/", views.grade_confirm, name="standard-grade-confirm"),
    path(
        "standard/grades/",
        include(transition_patterns("standard-grade", StandardisationGrade.ACTIONS, views.grade_transition)),
    ),
    path("standard/policies/", views.policy_list, name="standard-policy-list"),
    path("standard/policies/export/", views.policy_export, name="standard-policy-export"),
    path("standard/policies/<int:pk>/", views.policy_detail, name="standard-policy-detail"),
    path("standard/policies/<int:pk>/services/new/", views.service_create, name="standard-service-create"),
    path("standard/uninsured/", views.uninsured_list, name="standard-uninsured"),
    path("standard/uninsured/export/", views.uninsured_export, name="standard-uninsured-export"),
    path("standard/spending/", views.spending_list, name="standard-spending-list"),
    path("standard/enterprise/<int:pk>/", views.enterprise_panel, name="standard-enterprise-panel"),
    path("standard/enterprise/<int:pk>/grades/new/", views.grade_create, name="standard-grade-create"),
    path("standard/enterprise/<int:pk>/policies/new/", views.policy_create, name="standard-policy-create"),
    path("standard/enterprise/<int:pk>/spending/", views.spending_create, name="standard-spending-create"),
    path(
        "standard/enterprise/<int:pk>/responsibility/new/",
        views.responsibility_create,
        name="standard-responsibility-create",
    ),
]
