"""盯守 of suspended units, 联合惩戒措施 sent to other bodies, and 跟踪问效 (回头看) of closed and exited units
(issue #14, seed-map C8–C10).

A `WatchPlan` says who visits a unit and how often: one per suspension in force (盯守) and one per closed or
exited enterprise (回头看). `WatchVisit` is one visit of either kind, recorded by a watcher on site. The
enterprise never sees a plan or a visit (四不两直: the surprise is the point): their scope has no enterprise
path. A `JointMeasure` is one measure sent on a suspension to another body as a receipt-confirmed task of the
kernel (`core.receipts`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Department, Enterprise, ReceiptTask, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .common import USER
from .suspension import Suspension


def _hidden_from_enterprise(path: str, **extra) -> ScopeSpec:
    """Region, industry and grid of the enterprise at `path`, but not the enterprise itself."""
    return ScopeSpec(region=f"{path}__region", industry=f"{path}__industry", grid=f"{path}__grid", **extra)


class WatchPlan(models.Model):
    """盯守 plan of a suspension in force, or 回头看 (跟踪问效) plan of a closed or exited enterprise."""

    class Kind(models.TextChoices):
        WATCH = "watch", _("停产整顿盯守")
        REVISIT = "revisit", _("关闭退出跟踪问效")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, db_index=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="watch_plans"
    )
    suspension = models.OneToOneField(
        Suspension,
        verbose_name=_("停产整顿"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="watch_plan",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    every_days = models.PositiveSmallIntegerField(_("巡查间隔（天）"))
    watchers = models.ManyToManyField(USER, verbose_name=_("盯守人员"), blank=True, related_name="+")
    started_on = models.DateField(_("开始日期"))
    last_visit_on = models.DateField(_("最近巡查日期"), null=True, blank=True)
    next_due_on = models.DateField(_("下次巡查期限"), db_index=True)
    # The due date whose miss the sweep has flagged (once per missed due date: compare-and-set on it).
    flagged_for = models.DateField(_("已提醒的逾期期限"), null=True, blank=True)
    restart_found_at = models.DateTimeField(_("发现擅自复产时间"), null=True, blank=True)
    is_active = models.BooleanField(_("执行中"), default=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = _hidden_from_enterprise("enterprise", department="department")
    history = HistoricalRecords(m2m_fields=[watchers])

    class Meta:
        verbose_name = _("盯守计划")
        verbose_name_plural = _("盯守计划")
        ordering = ["next_due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(kind="revisit", is_active=True),
                name="watch_plan_one_revisit_per_enterprise",
            ),
            models.CheckConstraint(
                condition=Q(kind="revisit", suspension__isnull=True)
                | Q(kind="watch", suspension__isnull=False),
                name="watch_plan_kind_matches_suspension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()}"


class WatchVisit(models.Model):
    """One 盯守 or 回头看 visit: when, what the watcher saw, whether the unit was producing."""

    plan = models.ForeignKey(
        WatchPlan, verbose_name=_("盯守计划"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("巡查日期"))
    visited_at = models.TimeField(_("到达时间"), null=True, blank=True)
    observation = models.TextField(_("现场情况"))
    producing = models.BooleanField(_("发现组织生产（施工）"), default=False)
    watcher = models.ForeignKey(USER, verbose_name=_("巡查人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = _hidden_from_enterprise("plan__enterprise", department="plan__department")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("盯守巡查记录")
        verbose_name_plural = _("盯守巡查记录")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan.enterprise} · {self.visited_on}"

    # What the 擅自复产 path reads of its source (an Inspection has the same three).
    @property
    def enterprise_id(self) -> int:
        return self.plan.enterprise_id

    @property
    def region_id(self) -> str:
        return self.plan.enterprise.region_id

    @property
    def subject(self) -> str:
        return self.plan.enterprise.name


class WatchVisitPhoto(models.Model):
    """A photo taken on a 盯守/回头看 visit."""

    visit = models.ForeignKey(
        WatchVisit, verbose_name=_("巡查记录"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("照片"), upload_to="inspections/watch/%Y/%m/", max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = _hidden_from_enterprise("visit__plan__enterprise", department="visit__plan__department")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("盯守巡查照片")
        verbose_name_plural = _("盯守巡查照片")

    def __str__(self) -> str:
        return self.name


class JointMeasure(models.Model):
    """联合惩戒措施 on a suspension (S2: 「落实煤矿安全监察机构暂扣安全生产许可证、公安机关停供民用爆炸物品、电力部门
    采取限制供电等措施」): sent to the body that takes it as a receipt-confirmed task, lifted with a second one
    when the unit resumes."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("暂扣安全生产许可证")
        EXPLOSIVES = "explosives", _("停供民用爆炸物品")
        POWER = "power", _("限制供电")

    suspension = models.ForeignKey(
        Suspension, verbose_name=_("停产整顿"), on_delete=models.PROTECT, related_name="joint_measures"
    )
    kind = models.CharField(_("措施"), max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        Unit, verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    task = models.OneToOneField(
        ReceiptTask,
        verbose_name=_("接收确认"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_by = models.ForeignKey(USER, verbose_name=_("发送人"), on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    lift_task = models.OneToOneField(
        ReceiptTask,
        verbose_name=_("解除确认"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lifted_by = models.ForeignKey(
        USER, verbose_name=_("解除人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    # The supervisors of the enterprise, and the members of the recipient body (who confirm it); never the
    # enterprise.
    scope = _hidden_from_enterprise("suspension__enterprise", owner_unit="recipient")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联合惩戒措施")
        verbose_name_plural = _("联合惩戒措施")
        ordering = ["suspension_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["suspension", "kind"], name="joint_measure_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.suspension.enterprise} · {self.get_kind_display()}"
