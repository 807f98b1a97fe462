"""Read-only API of preparedness: plans (预案), drills (演练), warehouses and materials (应急物资) with the nearest
search — scoped like the pages."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..forms.drills import DrillFilter
from ..forms.materials import ItemFilter, NearestForm, WarehouseFilter
from ..forms.plans import PlanFilter
from ..models import Drill, MaterialItem, Plan, Warehouse
from ..selectors import drills as drill_selectors
from ..selectors import materials as material_selectors
from ..selectors import plans as plan_selectors
from . import ScopedReadOnly


def _display(name: str):
    return serializers.CharField(source=f"get_{name}_display", read_only=True)


class PlanSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    kind_display = _display("kind")
    status_display = _display("status")
    filing_status_display = _display("filing_status")

    class Meta:
        model = Plan
        fields = [
            "id",
            "owner",
            "owner_name",
            "region",
            "kind",
            "kind_display",
            "title",
            "number",
            "response_levels",
            "unit_category",
            "review_kind",
            "status",
            "status_display",
            "version",
            "signed_on",
            "published_on",
            "filing_status",
            "filing_status_display",
            "filing_due_on",
            "evaluation_due_on",
            "revision_due_on",
        ]


class PlanViewSet(ScopedReadOnly):
    """应急预案 in the caller's jurisdiction."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    model = Plan

    def rows(self, user):
        return plan_selectors.plan_list(user).select_related("owner").order_by("-created_at", "-pk")


class DrillSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    kind_display = _display("kind")
    status_display = _display("status")

    class Meta:
        model = Drill
        fields = [
            "id",
            "plan",
            "owner",
            "owner_name",
            "region",
            "kind",
            "kind_display",
            "title",
            "scenario",
            "place",
            "held_on",
            "participants",
            "status",
            "status_display",
            "conclusion",
            "evaluated_on",
            "reported_to",
            "reported_at",
            "acknowledged_at",
        ]


class DrillViewSet(ScopedReadOnly):
    """应急演练 in the caller's jurisdiction."""

    serializer_class = DrillSerializer
    filterset_class = DrillFilter
    model = Drill

    def rows(self, user):
        return drill_selectors.drill_list(user).select_related("owner").order_by("-held_on", "-pk")


class WarehouseSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    kind_display = _display("kind")

    class Meta:
        model = Warehouse
        fields = [
            "id",
            "owner",
            "owner_name",
            "region",
            "name",
            "kind",
            "kind_display",
            "address",
            "latitude",
            "longitude",
            "keeper",
            "keeper_phone",
            "is_active",
        ]


class WarehouseViewSet(ScopedReadOnly):
    """应急物资仓库 in the caller's jurisdiction."""

    serializer_class = WarehouseSerializer
    filterset_class = WarehouseFilter
    model = Warehouse

    def rows(self, user):
        return material_selectors.warehouse_list(user).select_related("owner").order_by("name", "pk")


class MaterialSerializer(serializers.ModelSerializer):
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    category_display = _display("category")

    class Meta:
        model = MaterialItem
        fields = [
            "id",
            "warehouse",
            "warehouse_name",
            "category",
            "category_display",
            "name",
            "specification",
            "unit",
            "quantity",
            "minimum_stock",
            "expires_on",
            "maintenance_due_on",
            "latitude",
            "longitude",
        ]


class NearbySerializer(serializers.Serializer):
    distance_km = serializers.FloatField()
    item = MaterialSerializer()


class MaterialViewSet(ScopedReadOnly):
    """应急物资 in the caller's jurisdiction; `nearest/?latitude=&longitude=&n=&category=&name=` gives the n items
    in stock nearest to a point (1–50, default 10), nearest first."""

    serializer_class = MaterialSerializer
    filterset_class = ItemFilter
    model = MaterialItem

    def rows(self, user):
        return material_selectors.item_list(user).order_by("warehouse_id", "name", "pk")

    @action(
        detail=False,
        methods=["get"],
        serializer_class=NearbySerializer,
        filterset_class=None,
        pagination_class=None,
    )
    def nearest(self, request):
        data = request.query_params.copy()
        data.setdefault("n", "10")
        form = NearestForm(data)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        found = material_selectors.nearest(
            request.user,
            latitude=form.cleaned_data["latitude"],
            longitude=form.cleaned_data["longitude"],
            n=form.cleaned_data["n"],
            category=form.cleaned_data["category"],
            name=form.cleaned_data["name"],
        )
        return Response(NearbySerializer(found, many=True).data)
