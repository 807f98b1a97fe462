"""双重预防 risk register (安全风险分级管控, regulations.md §5): an enterprise's risk points (风险点: equipment,
work activities, places) placed on its site plan, each point's assessments (LEC or LS; the latest is current,
the older ones kept), the control measures at their control level (管控层级) and the hazard checks (检查项) that
test each control. The county's LS cut-off variant is a setting of the county (`GradingSettings`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Region
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .. import rules


class Level(models.TextChoices):
    """风险等级 (§5) with its colour as rules.COLOURS gives it."""

    MAJOR = rules.MAJOR, _("重大风险")
    SIGNIFICANT = rules.SIGNIFICANT, _("较大风险")
    GENERAL = rules.GENERAL, _("一般风险")
    LOW = rules.LOW, _("低风险")


class ControlLevel(models.TextChoices):
    """管控层级 (§5)."""

    COMPANY = rules.COMPANY, _("公司级")
    WORKSHOP = rules.WORKSHOP, _("部门（车间）级")
    TEAM = rules.TEAM, _("班组级")
    POST = rules.POST, _("岗位级")


class GradingSettings(models.Model):
    """风险分级设置 of a county: which LS (风险矩阵) cut-offs its enterprises' assessments use (§5: no national
    standard; variant A by default). Kept by the county's 安委办/应急管理局."""

    class Variant(models.TextChoices):
        A = "A", _("A：20–25 红，9–16 橙，4–8 黄，1–3 蓝")
        B = "B", _("B：20–25 红，10–16 橙，4–9 黄，1–3 蓝")
        C = "C", _("C：20–25 红，15–16 橙，9–12 黄，1–8 蓝（山东 DB37/T 2882，未核实）")

    region = models.OneToOneField(
        Region, verbose_name=_("县级区划"), on_delete=models.PROTECT, related_name="+"
    )
    ls_variant = models.CharField(
        _("风险矩阵分级标准"), max_length=1, choices=Variant.choices, default=rules.LS_DEFAULT_VARIANT
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("风险分级设置")
        verbose_name_plural = _("风险分级设置")

    def __str__(self) -> str:
        return f"{self.region} · {self.ls_variant}"


def _plan_path(instance, filename: str) -> str:
    return f"risk/plans/{instance.enterprise_id}/{filename}"


class SitePlan(models.Model):
    """厂区平面图: the picture the four-colour risk map (安全风险空间分布图) is drawn on; one per enterprise."""

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.CASCADE, related_name="+"
    )
    image = models.FileField(_("平面图"), upload_to=_plan_path, max_length=200)
    width = models.PositiveIntegerField(_("宽度（像素）"))
    height = models.PositiveIntegerField(_("高度（像素）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("厂区平面图")
        verbose_name_plural = _("厂区平面图")

    def __str__(self) -> str:
        return str(self.enterprise)


class RiskPoint(models.Model):
    """风险点 (设备设施, 作业活动 or 场所区域) of an enterprise. `level`, `score` and `assessed_on` copy its latest
    assessment (empty until the first), so lists, filters and the enterprise's highest level read one table."""

    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("设备设施")
        ACTIVITY = "activity", _("作业活动")
        AREA = "area", _("场所区域")

    class AccidentType(models.TextChoices):
        """GB 6441-1986 《企业职工伤亡事故分类》 (regulations.md §10)."""

        STRUCK_BY_OBJECT = "01", _("物体打击")
        VEHICLE = "02", _("车辆伤害")
        MACHINERY = "03", _("机械伤害")
        LIFTING = "04", _("起重伤害")
        ELECTRIC_SHOCK = "05", _("触电")
        DROWNING = "06", _("淹溺")
        BURN = "07", _("灼烫")
        FIRE = "08", _("火灾")
        FALL = "09", _("高处坠落")
        COLLAPSE = "10", _("坍塌")
        ROOF_FALL = "11", _("冒顶片帮")
        FLOODING = "12", _("透水")
        BLASTING = "13", _("放炮")
        GUNPOWDER = "14", _("火药爆炸")
        GAS_EXPLOSION = "15", _("瓦斯爆炸")
        BOILER = "16", _("锅炉爆炸")
        VESSEL = "17", _("容器爆炸")
        OTHER_EXPLOSION = "18", _("其他爆炸")
        POISONING = "19", _("中毒和窒息")
        OTHER = "20", _("其他伤害")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("风险点名称"), max_length=100)
    kind = models.CharField(_("风险点类型"), max_length=20, choices=Kind.choices)
    location = models.CharField(_("所在区域或位置"), max_length=100, blank=True)
    x = models.DecimalField(_("平面图横向位置"), max_digits=5, decimal_places=4, null=True, blank=True)
    y = models.DecimalField(_("平面图纵向位置"), max_digits=5, decimal_places=4, null=True, blank=True)
    hazard_factors = models.TextField(_("危险有害因素"))
    accident_types = models.CharField(
        _("可能导致的事故类型"), max_length=100, blank=True, help_text=_("GB 6441 代码，以逗号分隔")
    )
    level = models.CharField(_("风险等级"), max_length=20, choices=Level.choices, blank=True)
    score = models.DecimalField(_("风险值"), max_digits=8, decimal_places=2, null=True, blank=True)
    assessed_on = models.DateField(_("最近评价日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["enterprise_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="risk_point_name_per_enterprise"),
        ]
        indexes = [models.Index(fields=["enterprise", "level"], name="risk_point_enterprise_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def colour(self) -> str:
        return rules.COLOURS.get(self.level, "")

    @property
    def accident_type_codes(self) -> list[str]:
        return [code for code in self.accident_types.split(",") if code]

    def accident_type_labels(self) -> list[str]:
        labels = dict(self.AccidentType.choices)
        return [str(labels.get(code, code)) for code in self.accident_type_codes]

    @property
    def is_placed(self) -> bool:
        return self.x is not None and self.y is not None


class RiskAssessment(models.Model):
    """风险评价 of a point: by LEC (D = L × E × C) or LS (R = L × S, with the county's variant); never edited —
    a new assessment replaces the current one and the older ones stay as the point's history."""

    class Method(models.TextChoices):
        LEC = "lec", _("作业条件危险性分析法（LEC）")
        LS = "ls", _("风险矩阵法（LS）")

    point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="assessments"
    )
    method = models.CharField(_("评价方法"), max_length=3, choices=Method.choices)
    likelihood = models.DecimalField(_("可能性 L"), max_digits=4, decimal_places=1)
    exposure = models.DecimalField(_("暴露频繁程度 E"), max_digits=4, decimal_places=1, null=True, blank=True)
    consequence = models.DecimalField(_("后果 C"), max_digits=4, decimal_places=0, null=True, blank=True)
    severity = models.PositiveSmallIntegerField(_("严重性 S"), null=True, blank=True)
    variant = models.CharField(_("风险矩阵分级标准"), max_length=1, blank=True)
    score = models.DecimalField(_("风险值 D/R"), max_digits=8, decimal_places=2)
    band = models.CharField(_("危险程度"), max_length=20, blank=True)
    level = models.CharField(_("风险等级"), max_length=20, choices=Level.choices)
    assessed_on = models.DateField(_("评价日期"))
    # Who recorded it in Anlan (empty for assessments carried over from the enterprise's paper register).
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("point__enterprise")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("风险评价")
        verbose_name_plural = _("风险评价")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["point", "assessed_on"], name="risk_assessment_point")]

    def __str__(self) -> str:
        return f"{self.point} · {self.assessed_on}"

    @property
    def colour(self) -> str:
        return rules.COLOURS.get(self.level, "")

    @property
    def inputs(self) -> str:
        plain = rules.plain
        if self.method == self.Method.LEC:
            return f"L={plain(self.likelihood)} E={plain(self.exposure)} C={plain(self.consequence)}"
        return f"L={plain(self.likelihood)} S={self.severity}（{self.variant}）"


class ControlMeasure(models.Model):
    """管控措施 of a point, with the level that controls it (管控层级) and who answers for it."""

    class Kind(models.TextChoices):
        ENGINEERING = "engineering", _("工程技术措施")
        MANAGEMENT = "management", _("管理措施")
        TRAINING = "training", _("培训教育措施")
        PROTECTION = "protection", _("个体防护措施")
        EMERGENCY = "emergency", _("应急处置措施")

    point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="controls"
    )
    content = models.TextField(_("管控措施"))
    kind = models.CharField(_("措施类型"), max_length=20, choices=Kind.choices)
    control_level = models.CharField(_("管控层级"), max_length=20, choices=ControlLevel.choices)
    responsible = models.CharField(_("责任人"), max_length=50)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("point__enterprise")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("管控措施")
        verbose_name_plural = _("管控措施")
        ordering = ["point_id", "pk"]

    def __str__(self) -> str:
        return self.content[:40]


class HazardCheck(models.Model):
    """隐患排查项 (检查项): what is checked, how often, to find out whether a control is working."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("每日")
        WEEKLY = "weekly", _("每周")
        MONTHLY = "monthly", _("每月")

    control = models.ForeignKey(
        ControlMeasure, verbose_name=_("管控措施"), on_delete=models.CASCADE, related_name="checks"
    )
    content = models.CharField(_("排查内容"), max_length=200)
    frequency = models.CharField(_("排查频次"), max_length=10, choices=Frequency.choices)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("control__point__enterprise")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("排查项")
        verbose_name_plural = _("排查项")
        ordering = ["control_id", "pk"]

    def __str__(self) -> str:
        return self.content
