"""考核: the yearly assessment of a county's towns and departments — the scheme (指标体系) the 安委办 edits until it
publishes it, the manual scores (台账检查, 现场考核) one 安委办 user enters and another confirms, and the scoring
run whose results (score, rank, each deduction line with the records behind it) the 安委办 publishes.

Before publication only the 安委办 and the leaders see a run's results; after it each town or department sees
its own result with every line, and every government user of the county sees the ranking table (selectors)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Job, Region, Role, Unit
from anlan.core.scope import NOTHING, ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Refusal, Transition

from .. import rules

MANAGE_ASSESSMENT = "governance.manage_assessment"
REVIEW_ASSESSMENT = "governance.review_assessment"
VIEW_ASSESSMENT = "governance.view_assessment"
POINTS = {"max_digits": 6, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


def _office_and_leaders(membership, q: Q) -> Q:
    """Assessment work in progress is the 安委办's and the leaders' (a department or town sees its own result
    through `owner_unit`, and only once published — selectors)."""
    return q if membership.role in (Role.COMMITTEE_OFFICE, Role.LEADER) else NOTHING


class AssessmentScheme(models.Model):
    """考核方案 (指标体系) of one year for the towns and departments of a county: the base every unit starts from,
    an optional maximum, and its indicators. Edited by the 安委办 while a draft; published, it is locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    region = models.ForeignKey(Region, verbose_name=_("考核区划"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        _("考核年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("方案名称"), max_length=200)
    base = models.DecimalField(_("基础分"), **POINTS, default=rules.DEFAULT_BASE, validators=NOT_NEGATIVE)
    maximum = models.DecimalField(
        _("最高分"), **POINTS, null=True, blank=True, validators=NOT_NEGATIVE, help_text=_("留空表示不设上限")
    )
    notes = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制定人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", refine=_office_and_leaders)
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "publish",
            frozenset({Status.DRAFT}),
            Status.PUBLISHED,
            MANAGE_ASSESSMENT,
            _("发布方案"),
            confirm=_("发布后指标不能再修改，确定发布吗？"),
            style="success",
        ),
    )

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="gov_assessment_scheme_one_per_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Indicator(models.Model):
    """考核指标: a 负面清单扣分 rule, a 重点工作量分 item or a 一票否决 condition (each the named query of a fact
    provider, selectors.assessment_facts), or a manual indicator (台账检查, 现场考核) scored by hand."""

    class AppliesTo(models.TextChoices):
        ALL = "all", _("乡镇和部门")
        TOWN = "town", _("乡镇(街道)")
        DEPARTMENT = "department", _("部门")

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("指标名称"), max_length=200)
    kind = models.CharField(_("指标类型"), max_length=10, choices=rules.INDICATOR_KINDS)
    category = models.CharField(_("考核类别"), max_length=10, choices=rules.INDICATOR_CATEGORIES)
    applies_to = models.CharField(
        _("适用对象"), max_length=12, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    provider = models.CharField(_("数据来源"), max_length=60, blank=True)
    points = models.DecimalField(_("每次分值"), **POINTS, default=Decimal("0"), validators=NOT_NEGATIVE)
    cap = models.DecimalField(
        _("分值上限（权重）"),
        **POINTS,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("留空表示不设上限"),
    )
    threshold = models.PositiveIntegerField(
        _("参数"), null=True, blank=True, help_text=_("部分数据来源使用，如计划完成率（%）")
    )
    basis = models.CharField(_("考核依据"), max_length=300, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="scheme__region", refine=_office_and_leaders)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "position"], name="gov_assessment_indicator_position")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return str(self.pk)

    def applies(self, unit_kind: str) -> bool:
        return self.applies_to in (self.AppliesTo.ALL, unit_kind)


def _not_the_enterer(score, user) -> Refusal | None:
    """Guard of confirm/return: a second, different reviewer (the enterer never confirms their own score)."""
    if score.entered_by_id == getattr(user, "pk", None):
        return Refusal("assessment_self_review", _("录入人不能审核自己录入的评分，请由另一名人员审核。"))
    return None


class ManualScore(models.Model):
    """人工评分: the points a unit loses on a manual indicator (台账检查, 现场考核), with the evidence, entered by one
    安委办 user and confirmed by another; only confirmed scores count in a run."""

    class Status(models.TextChoices):
        ENTERED = "entered", _("待审核")
        CONFIRMED = "confirmed", _("已确认")
        RETURNED = "returned", _("已退回")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="manual_scores"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("被考核单位"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("扣分"), **POINTS, validators=NOT_NEGATIVE)
    evidence = models.TextField(_("评分依据"), help_text=_("检查的台账、现场发现的问题及其记录"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ENTERED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="indicator__scheme__region", refine=_office_and_leaders)
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "confirm",
            frozenset({Status.ENTERED}),
            Status.CONFIRMED,
            REVIEW_ASSESSMENT,
            _("确认"),
            style="success",
            guards=(_not_the_enterer,),
        ),
        Transition(
            "return",
            frozenset({Status.ENTERED}),
            Status.RETURNED,
            REVIEW_ASSESSMENT,
            _("退回"),
            reason_required=True,
            style="outline-danger",
            guards=(_not_the_enterer,),
        ),
    )

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = _("人工评分")
        ordering = ["indicator__position", "unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="gov_assessment_manual_once"),
        ]
        indexes = [models.Index(fields=["status", "indicator"], name="gov_manual_status")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator}"


class AssessmentRun(models.Model):
    """考核结果: the scoring of every town and department of the scheme's county from live data (recomputed until
    published), then published by the 安委办."""

    class Status(models.TextChoices):
        PENDING = "pending", _("计算中")
        COMPUTED = "computed", _("待发布")
        PUBLISHED = "published", _("已发布")

    scheme = models.OneToOneField(
        AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="run"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    as_of = models.DateField(_("数据截止日期"), null=True, blank=True)
    unit_count = models.PositiveIntegerField(_("考核单位数"), default=0)
    job = models.ForeignKey(
        Job, verbose_name=_("计算任务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("计算人"), on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="scheme__region", refine=_office_and_leaders)
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "publish",
            frozenset({Status.COMPUTED}),
            Status.PUBLISHED,
            MANAGE_ASSESSMENT,
            _("发布考核结果"),
            confirm=_("发布后各乡镇、部门可查看本单位得分和排名，结果不再重新计算。确定发布吗？"),
            style="success",
        ),
    )

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["-scheme__year", "pk"]

    def __str__(self) -> str:
        return str(self.scheme)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class UnitResult(models.Model):
    """One unit's result in a run: score, vetoed, rank, points deducted and added. Derived rows, rewritten by
    each computation (the run's history records each computation; nobody edits a result)."""

    run = models.ForeignKey(
        AssessmentRun, verbose_name=_("考核结果"), on_delete=models.CASCADE, related_name="results"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("被考核单位"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), **POINTS)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    deducted = models.DecimalField(_("扣分合计"), **POINTS)
    added = models.DecimalField(_("加分合计"), **POINTS)
    rank = models.PositiveIntegerField(_("排名"))
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="run__scheme__region", owner_unit="unit", refine=_office_and_leaders)

    class Meta:
        verbose_name = _("单位考核结果")
        verbose_name_plural = _("单位考核结果")
        ordering = ["run_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="gov_assessment_result_once")]
        indexes = [models.Index(fields=["run", "rank"], name="gov_result_run_rank")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.score}"


class ResultLine(models.Model):
    """What one indicator did to a unit's score: occurrences, points (negative deducts), whether the cap bound,
    and the records behind it (each a {label, url} pair, at most `REFERENCES_PER_LINE` kept)."""

    result = models.ForeignKey(
        UnitResult, verbose_name=_("单位考核结果"), on_delete=models.CASCADE, related_name="lines"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="+"
    )
    occurrences = models.PositiveIntegerField(_("次数"), default=0)
    points = models.DecimalField(_("分值"), **POINTS)
    capped = models.BooleanField(_("已达上限"), default=False)
    records = models.JSONField(_("相关记录"), default=list, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="result__run__scheme__region", owner_unit="result__unit", refine=_office_and_leaders
    )

    class Meta:
        verbose_name = _("考核明细")
        verbose_name_plural = _("考核明细")
        ordering = ["result_id", "indicator__position"]

    def __str__(self) -> str:
        return f"{self.result} · {self.indicator}"
