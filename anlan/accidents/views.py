"""Accident pages. Views parse input, call one service and render; rules live below them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form as DjangoForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit
from anlan.core.errors import DomainError
from anlan.core.filters import _industry_with_descendants
from anlan.core.forms import add_domain_error
from anlan.core.paging import filtered, page_of, query_without_page
from anlan.core.permissions import can, has_right, require, require_right
from anlan.core.workflow import available_transitions

from . import exports, forms, rules, selectors, services, statistics
from .filters import AccidentFilter
from .models import (
    Accident,
    AccidentReport,
    GradeCriterion,
    Investigation,
    Level,
    PreventiveMeasure,
    ReportingFinding,
    ReportStep,
    Responsibility,
)

PAGE_SIZE = 20


def _crumbs(*items):
    return [(str(label), url) for label, url in items]


def _flash_errors(request, form) -> None:
    for name, problems in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in problems:
            messages.error(request, f"{label}{_('：') if label else ''}{message}")


def _list_crumb():
    return (_("生产安全事故"), reverse("accidents:accident-list"))


# ---------------------------------------------------------------- list, detail, export


@login_required
def accident_list(request):
    user = request.user
    queryset = selectors.accident_list(user).select_related("investigation")
    filterset = AccidentFilter(request.GET or None, queryset=queryset, request=request)
    context = {
        "filter": filterset,
        "page": page_of(request, filtered(filterset), PAGE_SIZE),
        "query": query_without_page(request),
        "can_report": has_right(user, "accidents.report_accident"),
        "can_export": has_right(user, "accidents.export_accident"),
        "breadcrumbs": _crumbs((_("生产安全事故"), "")),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "accidents/_accident_table.html", context)
    return render(request, "accidents/accident_list.html", context)


@login_required
def accident_export(request):
    user = request.user
    require_right(user, "accidents.export_accident")
    queryset = Accident.objects.for_user(user, "accidents.export_accident").select_related(
        "region", "industry", "enterprise"
    )
    filterset = AccidentFilter(request.GET or None, queryset=queryset, request=request)
    return exports.accident_export(filtered(filterset))


def _timeline(accident, investigation):
    history = [
        (AccidentReport.history.model.objects.filter(accident_id=accident.pk), AccidentReport, _("事故报告")),
        (ReportStep.history.model.objects.filter(accident_id=accident.pk), ReportStep, _("逐级上报")),
        (
            ReportingFinding.history.model.objects.filter(accident_id=accident.pk),
            ReportingFinding,
            _("报告问题认定"),
        ),
        (Investigation.history.model.objects.filter(accident_id=accident.pk), Investigation, _("事故调查")),
    ]
    if investigation is not None:
        history += [
            (
                Responsibility.history.model.objects.filter(investigation_id=investigation.pk),
                Responsibility,
                _("责任认定") + " {record.name}",
            ),
            (
                PreventiveMeasure.history.model.objects.filter(investigation_id=investigation.pk),
                PreventiveMeasure,
                _("防范整改措施"),
            ),
        ]
    return audit.timeline(accident, history)


@login_required
def accident_detail(request, pk):
    user = request.user
    accident = selectors.access_accident(user, pk)
    now = timezone.now()
    steps = sorted(accident.steps.all(), key=lambda s: s.rank)
    for step in steps:
        step.overdue = step.received_at is None and rules.report_is_late(step.due_at, None, now)
        step.can_forward = bool(
            step.received_at and not step.forwarded_at and any(s.rank == step.rank + 1 for s in steps)
        )
    investigation = Investigation.objects.filter(accident=accident).first()
    criteria = rules.grade_with_criteria(
        accident.counted_deaths, accident.serious_injuries, accident.direct_loss_wan
    )[1]
    context = {
        "accident": accident,
        "steps": steps,
        "reports": accident.reports.select_related("reporter"),
        "findings": accident.findings.all(),
        "investigation": investigation,
        "responsibilities": investigation.responsibilities.select_related("enterprise")
        if investigation
        else [],
        "measures": investigation.measures.all() if investigation else [],
        "transitions": available_transitions(investigation, user, Investigation.TRANSITIONS)
        if investigation
        else [],
        "overdue_investigation": investigation is not None
        and services.investigation_overdue(investigation, timezone.localdate()),
        "criteria": [dict(GradeCriterion.choices)[c] for c in criteria],
        "investigation_level": dict(Level.choices)[rules.investigation_level(accident.grade)],
        "may_delegate": rules.investigation_may_be_delegated_to_unit(
            accident.grade, accident.counted_deaths, accident.serious_injuries + accident.minor_injuries
        ),
        "window_open": rules.within_supplement_window(
            accident.occurred_on, accident.kind, timezone.localdate()
        ),
        "can_report": can(user, "accidents.report_accident", accident),
        "can_receive": can(user, "accidents.receive_report", accident),
        "can_find": can(user, "accidents.record_finding", accident),
        "can_investigate": can(user, "accidents.manage_investigation", accident),
        "follow_up_form": forms.FollowUpForm.for_accident(accident),
        "finding_form": forms.FindingForm(),
        "investigation_form": forms.InvestigationForm(),
        "extend_form": forms.ExtendForm(),
        "conclude_form": forms.ConcludeForm(),
        "responsibility_form": forms.ResponsibilityForm(user=user),
        "measure_form": forms.MeasureForm(),
        "complete_form": forms.CompleteMeasureForm(),
        "timeline": _timeline(accident, investigation),
        "now": now,
        "breadcrumbs": _crumbs(_list_crumb(), (accident.title, "")),
    }
    return render(request, "accidents/accident_detail.html", context)


# ---------------------------------------------------------------- reporting


@login_required
@require_http_methods(["GET", "POST"])
def accident_create(request):
    user = request.user
    require_right(user, "accidents.report_accident")
    form = forms.AccidentForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            accident = services.report_accident(actor=user, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("事故初报已提交，县级值班部门已收到通知。"))
            return redirect("accidents:accident-detail", pk=accident.pk)
    context = {
        "form": form,
        "title": _("事故初报"),
        "cancel_url": reverse("accidents:accident-list"),
        "breadcrumbs": _crumbs(_list_crumb(), (_("事故初报"), "")),
    }
    return render(request, "accidents/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def accident_report(request, pk):
    """续报/补报."""
    user = request.user
    accident = selectors.access_accident(user, pk)
    require(user, "accidents.report_accident", accident)
    form = forms.FollowUpForm.for_accident(accident, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind")
        try:
            version = services.add_report(actor=user, accident_pk=pk, kind=kind, data=data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if version.regraded:
                messages.warning(
                    request,
                    _("事故等级已调整为%(grade)s，请按新的等级逐级上报。")
                    % {"grade": version.get_grade_after_display()},
                )
            elif not version.within_window:
                messages.info(request, _("已超过续报/补报时限，本次报告已记录，但不重新定级。"))
            else:
                messages.success(request, _("报告已提交。"))
            return redirect("accidents:accident-detail", pk=pk)
    context = {
        "form": form,
        "title": _("续报/补报：%(title)s") % {"title": accident.title},
        "cancel_url": reverse("accidents:accident-detail", args=[pk]),
        "breadcrumbs": _crumbs(
            _list_crumb(),
            (accident.title, reverse("accidents:accident-detail", args=[pk])),
            (_("续报/补报"), ""),
        ),
    }
    return render(request, "accidents/form.html", context)


def _action(request, pk, right: str, form_class, call, success: str, **form_kwargs):
    """A POST action of the detail page: scoped access (404), right (403), form, service, back to the page."""
    user = request.user
    accident = selectors.access_accident(user, pk)
    require(user, right, accident)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            call(user, form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success)
    else:
        _flash_errors(request, form)
    return redirect("accidents:accident-detail", pk=pk)


@login_required
@require_POST
def accident_forward(request, pk):
    return _action(
        request,
        pk,
        "accidents.receive_report",
        forms.ForwardForm,
        lambda user, data: services.forward_report(
            actor=user, accident_pk=pk, level=data["level"], at=data["at"]
        ),
        _("已登记逐级上报。"),
    )


@login_required
@require_POST
def accident_finding(request, pk):
    return _action(
        request,
        pk,
        "accidents.record_finding",
        forms.FindingForm,
        lambda user, data: services.record_finding(actor=user, accident_pk=pk, **data),
        _("已登记认定情况。"),
    )


# ---------------------------------------------------------------- investigation


@login_required
@require_POST
def investigation_create(request, pk):
    return _action(
        request,
        pk,
        "accidents.manage_investigation",
        forms.InvestigationForm,
        lambda user, data: services.open_investigation(actor=user, accident_pk=pk, data=data),
        _("调查组已成立。"),
    )


@login_required
@require_POST
def investigation_extend(request, pk):
    return _action(
        request,
        pk,
        "accidents.manage_investigation",
        forms.ExtendForm,
        lambda user, data: services.extend_investigation(actor=user, accident_pk=pk, **data),
        _("已延长调查期限。"),
    )


@login_required
@require_POST
def investigation_conclude(request, pk):
    return _action(
        request,
        pk,
        "accidents.manage_investigation",
        forms.ConcludeForm,
        lambda user, data: services.conclude_investigation(actor=user, accident_pk=pk, **data),
        _("已登记调查结论。"),
    )


@login_required
@require_POST
def investigation_close(request, pk):
    return _action(
        request,
        pk,
        "accidents.manage_investigation",
        DjangoForm,
        lambda user, data: services.close_investigation(actor=user, accident_pk=pk),
        _("调查已闭环。"),
    )


@login_required
@require_POST
def responsibility_create(request, pk):
    return _action(
        request,
        pk,
        "accidents.manage_investigation",
        forms.ResponsibilityForm,
        lambda user, data: services.add_responsibility(actor=user, accident_pk=pk, data=data),
        _("已登记责任认定。"),
        user=request.user,
    )


@login_required
@require_POST
def measure_create(request, pk):
    return _action(
        request,
        pk,
        "accidents.manage_investigation",
        forms.MeasureForm,
        lambda user, data: services.add_measure(actor=user, accident_pk=pk, **data),
        _("已登记防范和整改措施。"),
    )


@login_required
@require_POST
def measure_complete(request, pk, measure_pk):
    return _action(
        request,
        pk,
        "accidents.manage_investigation",
        forms.CompleteMeasureForm,
        lambda user, data: services.complete_measure(
            actor=user,
            accident_pk=pk,
            measure_pk=measure_pk,
            completed_on=data["completed_on"],
            note=data["note"],
        ),
        _("措施已完成。"),
    )


# ---------------------------------------------------------------- minor events, economy


@login_required
@require_http_methods(["GET", "POST"])
def minor_event_list(request):
    user = request.user
    can_record = has_right(user, "accidents.report_accident")
    form = forms.MinorEventForm(request.POST or None, user=user) if can_record else None
    if request.method == "POST":
        require_right(user, "accidents.report_accident")
        if form.is_valid():
            try:
                services.record_minor_event(actor=user, data=form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("已登记。"))
                return redirect("accidents:minor-event-list")
    rows = selectors.minor_event_list(user)
    context = {
        "form": form,
        "page": page_of(request, rows, PAGE_SIZE),
        "query": query_without_page(request),
        "breadcrumbs": _crumbs(_list_crumb(), (_("未遂事件和轻微事故"), "")),
    }
    return render(request, "accidents/minor_event_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def economy_list(request):
    user = request.user
    can_edit = has_right(user, "accidents.edit_economy")
    form = forms.EconomyForm(request.POST or None, user=user) if can_edit else None
    if request.method == "POST":
        require_right(user, "accidents.edit_economy")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_economy(
                    actor=user,
                    region_pk=data["region"].pk,
                    year=data["year"],
                    gdp_yi=data["gdp_yi"],
                    industrial_employment=data["industrial_employment"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("经济指标已保存。"))
                return redirect("accidents:economy-list")
    context = {
        "form": form,
        "rows": selectors.economy_list(user),
        "breadcrumbs": _crumbs((_("事故统计"), reverse("accidents:statistics")), (_("地区经济指标"), "")),
    }
    return render(request, "accidents/economy_list.html", context)


# ---------------------------------------------------------------- statistics


def _statistics_input(request):
    user = request.user
    form = forms.StatisticsForm(request.GET or None, user=user)
    today = timezone.localdate()
    data = (
        form.cleaned_data
        if form.is_bound and form.is_valid()
        else {
            "date_from": today.replace(month=1, day=1),
            "date_to": today,
            "region": None,
            "industry": None,
            "kind": "",
        }
    )
    filters = statistics.Filters(
        region=data["region"],
        industry_ids=_industry_with_descendants(data["industry"]) if data["industry"] else None,
        kind=data["kind"] or "",
    )
    return form, statistics.Period(data["date_from"], data["date_to"]), filters


def _chart_data(report: dict) -> dict:
    months = report["by_month"]
    return {
        "months": [row.label for row in months],
        "accidents": [row.current.accidents for row in months],
        "accidents_before": [row.previous.accidents for row in months],
        "deaths": [row.current.deaths for row in months],
        "deaths_before": [row.previous.deaths for row in months],
        "industry": [[row.label, row.current.accidents, row.current.deaths] for row in report["by_industry"]],
        "pyramid": [[str(label), n] for label, n in report["pyramid"].layers],
        "labels": {
            "accidents": _("事故起数"),
            "accidents_before": _("去年同期起数"),
            "deaths": _("死亡人数"),
            "deaths_before": _("去年同期死亡"),
        },
    }


@login_required
def statistics_page(request):
    form, period, filters = _statistics_input(request)
    report = statistics.report(request.user, period, filters, _("合计"))
    report["pyramid"] = statistics.pyramid(request.user, period, filters)
    context = {
        "form": form,
        **report,
        "charts": _chart_data(report),
        "query": request.GET.urlencode(),
        "can_export": has_right(request.user, "accidents.export_accident"),
        "can_edit_economy": has_right(request.user, "accidents.edit_economy"),
        "indicator_labels": [
            _("事故起数"),
            _("死亡（含失踪）人数"),
            _("重伤人数"),
            _("直接经济损失（万元）"),
        ],
        "breadcrumbs": _crumbs((_("事故统计"), "")),
    }
    return render(request, "accidents/statistics.html", context)


@login_required
def statistics_export(request):
    require_right(request.user, "accidents.export_accident")
    _form, period, filters = _statistics_input(request)
    return exports.statistics_export(statistics.report(request.user, period, filters, _("合计")))
