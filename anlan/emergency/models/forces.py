"""应急力量: rescue teams, shelters, the expert library with its consultations, and each town's 四有."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Region, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .. import rules
from .incident import Incident


class RescueTeam(models.Model):
    """救援队伍: a team the county can call on, kept by the town or office of its region (an enterprise's
    专职 team is also seen by that enterprise through its unit)."""

    class Kind(models.TextChoices):
        FIRE_RESCUE = "fire_rescue", _("综合性消防救援队伍")
        PROFESSIONAL = "professional", _("专业应急救援队伍")
        ENTERPRISE = "enterprise", _("企业专职救援队伍")
        SOCIAL = "social", _("社会应急力量")
        TOWN = "town", _("乡镇（街道）应急队伍")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("待命")
        DEPLOYED = "deployed", _("出动中")
        STOOD_DOWN = "stood_down", _("已撤编")

    name = models.CharField(_("队伍名称"), max_length=120)
    kind = models.CharField(_("队伍类别"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    leader = models.CharField(_("队长"), max_length=50)
    leader_phone = models.CharField(_("队长电话"), max_length=30)
    members = models.PositiveIntegerField(_("队员人数"))
    specialties = models.CharField(_("专长"), max_length=200, blank=True, help_text=_("多个专长用顿号分隔"))
    equipment = models.TextField(_("主要装备"), blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", enterprise="unit__enterprise")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("救援队伍")
        verbose_name_plural = _("救援队伍")
        ordering = ["region_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def specialty_list(self) -> list[str]:
        return [tag.strip() for tag in self.specialties.replace(",", "、").split("、") if tag.strip()]


class Shelter(models.Model):
    """避难场所: a place people are moved to (突发事件应对法 第六十七条: 准备避难场所), with its capacity."""

    class Kind(models.TextChoices):
        INDOOR = "indoor", _("室内")
        OUTDOOR = "outdoor", _("室外")

    class Status(models.TextChoices):
        OPEN = "open", _("开放")
        CLOSED = "closed", _("关闭")

    name = models.CharField(_("场所名称"), max_length=120)
    kind = models.CharField(_("场所类型"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    capacity = models.PositiveIntegerField(_("可容纳人数"))
    area_m2 = models.DecimalField(_("面积（平方米）"), max_digits=10, decimal_places=1)
    manager = models.CharField(_("管理人"), max_length=50)
    manager_phone = models.CharField(_("管理人电话"), max_length=30)
    facilities = models.TextField(_("配套设施"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.CLOSED)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("避难场所")
        verbose_name_plural = _("避难场所")
        ordering = ["region_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """专家库: an expert the county office may call to a consultation; `user` is their account, through which
    they see only the consultations they are assigned to."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30)
    employer = models.CharField(_("工作单位"), max_length=120)
    title = models.CharField(_("职称/职务"), max_length=60, blank=True)
    # Codes of rules.EXPERT_SPECIALTIES stored as ",fire,flood," (rules.joined_codes).
    specialties = models.CharField(_("专业领域"), max_length=300)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    is_available = models.BooleanField(_("可参加会诊"), default=True)
    unavailable_until = models.DateField(_("暂不可用至"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    note = models.TextField(_("备注"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家库")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def specialty_codes(self) -> list[str]:
        return rules.split_codes(self.specialties)

    @property
    def specialty_labels(self) -> list[str]:
        return [str(rules.EXPERT_SPECIALTY_LABELS.get(code, code)) for code in self.specialty_codes]

    def available_on(self, today) -> bool:
        return rules.expert_is_available(
            is_available=self.is_available, unavailable_until=self.unavailable_until, today=today
        )


class ExpertConsultation(models.Model):
    """专家会诊: a question the county office puts to experts about a case (an incident, or a hazard or an
    accident named in `reference`); each assigned expert gives an opinion, the requester concludes."""

    class Status(models.TextChoices):
        OPEN = "open", _("会诊中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("会诊事项"), max_length=200)
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("关联突发事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(
        _("关联事项"), max_length=200, blank=True, help_text=_("如隐患编号、事故名称")
    )
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("会诊问题"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    conclusion = models.TextField(_("会诊结论"), blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", expert="assignments__expert__user")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专家会诊")
        verbose_name_plural = _("专家会诊")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ConsultationAssignment(models.Model):
    """An expert called to a consultation, and the opinion that expert alone writes."""

    consultation = models.ForeignKey(
        ExpertConsultation, verbose_name=_("专家会诊"), on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("邀请人"), on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField(_("专家意见"), blank=True)
    opinion_at = models.DateTimeField(_("出具意见时间"), null=True, blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="consultation__region", expert="expert__user")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会诊专家")
        verbose_name_plural = _("会诊专家")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "expert"], name="consultation_expert_once")
        ]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.expert}"


def _evidence_path(instance, filename: str) -> str:
    return f"emergency/capacity/{instance.town_id}/{filename}"


class TownCapacity(models.Model):
    """乡镇应急能力“四有” of one town: for each of 场所/机构/专人/经费 whether it is in place, a description and an
    evidence file (a picture or a PDF). Towns keep their own; the county office reads every town's."""

    town = models.OneToOneField(
        Region, verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="emergency_capacity"
    )
    has_site = models.BooleanField(_("有场所"), default=False)
    site_note = models.TextField(_("场所情况"), blank=True)
    site_evidence = models.FileField(_("场所佐证"), upload_to=_evidence_path, max_length=200, blank=True)
    has_organization = models.BooleanField(_("有机构"), default=False)
    organization_note = models.TextField(_("机构情况"), blank=True)
    organization_evidence = models.FileField(
        _("机构佐证"), upload_to=_evidence_path, max_length=200, blank=True
    )
    has_staff = models.BooleanField(_("有专人"), default=False)
    staff_note = models.TextField(_("专人情况"), blank=True)
    staff_evidence = models.FileField(_("专人佐证"), upload_to=_evidence_path, max_length=200, blank=True)
    has_funding = models.BooleanField(_("有经费"), default=False)
    funding_note = models.TextField(_("经费情况"), blank=True)
    funding_evidence = models.FileField(_("经费佐证"), upload_to=_evidence_path, max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="town")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("乡镇应急能力")
        verbose_name_plural = _("乡镇应急能力")
        ordering = ["town_id"]

    def __str__(self) -> str:
        return str(self.town)

    @property
    def flags(self) -> dict[str, bool]:
        return {code: getattr(self, f"has_{code}") for code, _label in rules.CAPACITY_ITEMS}

    @property
    def is_complete(self) -> bool:
        return rules.capacity_is_complete(self.flags)
