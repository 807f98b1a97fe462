"""应急预案: plans of government bodies and enterprises, their versions, 评审/论证, 备案 and periodic evaluation
(生产安全事故应急预案管理办法, regulations.md §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Industry, Region, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from .. import rules

MANAGE = "emergency.manage_plan"
CHECK_FILING = "emergency.check_plan_filing"

# 备案 checklist (预案管理办法 第二十六条、第二十七条): what a filing must hold; a returned filing names the missing
# items from this list (plus free text) in one notice.
FILING_ITEMS = (
    ("application", _("应急预案备案申报表")),
    ("review_record", _("应急预案评审或论证意见")),
    ("plan_text", _("应急预案文本及电子文档")),
    ("risk_assessment", _("风险评估结果")),
    ("resource_survey", _("应急资源调查清单")),
    ("signed_release", _("主要负责人签署公布的文件")),
)
FILING_ITEM_LABELS = dict(FILING_ITEMS)
INITIAL = "initial"
VERSION_REASONS = ((INITIAL, _("首次编制")), *rules.REVISION_TRIGGERS)


class Plan(models.Model):
    """An 应急预案 (综合/专项/现场处置方案) or an 应急处置卡, owned by one Unit — a government body (the 安委办,
    a department, a town) or an enterprise (then `enterprise` and `industry` are the enterprise's, for
    jurisdiction). Its lifecycle: draft → reviewed (评审/论证 passed) → signed (by the 主要负责人) → published →
    superseded or abolished; a revision of a reviewed, signed or published plan starts a new version in draft.
    After publication it is filed (PlanFiling) and evaluated periodically (PlanEvaluation)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("编制中")
        REVIEWED = "reviewed", _("已评审")
        SIGNED = "signed", _("已签署")
        PUBLISHED = "published", _("已公布")
        SUPERSEDED = "superseded", _("已被替代")
        ABOLISHED = "abolished", _("已废止")

    class FilingStatus(models.TextChoices):
        NOT_DUE = "not_due", _("未公布")
        UNFILED = "unfiled", _("待备案")
        SUBMITTED = "submitted", _("待审查")
        RETURNED = "returned", _("退回补正")
        ACCEPTED = "accepted", _("已备案")
        DEEMED = "deemed", _("逾期未答复视为备案")

    owner = models.ForeignKey(Unit, verbose_name=_("编制单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("预案类别"), max_length=20, choices=rules.PLAN_KINDS_WITH_CARD)
    title = models.CharField(_("预案名称"), max_length=200)
    number = models.CharField(_("预案编号"), max_length=60, blank=True)
    applies_to = models.CharField(_("适用范围"), max_length=300, blank=True)
    # 突发事件应对法 第七十一条: 一级 to 四级; the plan sets which it uses (stored as a list of level numbers).
    response_levels = models.JSONField(_("响应分级"), default=list, blank=True)
    # Fixed when the plan is registered: the owner's category decides 评审/论证 and the evaluation period.
    unit_category = models.CharField(_("单位类别"), max_length=30, choices=rules.UNIT_CATEGORIES)
    review_kind = models.CharField(
        _("评审方式"), max_length=10, choices=list(rules.REVIEW_KIND_LABELS.items())
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("当前版本"), default=1)
    signed_by = models.CharField(_("签署人（主要负责人）"), max_length=50, blank=True)
    signed_on = models.DateField(_("签署日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    filing_status = models.CharField(
        _("备案状态"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.NOT_DUE
    )
    filing_due_on = models.DateField(_("备案期限"), null=True, blank=True)
    filing_overdue_notified_on = models.DateField(_("逾期未备案提醒日期"), null=True, blank=True)
    evaluation_due_on = models.DateField(_("下次评估期限"), null=True, blank=True)
    evaluation_overdue_notified_on = models.DateField(_("评估逾期提醒日期"), null=True, blank=True)
    revision_due_on = models.DateField(_("应启动修订期限"), null=True, blank=True)
    revision_overdue_notified_on = models.DateField(_("修订逾期提醒日期"), null=True, blank=True)
    ended_reason = models.CharField(_("替代或废止原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="region",
        industry="industry",
        enterprise="enterprise",
        grid="enterprise__grid",
        owner_unit="owner",
    )
    history = HistoricalRecords()

    # The state machine; each step takes its own form (views/plans.py) and service (services/plans.py).
    TRANSITIONS = (
        Transition("review", frozenset({Status.DRAFT}), Status.REVIEWED, MANAGE, _("记录评审/论证")),
        Transition("sign", frozenset({Status.REVIEWED}), Status.SIGNED, MANAGE, _("主要负责人签署")),
        Transition("publish", frozenset({Status.SIGNED}), Status.PUBLISHED, MANAGE, _("公布")),
        Transition(
            "revise",
            frozenset({Status.REVIEWED, Status.SIGNED, Status.PUBLISHED}),
            Status.DRAFT,
            MANAGE,
            _("修订"),
            reason_required=True,
        ),
        Transition("supersede", frozenset({Status.PUBLISHED}), Status.SUPERSEDED, MANAGE, _("替代")),
        Transition(
            "abolish",
            frozenset({Status.DRAFT, Status.REVIEWED, Status.SIGNED, Status.PUBLISHED}),
            Status.ABOLISHED,
            MANAGE,
            _("废止"),
            reason_required=True,
        ),
    )

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="plan_region_status"),
            models.Index(fields=["filing_status", "filing_due_on"], name="plan_filing_due"),
            models.Index(fields=["status", "evaluation_due_on"], name="plan_evaluation_due"),
            models.Index(fields=["status", "revision_due_on"], name="plan_revision_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=True) | Q(industry__isnull=False),
                name="plan_enterprise_industry",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.status not in (self.Status.SUPERSEDED, self.Status.ABOLISHED)


class PlanVersion(models.Model):
    """One text of a plan: version 1 when registered, a new one for each revision (with its trigger)."""

    plan = models.ForeignKey(Plan, verbose_name=_("预案"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    reason = models.CharField(_("编制/修订原因"), max_length=30, choices=VERSION_REASONS)
    note = models.TextField(_("修订说明"), blank=True)
    file = models.FileField(_("预案文本"), upload_to="emergency/plans/%Y/", max_length=200, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="plan__region",
        industry="plan__industry",
        enterprise="plan__enterprise",
        grid="plan__enterprise__grid",
        owner_unit="plan__owner",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预案版本")
        verbose_name_plural = _("预案版本")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanReview(models.Model):
    """A 评审 or 论证 of a version (预案管理办法 第二十一条、第二十二条): who, when, the conclusion."""

    class Conclusion(models.TextChoices):
        PASSED = "passed", _("通过")
        REVISE = "revise", _("修改后重新评审")

    plan = models.ForeignKey(Plan, verbose_name=_("预案"), on_delete=models.CASCADE, related_name="reviews")
    version = models.PositiveIntegerField(_("版本号"))
    kind = models.CharField(_("方式"), max_length=10, choices=list(rules.REVIEW_KIND_LABELS.items()))
    held_on = models.DateField(_("评审日期"))
    reviewers = models.CharField(_("评审人员（专家）"), max_length=300)
    # 预案管理办法 第二十二条: reviewers with an interest in the unit stand aside; the owner declares it.
    no_conflict = models.BooleanField(_("评审人员无利害关系（已回避）"), default=False)
    conclusion = models.CharField(_("结论"), max_length=10, choices=Conclusion.choices)
    opinion = models.TextField(_("评审意见"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = PlanVersion.scope
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预案评审")
        verbose_name_plural = _("预案评审")
        ordering = ["plan", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_kind_display()} {self.held_on}"


class PlanFiling(models.Model):
    """One submission of a published plan for 备案 to the receiving department (预案管理办法 第二十六条): checked
    within 5 working days — accepted (备案登记表), returned with every missing item in one notice (the owner
    files again: a new row), or, unanswered in time, deemed filed by the sweep."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审查")
        ACCEPTED = "accepted", _("已备案")
        RETURNED = "returned", _("退回补正")
        DEEMED = "deemed", _("逾期未答复视为备案")

    plan = models.ForeignKey(Plan, verbose_name=_("预案"), on_delete=models.CASCADE, related_name="filings")
    version = models.PositiveIntegerField(_("版本号"))
    receiver = models.ForeignKey(Unit, verbose_name=_("受理部门"), on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("报送日期"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    check_due_on = models.DateField(_("审查期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    missing_items = models.JSONField(_("缺少的材料"), default=list, blank=True)
    missing_note = models.TextField(_("补正说明"), blank=True)
    registration_number = models.CharField(_("备案编号"), max_length=60, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = PlanVersion.scope
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预案备案")
        verbose_name_plural = _("预案备案")
        ordering = ["plan", "-submitted_on", "-id"]
        indexes = [models.Index(fields=["status", "check_due_on"], name="plan_filing_check_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="submitted"), name="plan_filing_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.submitted_on}"

    @property
    def missing_labels(self) -> list[str]:
        return [str(FILING_ITEM_LABELS.get(code, code)) for code in self.missing_items]

    @property
    def is_filed(self) -> bool:
        return self.status in (self.Status.ACCEPTED, self.Status.DEEMED)


class PlanEvaluation(models.Model):
    """A periodic evaluation (预案管理办法 第三十五条): its conclusion, and the revision trigger it found, if any."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("预案"), on_delete=models.CASCADE, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("评估日期"))
    conclusion = models.TextField(_("评估结论"))
    needs_revision = models.BooleanField(_("需要修订"), default=False)
    trigger = models.CharField(_("修订情形"), max_length=30, choices=rules.REVISION_TRIGGERS, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = PlanVersion.scope
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预案评估")
        verbose_name_plural = _("预案评估")
        ordering = ["plan", "-evaluated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.evaluated_on}"
