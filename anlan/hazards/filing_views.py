"""隐患排查治理统计分析表 pages (16号令 第十四条): the enterprise's periods, one filing (printable, XLSX), the
supervisors' filing rates and missing list, and the provinces' deadlines. Scope first (404), then right (403);
each view calls one service or selector."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import entry
from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.exports import XLSX, xlsx_response
from anlan.core.permissions import can, has_right, require_right
from anlan.core.workflow import find

from . import exports, guards, rules, selectors, services
from .filters import MissingFilingFilter, filing_period_choices
from .forms import FilingAnalysisForm, FilingPeriodForm, FilingRuleForm
from .models import FilingRuleSetting, StatisticsFiling


def _crumb(user=None):
    """Where the filings sit: for an enterprise, under its hazards (it files); for everyone else, under the
    上报情况 (they follow the filing rate)."""
    if user is not None and has_right(user, "hazards.prepare_filing"):
        return (_("隐患排查治理"), reverse("hazards:hazard-list"))
    return (_("隐患统计分析表上报情况"), reverse("hazards:filing-report"))


def _filing_url(filing) -> str:
    return reverse("hazards:filing-detail", args=[filing.pk])


@login_required
def filing_list(request, pk):
    """隐患统计分析表: the enterprise's periods, due dates and states, with 生成本期统计 for the periods ended."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    context = {
        "enterprise": enterprise,
        "periods": selectors.enterprise_filing_periods(enterprise, timezone.localdate()),
        "can_prepare": can(user, "hazards.prepare_filing", enterprise),
        "breadcrumbs": entry.crumbs(_crumb(user), (enterprise.name, "")),
    }
    return render(request, "hazards/filing_list.html", context)


@login_required
@require_POST
def filing_generate(request, pk):
    enterprise = core_selectors.access_enterprise(request.user, pk)
    back = reverse("hazards:filing-list", args=[enterprise.pk])
    form = FilingPeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择统计期。"))
        return redirect(back)
    try:
        filing = services.generate_filing(
            actor=request.user, enterprise_pk=enterprise.pk, period=form.cleaned_data["period"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    return entry.done(
        request, _filing_url(filing), _("已根据隐患台账生成本期统计，请填写分析说明后由主要负责人确认上报。")
    )


@login_required
def filing_detail(request, pk):
    """One 统计分析表, printable: the figures, the analysis (editable in a draft) and the signature."""
    user = request.user
    filing = selectors.access_filing(user, pk)
    draft = filing.status == StatisticsFiling.Status.DRAFT
    confirm = find(StatisticsFiling.TRANSITIONS, "confirm")
    context = {
        "filing": filing,
        "rows": selectors.figure_rows(filing),
        "can_edit": draft and can(user, "hazards.prepare_filing", filing),
        "can_confirm": draft and can(user, confirm.right, filing) and guards.is_principal(filing, user),
        "confirm": confirm,
        "form": FilingAnalysisForm(initial={"analysis": filing.analysis}),
        "breadcrumbs": entry.crumbs(
            _crumb(user),
            (filing.enterprise.name, reverse("hazards:filing-list", args=[filing.enterprise_id])),
            (filing.period_label, ""),
        ),
    }
    return render(request, "hazards/filing_detail.html", context)


@login_required
@require_POST
def filing_analysis(request, pk):
    filing = selectors.access_filing(request.user, pk)
    return entry.post_action(
        request,
        form=FilingAnalysisForm(request.POST),
        call=lambda data: services.write_filing_analysis(
            actor=request.user, filing_pk=filing.pk, analysis=data["analysis"]
        ),
        back=_filing_url(filing),
        message=_("分析说明已保存。"),
    )


@login_required
@require_POST
def filing_confirm(request, pk):
    filing = selectors.access_filing(request.user, pk)
    try:
        services.confirm_filing(actor=request.user, filing_pk=filing.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("统计分析表已由主要负责人确认上报。"))
    return redirect(_filing_url(filing))


@login_required
def filing_export(request, pk):
    filing = selectors.access_filing(request.user, pk)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    exports.filing_workbook(filing, handle)
    handle.seek(0)
    name = f"filing-{filing.enterprise.uscc}-{filing.period}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


@login_required
def filing_report(request):
    """隐患统计分析表上报情况: the filing rate of a period by town or industry, within the user's scope."""
    choices = filing_period_choices()
    periods = [value for value, _label in choices]
    period = request.GET.get("period") or periods[0]
    if period not in periods:
        period = periods[0]
    by = "industry" if request.GET.get("by") == "industry" else "town"
    totals, rows = selectors.filing_rates(request.user, period, by)
    context = {
        "period": period,
        "period_label": rules.filing_period_label(period),
        "choices": choices,
        "by": by,
        "totals": totals,
        "rows": rows,
        "own": core_selectors.enterprise_list(request.user).filter(
            memberships__user=request.user, memberships__is_active=True
        )[:5],
        "breadcrumbs": entry.crumbs((_("隐患统计分析表上报情况"), "")),
    }
    return render(request, "hazards/filing_report.html", context)


@login_required
def filing_missing(request):
    """The enterprises flagged for a missing 统计分析表: paginated, filterable, exportable."""
    return entry.list_page(
        request,
        queryset=selectors.missing_filings(request.user).order_by("region_id", "enterprise__name", "pk"),
        filterset_class=MissingFilingFilter,
        template="hazards/filing_missing.html",
        fragment="hazards/_filing_missing_table.html",
        context={
            "can_export": has_right(request.user, exports.RIGHT),
            "breadcrumbs": entry.crumbs(_crumb(), (_("逾期未上报的单位"), "")),
        },
    )


@login_required
def filing_missing_export(request):
    require_right(request.user, exports.RIGHT)
    return xlsx_response(exports.missing_filing_ledger(request.user, request.GET))


@login_required
@require_http_methods(["GET", "POST"])
def filing_rules(request):
    """统计分析表报送期限 of the provinces: every setting (history kept), and the form for a province's 安委办."""
    user = request.user
    may_set = has_right(user, "hazards.set_filing_rule")
    if request.method == "POST" and not may_set:
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    form = FilingRuleForm(request.POST or None)
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.add_filing_rule(
            actor=user,
            province_code=data["province"].code,
            quarter_day=data["quarter_day"],
            annual_month=data["annual_month"],
            annual_day=data["annual_day"],
            effective_from=data["effective_from"],
            note=data["note"],
        ),
        success_url=reverse("hazards:filing-rules"),
        template="hazards/filing_rules.html",
        message=_("报送期限已设置。"),
        context={
            "settings": FilingRuleSetting.objects.select_related("province", "recorded_by"),
            "default": rules.DEFAULT_FILING_RULE,
            "may_set": may_set,
            "breadcrumbs": entry.crumbs(_crumb(), (_("报送期限设置"), "")),
        },
    )
