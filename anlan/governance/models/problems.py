"""督查问题 (problems for government units): a 督查 of the county 安委办 (or a problem list handed down by the
city/province) records problems, each a hazard record assigned to a department, town or park committee with a
deadline; the assignee plans and rectifies it on the hazard, the issuer verifies and closes it out (销号) there. A problem can
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
    """督查问题: one problem of a 督查, which IS a hazard record (`hazard`, issue #17 and #12 "the same hazard
    record whose responsible party is a government unit, not a second model"): a place hazard of source 督查检查
    whose finding unit is the 督查's issuer and whose responsible unit is the assigned department, town or park
    committee. Its state, plan (五落实), rectification, verification (销号 by the issuer, never the assignee),
    extensions, overdue sweeps, ledger and statistics are the hazard's. Governance keeps only what the hazard
    does not carry: the 督查 and the problem's 序号 in it, the 整改要求, and the 问题 + 制度措施 两个清单 (the root
    cause found and the systemic measure adopted)."""

    visit = models.ForeignKey(
        SupervisionVisit, verbose_name=_("督查"), on_delete=models.PROTECT, related_name="problems"
    )
    position = models.PositiveIntegerField(_("序号"))
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("隐患记录"),
        on_delete=models.PROTECT,
        related_name="supervision_problem",
    )
    requirement = models.TextField(_("整改要求"), blank=True)
    root_cause = models.TextField(_("深层次原因"), blank=True)
    systemic_measure = models.TextField(_("制度措施"), blank=True, help_text=_("建立的制度、机制等长效措施"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    # The hazard's region and responsible unit: territorial roles see by region, a department its own unit's.
    scope = ScopeSpec(region="hazard__region", owner_unit="hazard__responsible_unit", refine=_own_unit_only)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督查问题")
        verbose_name_plural = _("督查问题")
        ordering = ["visit_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "position"], name="gov_problem_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.position}"

    @property
    def assignee(self):
        """The assigned unit: the hazard's responsible unit."""
        return self.hazard.responsible_unit

    @property
    def description(self) -> str:
        return self.hazard.description

    @property
    def due_on(self):
        return self.hazard.due_on


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
