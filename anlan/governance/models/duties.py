"""两个清单: the 责任清单 of a department, town, park committee or leader (三管三必须 and the 安委会 member duties),
drafted by the holder's unit (the 安委办 for leaders), reviewed and approved by the 安委办 and revised yearly as
versions; and the 工作任务清单 of a department or town: the year's tasks with due dates and the evidence of
their completion, confirmed by the 安委办. Issue #17, seed-map A1, A4, A5."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Industry, Region, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Refusal, Transition

from .. import rules

DRAFT = "governance.draft_duties"
REVIEW = "governance.review_duties"
VIEW = "governance.view_duties"


def _drafter_only(duty_list, user) -> Refusal | None:
    """Guard of `submit`: a member of the drafting unit."""
    from anlan.core import units

    if getattr(user, "is_superuser", False) or units.is_member(user, duty_list.owner_unit):
        return None
    return Refusal("duty_list_not_drafter", _("只有起草单位的人员可以报送责任清单。"))


def _not_holder(duty_list, user) -> Refusal | None:
    """Guard of `approve`/`return`: the 安委办 reviews, never the holder (nobody approves their own list)."""
    from anlan.core import units

    if duty_list.holder_user_id is not None and duty_list.holder_user_id == user.pk:
        return Refusal("duty_list_own", _("不能审核自己的责任清单。"))
    if duty_list.holder_unit_id is not None and units.is_member(user, duty_list.holder_unit):
        return Refusal("duty_list_own", _("不能审核本单位的责任清单。"))
    return None


def _reports_for_unit(task, user) -> Refusal | None:
    """Guard of `start`/`report`: a member of the task's unit (nobody reports for another unit)."""
    from anlan.core import units

    if getattr(user, "is_superuser", False) or units.is_member(user, task.unit):
        return None
    return Refusal("duty_task_not_unit", _("只有任务承担单位的人员可以办理。"))


def _has_evidence(task, user) -> Refusal | None:
    """Guard of `report`: at least one piece of evidence (rules.report_has_evidence)."""
    if rules.report_has_evidence(task.evidence.count()):
        return None
    return Refusal("duty_task_no_evidence", _("请先上传佐证材料或关联工作记录，再报告完成。"))


def _has_facts(task, user) -> Refusal | None:
    """Guard of `report`: a 基础工作 task's facts filled in and valid (rules.facts_block_report)."""
    blocked = rules.facts_block_report(task.kind, task.facts, task.year)
    return None if blocked is None else Refusal(str(blocked.code), blocked.message)


def _not_own_task(task, user) -> Refusal | None:
    """Guard of `confirm`/`return`: the 安委办 confirms, never the task's own unit (no self-confirmation)."""
    from anlan.core import units

    if units.is_member(user, task.unit):
        return Refusal("duty_task_own", _("不能确认本单位的任务完成情况。"))
    return None


class DutyList(models.Model):
    """责任清单: the duties of one holder (a department, town or park committee — a kernel Unit — or a leader)
    for one year, in versions. A version is drafted, submitted, then approved or returned by the 安委办;
    approved versions never change — a revision copies the items into the next version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("起草中")
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已审核")
        RETURNED = "returned", _("已退回")

    holder_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder_post = models.CharField(_("领导职务"), max_length=100, blank=True, help_text=_("如：分管副县长"))
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("起草单位"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey(
        "self", verbose_name=_("上一版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="owner_unit", participant="holder_user")
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "submit",
            frozenset({Status.DRAFT, Status.RETURNED}),
            Status.SUBMITTED,
            DRAFT,
            _("报送审核"),
            confirm=_("报送后不能再修改，确定报送安委办审核吗？"),
            guards=(_drafter_only,),
        ),
        Transition(
            "approve",
            frozenset({Status.SUBMITTED}),
            Status.APPROVED,
            REVIEW,
            _("审核通过"),
            confirm=_("审核通过后本版本不能再修改，确定通过吗？"),
            style="success",
            guards=(_not_holder,),
        ),
        Transition(
            "return",
            frozenset({Status.SUBMITTED}),
            Status.RETURNED,
            REVIEW,
            _("退回修改"),
            reason_required=True,
            style="outline-danger",
            guards=(_not_holder,),
        ),
    )

    class Meta:
        verbose_name = _("责任清单")
        verbose_name_plural = _("责任清单")
        ordering = ["-year", "region_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(holder_unit__isnull=False, holder_user__isnull=True)
                | Q(holder_unit__isnull=True, holder_user__isnull=False),
                name="gov_duty_list_one_holder",
            ),
            models.UniqueConstraint(
                fields=["holder_unit", "year", "version"],
                condition=Q(holder_unit__isnull=False),
                name="gov_duty_list_unit_version",
            ),
            models.UniqueConstraint(
                fields=["holder_user", "year", "version"],
                condition=Q(holder_user__isnull=False),
                name="gov_duty_list_user_version",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "year", "status"], name="gov_duty_list_region_year"),
        ]

    def __str__(self) -> str:
        return _("%(holder)s %(year)s年度责任清单（第%(version)s版）") % {
            "holder": self.holder_name,
            "year": self.year,
            "version": self.version,
        }

    @property
    def holder_name(self) -> str:
        if self.holder_unit_id:
            return self.holder_unit.name
        user = self.holder_user
        name = getattr(user, "real_name", "") or user.username
        return f"{name}（{self.holder_post}）" if self.holder_post else name


class DutyItem(models.Model):
    """One duty of a 责任清单: what, on what basis, and the industries and regions it covers (so an enterprise,
    and an accident there, can be matched to the holders responsible for it)."""

    duty_list = models.ForeignKey(
        DutyList, verbose_name=_("责任清单"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    category = models.CharField(_("责任类别"), max_length=12, choices=rules.DUTY_CATEGORIES)
    text = models.TextField(_("职责内容"))
    basis = models.CharField(_("依据"), max_length=300, blank=True, help_text=_("法律法规、文件或三定方案"))
    industries = models.ManyToManyField(Industry, verbose_name=_("覆盖行业"), blank=True, related_name="+")
    regions = models.ManyToManyField(Region, verbose_name=_("覆盖区域"), blank=True, related_name="+")
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="duty_list__region", owner_unit="duty_list__owner_unit", participant="duty_list__holder_user"
    )
    history = HistoricalRecords(m2m_fields=[industries, regions])

    class Meta:
        verbose_name = _("责任事项")
        verbose_name_plural = _("责任事项")
        ordering = ["duty_list_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["duty_list", "position"], name="gov_duty_item_position_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class WorkTask(models.Model):
    """工作任务: one task of a department's or town's 工作任务清单 for a year, with its due date; the unit reports
    its completion with evidence and the 安委办 confirms it or returns it. 逾期 is derived, never stored."""

    class Status(models.TextChoices):
        NOT_STARTED = rules.TASK_NOT_STARTED, _("未开始")
        IN_PROGRESS = rules.TASK_IN_PROGRESS, _("进行中")
        REPORTED = rules.TASK_REPORTED, _("待确认")
        DONE = rules.TASK_DONE, _("已完成")

    unit = models.ForeignKey(Unit, verbose_name=_("承担单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("任务名称"), max_length=200)
    kind = models.CharField(
        _("任务类型"), max_length=16, choices=rules.TASK_KINDS, default=rules.KIND_GENERAL
    )
    description = models.TextField(_("任务要求"), blank=True)
    due_on = models.DateField(_("完成时限"))
    duty_item = models.ForeignKey(
        DutyItem,
        verbose_name=_("对应责任事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    facts = models.JSONField(
        _("工作数据"),
        default=dict,
        blank=True,
        help_text=_("基础工作任务的结构化数据，按任务类型由 rules.check_task_facts 校验"),
    )
    report_note = models.TextField(_("完成情况"), blank=True)
    reported_on = models.DateField(_("报告完成日期"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True, help_text=_("安委办确认的完成日期"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下达人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("下达时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="unit")
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "start",
            frozenset({Status.NOT_STARTED}),
            Status.IN_PROGRESS,
            DRAFT,
            _("开始办理"),
            style="outline-primary",
            guards=(_reports_for_unit,),
        ),
        Transition(
            "report",
            frozenset({Status.NOT_STARTED, Status.IN_PROGRESS}),
            Status.REPORTED,
            DRAFT,
            _("报告完成"),
            form="anlan.governance.forms.duties.ReportForm",
            guards=(_reports_for_unit, _has_evidence, _has_facts),
        ),
        Transition(
            "confirm",
            frozenset({Status.REPORTED}),
            Status.DONE,
            REVIEW,
            _("确认完成"),
            confirm=_("确认该任务已按要求完成吗？"),
            style="success",
            guards=(_not_own_task,),
        ),
        Transition(
            "return",
            frozenset({Status.REPORTED}),
            Status.IN_PROGRESS,
            REVIEW,
            _("退回补充"),
            reason_required=True,
            style="outline-danger",
            guards=(_not_own_task,),
        ),
    )

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["region", "year", "due_on"], name="gov_task_region_year_due"),
            models.Index(fields=["unit", "year", "status"], name="gov_task_unit_year_status"),
            models.Index(fields=["status", "due_on"], name="gov_task_status_due"),
            models.Index(fields=["region", "year", "kind"], name="gov_task_region_year_kind"),
        ]

    def __str__(self) -> str:
        return self.title


def _evidence_path(instance, filename: str) -> str:
    return f"governance/tasks/{instance.task_id}/{filename}"


class TaskEvidence(models.Model):
    """佐证材料 of a task: an uploaded file (a picture or a PDF, checked by core.uploads) or a linked record the
    adder could see (an inspection done, a drill held, a hazard closed), kept as a generic key with its title
    as it read when linked."""

    task = models.ForeignKey(
        WorkTask, verbose_name=_("工作任务"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=_evidence_path, max_length=200, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    record_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("记录类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    record_id = models.PositiveBigIntegerField(_("记录"), null=True, blank=True)
    record_title = models.CharField(_("记录名称"), max_length=300, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("添加人"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="task__region", owner_unit="task__unit")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["task_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(~Q(file="") & Q(record_id__isnull=True))
                | (Q(file="") & Q(record_type__isnull=False, record_id__isnull=False)),
                name="gov_evidence_file_or_record",
            )
        ]
        indexes = [models.Index(fields=["record_type", "record_id"], name="gov_evidence_record")]

    def __str__(self) -> str:
        return self.file_name or self.record_title
