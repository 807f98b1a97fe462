"""预警: a 突发事件 warning or a meteorological warning signal, its stored recipient list and each recipient's
delivery and measures report (突发事件应对法 2024 第六十三条至第七十条; ../shared/regulations.md §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, ReceiptTask, Region, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .. import rules


class Warning(models.Model):
    """One warning through its life: a draft (typed in or imported from CAP, possibly incomplete), issued with
    every field 第六十四条 requires, its level adjusted (each change a new revision that re-notifies, 第七十条),
    then lifted. `region` is the root of the area it covers: the region subtree it targets."""

    kind = models.CharField(_("预警种类"), max_length=10, choices=rules.KINDS, default=rules.EMERGENCY)
    category = models.CharField(_("预警类别"), max_length=20, choices=rules.CATEGORIES, blank=True)
    hazard = models.CharField(_("灾种"), max_length=20, choices=rules.HAZARD_CHOICES)
    level = models.PositiveSmallIntegerField(_("级别"), choices=rules.LEVELS, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("预警区域"), on_delete=models.PROTECT, related_name="+")
    area = models.TextField(_("可能影响的范围"), blank=True)
    starts_at = models.DateTimeField(_("起始时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("预计结束时间"), null=True, blank=True)
    matters = models.TextField(_("警示事项"), blank=True)
    measures = models.TextField(_("应当采取的措施"), blank=True)
    issuer = models.ForeignKey(
        Unit, verbose_name=_("发布单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=10, choices=rules.STATUSES, default=rules.DRAFT)
    # Each issue and each level change is a revision; recipients and their tasks belong to one revision.
    revision = models.PositiveSmallIntegerField(_("版次"), default=0)
    # Who is targeted (stored as the sender chose it; the list itself is in WarningRecipient):
    # {"groups": [...], "departments": [ids], "industries": [ids], "flags": [...]} — see services.targeting.
    targets = models.JSONField(_("发送对象"), default=dict, blank=True)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lift_reason = models.TextField(_("解除说明"), blank=True)
    # CAP 1.2: the identifier and sender of an imported (or exported) alert; the imported XML as received.
    cap_identifier = models.CharField(_("CAP 标识"), max_length=200, blank=True)
    cap_sender = models.CharField(_("CAP 发送方"), max_length=200, blank=True)
    cap_source = models.TextField(_("CAP 原文"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    # The area's offices see it (a town sees the warnings of its subtree); recipients see theirs through
    # selectors.warnings.visible (their recipient row), the issuing unit's members wherever they are.
    scope = ScopeSpec(region="region", owner_unit="issuer")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-issued_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="warning_region_status"),
            models.Index(fields=["status", "issued_at"], name="warning_status_issued"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cap_identifier", "cap_sender"],
                condition=~Q(cap_identifier=""),
                name="warning_cap_identifier_unique",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=4), name="warning_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def colour(self) -> str:
        return rules.warning_colour(self.level) if self.level else ""

    @property
    def level_label(self) -> str:
        return rules.level_label(self.level) if self.level else ""

    @property
    def is_live(self) -> bool:
        return self.status == rules.ISSUED


class PlaceReceiver(models.Model):
    """第六十五条: a 公共场所 or other 人员密集场所 names the person responsible for receiving and passing on
    warnings — one per place (an enterprise flagged 人员密集场所 in the registry)."""

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("场所"), on_delete=models.CASCADE, related_name="warning_receiver"
    )
    name = models.CharField(_("预警信息接收人"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=20)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员密集场所预警信息接收人")
        verbose_name_plural = _("人员密集场所预警信息接收人")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"


class WarningRecipient(models.Model):
    """One recipient of one revision of a warning: computed once when the list is built, visible before
    sending, then delivered (in-app, e-mail, SMS, webhook) and confirmed through the kernel's receipt task.

    A user recipient confirms in the app (or by link); a contact without an account — a place's receiver, a
    群测群防员 — by the link in their SMS. `key` makes the list a set: "u<user id>" or "p<phone>"."""

    class Reason(models.TextChoices):
        COMMITTEE = "committee", _("安委办/应急管理局")
        TOWN = "town", _("乡镇（街道）")
        DEPARTMENT = "department", _("行业部门")
        ENTERPRISE = "enterprise", _("企业")
        PLACE = "place", _("人员密集场所接收人")
        MONITOR = "monitor", _("群测群防员")
        GRID = "grid", _("网格员")
        SHELTER = "shelter", _("避难场所管理人")
        DUTY = "duty", _("值班人员")

    warning = models.ForeignKey(
        Warning, verbose_name=_("预警"), on_delete=models.CASCADE, related_name="recipients"
    )
    revision = models.PositiveSmallIntegerField(_("版次"))
    key = models.CharField(_("接收人键"), max_length=30)
    reason = models.CharField(_("接收原因"), max_length=20, choices=Reason.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_name = models.CharField(_("单位或场所"), max_length=120, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    task = models.OneToOneField(
        ReceiptTask,
        verbose_name=_("接收确认任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warning_recipient",
    )
    in_app_at = models.DateTimeField(_("站内消息时间"), null=True, blank=True)
    sms_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)
    sms_attempts = models.PositiveSmallIntegerField(_("短信发送次数"), default=0)
    lift_sms_at = models.DateTimeField(_("解除通知发送时间"), null=True, blank=True)
    # The measures report (第六十六条/第六十七条 checklist): {measure code: true/false}.
    measures_done = models.JSONField(_("措施落实情况"), default=dict, blank=True)
    measures_note = models.TextField(_("落实说明"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="unit", addressee="user")
    # The list is written and sent in bulk (no row each); a recipient's own report is recorded here.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预警接收人")
        verbose_name_plural = _("预警接收人")
        ordering = ["region_id", "reason", "name", "pk"]
        indexes = [
            models.Index(fields=["warning", "revision", "region"], name="warning_recipient_board"),
            models.Index(fields=["warning", "revision", "sms_at"], name="warning_recipient_sms"),
            models.Index(fields=["user", "warning"], name="warning_recipient_user"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["warning", "revision", "key"], name="warning_recipient_once"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(phone=""), name="warning_recipient_reachable"
            ),
        ]

    def __str__(self) -> str:
        return self.name
