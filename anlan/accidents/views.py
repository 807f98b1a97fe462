"""Accident pages. Views parse input, call one service and render (through `anlan.core.entry`); what the
detail page shows comes from `selectors.accident_detail`, and the investigation's and measures' buttons from
their `TRANSITIONS` tables."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, exporting
from anlan.core.paging import page_of, query_without_page
from anlan.core.permissions import can, has_right, require, require_right

from . import exports, forms, selectors, services, statistics
from .filters import AccidentFilter
from .models import Investigation, PreventiveMeasure

REPORT = "accidents.report_accident"
RECEIVE = "accidents.receive_report"
INVESTIGATE = "accidents.manage_investigation"
EXPORT = "accidents.export_accident"


def _list_crumb():
    return (_("生产安全事故"), reverse("accidents:accident-list"))


def _detail_url(pk) -> str:
    return reverse("accidents:accident-detail", args=[pk])


# ---------------------------------------------------------------- list, detail, export


@login_required
def accident_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.accident_list(user).select_related("investigation"),
        filterset_class=AccidentFilter,
        template="accidents/accident_list.html",
        fragment="accidents/_accident_table.html",
        context={
            "can_report": has_right(user, REPORT),
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs((_("生产安全事故"), "")),
        },
    )


@login_required
def accident_export(request):
    """The ledger now, or as a background job when it is large (core/exporting.py)."""
    return exporting.export(request, "accidents")


@login_required
def accident_detail(request, pk):
    user = request.user
    now = timezone.now()
    detail = selectors.accident_detail(user, pk, now=now)
    accident, investigation = detail.accident, detail.investigation
    can_investigate = can(user, INVESTIGATE, accident)
    context = {
        "accident": accident,
        "detail": detail,
        "steps": detail.steps,
        "reports": detail.reports,
        "findings": detail.findings,
        "investigation": investigation,
        "responsibilities": detail.responsibilities,
        "measures": detail.measures,
        "can_report": can(user, REPORT, accident),
        "can_receive": can(user, RECEIVE, accident),
        "can_find": can(user, "accidents.record_finding", accident),
        "can_investigate": can_investigate,
        "finding_form": forms.FindingForm(),
        "injured_form": forms.InjuredPersonForm(auto_id="id_injured_%s"),
        "investigation_form": forms.InvestigationForm()
        if can_investigate and investigation is None
        else None,
        "responsibility_form": forms.ResponsibilityForm(user=user, grade=accident.grade)
        if can_investigate and investigation
        else None,
        "measure_form": forms.MeasureForm() if can_investigate and investigation else None,
        "report_received_form": forms.ReportReceivedForm(),
        "reply_extend_form": forms.ReplyExtendForm(),
        "reply_form": forms.ReplyForm(),
        "timeline": audit.timeline(accident, selectors.timeline_sources(accident, investigation)),
        "now": now,
        "breadcrumbs": entry.crumbs(_list_crumb(), (accident.title, "")),
    }
    return render(request, "accidents/accident_detail.html", context)


# ---------------------------------------------------------------- reporting


@login_required
@require_http_methods(["GET", "POST"])
def accident_create(request):
    user = request.user
    require_right(user, REPORT)
    return entry.form_page(
        request,
        form=forms.AccidentForm(request.POST or None, user=user),
        call=lambda data: services.report_accident(actor=user, data=data),
        success_url=lambda accident: _detail_url(accident.pk),
        template="accidents/form.html",
        context={
            "title": _("事故初报"),
            "cancel_url": reverse("accidents:accident-list"),
            "breadcrumbs": entry.crumbs(_list_crumb(), (_("事故初报"), "")),
        },
        message=_("事故初报已提交，县级值班部门已收到通知。"),
    )


def _follow_up_message(request, version) -> None:
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


@login_required
@require_http_methods(["GET", "POST"])
def accident_report(request, pk):
    """续报/补报."""
    user = request.user
    accident = selectors.access_accident(user, pk)
    require(user, REPORT, accident)

    def call(data):
        data = dict(data)
        version = services.add_report(actor=user, accident_pk=pk, kind=data.pop("kind"), data=data)
        _follow_up_message(request, version)
        return version

    return entry.form_page(
        request,
        form=forms.FollowUpForm.for_accident(accident, request.POST or None),
        call=call,
        success_url=_detail_url(pk),
        template="accidents/form.html",
        context={
            "title": _("续报/补报：%(title)s") % {"title": accident.title},
            "cancel_url": _detail_url(pk),
            "breadcrumbs": entry.crumbs(
                _list_crumb(), (accident.title, _detail_url(pk)), (_("续报/补报"), "")
            ),
        },
    )


def _accident_action(request, pk, right: str, form, call, message):
    """A POST step of the accident page: scoped access (404), the right on it (403), then the service."""
    user = request.user
    accident = selectors.access_accident(user, pk)
    require(user, right, accident)
    return entry.post_action(
        request, form=form, call=lambda data: call(user, data), back=_detail_url(accident.pk), message=message
    )


@login_required
@require_POST
def accident_forward(request, pk):
    return _accident_action(
        request,
        pk,
        RECEIVE,
        forms.ForwardForm(request.POST),
        lambda user, data: services.forward_report(
            actor=user, accident_pk=pk, level=data["level"], at=data["at"]
        ),
        _("已登记逐级上报。"),
    )


@login_required
@require_POST
def accident_finding(request, pk):
    return _accident_action(
        request,
        pk,
        "accidents.record_finding",
        forms.FindingForm(request.POST),
        lambda user, data: services.record_finding(actor=user, accident_pk=pk, **data),
        _("已登记认定情况。"),
    )


# ---------------------------------------------------------------- injured persons by lost work days


@login_required
@require_POST
def injured_create(request, pk):
    return _accident_action(
        request,
        pk,
        REPORT,
        forms.InjuredPersonForm(request.POST),
        lambda user, data: services.add_injured_person(actor=user, accident_pk=pk, data=data),
        _("已登记伤员损失工作日，重伤、轻伤人数已按登记结果更新。"),
    )


@login_required
@require_POST
def injured_update(request, pk, person_pk):
    return _accident_action(
        request,
        pk,
        REPORT,
        forms.InjuredPersonForm(request.POST),
        lambda user, data: services.correct_injured_person(
            actor=user, accident_pk=pk, person_pk=person_pk, data=data
        ),
        _("已更正伤员损失工作日。"),
    )


@login_required
@require_POST
def injured_remove(request, pk, person_pk):
    return _accident_action(
        request,
        pk,
        REPORT,
        forms.RemoveForm(request.POST),
        lambda user, data: services.remove_injured_person(actor=user, accident_pk=pk, person_pk=person_pk),
        _("已删除该伤员记录。"),
    )


# ---------------------------------------------------------------- investigation


@login_required
@require_POST
def investigation_create(request, pk):
    return _accident_action(
        request,
        pk,
        INVESTIGATE,
        forms.InvestigationForm(request.POST),
        lambda user, data: services.open_investigation(actor=user, accident_pk=pk, data=data),
        _("调查组已成立。"),
    )


# One URL per transition of the investigation and of a measure (`<slug>-<name>`), served by one view each.
investigation_transition = entry.transition_view(
    access=selectors.access_investigation_by_pk,
    table=Investigation.TRANSITIONS,
    perform=lambda user, investigation, transition, data: services.take_investigation_transition(
        actor=user, investigation=investigation, transition=transition, data=data
    ),
    detail_url=lambda investigation: _detail_url(investigation.accident_id),
)

measure_transition = entry.transition_view(
    access=selectors.access_measure,
    table=PreventiveMeasure.TRANSITIONS,
    perform=lambda user, measure, transition, data: services.complete_measure(
        actor=user,
        accident_pk=measure.investigation.accident_id,
        measure_pk=measure.pk,
        completed_on=data["completed_on"],
        note=data["note"],
    ),
    detail_url=lambda measure: _detail_url(measure.investigation.accident_id),
)


@login_required
@require_POST
def responsibility_create(request, pk):
    return _accident_action(
        request,
        pk,
        INVESTIGATE,
        forms.ResponsibilityForm(request.POST, user=request.user),
        lambda user, data: services.add_responsibility(actor=user, accident_pk=pk, data=data),
        _("已登记责任认定。"),
    )


@login_required
@require_POST
def measure_create(request, pk):
    return _accident_action(
        request,
        pk,
        INVESTIGATE,
        forms.MeasureForm(request.POST),
        lambda user, data: services.add_measure(actor=user, accident_pk=pk, **data),
        _("已登记防范和整改措施。"),
    )


def _investigation_step(form_class, service, message):
    """A POST step of the investigation's 批复 on the accident page: the form's data go to `service`."""

    @login_required
    @require_POST
    def view(request, pk):
        return _accident_action(
            request,
            pk,
            INVESTIGATE,
            form_class(request.POST),
            lambda user, data: service(actor=user, accident_pk=pk, **data),
            message,
        )

    return view


report_received = _investigation_step(
    forms.ReportReceivedForm,
    services.record_report_received,
    gettext_lazy("已登记收到调查报告日期，批复期限已计算。"),
)
reply_extend = _investigation_step(
    forms.ReplyExtendForm, services.extend_reply, gettext_lazy("已延长批复期限。")
)
reply_record = _investigation_step(
    forms.ReplyForm, services.record_reply, gettext_lazy("已登记调查报告批复。")
)


# ---------------------------------------------------------------- minor events, economy


def _event_page(request, *, rows, form_class, service, template: str, title, url_name: str, message):
    """A list of events below the accident record (未遂事件, 较大涉险事故) with, for those who report accidents,
    the form that records one through `service`."""
    user = request.user
    if request.method == "POST":
        require_right(user, REPORT)
    context = {
        "page": page_of(request, rows(user), entry.PAGE_SIZE),
        "query": query_without_page(request),
        "breadcrumbs": entry.crumbs(_list_crumb(), (title, "")),
    }
    if not has_right(user, REPORT):
        return render(request, template, {"form": None, **context})
    return entry.form_page(
        request,
        form=form_class(request.POST or None, user=user),
        call=lambda data: service(actor=user, data=data),
        success_url=reverse(url_name),
        template=template,
        context=context,
        message=message,
    )


@login_required
@require_http_methods(["GET", "POST"])
def minor_event_list(request):
    return _event_page(
        request,
        rows=selectors.minor_event_list,
        form_class=forms.MinorEventForm,
        service=services.record_minor_event,
        template="accidents/minor_event_list.html",
        title=_("未遂事件和轻微事故"),
        url_name="accidents:minor-event-list",
        message=_("已登记。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def near_miss_list(request):
    """较大涉险事故: the list, and the report form for those who report accidents."""
    return _event_page(
        request,
        rows=selectors.near_miss_list,
        form_class=forms.NearMissForm,
        service=services.report_near_miss,
        template="accidents/near_miss_list.html",
        title=_("较大涉险事故"),
        url_name="accidents:near-miss-list",
        message=_("较大涉险事故已报告，县级值班部门已收到通知。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def economy_list(request):
    user = request.user
    if request.method == "POST":
        require_right(user, "accidents.edit_economy")
    context = {
        "rows": selectors.economy_list(user),
        "breadcrumbs": entry.crumbs(
            (_("事故统计"), reverse("accidents:statistics")), (_("地区经济指标"), "")
        ),
    }
    template = "accidents/economy_list.html"
    if not has_right(user, "accidents.edit_economy"):
        return render(request, template, {"form": None, **context})
    return entry.form_page(
        request,
        form=forms.EconomyForm(request.POST or None, user=user),
        call=lambda data: services.save_economy(
            actor=user,
            region_pk=data["region"].pk,
            year=data["year"],
            gdp_yi=data["gdp_yi"],
            industrial_employment=data["industrial_employment"],
            motor_vehicles=data.get("motor_vehicles"),
            raw_coal_wan_tonnes=data.get("raw_coal_wan_tonnes"),
        ),
        success_url=reverse("accidents:economy-list"),
        template=template,
        context=context,
        message=_("经济指标已保存。"),
    )


# ---------------------------------------------------------------- statistics


def _chart_data(report: dict) -> dict:
    months = report["by_month"]
    return {
        "months": [row.label for row in months],
        "accidents": [row.current.accidents for row in months],
        "accidents_before": [row.previous.accidents for row in months],
        "deaths": [row.current.deaths for row in months],
        "deaths_before": [row.previous.deaths for row in months],
        "industry": [[row.label, row.current.accidents, row.current.deaths] for row in report["by_industry"]],
        "pyramid": [
            [layer.label, layer.actual] for layer in report["pyramid"].layers if layer.actual is not None
        ],
        "labels": {
            "accidents": _("事故起数"),
            "accidents_before": _("去年同期起数"),
            "deaths": _("死亡人数"),
            "deaths_before": _("去年同期死亡"),
        },
    }


def _pyramid_switch(request, chosen: str) -> list[dict]:
    """The pyramid card's switch: one link per Heinrich variant, keeping the other filters of the query."""
    links = []
    for variant, label in statistics.pyramid_variants():
        query = request.GET.copy()
        query["pyramid"] = variant
        links.append({"label": label, "url": f"?{query.urlencode()}", "active": variant == chosen})
    return links


@login_required
def statistics_page(request):
    user = request.user
    form = forms.StatisticsForm(request.GET or None, user=user)
    period, filters = form.query()
    report = statistics.report(user, period, filters, _("合计"), form.grouping)
    variant = form.pyramid_variant()
    report["pyramid"] = statistics.pyramid(user, period, filters, variant)
    report["near_misses"] = statistics.near_miss_count(user, period, filters)
    context = {
        "form": form,
        **report,
        "charts": _chart_data(report),
        "query": request.GET.urlencode(),
        "pyramid_variants": _pyramid_switch(request, variant),
        "can_export": has_right(user, EXPORT),
        "can_edit_economy": has_right(user, "accidents.edit_economy"),
        "indicator_labels": [
            _("事故起数"),
            _("死亡（含失踪）人数"),
            _("重伤人数"),
            _("直接经济损失（万元）"),
        ],
        "breadcrumbs": entry.crumbs((_("事故统计"), "")),
    }
    return render(request, "accidents/statistics.html", context)


@login_required
def statistics_export(request):
    require_right(request.user, EXPORT)
    form = forms.StatisticsForm(request.GET or None, user=request.user)
    period, filters = form.query()
    heading = exports.statistics_heading(request.user, form, period)
    report = statistics.report(request.user, period, filters, _("合计"), form.grouping)
    return exports.statistics_export(report, heading)


# ---------------------------------------------------------------- links of the module's to-dos and indicators


def reports_to_receive_url(user) -> str:
    return f"{reverse('accidents:accident-list')}?pending=receive"


def follow_ups_due_url(user) -> str:
    return f"{reverse('accidents:accident-list')}?pending=follow_up"


def replies_due_url(user) -> str:
    return f"{reverse('accidents:accident-list')}?pending=reply"


def this_year_url(user) -> str:
    today = timezone.localdate()
    return f"{reverse('accidents:accident-list')}?date_from={today.year}-01-01&date_to={today.isoformat()}"
