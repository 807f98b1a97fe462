"""API for inspection plans, 双随机 draws, inspections, enforcement and 复产验收, mounted through the module
contract (apps.py). Scoped querysets (an enterprise never gets a planned 四不两直 visit, not even as a 404 that
differs from any other); the inspection list filters like the page (filters.InspectionFilter); every write
calls the services, like the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anlan.api.fields import PendingChoiceField
from anlan.core.models import Department, Enterprise, Industry
from anlan.core.permissions import has_right

from . import rules, selectors, services
from .filters import InspectionFilter
from .models import (
    Answer,
    EnforcementAction,
    Inspection,
    InspectionPlan,
    RandomDraw,
    Resumption,
    ResumptionStep,
    RiskLevel,
    Suspension,
)


def _payload(serializer_class, request):
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


class CreateWithRight(mixins.CreateModelMixin):
    """POST needs `create_right` (403 without it, before the payload is read); the service checks the scope."""

    create_right = ""

    def create(self, request, *args, **kwargs):
        if not has_right(request.user, self.create_right):
            raise PermissionDenied()
        return super().create(request, *args, **kwargs)


class PlanningCreate(CreateWithRight):
    """POST of a planning record (plan, draw): also 403 for whoever keeps no department's planning (the 安委办
    without a comprehensive department reads planning, it does not make it)."""

    def create(self, request, *args, **kwargs):
        if not selectors.planning_departments(request.user, self.create_right).exists():
            raise PermissionDenied()
        return super().create(request, *args, **kwargs)


class InspectionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


# ---------------------------------------------------------------- plans


class PlanTargetSerializer(serializers.Serializer):
    industry = serializers.PrimaryKeyRelatedField(
        queryset=Industry.objects.all(), required=False, allow_null=True
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False, allow_blank=True)
    count = serializers.IntegerField(min_value=0)


class InspectionPlanSerializer(serializers.ModelSerializer):
    targets = PlanTargetSerializer(many=True, required=False)
    planned_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "department",
            "year",
            "title",
            "monthly_counts",
            "notes",
            "targets",
            "planned_total",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"department": {"queryset": Department.objects.none()}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["department"].queryset = selectors.planning_departments(
                request.user, "inspections.manage_plan"
            )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["targets"] = [
            {"industry": t.industry_id, "risk_level": t.risk_level, "count": t.count}
            for t in instance.targets.all()
        ]
        return data


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlanningCreate, viewsets.GenericViewSet):
    """年度监督检查计划: planned inspections per month (12 numbers) and targets by industry and risk level."""

    create_right = "inspections.manage_plan"
    serializer_class = InspectionPlanSerializer

    def get_queryset(self):
        return (
            InspectionPlan.objects.for_user(self.request.user)
            .prefetch_related("targets")
            .order_by("-year", "id")
        )

    def get_object(self):
        return selectors.access_plan(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        targets = data.pop("targets", [])
        data["department"] = data["department"].pk
        serializer.instance = services.save_plan(actor=self.request.user, data=data, targets=targets)


# ---------------------------------------------------------------- draws


class DrawSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    seed = serializers.IntegerField(required=False, min_value=0)
    risk_levels = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.RISK_LEVELS), required=False
    )

    class Meta:
        model = RandomDraw
        fields = [
            "id",
            "department",
            "plan",
            "title",
            "period_start",
            "period_end",
            "region",
            "industry",
            "risk_levels",
            "method",
            "sample_size",
            "team_size",
            "seed",
            "pool",
            "inspectors",
            "conflicts",
            "used_pairs",
            "weights",
            "result",
            "status",
            "drawn_at",
            "confirmed_at",
            "published_at",
            "ended_on",
            "publish_due_on",
            "published_late",
        ]
        read_only_fields = [
            "pool",
            "inspectors",
            "conflicts",
            "used_pairs",
            "weights",
            "result",
            "drawn_at",
            "confirmed_at",
            "published_at",
            "ended_on",
            "publish_due_on",
            "published_late",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            departments = selectors.planning_departments(request.user, "inspections.draw")
            self.fields["department"].queryset = departments
            self.fields["plan"].queryset = InspectionPlan.objects.filter(department__in=departments)


class DrawVerifySerializer(serializers.Serializer):
    matches = serializers.BooleanField()
    result = serializers.JSONField()


class DrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlanningCreate, viewsets.GenericViewSet):
    """双随机抽取: create runs the draw (a draft with every input recorded); confirm makes it immutable and plans
    the inspections; publish makes it public; verify re-runs it from the recorded inputs."""

    create_right = "inspections.draw"
    serializer_class = DrawSerializer

    def get_queryset(self):
        return RandomDraw.objects.for_user(self.request.user).order_by("-drawn_at", "-id")

    def get_object(self):
        return selectors.access_draw(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["department"] = data["department"].pk
        serializer.instance = services.create_draw(actor=self.request.user, data=data)

    @extend_schema(request=None, responses=DrawSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return Response(self.get_serializer(services.confirm_draw(actor=request.user, draw_pk=pk)).data)

    @extend_schema(request=None, responses=DrawSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return Response(self.get_serializer(services.publish_draw(actor=request.user, draw_pk=pk)).data)

    @extend_schema(responses=DrawVerifySerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        draw = self.get_object()
        result = services.rerun_draw(draw)
        return Response({"matches": result == draw.result, "result": result})


# ---------------------------------------------------------------- inspections


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["id", "item_key", "item_text", "basis", "result", "note", "grade", "hazard"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    team = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    team_ids = serializers.ListField(child=serializers.IntegerField(), write_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    result = PendingChoiceField(choices=Inspection.Result.choices)  # null until recorded, never ""

    class Meta:
        model = Inspection
        fields = [
            "id",
            "kind",
            "department",
            "draw",
            "enterprise",
            "place",
            "region",
            "industry",
            "checklist",
            "planned_on",
            "team",
            "team_ids",
            "status",
            "arrived_at",
            "finished_at",
            "people_met",
            "escort",
            "result",
            "summary",
            "production_during_suspension",
            "is_late",
            "early_reason",
            "conducted_by",
            "checkers",
            "record_document",
            "answers",
        ]
        read_only_fields = [
            "draw",
            "arrived_at",
            "finished_at",
            "people_met",
            "escort",
            "result",
            "summary",
            "production_during_suspension",
            "is_late",
            "early_reason",
            "conducted_by",
            "checkers",
            "record_document",
        ]
        extra_kwargs = {
            "department": {"queryset": Department.objects.none()},
            "enterprise": {"queryset": Enterprise.objects.none()},
            "region": {"required": False},
            "industry": {"required": False},
            "checklist": {"required": False},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["department"].queryset = selectors.departments_for(
                request.user, "inspections.inspect"
            )
            self.fields["enterprise"].queryset = Enterprise.objects.for_user(request.user)


class GivenAnswerSerializer(serializers.Serializer):
    item_key = serializers.CharField()
    result = serializers.ChoiceField(choices=Answer.Result.choices)
    note = serializers.CharField(required=False, allow_blank=True)
    grade = serializers.ChoiceField(choices=["ordinary", "major"], required=False)


class InspectionRecordSerializer(serializers.Serializer):
    arrived_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField()
    people_met = serializers.CharField(required=False, allow_blank=True)
    escort = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(required=False)
    production_during_suspension = serializers.BooleanField(required=False)
    early_reason = serializers.CharField(required=False, allow_blank=True)
    answers = GivenAnswerSerializer(many=True)


class InspectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, CreateWithRight, viewsets.GenericViewSet
):
    """监督检查: plan one (POST), record it with every checklist item answered (`record`), or cancel it."""

    create_right = "inspections.inspect"
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter  # the list page's filters

    def get_queryset(self):
        return (
            selectors.inspection_list(self.request.user)
            .prefetch_related("team", "answers")
            .order_by("-planned_on", "-id")
        )

    def get_object(self):
        return selectors.access_inspection(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        team = data.pop("team_ids")
        # The model allows no department (a town's own check); planning here always names one.
        data["department"] = getattr(data.get("department"), "pk", None)
        serializer.instance = services.create_inspection(actor=self.request.user, data=data, team_ids=team)

    @extend_schema(request=InspectionRecordSerializer, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        data = dict(_payload(InspectionRecordSerializer, request))
        answers = {a["item_key"]: a for a in data.pop("answers")}
        inspection = services.record_inspection(
            actor=request.user, inspection_pk=pk, data=data, answers=answers
        )
        return Response(self.get_serializer(selectors.access_inspection(request.user, inspection.pk)).data)

    @extend_schema(request=InspectionReasonSerializer, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reason = _payload(InspectionReasonSerializer, request)["reason"]
        return Response(
            self.get_serializer(
                services.cancel_inspection(actor=request.user, inspection_pk=pk, reason=reason)
            ).data
        )


# ---------------------------------------------------------------- enforcement


class EnforcementSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    findings = serializers.PrimaryKeyRelatedField(many=True, queryset=Answer.objects.none(), required=False)
    document_number = serializers.CharField(source="document.number", read_only=True, default="")

    class Meta:
        model = EnforcementAction
        fields = [
            "id",
            "inspection",
            "kind",
            "findings",
            "legal_basis",
            "description",
            "amount",
            "due_on",
            "licence",
            "referred_to",
            "status",
            "document",
            "document_number",
            "issued_on",
        ]
        read_only_fields = ["document", "issued_on"]
        extra_kwargs = {"inspection": {"queryset": Inspection.objects.none()}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Out of scope reads as "does not exist", like an id that does not: no existence leaks.
            self.fields["inspection"].queryset = Inspection.objects.for_user(request.user)
            self.fields["findings"].child_relation.queryset = Answer.objects.for_user(request.user)


class EnforcementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, CreateWithRight, viewsets.GenericViewSet
):
    """执法措施 on a recorded inspection's findings; each issues its numbered document."""

    create_right = "inspections.enforce"
    serializer_class = EnforcementSerializer
    filterset_fields = ["kind", "status", "inspection"]

    def get_queryset(self):
        return (
            EnforcementAction.objects.for_user(self.request.user)
            .select_related("document")
            .prefetch_related("findings")
            .order_by("-issued_on", "-id")
        )

    def get_object(self):
        return selectors.access_action(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        inspection = data.pop("inspection")
        findings = [a.pk for a in data.pop("findings", [])]
        serializer.instance = services.take_enforcement(
            actor=self.request.user, inspection_pk=inspection.pk, data=data, finding_ids=findings
        )

    @extend_schema(request=None, responses=EnforcementSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return Response(
            self.get_serializer(
                services.move_action(actor=request.user, action_pk=pk, transition="complete")
            ).data
        )

    @extend_schema(request=InspectionReasonSerializer, responses=EnforcementSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        reason = _payload(InspectionReasonSerializer, request)["reason"]
        action_ = services.move_action(actor=request.user, action_pk=pk, transition="revoke", reason=reason)
        return Response(self.get_serializer(action_).data)


# ---------------------------------------------------------------- 停产整顿 and 复产验收


class ResumptionStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResumptionStep
        fields = ["order", "approver", "name", "decision", "opinion", "decided_by", "decided_at"]
        read_only_fields = fields


class ResumptionSerializer(serializers.ModelSerializer):
    steps = ResumptionStepSerializer(many=True, read_only=True)

    class Meta:
        model = Resumption
        fields = [
            "id",
            "suspension",
            "evidence",
            "status",
            "applied_by",
            "applied_at",
            "review_due_on",
            "reviewed_on",
            "steps",
            "notice",
        ]
        read_only_fields = fields


class SuspensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suspension
        fields = [
            "id",
            "enterprise",
            "action",
            "issuing_level",
            "status",
            "unauthorised_production_at",
            "unauthorised_production_by",
            "resumed_on",
            "supervision",
        ]
        read_only_fields = fields


class ResumptionRequestSerializer(serializers.Serializer):
    evidence = serializers.CharField()


class ResumptionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    opinion = serializers.CharField(required=False, allow_blank=True)


class SuspensionViewSet(viewsets.ReadOnlyModelViewSet):
    """停产整顿 orders in force or lifted; the enterprise applies for 复产验收 with `apply`."""

    serializer_class = SuspensionSerializer
    filterset_fields = ["status", "enterprise"]

    def get_queryset(self):
        return Suspension.objects.for_user(self.request.user).order_by("-id")

    def get_object(self):
        return selectors.access_suspension(self.request.user, self.kwargs["pk"])

    @extend_schema(request=ResumptionRequestSerializer, responses=ResumptionSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        data = _payload(ResumptionRequestSerializer, request)
        application = services.apply_resumption(
            actor=request.user, suspension_pk=pk, evidence=data["evidence"]
        )
        return Response(ResumptionSerializer(application).data, status=status.HTTP_201_CREATED)


class ResumptionViewSet(viewsets.ReadOnlyModelViewSet):
    """复产申请 with their sign-off steps; `decide` signs the next step (strictly in order)."""

    serializer_class = ResumptionSerializer
    filterset_fields = ["status", "suspension"]

    def get_queryset(self):
        return (
            Resumption.objects.for_user(self.request.user)
            .prefetch_related("steps")
            .order_by("-applied_at", "-id")
        )

    def get_object(self):
        return selectors.access_resumption(self.request.user, self.kwargs["pk"])

    @extend_schema(request=ResumptionDecisionSerializer, responses=ResumptionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        self.get_object()  # out of scope is 404 before any right is checked
        if not has_right(request.user, "inspections.approve_resumption"):
            raise PermissionDenied()
        data = _payload(ResumptionDecisionSerializer, request)
        application = services.decide_resumption(
            actor=request.user, application_pk=pk, approve=data["approve"], opinion=data.get("opinion", "")
        )
        return Response(self.get_serializer(application).data)
