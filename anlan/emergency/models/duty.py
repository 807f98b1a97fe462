"""值班值守: a duty office's monthly roster of shifts (值班员 and 带班领导), swaps, handover notes, and the duty
log (接报登记) every incoming report lands in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from ..rules import ENTERPRISE_CATEGORIES

# A duty office is a Unit of the kernel's registry (the county 安委办, a department, a town, an enterprise).
UNIT_SCOPE = ScopeSpec(region="unit__region", department="unit__department", enterprise="unit__enterprise")


class DutyCategory(models.Model):
    """Whether the enterprises of one category must keep an 应急值班 (生产安全事故应急条例 第十四条), as data:
    one row per enterprise category, seeded from rules.DUTY_CATEGORIES; a county corrects it in the admin
    (e.g. when the province names more categories), and the roster check follows at once."""

    category = models.CharField(_("单位类别"), max_length=40, choices=ENTERPRISE_CATEGORIES, unique=True)
    required = models.BooleanField(_("须设应急值班"), default=True)
    basis = models.CharField(_("依据"), max_length=200, default="生产安全事故应急条例 第十四条")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("应急值班单位类别")
        verbose_name_plural = _("应急值班单位类别")
        ordering = ["category"]

    def __str__(self) -> str:
        return self.get_category_display()


class DutyRoster(models.Model):
    """One duty office's roster for one month: drafted, then published (the shifts are then the office's
    duty staff); a published month may still be corrected, each change audited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    unit = models.ForeignKey(Unit, verbose_name=_("值班单位"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    phone = models.CharField(_("值班电话"), max_length=30)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = UNIT_SCOPE
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("值班表")
        verbose_name_plural = _("值班表")
        ordering = ["-month", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="duty_roster_one_per_month")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.month:%Y-%m}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class DutyShift(models.Model):
    """One shift: the duty officer (值班员) and the leader on duty (带班领导), with the phones to reach them, and
    the handover note the officer leaves for the next shift."""

    roster = models.ForeignKey(
        DutyRoster, verbose_name=_("值班表"), on_delete=models.CASCADE, related_name="shifts"
    )
    # Copied from the roster so "who is on duty now" is one indexed query over shifts.
    unit = models.ForeignKey(Unit, verbose_name=_("值班单位"), on_delete=models.PROTECT, related_name="+")
    published = models.BooleanField(_("已发布"), default=False)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("值班员"), on_delete=models.PROTECT, related_name="+"
    )
    officer_phone = models.CharField(_("值班员电话"), max_length=30)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("带班领导"), on_delete=models.PROTECT, related_name="+"
    )
    leader_phone = models.CharField(_("带班领导电话"), max_length=30)
    handover_note = models.TextField(_("交接班记录"), blank=True)
    handed_over_at = models.DateTimeField(_("交班时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = UNIT_SCOPE
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["published", "starts_at", "ends_at"], name="duty_shift_time"),
            models.Index(fields=["unit", "starts_at"], name="duty_shift_unit_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="duty_shift_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {timezone.localtime(self.starts_at):%m-%d %H:%M}"


class DutySwap(models.Model):
    """A swap asked by the officer or leader of a shift and decided by another member of the office."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")

    class Post(models.TextChoices):
        OFFICER = "officer", _("值班员")
        LEADER = "leader", _("带班领导")

    shift = models.ForeignKey(
        DutyShift, verbose_name=_("班次"), on_delete=models.CASCADE, related_name="swaps"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("值班单位"), on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("岗位"), max_length=10, choices=Post.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    replacement = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("替班人"), on_delete=models.PROTECT, related_name="+"
    )
    replacement_phone = models.CharField(_("替班人电话"), max_length=30)
    reason = models.CharField(_("换班原因"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = UNIT_SCOPE
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("换班申请")
        verbose_name_plural = _("换班申请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.shift} {self.get_post_display()}"


class DutyLogEntry(models.Model):
    """接报登记: one incoming report in the receiving office's duty log — when it came, what, from whom, to whom it
    was passed and when, and who confirmed it. Accident 初报 and 较大涉险 reports are entered by the system."""

    class Source(models.TextChoices):
        ACCIDENT = "accident", _("事故初报")
        NEAR_MISS = "near_miss", _("较大涉险事故")
        FOLLOW_UP = "follow_up", _("续报提醒")
        WARNING = "warning", _("预警信息")
        TIP_OFF = "tip_off", _("举报线索")
        PHONE = "phone", _("电话报告")
        OTHER = "other", _("其他")

    unit = models.ForeignKey(Unit, verbose_name=_("接报单位"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("接报时间"), default=timezone.now)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    summary = models.TextField(_("内容"))
    caller = models.CharField(_("报告人/来电人"), max_length=100, blank=True)
    caller_phone = models.CharField(_("来电号码"), max_length=30, blank=True)
    incident = models.ForeignKey(
        "emergency.Incident",
        verbose_name=_("突发事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="log_entries",
    )
    passed_to = models.CharField(_("转报/交办对象"), max_length=200, blank=True)
    passed_at = models.DateTimeField(_("转报时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Makes the system's entries idempotent: one per (unit, key), e.g. "accident:12" or "follow_up:12:2026-12-02".
    key = models.CharField(_("去重键"), max_length=80, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = UNIT_SCOPE
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("值班日志")
        verbose_name_plural = _("值班日志")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["unit", "received_at"], name="duty_log_unit_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "key"], condition=~models.Q(key=""), name="duty_log_one_entry_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {timezone.localtime(self.received_at):%Y-%m-%d %H:%M}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
