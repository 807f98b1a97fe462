"""Routes of materials (应急物资)."""

from django.urls import path

from ..views import materials as views

urlpatterns = [
    path("materials/", views.warehouse_list, name="material-warehouse-list"),
    path("materials/export/", views.material_export, name="material-export"),
    path("materials/alerts/", views.alerts, name="material-alerts"),
    path("materials/nearest/", views.nearest, name="material-nearest"),
    path("materials/warehouses/new/", views.warehouse_form, name="material-warehouse-create"),
    path("materials/warehouses/<int:pk>/", views.warehouse_detail, name="material-warehouse-detail"),
    path("materials/warehouses/<int:pk>/edit/", views.warehouse_form, name="material-warehouse-edit"),
    path("materials/warehouses/<int:pk>/items/new/", views.item_create, name="material-item-create"),
    path("materials/items/<int:pk>/", views.item_detail, name="material-item-detail"),
    path("materials/items/<int:pk>/move/", views.item_move, name="material-item-move"),
    path("materials/items/<int:pk>/maintain/", views.item_maintain, name="material-item-maintain"),
]
