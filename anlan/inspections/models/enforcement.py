"""Enforcement and documents: 执法措施 decided on an inspection's findings, and the other letters of an
inspection (整改复查意见书, 警示提醒书, 安全监管行政建议书, 约谈通知书)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.scope import ScopedQuerySet
from anlan.core.workflow import Transition

from .common import USER, DocumentKind
from .visits import THROUGH_INSPECTION, Answer, Inspection


class EnforcementAction(models.Model):
    """执法措施 taken on an inspection's findings, with its legal basis and the document issued for it."""

    class Kind(models.TextChoices):
        RECTIFICATION = "rectification", _("责令限期整改")
        SUSPENSION = "suspension", _("责令停产停业整顿")
        FINE = "fine", _("罚款")
        CONFISCATION = "confiscation", _("没收违法所得")
        LICENCE_SUSPENSION = "licence_suspension", _("暂扣许可证")
        LICENCE_REVOCATION = "licence_revocation", _("吊销许可证")
        CLOSURE = "closure", _("关闭")
        REFERRAL = "referral", _("移送")

    class Status(models.TextChoices):
        ISSUED = "issued", _("执行中")
        COMPLETED = "completed", _("已执行完毕")
        REVOKED = "revoked", _("已撤销")

    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "complete", frozenset({Status.ISSUED}), Status.COMPLETED, "inspections.enforce", _("执行完毕")
        ),
        Transition(
            "revoke",
            frozenset({Status.ISSUED}),
            Status.REVOKED,
            "inspections.enforce",
            _("撤销"),
            reason_required=True,
        ),
    )

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("监督检查"), on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(_("执法措施"), max_length=30, choices=Kind.choices)
    findings = models.ManyToManyField(Answer, verbose_name=_("对应问题"), blank=True, related_name="actions")
    legal_basis = models.TextField(_("法律依据"))
    description = models.TextField(_("措施内容"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    due_on = models.DateField(_("整改/执行期限"), null=True, blank=True)
    licence = models.CharField(_("许可证名称及编号"), max_length=120, blank=True)
    referred_to = models.CharField(_("移送机关"), max_length=120, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("执法文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(USER, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("决定日期"))
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_INSPECTION
    history = HistoricalRecords(m2m_fields=[findings])

    class Meta:
        verbose_name = _("执法措施")
        verbose_name_plural = _("执法措施")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["kind", "issued_on"], name="enforcement_kind_issued")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.inspection.subject}"


class Letter(models.Model):
    """Other documents of an inspection: 整改复查意见书, 警示提醒书, 安全监管行政建议书, 约谈通知书."""

    KINDS = (
        DocumentKind.RECHECK_OPINION,
        DocumentKind.WARNING_LETTER,
        DocumentKind.ADVICE_LETTER,
        DocumentKind.SUMMONS,
    )

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("监督检查"), on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(_("文书种类"), max_length=30, choices=[(k.value, k.label) for k in KINDS])
    addressee = models.CharField(_("主送单位"), max_length=120)
    content = models.TextField(_("正文"))
    action = models.ForeignKey(
        EnforcementAction,
        verbose_name=_("复查的整改指令"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    # The 整改复查意见书's conclusion: passed closes the order's hazards (hazards.verify_by_recheck_opinion).
    recheck_passed = models.BooleanField(_("复查合格"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("文书"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(USER, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("签发日期"))
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_INSPECTION
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查文书")
        verbose_name_plural = _("检查文书")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()
