"""Pages of the points part: the ledger of geohazard and flood-control points, a point with its monitoring
record, the forms, observations from a phone, 核销, the XLSX ledger."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anlan.core import audit, entry, exporting, uploads
from anlan.core.exports import Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require, require_right
from anlan.core.rules import mask_phone

from .. import rules
from ..forms import points as forms
from ..selectors import points as selectors
from ..services import points as services

MANAGE = services.MANAGE
OBSERVE = services.OBSERVE
EXPORT = "warnings.export"


def _crumb():
    return (_("隐患点与防汛重点部位"), reverse("warnings:point-list"))


@login_required
@require_GET
def point_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.point_list(user).order_by("-is_active", "region_id", "kind", "name", "pk"),
        filterset_class=forms.PointFilter,
        template="warnings/points/list.html",
        fragment="warnings/points/_table.html",
        context={
            "can_manage": has_right(user, MANAGE),
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs((_("隐患点与防汛重点部位"), "")),
        },
    )


@login_required
@require_GET
def point_detail(request, pk):
    user = request.user
    point = selectors.access_point(user, pk)
    may_manage = can(user, MANAGE, point)
    return render(
        request,
        "warnings/points/detail.html",
        {
            "point": point,
            "can_manage": may_manage and point.is_active,
            "can_observe": can(user, OBSERVE, point) and point.is_active,
            "show_phones": may_manage or can(user, OBSERVE, point),
            "observations": selectors.observations(user, point)[:50],
            "observation_form": forms.ObservationForm(),
            "close_form": forms.CloseForm(),
            "timeline": audit.timeline(point),
            "breadcrumbs": entry.crumbs(_crumb(), (point.name, "")),
        },
    )


# A titled form page of this part: its template, with title, cancel link and breadcrumbs.
_form_page = partial(entry.titled_form_page, template="warnings/points/form.html")


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request):
    user = request.user
    require_right(user, MANAGE)
    return _form_page(
        request,
        form=forms.PointForm(request.POST or None, user=user),
        call=lambda data: services.register(actor=user, data=data),
        success_url=lambda point: reverse("warnings:point-detail", args=[point.pk]),
        title=_("登记隐患点"),
        cancel_url=reverse("warnings:point-list"),
        crumbs=[_crumb()],
        message=_("已登记。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request, pk):
    user = request.user
    point = selectors.access_point(user, pk)
    require(user, MANAGE, point)
    initial = {name: getattr(point, name) for name in services.FIELDS} | {"region": point.region_id}
    detail = reverse("warnings:point-detail", args=[pk])
    return _form_page(
        request,
        form=forms.PointForm(request.POST or None, user=user, initial=initial),
        call=lambda data: services.update(actor=user, point_pk=pk, data=data),
        success_url=detail,
        title=_("修改隐患点"),
        cancel_url=detail,
        crumbs=[_crumb(), (point.name, detail)],
        message=_("已保存。"),
    )


@login_required
@require_POST
def point_observe(request, pk):
    user = request.user
    point = selectors.access_point(user, pk)
    return entry.post_action(
        request,
        form=forms.ObservationForm(request.POST),
        call=lambda data: services.observe(actor=user, point_pk=point.pk, data=data),
        back=reverse("warnings:point-detail", args=[pk]),
        message=_("监测记录已登记。"),
        invalid=_("请填写监测情况；监测时间格式如 2026-07-01 08:00。"),
    )


@login_required
@require_POST
def point_close(request, pk):
    user = request.user
    point = selectors.access_point(user, pk)
    return entry.post_action(
        request,
        form=forms.CloseForm(request.POST),
        call=lambda data: services.close(actor=user, point_pk=point.pk, reason=data["reason"]),
        back=reverse("warnings:point-detail", args=[pk]),
        message=_("已核销。"),
        invalid=_("请填写核销原因。"),
    )


@login_required
@require_GET
def point_export(request):
    return exporting.export(request, "warning_points")


COLUMNS = [
    Column(_("名称"), 24),
    Column(_("类型"), 14),
    Column(_("灾害或工程类型"), 14),
    Column(_("所在区划"), 14),
    Column(_("位置"), 24),
    Column(_("受威胁户数"), 10),
    Column(_("受威胁人数"), 10),
    Column(_("群测群防员"), 12),
    Column(_("群测群防员电话"), 14),
    Column(_("责任单位"), 18),
    Column(_("责任人"), 10),
    Column(_("度汛方案批准日期"), 14),
    Column(_("状态"), 8),
    Column(_("更新时间"), 16),
]


def _rows(user):
    def rows(queryset):
        kinds = dict(rules.POINT_KINDS)
        phones = has_right(user, MANAGE) or has_right(user, OBSERVE)
        for p in queryset.iterator(chunk_size=500):
            yield [
                p.name,
                str(kinds.get(p.kind, p.kind)),
                p.subtype,
                p.region.name,
                p.place,
                p.households,
                p.people,
                p.monitor_name,
                p.monitor_phone if phones else mask_phone(p.monitor_phone),
                p.owner_unit,
                p.owner_name,
                f"{p.plan_approved_on:%Y-%m-%d}" if p.plan_approved_on else "",
                _("在册") if p.is_active else _("已核销"),
                f"{timezone.localtime(p.updated_at):%Y-%m-%d %H:%M}",
            ]

    return rows


def ledger(user, params) -> Ledger:
    """地质灾害隐患点和防汛重点部位台账, filtered as the list."""
    queryset = selectors.point_list(user).order_by("region_id", "kind", "name", "pk")
    filterset = forms.PointFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="warning_points",
        sheet_title=_("隐患点与防汛重点部位台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=_rows(user),
        user=user,
        filterset=filterset,
    )


# ---------------------------------------------------------------- patrols


def patrols_url(user) -> str:
    return reverse("warnings:patrol-list") + "?state=open"


@login_required
@require_GET
def patrol_list(request):
    """巡查任务: 雨前排查、雨中巡查、雨后核查 of the points in the user's area, the overdue first."""
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.patrol_list(user).order_by(F("done_at").desc(nulls_first=True), "due_at", "pk"),
        filterset_class=forms.PatrolFilter,
        template="warnings/patrols/list.html",
        fragment="warnings/patrols/_table.html",
        context={
            "now": timezone.now(),
            "breadcrumbs": entry.crumbs((_("巡查任务"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def patrol_report(request, pk):
    user = request.user
    patrol = selectors.access_patrol(user, pk)
    require(user, OBSERVE, patrol.point)
    back = reverse("warnings:patrol-list") + "?state=open"
    form = forms.PatrolForm(request.POST or None, request.FILES or None)
    if patrol.is_done:
        form = None
    title = f"{patrol.get_stage_display()} · {patrol.point.name}"
    if form is None:
        return render(
            request,
            "warnings/patrols/report.html",
            {
                "patrol": patrol,
                "form": None,
                "title": title,
                "breadcrumbs": entry.crumbs((_("巡查任务"), back), (title, "")),
            },
        )
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.report_patrol(actor=user, patrol_pk=patrol.pk, data=data),
        success_url=back,
        template="warnings/patrols/report.html",
        context={
            "patrol": patrol,
            "title": title,
            "breadcrumbs": entry.crumbs((_("巡查任务"), back), (title, "")),
        },
        message=_("巡查情况已报告。"),
    )


@login_required
@require_GET
def patrol_photo(request, pk):
    patrol = selectors.access_patrol(request.user, pk)
    if not patrol.photo:
        raise Http404
    return uploads.serve(patrol.photo, f"{patrol.point.name}{patrol.get_stage_display()}")
