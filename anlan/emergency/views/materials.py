"""Pages of materials: warehouses and their items, movements and maintenance, alerts, the nearest items to a
point, and the XLSX ledger."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anlan.core import entry, exporting
from anlan.core.exports import CHUNK, NUMBER, WRAP, Column, Ledger, filter_request
from anlan.core.models import Unit
from anlan.core.paging import filtered
from anlan.core.permissions import has_right
from anlan.core.units import acts_for

from .. import rules
from ..forms import materials as forms
from ..models import MaterialItem
from ..selectors import materials as selectors
from ..selectors.duty import own_units
from ..services import materials as services

MANAGE = services.MANAGE
EXPORT = "emergency.export_materials"


def _crumbs(*items):
    return entry.crumbs((_("应急物资"), reverse("emergency:material-warehouse-list")), *items)


def _keeps(user, unit) -> bool:
    return acts_for(user, unit, MANAGE)


@login_required
def warehouse_list(request):
    return entry.list_page(
        request,
        queryset=selectors.warehouse_list(request.user),
        filterset_class=forms.WarehouseFilter,
        template="emergency/materials/warehouse_list.html",
        fragment="emergency/materials/_warehouse_table.html",
        context={
            "can_manage": has_right(request.user, MANAGE),
            "can_export": has_right(request.user, EXPORT),
            "breadcrumbs": entry.crumbs((_("应急物资"), "")),
        },
    )


@login_required
def warehouse_form(request, pk=None):
    user = request.user
    warehouse = selectors.access_warehouse(user, pk) if pk is not None else None  # out of scope: 404 first
    if not has_right(user, MANAGE):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    owners = Unit.objects.filter(pk__in=[u.pk for u in own_units(user)])
    initial = {}
    if warehouse is not None:
        if not _keeps(user, warehouse.owner):
            raise PermissionDenied(_("只有仓库管理单位可以办理此事项。"))
        initial = {
            f: getattr(warehouse, f)
            for f in ("name", "kind", "address", "latitude", "longitude", "keeper", "keeper_phone")
        }
        initial["owner"] = warehouse.owner_id
    form = forms.WarehouseForm(request.POST or None, owners=owners, initial=initial)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.save_warehouse(actor=user, data=data, warehouse_pk=pk),
        success_url=lambda w: reverse("emergency:material-warehouse-detail", args=[w.pk]),
        template="core/simple_form.html",
        context={
            "title": _("登记物资仓库") if pk is None else _("修改仓库信息"),
            "cancel_url": reverse("emergency:material-warehouse-list"),
            "breadcrumbs": _crumbs((_("登记物资仓库"), "")),
        },
        message=_("仓库已保存。"),
    )


@login_required
def warehouse_detail(request, pk):
    warehouse = selectors.access_warehouse(request.user, pk)
    return render(
        request,
        "emergency/materials/warehouse_detail.html",
        {
            "warehouse": warehouse,
            "items": warehouse.items.order_by("category", "name"),
            "keeps": _keeps(request.user, warehouse.owner),
            "breadcrumbs": _crumbs((warehouse.name, "")),
        },
    )


@login_required
def item_create(request, pk):
    user = request.user
    warehouse = selectors.access_warehouse(user, pk)
    if not _keeps(user, warehouse.owner):
        raise PermissionDenied(_("只有仓库管理单位可以办理此事项。"))
    form = forms.ItemForm(request.POST or None)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.save_item(actor=user, data=data, warehouse_pk=warehouse.pk),
        success_url=lambda item: reverse("emergency:material-item-detail", args=[item.pk]),
        template="core/simple_form.html",
        context={
            "title": _("登记物资：%(warehouse)s") % {"warehouse": warehouse.name},
            "cancel_url": reverse("emergency:material-warehouse-detail", args=[warehouse.pk]),
            "breadcrumbs": _crumbs(
                (warehouse.name, reverse("emergency:material-warehouse-detail", args=[warehouse.pk])),
                (_("登记物资"), ""),
            ),
        },
        message=_("物资已登记。"),
    )


@login_required
def item_detail(request, pk):
    user = request.user
    item = selectors.access_item(user, pk)
    return render(
        request,
        "emergency/materials/item_detail.html",
        {
            "item": item,
            "movements": selectors.movements(item),
            "keeps": _keeps(user, item.owner),
            "move_form": forms.MoveForm(),
            "maintain_form": forms.MaintainForm(initial={"done_on": timezone.localdate()}),
            "breadcrumbs": _crumbs(
                (
                    item.warehouse.name,
                    reverse("emergency:material-warehouse-detail", args=[item.warehouse_id]),
                ),
                (item.name, ""),
            ),
        },
    )


@login_required
@require_POST
def item_move(request, pk):
    item = selectors.access_item(request.user, pk)
    return entry.post_action(
        request,
        form=forms.MoveForm(request.POST),
        call=lambda data: services.move_stock(actor=request.user, item_pk=item.pk, **data),
        back=reverse("emergency:material-item-detail", args=[item.pk]),
        message=_("出入库已登记。"),
    )


@login_required
@require_POST
def item_maintain(request, pk):
    item = selectors.access_item(request.user, pk)
    return entry.post_action(
        request,
        form=forms.MaintainForm(request.POST),
        call=lambda data: services.record_maintenance(
            actor=request.user, item_pk=item.pk, done_on=data["done_on"]
        ),
        back=reverse("emergency:material-item-detail", args=[item.pk]),
        message=_("维护保养已登记。"),
    )


@login_required
def alerts(request):
    condition = request.GET.get("condition", "")
    rows, counts = selectors.alerts(request.user, timezone.localdate(), condition)
    from django.core.paginator import Paginator

    return render(
        request,
        "emergency/materials/alerts.html",
        {
            "page": Paginator(rows.order_by("warehouse__name", "name", "pk"), 30).get_page(
                request.GET.get("page")
            ),
            "query": f"condition={condition}" if condition else "",
            "counts": [(key, label, counts[key]) for key, label in selectors.ALERT_LABELS.items()],
            "condition": condition,
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs((_("物资预警"), "")),
        },
    )


@login_required
def nearest(request):
    """就近调用: the nearest N items (of a category or name) to a point, with distances."""
    form = forms.NearestForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        found = selectors.nearest(
            request.user,
            latitude=data["latitude"],
            longitude=data["longitude"],
            n=data["n"],
            category=data["category"],
            name=data["name"],
        )
    return render(
        request,
        "emergency/materials/nearest.html",
        {"form": form, "found": found, "breadcrumbs": _crumbs((_("就近查找物资"), ""))},
    )


COLUMNS = [
    Column(gettext_lazy("仓库"), 24, WRAP),
    Column(gettext_lazy("物资类别"), 10),
    Column(gettext_lazy("物资名称"), 20, WRAP),
    Column(gettext_lazy("规格型号"), 14),
    Column(gettext_lazy("计量单位"), 4),
    Column(gettext_lazy("数量"), 8, NUMBER),
    Column(gettext_lazy("最低储备量"), 8, NUMBER),
    Column(gettext_lazy("有效期至"), 10),
    Column(gettext_lazy("下次维护保养"), 10),
]


def _rows(queryset):
    categories = dict(rules.MATERIAL_CATEGORIES)
    fields = ("warehouse__name", "category", "name", "specification", "unit", "quantity", "minimum_stock")
    for row in queryset.values_list(*fields, "expires_on", "maintenance_due_on").iterator(chunk_size=CHUNK):
        warehouse, category, name, spec, unit, quantity, minimum, expires, due = row
        yield [
            warehouse,
            str(categories.get(category, category)),
            name,
            spec,
            unit,
            float(quantity),
            float(minimum),
            expires.isoformat() if expires else "",
            due.isoformat() if due else "",
        ]


def material_ledger(user, params) -> Ledger:
    """The material ledger (应急物资台账) the user may export, filtered as the item list."""
    queryset = MaterialItem.objects.for_user(user, EXPORT).order_by(
        "warehouse__name", "category", "name", "pk"
    )
    filterset = forms.ItemFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="emergency-materials",
        sheet_title=_("应急物资台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=_rows,
        user=user,
        filterset=filterset,
    )


@login_required
def material_export(request):
    return exporting.export(request, "emergency_materials")


def alerts_url(user) -> str:
    return reverse("emergency:material-alerts")
