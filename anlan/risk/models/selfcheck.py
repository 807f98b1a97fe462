"""自查自改 (seed-map B8; regulations.md §2.3, 16号令 第十条): the enterprise's own checklists, each run of them —
including runs that found nothing, recorded as such — the result of every item, and the periods a checklist was
not run in (marked by the nightly sweep). Each record hangs off its enterprise and takes its scope from it. A run
keeps the period it covers as columns (`period_start`, `period_end`) and whether it is the period's counted run,
so compliance is a SQL aggregate; the period rules are in rules.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise
from anlan.core.scope import ScopedQuerySet, ScopeSpec

RECORD_SELFCHECK = "risk.record_selfcheck"
VIEW_SELFCHECK = "risk.view_selfcheck"
EXPORT_SELFCHECK = "risk.export_selfcheck"


class Frequency(models.TextChoices):
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class RiskLevel(models.TextChoices):
    MAJOR = "major", _("重大风险")
    SIGNIFICANT = "significant", _("较大风险")
    GENERAL = "general", _("一般风险")
    LOW = "low", _("低风险")


class Checklist(models.Model):
    """自查清单: one of an enterprise's own checklists for a post or area (岗位/区域), run daily, weekly or monthly
    from `starts_on`; the post's risk level suggests the frequency (Anlan's default, rules.suggested_frequency).
    An inactive checklist is no longer due."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("清单名称"), max_length=100)
    post = models.CharField(_("岗位/区域"), max_length=100)
    risk_level = models.CharField(_("岗位风险等级"), max_length=20, choices=RiskLevel.choices, blank=True)
    frequency = models.CharField(_("自查频次"), max_length=10, choices=Frequency.choices)
    starts_on = models.DateField(_("启用日期"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("自查清单")
        verbose_name_plural = _("自查清单")
        ordering = ["enterprise_id", "name", "pk"]
        indexes = [models.Index(fields=["enterprise", "is_active"], name="risk_checklist_enterprise")]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"


class ChecklistItem(models.Model):
    """自查项目: what to check and on what basis (the rule or standard it comes from). An item no longer wanted is
    deactivated, never deleted, so past runs keep their results."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("自查清单"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    content = models.CharField(_("检查内容"), max_length=500)
    basis = models.CharField(_("检查依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("checklist__enterprise")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("自查项目")
        verbose_name_plural = _("自查项目")
        ordering = ["checklist_id", "order", "pk"]

    def __str__(self) -> str:
        return self.content


class SelfInspectionRun(models.Model):
    """自查记录: one run of a checklist on `done_on`, covering the period that contains that day, by an inspector
    (a user of the enterprise, or a person named). `found_problems` is False for a run that found nothing — the
    enterprise confirmed it explicitly. The first run of a period is its counted run (`is_counted`; one per
    checklist and period, a unique constraint); another run of the same period is kept but counts once."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("自查清单"), on_delete=models.PROTECT, related_name="runs"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    done_on = models.DateField(_("自查日期"))
    period_start = models.DateField(_("所属周期起"), editable=False)
    period_end = models.DateField(_("所属周期止"), editable=False)
    is_counted = models.BooleanField(_("计入该周期"), default=True, editable=False)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人（账号）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspector_name = models.CharField(_("检查人"), max_length=50)
    found_problems = models.BooleanField(_("发现问题"), default=False, editable=False)
    problem_count = models.PositiveSmallIntegerField(_("问题数"), default=0, editable=False)
    notes = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("自查记录")
        verbose_name_plural = _("自查记录")
        ordering = ["-done_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "period_start"],
                condition=models.Q(is_counted=True),
                name="risk_run_counted_once",
            )
        ]
        indexes = [
            models.Index(fields=["enterprise", "period_end"], name="risk_run_enterprise_end"),
            models.Index(fields=["checklist", "period_start"], name="risk_run_checklist_period"),
        ]

    def __str__(self) -> str:
        return f"{self.checklist} · {self.done_on}"

    @property
    def recorded_late(self) -> bool:
        """补录: recorded after the period it covers had ended."""
        from django.utils import timezone

        return timezone.localtime(self.recorded_at).date() > self.period_end if self.recorded_at else False


class RunResult(models.Model):
    """One item's result in a run: 正常, 存在问题 (then the problem in words and the hazard it was registered as,
    with source 企业自查) or 不适用."""

    class Result(models.TextChoices):
        OK = "ok", _("正常")
        PROBLEM = "problem", _("存在问题")
        NA = "na", _("不适用")

    run = models.ForeignKey(
        SelfInspectionRun, verbose_name=_("自查记录"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("自查项目"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("检查结果"), max_length=10, choices=Result.choices)
    note = models.CharField(_("情况说明"), max_length=500, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("登记的隐患"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("run__enterprise")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("自查项目结果")
        verbose_name_plural = _("自查项目结果")
        ordering = ["run_id", "item__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "item"], name="risk_run_item_once")]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_result_display()}"


class MissedPeriod(models.Model):
    """缺失自查: a whole period of an active checklist that ended with no run, marked by the nightly sweep (one row
    per checklist and period: a unique constraint, so several workers insert it once). A run recorded later for
    that period (补录) sets `made_up_on`; the enterprise is told once (`notified_at`, claimed by a conditional
    UPDATE)."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("自查清单"), on_delete=models.CASCADE, related_name="missed_periods"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("周期起"))
    period_end = models.DateField(_("周期止"))
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)
    notified_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    made_up_on = models.DateField(_("补录日期"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("缺失自查周期")
        verbose_name_plural = _("缺失自查周期")
        ordering = ["-period_end", "checklist_id"]
        constraints = [models.UniqueConstraint(fields=["checklist", "period_start"], name="risk_missed_once")]
        indexes = [models.Index(fields=["enterprise", "period_end"], name="risk_missed_enterprise_end")]

    def __str__(self) -> str:
        return f"{self.checklist} · {self.period_start}–{self.period_end}"
