"""Pages of duty: who is on duty now, rosters and shifts, swaps, handover, the duty log, and the offices with
nobody on duty on a day. Each view fetches through a scoped selector and calls one service."""

from __future__ import annotations

from datetime import date

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anlan.core import entry, exporting, units
from anlan.core.errors import DomainError
from anlan.core.exports import CHUNK, DATETIME, WRAP, Column, Ledger, filter_request, local_naive
from anlan.core.filters import ScopedFilterSet, YesNoFilter
from anlan.core.forms import add_domain_error
from anlan.core.models import Unit
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right

from ..forms import duty as forms
from ..models import DutyLogEntry, DutyRoster
from ..selectors import duty as selectors
from ..selectors import response as response_selectors
from ..services import duty as services

MANAGE = services.MANAGE
LOG = services.LOG
EXPORT = "emergency.export_duty_log"


def _crumbs(*items):
    return entry.crumbs((_("应急值守"), reverse("emergency:duty-now")), *items)


@login_required
def now(request):
    """值班在岗: every office in scope keeping a roster this month, with who is on duty now (tel: links)."""
    query = request.GET.get("q", "").strip()
    board = selectors.now_board(request.user, timezone.now(), query=query)
    return render(
        request,
        "emergency/duty/now.html",
        {
            "board": board,
            "q": query,
            "at": timezone.now(),
            "can_manage": has_right(request.user, MANAGE),
            "can_log": has_right(request.user, LOG),
            "breadcrumbs": entry.crumbs((_("应急值守"), "")),
        },
    )


@login_required
def header(request):
    """The header's duty widget (htmx): shown only to people on a published roster."""
    return render(
        request, "emergency/duty/_header_widget.html", {"offices": selectors.header_widget(request.user)}
    )


# ---------------------------------------------------------------- rosters


class RosterFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("值班单位"), field_name="unit__name", lookup_expr="icontains"
    )
    month = django_filters.DateFilter(label=gettext_lazy("月份（该月1日）"), field_name="month")
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=DutyRoster.Status.choices)
    unit = django_filters.NumberFilter(label=gettext_lazy("单位编号"), field_name="unit_id")

    class Meta:
        model = DutyRoster
        fields = ["q", "month", "status", "unit"]


@login_required
def roster_list(request):
    return entry.list_page(
        request,
        queryset=selectors.roster_list(request.user).order_by("-month", "unit__name"),
        filterset_class=RosterFilter,
        template="emergency/duty/roster_list.html",
        fragment="emergency/duty/_roster_table.html",
        context={"can_manage": has_right(request.user, MANAGE), "breadcrumbs": _crumbs((_("值班表"), ""))},
    )


@login_required
def roster_create(request):
    user = request.user
    if not has_right(user, MANAGE):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    form = forms.RosterForm(
        request.POST or None,
        units_queryset=selectors.units_for_roster(user),
        initial={"month": f"{timezone.localdate():%Y-%m}"},
    )
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.create_roster(
            actor=user, unit_pk=data["unit"].pk, month=data["month"], phone=data["phone"]
        ),
        success_url=lambda roster: reverse("emergency:duty-roster-detail", args=[roster.pk]),
        template="core/simple_form.html",
        context={
            "title": _("编制值班表"),
            "cancel_url": reverse("emergency:duty-roster-list"),
            "breadcrumbs": _crumbs(
                (_("值班表"), reverse("emergency:duty-roster-list")), (_("编制值班表"), "")
            ),
        },
        message=_("值班表已建立，请排班后发布。"),
    )


@login_required
def roster_detail(request, pk):
    user = request.user
    roster = selectors.access_roster(user, pk)
    may_manage = can(user, MANAGE, roster) and (
        units.is_member(user, roster.unit) or selectors.oversees(user, roster.unit)
    )
    form = None
    if request.method == "POST" and not may_manage:
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    if may_manage:
        form = forms.ShiftForm(request.POST or None, unit=roster.unit)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.add_shift(actor=user, roster_pk=roster.pk, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return entry.done(request, request.path, _("班次已添加。"))
    shifts = selectors.roster_shifts(roster)
    return render(
        request,
        "emergency/duty/roster_detail.html",
        {
            "roster": roster,
            "shifts": shifts,
            "form": form,
            "may_manage": may_manage,
            "swaps": selectors.pending_swaps(roster),
            "now": timezone.now(),
            "breadcrumbs": _crumbs((_("值班表"), reverse("emergency:duty-roster-list")), (str(roster), "")),
        },
    )


@login_required
def roster_fill(request, pk):
    """排一个月: the remaining days of the month in turns (shifts already there stay)."""
    user = request.user
    roster = selectors.access_roster(user, pk)
    if not (
        can(user, MANAGE, roster)
        and (units.is_member(user, roster.unit) or selectors.oversees(user, roster.unit))
    ):
        raise PermissionDenied(_("只有本单位或其上级安委办、乡镇可以编排值班表。"))
    form = forms.FillMonthForm(request.POST or None, unit=roster.unit)
    detail = reverse("emergency:duty-roster-detail", args=[roster.pk])
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.fill_month(actor=user, roster_pk=roster.pk, data=data),
        success_url=detail,
        template="core/simple_form.html",
        context={
            "title": _("按月排班：%(roster)s") % {"roster": roster},
            "cancel_url": detail,
            "breadcrumbs": _crumbs((str(roster), detail), (_("按月排班"), "")),
        },
        message=_("已按轮值顺序排满本月剩余日期，请核对后发布。"),
    )


@login_required
@require_POST
def roster_publish(request, pk):
    roster = selectors.access_roster(request.user, pk)
    try:
        services.publish_roster(actor=request.user, roster_pk=roster.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("值班表已发布，值班人员已收到通知。"))
    return redirect("emergency:duty-roster-detail", pk=roster.pk)


@login_required
@require_POST
def shift_remove(request, pk):
    shift = selectors.access_shift(request.user, pk)
    try:
        services.remove_shift(actor=request.user, shift_pk=shift.pk, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("班次已删除。"))
    return redirect("emergency:duty-roster-detail", pk=shift.roster_id)


@login_required
def shift_swap(request, pk):
    user = request.user
    shift = selectors.access_shift(user, pk)
    post = "leader" if shift.leader_id == user.pk else "officer"
    form = forms.SwapForm(request.POST or None, unit=shift.unit, initial={"post": post})
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.request_swap(actor=user, shift_pk=shift.pk, data=data),
        success_url=reverse("emergency:duty-roster-detail", args=[shift.roster_id]),
        template="core/simple_form.html",
        context={
            "title": _("申请换班：%(shift)s") % {"shift": shift},
            "cancel_url": reverse("emergency:duty-roster-detail", args=[shift.roster_id]),
            "breadcrumbs": _crumbs(
                (str(shift.roster), reverse("emergency:duty-roster-detail", args=[shift.roster_id])),
                (_("申请换班"), ""),
            ),
        },
        message=_("换班申请已提交，待本单位审批。"),
    )


@login_required
@require_POST
def swap_decide(request, pk):
    swap = selectors.access_swap(request.user, pk)
    approve = request.POST.get("approve") == "1"
    try:
        services.decide_swap(actor=request.user, swap_pk=swap.pk, approve=approve)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已同意换班。") if approve else _("已驳回换班申请。"))
    return redirect("emergency:duty-roster-detail", pk=swap.shift.roster_id)


@login_required
def shift_handover(request, pk):
    user = request.user
    shift = selectors.access_shift(user, pk)
    form = forms.HandoverForm(request.POST or None, initial={"note": shift.handover_note})
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.hand_over(actor=user, shift_pk=shift.pk, note=data["note"]),
        success_url=reverse("emergency:duty-now"),
        template="emergency/duty/handover.html",
        context={
            "shift": shift,
            "previous": selectors.previous_shift(shift),
            "breadcrumbs": _crumbs((_("交接班"), "")),
        },
        message=_("交接班记录已保存，下一班可见。"),
    )


# ---------------------------------------------------------------- the duty log


class LogFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("内容或来电人"), method="filter_q")
    source = django_filters.ChoiceFilter(label=gettext_lazy("来源"), choices=DutyLogEntry.Source.choices)
    confirmed = YesNoFilter(
        label=gettext_lazy("已确认"), field_name="confirmed_at", lookup_expr="isnull", exclude=True
    )
    date_from = django_filters.DateFilter(
        label=gettext_lazy("接报日期起"), field_name="received_at__date", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(
        label=gettext_lazy("接报日期止"), field_name="received_at__date", lookup_expr="lte"
    )

    class Meta:
        model = DutyLogEntry
        fields = ["q", "source", "confirmed", "date_from", "date_to"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(summary__icontains=value) | Q(caller__icontains=value) | Q(unit__name__icontains=value)
        )


@login_required
def log_list(request):
    return entry.list_page(
        request,
        queryset=selectors.log_list(request.user),
        filterset_class=LogFilter,
        template="emergency/duty/log_list.html",
        fragment="emergency/duty/_log_table.html",
        context={
            "can_log": has_right(request.user, LOG),
            "can_export": has_right(request.user, EXPORT),
            "breadcrumbs": _crumbs((_("值班日志"), "")),
        },
    )


def _log_units(user):
    own = [u.pk for u in selectors.own_units(user)]
    return list(Unit.objects.for_user(user, LOG).filter(pk__in=own).order_by("name"))


@login_required
def log_create(request):
    user = request.user
    mine = _log_units(user)
    if not mine:
        raise PermissionDenied(_("您不是任何值班单位的人员，不能登记接报。"))
    form = forms.CallForm(
        request.POST or None,
        units_queryset=Unit.objects.filter(pk__in=[u.pk for u in mine]),
        initial={"received_at": timezone.localtime().replace(second=0, microsecond=0), "unit": mine[0].pk},
    )
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.record_call(actor=user, unit_pk=data["unit"].pk, data=data),
        success_url=lambda e: reverse("emergency:duty-log-detail", args=[e.pk]),
        template="core/simple_form.html",
        context={
            "title": _("接报登记"),
            "cancel_url": reverse("emergency:duty-log-list"),
            "breadcrumbs": _crumbs((_("值班日志"), reverse("emergency:duty-log-list")), (_("接报登记"), "")),
        },
        message=_("已登记。"),
    )


@login_required
def log_detail(request, pk):
    user = request.user
    item = selectors.access_entry(user, pk)
    acts = can(user, LOG, item) and units.is_member(user, item.unit)
    # The incident's page (先期处置, the response) is linked for those whose scope reaches it.
    sees_incident = (
        item.incident_id is not None
        and response_selectors.incident_list(user).filter(pk=item.incident_id).exists()
    )
    return render(
        request,
        "emergency/duty/log_detail.html",
        {
            "item": item,
            "acts": acts,
            "sees_incident": sees_incident,
            "pass_form": forms.PassOnForm(initial={"passed_to": item.passed_to}) if acts else None,
            "breadcrumbs": _crumbs((_("值班日志"), reverse("emergency:duty-log-list")), (str(item), "")),
        },
    )


@login_required
@require_POST
def log_pass(request, pk):
    item = selectors.access_entry(request.user, pk)
    form = forms.PassOnForm(request.POST)
    return entry.post_action(
        request,
        form=form,
        call=lambda data: services.pass_on(actor=request.user, entry_pk=item.pk, passed_to=data["passed_to"]),
        back=reverse("emergency:duty-log-detail", args=[item.pk]),
        message=_("已记录转报。"),
    )


@login_required
@require_POST
def log_confirm(request, pk):
    item = selectors.access_entry(request.user, pk)
    try:
        services.confirm_entry(actor=request.user, entry_pk=item.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已确认接报。"))
    return redirect("emergency:duty-log-detail", pk=item.pk)


@login_required
def gaps(request):
    """The required offices in scope with nobody on a published roster on a day (tomorrow by default)."""
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate() + timezone.timedelta(days=1)
    missing = selectors.offices_without_roster(day, Unit.objects.for_user(request.user))
    return render(
        request,
        "emergency/duty/gaps.html",
        {
            "day": day,
            "missing": missing[:500],
            "total": len(missing),
            "breadcrumbs": _crumbs((_("未排班单位"), "")),
        },
    )


LOG_COLUMNS = [
    Column(gettext_lazy("接报时间"), 0, DATETIME),
    Column(gettext_lazy("接报单位"), 20, WRAP),
    Column(gettext_lazy("来源"), 10),
    Column(gettext_lazy("报告人/来电人"), 12),
    Column(gettext_lazy("来电号码"), 14),
    Column(gettext_lazy("内容"), 48, WRAP),
    Column(gettext_lazy("转报/交办对象"), 20, WRAP),
    Column(gettext_lazy("转报时间"), 0, DATETIME),
    Column(gettext_lazy("确认人"), 10),
    Column(gettext_lazy("确认时间"), 0, DATETIME),
]


def _log_rows(queryset):
    sources = dict(DutyLogEntry.Source.choices)
    local = local_naive(timezone.get_current_timezone())
    fields = ("received_at", "unit__name", "source", "caller", "caller_phone", "summary", "passed_to")
    more = ("passed_at", "confirmed_by__real_name", "confirmed_by__username", "confirmed_at")
    for row in queryset.values_list(*fields, *more).iterator(chunk_size=CHUNK):
        received, unit, source, caller, phone, summary, passed_to, passed_at, real, username, confirmed = row
        yield [
            local(received),
            unit,
            str(sources.get(source, source)),
            caller,
            phone,
            summary,
            passed_to,
            local(passed_at) if passed_at else "",
            real or username or "",
            local(confirmed) if confirmed else "",
        ]


def log_ledger(user, params) -> Ledger:
    """The duty log (值班日志台账) the user may export, filtered as the list."""
    queryset = DutyLogEntry.objects.for_user(user, EXPORT).order_by("-received_at", "-pk")
    filterset = LogFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="emergency-duty-log",
        sheet_title=_("值班日志台账"),
        columns=LOG_COLUMNS,
        queryset=filtered(filterset),
        rows=_log_rows,
        user=user,
        filterset=filterset,
    )


@login_required
def log_export(request):
    return exporting.export(request, "emergency_duty_log")


def unconfirmed_url(user) -> str:
    return reverse("emergency:duty-log-list") + "?confirmed=false"
