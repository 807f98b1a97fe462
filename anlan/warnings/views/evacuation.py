"""Pages of the evacuation part: the towns' 转移避险 (list), a warning's evacuation with its 应转必转 rate and the
households still to move, a town's households, adding one, and the steps of a household (moved, returned,
undone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anlan.core import audit, entry, exporting
from anlan.core.errors import DomainError
from anlan.core.exports import Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require
from anlan.core.rules import mask_phone

from .. import rules
from ..forms import evacuation as forms
from ..models import Household
from ..selectors import evacuation as selectors
from ..selectors.warnings import access_warning
from ..services import evacuation as services

EVACUATE = services.EVACUATE
EXPORT = "warnings.export"


def _crumb():
    return (_("转移避险"), reverse("warnings:evacuation-list"))


def evacuations_url(user) -> str:
    return reverse("warnings:evacuation-list") + "?state=open"


@login_required
@require_GET
def evacuation_list(request):
    """转移避险: each town's evacuation for each warning, with people to move, moved and the rate."""
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.evacuation_list(user).order_by("-warning__issued_at", "town_id", "pk"),
        filterset_class=forms.EvacuationFilter,
        template="warnings/evacuation/list.html",
        fragment="warnings/evacuation/_table.html",
        context={
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs((_("转移避险"), "")),
        },
    )


@login_required
@require_GET
def evacuation_board(request, warning_pk):
    """One warning's 转移避险 within the user's scope: the rate, the towns, and the households still to move."""
    user = request.user
    warning = access_warning(user, warning_pk)
    towns = selectors.with_rates(selectors.evacuation_list(user).filter(warning=warning).order_by("town_id"))
    return render(
        request,
        "warnings/evacuation/board.html",
        {
            "warning": warning,
            "totals": selectors.scoped_totals(user, warning),
            "towns": towns,
            "unmoved": selectors.unmoved(user, warning)[:200],
            "can_open": has_right(user, EVACUATE) and warning.status == rules.ISSUED,
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs(_crumb(), (warning.title, "")),
        },
    )


@login_required
@require_POST
def evacuation_open(request, warning_pk):
    user = request.user
    warning = access_warning(user, warning_pk)
    back = reverse("warnings:evacuation-board", args=[warning.pk])
    try:
        opened = services.open_evacuations(actor=user, warning_pk=warning.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已启动转移避险：%(n)d 个乡镇（街道）。") % {"n": len(opened)})
    return redirect(back)


@login_required
@require_GET
def evacuation_detail(request, pk):
    """A town's households for a warning, each with the steps the user may take."""
    user = request.user
    evacuation = selectors.access_evacuation(user, pk)
    may = can(user, EVACUATE, evacuation)
    return render(
        request,
        "warnings/evacuation/detail.html",
        {
            "evacuation": evacuation,
            "warning": evacuation.warning,
            "totals": selectors.totals(selectors.households(user, evacuation)),
            "households": selectors.households(user, evacuation),
            "show_phones": may,
            "can_add": may and evacuation.warning.status == rules.ISSUED,
            "household_form": forms.HouseholdForm(),
            "timeline": audit.timeline(evacuation),
            "breadcrumbs": entry.crumbs(
                _crumb(),
                (
                    evacuation.warning.title,
                    reverse("warnings:evacuation-board", args=[evacuation.warning_id]),
                ),
                (evacuation.town.name, ""),
            ),
        },
    )


@login_required
@require_POST
def household_add(request, pk):
    user = request.user
    evacuation = selectors.access_evacuation(user, pk)
    return entry.post_action(
        request,
        form=forms.HouseholdForm(request.POST),
        call=lambda data: services.add_household(actor=user, evacuation_pk=evacuation.pk, data=data),
        back=reverse("warnings:evacuation-detail", args=[pk]),
        message=_("已增加转移户。"),
        invalid=_("请填写户主姓名和人数（至少 1 人）。"),
    )


def _detail_url(household) -> str:
    return reverse("warnings:evacuation-detail", args=[household.evacuation_id])


@login_required
@require_http_methods(["GET", "POST"])
def household_move(request, pk):
    """登记已转移 — works on a phone: when and where the household stays."""
    user = request.user
    household = selectors.access_household(user, pk)
    step = next(t for t in Household.TRANSITIONS if t.name == "move")
    require(user, step.right, household)
    back = _detail_url(household)
    if household.status not in step.sources:
        messages.error(request, _("该户当前状态为“%(s)s”。") % {"s": household.get_status_display()})
        return redirect(back)
    title = f"{step.label} · {household.label}"
    return entry.form_page(
        request,
        form=forms.MoveForm(request.POST or None, user=user),
        call=lambda data: services.move(actor=user, household_pk=household.pk, data=data),
        success_url=back,
        template="warnings/evacuation/move.html",
        context={
            "household": household,
            "title": title,
            "cancel_url": back,
            "breadcrumbs": entry.crumbs(_crumb(), (household.evacuation.town.name, back), (title, "")),
        },
        message=step.label,
    )


household_step = entry.transition_view(
    access=selectors.access_household,
    table=[t for t in Household.TRANSITIONS if t.name != "move"],
    perform=services.perform,
    detail_url=_detail_url,
)


# ---------------------------------------------------------------- the ledger


@login_required
@require_GET
def evacuation_export(request):
    return exporting.export(request, "warning_households")


COLUMNS = [
    Column(_("乡镇（街道）"), 14),
    Column(_("预警"), 28),
    Column(_("户主"), 24),
    Column(_("来自隐患点"), 20),
    Column(_("户数"), 8),
    Column(_("人数"), 8),
    Column(_("联系电话"), 14),
    Column(_("状态"), 8),
    Column(_("安置方式"), 10),
    Column(_("安置地点"), 24),
    Column(_("转移时间"), 16),
    Column(_("返回时间"), 16),
]


def _at(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _rows(user):
    def rows(queryset):
        statuses, kinds = dict(rules.HOUSEHOLD_STATUSES), dict(rules.SHELTER_KINDS)
        phones = has_right(user, EVACUATE)
        for h in queryset.iterator(chunk_size=500):
            yield [
                h.evacuation.town.name,
                h.evacuation.warning.title,
                h.label,
                h.point.name if h.point_id else "",
                h.households,
                h.people,
                h.phone if phones else mask_phone(h.phone),
                str(statuses.get(h.status, h.status)),
                str(kinds.get(h.shelter_kind, "")),
                " · ".join(part for part in (h.shelter.name if h.shelter_id else "", h.shelter_note) if part),
                _at(h.moved_at),
                _at(h.returned_at),
            ]

    return rows


def ledger(user, params) -> Ledger:
    """转移避险台账: the households in the user's scope, filtered (a warning, a status, a name)."""
    queryset = (
        Household.objects.for_user(user)
        .select_related("evacuation__town", "evacuation__warning", "point", "shelter")
        .order_by("evacuation__warning_id", "evacuation__town_id", "status", "pk")
    )
    filterset = forms.HouseholdFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="warning_households",
        sheet_title=_("转移避险台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=_rows(user),
        user=user,
        filterset=filterset,
    )
