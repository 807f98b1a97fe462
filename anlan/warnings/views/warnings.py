"""Pages of warnings: the list and ledger, the draft form, one warning (its actions, the list before sending,
the recipient's own confirmation and measures report), the recipients, the live confirmation board, what the
user has received, and the confirmation link's page for recipients without an account (no login)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anlan.core import audit, entry, exporting
from anlan.core.errors import DomainError
from anlan.core.exports import Column, Ledger, filter_request
from anlan.core.models import Department, Industry, Job, ReceiptTask
from anlan.core.paging import filtered, page_of, query_without_page
from anlan.core.permissions import has_right, require_right
from anlan.core.ratelimit import rate_limited
from anlan.core.selectors import industry_tree, regions_for_choice

from .. import rules
from ..forms import warnings as forms
from ..models import Warning, WarningRecipient
from ..selectors import evacuation as evacuation_selectors
from ..selectors import points as point_selectors
from ..selectors import warnings as selectors
from ..services import warnings as services

DRAFT = selectors.DRAFT
BOARD = selectors.BOARD
EXPORT = "warnings.export"


def _crumb():
    return (_("预警发布"), reverse("warnings:warning-list"))


# ---------------------------------------------------------------- the list and the ledger


@login_required
@require_GET
def warning_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=Warning.objects.for_user(user).select_related("region", "issuer"),
        filterset_class=forms.WarningFilter,
        template="warnings/warning_list.html",
        fragment="warnings/_warning_table.html",
        context={
            "can_create": has_right(user, DRAFT),
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs((_("预警发布"), "")),
        },
    )


COLUMNS = [
    Column(_("标题"), 30),
    Column(_("预警种类"), 14),
    Column(_("灾种"), 10),
    Column(_("级别"), 12),
    Column(_("预警区域"), 14),
    Column(_("发布单位"), 18),
    Column(_("发布时间"), 16),
    Column(_("状态"), 8),
    Column(_("解除时间"), 16),
    Column(_("接收人数"), 10),
    Column(_("已确认"), 10),
]


def _stamp(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _ledger_rows(queryset):
    kinds = dict(rules.KINDS)
    statuses = dict(rules.STATUSES)
    for w in queryset.select_related("region", "issuer").iterator(chunk_size=500):
        counts = (
            WarningRecipient.objects.filter(warning=w, revision=w.revision).aggregate(
                total=Count("pk"), confirmed=Count("pk", filter=_confirmed_q())
            )
            if w.revision
            else {"total": 0, "confirmed": 0}
        )
        yield [
            w.title,
            str(kinds.get(w.kind, w.kind)),
            w.get_hazard_display(),
            w.level_label,
            w.region.name,
            str(w.issuer or ""),
            _stamp(w.issued_at),
            str(statuses.get(w.status, w.status)),
            _stamp(w.lifted_at),
            counts["total"],
            counts["confirmed"],
        ]


def _confirmed_q():
    return Q(task__status=ReceiptTask.Status.CONFIRMED)


def ledger(user, params) -> Ledger:
    """The warnings ledger (预警发布台账) the user may export, filtered as the list."""
    queryset = Warning.objects.for_user(user, EXPORT).order_by("-issued_at", "-pk")
    filterset = forms.WarningFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="warnings",
        sheet_title=_("预警发布台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=_ledger_rows,
        user=user,
        filterset=filterset,
    )


@login_required
@require_GET
def warning_export(request):
    return exporting.export(request, "warnings")


# ---------------------------------------------------------------- the draft form


def _form(request, warning: Warning | None = None):
    user = request.user
    regions = regions_for_choice(user, min_level=3)
    county_codes = {r.code[:6] for r in regions}
    departments = Department.objects.filter(
        is_active=True, region_id__in=[c.ljust(12, "0") for c in county_codes]
    )
    return forms.WarningForm(
        request.POST or None,
        initial=forms.WarningForm.initial_of(warning) if warning else {"kind": rules.EMERGENCY},
        regions=regions,
        departments=departments.order_by("region_id", "name"),
        industries=_industries(),
    )


def _industries():
    tree = industry_tree()
    depth = {i.pk: getattr(i, "depth", 0) for i in tree}
    queryset = Industry.objects.filter(pk__in=depth)
    for industry in queryset:
        industry.depth = depth[industry.pk]
    return queryset


@login_required
@require_http_methods(["GET", "POST"])
def warning_create(request):
    require_right(request.user, DRAFT)
    form = _form(request)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.create_draft(actor=request.user, values=form.values()),
        success_url=lambda w: reverse("warnings:warning-detail", args=[w.pk]),
        template="warnings/warning_form.html",
        context={
            "title": _("新建预警"),
            "cancel_url": reverse("warnings:warning-list"),
            "breadcrumbs": entry.crumbs(_crumb(), (_("新建预警"), "")),
        },
        message=_("预警草稿已保存。请生成接收名单并核对后发布。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def warning_edit(request, pk):
    warning = selectors.access_warning(request.user, pk)
    if warning.status != rules.DRAFT or not has_right(request.user, DRAFT):
        raise PermissionDenied(_("只有草稿可以修改。"))
    form = _form(request, warning)
    detail = reverse("warnings:warning-detail", args=[warning.pk])
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.update_draft(
            actor=request.user, warning_pk=warning.pk, values=form.values()
        ),
        success_url=detail,
        template="warnings/warning_form.html",
        context={
            "title": _("修改预警草稿"),
            "cancel_url": detail,
            "breadcrumbs": entry.crumbs(_crumb(), (warning.title, detail), (_("修改"), "")),
        },
        message=_("预警草稿已保存；接收名单需重新生成。"),
    )


# ---------------------------------------------------------------- one warning


def _list_summary(rows) -> list[tuple[str, int]]:
    labels = dict(WarningRecipient.Reason.choices)
    counts = rows.values("reason").annotate(n=Count("pk")).order_by("reason")
    return [(labels.get(row["reason"], row["reason"]), row["n"]) for row in counts]


@login_required
@require_GET
def warning_detail(request, pk):
    user = request.user
    warning = selectors.access_warning(user, pk)
    own_scope = selectors.in_scope(user, warning)
    mine = (
        WarningRecipient.objects.filter(warning=warning, revision=warning.revision, user=user)
        .select_related("task")
        .first()
    )
    can_issue = own_scope and selectors.may_issue(user, warning)
    can_evacuate = has_right(user, evacuation_selectors.EVACUATE)
    draft = warning.status == rules.DRAFT
    next_rows = selectors.next_list(warning) if draft else None
    building = (
        Job.objects.filter(
            kind=services.BUILD_JOB, params__warning=warning.pk, status__in=["queued", "running"]
        ).exists()
        if draft
        else False
    )
    context = {
        "warning": warning,
        "own_scope": own_scope,
        "mine": mine,
        "measures_form": (
            forms.MeasuresForm(level=warning.level, done=mine.measures_done)
            if mine and warning.is_live and warning.level
            else None
        ),
        "checklist": rules.checklist(warning.level) if warning.level else [],
        "can_edit": own_scope and draft and has_right(user, DRAFT),
        "can_issue": can_issue and draft,
        "can_adjust": can_issue and warning.is_live,
        "level_form": forms.LevelForm() if can_issue and warning.is_live else None,
        "reason_form": forms.ReasonForm(),
        "missing": [rules.REQUIRED_FIELDS[n] for n in services._missing(warning, at=timezone.now())]
        if draft
        else [],
        "next_count": next_rows.count() if next_rows is not None else 0,
        "next_summary": _list_summary(next_rows) if next_rows is not None else [],
        "building": building,
        "board": selectors.board(warning) if own_scope and warning.revision else None,
        "can_board": own_scope and has_right(user, BOARD),
        "patrols": point_selectors.progress(warning) if own_scope and warning.revision else None,
        # A town that received a county warning moves its own people: the evacuation shows within each one's scope.
        "evacuation": evacuation_selectors.scoped_totals(user, warning)
        if warning.revision and (own_scope or can_evacuate)
        else None,
        "can_evacuate": can_evacuate and warning.status == rules.ISSUED,
        "timeline": audit.timeline(warning) if own_scope else [],
        "breadcrumbs": entry.crumbs(
            _crumb() if own_scope else (_("我收到的预警"), reverse("warnings:received")), (warning.title, "")
        ),
    }
    return render(request, "warnings/warning_detail.html", context)


def _act(request, pk, call, message):
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("warnings:warning-detail", pk=pk)


@login_required
@require_POST
def warning_build(request, pk):
    return _act(
        request,
        pk,
        lambda: services.build_list(actor=request.user, warning_pk=pk),
        _("正在生成接收名单，完成后刷新本页即可核对。"),
    )


@login_required
@require_POST
def warning_issue(request, pk):
    return _act(
        request, pk, lambda: services.issue(actor=request.user, warning_pk=pk), _("预警已发布，正在发送。")
    )


@login_required
@require_POST
def warning_level(request, pk):
    form = forms.LevelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择调整后的级别并填写理由。"))
        return redirect("warnings:warning-detail", pk=pk)
    return _act(
        request,
        pk,
        lambda: services.change_level(
            actor=request.user,
            warning_pk=pk,
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
        ),
        _("预警级别已调整，正在重新发送。"),
    )


@login_required
@require_POST
def warning_lift(request, pk):
    return _act(
        request,
        pk,
        lambda: services.lift(actor=request.user, warning_pk=pk, reason=request.POST.get("reason", "")),
        _("预警已解除，正在通知接收人。"),
    )


@login_required
@require_POST
def warning_withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda: services.withdraw(actor=request.user, warning_pk=pk, reason=request.POST.get("reason", "")),
        _("预警草稿已撤销。"),
    )


@login_required
@require_POST
def warning_confirm(request, pk):
    """The signed-in recipient confirms their own row of the live revision."""
    row = WarningRecipient.objects.filter(warning_id=pk, user=request.user).order_by("-revision").first()
    if row is None:
        raise Http404(_("记录不存在或不在您的管辖范围内。"))
    return _act(
        request,
        pk,
        lambda: services.confirm(actor=request.user, recipient_pk=row.pk),
        _("已确认收到。"),
    )


@login_required
@require_POST
def warning_report(request, pk):
    """The signed-in recipient reports their measures (confirming receipt if not yet done)."""
    warning = selectors.access_warning(request.user, pk)
    row = (
        WarningRecipient.objects.select_related("warning", "task")
        .filter(warning=warning, revision=warning.revision, user=request.user)
        .first()
    )
    if row is None or not warning.level:
        raise Http404(_("记录不存在或不在您的管辖范围内。"))
    form = forms.MeasuresForm(request.POST, level=warning.level)
    form.is_valid()
    return _act(
        request,
        pk,
        lambda: services.report_measures(
            row=row, done=form.done(), note=form.cleaned_data.get("note", ""), actor=request.user
        ),
        _("措施落实情况已报告。"),
    )


# ---------------------------------------------------------------- recipients and the board


def _own(request, pk) -> Warning:
    warning = selectors.access_warning(request.user, pk)
    if not selectors.in_scope(request.user, warning):
        raise Http404(_("记录不存在或不在您的管辖范围内。"))
    return warning


@login_required
@require_GET
def warning_recipients(request, pk):
    warning = _own(request, pk)
    revision = warning.revision if warning.status != rules.DRAFT else warning.revision + 1
    rows = selectors.recipients_of(warning, revision).select_related("region")
    filterset = forms.RecipientFilter(request.GET or None, queryset=rows)
    context = {
        "warning": warning,
        "filter": filterset,
        "page": page_of(request, filtered(filterset), 50),
        "query": query_without_page(request),
        "show_phones": selectors.may_issue(request.user, warning),
        "breadcrumbs": entry.crumbs(
            _crumb(),
            (warning.title, reverse("warnings:warning-detail", args=[warning.pk])),
            (_("接收名单"), ""),
        ),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return render(request, "warnings/_recipient_table.html", context)
    return render(request, "warnings/warning_recipients.html", context)


@login_required
@require_GET
def warning_board(request, pk):
    """The live confirmation board (confirmed / pending / escalated by town) the county watches; the table
    refreshes itself every 15 seconds while the warning is live."""
    user = request.user
    warning = _own(request, pk)
    require_right(user, BOARD)
    town = request.GET.get("town", "")
    context = {
        "warning": warning,
        "board": selectors.board(warning),
        "town": town,
        "unconfirmed": selectors.unconfirmed(warning, town=town).select_related("region")[:200]
        if town
        else None,
        "breadcrumbs": entry.crumbs(
            _crumb(),
            (warning.title, reverse("warnings:warning-detail", args=[warning.pk])),
            (_("确认看板"), ""),
        ),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return render(request, "warnings/_board.html", context)
    return render(request, "warnings/warning_board.html", context)


# ---------------------------------------------------------------- what the user received


@login_required
@require_GET
def received(request):
    rows = selectors.my_recipient_rows(request.user)
    return render(
        request,
        "warnings/received.html",
        {
            "page": page_of(request, rows, 20),
            "query": query_without_page(request),
            "breadcrumbs": entry.crumbs((_("我收到的预警"), "")),
        },
    )


def received_url(user) -> str:
    return reverse("warnings:received")


# ---------------------------------------------------------------- the confirmation link (no login)


@require_http_methods(["GET", "POST"])
@rate_limited("warnings.link", per_minute=lambda: settings.ANLAN_LINK_RATE_PER_MINUTE)
def confirm_link(request, token):
    """The page an SMS link opens: the warning, one tap to confirm (a POST), and the measures checklist."""
    try:
        row = services.row_for_token(token)
    except DomainError as error:
        return render(request, "warnings/link.html", {"error": error.message}, status=404)
    warning = row.warning
    live = warning.is_live and row.revision == warning.revision
    form = (
        forms.MeasuresForm(request.POST or None, level=warning.level, done=row.measures_done)
        if live
        else None
    )
    if request.method == "POST" and live:
        try:
            if request.POST.get("report") and form is not None and form.is_valid():
                services.report_measures(row=row, done=form.done(), note=form.cleaned_data.get("note", ""))
                messages.success(request, _("已确认收到，措施落实情况已报告。"))
            else:
                services.confirm_by_link(token)
                messages.success(request, _("已确认收到。"))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("warnings:warning-confirm-link", token=token)
    return render(request, "warnings/link.html", {"row": row, "warning": warning, "live": live, "form": form})
