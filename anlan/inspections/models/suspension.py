"""Suspension and resumption: 停产整顿 ordered by an enforcement action, the configured 复产验收 sign-off chain,
the enterprise's applications and their steps."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Region
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from .. import guards
from .common import USER
from .enforcement import EnforcementAction
from .visits import Inspection


class Suspension(models.Model):
    """停产整顿: ordered by an enforcement action; the enterprise is suspended until 复产验收 passes. When the
    halt follows a 挂牌督办 of the same enterprise (`supervision`), its 复产 applications carry the 10-day
    on-site review deadline of 16号令 第二十三条 (Resumption.review_due_on)."""

    class Status(models.TextChoices):
        SUSPENDED = "suspended", _("停产整顿中")
        APPLIED = "applied", _("复产验收中")
        RESUMED = "resumed", _("已复产")

    # The enterprise applies (复产验收申请); the chain's last approval resumes production, any refusal returns
    # the enterprise to 停产整顿中 (it may apply again).
    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "apply",
            frozenset({Status.SUSPENDED}),
            Status.APPLIED,
            "inspections.apply_resumption",
            _("申请复产验收"),
            form="anlan.inspections.forms.ResumptionForm",
        ),
        Transition(
            "resume",
            frozenset({Status.APPLIED}),
            Status.RESUMED,
            "inspections.approve_resumption",
            _("复产验收合格"),
        ),
        Transition(
            "refuse",
            frozenset({Status.APPLIED}),
            Status.SUSPENDED,
            "inspections.approve_resumption",
            _("复产验收未通过"),
            reason_required=True,
        ),
    )

    action = models.OneToOneField(
        EnforcementAction, verbose_name=_("停产整顿指令"), on_delete=models.PROTECT, related_name="suspension"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="suspensions"
    )
    issuing_level = models.CharField(
        _("下达层级"),
        max_length=20,
        choices=[("county", _("县级")), ("city", _("市级")), ("province", _("省级"))],
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUSPENDED, db_index=True
    )
    unauthorised_production_at = models.DateTimeField(_("发现擅自复产时间"), null=True, blank=True)
    unauthorised_production_by = models.ForeignKey(
        Inspection,
        verbose_name=_("发现擅自复产的检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unauthorised_production_visit = models.ForeignKey(
        "inspections.WatchVisit",
        verbose_name=_("发现擅自复产的盯守巡查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resumed_on = models.DateField(_("复产日期"), null=True, blank=True)
    supervision = models.ForeignKey(
        "hazards.Supervision",
        verbose_name=_("所依据的挂牌督办"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suspensions",
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("停产整顿")
        verbose_name_plural = _("停产整顿")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_status_display()}"


class SignoffStep(models.Model):
    """One configured step of the 复产验收 sign-off chain of a county (ordered). Who approves: a user of that
    role whose jurisdiction covers the enterprise (the department step: the department that ordered it)."""

    class Approver(models.TextChoices):
        DEPARTMENT = "department", _("行业监管部门")
        COMMITTEE_OFFICE = "committee_office", _("安委办/应急管理局")
        LEADER = "leader", _("县级领导")

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("顺序"))
    approver = models.CharField(_("审批角色"), max_length=30, choices=Approver.choices)
    name = models.CharField(_("环节名称"), max_length=60)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("复产验收审批环节")
        verbose_name_plural = _("复产验收审批环节")
        ordering = ["region_id", "order"]
        constraints = [models.UniqueConstraint(fields=["region", "order"], name="signoff_step_order")]

    def __str__(self) -> str:
        return self.name


# The chain used where a county configured none: the department's on-site acceptance, then the county leader.
DEFAULT_CHAIN = (
    (SignoffStep.Approver.DEPARTMENT.value, "县级行业部门现场验收"),
    (SignoffStep.Approver.LEADER.value, "县级分管领导审批"),
)


class Resumption(models.Model):
    """复产申请: the enterprise's application with evidence, decided step by step along the chain.

    After a 挂牌督办 halt (the suspension is linked to a supervision) the written application starts the
    department's on-site review deadline (rules.resumption_review_due of the day it was received, stored in
    `review_due_on` when the application is made). The decision of the chain's first department step (its
    现场验收) is the review (`reviewed_on`); the sweep flags an application still unreviewed after its due day
    once (`review_overdue_at`) and tells the department and the county's 安委办."""

    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    # Taken when the chain ends: its last step approved, or any step refused (with an opinion). Only the
    # approver of the step being decided signs (guards.signs_the_step), so the page offers the decision to
    # that user alone.
    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "approve",
            frozenset({Status.PENDING}),
            Status.APPROVED,
            "inspections.approve_resumption",
            _("同意复产"),
            guards=(guards.signs_the_step, guards.signed_no_other_step, guards.clear_to_resume),
        ),
        Transition(
            "reject",
            frozenset({Status.PENDING}),
            Status.REJECTED,
            "inspections.approve_resumption",
            _("不同意复产"),
            reason_required=True,
            guards=(guards.signs_the_step, guards.signed_no_other_step),
        ),
    )

    suspension = models.ForeignKey(
        Suspension, verbose_name=_("停产整顿"), on_delete=models.PROTECT, related_name="applications"
    )
    evidence = models.TextField(_("整改情况及证明材料说明"))
    attachment = models.FileField(
        _("证明材料"), upload_to="inspections/resumption/%Y/", blank=True, max_length=200
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    notice = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("复产通知"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_by = models.ForeignKey(USER, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    review_due_on = models.DateField(_("现场审查期限"), null=True, blank=True)
    reviewed_on = models.DateField(_("现场审查日期"), null=True, blank=True)
    # Sweep bookkeeping (sweeps.py): when the missed review was flagged and reported, once.
    review_overdue_at = models.DateTimeField(_("逾期未审查登记时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("suspension__enterprise")
    history = HistoricalRecords(excluded_fields=["review_overdue_at"])

    class Meta:
        verbose_name = _("复产申请")
        verbose_name_plural = _("复产申请")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suspension"], condition=Q(status="pending"), name="resumption_one_pending"
            )
        ]

    def __str__(self) -> str:
        return str(_("复产申请 %(id)s") % {"id": self.pk})

    @property
    def awaits_review(self) -> bool:
        """A pending application with a review deadline whose on-site review has not been made yet."""
        return self.status == self.Status.PENDING and self.review_due_on is not None and not self.reviewed_on


class ResumptionStep(models.Model):
    """One step of an application's chain, copied from the configuration when the application was made."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("同意")
        REJECTED = "rejected", _("不同意")

    application = models.ForeignKey(
        Resumption, verbose_name=_("复产申请"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    approver = models.CharField(_("审批角色"), max_length=30)
    name = models.CharField(_("环节名称"), max_length=60)
    decision = models.CharField(_("审批结论"), max_length=20, choices=Decision.choices, blank=True)
    opinion = models.TextField(_("审批意见"), blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="application__suspension__enterprise__region",
        industry="application__suspension__enterprise__industry",
        enterprise="application__suspension__enterprise",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("复产审批环节")
        verbose_name_plural = _("复产审批环节")
        ordering = ["application_id", "order"]
        constraints = [models.UniqueConstraint(fields=["application", "order"], name="resumption_step_order")]

    def __str__(self) -> str:
        return self.name
