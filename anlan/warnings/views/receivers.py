"""Pages of the places' warning receivers (突发事件应对法 第六十五条): the 人员密集场所 in scope, each with the
person named to receive warnings (or none yet, listed first for follow-up), the form to name one, the ledger."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anlan.core import entry, exporting
from anlan.core.exports import Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right
from anlan.core.rules import mask_phone

from ..forms import receivers as forms
from ..selectors import receivers as selectors
from ..services import receivers as services

MANAGE = services.MANAGE
EXPORT = "warnings.export"


def _crumb():
    return (_("人员密集场所预警接收人"), reverse("warnings:receiver-list"))


@login_required
@require_GET
def receiver_list(request):
    user = request.user
    # the places still without a receiver first: they are the follow-up
    rows = selectors.places(user).order_by(
        F("warning_receiver__id").asc(nulls_first=True), "region_id", "name", "pk"
    )
    return entry.list_page(
        request,
        queryset=rows,
        filterset_class=forms.PlaceFilter,
        template="warnings/receivers/list.html",
        fragment="warnings/receivers/_table.html",
        context={
            "can_manage": has_right(user, MANAGE),
            "can_export": has_right(user, EXPORT),
            "missing": selectors.places(user).filter(warning_receiver__isnull=True).count(),
            "breadcrumbs": entry.crumbs((_("人员密集场所预警接收人"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def receiver_edit(request, pk):
    user = request.user
    place = selectors.access_place(user, pk)
    if not can(user, MANAGE, place):
        raise PermissionDenied
    current = getattr(place, "warning_receiver", None)
    initial = {"name": current.name, "phone": current.phone} if current else {}
    form = forms.ReceiverForm(request.POST or None, initial=initial)
    title = _("指定预警信息接收人：%(place)s") % {"place": place.name}
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.set_receiver(
            actor=user, enterprise_pk=place.pk, name=data["name"], phone=data["phone"]
        ),
        success_url=reverse("warnings:receiver-list"),
        template="warnings/receivers/form.html",
        context={
            "title": title,
            "place": place,
            "cancel_url": reverse("warnings:receiver-list"),
            "breadcrumbs": entry.crumbs(_crumb(), (place.name, "")),
        },
        message=_("预警信息接收人已保存。"),
    )


@login_required
@require_GET
def receiver_export(request):
    return exporting.export(request, "warning_receivers")


COLUMNS = [
    Column(_("场所"), 30),
    Column(_("统一社会信用代码"), 22),
    Column(_("所在区划"), 14),
    Column(_("地址"), 30),
    Column(_("预警信息接收人"), 14),
    Column(_("手机号码"), 14),
    Column(_("更新时间"), 16),
]


def _ledger_rows(queryset):
    for place in queryset.iterator(chunk_size=500):
        receiver = getattr(place, "warning_receiver", None)
        phone = receiver.phone if receiver else ""
        yield [
            place.name,
            place.uscc,
            place.region.name,
            place.address,
            receiver.name if receiver else _("未指定"),
            phone if place.contact_visible else mask_phone(phone),
            f"{timezone.localtime(receiver.updated_at):%Y-%m-%d %H:%M}" if receiver else "",
        ]


def ledger(user, params) -> Ledger:
    """人员密集场所预警接收人台账, filtered as the list; phones masked where the user may not see them."""
    queryset = selectors.places(user).order_by("region_id", "name", "pk")
    filterset = forms.PlaceFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="warning_receivers",
        sheet_title=_("人员密集场所预警接收人台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=_ledger_rows,
        user=user,
        filterset=filterset,
    )


@login_required
@require_GET
def receiver_panel(request, pk):
    """The block on a 人员密集场所's enterprise page: who receives its warnings, and the link to change it;
    nothing for other enterprises."""
    user = request.user
    place = selectors.places(user).filter(pk=pk).first()
    if place is None:
        return HttpResponse("")
    return render(
        request,
        "warnings/receivers/_panel.html",
        {
            "place": place,
            "receiver": getattr(place, "warning_receiver", None),
            "can_manage": can(user, MANAGE, place),
        },
    )
