"""监测报警 of 两重点一重大 enterprises (重点监管危险化工工艺, 重点监管危险化学品, 重大危险源): an alarm of a monitoring
system (DCS/SIS, gas detection, tank gauging), received by import or by a signed webhook, handled by the
enterprise to closure — 核查, then 处置 or 误报 — while its supervising department and its town watch."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from .. import rules

HANDLE = "warnings.handle_alarm"


class Alarm(models.Model):
    """One alarm of one monitoring point, keyed by its sending system and that system's id for it (a repeat of
    the same alarm is the same row). Its lifecycle: received → checked (核查) → resolved (处置); from received or
    checked it may be judged a false alarm (误报) with a reason."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("待核查")
        CHECKED = "checked", _("处置中")
        RESOLVED = "resolved", _("已处置")
        FALSE_ALARM = "false_alarm", _("误报")

    class Channel(models.TextChoices):
        IMPORT = "import", _("Excel 导入")
        WEBHOOK = "webhook", _("系统推送")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("来源系统"), max_length=50)
    source_id = models.CharField(_("来源报警编号"), max_length=100)
    channel = models.CharField(_("接入方式"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("报警类型"), max_length=20, choices=rules.ALARM_KINDS)
    tag = models.CharField(_("监测点位"), max_length=100)
    value = models.DecimalField(_("监测值"), max_digits=14, decimal_places=4)
    threshold = models.DecimalField(_("报警阈值"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    raised_at = models.DateTimeField(_("报警时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    check_note = models.TextField(_("核查情况"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.TextField(_("处置情况或误报原因"), blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    # The handling loop; each step asks for its form (forms/alarms.py) and is done by services/alarms.py.
    TRANSITIONS = (
        Transition(
            "check",
            frozenset({Status.RECEIVED}),
            Status.CHECKED,
            HANDLE,
            _("核查"),
            form="anlan.warnings.forms.alarms.CheckForm",
        ),
        Transition(
            "resolve",
            frozenset({Status.CHECKED}),
            Status.RESOLVED,
            HANDLE,
            _("处置完毕"),
            form="anlan.warnings.forms.alarms.ResolveForm",
            style="success",
        ),
        Transition(
            "dismiss",
            frozenset({Status.RECEIVED, Status.CHECKED}),
            Status.FALSE_ALARM,
            HANDLE,
            _("判定为误报"),
            reason_required=True,
            style="secondary",
            form="anlan.warnings.forms.alarms.DismissForm",
        ),
    )

    class Meta:
        verbose_name = _("监测报警")
        verbose_name_plural = _("监测报警")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="warning_alarm_source_id"),
        ]
        indexes = [
            models.Index(fields=["enterprise", "status"], name="warning_alarm_enterprise"),
            models.Index(fields=["raised_at"], name="warning_alarm_raised"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} · {self.get_kind_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.FALSE_ALARM)
