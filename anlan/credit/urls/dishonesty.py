"""Routes of the 严重失信主体名单."""

from django.urls import include, path

from anlan.core.entry import transition_patterns

from ..models import DishonestyCase
from ..views import dishonesty as views

urlpatterns = [
    path("dishonesty/", views.case_list, name="dishonesty-list"),
    path("dishonesty/export/", views.case_export, name="dishonesty-export"),
    path("dishonesty/candidates/", views.candidate_list, name="dishonesty-candidates"),
    path("dishonesty/candidates/new/", views.candidate_create, name="dishonesty-create"),
    path("dishonesty/settings/", views.settings_list, name="dishonesty-settings"),
    path("dishonesty/settings/<str:code>/", views.settings_edit, name="dishonesty-settings-edit"),
    path("dishonesty/<int:pk>/", views.case_detail, name="dishonesty-detail"),
    path("dishonesty/<int:pk>/document/<str:kind>/", views.case_document, name="dishonesty-document"),
    path(
        "dishonesty/",
        include(transition_patterns("dishonesty", DishonestyCase.ACTIONS, views.case_transition)),
    ),
    path("dishonesty/enterprise/<int:pk>/", views.enterprise_panel, name="dishonesty-enterprise-panel"),
]
