"""应急响应、先期处置、信息发布: what is done about an incident (突发事件应对法 2024, 生产安全事故应急条例; see
../shared/regulations.md §6). A response is started on an incident at a level 一级 to 四级, with its command,
groups, tasked units, control points and notes; the town's 先期处置 is recorded from the first call; public
releases pass the issuing office's draft and each designated reviewer before publication."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import ReceiptTask, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .. import rules
from .incident import Incident
from .plans import Plan

MANAGE = "emergency.manage_response"

# Every record below sits where its incident sits (region, industry, enterprise, grid).
INCIDENT_SCOPE = {
    "region": "incident__region",
    "industry": "incident__industry",
    "enterprise": "incident__enterprise",
    "grid": "incident__enterprise__grid",
}


def _via(prefix: str, **extra) -> ScopeSpec:
    return ScopeSpec(**{key: f"{prefix}__{path}" for key, path in INCIDENT_SCOPE.items()}, **extra)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Response(models.Model):
    """An 应急响应 on an incident: level 1–4 (一级 highest), the plan it follows, the commander and the command
    post. Active until ended; at most one active response per incident."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("响应中")
        ENDED = "ended", _("已结束")

    incident = models.ForeignKey(
        Incident, verbose_name=_("突发事件"), on_delete=models.PROTECT, related_name="responses"
    )
    level = models.PositiveSmallIntegerField(_("响应级别"), choices=rules.RESPONSE_LEVELS)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("启动的预案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commander_name = models.CharField(_("指挥长"), max_length=50)
    commander_phone = models.CharField(_("指挥长电话"), max_length=30)
    post_place = models.CharField(_("现场指挥部位置"), max_length=200)
    post_lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    post_lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(_("启动时间"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("启动人"), on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_note = models.TextField(_("结束说明"), blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(**INCIDENT_SCOPE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("应急响应")
        verbose_name_plural = _("应急响应")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident"], condition=Q(status="active"), name="response_one_active_per_incident"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="response_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.incident} {self.get_level_display()}响应"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ResponseLevelChange(models.Model):
    """A raise or lowering of a response's level, with its reason."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="level_changes")
    from_level = models.PositiveSmallIntegerField(_("原级别"), choices=rules.RESPONSE_LEVELS)
    to_level = models.PositiveSmallIntegerField(_("调整为"), choices=rules.RESPONSE_LEVELS)
    reason = models.TextField(_("调整原因"))
    changed_at = models.DateTimeField(_("调整时间"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("调整人"), on_delete=models.PROTECT, related_name="+"
    )
    objects = ScopedQuerySet.as_manager()
    scope = _via("response")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("响应级别调整")
        verbose_name_plural = _("响应级别调整")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_level_display()} → {self.get_to_level_display()}"

    @property
    def raised(self) -> bool:
        return self.to_level < self.from_level  # 一级 is the highest


class ResponseGroup(models.Model):
    """A working group of the command (综合协调组, 抢险救援组 …) led by a unit."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("工作组"), max_length=60)
    lead = models.ForeignKey(Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+")
    duties = models.TextField(_("职责"), blank=True)
    created_at = models.DateTimeField(_("成立时间"), default=timezone.now)
    objects = ScopedQuerySet.as_manager()
    scope = _via("response")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("应急工作组")
        verbose_name_plural = _("应急工作组")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "name"], name="response_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ResponseTask(models.Model):
    """A task given to a department or town (a Unit), sent for receipt; the unit reports its completion."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("任务内容"))
    deadline = models.DateTimeField(_("完成时限"))
    receipt = models.ForeignKey(
        ReceiptTask,
        verbose_name=_("接收确认"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("下达时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下达人"), on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completion_note = models.TextField(_("完成情况"), blank=True)
    objects = ScopedQuerySet.as_manager()
    # The tasked unit's members see their task wherever the incident is.
    scope = _via("response", owner_unit="unit")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("应急任务")
        verbose_name_plural = _("应急任务")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.unit}：{self.text[:30]}"

    @property
    def confirmed(self) -> bool:
        return self.receipt is not None and self.receipt.status == ReceiptTask.Status.CONFIRMED

    @property
    def confirmed_at(self):
        return self.receipt.confirmed_at if self.confirmed else None


class ControlPoint(models.Model):
    """A 交通管制 / 堵卡点 / 警戒区, set and lifted, kept by a unit."""

    class Kind(models.TextChoices):
        ROAD_CLOSURE = "road_closure", _("道路封闭")
        CHECKPOINT = "checkpoint", _("堵卡点")
        CORDON = "cordon", _("警戒区")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="control_points")
    kind = models.CharField(_("管控类型"), max_length=20, choices=Kind.choices)
    place = models.CharField(_("位置"), max_length=200)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("负责单位"), on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("设立时间"))
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = _via("response")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("管控点")
        verbose_name_plural = _("管控点")
        ordering = ["set_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.place}"


class ResponseNote(models.Model):
    """A free note of the command on the timeline."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="notes")
    noted_at = models.DateTimeField(_("时间"))
    text = models.TextField(_("内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    objects = ScopedQuerySet.as_manager()
    scope = _via("response")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指挥部记事")
        verbose_name_plural = _("指挥部记事")
        ordering = ["noted_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class FirstResponse(models.Model):
    """先期处置 of the town where the incident happened (突发事件应对法 第七十六条 — the town organises the first
    measures): who went, when dispatched and arrived, what was done, when handed over to the response."""

    incident = models.OneToOneField(
        Incident, verbose_name=_("突发事件"), on_delete=models.PROTECT, related_name="first_response"
    )
    town = models.ForeignKey(Unit, verbose_name=_("处置乡镇"), on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField(_("接警时间"))
    dispatched_at = models.DateTimeField(_("出动时间"))
    arrived_at = models.DateTimeField(_("到达时间"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("移交应急响应时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(**INCIDENT_SCOPE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("先期处置")
        verbose_name_plural = _("先期处置")

    def __str__(self) -> str:
        return f"{self.incident} 先期处置"


class FirstResponder(models.Model):
    first_response = models.ForeignKey(FirstResponse, on_delete=models.CASCADE, related_name="responders")
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=60, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("先期处置人员")
        verbose_name_plural = _("先期处置人员")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class FirstResponseAction(models.Model):
    first_response = models.ForeignKey(FirstResponse, on_delete=models.CASCADE, related_name="actions")
    at = models.DateTimeField(_("时间"))
    text = models.CharField(_("处置措施"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("先期处置措施")
        verbose_name_plural = _("先期处置措施")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class PublicRelease(models.Model):
    """信息发布: drafted by the issuing office, reviewed in order by the designated units, published with its
    text frozen; a correction is a new release that supersedes the published one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("起草中")
        IN_REVIEW = "in_review", _("审核中")
        RETURNED = "returned", _("退回修改")
        APPROVED = "approved", _("审核通过")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已更正")

    incident = models.ForeignKey(
        Incident, verbose_name=_("突发事件"), on_delete=models.PROTECT, related_name="releases"
    )
    issuer = models.ForeignKey(Unit, verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正的发布"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_title = models.CharField(_("发布标题"), max_length=200, blank=True)
    published_text = models.TextField(_("发布正文"), blank=True)
    token = models.CharField(_("公开链接码"), max_length=64, unique=True, default=new_token, editable=False)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(**INCIDENT_SCOPE, token="token")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信息发布")
        verbose_name_plural = _("信息发布")
        ordering = ["-drafted_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.SUPERSEDED)


class ReleaseReview(models.Model):
    """One designated reviewer unit's sign-off on a release, in `order`; the unit's members see and decide it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("同意")
        RETURNED = "returned", _("退回")

    release = models.ForeignKey(PublicRelease, on_delete=models.CASCADE, related_name="reviews")
    unit = models.ForeignKey(Unit, verbose_name=_("审核单位"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("顺序"))
    decision = models.CharField(
        _("审核意见"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.TextField(_("意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = _via("release", owner_unit="unit")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("发布审核")
        verbose_name_plural = _("发布审核")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["release", "unit"], name="release_review_unit_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_decision_display()}"
