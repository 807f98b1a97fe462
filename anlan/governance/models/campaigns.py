"""安委会议定事项 and 专项整治 (seed-map A9, D1–D3): meetings of the 安委会 and its specialised committees recorded by
the 安委办, each decision (议定事项) assigned to units with a deadline and followed up to closure by the 安委办;
campaigns with their special areas, member units and liaison officers, monthly task cards sent to the members
for receipt confirmation through the kernel with a completion report each, and the 调度/通报/总结 issued from
live data. A campaign's records are those carrying its kernel record tag (`core.tags`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Industry, ReceiptTask, RecordTag, Region, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Refusal, Transition

from .. import rules

MANAGE_MEETINGS = "governance.manage_meetings"
MANAGE_CAMPAIGNS = "governance.manage_campaigns"
ANSWER = "governance.answer_decisions"


def _office_only(task, user) -> Refusal | None:
    """The 安委办 that recorded the meeting closes or returns what it assigned (nobody closes their own)."""
    from anlan.core import units

    if getattr(user, "is_superuser", False) or units.is_member(user, task.decision.meeting.office):
        return None
    return Refusal("decision_not_office", _("只有交办的安委办可以确认办结或退回。"))


def _assignee_only(task, user) -> Refusal | None:
    """Only the assigned unit reports its decision as done (nobody acts for another party)."""
    from anlan.core import units

    if getattr(user, "is_superuser", False) or units.is_member(user, task.assignee):
        return None
    return Refusal("decision_not_assignee", _("只有承办单位可以报送办结。"))


class Meeting(models.Model):
    """安委会会议: a plenary or thematic meeting of the 安委会, or a meeting of a specialised committee, as its
    安委办 records it after it is held — who chaired, who attended, what was discussed."""

    kind = models.CharField(_("会议类型"), max_length=12, choices=rules.MEETING_KINDS)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    chair = models.CharField(_("主持人"), max_length=100)
    attendees = models.TextField(_("参会人员"), help_text=_("每行一人或一个单位"))
    topics = models.TextField(_("会议议题"))
    office = models.ForeignKey(Unit, verbose_name=_("安委办"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="office")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安委会会议")
        verbose_name_plural = _("安委会会议")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["region", "held_on"], name="gov_meeting_region_held")]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """议定事项: one thing the meeting decided, with its deadline; assigned to one or more units (one
    `DecisionTask` each)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="decisions"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("议定事项"))
    due_on = models.DateField(_("完成时限"))
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="meeting__region", owner_unit="meeting__office")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="gov_decision_position_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class DecisionTask(models.Model):
    """议定事项承办: one assigned unit's part of a decision — it reports progress and, when done, its completion
    with evidence; the 安委办 confirms the closure (办结) or returns it. Overdue ones are flagged once by the
    sweep."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("办理中")
        REPORTED = "reported", _("待确认办结")
        RETURNED = "returned", _("已退回")
        CLOSED = "closed", _("已办结")

    OPEN = (Status.ASSIGNED, Status.RETURNED)

    decision = models.ForeignKey(
        Decision, verbose_name=_("议定事项"), on_delete=models.PROTECT, related_name="tasks"
    )
    assignee = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    reported_at = models.DateTimeField(_("报送办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("确认办结时间"), null=True, blank=True)
    overdue_flagged_on = models.DateField(_("逾期提醒日期"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    # The assignee's region (a town sees its own task) and the assignee's members wherever it sits.
    scope = ScopeSpec(region="region", owner_unit="assignee")
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "close",
            frozenset({Status.REPORTED}),
            Status.CLOSED,
            MANAGE_MEETINGS,
            _("确认办结"),
            confirm=_("确认该承办单位已完成此议定事项吗？"),
            style="success",
            guards=(_office_only,),
        ),
        Transition(
            "send_back",
            frozenset({Status.REPORTED}),
            Status.RETURNED,
            MANAGE_MEETINGS,
            _("退回"),
            reason_required=True,
            style="outline-danger",
            guards=(_office_only,),
        ),
        Transition(
            "report",
            frozenset({Status.ASSIGNED, Status.RETURNED}),
            Status.REPORTED,
            ANSWER,
            _("报送办结"),
            form="anlan.governance.forms.campaigns.CompletionForm",
            guards=(_assignee_only,),
        ),
    )

    class Meta:
        verbose_name = _("议定事项承办")
        verbose_name_plural = _("议定事项承办")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "assignee"], name="gov_decision_task_once")
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="gov_dtask_status_due"),
            models.Index(fields=["region", "status"], name="gov_dtask_region_status"),
        ]

    def __str__(self) -> str:
        return f"{self.assignee} · {self.decision}"


class DecisionReport(models.Model):
    """办理情况: what the assigned unit reports — progress along the way, or its completion with the evidence
    (what was done, the documents or records that show it)."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("进展情况")
        COMPLETION = "completion", _("办结报告")

    task = models.ForeignKey(
        DecisionTask, verbose_name=_("承办"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("办理情况"))
    evidence = models.TextField(_("佐证材料"), blank=True, help_text=_("文件名称、文号或相关记录编号"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("报送时间"))
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="task__region", owner_unit="task__assignee")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议定事项办理情况")
        verbose_name_plural = _("议定事项办理情况")
        ordering = ["task_id", "reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task}"


class Campaign(models.Model):
    """专项整治 (D1): a 三年行动 or a seasonal action of the 安委办 — its topics, lead unit, member units with
    liaison officers, period; the records it covers carry its kernel tag (by rule or by hand)."""

    kind = models.CharField(_("行动类型"), max_length=14, choices=rules.CAMPAIGN_KINDS)
    title = models.CharField(_("行动名称"), max_length=200)
    themes = models.TextField(_("整治重点"), help_text=_("专题、重点内容和目标"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    office = models.ForeignKey(Unit, verbose_name=_("安委办"), on_delete=models.PROTECT, related_name="+")
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    tag = models.OneToOneField(
        RecordTag, verbose_name=_("记录标签"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="office")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["region", "ends_on"], name="gov_campaign_region_ends")]

    def __str__(self) -> str:
        return self.title


class CampaignArea(models.Model):
    """专题/专项: a special area of the campaign (城镇燃气、道路运输 …) and the industries it covers — the
    tag rule's industry set is the union over the areas."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项整治"), on_delete=models.CASCADE, related_name="areas"
    )
    name = models.CharField(_("专题/专项名称"), max_length=100)
    industries = models.ManyToManyField(
        Industry, verbose_name=_("涉及行业领域"), related_name="+", blank=True
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="campaign__region", owner_unit="campaign__office")
    history = HistoricalRecords(m2m_fields=[industries])

    class Meta:
        verbose_name = _("专题/专项")
        verbose_name_plural = _("专题/专项")
        ordering = ["campaign_id", "pk"]

    def __str__(self) -> str:
        return self.name


class CampaignMember(models.Model):
    """成员单位 with its 联络员 (S2 L107 「各相关单位也要明确联络员」)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项整治"), on_delete=models.CASCADE, related_name="members"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("成员单位"), on_delete=models.PROTECT, related_name="+")
    liaison_name = models.CharField(_("联络员"), max_length=50)
    liaison_phone = models.CharField(_("联络员电话"), max_length=20)
    # A unit taken out of the campaign stays as a row (its receipts and card reports keep their member):
    # it gets no further cards and can be put back.
    is_active = models.BooleanField(_("在册"), default=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="campaign__region", owner_unit="unit")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")
        ordering = ["campaign_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="gov_campaign_member_once")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.liaison_name}"


class TaskCard(models.Model):
    """每月提示卡/任务清单 (D2): the month's tasks, sent to every member unit for receipt confirmation (one
    `core.ReceiptTask` each, kind CARD_TASK); each member reports its completion on the card."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项整治"), on_delete=models.PROTECT, related_name="cards"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    title = models.CharField(_("标题"), max_length=200)
    tasks = models.TextField(_("当月任务清单"), help_text=_("每行一项"))
    report_by = models.DateField(_("报送时限"))
    sent_at = models.DateTimeField(_("印发时间"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("印发人"), on_delete=models.PROTECT, related_name="+"
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="campaign__region", owner_unit="campaign__office")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("每月提示卡")
        verbose_name_plural = _("每月提示卡")
        ordering = ["-month", "-pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "month"], name="gov_card_month_once")]

    def __str__(self) -> str:
        return self.title


class CardReport(models.Model):
    """任务完成情况: one member unit's report on one card — the figures and the text; reported again it is
    updated (its history keeps each report)."""

    card = models.ForeignKey(
        TaskCard, verbose_name=_("提示卡"), on_delete=models.PROTECT, related_name="reports"
    )
    task = models.ForeignKey(
        ReceiptTask, verbose_name=_("接收确认任务"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("成员单位"), on_delete=models.PROTECT, related_name="+")
    enterprises_checked = models.PositiveIntegerField(_("检查企业（单位）数"), default=0)
    hazards_found = models.PositiveIntegerField(_("排查隐患数"), default=0)
    hazards_rectified = models.PositiveIntegerField(_("整改隐患数"), default=0)
    text = models.TextField(_("工作开展情况"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("报送时间"))
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="task__region", owner_unit="unit")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("提示卡完成情况")
        verbose_name_plural = _("提示卡完成情况")
        ordering = ["card_id", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["card", "unit"], name="gov_card_report_once")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.card}"


class CampaignReport(models.Model):
    """调度/通报/总结 (D3): the document issued for a month, quarter or year from live data — its figures kept
    as issued, the numbered DOCX in `documents`."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项整治"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.CharField(_("类别"), max_length=8, choices=rules.PERIOD_KINDS)
    starts_on = models.DateField(_("期间起"))
    ends_on = models.DateField(_("期间止"))
    figures = models.JSONField(_("数据"), default=dict)
    document = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("公文"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("印发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("印发人"), on_delete=models.PROTECT, related_name="+"
    )
    is_scheduled = models.BooleanField(_("定时生成"), default=False)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="campaign__region", owner_unit="campaign__office")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调度通报")
        verbose_name_plural = _("调度通报")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "period", "starts_on"], name="gov_campaign_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_period_display()} · {self.starts_on}"


def _card_evidence_path(instance, filename: str) -> str:
    return f"governance/card-reports/{instance.report_id}/{filename}"


class CardReportEvidence(models.Model):
    """佐证材料 of a card report: a file the member unit attached (a picture or a PDF, verified by core.uploads and
    stored under a generated name; only its sender's name is shown), read by whoever sees the report."""

    report = models.ForeignKey(
        CardReport, verbose_name=_("提示卡完成情况"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=_card_evidence_path, max_length=200)
    file_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("上传时间"))
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="report__task__region", owner_unit="report__unit")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("完成情况佐证材料")
        verbose_name_plural = _("完成情况佐证材料")
        ordering = ["report_id", "pk"]

    def __str__(self) -> str:
        return self.file_name
