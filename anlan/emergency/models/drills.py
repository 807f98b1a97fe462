"""应急演练: a drill of a published plan — held, evaluated, its problems turned into hazards, and reported to the
county-level department, which acknowledges it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Industry, Region, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .plans import Plan


class Drill(models.Model):
    """One drill of a plan, recorded after it is held by the plan's owner (its scope is the plan's)."""

    class Kind(models.TextChoices):
        TABLETOP = "tabletop", _("桌面推演")
        LIVE = "live", _("实战演练")
        COMBINED = "combined", _("综合演练")

    class Status(models.TextChoices):
        HELD = "held", _("已实施")
        EVALUATED = "evaluated", _("已评估")
        REPORTED = "reported", _("已报告")
        ACKNOWLEDGED = "acknowledged", _("已确认收到")

    class Conclusion(models.TextChoices):
        GOOD = "good", _("达到预期")
        BASIC = "basic", _("基本达到预期")
        POOR = "poor", _("未达到预期，需修订预案或再次演练")

    plan = models.ForeignKey(
        Plan, verbose_name=_("演练预案"), on_delete=models.PROTECT, related_name="drills"
    )
    owner = models.ForeignKey(Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("演练形式"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("演练名称"), max_length=200)
    scenario = models.TextField(_("演练情景"))
    place = models.CharField(_("演练地点"), max_length=200)
    held_on = models.DateField(_("演练日期"))
    participants = models.PositiveIntegerField(_("参演人数"), validators=[MinValueValidator(1)])
    participating_units = models.CharField(_("参演单位"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.HELD)
    conclusion = models.CharField(_("评估结论"), max_length=10, choices=Conclusion.choices, blank=True)
    evaluation = models.TextField(_("评估意见"), blank=True)
    evaluated_on = models.DateField(_("评估日期"), null=True, blank=True)
    reported_to = models.ForeignKey(
        Unit, verbose_name=_("报告单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="region",
        industry="industry",
        enterprise="enterprise",
        grid="enterprise__grid",
        owner_unit="owner",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["plan", "held_on"], name="drill_plan_held")]

    def __str__(self) -> str:
        return self.title


class DrillProblem(models.Model):
    """A problem the drill revealed; made a hazard (source 应急演练) to be fixed and closed like any other."""

    drill = models.ForeignKey(
        Drill, verbose_name=_("演练"), on_delete=models.CASCADE, related_name="problems"
    )
    description = models.TextField(_("问题描述"))
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="drill__region",
        industry="drill__industry",
        enterprise="drill__enterprise",
        grid="drill__enterprise__grid",
        owner_unit="drill__owner",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("演练发现问题")
        verbose_name_plural = _("演练发现问题")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:40]
