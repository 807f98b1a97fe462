"""应急物资: warehouses with coordinates, the items they hold, and every stock movement with its reason."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Region, Unit
from anlan.core.scope import ScopedQuerySet, ScopeSpec

from .. import rules

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]
AMOUNT = {"max_digits": 14, "decimal_places": 2}


class Warehouse(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府储备")
        ENTERPRISE = "enterprise", _("企业储备/代储")
        SOCIAL = "social", _("社会储备")

    owner = models.ForeignKey(Unit, verbose_name=_("管理单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("仓库名称"), max_length=120)
    kind = models.CharField(_("储备类型"), max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    address = models.CharField(_("地址"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, validators=LATITUDE)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, validators=LONGITUDE)
    keeper = models.CharField(_("保管人"), max_length=50)
    keeper_phone = models.CharField(_("保管人电话"), max_length=30)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="owner")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("物资仓库")
        verbose_name_plural = _("物资仓库")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class MaterialItem(models.Model):
    """One kind of item in one warehouse. Its point and region are the warehouse's, copied so that "the nearest
    N" is one indexed query on this table."""

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("仓库"), on_delete=models.PROTECT, related_name="items"
    )
    owner = models.ForeignKey(Unit, verbose_name=_("管理单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    category = models.CharField(_("物资类别"), max_length=20, choices=rules.MATERIAL_CATEGORIES)
    name = models.CharField(_("物资名称"), max_length=100)
    specification = models.CharField(_("规格型号"), max_length=100, blank=True)
    unit = models.CharField(_("计量单位"), max_length=10)
    quantity = models.DecimalField(_("数量"), **AMOUNT, default=0, validators=[MinValueValidator(0)])
    minimum_stock = models.DecimalField(
        _("最低储备量"), **AMOUNT, default=0, validators=[MinValueValidator(0)]
    )
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    maintenance_interval_days = models.PositiveIntegerField(_("维护保养周期（天）"), null=True, blank=True)
    maintenance_due_on = models.DateField(_("下次维护保养日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner_unit="owner")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("应急物资")
        verbose_name_plural = _("应急物资")
        ordering = ["warehouse__name", "category", "name", "id"]
        indexes = [
            models.Index(fields=["category", "latitude", "longitude"], name="material_cat_point"),
            models.Index(fields=["latitude", "longitude"], name="material_point"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="material_quantity_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.warehouse.name}）"


class StockMovement(models.Model):
    class Direction(models.TextChoices):
        IN = "in", _("入库")
        OUT = "out", _("出库")
        ADJUST = "adjust", _("盘点调整")

    class Reason(models.TextChoices):
        PURCHASE = "purchase", _("采购入库")
        DONATION = "donation", _("捐赠入库")
        TRANSFER = "transfer", _("调拨")
        DISASTER = "disaster", _("调用救灾")
        DRILL = "drill", _("演练使用")
        SCRAP = "scrap", _("报废")
        COUNT = "count", _("盘点")

    item = models.ForeignKey(
        MaterialItem, verbose_name=_("物资"), on_delete=models.CASCADE, related_name="movements"
    )
    direction = models.CharField(_("类型"), max_length=10, choices=Direction.choices)
    amount = models.DecimalField(_("数量"), **AMOUNT, validators=[MinValueValidator(0)])
    reason = models.CharField(_("原因"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    quantity_after = models.DecimalField(_("变动后数量"), **AMOUNT)
    moved_at = models.DateTimeField(_("时间"), default=timezone.now)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="item__region", owner_unit="item__owner")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出入库记录")
        verbose_name_plural = _("出入库记录")
        ordering = ["-moved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.amount}"
