"""Forms of materials: a warehouse, an item, a movement, a maintenance, and the nearest-items search."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from anlan.core.filters import ScopedFilterSet
from anlan.core.forms import BootstrapMixin

from .. import rules
from ..models import MaterialItem, StockMovement, Warehouse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WarehouseForm(BootstrapMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("管理单位"), queryset=None)
    name = forms.CharField(label=_("仓库名称"), max_length=120)
    kind = forms.ChoiceField(label=_("储备类型"), choices=Warehouse.Kind.choices)
    address = forms.CharField(label=_("地址"), max_length=200)
    longitude = forms.DecimalField(
        label=_("经度"), max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    latitude = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    keeper = forms.CharField(label=_("保管人"), max_length=50)
    keeper_phone = forms.CharField(label=_("保管人电话"), max_length=30)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ItemForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("物资类别"), choices=rules.MATERIAL_CATEGORIES)
    name = forms.CharField(label=_("物资名称"), max_length=100)
    specification = forms.CharField(label=_("规格型号"), max_length=100, required=False)
    unit = forms.CharField(label=_("计量单位"), max_length=10, help_text=_("件、台、套、顶、吨……"))
    opening_quantity = forms.DecimalField(label=_("期初数量"), min_value=0, decimal_places=2, required=False)
    minimum_stock = forms.DecimalField(label=_("最低储备量"), min_value=0, decimal_places=2, initial=0)
    expires_on = forms.DateField(label=_("有效期至"), widget=DATE, required=False)
    maintenance_interval_days = forms.IntegerField(label=_("维护保养周期（天）"), min_value=1, required=False)
    maintenance_due_on = forms.DateField(label=_("下次维护保养日期"), widget=DATE, required=False)


class MoveForm(BootstrapMixin, forms.Form):
    direction = forms.ChoiceField(label=_("类型"), choices=StockMovement.Direction.choices)
    amount = forms.DecimalField(label=_("数量"), min_value=0, decimal_places=2)
    reason = forms.ChoiceField(label=_("原因"), choices=StockMovement.Reason.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class MaintainForm(BootstrapMixin, forms.Form):
    done_on = forms.DateField(label=_("保养日期"), widget=DATE)


class NearestForm(BootstrapMixin, forms.Form):
    longitude = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
    latitude = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)
    category = forms.ChoiceField(
        label=_("物资类别"), choices=[("", _("全部")), *rules.MATERIAL_CATEGORIES], required=False
    )
    name = forms.CharField(label=_("物资名称"), max_length=50, required=False)
    n = forms.IntegerField(label=_("数量"), min_value=1, max_value=50, initial=10)


class WarehouseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("仓库名称或地址"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("储备类型"), choices=Warehouse.Kind.choices)

    class Meta:
        model = Warehouse
        fields = ["q", "kind"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class ItemFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("物资名称"), field_name="name", lookup_expr="icontains")
    category = django_filters.ChoiceFilter(label=_("物资类别"), choices=rules.MATERIAL_CATEGORIES)

    class Meta:
        model = MaterialItem
        fields = ["q", "category"]
