"""监督检查与执法: plans, the inspector pool, 双随机 draws, inspection records with checklists, enforcement
actions and their documents, 停产整顿 with 复产验收, and 安全生产记分. State machines: the TRANSITIONS tables."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Department, Enterprise, Grid, Industry, Region, Role
from anlan.core.scope import NOTHING, ScopedQuerySet, ScopeSpec, membership_q, memberships_of
from anlan.core.workflow import Transition

from . import rules

USER = settings.AUTH_USER_MODEL

THROUGH_DEPARTMENT = ScopeSpec(region="department__region", department="department")


class DocumentKind(models.TextChoices):
    """Documents of this module, numbered by anlan.documents per issuer, kind and year. The 责令限期整改指令书
    shares its kind (and sequence) with anlan.documents.DocumentKind.RECTIFICATION_ORDER."""

    INSPECTION_RECORD = "inspection_record", _("现场检查记录")
    RECTIFICATION_ORDER = "rectification_order", _("责令限期整改指令书")
    RECHECK_OPINION = "recheck_opinion", _("整改复查意见书")
    WARNING_LETTER = "warning_letter", _("警示提醒书")
    ADVICE_LETTER = "advice_letter", _("安全监管行政建议书")
    SUMMONS = "summons", _("约谈通知书")
    SUSPENSION_ORDER = "suspension_order", _("责令停产停业整顿指令书")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    REFERRAL = "referral", _("案件移送书")


class RiskLevel(models.TextChoices):
    MAJOR = rules.RISK_MAJOR, _("重大风险（红）")
    HIGH = rules.RISK_HIGH, _("较大风险（橙）")
    MEDIUM = rules.RISK_MEDIUM, _("一般风险（黄）")
    LOW = rules.RISK_LOW, _("低风险（蓝）")


class InspectionPlan(models.Model):
    """年度监督检查计划 of one department: planned inspections per month and targets by industry and risk."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="inspection_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=120)
    monthly_counts = models.JSONField(_("各月计划检查次数"), default=list)
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("制定人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_DEPARTMENT
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监督检查计划")
        verbose_name_plural = _("监督检查计划")
        ordering = ["-year", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="inspection_plan_one_per_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def planned_total(self) -> int:
        return sum(self.monthly_counts or [])

    @property
    def quarterly_counts(self) -> list[int]:
        return rules.quarterly(self.monthly_counts or [0] * 12)


class PlanTarget(models.Model):
    """One line of a plan's targets: how many inspections of enterprises of an industry and risk level."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("检查计划"), on_delete=models.CASCADE, related_name="targets"
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices, blank=True)
    count = models.PositiveIntegerField(_("计划检查次数"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("计划检查目标")
        verbose_name_plural = _("计划检查目标")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.industry or ''} {self.get_risk_level_display()} {self.count}"


class Inspector(models.Model):
    """执法人员库: an official with an enforcement certificate; an expired certificate cannot be assigned."""

    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="inspectors"
    )
    user = models.ForeignKey(
        USER,
        verbose_name=_("系统用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspector_roles",
    )
    name = models.CharField(_("姓名"), max_length=50)
    certificate_number = models.CharField(_("执法证号"), max_length=40, unique=True)
    certificate_expires_on = models.DateField(_("执法证有效期至"))
    specialties = models.ManyToManyField(Industry, verbose_name=_("专业领域"), blank=True, related_name="+")
    is_active = models.BooleanField(_("在库"), default=True)
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_DEPARTMENT
    history = HistoricalRecords(m2m_fields=[specialties])

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["department_id", "name"]

    def __str__(self) -> str:
        return self.name


class Conflict(models.Model):
    """A conflict of interest an inspector declared with an enterprise (回避): never drawn for it."""

    inspector = models.ForeignKey(
        Inspector, verbose_name=_("执法人员"), on_delete=models.CASCADE, related_name="conflicts"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("回避事由"), max_length=200)
    declared_on = models.DateField(_("申报日期"))
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="inspector__department__region", department="inspector__department")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")
        constraints = [
            models.UniqueConstraint(fields=["inspector", "enterprise"], name="conflict_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.inspector} · {self.enterprise}"


class RandomDraw(models.Model):
    """双随机抽取: the inputs (seed, pool, inspectors, conflicts, used pairs, method) and the result. A confirmed
    draw is immutable; `rules.draw` over the recorded inputs gives its result again."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        PUBLISHED = "published", _("已公开")

    class Method(models.TextChoices):
        UNIFORM = rules.METHOD_UNIFORM, _("等概率抽取")
        WEIGHTED = rules.METHOD_WEIGHTED, _("按风险加权（差异化抽查）")

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="draws"
    )
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("检查计划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="draws",
    )
    title = models.CharField(_("抽查事项"), max_length=120)
    period_start = models.DateField(_("检查期间起"))
    period_end = models.DateField(_("检查期间止"))
    region = models.ForeignKey(Region, verbose_name=_("抽取区域"), on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    risk_levels = models.JSONField(_("风险等级"), default=list, blank=True)
    method = models.CharField(_("抽取方式"), max_length=20, choices=Method.choices, default=Method.UNIFORM)
    sample_size = models.PositiveIntegerField(_("抽取企业数"))
    team_size = models.PositiveSmallIntegerField(_("每组执法人员数"), default=rules.MIN_TEAM_SIZE)
    seed = models.BigIntegerField(_("随机种子"))
    pool = models.JSONField(_("候选企业（ID）"), default=list)
    weights = models.JSONField(_("权重"), default=dict, blank=True)
    inspectors = models.JSONField(_("候选执法人员（ID）"), default=list)
    conflicts = models.JSONField(_("回避关系"), default=list, blank=True)
    used_pairs = models.JSONField(_("期间内已检查的人员—企业组合"), default=list, blank=True)
    result = models.JSONField(_("抽取结果"), default=list)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    drawn_by = models.ForeignKey(USER, verbose_name=_("抽取人"), on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_DEPARTMENT
    history = HistoricalRecords(excluded_fields=["pool", "weights", "inspectors", "conflicts", "used_pairs"])

    class Meta:
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT


D = RandomDraw.Status
DRAW_TRANSITIONS: tuple[Transition, ...] = (
    Transition("confirm", frozenset({D.DRAFT}), D.CONFIRMED, "inspections.draw", _("确认抽取结果")),
    Transition("publish", frozenset({D.CONFIRMED}), D.PUBLISHED, "inspections.draw", _("公开抽查结果")),
)


class InspectionQuerySet(ScopedQuerySet):
    """The scope of inspections, with one more rule: an enterprise's users never see a 四不两直 visit that is
    still planned (no list entry, no detail, no API row) — it appears only once recorded."""

    def for_user(self, user, action: str | None = None):
        from anlan.core.permissions import roles_with_right

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.filter(NOTHING)
        if user.is_superuser:
            return self.all()
        roles = roles_with_right(action) if action else None
        hidden = Q(kind=Inspection.Kind.UNANNOUNCED, status=Inspection.Status.PLANNED)
        parts = []
        for membership in memberships_of(user):
            if roles is not None and membership.role not in roles:
                continue
            q = membership_q(self.model.scope, membership)
            parts.append(q & ~hidden if membership.role == Role.ENTERPRISE else q)
        if not parts:
            return self.filter(NOTHING)
        return self.filter(reduce(or_, parts))


class Inspection(models.Model):
    """监督检查记录: planned (by hand or by a draw), then recorded on site with the checklist answers."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("日常检查")
        SPECIAL = "special", _("专项检查")
        RANDOM = "random", _("双随机抽查")
        UNANNOUNCED = "unannounced", _("四不两直/暗查暗访")
        SUPERVISION = "supervision", _("督查")
        RECHECK = "recheck", _("回头看")
        EXPERT = "expert", _("专家会诊")
        JOINT = "joint", _("联合执法")

    class Status(models.TextChoices):
        PLANNED = "planned", _("待检查")
        RECORDED = "recorded", _("已检查")
        CANCELLED = "cancelled", _("已取消")

    class Result(models.TextChoices):
        NO_PROBLEM = "no_problem", _("未发现问题")
        PROBLEMS = "problems", _("发现问题")
        NOT_FOUND = "not_found", _("检查对象不存在或已停业")

    kind = models.CharField(_("检查类型"), max_length=20, choices=Kind.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("检查部门"), on_delete=models.PROTECT, related_name="inspections"
    )
    draw = models.ForeignKey(
        RandomDraw,
        verbose_name=_("双随机抽取"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    place = models.CharField(_("检查场所"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业领域"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checklist = models.CharField(_("检查表"), max_length=40)
    team = models.ManyToManyField(Inspector, verbose_name=_("检查组"), related_name="inspections")
    planned_on = models.DateField(_("计划检查日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    arrived_at = models.DateTimeField(_("到达现场时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("检查结束时间"), null=True, blank=True)
    people_met = models.CharField(_("被检查单位人员"), max_length=200, blank=True)
    escort = models.CharField(_("陪同人员"), max_length=200, blank=True)
    result = models.CharField(_("检查结果"), max_length=20, choices=Result.choices, blank=True)
    summary = models.TextField(_("检查情况"), blank=True)
    production_during_suspension = models.BooleanField(_("停产整顿期间擅自生产"), default=False)
    signature_scan = models.FileField(
        _("签字确认扫描件"), upload_to="inspections/signatures/%Y/", blank=True, max_length=200
    )
    record_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("现场检查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = InspectionQuerySet.as_manager()
    scope = ScopeSpec(
        region="region", industry="industry", grid="grid", enterprise="enterprise", department="department"
    )
    history = HistoricalRecords(m2m_fields=[team])

    class Meta:
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        ordering = ["-planned_on", "-id"]
        indexes = [
            models.Index(fields=["region", "planned_on"], name="inspection_region_planned"),
            models.Index(fields=["department", "planned_on"], name="inspection_department_planned"),
            models.Index(fields=["enterprise", "planned_on"], name="inspection_enterprise_planned"),
            models.Index(fields=["industry", "region"], name="inspection_industry_region"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject} · {self.planned_on}"

    @property
    def subject(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.place


IS = Inspection.Status
INSPECTION_TRANSITIONS: tuple[Transition, ...] = (
    Transition("record", frozenset({IS.PLANNED}), IS.RECORDED, "inspections.inspect", _("记录检查结果")),
    Transition(
        "cancel",
        frozenset({IS.PLANNED}),
        IS.CANCELLED,
        "inspections.inspect",
        _("取消检查"),
        reason_required=True,
    ),
)

THROUGH_INSPECTION = ScopeSpec(
    region="inspection__region",
    industry="inspection__industry",
    grid="inspection__grid",
    enterprise="inspection__enterprise",
    department="inspection__department",
)


class Answer(models.Model):
    """One checklist item answered: 符合 / 不符合 / 不适用. A 不符合 answer is a finding and opens a hazard."""

    class Result(models.TextChoices):
        COMPLIANT = "compliant", _("符合")
        NON_COMPLIANT = "non_compliant", _("不符合")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("监督检查"), on_delete=models.CASCADE, related_name="answers"
    )
    item_key = models.CharField(_("检查项"), max_length=40)
    item_text = models.TextField(_("检查内容"))
    basis = models.CharField(_("依据"), max_length=300)
    result = models.CharField(_("检查结论"), max_length=20, choices=Result.choices)
    note = models.TextField(_("情况说明"), blank=True)
    grade = models.CharField(_("隐患等级"), max_length=20, blank=True)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("登记隐患"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_answer",
    )
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_INSPECTION
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查项结论")
        verbose_name_plural = _("检查项结论")
        ordering = ["inspection_id", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item_key"], name="answer_one_per_item")]
        indexes = [models.Index(fields=["inspection", "result"], name="answer_inspection_result")]

    def __str__(self) -> str:
        return f"{self.item_key} {self.get_result_display()}"


class AnswerPhoto(models.Model):
    """A photo taken for a checklist answer."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("检查项结论"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("照片"), upload_to="inspections/%Y/%m/", max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")

    def __str__(self) -> str:
        return self.name


class EnforcementAction(models.Model):
    """执法措施 taken on an inspection's findings, with its legal basis and the document issued for it."""

    class Kind(models.TextChoices):
        RECTIFICATION = "rectification", _("责令限期整改")
        SUSPENSION = "suspension", _("责令停产停业整顿")
        FINE = "fine", _("罚款")
        CONFISCATION = "confiscation", _("没收违法所得")
        LICENCE_SUSPENSION = "licence_suspension", _("暂扣许可证")
        LICENCE_REVOCATION = "licence_revocation", _("吊销许可证")
        CLOSURE = "closure", _("关闭")
        REFERRAL = "referral", _("移送")

    class Status(models.TextChoices):
        ISSUED = "issued", _("执行中")
        COMPLETED = "completed", _("已执行完毕")
        REVOKED = "revoked", _("已撤销")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("监督检查"), on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(_("执法措施"), max_length=30, choices=Kind.choices)
    findings = models.ManyToManyField(Answer, verbose_name=_("对应问题"), blank=True, related_name="actions")
    legal_basis = models.TextField(_("法律依据"))
    description = models.TextField(_("措施内容"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    due_on = models.DateField(_("整改/执行期限"), null=True, blank=True)
    licence = models.CharField(_("许可证名称及编号"), max_length=120, blank=True)
    referred_to = models.CharField(_("移送机关"), max_length=120, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("执法文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(USER, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("决定日期"))
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_INSPECTION
    history = HistoricalRecords(m2m_fields=[findings])

    class Meta:
        verbose_name = _("执法措施")
        verbose_name_plural = _("执法措施")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["kind", "issued_on"], name="enforcement_kind_issued")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.inspection.subject}"


E = EnforcementAction.Status
ENFORCEMENT_TRANSITIONS: tuple[Transition, ...] = (
    Transition("complete", frozenset({E.ISSUED}), E.COMPLETED, "inspections.enforce", _("执行完毕")),
    Transition(
        "revoke", frozenset({E.ISSUED}), E.REVOKED, "inspections.enforce", _("撤销"), reason_required=True
    ),
)


class Letter(models.Model):
    """Other documents of an inspection: 整改复查意见书, 警示提醒书, 安全监管行政建议书, 约谈通知书."""

    KINDS = (
        DocumentKind.RECHECK_OPINION,
        DocumentKind.WARNING_LETTER,
        DocumentKind.ADVICE_LETTER,
        DocumentKind.SUMMONS,
    )

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("监督检查"), on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(_("文书种类"), max_length=30, choices=[(k.value, k.label) for k in KINDS])
    addressee = models.CharField(_("主送单位"), max_length=120)
    content = models.TextField(_("正文"))
    action = models.ForeignKey(
        EnforcementAction,
        verbose_name=_("复查的整改指令"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    document = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("文书"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(USER, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("签发日期"))
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_INSPECTION
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查文书")
        verbose_name_plural = _("检查文书")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Suspension(models.Model):
    """停产整顿: ordered by an enforcement action; the enterprise is suspended until 复产验收 passes."""

    class Status(models.TextChoices):
        SUSPENDED = "suspended", _("停产整顿中")
        APPLIED = "applied", _("复产验收中")
        RESUMED = "resumed", _("已复产")

    action = models.OneToOneField(
        EnforcementAction, verbose_name=_("停产整顿指令"), on_delete=models.PROTECT, related_name="suspension"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="suspensions"
    )
    issuing_level = models.CharField(
        _("下达层级"),
        max_length=20,
        choices=[("county", _("县级")), ("city", _("市级")), ("province", _("省级"))],
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUSPENDED, db_index=True
    )
    unauthorised_production_at = models.DateTimeField(_("发现擅自复产时间"), null=True, blank=True)
    unauthorised_production_by = models.ForeignKey(
        Inspection,
        verbose_name=_("发现擅自复产的检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resumed_on = models.DateField(_("复产日期"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="enterprise__region",
        industry="enterprise__industry",
        grid="enterprise__grid",
        enterprise="enterprise",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("停产整顿")
        verbose_name_plural = _("停产整顿")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_status_display()}"


class SignoffStep(models.Model):
    """One configured step of the 复产验收 sign-off chain of a county (ordered). Who approves: a user of that
    role whose jurisdiction covers the enterprise (the department step: the department that ordered it)."""

    class Approver(models.TextChoices):
        DEPARTMENT = "department", _("行业监管部门")
        COMMITTEE_OFFICE = "committee_office", _("安委办/应急管理局")
        LEADER = "leader", _("县级领导")

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("顺序"))
    approver = models.CharField(_("审批角色"), max_length=30, choices=Approver.choices)
    name = models.CharField(_("环节名称"), max_length=60)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("复产验收审批环节")
        verbose_name_plural = _("复产验收审批环节")
        ordering = ["region_id", "order"]
        constraints = [models.UniqueConstraint(fields=["region", "order"], name="signoff_step_order")]

    def __str__(self) -> str:
        return self.name


# The chain used where a county configured none: the department's on-site acceptance, then the county leader.
DEFAULT_CHAIN = (
    (SignoffStep.Approver.DEPARTMENT.value, "县级行业部门现场验收"),
    (SignoffStep.Approver.LEADER.value, "县级分管领导审批"),
)


class Resumption(models.Model):
    """复产申请: the enterprise's application with evidence, decided step by step along the chain."""

    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    suspension = models.ForeignKey(
        Suspension, verbose_name=_("停产整顿"), on_delete=models.PROTECT, related_name="applications"
    )
    evidence = models.TextField(_("整改情况及证明材料说明"))
    attachment = models.FileField(
        _("证明材料"), upload_to="inspections/resumption/%Y/", blank=True, max_length=200
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    applied_by = models.ForeignKey(USER, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="suspension__enterprise__region",
        industry="suspension__enterprise__industry",
        grid="suspension__enterprise__grid",
        enterprise="suspension__enterprise",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("复产申请")
        verbose_name_plural = _("复产申请")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suspension"], condition=Q(status="pending"), name="resumption_one_pending"
            )
        ]

    def __str__(self) -> str:
        return str(_("复产申请 %(id)s") % {"id": self.pk})


class ResumptionStep(models.Model):
    """One step of an application's chain, copied from the configuration when the application was made."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("同意")
        REJECTED = "rejected", _("不同意")

    application = models.ForeignKey(
        Resumption, verbose_name=_("复产申请"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    approver = models.CharField(_("审批角色"), max_length=30)
    name = models.CharField(_("环节名称"), max_length=60)
    decision = models.CharField(_("审批结论"), max_length=20, choices=Decision.choices, blank=True)
    opinion = models.TextField(_("审批意见"), blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="application__suspension__enterprise__region",
        industry="application__suspension__enterprise__industry",
        enterprise="application__suspension__enterprise",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("复产审批环节")
        verbose_name_plural = _("复产审批环节")
        ordering = ["application_id", "order"]
        constraints = [models.UniqueConstraint(fields=["application", "order"], name="resumption_step_order")]

    def __str__(self) -> str:
        return self.name


class ScoringRule(models.Model):
    """安全生产记分 scheme: points for one kind of violation (configurable, provincial; regulations.md §9)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    violation = models.CharField(_("违法违规行为"), max_length=200)
    points = models.PositiveSmallIntegerField(_("记分分值"))
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("记分标准")
        verbose_name_plural = _("记分标准")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.violation}（{self.points}分）"


class ScoredPerson(models.Model):
    """A responsible person (e.g. 矿长, 主要负责人) who is scored, with the enterprise they answer for."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="scored_people"
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="enterprise__region",
        industry="enterprise__industry",
        grid="enterprise__grid",
        enterprise="enterprise",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("记分对象")
        verbose_name_plural = _("记分对象")
        ordering = ["enterprise_id", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）"


class ScoreEntry(models.Model):
    """One scoring of a person for a violation found in an inspection; cycles of 12 months, 12 points."""

    person = models.ForeignKey(
        ScoredPerson, verbose_name=_("记分对象"), on_delete=models.PROTECT, related_name="scores"
    )
    rule = models.ForeignKey(
        ScoringRule, verbose_name=_("记分标准"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveSmallIntegerField(_("记分"))
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("监督检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scores",
    )
    scored_on = models.DateField(_("记分日期"))
    cycle_start = models.DateField(_("记分周期起"))
    cycle_total = models.PositiveSmallIntegerField(_("本周期累计"))
    action_due = models.BooleanField(_("达到处理分值"), default=False)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("记分人"), on_delete=models.PROTECT, related_name="+"
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="person__enterprise__region",
        industry="person__enterprise__industry",
        enterprise="person__enterprise",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("记分记录")
        verbose_name_plural = _("记分记录")
        ordering = ["-scored_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} +{self.points}"
