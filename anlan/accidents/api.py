"""API for accidents: 初报, 续报/补报, forwarding, findings, investigation and statistics.

Every queryset is `for_user(request.user)`; every write calls the same service as the pages.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from anlan.accidents import selectors, services, statistics
from anlan.accidents.filters import AccidentFilter
from anlan.accidents.forms import StatisticsForm
from anlan.accidents.models import (
    Accident,
    AccidentKind,
    AccidentReport,
    AccidentType,
    FindingKind,
    InjuredPerson,
    Investigation,
    Level,
    PreventiveMeasure,
    ReportingFinding,
    ReportStep,
    Responsibility,
)
from anlan.core.models import Enterprise, Industry, Region
from anlan.core.permissions import can, has_right


def _figure(name: str) -> serializers.Field:
    """A casualty figure of `services.CASUALTY_FIELDS`, typed only: the service checks its rules."""
    label = Accident._meta.get_field(name).verbose_name
    if name == "direct_loss_yuan":
        return serializers.DecimalField(label=label, max_digits=None, decimal_places=None, default=0)
    return serializers.IntegerField(label=label, default=0)


# The figures of a report (初报, 续报, 补报), declared once from the service's list (as the pages' form).
CasualtySerializer = type(
    "CasualtySerializer",
    (serializers.Serializer,),
    {name: _figure(name) for name in services.CASUALTY_FIELDS},
)


class ReportStepSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = ReportStep
        fields = ["level", "level_display", "due_at", "received_at", "forwarded_at", "is_late"]


class AccidentReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccidentReport
        fields = [
            "sequence",
            "kind",
            "received_at",
            "reporter_name",
            "reporter_phone",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "direct_loss_yuan",
            "description",
            "grade_before",
            "grade_after",
            "within_window",
        ]


class InjuredPersonSerializer(serializers.ModelSerializer):
    """An injured person by lost work days (read-only here; recorded on the accident page)."""

    severity_display = serializers.CharField(source="severity_text", read_only=True)

    class Meta:
        model = InjuredPerson
        fields = ["id", "name", "identifier", "lost_work_days", "severity", "severity_display", "note"]
        read_only_fields = fields


class AccidentSerializer(serializers.ModelSerializer):
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    steps = ReportStepSerializer(many=True, read_only=True)
    injured_persons = InjuredPersonSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "按损失工作日登记的伤员；有登记时，重伤、轻伤人数由其计算（6000日及以上按死亡折算，计入重伤）"
        ),
    )

    class Meta:
        model = Accident
        fields = [
            "id",
            "title",
            "kind",
            "type_scheme",
            "type_code",
            "occurred_at",
            "head_notified_at",
            "place",
            "region",
            "region_name",
            "enterprise",
            "industry",
            "industry_name",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "direct_loss_yuan",
            "grade",
            "grade_display",
            "grade_criterion",
            "description",
            "preliminary_cause",
            "measures_taken",
            "reporter_name",
            "reporter_phone",
            "reported_at",
            "is_late",
            "steps",
            "injured_persons",
        ]
        read_only_fields = fields


class AccidentCreateSerializer(CasualtySerializer):
    """初报. `reported_at` is set by the system."""

    occurred_at = serializers.DateTimeField(label=_("发生时间"))
    head_notified_at = serializers.DateTimeField(
        label=_("单位负责人接报时间"), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(
        label=_("事故类别"), choices=AccidentKind.choices, default=AccidentKind.INDUSTRIAL
    )
    type_code = serializers.ChoiceField(label=_("事故类型"), choices=AccidentType.choices)
    region = serializers.SlugRelatedField(
        label=_("发生地区划"), slug_field="code", queryset=Region.objects.none()
    )
    place = serializers.CharField(label=_("事故地点"), max_length=200)
    enterprise = serializers.PrimaryKeyRelatedField(
        label=_("事故单位"), queryset=Enterprise.objects.none(), required=False, allow_null=True
    )
    industry = serializers.PrimaryKeyRelatedField(label=_("行业领域"), queryset=Industry.objects.all())
    description = serializers.CharField(label=_("事故简要经过"))
    preliminary_cause = serializers.CharField(label=_("初步原因"), required=False, allow_blank=True)
    measures_taken = serializers.CharField(label=_("已采取的措施"), required=False, allow_blank=True)
    reporter_name = serializers.CharField(label=_("报告人"), max_length=50)
    reporter_phone = serializers.CharField(label=_("联系电话"), max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["region"].queryset = selectors.reporting_regions(request.user)
            self.fields["enterprise"].queryset = Enterprise.objects.all()  # scope checked by the service


class FollowUpSerializer(CasualtySerializer):
    """续报/补报. While the accident has injured persons recorded by lost work days, its 重伤/轻伤人数 are counted
    from them and the submitted ones are not used."""

    kind = serializers.ChoiceField(label=_("报告类型（续报或补报）"), choices=AccidentReport.Kind.choices)
    description = serializers.CharField(label=_("情况说明"))
    reporter_name = serializers.CharField(label=_("报告人"), max_length=50, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(
        label=_("联系电话"), max_length=30, required=False, allow_blank=True
    )


class ForwardSerializer(serializers.Serializer):
    level = serializers.ChoiceField(label=_("上报的层级"), choices=Level.choices)
    at = serializers.DateTimeField(label=_("上报时间"), required=False, allow_null=True)


class FindingSerializer(serializers.ModelSerializer):
    """The facts are written; the classification (`kinds`) and the verification flag follow from them."""

    false_fields = serializers.MultipleChoiceField(
        label=_("不如实报告的事项"), choices=ReportingFinding.FalseField.choices, required=False
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=FindingKind.choices), read_only=True, label=_("认定类型")
    )

    class Meta:
        model = ReportingFinding
        fields = [
            "id",
            "reported",
            "late",
            "omission",
            "omission_by_negligence",
            "intentional_falsehood",
            "false_fields",
            "deadline_passed",
            "concealment_verified",
            "kinds",
            "awaiting_verification",
            "description",
            "found_on",
        ]
        read_only_fields = ["awaiting_verification"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True
    )  # scope checked by the service

    class Meta:
        model = Responsibility
        fields = [
            "id",
            "party",
            "name",
            "enterprise",
            "position",
            "finding",
            "recommended_handling",
            "is_dishonesty_candidate",
            "candidate_basis",
            "aggravated",
            "is_principal",
            "last_year_income_wan",
            "fine_percent",
            "fine_wan",
        ]
        read_only_fields = ["is_dishonesty_candidate", "candidate_basis", "fine_percent"]
        extra_kwargs = {"name": {"required": False}}


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = PreventiveMeasure
        fields = [
            "id",
            "description",
            "responsible_party",
            "due_on",
            "status",
            "completed_on",
            "completion_note",
        ]
        read_only_fields = ["status", "completed_on", "completion_note"]


class InvestigationSerializer(serializers.ModelSerializer):
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta:
        model = Investigation
        fields = [
            "status",
            "level",
            "lead_organ",
            "team_leader",
            "team_members",
            "started_on",
            "due_on",
            "extended_days",
            "extension_approved_by",
            "extension_reason",
            "direct_cause",
            "indirect_cause",
            "nature",
            "concluded_on",
            "closed_on",
            "report_received_on",
            "reply_due_on",
            "reply_extended_days",
            "reply_extension_reason",
            "replied_on",
            "reply_authority",
            "reply_number",
            "reply_overdue",
            "responsibilities",
            "measures",
        ]
        read_only_fields = [
            f for f in fields if f not in ("lead_organ", "team_leader", "team_members", "started_on")
        ]
        extra_kwargs = {"started_on": {"required": False}, "team_members": {"required": False}}


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(label=_("延长天数"), min_value=1, max_value=60)
    approved_by = serializers.CharField(label=_("延期批准机关"), max_length=120)
    reason = serializers.CharField(label=_("延期理由"))


class ConcludeSerializer(serializers.Serializer):
    direct_cause = serializers.CharField(label=_("直接原因"))
    indirect_cause = serializers.CharField(label=_("间接原因"), required=False, allow_blank=True)
    nature = serializers.CharField(label=_("事故性质"), required=False, allow_blank=True)


class ReportReceivedSerializer(serializers.Serializer):
    received_on = serializers.DateField(label=_("收到调查报告日期"))


class ReplyExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(label=_("批复延长天数"), min_value=1, max_value=30)
    reason = serializers.CharField(label=_("批复延期理由"))


class ReplySerializer(serializers.Serializer):
    replied_on = serializers.DateField(label=_("批复日期"))
    authority = serializers.CharField(label=_("批复机关"), max_length=120)
    number = serializers.CharField(label=_("批复文号"), max_length=60, required=False, allow_blank=True)


class CompleteMeasureSerializer(serializers.Serializer):
    measure = serializers.IntegerField(label=_("措施编号"))
    completed_on = serializers.DateField(label=_("完成日期"))
    note = serializers.CharField(label=_("完成情况"))


def _payload(serializer_class, request, **context):
    payload = serializer_class(data=request.data, context={"request": request, **context})
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


class AccidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """生产安全事故 in the caller's jurisdiction. POST files a 初报; actions add versions and record the chain."""

    serializer_class = AccidentSerializer
    filterset_class = AccidentFilter
    ordering_fields = ["occurred_at", "deaths", "direct_loss_yuan"]
    queryset = Accident.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Accident.objects.none()
        return (
            selectors.accident_list(self.request.user)
            .prefetch_related("steps", "injured_persons")
            .order_by("-occurred_at", "-pk")
        )

    def get_object(self):
        accident = selectors.access_accident(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, accident)
        return accident

    def _detail(self, accident, code=status.HTTP_200_OK):
        accident = selectors.access_accident(self.request.user, accident.pk)
        return Response(AccidentSerializer(accident, context={"request": self.request}).data, status=code)

    @extend_schema(request=AccidentCreateSerializer, responses={201: AccidentSerializer})
    def create(self, request):
        """初报 (first report)."""
        if not has_right(request.user, "accidents.report_accident"):
            raise PermissionDenied()
        accident = services.report_accident(
            actor=request.user, data=_payload(AccidentCreateSerializer, request)
        )
        return self._detail(accident, status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=AccidentReportSerializer(many=True))
    @extend_schema(methods=["post"], request=FollowUpSerializer, responses={201: AccidentReportSerializer})
    # Every version in one answer, not paginated (the schema says so: no pagination class).
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def reports(self, request, pk=None):
        """GET: every version (初报/续报/补报); POST: a 续报 or 补报."""
        accident = self.get_object()
        if request.method == "GET":
            return Response(AccidentReportSerializer(accident.reports.all(), many=True).data)
        if not can(request.user, "accidents.report_accident", accident):
            raise PermissionDenied()
        data = _payload(FollowUpSerializer, request)
        kind = data.pop("kind")
        version = services.add_report(actor=request.user, accident_pk=pk, kind=kind, data=data)
        return Response(AccidentReportSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ForwardSerializer, responses=AccidentSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """Record that `level` passed the report to the next required level."""
        accident = self.get_object()
        if not can(request.user, "accidents.receive_report", accident):
            raise PermissionDenied()
        data = _payload(ForwardSerializer, request)
        services.forward_report(actor=request.user, accident_pk=pk, level=data["level"], at=data.get("at"))
        return self._detail(accident)

    @extend_schema(request=FindingSerializer, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        """An investigator's 迟报/漏报/谎报/瞒报 finding."""
        accident = self.get_object()
        if not can(request.user, "accidents.record_finding", accident):
            raise PermissionDenied()
        data = _payload(FindingSerializer, request)
        finding = services.record_finding(actor=request.user, accident_pk=pk, **data)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    def _may_investigate(self, accident):
        if not can(self.request.user, "accidents.manage_investigation", accident):
            raise PermissionDenied()

    def _investigation(self, pk, code=status.HTTP_200_OK):
        investigation = selectors.access_investigation(self.request.user, pk)
        return Response(InvestigationSerializer(investigation).data, status=code)

    @extend_schema(methods=["get"], responses=InvestigationSerializer)
    @extend_schema(
        methods=["post"], request=InvestigationSerializer, responses={201: InvestigationSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def investigation(self, request, pk=None):
        """GET: the investigation (404 before one is set up); POST: set up the investigation team."""
        accident = self.get_object()
        if request.method == "GET":
            return self._investigation(pk)
        self._may_investigate(accident)
        services.open_investigation(
            actor=request.user, accident_pk=pk, data=_payload(InvestigationSerializer, request)
        )
        return self._investigation(pk, status.HTTP_201_CREATED)

    @extend_schema(request=ExtendSerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="investigation/extend")
    def extend(self, request, pk=None):
        """One extension of at most 60 days, with the approving authority."""
        self._may_investigate(self.get_object())
        services.extend_investigation(
            actor=request.user, accident_pk=pk, **_payload(ExtendSerializer, request)
        )
        return self._investigation(pk)

    @extend_schema(request=ConcludeSerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="investigation/conclude")
    def conclude(self, request, pk=None):
        """The investigation report's conclusions (causes, nature)."""
        self._may_investigate(self.get_object())
        services.conclude_investigation(
            actor=request.user, accident_pk=pk, **_payload(ConcludeSerializer, request)
        )
        return self._investigation(pk)

    @extend_schema(request=None, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="investigation/close")
    def close(self, request, pk=None):
        """Close the loop once every preventive measure is done."""
        self._may_investigate(self.get_object())
        services.close_investigation(actor=request.user, accident_pk=pk)
        return self._investigation(pk)

    @extend_schema(request=ReportReceivedSerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="investigation/report-received")
    def report_received(self, request, pk=None):
        """The government received the investigation report: the 批复 deadline starts."""
        self._may_investigate(self.get_object())
        services.record_report_received(
            actor=request.user, accident_pk=pk, **_payload(ReportReceivedSerializer, request)
        )
        return self._investigation(pk)

    @extend_schema(request=ReplyExtendSerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="investigation/reply/extend")
    def reply_extend(self, request, pk=None):
        """The one extension of a 特别重大 report's 批复 (at most 30 days)."""
        self._may_investigate(self.get_object())
        services.extend_reply(actor=request.user, accident_pk=pk, **_payload(ReplyExtendSerializer, request))
        return self._investigation(pk)

    @extend_schema(request=ReplySerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="investigation/reply")
    def reply(self, request, pk=None):
        """The government's 批复 of the investigation report."""
        self._may_investigate(self.get_object())
        services.record_reply(actor=request.user, accident_pk=pk, **_payload(ReplySerializer, request))
        return self._investigation(pk)

    @extend_schema(request=ResponsibilitySerializer, responses={201: ResponsibilitySerializer})
    @action(detail=True, methods=["post"], url_path="investigation/responsibilities")
    def responsibilities(self, request, pk=None):
        """A unit or person found responsible (a unit becomes a serious-dishonesty-list candidate)."""
        self._may_investigate(self.get_object())
        data = _payload(ResponsibilitySerializer, request)
        item = services.add_responsibility(actor=request.user, accident_pk=pk, data=data)
        return Response(ResponsibilitySerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeasureSerializer, responses={201: MeasureSerializer})
    @action(detail=True, methods=["post"], url_path="investigation/measures")
    def measures(self, request, pk=None):
        """A preventive or rectification measure, tracked until done."""
        self._may_investigate(self.get_object())
        measure = services.add_measure(
            actor=request.user, accident_pk=pk, **_payload(MeasureSerializer, request)
        )
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CompleteMeasureSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"], url_path="investigation/measures/complete")
    def complete_measure(self, request, pk=None):
        """Record that a measure was carried out."""
        self._may_investigate(self.get_object())
        data = _payload(CompleteMeasureSerializer, request)
        measure = services.complete_measure(
            actor=request.user,
            accident_pk=pk,
            measure_pk=data["measure"],
            completed_on=data["completed_on"],
            note=data["note"],
        )
        return Response(MeasureSerializer(measure).data)


class IndicatorsSerializer(serializers.Serializer):
    accidents = serializers.IntegerField()
    deaths = serializers.IntegerField()
    injuries = serializers.IntegerField()
    loss_wan = serializers.DecimalField(max_digits=16, decimal_places=2)


class StatisticsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    current = IndicatorsSerializer()
    previous = IndicatorsSerializer()
    summary = serializers.CharField()
    double_decline = serializers.BooleanField()


class StatisticsSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    total = StatisticsRowSerializer()
    by_region = StatisticsRowSerializer(many=True)
    by_industry = StatisticsRowSerializer(many=True)
    by_type = StatisticsRowSerializer(many=True)
    by_kind = StatisticsRowSerializer(many=True)
    by_month = StatisticsRowSerializer(many=True)
    per_100m_gdp = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    per_100k_workers = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    per_10k_vehicles = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    per_million_tonnes = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)


class AccidentStatisticsView(APIView):
    """四项指标 over the caller's jurisdiction for a period, against the same period last year."""

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", str, description="YYYY-MM-DD, default 1 January this year"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD, default today"),
            OpenApiParameter("region", str, description="12-digit region code (its subtree)"),
            OpenApiParameter("industry", int, description="industry id (with its sub-industries)"),
            OpenApiParameter("kind", str, description="accident kind (industrial, road_traffic, fire …)"),
            OpenApiParameter(
                "group",
                str,
                enum=["industry", "section"],
                description="how by_industry groups: industry domain (default) or GB/T 4754-2017 section",
            ),
        ],
        responses=StatisticsSerializer,
    )
    def get(self, request):
        query = StatisticsForm(request.query_params or None, user=request.user)
        if query.is_bound and not query.is_valid():
            raise ValidationError({name: [str(m) for m in errors] for name, errors in query.errors.items()})
        period, filters = query.query()
        report = statistics.report(request.user, period, filters, "total", query.grouping)
        body = {
            **report,
            "date_from": period.start,
            "date_to": period.end,
            "per_100m_gdp": report["rates"].per_100m_gdp,
            "per_100k_workers": report["rates"].per_100k_workers,
            "per_10k_vehicles": report["rates"].per_10k_vehicles,
            "per_million_tonnes": report["rates"].per_million_tonnes,
        }
        return Response(StatisticsSerializer(body).data)


# Mounted under /api/v1/ by the module contract (accidents/apps.py).
urlpatterns = [
    path("accident-statistics/", AccidentStatisticsView.as_view(), name="accident-statistics"),
]
