"""会商研判: joint risk-assessment meetings of the departments (应急、自然资源、水利、气象 …) with their judgement, the
warning they led to, and the 安全风险提示单 (safety-risk bulletins) they send to towns, departments and enterprises —
each recipient unit confirms receipt through the kernel (`core.receipts`) and reports on every required measure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Department, ReceiptTask, Region, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Refusal, Transition

from .. import rules

MANAGE = "warnings.manage_consultations"


def _sender_only(bulletin, user) -> Refusal | None:
    """Guard of `close`: a member of the sending unit (the meeting's convener)."""
    from anlan.core import units

    if getattr(user, "is_superuser", False) or units.is_member(user, bulletin.sender_unit):
        return None
    return Refusal("bulletin_not_sender", _("只有发送单位的人员可以办结。"))


class Consultation(models.Model):
    """会商研判: a meeting the convening unit records after it is held — who took part, what was discussed, the
    judgement (研判结论) with a risk level, the follow-ups, and the warning it led to, if any."""

    held_at = models.DateTimeField(_("会商时间"))
    kind = models.CharField(_("会商类型"), max_length=10, choices=rules.CONSULTATION_KINDS)
    topic = models.CharField(_("会商主题"), max_length=200)
    convener = models.ForeignKey(Unit, verbose_name=_("召集单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    departments = models.ManyToManyField(Department, verbose_name=_("参会部门"), related_name="+")
    attendees = models.TextField(_("参会人员"), help_text=_("每行一人：姓名、单位、职务"))
    situation = models.TextField(_("会商情况"), help_text=_("监测数据、风险隐患和形势分析"))
    judgement = models.TextField(_("研判结论"))
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=rules.RISK_LEVELS)
    follow_ups = models.TextField(_("后续工作"), blank=True)
    warning = models.ForeignKey(
        "warnings.Warning",
        verbose_name=_("据此发布的预警"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="convener")
    history = HistoricalRecords(m2m_fields=[departments])

    class Meta:
        verbose_name = _("会商研判")
        verbose_name_plural = _("会商研判")
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["region", "held_at"], name="warning_consult_region_held")]

    def __str__(self) -> str:
        return self.topic


class Bulletin(models.Model):
    """安全风险提示单: what a consultation asks units to do about a risk — sent for receipt confirmation to each
    recipient unit (one `core.ReceiptTask` each, kind BULLETIN_TASK), closed (办结) by its sender."""

    class Status(models.TextChoices):
        SENT = "sent", _("已发送")
        CLOSED = "closed", _("已办结")

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("会商研判"), on_delete=models.PROTECT, related_name="bulletins"
    )
    title = models.CharField(_("标题"), max_length=200)
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=rules.RISK_LEVELS)
    content = models.TextField(_("风险提示内容"))
    sender_unit = models.ForeignKey(
        Unit, verbose_name=_("发送单位"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    confirm_by = models.DateTimeField(_("确认时限"))
    sent_at = models.DateTimeField(_("发送时间"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发送人"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SENT)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="sender_unit")
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "close",
            frozenset({Status.SENT}),
            Status.CLOSED,
            MANAGE,
            _("办结"),
            confirm=_("办结后未确认的接收单位不再催办，确定办结吗？"),
            style="success",
            guards=(_sender_only,),
        ),
    )

    class Meta:
        verbose_name = _("安全风险提示单")
        verbose_name_plural = _("安全风险提示单")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["region", "sent_at"], name="warning_bulletin_region_sent")]

    def __str__(self) -> str:
        return self.title


class BulletinMeasure(models.Model):
    """A measure the bulletin requires of every recipient unit (应采取的防范措施), in the order written."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("安全风险提示单"), on_delete=models.CASCADE, related_name="measures"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("防范措施"), max_length=500)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="bulletin__region", owner_unit="bulletin__sender_unit")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("防范措施")
        verbose_name_plural = _("防范措施")
        ordering = ["bulletin_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "position"], name="warning_bulletin_measure_once")
        ]

    def __str__(self) -> str:
        return self.text


class MeasureReport(models.Model):
    """落实反馈: what one recipient unit reports on one required measure (done, or why not), under its receipt
    task; reported again it is updated (its history keeps each report)."""

    measure = models.ForeignKey(
        BulletinMeasure, verbose_name=_("防范措施"), on_delete=models.CASCADE, related_name="reports"
    )
    task = models.ForeignKey(
        ReceiptTask, verbose_name=_("接收确认任务"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="+")
    done = models.BooleanField(_("已落实"), default=False)
    note = models.TextField(_("落实情况"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("反馈时间"))
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="task__region", owner_unit="unit")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("措施落实反馈")
        verbose_name_plural = _("措施落实反馈")
        ordering = ["measure__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "task"], name="warning_measure_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.measure}"
