"""督查问题 (problems for government units): a 督查 of the county 安委办 (or a problem list handed down by the
city/province) records problems, each assigned to a department, town or park committee with a deadline; the
assignee plans and reports its rectification, the issuer closes it out (销号) or sends it back. A problem can
carry its root cause and the systemic measure adopted (问题 + 制度措施 两个清单). 两书一函 are numbered letters of
the 安委办 to a unit with its written reply; accountability records (约谈、通报批评、警示、问责) name a unit or a
person and what caused them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Region, Role, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Refusal, Transition

from .. import rules

MANAGE_PROBLEMS = "governance.manage_problems"
ANSWER_PROBLEMS = "governance.answer_problems"
EXPORT_PROBLEMS = "governance.export_problems"

NOTHING = Q(pk__in=[])


def _own_unit_only(membership, q: Q) -> Q:
    """A department's territorial scope is the whole county: of these records it sees only those addressed to
    its own unit (the `owner_unit` path), never another department's or a town's."""
    return NOTHING if membership.role == Role.DEPARTMENT else q


def _member_of(unit, user) -> bool:
    from anlan.core import units

    return bool(getattr(user, "is_superuser", False) or units.is_member(user, unit))


def _assignee_only(problem, user) -> Refusal | None:
    """Guard of the assignee's steps: only the assigned unit's members plan and report (nobody acts for it)."""
    if _member_of(problem.assignee, user):
        return None
    return Refusal("problem_not_assignee", _("只有责任单位的人员可以提交整改方案和整改情况。"))


def _issuer_only(problem, user) -> Refusal | None:
    """Guard of close-out and send-back: only the issuing unit's members; the assignee never closes its own."""
    from anlan.core import units

    if getattr(user, "is_superuser", False):
        return None
    if units.is_member(user, problem.visit.issuer) and not units.is_member(user, problem.assignee):
        return None
    return Refusal("problem_not_issuer", _("只有交办单位的人员可以销号或退回，责任单位不能自行销号。"))


def _letter_issuer_only(letter, user) -> Refusal | None:
    if _member_of(letter.issuer, user):
        return None
    return Refusal("letter_not_issuer", _("只有发函单位的人员可以办结。"))


def _letter_recipient_only(letter, user) -> Refusal | None:
    if _member_of(letter.recipient, user):
        return None
    return Refusal("letter_not_recipient", _("只有收函单位的人员可以书面回复。"))


class SupervisionVisit(models.Model):
    """督查: a supervision visit of the county 安委办 (or an 安委会 督查组 it sends) to departments, towns and park
    committees, or a problem list handed down by the city or province (its source document named)."""

    source = models.CharField(_("来源"), max_length=12, choices=rules.PROBLEM_SOURCES, default="visit")
    title = models.CharField(_("督查名称"), max_length=200)
    held_on = models.DateField(_("督查（交办）日期"))
    source_document = models.CharField(
        _("来源文件"), max_length=200, blank=True, help_text=_("上级交办的，填写交办文件或清单名称")
    )
    issuer = models.ForeignKey(Unit, verbose_name=_("督查单位"), on_delete=models.PROTECT, related_name="+")
    team = models.CharField(_("督查组"), max_length=100, blank=True)
    inspected_units = models.ManyToManyField(Unit, verbose_name=_("被督查单位"), related_name="+", blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("督查情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="issuer", refine=_own_unit_only)
    history = HistoricalRecords(m2m_fields=[inspected_units])

    class Meta:
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["region", "held_on"], name="gov_visit_region_held")]

    def __str__(self) -> str:
        return self.title


class Problem(models.Model):
    """督查问题: one problem of a 督查 assigned to a government unit (department, town, park committee) with a
    deadline; the assignee submits its rectification plan (措施、责任人、时限) and reports the rectification with
    evidence; the issuer closes it out or sends it back. Overdue is computed (rules.problem_is_overdue)."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("已交办")
        RECTIFYING = "rectifying", _("整改中")
        REPORTED = "reported", _("待销号")
        CLOSED = "closed", _("已销号")

    OPEN = (Status.ASSIGNED, Status.RECTIFYING, Status.REPORTED)

    visit = models.ForeignKey(
        SupervisionVisit, verbose_name=_("督查"), on_delete=models.PROTECT, related_name="problems"
    )
    position = models.PositiveIntegerField(_("序号"))
    description = models.TextField(_("问题描述"))
    requirement = models.TextField(_("整改要求"), blank=True)
    assignee = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField(_("发现日期"))
    due_on = models.DateField(_("整改时限"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    # 整改方案 (the assignee's plan)
    plan_measures = models.TextField(_("整改措施"), blank=True)
    plan_person = models.CharField(_("整改责任人"), max_length=50, blank=True)
    plan_due_on = models.DateField(_("计划完成时限"), null=True, blank=True)
    root_cause = models.TextField(_("深层次原因"), blank=True)
    # 整改情况 (the assignee's report)
    rectification = models.TextField(_("整改情况"), blank=True)
    systemic_measure = models.TextField(_("制度措施"), blank=True, help_text=_("建立的制度、机制等长效措施"))
    evidence = models.FileField(
        _("整改佐证"), upload_to="governance/problems/%Y/", max_length=200, blank=True
    )
    reported_on = models.DateField(_("报告整改日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    # The sweep's marker: the deadline it last flagged this problem overdue for (an extension re-arms it).
    overdue_flagged_for = models.DateField(_("已提醒逾期的时限"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="assignee", refine=_own_unit_only)
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "submit_plan",
            frozenset({Status.ASSIGNED}),
            Status.RECTIFYING,
            ANSWER_PROBLEMS,
            _("提交整改方案"),
            guards=(_assignee_only,),
            form="anlan.governance.forms.problems.PlanForm",
        ),
        Transition(
            "report",
            frozenset({Status.RECTIFYING}),
            Status.REPORTED,
            ANSWER_PROBLEMS,
            _("报告整改完成"),
            guards=(_assignee_only,),
            form="anlan.governance.forms.problems.ReportForm",
        ),
        Transition(
            "close_out",
            frozenset({Status.REPORTED}),
            Status.CLOSED,
            MANAGE_PROBLEMS,
            _("销号"),
            confirm=_("确认整改到位并销号吗？"),
            style="success",
            guards=(_issuer_only,),
        ),
        Transition(
            "send_back",
            frozenset({Status.REPORTED}),
            Status.RECTIFYING,
            MANAGE_PROBLEMS,
            _("退回重新整改"),
            reason_required=True,
            style="outline-danger",
            guards=(_issuer_only,),
        ),
    )

    class Meta:
        verbose_name = _("督查问题")
        verbose_name_plural = _("督查问题")
        ordering = ["visit_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "position"], name="gov_problem_position_once")
        ]
        indexes = [
            models.Index(fields=["region", "status", "due_on"], name="gov_problem_region_status"),
            models.Index(fields=["assignee", "status"], name="gov_problem_assignee_status"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.position}"


class GovernmentLetter(models.Model):
    """两书一函: a 警示提醒书, 安全监管行政建议书 or 督办函 of the 安委办 to a department, town or park committee,
    numbered and rendered by the documents app (`document`), confirmed received through the kernel's receipts and
    answered in writing by its reply deadline; a 督办函 may concern a problem."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("待回复")
        REPLIED = "replied", _("已回复")
        CLOSED = "closed", _("已办结")

    kind = models.CharField(_("文种"), max_length=24, choices=rules.LETTER_KINDS)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("正文"))
    issuer = models.ForeignKey(Unit, verbose_name=_("发函单位"), on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        Unit, verbose_name=_("收函单位"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("督办问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    document = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("公文"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("发函日期"))
    reply_due_on = models.DateField(_("回复时限"))
    reply = models.TextField(_("书面回复"), blank=True)
    reply_file = models.FileField(
        _("回复附件"), upload_to="governance/letters/%Y/", max_length=200, blank=True
    )
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+"
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="recipient", refine=_own_unit_only)
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "reply",
            frozenset({Status.ISSUED}),
            Status.REPLIED,
            ANSWER_PROBLEMS,
            _("书面回复"),
            guards=(_letter_recipient_only,),
            form="anlan.governance.forms.problems.LetterReplyForm",
        ),
        Transition(
            "close",
            frozenset({Status.REPLIED}),
            Status.CLOSED,
            MANAGE_PROBLEMS,
            _("办结"),
            style="success",
            confirm=_("确认回复符合要求并办结吗？"),
            guards=(_letter_issuer_only,),
        ),
        Transition(
            "send_back",
            frozenset({Status.REPLIED}),
            Status.ISSUED,
            MANAGE_PROBLEMS,
            _("退回重新回复"),
            reason_required=True,
            style="outline-danger",
            guards=(_letter_issuer_only,),
        ),
    )

    class Meta:
        verbose_name = _("两书一函")
        verbose_name_plural = _("两书一函")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["region", "status", "reply_due_on"], name="gov_letter_region_status")]

    def __str__(self) -> str:
        return self.title


class AccountabilityRecord(models.Model):
    """问责记录: a 约谈, 通报批评, 警示 or 问责 of a unit (and a person in it, if named) by the 安委办, with its
    reason, date, document, and what caused it — a problem of this module or another record (an accident, a
    hazard) through a generic reference the recording user could see."""

    kind = models.CharField(_("类别"), max_length=16, choices=rules.ACCOUNTABILITY_KINDS)
    subject_unit = models.ForeignKey(
        Unit, verbose_name=_("对象单位"), on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("对象人员"), max_length=50, blank=True)
    person_title = models.CharField(_("职务"), max_length=50, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("日期"))
    reason = models.TextField(_("事由"))
    decided_by = models.ForeignKey(
        Unit, verbose_name=_("作出单位"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(
        _("文书扫描件"), upload_to="governance/accountability/%Y/", max_length=200, blank=True
    )
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    problem = models.ForeignKey(
        Problem, verbose_name=_("起因问题"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cause_type = models.ForeignKey(
        ContentType, verbose_name=_("起因记录类型"), null=True, blank=True, on_delete=models.PROTECT
    )
    cause_id = models.PositiveBigIntegerField(_("起因记录"), null=True, blank=True)
    cause_label = models.CharField(_("起因记录名称"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="subject_unit", refine=_own_unit_only)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["region", "decided_on"], name="gov_account_region_decided"),
            models.Index(fields=["cause_type", "cause_id"], name="gov_account_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject_unit}"
