"""API for hazards, leads, extensions and 挂牌督办. Scoped querysets; every write calls anlan.hazards.services.

Transitions are POST actions on the hazard (`/hazards/42/verify/` …), like the pages. Photos are sent as
multipart `photos` files.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from anlan.core.models import Enterprise, Grid, Industry, Region, Unit
from anlan.core.permissions import has_right
from anlan.core.selectors import regions_for_choice
from anlan.core.workflow import available_transitions_by_pk
from anlan.hazards import selectors, services
from anlan.hazards.filters import HazardFilter, LeadFilter, SupervisionFilter
from anlan.hazards.models import Extension, Hazard, Lead, Supervision, Verification

PARSERS = [JSONParser, MultiPartParser, FormParser]


class TransitionsListSerializer(serializers.ListSerializer):
    """A page of records whose `transitions` are worked out for the whole page at once, not row by row."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        if request is not None:
            self.child.page_transitions = self.child.transitions_of(rows, request.user)
        return super().to_representation(rows)


class TransitionsMixin:
    """`transitions`: the names of the transitions the requesting user may take on the record now."""

    def transitions_of(self, records: list, user) -> dict:
        raise NotImplementedError

    def get_transitions(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        known = getattr(self, "page_transitions", None)
        if known is None or obj.pk not in known:
            known = self.transitions_of([obj], request.user)
        return [t.name for t in known[obj.pk]]


class PhotosMixin(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(), required=False, write_only=True)


class HazardSerializer(TransitionsMixin, PhotosMixin, serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    number = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    subject = serializers.CharField(read_only=True)
    transitions = serializers.SerializerMethodField()
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none(), required=False)
    industry = serializers.PrimaryKeyRelatedField(queryset=Industry.objects.all(), required=False)
    # Any existing unit parses; the service accepts only a government unit of the place's county.
    responsible_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)

    class Meta:
        model = Hazard
        # What registration accepts is the service's list (Hazard.REGISTRATION_FIELDS); the rest is read-only.
        read_only_fields = [
            "finding_unit",
            "registering_unit",
            "inspection_finding",
            "supervising_department",
            "expert",
            "reopened_from",
            "verified_by",
            "verified_at",
            "closed_on",
            "created_at",
        ]
        fields = [
            "id",
            "number",
            "subject",
            *Hazard.REGISTRATION_FIELDS,
            "grade_display",
            "status",
            "status_display",
            *read_only_fields,
            "transitions",
            "photos",
        ]
        list_serializer_class = TransitionsListSerializer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["region"].queryset = regions_for_choice(request.user)
            self.fields["enterprise"].queryset = Enterprise.objects.for_user(request.user)
            self.fields["grid"].queryset = Grid.objects.for_user(request.user)

    def transitions_of(self, hazards: list, user) -> dict:
        return selectors.hazard_actions_by_pk(hazards, user)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not selectors.shows_finder(request.user, instance):
            # The reporter of a tip-off or a grid patrol stays unknown to the enterprise (rules.finder_hidden).
            data["finder"], data["finding_unit"] = "", None
        return data


class PlanSerializer(serializers.Serializer):
    responsible_person = serializers.CharField(max_length=50, label=_("责任人"))
    responsible_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    measures = serializers.CharField(label=_("整改措施"))
    due_on = serializers.DateField(label=_("整改时限"))
    funds = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    interim_measures = serializers.CharField(required=False, allow_blank=True)
    goals = serializers.CharField(required=False, allow_blank=True)
    organisation = serializers.CharField(max_length=100, required=False, allow_blank=True)


class RectificationSerializer(PhotosMixin):
    description = serializers.CharField(label=_("整改情况"))


class VerifySerializer(serializers.Serializer):
    passed = serializers.BooleanField(label=_("验收通过"))
    opinion = serializers.CharField(label=_("验收意见"))
    method = serializers.ChoiceField(choices=Verification.Method.choices, label=_("验收方式"))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, label=_("原因"))


class ExtensionRequestSerializer(serializers.Serializer):
    new_due_on = serializers.DateField(label=_("申请延期至"))
    reason = serializers.CharField(label=_("延期理由"))


class SupervisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supervision
        fields = [
            "id",
            "hazard",
            "level",
            "issuer",
            "letter_number",
            "due_on",
            "responsible_unit",
            "raised_from",
            "document",
            "requirements",
            "status",
            "issued_by",
            "issued_at",
            "lift_opinion",
            "lifted_by",
            "lifted_at",
        ]
        read_only_fields = fields


class SupervisionRequestSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Supervision.Level.choices)
    due_on = serializers.DateField()
    # Any existing unit parses; the service accepts only the hazard's units (services.responsible_units).
    responsible_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    requirements = serializers.CharField()


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = [
            "id",
            "hazard",
            "old_due_on",
            "new_due_on",
            "reason",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True)


class LeadSerializer(TransitionsMixin, PhotosMixin, serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    transitions = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = [
            "id",
            "source",
            "enterprise",
            "place",
            "region",
            "grid",
            "description",
            "longitude",
            "latitude",
            "reported_on",
            "reporter_name",
            "reporter_phone",
            "status",
            "hazard",
            "decided_by",
            "decided_at",
            "created_at",
            "transitions",
            "photos",
        ]
        list_serializer_class = TransitionsListSerializer
        read_only_fields = ["grid", "hazard", "decided_by", "decided_at", "created_at"]
        extra_kwargs = {"region": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Any existing region parses; the service places a grid worker's lead in their grid and
            # refuses a region outside the reporter's jurisdiction.
            self.fields["region"].queryset = Region.objects.all()
            self.fields["enterprise"].queryset = Enterprise.objects.for_user(request.user)

    def transitions_of(self, leads: list, user) -> dict:
        return available_transitions_by_pk(leads, user, Lead.TRANSITIONS)


class LeadConfirmSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Hazard.Category.choices)
    grade = serializers.ChoiceField(choices=Hazard.Grade.choices)
    due_on = serializers.DateField()
    industry = serializers.PrimaryKeyRelatedField(queryset=Industry.objects.all(), required=False)
    major_criterion = serializers.CharField(required=False, allow_blank=True)
    major_basis = serializers.CharField(required=False, allow_blank=True)
    location = serializers.CharField(required=False, allow_blank=True)


def _payload(serializer_class, request):
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


class HazardViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """事故隐患: register (POST), read, and move through the closed loop with the POST actions."""

    serializer_class = HazardSerializer
    filterset_class = HazardFilter
    parser_classes = PARSERS
    ordering_fields = ["found_on", "due_on", "number"]

    def get_queryset(self):
        return selectors.with_guard_facts(selectors.hazard_list(self.request.user)).order_by(
            "-found_on", "-id"
        )

    def get_object(self):
        return selectors.access_hazard(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not has_right(request.user, "hazards.register_hazard"):
            raise PermissionDenied()
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        photos = data.pop("photos", [])
        serializer.instance = services.register_hazard(actor=self.request.user, data=data, photos=photos)

    def _done(self, hazard_pk):
        hazard = selectors.access_hazard(self.request.user, hazard_pk)
        return Response(self.get_serializer(hazard).data, status=status.HTTP_200_OK)

    @extend_schema(request=PlanSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """Record the rectification plan (五落实 for a major hazard); a registered hazard starts rectifying."""
        data = dict(_payload(PlanSerializer, request))
        phone = data.pop("responsible_phone", "")
        services.record_plan(actor=request.user, hazard_pk=pk, plan=data, responsible_phone=phone)
        return self._done(pk)

    @extend_schema(request=RectificationSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the rectification with after-photos (multipart `photos`)."""
        data = _payload(RectificationSerializer, request)
        services.submit_rectification(
            actor=request.user, hazard_pk=pk, description=data["description"], photos=data.get("photos", [])
        )
        return self._done(pk)

    @extend_schema(request=RectificationSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path="fix-on-the-spot")
    def fix_on_the_spot(self, request, pk=None):
        """立即整改 of an ordinary hazard: straight to verification."""
        data = _payload(RectificationSerializer, request)
        services.fix_on_the_spot(
            actor=request.user, hazard_pk=pk, description=data["description"], photos=data.get("photos", [])
        )
        return self._done(pk)

    @extend_schema(request=RectificationSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path="witness-fix")
    def witness_fix(self, request, pk=None):
        """当场整改 witnessed by an official (with photos); another official verifies it."""
        data = _payload(RectificationSerializer, request)
        services.witness_fix(
            actor=request.user, hazard_pk=pk, description=data["description"], photos=data.get("photos", [])
        )
        return self._done(pk)

    @extend_schema(request=VerifySerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """验收: passed closes the hazard (销号); not passed sends it back with the opinion."""
        data = _payload(VerifySerializer, request)
        services.verify_rectification(
            actor=request.user,
            hazard_pk=pk,
            passed=data["passed"],
            opinion=data["opinion"],
            method=data["method"],
        )
        return self._done(pk)

    @extend_schema(request=ReasonSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        services.void_hazard(
            actor=request.user, hazard_pk=pk, reason=_payload(ReasonSerializer, request)["reason"]
        )
        return self._done(pk)

    @extend_schema(request=ExtensionRequestSerializer, responses=ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Request a later deadline from the overseeing department."""
        data = _payload(ExtensionRequestSerializer, request)
        extension = services.request_extension(actor=request.user, hazard_pk=pk, **data)
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SupervisionRequestSerializer, responses=SupervisionSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        """挂牌督办: issues the numbered 隐患挂牌督办函."""
        data = _payload(SupervisionRequestSerializer, request)
        supervision = services.issue_supervision(actor=request.user, hazard_pk=pk, **data)
        return Response(SupervisionSerializer(supervision).data, status=status.HTTP_201_CREATED)


class LeadViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """隐患线索 from grid workers and tip-offs; confirmed into a hazard or dismissed with a reason."""

    serializer_class = LeadSerializer
    filterset_class = LeadFilter
    parser_classes = PARSERS

    def get_queryset(self):
        return selectors.lead_list(self.request.user).order_by("-created_at", "-id")

    def get_object(self):
        return selectors.access_lead(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not has_right(request.user, "hazards.report_lead"):
            raise PermissionDenied()
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        photos = data.pop("photos", [])
        serializer.instance = services.report_lead(actor=self.request.user, data=data, photos=photos)

    @extend_schema(request=LeadConfirmSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        hazard = services.confirm_lead(
            actor=request.user, lead_pk=pk, data=_payload(LeadConfirmSerializer, request)
        )
        return Response(
            HazardSerializer(hazard, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ReasonSerializer, responses=LeadSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        lead = services.dismiss_lead(
            actor=request.user, lead_pk=pk, reason=_payload(ReasonSerializer, request)["reason"]
        )
        return Response(self.get_serializer(lead).data)


class ExtensionViewSet(viewsets.ReadOnlyModelViewSet):
    """Deadline extension requests; `decide` approves or refuses."""

    serializer_class = ExtensionSerializer
    filterset_fields = ["status", "hazard"]

    def get_queryset(self):
        return Extension.objects.for_user(self.request.user).order_by("-requested_at", "-id")

    def get_object(self):
        return selectors.access(Extension.objects.all(), self.request.user, self.kwargs["pk"])

    @extend_schema(request=DecisionSerializer, responses=ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = _payload(DecisionSerializer, request)
        extension = services.decide_extension(
            actor=request.user, extension_pk=pk, approve=data["approve"], note=data.get("note", "")
        )
        return Response(self.get_serializer(extension).data)


class SupervisionViewSet(viewsets.ReadOnlyModelViewSet):
    """挂牌督办 records; `lift` (摘牌) after close-out with the supervising body's opinion."""

    serializer_class = SupervisionSerializer
    filterset_class = SupervisionFilter

    def get_queryset(self):
        return Supervision.objects.for_user(self.request.user).order_by("-issued_at", "-id")

    def get_object(self):
        return selectors.access(Supervision.objects.all(), self.request.user, self.kwargs["pk"])

    @extend_schema(request=ReasonSerializer, responses=SupervisionSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        supervision = services.lift_supervision(
            actor=request.user, supervision_pk=pk, opinion=_payload(ReasonSerializer, request)["reason"]
        )
        return Response(self.get_serializer(supervision).data)
