"""People of an enterprise and their qualifications (seed-map I1; regulations.md §9): the staff it keeps (each a
kernel `core.Person`, keyed by ID number), their 特种作业操作证 and 安全生产知识和管理能力考核合格证, the principal's
and safety managers' 考核, and the training the enterprise held. Every record hangs off its enterprise and takes its
scope from it. A certificate's dates are computed by anlan.core.rules.certificate_dates and stored as columns so the
sweep and the supervisors' list filter on an index; its state on a day is computed from them (rules.certificate_state),
never stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Person
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .. import rules
from ..data import people as data

# A certificate's state on a day (rules.certificate_state), in words, worst first.
STATE_LABELS = {
    rules.EXPIRED: _("已过期"),
    rules.REVIEW_OVERDUE: _("逾期未复审"),
    rules.EXPIRING: _("30 天内到期"),
    rules.REVIEW_WINDOW: _("待复审（复审期内）"),
    rules.VALID: _("有效"),
    rules.NOT_YET_VALID: _("未生效"),
}

RECORD_PEOPLE = "risk.record_people"
VIEW_PEOPLE = "risk.view_people"
EXPORT_PEOPLE = "risk.export_people"


class StaffMember(models.Model):
    """从业人员: one person working at one enterprise — post, roles (主要负责人, 安全管理人员, 特种作业人员), the day
    hired and, once gone, the day they left. The person is the kernel's (one ID number, one person)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("岗位"), max_length=60)
    is_principal = models.BooleanField(_("主要负责人"), default=False)
    is_safety_manager = models.BooleanField(_("安全管理人员"), default=False)
    is_special_operator = models.BooleanField(_("特种作业人员"), default=False)
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        ordering = ["enterprise_id", "left_on", "post", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "person"], name="risk_staff_enterprise_person"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(hired_on__isnull=True)
                | models.Q(left_on__gte=models.F("hired_on")),
                name="risk_staff_left_after_hired",
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "left_on"], name="risk_staff_enterprise")]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.post}"

    @property
    def roles(self) -> list[str]:
        return [
            str(label)
            for flag, label in (
                (self.is_principal, _("主要负责人")),
                (self.is_safety_manager, _("安全管理人员")),
                (self.is_special_operator, _("特种作业人员")),
            )
            if flag
        ]


class Certificate(models.Model):
    """证书: a 特种作业操作证 (with its 作业类别) or a principal's or safety manager's 安全生产知识和管理能力考核合格证.
    For a 特种作业操作证 the last valid day, the 复审 day, its interval and the day its review window opens are
    computed from the issue day and the extension's three conditions (30号令 第十九、二十一、二十二条); a coal-mine
    certificate and a management certificate carry the dates printed on them instead."""

    class Kind(models.TextChoices):
        SPECIAL_OPERATION = "special_operation", _("特种作业操作证")
        PRINCIPAL = "principal", _("主要负责人安全生产知识和管理能力考核合格证")
        SAFETY_MANAGER = "safety_manager", _("安全生产管理人员安全生产知识和管理能力考核合格证")

    CATEGORIES = list(data.SPECIAL_OPERATION_CATEGORIES)

    staff = models.ForeignKey(
        StaffMember, verbose_name=_("持证人"), on_delete=models.PROTECT, related_name="certificates"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("证书类别"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("作业类别"), max_length=30, choices=CATEGORIES, blank=True)
    operation_item = models.CharField(_("准操项目"), max_length=60, blank=True)
    number = models.CharField(_("证书编号"), max_length=40)
    issuing_authority = models.CharField(_("发证机关"), max_length=100)
    issued_on = models.DateField(_("初次领证日期"))
    continuous_years_same_trade = models.PositiveSmallIntegerField(_("连续从事本工种年限"), default=0)
    compliant = models.BooleanField(_("严格遵守安全生产法律法规"), default=True)
    authority_agrees = models.BooleanField(_("考核发证机关同意延长复审"), default=False)
    is_coal_mine = models.BooleanField(_("煤矿特种作业"), default=False)
    coal_note = models.TextField(_("煤矿证书说明"), blank=True)
    valid_until = models.DateField(_("有效期至"))
    review_due = models.DateField(_("复审日期"), null=True, blank=True)
    review_interval_years = models.PositiveSmallIntegerField(_("复审周期（年）"), null=True, blank=True)
    review_window_opens = models.DateField(_("复审申请起始日"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("最近复审日期"), null=True, blank=True)
    # The sweep's claims: the date each notice was sent for (a conditional UPDATE marks it once per date).
    window_notified_for = models.DateField(_("复审提醒所对应的复审日期"), null=True, blank=True)
    overdue_notified_for = models.DateField(_("逾期未复审提醒所对应的复审日期"), null=True, blank=True)
    expiring_notified_for = models.DateField(_("到期提醒所对应的有效期"), null=True, blank=True)
    expired_notified_for = models.DateField(_("过期提醒所对应的有效期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["valid_until", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="risk_certificate_kind_number"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("issued_on")), name="risk_certificate_period"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "valid_until"], name="risk_cert_enterprise"),
            models.Index(fields=["valid_until"], name="risk_cert_valid_until"),
            models.Index(fields=["review_due"], name="risk_cert_review_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def state_label(self):
        """The state annotated by the selectors (`state`) in words."""
        return STATE_LABELS.get(getattr(self, "state", ""), "")

    @property
    def computed(self) -> bool:
        """Whether the dates come from the 30号令 rule (not a coal-mine or management certificate's printed ones)."""
        return self.kind == self.Kind.SPECIAL_OPERATION and not self.is_coal_mine


class Assessment(models.Model):
    """考核: one assessment of a principal's or safety manager's 安全生产知识和管理能力 — the day, who assessed, the
    score out of 100 and whether it passed (80 or more, core.rules.certificate_exam_passed)."""

    class Kind(models.TextChoices):
        PRINCIPAL = "principal", _("主要负责人")
        SAFETY_MANAGER = "safety_manager", _("安全管理人员")

    staff = models.ForeignKey(
        StaffMember, verbose_name=_("被考核人"), on_delete=models.PROTECT, related_name="assessments"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("考核类别"), max_length=20, choices=Kind.choices)
    assessed_on = models.DateField(_("考核日期"))
    assessor = models.CharField(_("考核机关"), max_length=100)
    score = models.DecimalField(_("考核成绩"), max_digits=4, decimal_places=1)
    passed = models.BooleanField(_("考核合格"), editable=False)
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安全生产知识和管理能力考核")
        verbose_name_plural = _("安全生产知识和管理能力考核")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.staff.person.name} · {self.assessed_on}"


class TrainingRecord(models.Model):
    """培训记录: one training the enterprise held or sent its people to — the day, subject, kind, 学时, trainer and
    who attended (its staff)."""

    class Kind(models.TextChoices):
        INDUCTION = "induction", _("岗前培训")
        ANNUAL = "annual", _("年度再培训")
        REVIEW = "review", _("复审培训")
        SPECIAL = "special", _("特种作业培训")
        OTHER = "other", _("其他")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("培训日期"))
    subject = models.CharField(_("培训主题"), max_length=200)
    kind = models.CharField(_("培训类别"), max_length=20, choices=Kind.choices, default=Kind.ANNUAL)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    trainer = models.CharField(_("授课人（机构）"), max_length=100)
    attendees = models.ManyToManyField(StaffMember, verbose_name=_("参训人员"), related_name="trainings")
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["enterprise", "held_on"], name="risk_training_enterprise")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.subject}"
