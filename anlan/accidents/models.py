"""Accidents (生产安全事故): reports and their versions, the reporting chain, findings, investigation,
near misses and minor events, and the economy figures the relative indicators divide by."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Industry, Region
from anlan.core.rules import RuleViolation
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Refusal, Transition

from . import rules

LOSS_FIELD = {
    "max_digits": 14,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(rules.MAX_LOSS_YUAN)],
}
# A casualty count (people): the rules' plausibility bound, also enforced by the model.
PEOPLE = [MaxValueValidator(rules.MAX_PEOPLE)]


def _scope(prefix: str) -> ScopeSpec:
    """Records scoped through their accident: its region, industry and enterprise (and the enterprise's grid)."""
    return ScopeSpec(
        region=f"{prefix}region",
        industry=f"{prefix}industry",
        enterprise=f"{prefix}enterprise",
        grid=f"{prefix}enterprise__grid",
    )


def _refusal(check, *args) -> Refusal | None:
    """A rule of rules.py as a transition guard: None when it holds, else the refusal naming it."""
    try:
        check(*args)
    except RuleViolation as violation:
        return Refusal(violation.code, str(violation.message))
    return None


class Grade(models.TextChoices):
    """493号令 第三条."""

    EXTRAORDINARILY_SERIOUS = rules.EXTRAORDINARILY_SERIOUS, _("特别重大事故")
    MAJOR = rules.MAJOR, _("重大事故")
    RELATIVELY_MAJOR = rules.RELATIVELY_MAJOR, _("较大事故")
    ORDINARY = rules.ORDINARY, _("一般事故")


class GradeCriterion(models.TextChoices):
    DEATHS = rules.Criterion.DEATHS, _("死亡（含失踪）人数")
    SERIOUS_INJURIES = rules.Criterion.SERIOUS_INJURIES, _("重伤（含急性工业中毒）人数")
    DIRECT_LOSS = rules.Criterion.DIRECT_LOSS, _("直接经济损失")
    NONE = rules.Criterion.NONE, _("均未达到较大事故标准")


class Level(models.TextChoices):
    COUNTY = rules.Level.COUNTY, _("县级")
    CITY = rules.Level.CITY, _("设区的市级")
    PROVINCE = rules.Level.PROVINCE, _("省级")
    STATE_COUNCIL = rules.Level.STATE_COUNCIL, _("国务院有关部门")


class AccidentKind(models.TextChoices):
    """Which statistics line an accident belongs to (工矿商贸 and the sectors counted by their own ministries)."""

    INDUSTRIAL = "industrial", _("工矿商贸")
    ROAD_TRAFFIC = rules.ROAD_TRAFFIC, _("道路交通")
    FIRE = rules.FIRE, _("火灾")
    WATERWAY = "waterway", _("水上交通")
    RAILWAY = "railway", _("铁路交通")
    AVIATION = "aviation", _("民航飞行")
    AGRICULTURAL_MACHINERY = "agricultural_machinery", _("农业机械")
    FISHING_VESSEL = "fishing_vessel", _("渔业船舶")
    OTHER = "other", _("其他")


class AccidentType(models.TextChoices):
    """GB 6441-1986 企业职工伤亡事故分类, codes 01–20 (regulations.md §10)."""

    STRUCK_BY_OBJECT = "01", _("物体打击")
    VEHICLE = "02", _("车辆伤害")
    MACHINERY = "03", _("机械伤害")
    LIFTING = "04", _("起重伤害")
    ELECTRIC_SHOCK = "05", _("触电")
    DROWNING = "06", _("淹溺")
    BURN = "07", _("灼烫")
    FIRE = "08", _("火灾")
    FALL_FROM_HEIGHT = "09", _("高处坠落")
    COLLAPSE = "10", _("坍塌")
    ROOF_FALL = "11", _("冒顶片帮")
    WATER_INRUSH = "12", _("透水")
    BLASTING = "13", _("放炮")
    GUNPOWDER_EXPLOSION = "14", _("火药爆炸")
    GAS_EXPLOSION = "15", _("瓦斯爆炸")
    BOILER_EXPLOSION = "16", _("锅炉爆炸")
    VESSEL_EXPLOSION = "17", _("容器爆炸")
    OTHER_EXPLOSION = "18", _("其他爆炸")
    POISONING_SUFFOCATION = "19", _("中毒和窒息")
    OTHER = "20", _("其他伤害")


GB6441_1986 = "GB6441-1986"
GRADE_STYLE = {Grade.ORDINARY: "secondary", Grade.RELATIVELY_MAJOR: "warning"}


class Accident(models.Model):
    """A 生产安全事故 as currently known: the figures of the last report inside the 续报/补报 window, except
    that 重伤/轻伤人数 are counted from the injured persons recorded by lost work days when there are any."""

    title = models.CharField(_("事故名称"), max_length=200)
    kind = models.CharField(
        _("事故类别"), max_length=30, choices=AccidentKind.choices, default=AccidentKind.INDUSTRIAL
    )
    type_scheme = models.CharField(_("分类标准"), max_length=20, default=GB6441_1986, editable=False)
    type_code = models.CharField(_("事故类型"), max_length=4, choices=AccidentType.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    head_notified_at = models.DateTimeField(
        _("单位负责人接报时间"),
        null=True,
        blank=True,
        help_text=_("未知时按事故发生时间计算报告时限"),
    )
    place = models.CharField(_("事故地点"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("发生地区划"), on_delete=models.PROTECT, related_name="accidents"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("事故单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accidents",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业领域"), on_delete=models.PROTECT, related_name="accidents"
    )
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0, validators=PEOPLE)
    missing = models.PositiveIntegerField(_("失踪人数"), default=0, validators=PEOPLE)
    serious_injuries = models.PositiveIntegerField(
        _("重伤人数"), default=0, help_text=_("含急性工业中毒"), validators=PEOPLE
    )
    minor_injuries = models.PositiveIntegerField(_("轻伤人数"), default=0, validators=PEOPLE)
    direct_loss_yuan = models.DecimalField(_("直接经济损失（元）"), **LOSS_FIELD, default=Decimal("0"))
    grade = models.CharField(_("事故等级"), max_length=30, choices=Grade.choices, db_index=True)
    grade_criterion = models.CharField(_("定级依据"), max_length=30, choices=GradeCriterion.choices)
    description = models.TextField(_("事故简要经过"))
    preliminary_cause = models.TextField(_("初步原因"), blank=True)
    measures_taken = models.TextField(_("已采取的措施"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人账号"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_name = models.CharField(_("报告人"), max_length=50)
    reporter_phone = models.CharField(_("联系电话"), max_length=30)
    reported_at = models.DateTimeField(_("初报接收时间"), default=timezone.now, editable=False)
    is_late = models.BooleanField(_("迟报"), default=False, db_index=True)
    objects = ScopedQuerySet.as_manager()
    scope = _scope("")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("生产安全事故")
        verbose_name_plural = _("生产安全事故")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["occurred_at"], name="accident_occurred"),
            models.Index(fields=["region", "occurred_at"], name="accident_region_occurred"),
            models.Index(fields=["industry", "occurred_at"], name="accident_industry_occurred"),
            models.Index(fields=["enterprise", "occurred_at"], name="accident_enterprise_occurred"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def direct_loss_wan(self) -> Decimal:
        return self.direct_loss_yuan / 10000

    @property
    def counted_deaths(self) -> int:
        """Deaths as graded and counted: the missing count as dead (regulations.md §11)."""
        return rules.counted_deaths({name: getattr(self, name) for name in rules.DEATH_FIGURES})

    @property
    def grade_style(self) -> str:
        """The badge colour of the grade: grey 一般, amber 较大, red 重大 and above."""
        return GRADE_STYLE.get(self.grade, "danger")

    @property
    def occurred_on(self):
        return timezone.localtime(self.occurred_at).date()

    @property
    def window_closes_on(self):
        return rules.supplement_window_closes_on(self.occurred_on, self.kind)


class InjuredPerson(models.Model):
    """An injured person of an accident recorded by 损失工作日 (GB 6441-1986, regulations.md §10); the severity
    follows from the days by `rules.injury_severity`. While an accident has such rows, its 重伤/轻伤人数 are
    counted from them (services.sync_injury_counts) and a 续报 cannot set them otherwise."""

    class Severity(models.TextChoices):
        MINOR = rules.MINOR, _("轻伤")
        SERIOUS = rules.SERIOUS, _("重伤")
        FATAL_EQUIVALENT = rules.FATAL_EQUIVALENT, _("按死亡折算")

    accident = models.ForeignKey(
        Accident, verbose_name=_("事故"), on_delete=models.CASCADE, related_name="injured_persons"
    )
    name = models.CharField(_("姓名"), max_length=50)
    identifier = models.CharField(_("身份证号或工号"), max_length=40, blank=True)
    lost_work_days = models.PositiveIntegerField(
        _("损失工作日"), validators=[MaxValueValidator(rules.MAX_LOST_WORK_DAYS)]
    )
    severity = models.CharField(
        _("伤害程度"), max_length=20, choices=Severity.choices, blank=True, editable=False
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = _scope("accident__")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("伤员损失工作日")
        verbose_name_plural = _("伤员损失工作日")
        ordering = ["accident", "-lost_work_days", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def severity_text(self) -> str:
        """轻伤 / 重伤 / 按死亡折算6000日 (counted as 重伤), or 未损失工作日 for a row without a lost day."""
        if not self.severity:
            return str(_("未损失工作日"))
        if self.severity == self.Severity.FATAL_EQUIVALENT:
            return str(_("按死亡折算%(days)d日（计入重伤人数）") % {"days": rules.FATAL_DAYS})
        return str(self.get_severity_display())


class AccidentReport(models.Model):
    """One version of the report (初报/续报/补报), kept as received; `received_at` is set by the system."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("初报")
        FOLLOW_UP = "follow_up", _("续报")
        SUPPLEMENT = "supplement", _("补报")

    accident = models.ForeignKey(
        Accident, verbose_name=_("事故"), on_delete=models.CASCADE, related_name="reports"
    )
    sequence = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("报告类型"), max_length=20, choices=Kind.choices)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人账号"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_name = models.CharField(_("报告人"), max_length=50)
    reporter_phone = models.CharField(_("联系电话"), max_length=30)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0, validators=PEOPLE)
    missing = models.PositiveIntegerField(_("失踪人数"), default=0, validators=PEOPLE)
    serious_injuries = models.PositiveIntegerField(_("重伤人数"), default=0, validators=PEOPLE)
    minor_injuries = models.PositiveIntegerField(_("轻伤人数"), default=0, validators=PEOPLE)
    direct_loss_yuan = models.DecimalField(_("直接经济损失（元）"), **LOSS_FIELD, default=Decimal("0"))
    description = models.TextField(_("情况说明"))
    grade_before = models.CharField(_("原等级"), max_length=30, choices=Grade.choices)
    grade_after = models.CharField(_("报告后等级"), max_length=30, choices=Grade.choices)
    within_window = models.BooleanField(_("在续报/补报时限内"), default=True)
    objects = ScopedQuerySet.as_manager()
    scope = _scope("accident__")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("事故报告")
        verbose_name_plural = _("事故报告")
        ordering = ["accident", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["accident", "sequence"], name="accident_report_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.sequence}"

    @property
    def direct_loss_wan(self) -> Decimal:
        return self.direct_loss_yuan / 10000

    @property
    def regraded(self) -> bool:
        return self.grade_before != self.grade_after


class ReportStep(models.Model):
    """One level of government the report must reach, with its deadline, receipt and forwarding."""

    accident = models.ForeignKey(
        Accident, verbose_name=_("事故"), on_delete=models.CASCADE, related_name="steps"
    )
    level = models.CharField(_("接收层级"), max_length=20, choices=Level.choices)
    due_at = models.DateTimeField(_("应报时限"))
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    is_late = models.BooleanField(_("迟报"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = _scope("accident__")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("逐级上报")
        verbose_name_plural = _("逐级上报")
        constraints = [models.UniqueConstraint(fields=["accident", "level"], name="report_step_level_unique")]
        indexes = [models.Index(fields=["received_at", "due_at"], name="report_step_open_due")]

    def __str__(self) -> str:
        return str(self.get_level_display())

    @property
    def rank(self) -> int:
        return rules.CHAIN.index(rules.Level(self.level))


class ReportingFinding(models.Model):
    """An investigator's facts about how the accident was reported, and the 迟报/漏报/谎报/瞒报 that follow from
    them by rule (`rules.reporting_finding`, 应急管理部令第14号 definitions, regulations.md §1.3)."""

    class Kind(models.TextChoices):
        LATE = rules.LATE, _("迟报")
        OMITTED = rules.OMITTED, _("漏报")
        FALSE = rules.FALSE, _("谎报")
        CONCEALED = rules.CONCEALED, _("瞒报")

    class FalseField(models.TextChoices):
        """What 谎报 may concern (14号令): time, place, preliminary cause, nature, casualties, people at risk, loss."""

        TIME = "time", _("事故发生时间")
        PLACE = "place", _("事故发生地点")
        CAUSE = "preliminary_cause", _("事故初步原因")
        NATURE = "nature", _("事故性质")
        CASUALTIES = "casualties", _("伤亡人数")
        PEOPLE_AT_RISK = "people_at_risk", _("涉险人数")
        DIRECT_LOSS = "direct_loss", _("直接经济损失")

    accident = models.ForeignKey(
        Accident, verbose_name=_("事故"), on_delete=models.CASCADE, related_name="findings"
    )
    # the facts the investigator records
    reported = models.BooleanField(_("事故单位已报告"), default=True)
    late = models.BooleanField(_("超过规定时限报告"), default=False)
    omission = models.BooleanField(_("应报事故或报告内容有遗漏"), default=False)
    omission_by_negligence = models.BooleanField(_("遗漏系过失所致"), default=False)
    intentional_falsehood = models.BooleanField(_("故意不如实报告"), default=False)
    false_fields = models.JSONField(_("不如实报告的事项"), default=list, blank=True)
    deadline_passed = models.BooleanField(_("已超过报告时限"), default=False)
    concealment_verified = models.BooleanField(_("隐瞒不报经查证属实"), default=False)
    # what follows from them by rule
    is_late = models.BooleanField(_("迟报"), default=False, editable=False)
    is_omitted = models.BooleanField(_("漏报"), default=False, editable=False)
    is_false = models.BooleanField(_("谎报"), default=False, editable=False)
    is_concealed = models.BooleanField(_("瞒报"), default=False, editable=False)
    awaiting_verification = models.BooleanField(_("瞒报待查证"), default=False, editable=False)
    description = models.TextField(_("查证情况"))
    found_on = models.DateField(_("认定日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = _scope("accident__")
    history = HistoricalRecords()

    KIND_FLAGS = {
        Kind.LATE: "is_late",
        Kind.OMITTED: "is_omitted",
        Kind.FALSE: "is_false",
        Kind.CONCEALED: "is_concealed",
    }

    class Meta:
        verbose_name = _("报告问题认定")
        verbose_name_plural = _("报告问题认定")
        ordering = ["found_on", "pk"]

    def __str__(self) -> str:
        return "、".join(str(kind.label) for kind in self.kinds) or str(_("瞒报待查证"))

    @property
    def kinds(self) -> list[Kind]:
        """The failures found, in the order of the 条例's wording (迟报, 漏报, 谎报, 瞒报)."""
        return [kind for kind, flag in self.KIND_FLAGS.items() if getattr(self, flag)]

    @property
    def false_field_labels(self) -> list[str]:
        labels = dict(self.FalseField.choices)
        return [str(labels.get(name, name)) for name in self.false_fields]


class Investigation(models.Model):
    """事故调查: team, due date (60 days, one extension ≤ 60 days), conclusions, responsibilities, measures."""

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("调查中")
        EXTENDED = "extended", _("延期调查中")
        CONCLUDED = "concluded", _("已结案（整改中）")
        CLOSED = "closed", _("已闭环")

    accident = models.OneToOneField(
        Accident, verbose_name=_("事故"), on_delete=models.CASCADE, related_name="investigation"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ONGOING, editable=False
    )
    level = models.CharField(_("牵头层级"), max_length=20, choices=Level.choices)
    lead_organ = models.CharField(_("牵头单位"), max_length=120)
    team_leader = models.CharField(_("调查组组长"), max_length=50)
    team_members = models.TextField(_("调查组成员"), blank=True)
    started_on = models.DateField(_("成立日期"))
    due_on = models.DateField(_("调查报告期限"), editable=False)
    extended_days = models.PositiveSmallIntegerField(
        _("延长天数"), default=0, validators=[MaxValueValidator(rules.MAX_EXTENSION_DAYS)], editable=False
    )
    extension_approved_by = models.CharField(_("延期批准机关"), max_length=120, blank=True, editable=False)
    extension_reason = models.TextField(_("延期理由"), blank=True, editable=False)
    direct_cause = models.TextField(_("直接原因"), blank=True)
    indirect_cause = models.TextField(_("间接原因"), blank=True)
    nature = models.CharField(_("事故性质"), max_length=60, blank=True)
    concluded_on = models.DateField(_("结案日期"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("闭环日期"), null=True, blank=True, editable=False)
    # 批复 (493号令 第三十二条): counted from the day the government receives the report.
    report_received_on = models.DateField(_("收到调查报告日期"), null=True, blank=True, editable=False)
    reply_due_on = models.DateField(_("批复期限"), null=True, blank=True, editable=False)
    reply_extended_days = models.PositiveSmallIntegerField(
        _("批复延长天数"),
        default=0,
        validators=[MaxValueValidator(rules.MAX_REPLY_EXTENSION_DAYS)],
        editable=False,
    )
    reply_extension_reason = models.TextField(_("批复延期理由"), blank=True, editable=False)
    replied_on = models.DateField(_("批复日期"), null=True, blank=True, editable=False)
    reply_authority = models.CharField(_("批复机关"), max_length=120, blank=True, editable=False)
    reply_number = models.CharField(_("批复文号"), max_length=60, blank=True, editable=False)
    reply_overdue = models.BooleanField(_("批复超期"), default=False, db_index=True, editable=False)
    objects = ScopedQuerySet.as_manager()
    scope = _scope("accident__")
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "extend",
            frozenset({Status.ONGOING}),
            Status.EXTENDED,
            "accidents.manage_investigation",
            _("延长调查期限"),
            reason_required=True,
            form="anlan.accidents.forms.ExtendForm",
            style="secondary",
        ),
        Transition(
            "conclude",
            frozenset({Status.ONGOING, Status.EXTENDED}),
            Status.CONCLUDED,
            "accidents.manage_investigation",
            _("提交调查结论"),
            form="anlan.accidents.forms.ConcludeForm",
        ),
        Transition(
            "close",
            frozenset({Status.CONCLUDED}),
            Status.CLOSED,
            "accidents.manage_investigation",
            _("整改闭环"),
            guards=(lambda investigation, user: investigation.closing_refusal(),),
            confirm=_("确认所有防范和整改措施已落实，整改闭环？"),
            style="success",
        ),
    )

    class Meta:
        verbose_name = _("事故调查")
        verbose_name_plural = _("事故调查")
        indexes = [models.Index(fields=["replied_on", "reply_due_on"], name="investigation_reply_open_due")]

    def __str__(self) -> str:
        return f"{self.accident} · {self.get_status_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_running(self) -> bool:
        """Still investigating (the report not yet concluded), so its due date still matters."""
        return self.status in (self.Status.ONGOING, self.Status.EXTENDED)

    @property
    def awaits_reply(self) -> bool:
        """The report reached the government and its 批复 is not recorded yet."""
        return self.report_received_on is not None and self.replied_on is None

    def closing_refusal(self) -> Refusal | None:
        """Why the loop cannot close now (no measures, or some not done), or None (one query)."""
        counts = self.measures.aggregate(
            total=Count("pk"), open=Count("pk", filter=Q(status=PreventiveMeasure.Status.OPEN))
        )
        return _refusal(rules.check_closable, counts["total"], counts["open"])


class Responsibility(models.Model):
    """A unit or person the investigation found responsible, with the recommended handling."""

    class Party(models.TextChoices):
        UNIT = "unit", _("单位")
        PERSON = "person", _("个人")

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("事故调查"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    party = models.CharField(_("责任主体类型"), max_length=10, choices=Party.choices)
    name = models.CharField(_("名称或姓名"), max_length=120)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("对应生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accident_responsibilities",
    )
    position = models.CharField(_("单位类型或职务"), max_length=120, blank=True)
    finding = models.TextField(_("责任认定"))
    recommended_handling = models.TextField(_("处理建议"))
    is_dishonesty_candidate = models.BooleanField(_("严重失信主体名单候选"), default=False, editable=False)
    candidate_basis = models.CharField(_("列入依据"), max_length=300, blank=True, editable=False)
    # 安全生产法 第一百一十四条 (the unit) and 第九十五条 (its 主要负责人): the fine proposed, in 万元.
    aggravated = models.BooleanField(_("情节特别严重、影响特别恶劣"), default=False)
    is_principal = models.BooleanField(_("事故发生单位主要负责人"), default=False)
    last_year_income_wan = models.DecimalField(
        _("上一年年收入（万元）"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    fine_percent = models.PositiveSmallIntegerField(_("罚款比例（%）"), null=True, blank=True, editable=False)
    fine_wan = models.DecimalField(
        _("罚款金额（万元）"),
        max_digits=14,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    objects = ScopedQuerySet.as_manager()
    scope = _scope("investigation__accident__")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任认定")
        verbose_name_plural = _("责任认定")
        ordering = ["investigation", "party", "pk"]

    def __str__(self) -> str:
        return self.name


class PreventiveMeasure(models.Model):
    """A preventive or rectification measure from the investigation report, tracked until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("未完成")
        DONE = "done", _("已完成")

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("事故调查"), on_delete=models.CASCADE, related_name="measures"
    )
    description = models.TextField(_("防范和整改措施"))
    responsible_party = models.CharField(_("责任单位"), max_length=120)
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True, editable=False)
    completion_note = models.TextField(_("完成情况"), blank=True, editable=False)
    objects = ScopedQuerySet.as_manager()
    scope = _scope("investigation__accident__")
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "complete",
            frozenset({Status.OPEN}),
            Status.DONE,
            "accidents.manage_investigation",
            _("完成"),
            guards=(
                lambda measure, user: _refusal(
                    rules.check_open_investigation, measure.investigation.is_closed
                ),
            ),
            form="anlan.accidents.forms.CompleteMeasureForm",
            style="success",
        ),
    )

    class Meta:
        verbose_name = _("防范整改措施")
        verbose_name_plural = _("防范整改措施")
        ordering = ["investigation", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class MinorEvent(models.Model):
    """未遂事件 and 轻微事故: below the 493 threshold, recorded for the 1:29:300 pyramid."""

    class Kind(models.TextChoices):
        NEAR_MISS = "near_miss", _("未遂事件")
        MINOR = "minor", _("轻微事故")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    region = models.ForeignKey(
        Region, verbose_name=_("发生地区划"), on_delete=models.PROTECT, related_name="minor_events"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minor_events",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业领域"), on_delete=models.PROTECT, related_name="minor_events"
    )
    minor_injuries = models.PositiveIntegerField(_("轻伤人数"), default=0, validators=PEOPLE)
    description = models.TextField(_("经过"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    objects = ScopedQuerySet.as_manager()
    scope = _scope("")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("未遂事件和轻微事故")
        verbose_name_plural = _("未遂事件和轻微事故")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["region", "occurred_at"], name="minor_event_region_occurred")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class NearMissIncident(models.Model):
    """较大涉险事故 (原安监总局令第21号 第二十六条): no or few casualties, but people or key sites were at risk;
    reported like an accident within 1 hour, graded `relatively_major_near_miss`, counted apart from accidents."""

    title = models.CharField(_("事件名称"), max_length=200)
    occurred_at = models.DateTimeField(_("发生时间"))
    head_notified_at = models.DateTimeField(_("单位负责人接报时间"), null=True, blank=True)
    place = models.CharField(_("事件地点"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("发生地区划"), on_delete=models.PROTECT, related_name="near_miss_incidents"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("事件单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="near_miss_incidents",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业领域"), on_delete=models.PROTECT, related_name="near_miss_incidents"
    )
    people_at_risk = models.PositiveIntegerField(_("涉险人数"), default=0, validators=PEOPLE)
    trapped_or_missing = models.PositiveIntegerField(_("被困或下落不明人数"), default=0, validators=PEOPLE)
    evacuated = models.PositiveIntegerField(
        _("紧急疏散人数"), default=0, validators=[MaxValueValidator(10**7)]
    )
    threatens_key_site = models.BooleanField(_("危及重要场所和设施"), default=False)
    serious_pollution = models.BooleanField(_("严重污染水源、耕地、河流等"), default=False)
    grade = models.CharField(
        _("等级"), max_length=30, default=rules.RELATIVELY_MAJOR_NEAR_MISS, editable=False
    )
    description = models.TextField(_("事件简要经过"))
    measures_taken = models.TextField(_("已采取的措施"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人账号"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_name = models.CharField(_("报告人"), max_length=50)
    reporter_phone = models.CharField(_("联系电话"), max_length=30)
    reported_at = models.DateTimeField(_("报告接收时间"), default=timezone.now, editable=False)
    due_at = models.DateTimeField(_("应报时限"), editable=False)
    is_late = models.BooleanField(_("迟报"), default=False, editable=False)
    objects = ScopedQuerySet.as_manager()
    scope = _scope("")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("较大涉险事故")
        verbose_name_plural = _("较大涉险事故")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["region", "occurred_at"], name="near_miss_region_occurred")]

    def __str__(self) -> str:
        return self.title


class RegionEconomy(models.Model):
    """A region's GDP, 工矿商贸 employment, motor vehicles and raw coal output for one year, the denominators of
    the relative indicators (regulations.md §11); vehicles and coal are optional (a region may have no mine)."""

    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="economy_figures"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    gdp_yi = models.DecimalField(
        _("地区生产总值（亿元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    industrial_employment = models.PositiveIntegerField(
        _("工矿商贸就业人员数"), validators=[MinValueValidator(1)]
    )
    motor_vehicles = models.PositiveIntegerField(
        _("机动车保有量（辆）"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    raw_coal_wan_tonnes = models.DecimalField(
        _("原煤产量（万吨）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("地区经济指标")
        verbose_name_plural = _("地区经济指标")
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="region_economy_year_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


# Importable names of the nested choice sets (for drf-spectacular's ENUM_NAME_OVERRIDES in settings).
ReportKind = AccidentReport.Kind
InjurySeverity = InjuredPerson.Severity
FindingKind = ReportingFinding.Kind
InvestigationStatus = Investigation.Status
MeasureStatus = PreventiveMeasure.Status
