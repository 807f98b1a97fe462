"""严重失信主体名单 (应急管理部令第11号, regulations.md §4; seed-map H6): the subjects that may be listed (an
enterprise, its 主要负责人, a 安全评价/检测/认证/检验机构 or its staff), one case per subject and ground that walks the
procedure candidate → 告知 → 陈述申辩 → decision → listed → (early removal | expiry), with revocation of a false
early removal, and each county's settings (the local stricter rule, the 陈述申辩 period).

Who decides is the department that imposed the penalty (谁处罚、谁决定、谁负责, 第四条): `deciding_unit`, and only its
members take the deciding steps. The enterprise sees its own cases, files its 陈述申辩 and its removal application,
and decides nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Industry, Person, Region, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Refusal, Transition

from .. import rules

VIEW_DISHONESTY = "credit.view_dishonesty"
PROPOSE_DISHONESTY = "credit.propose_dishonesty"
DECIDE_DISHONESTY = "credit.decide_dishonesty"
RESPOND_DISHONESTY = "credit.respond_dishonesty"
CONFIGURE_DISHONESTY = "credit.configure_dishonesty"
EXPORT_DISHONESTY = "credit.export_dishonesty"


class DishonestySettings(models.Model):
    """A county's settings of the procedure, kept by its 安委办: whether the local stricter rule (较大以上事故一律联合
    惩戒) adds candidates, and how many working days the 陈述申辩 period runs."""

    region = models.OneToOneField(
        Region, verbose_name=_("县级区划"), on_delete=models.PROTECT, related_name="dishonesty_settings"
    )
    local_relatively_major_rule = models.BooleanField(
        _("较大事故一律联合惩戒"),
        default=False,
        help_text=_("本地从严规定：发生一起较大事故即列为严重失信候选（非应急管理部令第11号情形）"),
    )
    statement_working_days = models.PositiveSmallIntegerField(
        _("陈述申辩期限（工作日）"),
        default=5,
        help_text=_("自告知之日起计算，不含当日；默认值依据见说明（未确认）"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("失信名单设置")
        verbose_name_plural = _("失信名单设置")

    def __str__(self) -> str:
        return str(self.region)


class DishonestySubject(models.Model):
    """A party that may be listed: the enterprise itself (its `core.Unit`), its 主要负责人 (a `core.Person`), a body
    doing 安全评价、认证、检测、检验 (an outside-body `core.Unit` with its agency type) or a member of its staff."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("生产经营单位")
        PRINCIPAL = "principal", _("主要负责人")
        AGENCY = "agency", _("安全服务机构")
        AGENCY_STAFF = "agency_staff", _("机构从业人员")

    class AgencyType(models.TextChoices):
        EVALUATION = "evaluation", _("安全评价机构")
        CERTIFICATION = "certification", _("认证机构")
        TESTING = "testing", _("检测机构")
        INSPECTION = "inspection", _("检验机构")

    kind = models.CharField(_("主体类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称或姓名"), max_length=120)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency_type = models.CharField(_("机构类型"), max_length=16, choices=AgencyType.choices, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("所属生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="region",
        industry="enterprise__industry",
        grid="enterprise__grid",
        enterprise="enterprise",
        owner_unit="unit",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("失信主体")
        verbose_name_plural = _("失信主体")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit"], condition=Q(person__isnull=True), name="credit_subject_unit_once"
            ),
            models.UniqueConstraint(
                fields=["kind", "person"],
                condition=Q(person__isnull=False),
                name="credit_subject_person_once",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(person__isnull=False), name="credit_subject_anchored"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


def _party_told_first(membership, q: Q) -> Q:
    """The party sees its case once it has been told (告知): a candidate never notified stays the department's."""
    from anlan.core.models import Role

    return q & Q(notified_on__isnull=False) if membership.role == Role.ENTERPRISE else q


def _decider_only(case, user) -> Refusal | None:
    """谁处罚、谁决定 (11号令 第四条): only members of the department that imposed the penalty take the step."""
    from anlan.core import units

    if getattr(user, "is_superuser", False) or units.is_member(user, case.deciding_unit):
        return None
    return Refusal(rules.DishonestyCode.NOT_DECIDER, _("只有作出行政处罚决定的部门可以办理。"))


def _statement_period_closed(case, user) -> Refusal | None:
    """The decision waits until the 陈述申辩 period has run out, or the party has stated its case."""
    from django.utils import timezone

    if case.status == DishonestyCase.Status.STATED:
        return None
    if case.statement_due_on is None or timezone.localdate() > case.statement_due_on:
        return None
    return Refusal(
        rules.DishonestyCode.STATEMENT_PERIOD_OPEN,
        _("陈述申辩期限（至 %(d)s）未届满，当事人也未提出陈述申辩，暂不能作出决定。")
        % {"d": case.statement_due_on},
    )


def _statement_period_open(case, user) -> Refusal | None:
    from django.utils import timezone

    if case.statement_due_on is not None and timezone.localdate() <= case.statement_due_on:
        return None
    return Refusal(rules.DishonestyCode.STATEMENT_PERIOD_CLOSED, _("陈述申辩期限已届满。"))


def _removal_eligible(case, user) -> Refusal | None:
    """Early removal only once the subject has been listed 12 full months (rules.early_removal_eligible)."""
    from django.utils import timezone

    today = timezone.localdate()
    if case.listed_on is not None and rules.early_removal_eligible(
        case.listed_on, max(today, case.listed_on)
    ):
        return None
    first = rules.early_removal_eligible_from(case.listed_on) if case.listed_on else None
    return Refusal(
        rules.DishonestyCode.NOT_YET_ELIGIBLE,
        _("列入未满12个月，%(d)s 起方可申请提前移出。") % {"d": first},
    )


class DishonestyCase(models.Model):
    """One subject on one ground (a situation of 11号令, or 0 for the local stricter rule): from candidate through
    告知 (notice DOCX), 陈述申辩 (deadline in working days), the written decision (DOCX), the 3-year listing and its
    early removal or expiry. Deadlines are columns (`statement_due_on`, `expires_on`) the sweep filters on."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("候选")
        NOTIFIED = "notified", _("已告知（陈述申辩期）")
        STATED = "stated", _("已陈述申辩")
        NOT_LISTED = "not_listed", _("决定不予列入")
        LISTED = "listed", _("已列入")
        REMOVAL_APPLIED = "removal_applied", _("已申请提前移出")
        REMOVED = "removed", _("已提前移出")
        EXPIRED = "expired", _("期满移出")

    class Source(models.TextChoices):
        SWEEP = "sweep", _("数据筛查")
        MANUAL = "manual", _("人工登记")

    subject = models.ForeignKey(
        DishonestySubject, verbose_name=_("失信主体"), on_delete=models.PROTECT, related_name="cases"
    )
    situation = models.PositiveSmallIntegerField(_("列入情形"), choices=rules.SITUATION_CHOICES)
    basis = models.TextField(_("列入依据（事实）"))
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    source_key = models.CharField(_("来源标识"), max_length=80, blank=True, editable=False)
    penalty_reference = models.CharField(
        _("行政处罚决定书文号"), max_length=120, blank=True, help_text=_("列入须以行政处罚为前提（第三条）")
    )
    deciding_unit = models.ForeignKey(
        Unit, verbose_name=_("决定部门"), on_delete=models.PROTECT, related_name="+"
    )
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
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    # 告知 and 陈述申辩
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    notice_number = models.CharField(_("告知书文号"), max_length=60, blank=True)
    notice_file = models.FileField(_("告知书"), upload_to="credit/dishonesty/%Y/", max_length=200, blank=True)
    statement_due_on = models.DateField(_("陈述申辩截止日期"), null=True, blank=True)
    statement = models.TextField(_("陈述申辩意见"), blank=True)
    stated_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    # the decision
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    decision_file = models.FileField(
        _("决定书"), upload_to="credit/dishonesty/%Y/", max_length=200, blank=True
    )
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    expires_on = models.DateField(_("管理期限届满日"), null=True, blank=True)
    # early removal (信用修复)
    removal_applied_on = models.DateField(_("提前移出申请日期"), null=True, blank=True)
    removal_application = models.TextField(_("提前移出申请（信用修复情况）"), blank=True)
    penalty_fulfilled = models.BooleanField(_("已履行行政处罚义务"), default=False)
    harm_removed = models.BooleanField(_("已消除危害后果和不良影响"), default=False)
    no_new_listing_event = models.BooleanField(_("未再发生列入情形"), default=False)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_note = models.TextField(_("移出（不予移出）意见"), blank=True)
    # revocation of a false early removal
    revoked_on = models.DateField(_("撤销提前移出日期"), null=True, blank=True)
    revocation_reason = models.TextField(_("撤销理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="region",
        industry="industry",
        grid="enterprise__grid",
        enterprise="enterprise",
        owner_unit="deciding_unit",
        refine=_party_told_first,
    )
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "notify",
            frozenset({Status.CANDIDATE}),
            Status.NOTIFIED,
            DECIDE_DISHONESTY,
            _("告知当事人"),
            guards=(_decider_only,),
            confirm=_("生成告知书并告知当事人，陈述申辩期限自明日起算。确认吗？"),
        ),
        Transition(
            "dismiss",
            frozenset({Status.CANDIDATE}),
            Status.NOT_LISTED,
            DECIDE_DISHONESTY,
            _("不予列入"),
            reason_required=True,
            style="outline-secondary",
            guards=(_decider_only,),
        ),
        Transition(
            "file_statement",
            frozenset({Status.NOTIFIED}),
            Status.STATED,
            RESPOND_DISHONESTY,
            _("提出陈述申辩"),
            guards=(_statement_period_open,),
            form="anlan.credit.forms.dishonesty.StatementForm",
        ),
        Transition(
            "record_statement",
            frozenset({Status.NOTIFIED}),
            Status.STATED,
            DECIDE_DISHONESTY,
            _("登记陈述申辩"),
            style="outline-primary",
            guards=(_decider_only, _statement_period_open),
            form="anlan.credit.forms.dishonesty.StatementForm",
        ),
        Transition(
            "decide_list",
            frozenset({Status.NOTIFIED, Status.STATED}),
            Status.LISTED,
            DECIDE_DISHONESTY,
            _("决定列入"),
            style="danger",
            guards=(_decider_only, _statement_period_closed),
            form="anlan.credit.forms.dishonesty.DecisionForm",
        ),
        Transition(
            "decide_not_list",
            frozenset({Status.NOTIFIED, Status.STATED}),
            Status.NOT_LISTED,
            DECIDE_DISHONESTY,
            _("决定不予列入"),
            style="outline-secondary",
            guards=(_decider_only, _statement_period_closed),
            form="anlan.credit.forms.dishonesty.DecisionForm",
        ),
        Transition(
            "apply_removal",
            frozenset({Status.LISTED}),
            Status.REMOVAL_APPLIED,
            RESPOND_DISHONESTY,
            _("申请提前移出"),
            guards=(_removal_eligible,),
            form="anlan.credit.forms.dishonesty.RemovalApplicationForm",
        ),
        Transition(
            "record_removal_application",
            frozenset({Status.LISTED}),
            Status.REMOVAL_APPLIED,
            DECIDE_DISHONESTY,
            _("登记提前移出申请"),
            style="outline-primary",
            guards=(_decider_only, _removal_eligible),
            form="anlan.credit.forms.dishonesty.RemovalApplicationForm",
        ),
        Transition(
            "approve_removal",
            frozenset({Status.REMOVAL_APPLIED}),
            Status.REMOVED,
            DECIDE_DISHONESTY,
            _("同意提前移出"),
            style="success",
            guards=(_decider_only,),
            form="anlan.credit.forms.dishonesty.RemovalDecisionForm",
        ),
        Transition(
            "reject_removal",
            frozenset({Status.REMOVAL_APPLIED}),
            Status.LISTED,
            DECIDE_DISHONESTY,
            _("不予提前移出"),
            reason_required=True,
            style="outline-danger",
            guards=(_decider_only,),
        ),
        Transition(
            "revoke_removal",
            frozenset({Status.REMOVED}),
            Status.LISTED,
            DECIDE_DISHONESTY,
            _("撤销提前移出（恢复列入）"),
            reason_required=True,
            style="outline-danger",
            guards=(_decider_only,),
        ),
        # Taken by the system actor in the daily sweep.
        Transition(
            "expire",
            frozenset({Status.LISTED, Status.REMOVAL_APPLIED}),
            Status.EXPIRED,
            DECIDE_DISHONESTY,
            _("管理期满移出"),
        ),
    )
    # Those offered as buttons on the case's page (the last one is the sweep's).
    ACTIONS = TRANSITIONS[:-1]
    # The states in which the subject is on the list (flagged to every module).
    LISTED_STATES = (Status.LISTED, Status.REMOVAL_APPLIED)

    class Meta:
        verbose_name = _("严重失信主体名单案件")
        verbose_name_plural = _("严重失信主体名单案件")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="credit_case_status_expires"),
            models.Index(fields=["enterprise", "status"], name="credit_case_enterprise"),
            models.Index(fields=["region", "status"], name="credit_case_region"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="credit_case_source_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject.name} · {self.get_situation_display()}"

    @property
    def is_listed(self) -> bool:
        return self.status in self.LISTED_STATES

    @property
    def removal_eligible_from(self):
        return rules.early_removal_eligible_from(self.listed_on) if self.listed_on else None

    @property
    def relisted(self) -> bool:
        return self.revoked_on is not None


class DishonestyDocumentCounter(models.Model):
    """The last serial of a deciding unit's 告知书 or 决定书 in a year (gap-free, taken inside the step's
    transaction with `documents.services.next_in_sequence`)."""

    unit = models.ForeignKey(Unit, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文种"), max_length=16)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("失信文书编号")
        verbose_name_plural = _("失信文书编号")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="credit_document_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.kind} · {self.year}: {self.last}"
