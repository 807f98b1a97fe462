"""安全生产记分: the scheme, the scored people and their entries in 12-month cycles."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .common import USER
from .visits import Inspection


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
    scope = ScopeSpec.through_enterprise()
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


class ScoreProposal(models.Model):
    """A 记分 a finding carries, proposed to a supervisor (e.g. 擅自复产 found during a 停产整顿): confirming it
    scores the person the supervisor names; dismissing it needs a reason."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        CONFIRMED = "confirmed", _("已记分")
        DISMISSED = "dismissed", _("不予记分")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="score_proposals"
    )
    # The finding's source: an inspection, or a 盯守/回头看 visit that found the unit producing.
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("监督检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="score_proposals",
    )
    watch_visit = models.ForeignKey(
        "inspections.WatchVisit",
        verbose_name=_("盯守巡查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="score_proposals",
    )
    rule = models.ForeignKey(
        ScoringRule, verbose_name=_("记分标准"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    entry = models.ForeignKey(
        ScoreEntry,
        verbose_name=_("记分记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("说明"), blank=True)
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("记分建议")
        verbose_name_plural = _("记分建议")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "rule"], name="score_proposal_one_per_finding"),
            models.UniqueConstraint(fields=["watch_visit", "rule"], name="score_proposal_one_per_visit"),
            models.CheckConstraint(
                condition=Q(inspection__isnull=False) | Q(watch_visit__isnull=False),
                name="score_proposal_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.rule}"
