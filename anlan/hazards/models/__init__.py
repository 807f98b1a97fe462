"""隐患排查治理: hazards and their closed loop (register → plan → rectify → verify → 销号), leads (线索),
deadline extensions, 挂牌督办 and 回头看. The state machines are the `TRANSITIONS` tables below."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Department, Enterprise, Grid, Industry, Region, Role, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from .. import guards, rules
from ..data.major_criteria import CRITERIA

USER = settings.AUTH_USER_MODEL


def own_unit_answers(path: str):
    """The scope's `refine` of hazards: a department sees, beyond the hazards of the industries it supervises,
    those its own unit answers for (`responsible_unit`) — a place hazard assigned to it, such as a 督查 problem
    handed to 教育局 in an industry it does not supervise (issue #12: its responsible party is a Unit). By the
    unit's id through a subquery, so no join: the territorial roles already see these by region, and their
    queries keep the region-led indexes (which the kernel's `owner_unit` join would not)."""

    def refine(membership, q: Q) -> Q:
        if membership.role != Role.DEPARTMENT or not membership.department_id:
            return q
        own = Unit.objects.filter(department_id=membership.department_id).values("pk")
        return q | Q(**{f"{path}__in": own})

    return refine


# Models hanging off a hazard see what the hazard's scope sees.
THROUGH_HAZARD = ScopeSpec(
    region="hazard__region",
    industry="hazard__industry",
    grid="hazard__grid",
    enterprise="hazard__enterprise",
    expert="hazard__expert",
    refine=own_unit_answers("hazard__responsible_unit"),
)


class Hazard(models.Model):
    """事故隐患: one record per hazard found, numbered per county and year, closed only after verification."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("待整改")
        RECTIFYING = "rectifying", _("整改中")
        AWAITING_VERIFICATION = "awaiting_verification", _("待验收")
        CLOSED = "closed", _("已销号")
        VOIDED = "voided", _("已作废")

    class Grade(models.TextChoices):
        ORDINARY = "ordinary", _("一般事故隐患")
        MAJOR = "major", _("重大事故隐患")

    class Source(models.TextChoices):
        SELF_INSPECTION = "self_inspection", _("企业自查")
        DEPARTMENT_INSPECTION = "department_inspection", _("部门检查")
        SUPERVISION = "supervision", _("督查检查")
        UNANNOUNCED = "unannounced", _("暗查暗访")
        GRID_PATROL = "grid_patrol", _("网格巡查")
        TIP_OFF = "tip_off", _("群众举报")
        EXPERT = "expert", _("专家会诊")
        RECHECK = "recheck", _("回头看复查")
        DRILL = "drill", _("应急演练")

    class Category(models.TextChoices):
        UNSAFE_ACT = "unsafe_act", _("人的不安全行为")
        UNSAFE_CONDITION = "unsafe_condition", _("物的不安全状态")
        MANAGEMENT = "management", _("管理缺陷")
        ENVIRONMENT = "environment", _("环境因素")

    OPEN = (Status.REGISTERED, Status.RECTIFYING, Status.AWAITING_VERIFICATION)
    # What registration accepts (form, API and service alike), in the order the form shows it.
    REGISTRATION_FIELDS = (
        "enterprise",
        "place",
        "region",
        "industry",
        "grid",
        "location",
        "source",
        "category",
        "grade",
        "major_criterion",
        "major_basis",
        "description",
        "found_on",
        "finder",
        "due_on",
        "longitude",
        "latitude",
        "responsible_unit",
    )

    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "plan",
            frozenset({Status.REGISTERED}),
            Status.RECTIFYING,
            "hazards.plan",
            _("制定整改方案"),
            guards=(guards.may_rectify,),
        ),
        Transition(
            "fix_on_the_spot",
            frozenset({Status.REGISTERED}),
            Status.AWAITING_VERIFICATION,
            "hazards.submit_rectification",
            _("立即整改"),
            guards=(guards.ordinary_only, guards.may_rectify),
            style="primary",
        ),
        Transition(
            "witness_fix",
            frozenset({Status.REGISTERED}),
            Status.AWAITING_VERIFICATION,
            "hazards.witness_fix",
            _("当场整改"),
            guards=(guards.ordinary_only, guards.official_witness),
        ),
        Transition(
            "submit",
            frozenset({Status.RECTIFYING}),
            Status.AWAITING_VERIFICATION,
            "hazards.submit_rectification",
            _("提交整改"),
            guards=(guards.may_rectify,),
        ),
        Transition(
            "verify",
            frozenset({Status.AWAITING_VERIFICATION}),
            Status.CLOSED,
            "hazards.verify",
            _("验收销号"),
            guards=(guards.not_inspection_finding, guards.may_verify),
            style="success",
        ),
        Transition(
            "reject",
            frozenset({Status.AWAITING_VERIFICATION}),
            Status.RECTIFYING,
            "hazards.verify",
            _("验收不通过"),
            reason_required=True,
            guards=(guards.not_inspection_finding, guards.may_verify),
            style="warning",
        ),
        Transition(
            "void",
            frozenset({Status.REGISTERED, Status.RECTIFYING, Status.AWAITING_VERIFICATION}),
            Status.VOIDED,
            "hazards.void",
            _("作废"),
            reason_required=True,
            guards=(guards.may_void,),
            style="danger",
        ),
    )

    number = models.CharField(_("隐患编号"), max_length=30, unique=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
        db_index=False,  # hazard_enterprise_found leads with it
    )
    place = models.CharField(
        _("隐患场所"), max_length=200, blank=True, help_text=_("没有生产经营单位时填写，如路段、公共场所")
    )
    # No single-column indexes on region, industry and grid: the composite ones below lead with them.
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业领域"),
        on_delete=models.PROTECT,
        related_name="hazards",
        db_index=False,
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("所属网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    location = models.CharField(_("具体部位"), max_length=200, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=8, decimal_places=6, null=True, blank=True)
    source = models.CharField(_("隐患来源"), max_length=30, choices=Source.choices)
    category = models.CharField(_("隐患类别"), max_length=30, choices=Category.choices)
    grade = models.CharField(_("隐患等级"), max_length=20, choices=Grade.choices, default=Grade.ORDINARY)
    major_criterion = models.CharField(
        _("重大隐患判定标准条款"),
        max_length=40,
        blank=True,
        choices=[(c.key, c.label) for c in CRITERIA],
    )
    major_basis = models.TextField(_("判定依据说明"), blank=True)
    description = models.TextField(_("隐患描述"))
    found_on = models.DateField(_("发现日期"))
    finder = models.CharField(_("发现人"), max_length=50, blank=True)
    # Who found it, who registered it and who must rectify it (Units of the kernel; null on records
    # older than units where nothing could be derived).
    finding_unit = models.ForeignKey(
        Unit, verbose_name=_("发现单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registering_unit = models.ForeignKey(
        Unit, verbose_name=_("登记单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspection_finding = models.BooleanField(_("检查发现"), default=False)
    # The last rectification was a 当场整改 an official witnessed: another official verifies it.
    witnessed_fix = models.BooleanField(_("当场整改"), default=False)
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=30, choices=Status.choices, default=Status.REGISTERED)
    supervising_department = models.ForeignKey(
        Department,
        verbose_name=_("监管部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_hazards",
    )
    expert = models.ForeignKey(
        USER, verbose_name=_("指派专家"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_from = models.ForeignKey(
        "self",
        verbose_name=_("原隐患（回头看）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reopenings",
    )
    registered_by = models.ForeignKey(
        USER, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("整改提交人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        USER, verbose_name=_("验收人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # Sweep bookkeeping: the due date a reminder / an escalation was last sent for (an extension re-arms them).
    reminded_for = models.DateField(_("已提醒的期限"), null=True, blank=True)
    escalated_for = models.DateField(_("已督促的期限"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="region",
        industry="industry",
        grid="grid",
        enterprise="enterprise",
        expert="expert",
        refine=own_unit_answers("responsible_unit"),
    )
    history = HistoricalRecords(excluded_fields=["reminded_for", "escalated_for"])

    class Meta:
        verbose_name = _("事故隐患")
        verbose_name_plural = _("事故隐患")
        ordering = ["-found_on", "-id"]
        # SQLite has no planner statistics here (nothing runs ANALYZE), so each list filter gets an index
        # that leads with its equality, then the scope's region range, then the list order (found_on, id
        # as the rowid; due_on too on the two that serve the unfiltered list). The trailing industry lets
        # a department's count (region range + its industries) run on the index alone. The list pages
        # through ids on these (core.paging.page_of), then loads the page's twenty rows.
        indexes = [
            models.Index(fields=["region", "found_on", "due_on", "industry"], name="hazard_region_found"),
            models.Index(fields=["status", "region", "found_on", "industry"], name="hazard_status_region"),
            models.Index(fields=["grade", "region", "found_on", "industry"], name="hazard_grade_region"),
            models.Index(fields=["source", "region", "found_on", "industry"], name="hazard_source_region"),
            models.Index(fields=["industry", "region", "found_on", "due_on"], name="hazard_industry_region"),
            # The sweeps (open and due before a day) and the overdue filter; region/found_on/industry
            # make the overdue list and its count index-only.
            models.Index(
                fields=["status", "due_on", "region", "found_on", "industry"], name="hazard_status_due"
            ),
            models.Index(fields=["enterprise", "found_on"], name="hazard_enterprise_found"),
            models.Index(fields=["grid"], name="hazard_grid"),
            # The five-colour rating's hazard facts (selectors.enterprise_hazard_counts): open hazards and those
            # closed late (≈ 10 % of the rows), in enterprise order with every column the counts read, so the
            # province's facts are one index-only pass instead of a scan of every hazard (bench/rating.py).
            # `id` is the count's column (SQLite keeps the rowid in every index anyway). The statuses are
            # Hazard.OPEN and CLOSED spelt out (Meta cannot see the class's names; a test holds them equal).
            models.Index(
                fields=["enterprise", "grade", "status", "due_on", "closed_on", "id"],
                name="hazard_open_or_late",
                condition=Q(status__in=("registered", "rectifying", "awaiting_verification"))
                | Q(status="closed", closed_on__gt=models.F("due_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_major(self) -> bool:
        return self.grade == self.Grade.MAJOR

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def status_style(self) -> str:
        """The colour of the status badge (Bootstrap's names)."""
        return {
            self.Status.REGISTERED: "warning",
            self.Status.RECTIFYING: "primary",
            self.Status.AWAITING_VERIFICATION: "info",
            self.Status.CLOSED: "success",
        }.get(self.status, "secondary")

    @property
    def plan_revisable(self) -> bool:
        """A hazard already rectifying (e.g. after a failed verification) may get a revised plan."""
        return self.status == self.Status.RECTIFYING

    @property
    def is_overdue(self) -> bool:
        """Open and overdue today (rules.is_overdue; `selectors.overdue_q` is the same rule as a query)."""
        return self.is_open and rules.is_overdue(self.due_on, timezone.localdate())

    @property
    def closed_late(self) -> bool:
        return self.is_closed and not rules.closed_on_time(self.due_on, self.closed_on)

    @property
    def missed_deadline(self) -> bool:
        """Overdue now, or closed after its due date (rules.is_overdue with the closing day)."""
        return self.is_overdue or self.closed_late

    @property
    def subject(self) -> str:
        """What the hazard is at: the enterprise's name or the place."""
        return self.enterprise.name if self.enterprise_id else self.place

    def current_plan(self):
        return self.plans.order_by("-recorded_at", "-id").first()


class HazardCounter(models.Model):
    """The last serial given to hazards of one county in one year (gap-free numbering)."""

    region = models.ForeignKey(Region, verbose_name=_("县级区划"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("隐患编号序列")
        verbose_name_plural = _("隐患编号序列")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="hazard_counter_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.last}"


class Lead(models.Model):
    """线索: a possible hazard reported by a grid worker or the public, confirmed into a hazard or dismissed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待核实")
        CONFIRMED = "confirmed", _("已确认为隐患")
        DISMISSED = "dismissed", _("已排除")

    class Source(models.TextChoices):
        GRID_PATROL = "grid_patrol", _("网格巡查")
        TIP_OFF = "tip_off", _("群众举报")

    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "confirm", frozenset({Status.PENDING}), Status.CONFIRMED, "hazards.confirm_lead", _("确认为隐患")
        ),
        Transition(
            "dismiss",
            frozenset({Status.PENDING}),
            Status.DISMISSED,
            "hazards.confirm_lead",
            _("排除"),
            reason_required=True,
            style="danger",
        ),
    )

    source = models.CharField(_("线索来源"), max_length=20, choices=Source.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazard_leads",
    )
    place = models.CharField(_("地点"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(_("情况描述"))
    # Where the reporter stood (WGS 84, from the phone or placed on the map); carried into the hazard.
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=8, decimal_places=6, null=True, blank=True)
    reported_on = models.DateField(_("发现日期"))
    reported_by = models.ForeignKey(
        USER, verbose_name=_("报告人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = models.CharField(_("举报人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("举报人电话"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    hazard = models.OneToOneField(
        Hazard,
        verbose_name=_("确认的隐患"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead",
    )
    decided_by = models.ForeignKey(
        USER, verbose_name=_("核实人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    # No enterprise path: the reported enterprise sees only confirmed hazards, never the leads about it.
    scope = ScopeSpec(region="region", industry="industry", grid="grid")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("隐患线索")
        verbose_name_plural = _("隐患线索")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "status"], name="lead_region_status")]

    def __str__(self) -> str:
        return str(_("线索 %(id)s") % {"id": self.pk})

    @property
    def subject(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.place


class Photo(models.Model):
    """A picture of a hazard or lead: as found, or after rectification. Files go through default storage."""

    class Stage(models.TextChoices):
        FOUND = "found", _("整改前")
        AFTER = "after", _("整改后")

    hazard = models.ForeignKey(
        Hazard,
        verbose_name=_("事故隐患"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("隐患线索"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices, default=Stage.FOUND)
    file = models.FileField(_("照片"), upload_to="hazards/%Y/%m/", max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class RectificationPlan(models.Model):
    """整改方案. For a major hazard the full 五落实: 责任、措施、资金、时限、预案 (regulations.md §2.3)."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("事故隐患"), on_delete=models.CASCADE, related_name="plans"
    )
    responsible_person = models.CharField(_("责任人"), max_length=50)
    responsible_phone = models.CharField(_("责任人电话"), max_length=20, blank=True)
    measures = models.TextField(_("整改措施"))
    due_on = models.DateField(_("整改时限"))
    funds = models.DecimalField(_("整改资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    interim_measures = models.TextField(_("安全措施和应急预案"), blank=True)
    goals = models.TextField(_("治理的目标和任务"), blank=True)
    organisation = models.CharField(_("负责治理的机构"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_HAZARD
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return str(_("整改方案（%(person)s）") % {"person": self.responsible_person})


class Rectification(models.Model):
    """整改情况: what the rectifier did, submitted for verification with after-photos."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("事故隐患"), on_delete=models.CASCADE, related_name="rectifications"
    )
    description = models.TextField(_("整改情况"))
    on_the_spot = models.BooleanField(_("立即整改"), default=False)
    witnessed = models.BooleanField(_("监管人员当场见证"), default=False)
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_HAZARD
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改情况")
        verbose_name_plural = _("整改情况")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return str(_("整改情况"))


class Verification(models.Model):
    """验收: the verifier's opinion; passed closes the hazard (销号), not passed sends it back to rectifying."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("事故隐患"), on_delete=models.CASCADE, related_name="verifications"
    )

    class Method(models.TextChoices):
        ON_SITE = "on_site", _("现场核查")
        DOCUMENTS = "documents", _("资料核查")

    passed = models.BooleanField(_("验收通过"))
    opinion = models.TextField(_("验收意见"))
    # Blank only on records older than the rule; every service call requires it.
    method = models.CharField(_("验收方式"), max_length=20, choices=Method.choices, blank=True)
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("整改复查意见书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        USER, verbose_name=_("验收人"), on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("验收时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_HAZARD
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("验收记录")
        verbose_name_plural = _("验收记录")
        ordering = ["-verified_at", "-id"]

    def __str__(self) -> str:
        return str(_("验收通过") if self.passed else _("验收不通过"))


class Extension(models.Model):
    """整改延期: requested before the deadline, approved or refused by the overseeing department."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "approve",
            frozenset({Status.PENDING}),
            Status.APPROVED,
            "hazards.approve_extension",
            _("批准延期"),
            guards=(guards.may_decide_extension,),
        ),
        Transition(
            "refuse",
            frozenset({Status.PENDING}),
            Status.REFUSED,
            "hazards.approve_extension",
            _("不批准延期"),
            reason_required=True,
            guards=(guards.may_decide_extension,),
            style="danger",
        ),
    )

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("事故隐患"), on_delete=models.CASCADE, related_name="extensions"
    )
    old_due_on = models.DateField(_("原整改期限"))
    new_due_on = models.DateField(_("申请延期至"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        USER, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_HAZARD
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改延期")
        verbose_name_plural = _("整改延期")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"], condition=models.Q(status="pending"), name="extension_one_pending"
            )
        ]
        # The 待办 of extensions to decide starts from the pending requests (few) rather than from the
        # hazards in scope (a county's hundreds of thousands): SQLite without statistics needs the index.
        indexes = [models.Index(fields=["status", "hazard"], name="extension_status_hazard")]

    def __str__(self) -> str:
        return str(_("延期至 %(d)s") % {"d": self.new_due_on})

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Supervision(models.Model):
    """挂牌督办 of a hazard by the 安委办 or a department: letter, deadline, responsible unit; 摘牌 after close-out."""

    class Level(models.TextChoices):
        COUNTY = "county", _("县级")
        CITY = "city", _("市级")
        PROVINCE = "province", _("省级")

    class Status(models.TextChoices):
        LISTED = "listed", _("督办中")
        LIFTED = "lifted", _("已摘牌")
        CLOSED = "closed", _("随隐患作废撤销")

    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "lift",
            frozenset({Status.LISTED}),
            Status.LIFTED,
            "hazards.supervise",
            _("摘牌"),
            reason_required=True,
            guards=(guards.hazard_closed, guards.signed_by_issuer),
            style="danger",
        ),
    )

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("事故隐患"), on_delete=models.PROTECT, related_name="supervisions"
    )
    level = models.CharField(_("督办层级"), max_length=20, choices=Level.choices, default=Level.COUNTY)
    issuer = models.ForeignKey(
        Department, verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    letter_number = models.CharField(_("督办文号"), max_length=60, unique=True)
    due_on = models.DateField(_("督办期限"))
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    # 提级督办: the listed 督办 of a lower level this one raises (it stays listed and linked).
    raised_from = models.ForeignKey(
        "self",
        verbose_name=_("提级自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="raised_to",
    )
    requirements = models.TextField(_("督办要求"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.LISTED)
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("督办函"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(USER, verbose_name=_("挂牌人"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("挂牌时间"), auto_now_add=True)
    lift_opinion = models.TextField(_("摘牌意见"), blank=True)
    lifted_by = models.ForeignKey(
        USER, verbose_name=_("摘牌人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("摘牌时间"), null=True, blank=True)
    # Sweep bookkeeping of the 督办 deadline (sweeps.py), like the hazard's.
    reminded_for = models.DateField(_("已提醒的督办期限"), null=True, blank=True)
    escalated_for = models.DateField(_("已督促的督办期限"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_HAZARD
    history = HistoricalRecords(excluded_fields=["reminded_for", "escalated_for"])

    class Meta:
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.letter_number

    @property
    def is_lifted(self) -> bool:
        return self.status == self.Status.LIFTED

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.LISTED


class Recheck(models.Model):
    """回头看: a re-check of a closed hazard; if the fix did not hold, a linked new hazard is opened."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("事故隐患"), on_delete=models.PROTECT, related_name="rechecks"
    )
    checked_on = models.DateField(_("复查日期"))
    held = models.BooleanField(_("整改效果保持"))
    notes = models.TextField(_("复查情况"))
    checked_by = models.ForeignKey(USER, verbose_name=_("复查人"), on_delete=models.PROTECT, related_name="+")
    new_hazard = models.OneToOneField(
        Hazard,
        verbose_name=_("新登记隐患"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="found_by_recheck",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_HAZARD
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回头看复查")
        verbose_name_plural = _("回头看复查")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return str(_("回头看 %(d)s") % {"d": self.checked_on})


from .filing import FilingRuleSetting, StatisticsFiling  # noqa: E402  (the package's second module)

__all__ = [
    "Extension",
    "FilingRuleSetting",
    "Hazard",
    "HazardCounter",
    "Lead",
    "Photo",
    "Recheck",
    "Rectification",
    "RectificationPlan",
    "StatisticsFiling",
    "Supervision",
    "Verification",
]
