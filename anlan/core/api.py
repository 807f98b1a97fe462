"""API for the core registry: regions, industries, departments, enterprises, the current user.

Every queryset is `for_user(request.user)`; writes go through anlan.core.services, like the pages.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from anlan.core import rules, selectors, services
from anlan.core.filters import DepartmentFilter, EnterpriseFilter, RegionFilter
from anlan.core.models import (
    Department,
    Enterprise,
    Grid,
    Industry,
    Licence,
    LicenceChange,
    Membership,
    Region,
)
from anlan.core.permissions import can, has_right


class ScopedReadOnly(viewsets.ReadOnlyModelViewSet):
    """A module's read-only list and detail of `model`: the rows `rows(user)` gives — the part's scoped selector,
    as its list page uses it — so an id out of scope is a 404, as on the pages."""

    model = None

    def rows(self, user):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a user
            return self.model.objects.none()
        return self.rows(self.request.user)


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_display", "parent", "kind", "urban_rural_code", "vintage"]


class IndustrySerializer(serializers.ModelSerializer):
    # A plain string: the section letter A–T, or "" for an industry without one (未归类).
    section = serializers.CharField(read_only=True, help_text="GB/T 4754-2017 section letter A-T, or empty")
    section_display = serializers.CharField(source="get_section_display", read_only=True)

    class Meta:
        model = Industry
        fields = ["id", "code", "name", "parent", "gb4754", "section", "section_display"]


class DepartmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "short_name",
            "region",
            "kind",
            "kind_display",
            "industries",
            "phone",
            "is_active",
        ]


class EnterpriseSerializer(serializers.ModelSerializer):
    """Phones are masked unless the caller's role acts on this enterprise (`contact_visible`)."""

    region_name = serializers.CharField(source="region.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    other_industries = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Industry.objects.all(), required=False
    )
    status = serializers.CharField(read_only=True)
    # The 主要负责人 is a Person: written as a name and an ID number (the service resolves them), read back
    # the same way (the number masked like the phones).
    principal = serializers.CharField(max_length=50, source="principal.name", required=False)
    principal_id_number = serializers.CharField(
        max_length=18, source="principal.id_number", required=False, allow_blank=True
    )

    class Meta:
        model = Enterprise
        # The writable fields are the service's (one list, services.ENTERPRISE_FIELDS); the rest is read-only.
        fields = [
            "id",
            *services.ENTERPRISE_FIELDS,
            "other_industries",
            "region_name",
            "industry_name",
            "status",
            "status_display",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"uscc": {"validators": []}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["region"].queryset = selectors.regions_for_choice(request.user)
            self.fields["grid"].queryset = Grid.objects.for_user(request.user)

    def validate_uscc(self, value):
        try:
            return rules.validate_uscc(value)
        except rules.RuleViolation as exc:
            raise serializers.ValidationError(exc.message, code=str(exc.code)) from exc

    def to_representation(self, instance):
        data = super().to_representation(instance)
        visible = getattr(instance, "contact_visible", None)
        if visible is None:
            request = self.context.get("request")
            visible = bool(request and can(request.user, "core.view_contact", instance))
        data["principal"] = data.get("principal") or ""
        data["principal_id_number"] = data.get("principal_id_number") or ""
        if not visible:
            for key in ("principal_phone", "safety_manager_phone"):
                data[key] = rules.mask_phone(data[key])
            data["principal_id_number"] = rules.mask_id_number(data["principal_id_number"])
        return data

    def validate(self, attrs):
        # source="principal.…" nests the input; the service takes the flat keys of services.ENTERPRISE_FIELDS.
        principal = attrs.pop("principal", {})
        if "name" in principal:
            attrs["principal"] = principal["name"]
        if "id_number" in principal:
            attrs["principal_id_number"] = principal["id_number"]
        if self.instance is None and "principal" not in attrs:
            raise serializers.ValidationError({"principal": _("请填写主要负责人姓名。")})
        return attrs


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Enterprise.Status.choices, label=_("经营状态"))
    reason = serializers.CharField(max_length=500, label=_("变更原因"))


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions inside the caller's jurisdiction; `?parent=<code>` lists children, `?level=` filters."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["code", "name"]
    lookup_field = "code"

    def get_queryset(self):
        return Region.objects.for_user(self.request.user).order_by("code")


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """The industry-domain tree (reference data, the same for everyone)."""

    serializer_class = IndustrySerializer
    queryset = Industry.objects.all()
    pagination_class = None


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter

    def get_queryset(self):
        return Department.objects.for_user(self.request.user).prefetch_related("industries").order_by("pk")


class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """生产经营单位. Create and update go through the same services as the pages; no delete (use status)."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    ordering_fields = ["name", "uscc", "region", "employees", "updated_at"]

    def get_queryset(self):
        user = self.request.user
        queryset = (
            selectors.enterprise_list(user).prefetch_related("other_industries").order_by("region_id", "name")
        )
        return selectors.with_contact_visibility(queryset, user)

    def get_object(self):
        enterprise = selectors.access_enterprise(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, enterprise)
        return enterprise

    def _data(self, serializer):
        data = dict(serializer.validated_data)
        others = data.pop("other_industries", None)
        return data, others

    def create(self, request, *args, **kwargs):
        if not has_right(request.user, "core.add_enterprise"):
            raise PermissionDenied()
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data, others = self._data(serializer)
        serializer.instance = services.create_enterprise(
            actor=self.request.user, data=data, other_industries=others or []
        )

    def perform_update(self, serializer):
        data, others = self._data(serializer)
        serializer.instance = services.update_enterprise(
            actor=self.request.user, enterprise_pk=self.kwargs["pk"], data=data, other_industries=others
        )

    def update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        if not can(request.user, "core.change_enterprise", enterprise):
            raise PermissionDenied()
        return super().update(request, *args, **kwargs)

    @extend_schema(request=StatusChangeSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Change the operating status (停产/关闭/注销 …) with a reason."""
        self.get_object()
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        enterprise = services.change_enterprise_status(
            actor=request.user, enterprise_pk=pk, **payload.validated_data
        )
        return Response(self.get_serializer(enterprise).data, status=status.HTTP_200_OK)


class LicenceChangeSerializer(serializers.ModelSerializer):
    """An enterprise's licence proposal; `licence` empty proposes a new licence, else `action` change/remove."""

    status = serializers.CharField(read_only=True)
    action = serializers.ChoiceField(choices=LicenceChange.Action.choices, required=False)

    class Meta:
        model = LicenceChange
        fields = [
            "id",
            "enterprise",
            "licence",
            "action",
            "kind",
            "number",
            "issued_by",
            "valid_from",
            "valid_until",
            "reason",
            "status",
            "proposed_at",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = ["proposed_at", "decided_at", "decision_reason"]
        extra_kwargs = {"enterprise": {"queryset": Enterprise.objects.none()}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.for_user(request.user)
            self.fields["licence"].queryset = Licence.objects.for_user(request.user)


class LicenceDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class LicenceChangeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """证照变更申请: an enterprise proposes (POST); a supervisor in scope accepts (applies it) or refuses it with
    a reason. Licences themselves are kept by the supervising bodies and have no write endpoint here."""

    serializer_class = LicenceChangeSerializer

    def get_queryset(self):
        return LicenceChange.objects.for_user(self.request.user).order_by("-proposed_at", "-id")

    def get_object(self):
        return selectors.access_licence_change(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not has_right(request.user, "core.propose_licence"):
            raise PermissionDenied()
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise, licence = data.pop("enterprise"), data.pop("licence", None)
        serializer.instance = services.propose_licence_change(
            actor=self.request.user,
            enterprise_pk=enterprise.pk,
            data=data,
            licence_pk=licence.pk if licence else None,
        )

    def _decide(self, request, pk, accept: bool):
        payload = LicenceDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        change = services.decide_licence_change(
            actor=request.user, change_pk=pk, accept=accept, reason=payload.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(change).data)

    @extend_schema(request=LicenceDecisionSerializer, responses=LicenceChangeSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(request=LicenceDecisionSerializer, responses=LicenceChangeSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, pk, False)


class MembershipSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["role", "role_display", "region", "department", "enterprise", "grid", "title"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    real_name = serializers.CharField()
    memberships = MembershipSerializer(many=True)


class MeView(APIView):
    """The caller and their roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        memberships = user.memberships.filter(is_active=True)
        return Response(
            MeSerializer(
                {"username": user.username, "real_name": user.real_name, "memberships": memberships}
            ).data
        )


# Mounted under /api/v1/ by the module contract (core/apps.py).
urlpatterns = [path("me/", MeView.as_view(), name="me")]
