"""隐患排查治理统计分析表 (16号令 第十四条): each enterprise files its quarterly and annual statistics, generated
from its hazard ledger and confirmed by its 主要负责人; the deadlines are configurable per province."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Industry, Region
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from .. import guards, rules

USER = settings.AUTH_USER_MODEL


class FilingRuleSetting(models.Model):
    """统计分析表报送期限: one province's deadlines (rules.FilingRule), from a date on; the latest setting in
    force at a period's end applies, the national default (rules.DEFAULT_FILING_RULE) without one."""

    province = models.ForeignKey(
        Region,
        verbose_name=_("省级区划"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.PROVINCE},
    )
    quarter_day = models.PositiveSmallIntegerField(
        _("季度报送日"), default=rules.DEFAULT_FILING_RULE.quarter_day, help_text=_("下一季度首月的第几日")
    )
    annual_month = models.PositiveSmallIntegerField(
        _("年度报送月"), default=rules.DEFAULT_FILING_RULE.annual_month, help_text=_("次年的第几月")
    )
    annual_day = models.PositiveSmallIntegerField(
        _("年度报送日"), default=rules.DEFAULT_FILING_RULE.annual_day
    )
    effective_from = models.DateField(
        _("施行日期"), null=True, blank=True, help_text=_("统计期截止日在此日期及以后的适用；不填则一直适用")
    )
    note = models.CharField(_("依据"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("设置人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("设置时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="province")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("统计分析表报送期限")
        verbose_name_plural = _("统计分析表报送期限")
        ordering = ["province_id", "-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.province} {self.quarter_day}/{self.annual_month}-{self.annual_day}"

    @property
    def rule(self) -> rules.FilingRule:
        return rules.FilingRule(
            quarter_day=self.quarter_day, annual_month=self.annual_month, annual_day=self.annual_day
        )


class StatisticsFiling(models.Model):
    """隐患排查治理统计分析表: one enterprise's filing for one quarter or year. The figures are a snapshot of its
    hazard ledger for the period; the 主要负责人 confirms it (签字), after which it never changes. A filing
    not confirmed by its due date is flagged missing by the sweep (`flagged_on`); confirming it later clears
    the flag and leaves it 逾期上报 (`is_late`)."""

    class Status(models.TextChoices):
        MISSING = "missing", _("未上报")
        DRAFT = "draft", _("待确认")
        CONFIRMED = "confirmed", _("已上报")

    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "generate",
            frozenset({Status.MISSING, Status.DRAFT}),
            Status.DRAFT,
            "hazards.prepare_filing",
            _("生成本期统计"),
        ),
        Transition(
            "confirm",
            frozenset({Status.DRAFT}),
            Status.CONFIRMED,
            "hazards.confirm_filing",
            _("主要负责人确认上报"),
            guards=(guards.principal_signs,),
            confirm=_("确认后统计分析表不能再修改，确定以主要负责人身份签字上报吗？"),
            style="success",
        ),
    )

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("生产经营单位"),
        on_delete=models.PROTECT,
        related_name="statistics_filings",
        db_index=False,  # the unique constraint leads with it
    )
    # The enterprise's region and industry when the row was made: the scope and the county's aggregates.
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业领域"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    period = models.CharField(_("统计期"), max_length=7, help_text=_("如 2026-Q3（季度）或 2026（年度）"))
    due_on = models.DateField(_("报送期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)
    analysis = models.TextField(_("分析说明"), blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    prepared_by = models.ForeignKey(
        USER, verbose_name=_("填报人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        USER,
        verbose_name=_("主要负责人签字"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    filed_on = models.DateField(_("上报日期"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期上报"), default=False)
    flagged_on = models.DateField(_("标记未上报日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="region",
        industry="industry",
        extra_industries=True,
        grid="enterprise__grid",
        enterprise="enterprise",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("隐患排查治理统计分析表")
        verbose_name_plural = _("隐患排查治理统计分析表")
        ordering = ["-period", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "period"], name="statistics_filing_unique"),
        ]
        indexes = [models.Index(fields=["period", "status", "region"], name="filing_period_status")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.period_label}"

    @property
    def period_label(self) -> str:
        return rules.filing_period_label(self.period)

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_missing(self) -> bool:
        """Flagged by the sweep and still not confirmed."""
        return self.flagged_on is not None and not self.is_confirmed

    @property
    def state_label(self) -> str:
        if self.is_confirmed:
            return str(_("逾期上报") if self.is_late else _("按时上报"))
        if self.is_missing:
            return str(_("逾期未上报"))
        return self.get_status_display()

    @property
    def state_style(self) -> str:
        if self.is_confirmed:
            return "warning" if self.is_late else "success"
        return "danger" if self.is_missing else "secondary"
