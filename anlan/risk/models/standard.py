"""安全生产标准化, 安责险, 安全生产费用 and 安全生产责任制 (seed-map A10, I2, I3; regulations.md §9): what the
enterprise records about itself and supervisors confirm or withdraw. Each record hangs off its enterprise and takes
its scope from it (its town, its supervising department, the enterprise itself). Deadlines are stored as columns
(`valid_until`, `ends_on`) so sweeps and lists filter on an index; the rules are in rules.py and their sources in
data/standard.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from ..data import standard as data

RECORD_STANDARD = "risk.record_standard"
CONFIRM_GRADE = "risk.confirm_grade"
WITHDRAW_GRADE = "risk.withdraw_grade"
VIEW_STANDARD = "risk.view_standard"
EXPORT_STANDARD = "risk.export_standard"

MONEY = {"max_digits": 14, "decimal_places": 2}


class StandardisationGrade(models.Model):
    """安全生产标准化等级: one grade of one enterprise (一级/二级/三级, issued by the national, provincial or city/
    county level), valid 3 years from the day it was issued. A supervisor in scope may confirm it against the
    published announcement; the supervising department withdraws it (撤销), never the enterprise. An accident that
    meets a withdrawal condition flags it 待撤销审查 until a supervisor withdraws it or dismisses the flag."""

    class Grade(models.TextChoices):
        FIRST = "1", _("一级")
        SECOND = "2", _("二级")
        THIRD = "3", _("三级")

    class IssuingLevel(models.TextChoices):
        NATIONAL = "national", _("国家（应急管理部）")
        PROVINCE = "province", _("省级")
        CITY_COUNTY = "city_county", _("设区的市或县级")

    class Status(models.TextChoices):
        CURRENT = "current", _("有效")
        UNDER_REVIEW = "under_review", _("待撤销审查")
        EXPIRED = "expired", _("已过期")
        WITHDRAWN = "withdrawn", _("已撤销")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("标准化等级"), max_length=1, choices=Grade.choices)
    issuing_level = models.CharField(_("定级层级"), max_length=20, choices=IssuingLevel.choices)
    issuing_authority = models.CharField(_("定级部门"), max_length=100)
    certificate_no = models.CharField(_("证书（公告）编号"), max_length=60)
    specialty = models.CharField(
        _("专业类别"), max_length=60, blank=True, help_text=_("如：危险化学品、冶金、建材")
    )
    issued_on = models.DateField(_("定级日期"))
    valid_until = models.DateField(_("有效期至"), editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.CURRENT)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    # The accident (or other facts) that flagged the grade, as words and the accident's id (no foreign key into
    # another app: the accidents module is read through its event).
    flagged_at = models.DateTimeField(_("标记待撤销时间"), null=True, blank=True)
    flag_accident_id = models.PositiveBigIntegerField(_("触发事故"), null=True, blank=True)
    flag_basis = models.TextField(_("待撤销依据"), blank=True)
    withdrawn_on = models.DateField(_("撤销日期"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤销原因"), blank=True)
    withdrawal_basis = models.TextField(_("撤销依据"), blank=True)
    review_note = models.TextField(_("审查意见"), blank=True)
    expiry_notified_for = models.DateField(_("到期提醒所对应的有效期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "withdraw",
            frozenset({Status.CURRENT, Status.UNDER_REVIEW}),
            Status.WITHDRAWN,
            WITHDRAW_GRADE,
            _("撤销等级"),
            reason_required=True,
            style="danger",
            form="anlan.risk.forms.standard.WithdrawForm",
        ),
        Transition(
            "dismiss",
            frozenset({Status.UNDER_REVIEW}),
            Status.CURRENT,
            WITHDRAW_GRADE,
            _("不予撤销"),
            reason_required=True,
            style="secondary",
        ),
        # The two below are taken by the system actor (the accident handler and the daily sweep).
        Transition(
            "flag", frozenset({Status.CURRENT}), Status.UNDER_REVIEW, WITHDRAW_GRADE, _("标记待撤销审查")
        ),
        Transition(
            "expire",
            frozenset({Status.CURRENT, Status.UNDER_REVIEW}),
            Status.EXPIRED,
            WITHDRAW_GRADE,
            _("到期"),
        ),
    )
    # Those offered as buttons on the grade's page (the others are the system's).
    ACTIONS = TRANSITIONS[:2]

    class Meta:
        verbose_name = _("安全生产标准化等级")
        verbose_name_plural = _("安全生产标准化等级")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["enterprise", "status", "valid_until"], name="risk_grade_enterprise"),
            models.Index(fields=["status", "valid_until"], name="risk_grade_status_until"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_grade_display()}"

    @property
    def sources(self):
        return (data.GRADING_MEASURES,)


class LiabilityPolicy(models.Model):
    """安全生产责任保险 (安责险): one policy of one enterprise — insurer, number, period, the per-person and total
    limits, premium, and whether the lead insurer provides third-party technical services (seed-map I3:
    主承保公司开展第三方技术服务); a policy covers its first to its last day."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    insurer = models.CharField(_("承保公司"), max_length=100)
    policy_no = models.CharField(_("保单号"), max_length=60)
    starts_on = models.DateField(_("保险起期"))
    ends_on = models.DateField(_("保险止期"))
    insured_people = models.PositiveIntegerField(_("参保人数"), default=0)
    per_person_amount = models.DecimalField(_("每人死亡伤残责任限额（元）"), **MONEY)
    total_amount = models.DecimalField(_("累计责任限额（元）"), **MONEY)
    premium = models.DecimalField(_("保费（元）"), **MONEY)
    technical_service = models.BooleanField(_("提供第三方技术服务"), default=False)
    expiry_notified_for = models.DateField(_("到期提醒所对应的止期"), null=True, blank=True)
    lapse_notified_for = models.DateField(_("脱保提醒所对应的止期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安全生产责任保险")
        verbose_name_plural = _("安全生产责任保险")
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["insurer", "policy_no"], name="risk_policy_insurer_no"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="risk_policy_period"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "ends_on"], name="risk_policy_enterprise"),
            models.Index(fields=["ends_on"], name="risk_policy_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_no}"


class PolicyService(models.Model):
    """事故预防技术服务: one service the insurer (or its contracted agency) provided under a policy — the day, who,
    what was done and found (安责险实施办法: 保险机构应当提供事故预防服务)."""

    policy = models.ForeignKey(
        LiabilityPolicy, verbose_name=_("安责险保单"), on_delete=models.PROTECT, related_name="services"
    )
    served_on = models.DateField(_("服务日期"))
    provider = models.CharField(_("服务机构"), max_length=100)
    content = models.TextField(_("服务内容"))
    findings = models.TextField(_("发现问题及建议"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("policy__enterprise")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安责险技术服务")
        verbose_name_plural = _("安责险技术服务")
        ordering = ["-served_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.policy} · {self.served_on}"


class SafetySpending(models.Model):
    """安全生产费用: one year of an enterprise — the amount extracted (提取) and the amounts used (使用) by the
    categories of 财资〔2022〕136号 (`uses`); one row per enterprise and year, updated as the year goes on."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    extracted = models.DecimalField(_("提取金额（元）"), **MONEY)
    used = models.DecimalField(_("使用金额合计（元）"), editable=False, **MONEY)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安全生产费用")
        verbose_name_plural = _("安全生产费用")
        ordering = ["-year", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="risk_spending_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year}"


class SpendingUse(models.Model):
    """安全生产费用使用: the amount of one year used in one category (财资〔2022〕136号)."""

    CATEGORIES = [(code, label) for code, label, _confidence in data.SPENDING_CATEGORIES]

    spending = models.ForeignKey(
        SafetySpending, verbose_name=_("安全生产费用"), on_delete=models.CASCADE, related_name="uses"
    )
    category = models.CharField(_("使用类别"), max_length=20, choices=CATEGORIES)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("spending__enterprise")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安全生产费用使用")
        verbose_name_plural = _("安全生产费用使用")
        ordering = ["spending_id", "category"]
        constraints = [models.UniqueConstraint(fields=["spending", "category"], name="risk_spending_use")]

    def __str__(self) -> str:
        return f"{self.spending} · {self.get_category_display()}"


class ResponsibilitySystem(models.Model):
    """全员安全生产责任制 (安全生产法 第二十二条): the document the enterprise adopted — its title, number and the
    day it took effect; the latest one counts for 责任到位."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("文件名称"), max_length=200)
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    adopted_on = models.DateField(_("印发日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安全生产责任制")
        verbose_name_plural = _("安全生产责任制")
        ordering = ["-adopted_on", "-pk"]

    def __str__(self) -> str:
        return self.title
