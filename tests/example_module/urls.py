from django.urls import path

from . import views

app_name = "example_module"

urlpatterns = [
    path("hydrants/", views.hydrant_list, name="hydrant-list"),
    path("enterprises/<int:pk>/hydrants/", views.enterprise_panel, name="enterprise-panel"),
]
