"""Pages of 会商研判: the meetings (list, record, detail, edit, XLSX ledger), the 安全风险提示单 sent from them (who
confirmed, who is pending or escalated, each unit's report on each measure), and the recipient unit's page to
confirm and report. Views parse input, call one service and render (through `anlan.core.entry`)."""

from __future__ import annotations

from functools import partial

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, exporting, receipts
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.models import ReceiptTask
from anlan.core.paging import filtered
from anlan.core.permissions import has_right, require_right

from .. import rules
from ..forms import consult as forms
from ..models import Bulletin, Consultation
from ..models.consult import MANAGE
from ..selectors import consult as selectors
from ..services import consult as services

EXPORT = "warnings.export"


def _consultation_crumb():
    return (_("会商研判"), reverse("warnings:consultation-list"))


def _consultation_url(pk) -> str:
    return reverse("warnings:consultation-detail", args=[pk])


def _bulletin_url(pk) -> str:
    return reverse("warnings:bulletin-detail", args=[pk])


def _receipt_url(pk) -> str:
    return reverse("warnings:bulletin-receipt", args=[pk])


# A titled form page of this part: its template, with title, cancel link and breadcrumbs.
_form_page = partial(entry.titled_form_page, template="warnings/consult/form.html")


# ---------------------------------------------------------------- meetings


@login_required
def consultation_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.consultation_list(user),
        filterset_class=forms.ConsultationFilter,
        template="warnings/consult/consultation_list.html",
        fragment="warnings/consult/_consultation_table.html",
        context={
            "can_manage": has_right(user, MANAGE),
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs((_("会商研判"), "")),
        },
    )


@login_required
def consultation_export(request):
    return exporting.export(request, "warning_consultations")


@login_required
def consultation_detail(request, pk):
    user = request.user
    consultation = selectors.access_consultation(user, pk)
    bulletins = list(selectors.bulletin_list(user).filter(consultation=consultation).order_by("-sent_at"))
    return render(
        request,
        "warnings/consult/consultation_detail.html",
        {
            "consultation": consultation,
            "departments": consultation.departments.order_by("name"),
            "bulletins": bulletins,
            "can_manage": services.may_manage(user, consultation),
            "timeline": audit.timeline(consultation),
            "breadcrumbs": entry.crumbs(_consultation_crumb(), (consultation.topic, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    user = request.user
    require_right(user, MANAGE)
    return _form_page(
        request,
        form=forms.ConsultationForm(request.POST or None, user=user),
        call=lambda data: services.record_consultation(actor=user, data=data),
        success_url=lambda consultation: _consultation_url(consultation.pk),
        title=_("登记会商研判"),
        cancel_url=reverse("warnings:consultation-list"),
        crumbs=[_consultation_crumb()],
        message=_("会商研判已登记。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk):
    user = request.user
    consultation = selectors.access_consultation(user, pk)
    services.require_convener(user, consultation)
    initial = {name: getattr(consultation, name) for name in services.MEETING_TEXT} | {
        "held_at": consultation.held_at,
        "convener": consultation.convener_id,
        "departments": list(consultation.departments.values_list("pk", flat=True)),
        "warning": consultation.warning_id,
    }
    detail = _consultation_url(pk)
    return _form_page(
        request,
        form=forms.ConsultationForm(request.POST or None, user=user, initial=initial),
        call=lambda data: services.update_consultation(actor=user, consultation_pk=pk, data=data),
        success_url=detail,
        title=_("修改会商研判"),
        cancel_url=detail,
        crumbs=[_consultation_crumb(), (consultation.topic, detail)],
        message=_("会商研判已保存。"),
    )


# ---------------------------------------------------------------- bulletins


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_create(request, pk):
    user = request.user
    consultation = selectors.access_consultation(user, pk)
    services.require_convener(user, consultation)
    detail = _consultation_url(pk)
    return _form_page(
        request,
        form=forms.BulletinForm(
            request.POST or None,
            user=user,
            consultation=consultation,
            initial={"risk_level": consultation.risk_level, "title": consultation.topic},
        ),
        call=lambda data: services.send_bulletin(actor=user, consultation_pk=pk, data=data),
        success_url=lambda bulletin: _bulletin_url(bulletin.pk),
        title=_("发出安全风险提示单"),
        cancel_url=detail,
        crumbs=[_consultation_crumb(), (consultation.topic, detail)],
        message=_("安全风险提示单已发出，待接收单位确认。"),
    )


@login_required
def bulletin_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.bulletin_list(user).order_by("-sent_at", "-pk"),
        filterset_class=forms.BulletinFilter,
        template="warnings/consult/bulletin_list.html",
        fragment="warnings/consult/_bulletin_table.html",
        context={"breadcrumbs": entry.crumbs((_("安全风险提示单"), ""))},
    )


@login_required
def bulletin_detail(request, pk):
    user = request.user
    bulletin = selectors.access_bulletin(user, pk)
    measures = list(selectors.measures_of(bulletin))
    reports = selectors.reports_of_bulletin(bulletin)
    rows = [
        {
            "task": task,
            "reports": [reports.get((task.pk, m.pk)) for m in measures],
            "done": sum(1 for m in measures if (r := reports.get((task.pk, m.pk))) and r.done),
        }
        for task in selectors.tasks_of(bulletin)
    ]
    return render(
        request,
        "warnings/consult/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "measures": measures,
            "rows": rows,
            "summary": selectors.receipt_summary(bulletin),
            "timeline": audit.timeline(bulletin),
            "breadcrumbs": entry.crumbs(
                _consultation_crumb(),
                (bulletin.consultation.topic, _consultation_url(bulletin.consultation_id)),
                (bulletin.title, ""),
            ),
        },
    )


def _perform(user, bulletin, step, data):
    return services.close_bulletin(actor=user, bulletin_pk=bulletin.pk, reason=(data or {}).get("reason", ""))


bulletin_transition = entry.transition_view(
    access=selectors.access_bulletin,
    table=Bulletin.TRANSITIONS,
    perform=_perform,
    detail_url=lambda bulletin: _bulletin_url(bulletin.pk),
)


# ---------------------------------------------------------------- the recipient unit


def received_url(user) -> str:
    return reverse("warnings:bulletin-received")


@login_required
def bulletin_received(request):
    """安全风险提示单 addressed to the user's units, newest first (the open ones are also in the 待办)."""
    return entry.list_page(
        request,
        queryset=selectors.received_list(request.user),
        filterset_class=forms.ReceivedFilter,
        template="warnings/consult/received.html",
        fragment="warnings/consult/_received_table.html",
        context={"breadcrumbs": entry.crumbs((_("我收到的风险提示单"), ""))},
    )


@login_required
def bulletin_receipt(request, pk):
    user = request.user
    task = selectors.access_task(user, pk)
    bulletin = selectors.bulletin_of(task)
    is_recipient = receipts.may_confirm(user, task)
    is_open = bulletin.status == Bulletin.Status.SENT
    reports = selectors.reports_of_task(task)
    measures = [(m, reports.get(m.pk)) for m in selectors.measures_of(bulletin)]
    return render(
        request,
        "warnings/consult/receipt.html",
        {
            "task": task,
            "bulletin": bulletin,
            "measures": measures,
            "may_confirm": is_recipient and is_open and task.status in ReceiptTask.OPEN,
            "may_report": is_recipient and is_open and task.status == ReceiptTask.Status.CONFIRMED,
            "sees_bulletin": Bulletin.objects.for_user(user).filter(pk=bulletin.pk).exists(),
            "breadcrumbs": entry.crumbs(
                (_("我收到的风险提示单"), reverse("warnings:bulletin-received")), (bulletin.title, "")
            ),
        },
    )


def _recipient_only(user, task) -> None:
    if not receipts.may_confirm(user, task):
        raise PermissionDenied(_("只有接收单位的人员可以确认和反馈。"))


@login_required
@require_POST
def bulletin_confirm(request, pk):
    user = request.user
    task = selectors.access_task(user, pk)
    _recipient_only(user, task)
    return entry.post_action(
        request,
        form=django_forms.Form(request.POST),
        call=lambda data: services.confirm_bulletin(actor=user, task_pk=pk),
        back=_receipt_url(pk),
        message=_("已确认收到，请逐条反馈防范措施落实情况。"),
    )


@login_required
@require_POST
def bulletin_report(request, pk, measure_pk):
    user = request.user
    task = selectors.access_task(user, pk)
    _recipient_only(user, task)
    return entry.post_action(
        request,
        form=forms.MeasureReportForm(request.POST),
        call=lambda data: services.report_measure(
            actor=user, task_pk=pk, measure_pk=measure_pk, done=data["done"], note=data["note"]
        ),
        back=_receipt_url(pk),
        message=_("落实情况已反馈。"),
    )


# ---------------------------------------------------------------- the ledger (core/exporting.py)

COLUMNS = [
    Column(gettext_lazy("会商时间"), 16),
    Column(gettext_lazy("会商类型"), 8),
    Column(gettext_lazy("会商主题"), 30, WRAP),
    Column(gettext_lazy("召集单位"), 20, WRAP),
    Column(gettext_lazy("参会部门"), 30, WRAP),
    Column(gettext_lazy("参会人员"), 30, WRAP),
    Column(gettext_lazy("研判结论"), 40, WRAP),
    Column(gettext_lazy("风险等级"), 12),
    Column(gettext_lazy("后续工作"), 30, WRAP),
    Column(gettext_lazy("据此发布的预警"), 24, WRAP),
    Column(gettext_lazy("风险提示单"), 6),
]


def ledger(user, params) -> Ledger:
    kinds = dict(rules.CONSULTATION_KINDS)

    def rows(queryset):
        for c in queryset.select_related("convener", "warning").prefetch_related("departments"):
            yield [
                timezone.localtime(c.held_at).strftime("%Y-%m-%d %H:%M"),
                str(kinds.get(c.kind, c.kind)),
                c.topic,
                c.convener.name,
                "、".join(d.name for d in c.departments.all()),
                c.attendees.replace("\n", "；"),
                c.judgement,
                str(rules.RISK_LEVEL_LABELS.get(c.risk_level, c.risk_level)),
                c.follow_ups,
                c.warning.title if c.warning else "",
                c.bulletin_count,
            ]

    queryset = (
        Consultation.objects.for_user(user, EXPORT)
        .annotate(bulletin_count=Count("bulletins", distinct=True))
        .order_by("-held_at", "-pk")
    )
    filterset = forms.ConsultationFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="consultations",
        sheet_title=_("会商研判台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )
