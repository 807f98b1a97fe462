"""Plans and draws: 年度监督检查计划 with targets, the 执法人员库 with declared conflicts (回避), and 双随机
draws with their recorded inputs."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.errors import Code
from anlan.core.models import Department, Enterprise, Industry, Membership, Region, Role
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Refusal, Transition

from .. import rules
from .common import USER, RiskLevel


def own_department(path: str):
    """`ScopeSpec.refine` of planning records (plans, the inspector pool, draws): they are a department's own,
    so a department's staff see their department's alone, not every department's of their region; the
    安委办, towns and leaders keep their region rule (the county office reads every county department's
    planning, for oversight; a town none of the county's)."""

    def refine(membership: Membership, q: Q) -> Q:
        if membership.role == Role.DEPARTMENT:
            return Q(**{path: membership.department_id})
        return q

    return refine


OWN_DEPARTMENT = ScopeSpec(
    region="department__region", department="department", refine=own_department("department")
)


def signs_for_department(record, user) -> Refusal | None:
    """Guard of the draw steps: only whoever signs for the draw's department (its staff, or the 安委办 of its
    region for the comprehensive department, core.capacity.signs_for) confirms or publishes it."""
    from anlan.core import capacity

    if capacity.signs_for(user, record.department):
        return None
    return Refusal(Code.OUT_OF_SCOPE, str(_("只有本部门人员可以办理本部门的双随机抽取。")))


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
    scope = OWN_DEPARTMENT
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
    scope = OWN_DEPARTMENT
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
    scope = ScopeSpec(
        region="inspector__department__region",
        department="inspector__department",
        refine=own_department("inspector__department"),
    )
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
    draw is immutable; `rules.draw` over the recorded inputs gives its result again.

    Publication (双随机、一公开, regulations.md §8): the results are due `settings.ANLAN_DRAW_PUBLISH_DAYS`
    (working days when `ANLAN_DRAW_PUBLISH_WORKING_DAYS`) after the inspection ends (rules.publication_due).
    The inspection ends (`ended_on`, rules.inspection_ended_on) on the day the last inspection generated from
    the draw is recorded — drawn inspections are never cancelled — or at `period_end` if that comes first: a
    visit recorded after the period does not push the deadline back. `publish_due_on` is set when the draw is
    confirmed (from `period_end`, the latest the inspection can end) and brought forward when the last drawn
    inspection is recorded earlier; it stays empty while the holiday calendar lacks a year it needs (the sweep
    tries again). Published after it, the draw is `published_late` (逾期公开); still unpublished the day after
    it, the sweep flags it once (`publish_overdue_at`) and tells the department."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        PUBLISHED = "published", _("已公开")

    class Method(models.TextChoices):
        UNIFORM = rules.METHOD_UNIFORM, _("等概率抽取")
        WEIGHTED = rules.METHOD_WEIGHTED, _("按风险加权（差异化抽查）")

    # Both steps are irreversible: the button asks before it posts (`confirm`).
    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "confirm",
            frozenset({Status.DRAFT}),
            Status.CONFIRMED,
            "inspections.draw",
            _("确认抽取结果"),
            guards=(signs_for_department,),
            confirm=_("确认后抽取结果不可更改，并为抽中的企业生成检查任务。确定确认吗？"),
        ),
        Transition(
            "publish",
            frozenset({Status.CONFIRMED}),
            Status.PUBLISHED,
            "inspections.draw",
            _("公开抽查结果"),
            guards=(signs_for_department,),
            confirm=_("公开后抽查结果向社会公示，不可撤回。确定公开吗？"),
        ),
    )

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
    ended_on = models.DateField(_("检查结束日期"), null=True, blank=True)
    publish_due_on = models.DateField(_("结果公开期限"), null=True, blank=True)
    published_late = models.BooleanField(_("逾期公开"), default=False)
    # Sweep bookkeeping (sweeps.py): when the missed publication was flagged and reported, once.
    publish_overdue_at = models.DateTimeField(_("逾期未公开登记时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = OWN_DEPARTMENT
    history = HistoricalRecords(
        excluded_fields=["pool", "weights", "inspectors", "conflicts", "used_pairs", "publish_overdue_at"]
    )

    class Meta:
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT
