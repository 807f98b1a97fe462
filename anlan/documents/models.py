"""Official documents (公文): gap-free document numbers per issuer, kind and year, and the documents issued."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Department
from anlan.core.scope import ScopedQuerySet, ScopeSpec


class DocumentKind(models.TextChoices):
    """Kinds of document Anlan issues; each kind has its own number sequence per issuer and year."""

    HAZARD_SUPERVISION = "hazard_supervision", _("隐患挂牌督办函")
    RECTIFICATION_ORDER = "rectification_order", _("责令限期整改指令书")
    CIRCULAR = "circular", _("通报")
    # Issued by anlan.inspections (its DocumentKind lists the ones it issues).
    INSPECTION_RECORD = "inspection_record", _("现场检查记录")
    RECHECK_OPINION = "recheck_opinion", _("整改复查意见书")
    WARNING_LETTER = "warning_letter", _("警示提醒书")
    ADVICE_LETTER = "advice_letter", _("安全监管行政建议书")
    SUMMONS = "summons", _("约谈通知书")
    SUSPENSION_ORDER = "suspension_order", _("责令停产停业整顿指令书")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    REFERRAL = "referral", _("案件移送书")
    RESUMPTION_NOTICE = "resumption_notice", _("复产通知")
    CLOSURE_PROPOSAL = "closure_proposal", _("提请关闭建议")


class DocumentNumber(models.Model):
    """The last number given in one sequence (issuer, kind, year). Only `next_number` changes it."""

    issuer = models.ForeignKey(
        Department, verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="document_numbers"
    )
    kind = models.CharField(_("文种"), max_length=40, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("发文字号序列")
        verbose_name_plural = _("发文字号序列")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "year"], name="document_number_unique_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.get_kind_display()} · {self.year}: {self.last}"


class IssuedDocument(models.Model):
    """A document issued under a number, with its DOCX file and the record it concerns."""

    kind = models.CharField(_("文种"), max_length=40, choices=DocumentKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    number = models.CharField(_("发文字号"), max_length=60, unique=True)
    issuer = models.ForeignKey(
        Department, verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="issued_documents"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("顺序号"))
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("关联记录类型"), null=True, blank=True, on_delete=models.PROTECT
    )
    target_id = models.CharField(_("关联记录"), max_length=40, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    file = models.FileField(_("文件"), upload_to="documents/%Y/", max_length=200)
    issued_at = models.DateTimeField(_("发文时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+"
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="issuer__region", department="issuer")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "year", "serial"], name="issued_document_serial"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="issued_document_target")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
