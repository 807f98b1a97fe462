"""Pages of the alarms part: the list (filters, export), an alarm with its timeline and the handling steps as
buttons, the statistics, the import (XLSX, or CSV turned into the same sheet) and the monitoring systems'
signed webhook."""

from __future__ import annotations

import json
import time
from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anlan.core import audit, entry, exporting, importing
from anlan.core.errors import DomainError
from anlan.core.exports import Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import has_right, require_right

from .. import rules
from ..forms import alarms as forms
from ..models import Alarm
from ..selectors import alarms as selectors
from ..services import alarm_imports
from ..services import alarms as services

EXPORT = "warnings.export"
VIEW = "warnings.view_alarms"
# A webhook call carries one alarm: a few hundred bytes. Anything larger is refused before it is read.
WEBHOOK_MAX_BYTES = 64 * 1024


def _crumb():
    return (_("监测报警"), reverse("warnings:alarm-list"))


def alarms_url(user) -> str:
    return reverse("warnings:alarm-list") + "?status=received&status=checked"


@login_required
@require_GET
def alarm_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.alarm_list(user).order_by("-raised_at", "-pk"),
        filterset_class=forms.AlarmFilter,
        template="warnings/alarms/list.html",
        fragment="warnings/alarms/_table.html",
        context={
            "can_import": has_right(user, services.IMPORT),
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs((_("监测报警"), "")),
        },
    )


@login_required
@require_GET
def alarm_detail(request, pk):
    alarm = selectors.access_alarm(request.user, pk)
    return render(
        request,
        "warnings/alarms/detail.html",
        {
            "alarm": alarm,
            "handling_minutes": rules.alarm_handling_minutes(alarm.raised_at, alarm.closed_at)
            if alarm.closed_at
            else None,
            "timeline": audit.timeline(alarm),
            "breadcrumbs": entry.crumbs(_crumb(), (str(alarm), "")),
        },
    )


# One URL per transition of the handling loop (`alarm-<name>`), served by one view.
alarm_transition = entry.transition_view(
    access=selectors.access_alarm,
    table=Alarm.TRANSITIONS,
    perform=lambda user, alarm, transition, data: services.take_transition(
        actor=user, alarm=alarm, transition=transition, data=data
    ),
    detail_url=lambda alarm: reverse("warnings:alarm-detail", args=[alarm.pk]),
)


@login_required
@require_GET
def alarm_statistics(request):
    """监测报警统计 over the user's scope and the list's filters."""
    user = request.user
    require_right(user, VIEW)
    filterset = forms.AlarmFilter(request.GET or None, queryset=selectors.alarm_list(user), request=request)
    today = timezone.localdate()
    month_start = timezone.make_aware(datetime(today.year, today.month, 1))
    stats = selectors.statistics(filtered(filterset), month_start=month_start)
    return render(
        request,
        "warnings/alarms/statistics.html",
        {
            "filter": filterset,
            "stats": stats,
            "kinds": dict(rules.ALARM_KINDS),
            "breadcrumbs": entry.crumbs(_crumb(), (_("监测报警统计"), "")),
        },
    )


@login_required
@require_GET
def alarm_export(request):
    return exporting.export(request, "warning_alarms")


COLUMNS = [
    Column(_("生产经营单位"), 28),
    Column(_("统一社会信用代码"), 20),
    Column(_("来源系统"), 10),
    Column(_("来源报警编号"), 20),
    Column(_("报警类型"), 16),
    Column(_("监测点位"), 20),
    Column(_("监测值"), 10),
    Column(_("报警阈值"), 10),
    Column(_("计量单位"), 8),
    Column(_("报警时间"), 16),
    Column(_("状态"), 8),
    Column(_("核查时间"), 16),
    Column(_("办结时间"), 16),
    Column(_("处置时长（分钟）"), 10),
    Column(_("处置情况或误报原因"), 30),
]


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _rows(queryset):
    kinds, statuses = dict(rules.ALARM_KINDS), dict(Alarm.Status.choices)
    for a in queryset.iterator(chunk_size=500):
        yield [
            a.enterprise.name,
            a.enterprise.uscc,
            a.source,
            a.source_id,
            str(kinds.get(a.kind, a.kind)),
            a.tag,
            a.value.normalize(),
            a.threshold.normalize(),
            a.unit,
            _local(a.raised_at),
            str(statuses.get(a.status, a.status)),
            _local(a.checked_at),
            _local(a.closed_at),
            rules.alarm_handling_minutes(a.raised_at, a.closed_at) if a.closed_at else "",
            a.resolution,
        ]


def ledger(user, params) -> Ledger:
    """监测报警台账, filtered as the list."""
    queryset = selectors.alarm_list(user).order_by("-raised_at", "-pk")
    filterset = forms.AlarmFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="warning_alarms",
        sheet_title=_("监测报警台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=_rows,
        user=user,
        filterset=filterset,
    )


# ---------------------------------------------------------------- import


@login_required
@require_http_methods(["GET", "POST"])
def alarm_import(request):
    user = request.user
    require_right(user, services.IMPORT)
    form = forms.AlarmImportForm(request.POST or None, request.FILES or None)
    context = {}
    if request.method == "POST" and form.is_valid():
        result = importing.submit(
            request, "warning_alarms", form.cleaned_data["file"], valid_only=form.cleaned_data["valid_only"]
        )
        context = importing.shown(request, result, imported=_("已导入 %(n)d 条监测报警。"))
        if context is None:  # a large file: its job's page reports
            return redirect("core:job-detail", pk=result.pk)
    context |= {
        "form": form,
        "columns": [title for title, _name in alarm_imports.COLUMNS],
        "breadcrumbs": entry.crumbs(_crumb(), (_("导入监测报警"), "")),
    }
    return render(request, "warnings/alarms/import.html", context)


@login_required
@require_GET
def alarm_import_template(request):
    require_right(request.user, services.IMPORT)
    workbook = alarm_imports.template_workbook(request.user)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="alarm-import-template.xlsx"'
    workbook.save(response)
    return response


# ---------------------------------------------------------------- webhook


def _refuse(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse({"code": code, "detail": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'HMAC-SHA256 realm="anlan-alarms"'
    return response


@csrf_exempt
@require_POST
def alarm_webhook(request, source):
    """A monitoring system pushes one alarm as JSON, signed with its secret (ANLAN_ALARM_WEBHOOK_SECRETS):
    `X-Anlan-Timestamp` (Unix seconds) and `X-Anlan-Signature: sha256=<hex HMAC-SHA256 of "timestamp.body">`.
    401 without them, 403 for a wrong signature, an unknown source or a timestamp outside the window; 400
    names the field at fault; 201 for a new alarm, 200 for a repeat of one already received."""
    timestamp = request.headers.get("X-Anlan-Timestamp", "")
    signature = request.headers.get("X-Anlan-Signature", "")
    if not timestamp or not signature:
        return _refuse(401, "signature_missing", _("缺少签名：须带 X-Anlan-Timestamp 和 X-Anlan-Signature。"))
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = WEBHOOK_MAX_BYTES + 1
    if length > WEBHOOK_MAX_BYTES:
        return _refuse(413, "body_too_large", _("请求体过大：每次推送一条报警。"))
    body = request.body
    secret = settings.ANLAN_ALARM_WEBHOOK_SECRETS.get(source, "")
    if not rules.alarm_signature_valid(secret, timestamp, body, signature):
        return _refuse(403, "signature_invalid", _("签名无效或来源系统未登记。"))
    window = settings.ANLAN_ALARM_WEBHOOK_WINDOW_SECONDS
    if not rules.alarm_timestamp_fresh(timestamp, time.time(), window):
        return _refuse(403, "timestamp_stale", _("时间戳超出允许范围（前后 %(s)d 秒）。") % {"s": window})
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _refuse(400, "json_invalid", _("请求体须为 UTF-8 编码的 JSON 对象。"))
    if not isinstance(payload, dict):
        return _refuse(400, "json_invalid", _("请求体须为 UTF-8 编码的 JSON 对象。"))
    try:
        alarm, created = services.receive_alarm(source=source, data=payload)
    except DomainError as error:
        return JsonResponse({"code": str(error.code), "errors": error.errors}, status=400)
    return JsonResponse(
        {"id": alarm.pk, "status": "created" if created else "duplicate"}, status=201 if created else 200
    )
