"""Pages of 四级包保: the office's list (filters, 逾期未走访, XLSX ledger), a pairing's page with its visits, the
forms to pair, edit and deactivate (the office) and to record a visit (the leader or the office), 我的包保, and
the enterprise page's 包保领导 panel. Views parse input, call one service and render (through `anlan.core.entry`)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from anlan.core import audit, entry, exporting
from anlan.core import selectors as core_selectors
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import has_right, require_right

from .. import rules
from ..forms import baobao as forms
from ..models.baobao import EXPORT_BAOBAO, MANAGE_BAOBAO
from ..selectors import baobao as selectors
from ..services import baobao as services

FORM = "governance/baobao/form.html"
_form_page = partial(entry.titled_form_page, template=FORM)


def _list_crumb():
    return (_("四级包保"), reverse("governance:baobao-list"))


def _detail_url(assignment) -> str:
    return reverse("governance:baobao-detail", args=[assignment.pk])


@login_required
def assignment_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.assignment_list(user),
        filterset_class=forms.AssignmentFilter,
        template="governance/baobao/list.html",
        fragment="governance/baobao/_table.html",
        context={
            "today": timezone.localdate(),
            "can_manage": has_right(user, MANAGE_BAOBAO),
            "can_export": has_right(user, EXPORT_BAOBAO),
            "breadcrumbs": entry.crumbs((_("四级包保"), "")),
        },
    )


@login_required
def assignment_export(request):
    return exporting.export(request, "governance_baobao")


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request):
    user = request.user
    require_right(user, MANAGE_BAOBAO)
    return _form_page(
        request,
        form=forms.AssignmentForm(request.POST or None, user=user),
        call=lambda data: services.create_assignment(actor=user, data=data),
        success_url=_detail_url,
        title=_("确定包保关系"),
        cancel_url=reverse("governance:baobao-list"),
        crumbs=[_list_crumb()],
        message=_("包保关系已确定，已通知包保领导。"),
    )


@login_required
def assignment_detail(request, pk):
    user = request.user
    assignment = selectors.access_assignment(user, pk)
    today = timezone.localdate()
    return render(
        request,
        "governance/baobao/detail.html",
        {
            "a": assignment,
            "visits": selectors.visits_of(user, assignment),
            "overdue": assignment.is_active and rules.baobao_visit_is_overdue(assignment.due_on, today),
            "days_overdue": rules.baobao_days_overdue(assignment.due_on, today),
            "can_manage": _may(services.may_manage, user, assignment),
            "can_record": assignment.is_active and _may(services.may_record, user, assignment),
            "timeline": audit.timeline(assignment),
            "breadcrumbs": entry.crumbs(_list_crumb(), (str(assignment), "")),
        },
    )


def _may(check, user, assignment) -> bool:
    from django.core.exceptions import PermissionDenied

    try:
        check(user, assignment)
    except PermissionDenied:
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request, pk):
    user = request.user
    assignment = selectors.access_assignment(user, pk)
    services.may_manage(user, assignment)
    initial = {name: getattr(assignment, name) for name in services.EDITABLE}
    detail = _detail_url(assignment)
    return _form_page(
        request,
        form=forms.AssignmentEditForm(request.POST or None, initial=initial),
        call=lambda data: services.update_assignment(actor=user, assignment_pk=pk, data=data),
        success_url=detail,
        title=_("修改包保关系"),
        cancel_url=detail,
        crumbs=[_list_crumb(), (str(assignment), detail)],
        message=_("包保关系已修改。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_deactivate(request, pk):
    user = request.user
    assignment = selectors.access_assignment(user, pk)
    services.may_manage(user, assignment)
    detail = _detail_url(assignment)
    return _form_page(
        request,
        form=forms.DeactivateForm(request.POST or None),
        call=lambda data: services.deactivate_assignment(actor=user, assignment_pk=pk, reason=data["reason"]),
        success_url=detail,
        title=_("撤销包保关系"),
        cancel_url=detail,
        crumbs=[_list_crumb(), (str(assignment), detail)],
        message=_("包保关系已撤销。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request, pk):
    user = request.user
    assignment = selectors.access_assignment(user, pk)
    services.may_record(user, assignment)
    detail = _detail_url(assignment)
    return _form_page(
        request,
        form=forms.VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()}),
        call=lambda data: services.record_visit(actor=user, assignment_pk=pk, data=data),
        success_url=detail,
        title=_("登记包保走访"),
        cancel_url=detail,
        crumbs=[_list_crumb(), (str(assignment), detail)],
        message=_("走访已登记。"),
    )


@login_required
def mine(request):
    """我的包保: the leader's own pairings, the most urgent first, with which are due."""
    user = request.user
    return render(
        request,
        "governance/baobao/mine.html",
        {
            "rows": selectors.mine(user),
            "today": timezone.localdate(),
            "breadcrumbs": entry.crumbs((_("我的包保"), "")),
        },
    )


@login_required
def enterprise_panel(request, pk):
    """包保领导 on the enterprise's page (loaded into it by htmx)."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    return render(
        request,
        "governance/baobao/_enterprise_panel.html",
        {"enterprise": enterprise, "rows": selectors.of_enterprise(user, enterprise)},
    )


# ---------------------------------------------------------------- the ledger (core/exporting.py)

COLUMNS = [
    Column(gettext_lazy("包保领导"), 10),
    Column(gettext_lazy("职务"), 16, WRAP),
    Column(gettext_lazy("包保层级"), 8),
    Column(gettext_lazy("包保类别"), 12),
    Column(gettext_lazy("对象类型"), 12),
    Column(gettext_lazy("包保对象"), 28, WRAP),
    Column(gettext_lazy("年度"), 6),
    Column(gettext_lazy("走访频次（天）"), 10),
    Column(gettext_lazy("最近走访"), 12),
    Column(gettext_lazy("下次走访时限"), 12),
    Column(gettext_lazy("逾期未走访"), 8),
    Column(gettext_lazy("有效"), 6),
]


def ledger(user, params) -> Ledger:
    today = timezone.localdate()

    def rows(queryset):
        for a in queryset:
            late = a.is_active and rules.baobao_visit_is_overdue(a.due_on, today)
            yield [
                a.leader_name,
                a.leader_post,
                str(a.get_level_display()),
                str(a.get_kind_display()),
                str(a.get_target_type_display()),
                a.target_name,
                a.year,
                a.every_days,
                a.last_visited_on.isoformat() if a.last_visited_on else "",
                a.due_on.isoformat(),
                str(_("是") if late else _("否")),
                str(_("是") if a.is_active else _("否")),
            ]

    queryset = selectors.assignment_list(user, EXPORT_BAOBAO)
    filterset = forms.AssignmentFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="governance-baobao",
        sheet_title=_("四级包保台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )
