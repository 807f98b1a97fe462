"""A warning's delivery to an outside system (a broadcast or 预警信息发布 system) by a signed POST: one row per
warning, revision, event and address, so each is sent until answered and never forgotten."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .warning import Warning


class WebhookDelivery(models.Model):
    ISSUED, UPDATED, LIFTED = "issued", "updated", "lifted"
    EVENTS = ((ISSUED, _("发布")), (UPDATED, _("调整级别")), (LIFTED, _("解除")))

    warning = models.ForeignKey(
        Warning, verbose_name=_("预警"), on_delete=models.CASCADE, related_name="webhooks"
    )
    revision = models.PositiveSmallIntegerField(_("版本"))
    event = models.CharField(_("事件"), max_length=10, choices=EVENTS)
    url = models.URLField(_("推送地址"), max_length=500)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("最近应答码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警推送")
        verbose_name_plural = _("预警推送")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["warning", "revision", "event", "url"], name="warning_webhook_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["delivered_at", "attempts"], name="warning_webhook_pending")]

    def __str__(self) -> str:
        return f"{self.warning_id} r{self.revision} {self.event} → {self.url}"

    @property
    def key(self) -> str:
        """The idempotency key the receiver may use to drop a repeat."""
        return f"warning:{self.warning_id}:r{self.revision}:{self.event}"
