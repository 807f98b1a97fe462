"""突发事件: what a duty office takes in and a response is started on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Industry, Region
from anlan.core.scope import ScopedQuerySet, ScopeSpec


class Incident(models.Model):
    """An event the emergency side handles: an accident or a 较大涉险事故 (linked to the accidents module's
    record, from which it is created once), a natural disaster, or another 突发事件 typed in by a duty officer.
    The duty log, the town's 先期处置, the response and the public releases all hang off it; its chronicle is
    their timeline. 续报 are counted on it from the 初报 until it is closed (the response ended or the
    accident closed)."""

    class Kind(models.TextChoices):
        ACCIDENT = "accident", _("生产安全事故")
        NEAR_MISS = "near_miss", _("较大涉险事故")
        NATURAL_DISASTER = "natural_disaster", _("自然灾害")
        OTHER = "other", _("其他突发事件")

    kind = models.CharField(_("事件类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("事件名称"), max_length=200)
    occurred_at = models.DateTimeField(_("发生时间"))
    region = models.ForeignKey(
        Region, verbose_name=_("发生地区划"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("发生地点"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("涉事单位"),
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
    # The accidents module's record this incident follows (at most one of the two).
    accident = models.OneToOneField(
        "accidents.Accident",
        verbose_name=_("事故"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident",
    )
    near_miss = models.OneToOneField(
        "accidents.NearMissIncident",
        verbose_name=_("较大涉险事故"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident",
    )
    # The accident grade code (accidents.rules), which sets the 续报 per day; blank for other events.
    grade = models.CharField(_("等级"), max_length=30, blank=True)
    summary = models.TextField(_("简要情况"), blank=True)
    reported_at = models.DateTimeField(_("接报时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", industry="industry", enterprise="enterprise", grid="enterprise__grid")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("突发事件")
        verbose_name_plural = _("突发事件")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["region", "occurred_at"], name="incident_region_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accident__isnull=True) | models.Q(near_miss__isnull=True),
                name="incident_one_accident_record",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def grade_label(self) -> str:
        """The accident grade's name (一般事故 …), from the accidents module's choices; "" for other events."""
        if not self.grade:
            return ""
        from anlan.accidents.models import Grade

        return str(dict(Grade.choices).get(self.grade, self.grade))

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
