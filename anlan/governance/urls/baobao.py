"""Routes of 四级包保."""

from django.urls import path

from ..views import baobao as views

urlpatterns = [
    path("baobao/", views.assignment_list, name="baobao-list"),
    path("baobao/export/", views.assignment_export, name="baobao-export"),
    path("baobao/new/", views.assignment_create, name="baobao-create"),
    path("baobao/mine/", views.mine, name="baobao-mine"),
    path("baobao/<int:pk>/", views.assignment_detail, name="baobao-detail"),
    path("baobao/<int:pk>/edit/", views.assignment_edit, name="baobao-edit"),
    path("baobao/<int:pk>/deactivate/", views.assignment_deactivate, name="baobao-deactivate"),
    path("baobao/<int:pk>/visits/new/", views.visit_create, name="baobao-visit-create"),
    path("baobao/enterprise/<int:pk>/", views.enterprise_panel, name="baobao-enterprise-panel"),
]
