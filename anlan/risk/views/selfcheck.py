"""Pages of 自查自改: the checklists (the enterprise's own; supervisors in scope read them), a checklist's page with
its items, runs and missed periods, the forms the enterprise builds checklists and records runs with, a run's page,
the runs list and ledger, the supervisors' compliance list and ledger, the enterprise's month calendar with its gaps
and the enterprise page's panel. Views parse input, call one service and render (through `anlan.core.entry`)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from anlan.core import audit, entry, exporting, recipients
from anlan.core import selectors as core_selectors
from anlan.core.capacity import own_enterprise_ids
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require, require_right

from .. import rules
from ..data import selfcheck as data
from ..forms import selfcheck as forms
from ..models.selfcheck import EXPORT_SELFCHECK, RECORD_SELFCHECK, VIEW_SELFCHECK
from ..selectors import selfcheck as selectors
from ..services import selfcheck as services

FORM = "risk/selfcheck/form.html"
_form_page = partial(entry.titled_form_page, template=FORM)


def _enterprise_url(enterprise) -> str:
    return reverse("core:enterprise-detail", args=[enterprise.pk])


def _checklists_crumb():
    return (_("自查自改"), reverse("risk:selfcheck-checklist-list"))


def _percent(value) -> str:
    return "" if value is None else f"{value:.1f}%"


# ---------------------------------------------------------------- checklists


@login_required
def checklist_list(request):
    user = request.user
    require_right(user, VIEW_SELFCHECK)
    own = own_enterprise_ids(user, right=RECORD_SELFCHECK)
    return entry.list_page(
        request,
        queryset=selectors.checklist_list(user).order_by("enterprise__name", "name", "pk"),
        filterset_class=forms.ChecklistFilter,
        template="risk/selfcheck/checklist_list.html",
        fragment="risk/selfcheck/_checklist_table.html",
        context={
            "own_enterprise": own[0] if len(own) == 1 else None,
            "can_compliance": has_right(user, EXPORT_SELFCHECK),
            "breadcrumbs": entry.crumbs((_("自查自改"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist_create(request, pk):
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    require(user, RECORD_SELFCHECK, enterprise)
    return _form_page(
        request,
        form=forms.ChecklistForm(request.POST or None, initial={"starts_on": timezone.localdate()}),
        call=lambda values: services.create_checklist(actor=user, enterprise_pk=enterprise.pk, data=values),
        success_url=lambda checklist: reverse("risk:selfcheck-checklist-detail", args=[checklist.pk]),
        title=_("新建自查清单"),
        cancel_url=reverse("risk:selfcheck-checklist-list"),
        crumbs=[_checklists_crumb()],
        message=_("自查清单已建立。"),
    )


@login_required
def checklist_detail(request, pk):
    user = request.user
    checklist = selectors.access_checklist(user, pk)
    today = timezone.localdate()
    first, last = selectors.window(today, data.ATTRIBUTE_WINDOW_DAYS)
    runs = selectors.runs_of(user, checklist)
    run_days = list(runs.filter(done_on__gte=first).values_list("done_on", flat=True))
    start = max(checklist.starts_on, first)
    return render(
        request,
        "risk/selfcheck/checklist_detail.html",
        {
            "c": checklist,
            "items": selectors.items_of(checklist),
            "runs": runs[:20],
            "missed": selectors.missed_of(user, checklist)[:20],
            "compliance": rules.compliance(checklist.frequency, start, last, run_days),
            "suggested": rules.suggested_frequency(checklist.risk_level) if checklist.risk_level else "",
            "below": rules.below_suggestion(checklist.frequency, checklist.risk_level),
            "period": rules.period_of(checklist.frequency, today),
            "can_record": checklist.is_active and can(user, RECORD_SELFCHECK, checklist),
            "can_edit": can(user, RECORD_SELFCHECK, checklist),
            "timeline": audit.timeline(checklist),
            "breadcrumbs": entry.crumbs(_checklists_crumb(), (str(checklist), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist_edit(request, pk):
    user = request.user
    checklist = selectors.access_checklist(user, pk)
    require(user, RECORD_SELFCHECK, checklist)
    back = reverse("risk:selfcheck-checklist-detail", args=[checklist.pk])
    lines = "\n".join(
        f"{item.content} | {item.basis}" if item.basis else item.content
        for item in selectors.items_of(checklist)
    )
    initial = {
        "name": checklist.name,
        "post": checklist.post,
        "risk_level": checklist.risk_level,
        "frequency": checklist.frequency,
        "is_active": checklist.is_active,
        "items": lines,
    }
    return _form_page(
        request,
        form=forms.ChecklistEditForm(request.POST or None, initial=initial),
        call=lambda values: services.update_checklist(actor=user, checklist_pk=checklist.pk, data=values),
        success_url=back,
        title=_("修改自查清单"),
        cancel_url=back,
        crumbs=[_checklists_crumb(), (str(checklist), back)],
        message=_("自查清单已修改。"),
    )


# ---------------------------------------------------------------- runs


@login_required
@require_http_methods(["GET", "POST"])
def run_create(request, pk):
    """登记自查记录: one radio row per item (正常 / 存在问题 / 不适用), a problem's words and photo, and the explicit
    "nothing found" confirmation."""
    user = request.user
    checklist = selectors.access_checklist(user, pk)
    require(user, RECORD_SELFCHECK, checklist)
    back = reverse("risk:selfcheck-checklist-detail", args=[checklist.pk])
    form = forms.RunForm(
        request.POST or None,
        request.FILES or None,
        checklist=checklist,
        inspectors=recipients.enterprise_users(checklist.enterprise).order_by("pk"),
        initial={"done_on": timezone.localdate(), "inspector": user.pk},
    )

    def call(_cleaned):
        values, photos = form.service_data()
        return services.record_run(actor=user, checklist_pk=checklist.pk, data=values, photos=photos)

    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=lambda run: reverse("risk:selfcheck-run-detail", args=[run.pk]),
        template="risk/selfcheck/run_form.html",
        context={
            "checklist": checklist,
            "title": _("登记自查记录"),
            "cancel_url": back,
            "breadcrumbs": entry.crumbs(_checklists_crumb(), (str(checklist), back), (_("登记自查记录"), "")),
        },
        message=_("自查记录已登记。"),
    )


@login_required
def run_detail(request, pk):
    user = request.user
    run = selectors.access_run(user, pk)
    back = reverse("risk:selfcheck-checklist-detail", args=[run.checklist_id])
    return render(
        request,
        "risk/selfcheck/run_detail.html",
        {
            "r": run,
            "results": selectors.results_of(run),
            "timeline": audit.timeline(run),
            "breadcrumbs": entry.crumbs(
                _checklists_crumb(), (str(run.checklist), back), (str(run.done_on), "")
            ),
        },
    )


@login_required
def run_list(request):
    user = request.user
    require_right(user, VIEW_SELFCHECK)
    return entry.list_page(
        request,
        queryset=selectors.run_list(user),
        filterset_class=forms.RunFilter,
        template="risk/selfcheck/run_list.html",
        fragment="risk/selfcheck/_run_table.html",
        context={"breadcrumbs": entry.crumbs(_checklists_crumb(), (_("自查记录"), ""))},
    )


@login_required
def run_export(request):
    return exporting.export(request, "risk_selfcheck_runs")


# ---------------------------------------------------------------- supervisors: compliance


@login_required
def compliance_list(request):
    """企业自查开展情况: every operating enterprise in scope with its periods done and missed over 30 and 90 days."""
    user = request.user
    require_right(user, EXPORT_SELFCHECK)
    return entry.list_page(
        request,
        queryset=selectors.compliance_list(user),
        filterset_class=forms.ComplianceFilter,
        template="risk/selfcheck/compliance_list.html",
        fragment="risk/selfcheck/_compliance_table.html",
        context={"breadcrumbs": entry.crumbs((_("企业自查开展情况"), ""))},
    )


@login_required
def compliance_export(request):
    return exporting.export(request, "risk_selfcheck_compliance")


# ---------------------------------------------------------------- the enterprise: panel and calendar


@login_required
def enterprise_panel(request, pk):
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    return render(
        request,
        "risk/selfcheck/_enterprise_panel.html",
        {
            "enterprise": enterprise,
            "figures": selectors.enterprise_compliance(user, enterprise),
            "can_record": can(user, RECORD_SELFCHECK, enterprise),
        },
    )


@login_required
def calendar_page(request, pk):
    """The enterprise's month of self-inspection (`?month=YYYY-MM`): runs each day, gaps in red."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    year, month = forms.month_choice(request.GET.get("month"))
    today = timezone.localdate()
    first = date(year, month, 1)
    previous = first - timedelta(days=1)
    following = (first + timedelta(days=32)).replace(day=1)
    weeks = selectors.month_calendar(user, enterprise, year, month, today)
    return render(
        request,
        "risk/selfcheck/calendar.html",
        {
            "enterprise": enterprise,
            "weeks": weeks,
            "month": first,
            "previous": f"{previous.year}-{previous.month:02d}",
            "following": f"{following.year}-{following.month:02d}",
            "gap_days": sum(1 for week in weeks for day in week if day.in_month and day.missing),
            "run_count": sum(len(day.runs) for week in weeks for day in week if day.in_month),
            "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
            "breadcrumbs": entry.crumbs((enterprise.name, _enterprise_url(enterprise)), (_("自查日历"), "")),
        },
    )


# ---------------------------------------------------------------- ledgers (core/exporting.py)

COMPLIANCE_COLUMNS = [
    Column(gettext_lazy("生产经营单位"), 28, WRAP),
    Column(gettext_lazy("统一社会信用代码"), 20),
    Column(gettext_lazy("所在区划"), 16),
    Column(gettext_lazy("行业领域"), 16),
    Column(gettext_lazy("启用清单数"), 8),
    Column(gettext_lazy("近 30 天应查"), 8),
    Column(gettext_lazy("近 30 天已查"), 8),
    Column(gettext_lazy("近 30 天自查率"), 10),
    Column(gettext_lazy("近 90 天应查"), 8),
    Column(gettext_lazy("近 90 天已查"), 8),
    Column(gettext_lazy("近 90 天缺失"), 8),
    Column(gettext_lazy("近 90 天自查率"), 10),
    Column(gettext_lazy("最近自查日期"), 12),
]


def compliance_ledger(user, params) -> Ledger:
    def rows(queryset):
        for e in queryset:
            yield [
                e.name,
                e.uscc,
                e.region.name,
                e.industry.name if e.industry_id else "",
                e.checklists,
                e.due_30,
                e.done_30,
                _percent(e.rate_30),
                e.due_90,
                e.done_90,
                e.missed_90,
                _percent(e.rate_90),
                e.last_run.isoformat() if e.last_run else "",
            ]

    queryset = selectors.compliance_list(user, action=EXPORT_SELFCHECK)
    filterset = forms.ComplianceFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk-selfcheck-compliance",
        sheet_title=_("企业自查开展情况台账"),
        columns=COMPLIANCE_COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )


RUN_COLUMNS = [
    Column(gettext_lazy("生产经营单位"), 28, WRAP),
    Column(gettext_lazy("自查清单"), 20, WRAP),
    Column(gettext_lazy("岗位/区域"), 14),
    Column(gettext_lazy("自查频次"), 8),
    Column(gettext_lazy("自查日期"), 12),
    Column(gettext_lazy("所属周期"), 22),
    Column(gettext_lazy("检查人"), 10),
    Column(gettext_lazy("结果"), 10),
    Column(gettext_lazy("问题数"), 6),
    Column(gettext_lazy("计入该周期"), 8),
    Column(gettext_lazy("备注"), 24, WRAP),
]


def run_ledger(user, params) -> Ledger:
    def rows(queryset):
        for r in queryset:
            yield [
                r.enterprise.name,
                r.checklist.name,
                r.checklist.post,
                str(r.checklist.get_frequency_display()),
                r.done_on.isoformat(),
                f"{r.period_start.isoformat()}～{r.period_end.isoformat()}",
                r.inspector_name,
                str(_("发现问题") if r.found_problems else _("未发现问题")),
                r.problem_count,
                str(_("是") if r.is_counted else _("否")),
                r.notes,
            ]

    queryset = selectors.run_list(user, VIEW_SELFCHECK)
    filterset = forms.RunFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk-selfcheck-runs",
        sheet_title=_("自查记录台账"),
        columns=RUN_COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )
