"""地质灾害隐患点 and 防汛重点部位 (险工险段, reservoirs and ponds, works in water, 山洪 areas): where they are, whom
they threaten, who watches them (the 群测群防员, no account needed), who answers for them, and what was seen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Region
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .. import rules


class Point(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=rules.POINT_KINDS)
    subtype = models.CharField(_("灾害或工程类型"), max_length=50, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("位置"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    households = models.PositiveIntegerField(_("受威胁户数"), default=0)
    people = models.PositiveIntegerField(_("受威胁人数"), default=0)
    monitor_name = models.CharField(_("群测群防员"), max_length=50, blank=True)
    monitor_phone = models.CharField(_("群测群防员电话"), max_length=20, blank=True)
    owner_unit = models.CharField(_("责任单位"), max_length=100, blank=True)
    owner_name = models.CharField(_("责任人"), max_length=50, blank=True)
    owner_phone = models.CharField(_("责任人电话"), max_length=20, blank=True)
    plan = models.TextField(_("度汛方案"), blank=True)
    plan_approved_on = models.DateField(_("方案批准日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)
    closed_reason = models.CharField(_("核销原因"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("隐患点与防汛重点部位")
        verbose_name_plural = _("隐患点与防汛重点部位")
        ordering = ["region_id", "kind", "name", "pk"]
        indexes = [models.Index(fields=["region", "kind", "is_active"], name="warning_point_region_kind")]

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """日常监测记录: what the monitor or the town saw, e.g. a crack's width or a water level."""

    point = models.ForeignKey(
        Point, verbose_name=_("监测点"), on_delete=models.CASCADE, related_name="observations"
    )
    observed_at = models.DateTimeField(_("监测时间"))
    observer = models.CharField(_("监测人"), max_length=50)
    seen = models.TextField(_("监测情况"))
    reading = models.CharField(_("监测数据"), max_length=100, blank=True)
    alarming = models.BooleanField(_("出现险情征兆"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="point__region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监测记录")
        verbose_name_plural = _("监测记录")
        ordering = ["-observed_at", "-pk"]
        indexes = [models.Index(fields=["point", "observed_at"], name="warning_observation_point")]

    def __str__(self) -> str:
        return f"{self.point} · {self.observed_at:%Y-%m-%d %H:%M}"


def _patrol_photo_path(instance, filename: str) -> str:
    return f"warnings/patrols/{instance.warning_id}/{filename}"


class Patrol(models.Model):
    """A patrol of one point for one warning: 雨前排查 and 雨中巡查 made when the warning is issued, 雨后核查 when it
    is lifted; reported by the point's town (or the county) with findings, a photo and where it was done."""

    warning = models.ForeignKey(
        "warnings.Warning", verbose_name=_("预警"), on_delete=models.CASCADE, related_name="patrols"
    )
    point = models.ForeignKey(
        Point, verbose_name=_("巡查点"), on_delete=models.CASCADE, related_name="patrols"
    )
    stage = models.CharField(_("巡查类别"), max_length=10, choices=rules.PATROL_STAGES)
    due_at = models.DateTimeField(_("完成时限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("巡查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    findings = models.TextField(_("巡查情况"), blank=True)
    danger = models.BooleanField(_("发现险情"), default=False)
    photo = models.FileField(_("现场照片"), upload_to=_patrol_photo_path, max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="point__region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡查任务")
        verbose_name_plural = _("巡查任务")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["warning", "point", "stage"], name="warning_patrol_once_per_stage"
            )
        ]
        indexes = [models.Index(fields=["warning", "done_at"], name="warning_patrol_progress")]

    def __str__(self) -> str:
        return f"{self.point} · {self.get_stage_display()}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
