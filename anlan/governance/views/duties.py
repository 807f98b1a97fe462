"""Pages of 两个清单: the 责任清单 (list, draft, detail with its items and versions, item forms, the 安委办's review
and the revision), the 工作任务清单 (list, new task, detail with its evidence, the XLSX ledger), the 照单追责 view of
an accident and the 监管盲区. Views parse input, call one service and render (through `anlan.core.entry`)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, exporting, uploads
from anlan.core.exports import DATE, NUMBER, WRAP, Column, Ledger, filter_request
from anlan.core.forms import ReasonForm
from anlan.core.paging import filtered, page_of, query_without_page
from anlan.core.permissions import has_right, require, require_right

from .. import rules
from ..forms import duties as forms
from ..models import DutyList, WorkTask
from ..models.duties import DRAFT, REVIEW, VIEW
from ..selectors import duties as selectors
from ..services import duties as services

PER_PAGE = 30


def _lists_crumb():
    return (_("责任清单"), reverse("governance:list-list"))


def _tasks_crumb():
    return (_("工作任务清单"), reverse("governance:task-list"))


def _list_url(pk) -> str:
    return reverse("governance:list-detail", args=[pk])


def _task_url(pk) -> str:
    return reverse("governance:task-detail", args=[pk])


# A titled form page of this part: its template, with title, cancel link and breadcrumbs.
_form_page = partial(entry.titled_form_page, template="governance/duties/form.html")


# ---------------------------------------------------------------- 责任清单


@login_required
def list_list(request):
    user = request.user
    require_right(user, VIEW)
    return entry.list_page(
        request,
        queryset=selectors.list_list(user),
        filterset_class=forms.DutyListFilter,
        template="governance/duties/list_list.html",
        fragment="governance/duties/_list_table.html",
        context={"can_draft": has_right(user, DRAFT), "breadcrumbs": entry.crumbs((_("责任清单"), ""))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def list_create(request):
    user = request.user
    require_right(user, DRAFT)
    return _form_page(
        request,
        form=forms.DutyListForm(request.POST or None, user=user),
        call=lambda data: services.draft_list(actor=user, data=data),
        success_url=lambda duty_list: _list_url(duty_list.pk),
        title=_("起草责任清单"),
        cancel_url=reverse("governance:list-list"),
        crumbs=[_lists_crumb()],
        message=_("责任清单已创建，请逐项填写职责。"),
    )


@login_required
def list_detail(request, pk):
    user = request.user
    duty_list = selectors.access_list(user, pk)
    require(user, VIEW, duty_list)
    return render(
        request,
        "governance/duties/list_detail.html",
        {
            "duty_list": duty_list,
            "items": selectors.items_of(duty_list),
            "versions": selectors.versions_of(duty_list, user),
            "may_edit": has_right(user, DRAFT) and services.may_edit(user, duty_list),
            "may_revise": duty_list.status == DutyList.Status.APPROVED
            and has_right(user, DRAFT)
            and (user.is_superuser or selectors.units.is_member(user, duty_list.owner_unit)),
            "timeline": audit.timeline(duty_list),
            "breadcrumbs": entry.crumbs(_lists_crumb(), (str(duty_list), "")),
        },
    )


def _editable_list(user, pk) -> DutyList:
    duty_list = selectors.access_list(user, pk)
    require(user, DRAFT, duty_list)
    if not services.may_edit(user, duty_list):
        raise PermissionDenied(_("只有起草单位可以修改起草中或已退回的责任清单。"))
    return duty_list


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    user = request.user
    duty_list = _editable_list(user, pk)
    detail = _list_url(pk)
    return _form_page(
        request,
        form=forms.DutyItemForm(request.POST or None, duty_list=duty_list),
        call=lambda data: services.add_item(actor=user, list_pk=pk, data=data),
        success_url=detail,
        title=_("添加责任事项"),
        cancel_url=detail,
        crumbs=[_lists_crumb(), (str(duty_list), detail)],
        message=_("责任事项已添加。"),
    )


def _access_item(user, item_pk):
    from ..models import DutyItem

    item = DutyItem.objects.for_user(user).select_related("duty_list").filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return item


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    user = request.user
    item = _access_item(user, pk)
    duty_list = _editable_list(user, item.duty_list_id)
    detail = _list_url(duty_list.pk)
    initial = {
        "category": item.category,
        "text": item.text,
        "basis": item.basis,
        "industries": list(item.industries.values_list("pk", flat=True)),
        "regions": list(item.regions.values_list("pk", flat=True)),
    }
    return _form_page(
        request,
        form=forms.DutyItemForm(request.POST or None, duty_list=duty_list, initial=initial),
        call=lambda data: services.update_item(actor=user, item_pk=pk, data=data),
        success_url=detail,
        title=_("修改责任事项"),
        cancel_url=detail,
        crumbs=[_lists_crumb(), (str(duty_list), detail)],
        message=_("责任事项已保存。"),
    )


@login_required
@require_POST
def item_delete(request, pk):
    user = request.user
    item = _access_item(user, pk)
    _editable_list(user, item.duty_list_id)
    return entry.post_action(
        request,
        form=ReasonForm({"reason": request.POST.get("reason") or "-"}),
        call=lambda data: services.remove_item(actor=user, item_pk=pk),
        back=_list_url(item.duty_list_id),
        message=_("责任事项已删除。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def list_revise(request, pk):
    user = request.user
    duty_list = selectors.access_list(user, pk)
    require(user, DRAFT, duty_list)
    if not (user.is_superuser or selectors.units.is_member(user, duty_list.owner_unit)):
        raise PermissionDenied(_("只有起草单位的人员可以修订责任清单。"))
    detail = _list_url(pk)
    return _form_page(
        request,
        form=forms.ReviseForm(request.POST or None, initial={"year": duty_list.year}),
        call=lambda data: services.revise_list(actor=user, list_pk=pk, year=data["year"]),
        success_url=lambda revised: _list_url(revised.pk),
        title=_("修订责任清单"),
        cancel_url=detail,
        crumbs=[_lists_crumb(), (str(duty_list), detail)],
        message=_("已生成新版本，请修改后报送审核。"),
    )


def _perform_list(user, duty_list, step, data):
    return services.move_list(
        actor=user, list_pk=duty_list.pk, transition=step.name, reason=(data or {}).get("reason", "")
    )


list_transition = entry.transition_view(
    access=selectors.access_list,
    table=DutyList.TRANSITIONS,
    perform=_perform_list,
    detail_url=lambda duty_list: _list_url(duty_list.pk),
)


# ---------------------------------------------------------------- 工作任务清单


@login_required
def task_list(request):
    user = request.user
    require_right(user, VIEW)
    response = entry.list_page(
        request,
        queryset=selectors.task_list(user),
        filterset_class=forms.WorkTaskFilter,
        template="governance/duties/task_list.html",
        fragment="governance/duties/_task_table.html",
        context={
            "can_create": has_right(user, DRAFT),
            "today": timezone.localdate(),
            "breadcrumbs": entry.crumbs((_("工作任务清单"), "")),
        },
    )
    return response


@login_required
def groundwork(request):
    """基础工作 of a year (三同时, 宣传, 安全社区, 农村道路, 隐患根治): tasks per kind and the totals of their facts,
    in the user's jurisdiction."""
    user = request.user
    require_right(user, VIEW)
    years = selectors.task_years(user)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    confirmed_only = request.GET.get("confirmed") == "1"
    return render(
        request,
        "governance/duties/groundwork.html",
        {
            "year": year,
            "years": years,
            "confirmed_only": confirmed_only,
            "summary": selectors.groundwork_summary(user, year, confirmed_only=confirmed_only),
            "breadcrumbs": entry.crumbs(_tasks_crumb(), (_("基础工作"), "")),
        },
    )


@login_required
def task_export(request):
    return exporting.export(request, "governance_tasks")


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request):
    user = request.user
    require_right(user, DRAFT)
    return _form_page(
        request,
        form=forms.WorkTaskForm(request.POST or None, user=user),
        call=lambda data: services.create_task(actor=user, data=data),
        success_url=lambda task: _task_url(task.pk),
        title=_("下达工作任务"),
        cancel_url=reverse("governance:task-list"),
        crumbs=[_tasks_crumb()],
        message=_("工作任务已下达。"),
    )


@login_required
def task_detail(request, pk):
    user = request.user
    task = selectors.access_task(user, pk)
    require(user, VIEW, task)
    today = timezone.localdate()
    selectors.with_shown_status([task], today)
    is_unit = user.is_superuser or selectors.units.is_member(user, task.unit)
    return render(
        request,
        "governance/duties/task_detail.html",
        {
            "task": task,
            "today": today,
            "evidence": selectors.evidence_of(task, user),
            "may_add_evidence": is_unit
            and has_right(user, DRAFT)
            and task.status in (WorkTask.Status.NOT_STARTED, WorkTask.Status.IN_PROGRESS),
            "evidence_form": forms.EvidenceForm(),
            "timeline": audit.timeline(task),
            "breadcrumbs": entry.crumbs(_tasks_crumb(), (task.title, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_facts(request, pk):
    """填报工作数据 of a 基础工作 task: its unit, before the completion is reported (like the evidence)."""
    user = request.user
    task = selectors.access_task(user, pk)
    require(user, DRAFT, task)
    if not (user.is_superuser or selectors.units.is_member(user, task.unit)):
        raise PermissionDenied(_("只有任务承担单位的人员可以办理。"))
    if not rules.kind_has_facts(task.kind):
        raise Http404
    detail = _task_url(pk)
    form = forms.FactsForm(request.POST or None, kind=task.kind, facts=task.facts)
    title = _("填报工作数据")
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.record_facts(actor=user, task_pk=pk, raw=form.raw()),
        success_url=detail,
        template="governance/duties/task_facts.html",
        context={
            "task": task,
            "title": title,
            "cancel_url": detail,
            "breadcrumbs": entry.crumbs(_tasks_crumb(), (task.title, detail), (title, "")),
        },
        message=_("工作数据已保存。"),
    )


@login_required
@require_POST
def evidence_add(request, pk):
    user = request.user
    task = selectors.access_task(user, pk)
    require(user, DRAFT, task)
    form = forms.EvidenceForm(request.POST, request.FILES)
    return entry.post_action(
        request,
        form=form,
        call=lambda data: services.add_evidence(
            actor=user,
            task_pk=pk,
            upload=data.get("file"),
            link=data.get("link", ""),
            note=data.get("note", ""),
        ),
        back=_task_url(pk),
        message=_("佐证材料已添加。"),
    )


@login_required
@require_POST
def evidence_delete(request, pk):
    user = request.user
    evidence = selectors.access_evidence(user, pk)
    require(user, DRAFT, evidence.task)
    return entry.post_action(
        request,
        form=ReasonForm({"reason": "-"}),
        call=lambda data: services.remove_evidence(actor=user, evidence_pk=pk),
        back=_task_url(evidence.task_id),
        message=_("佐证材料已删除。"),
    )


@login_required
def evidence_file(request, pk):
    """An evidence file, to whoever sees the task (404 otherwise, and for a linked record)."""
    evidence = selectors.access_evidence(request.user, pk)
    if not evidence.file:
        raise Http404
    return uploads.serve(evidence.file, evidence.file_name)


def _perform_task(user, task, step, data):
    data = data or {}
    return services.move_task(
        actor=user,
        task_pk=task.pk,
        transition=step.name,
        reason=data.get("reason", ""),
        note=data.get("note", ""),
    )


task_transition = entry.transition_view(
    access=selectors.access_task,
    table=WorkTask.TRANSITIONS,
    perform=_perform_task,
    detail_url=lambda task: _task_url(task.pk),
    template="governance/duties/task_transition.html",
)


# ---------------------------------------------------------------- 照单追责 / 尽职免责


@login_required
def accident_duties(request, pk):
    """照单追责 / 尽职免责 for one accident: read through the accidents app's public selector (out of scope: 404)."""
    from anlan.accidents.selectors import access_accident

    user = request.user
    accident = access_accident(user, pk)
    require_right(user, VIEW)
    enterprise = accident.enterprise
    region_code = enterprise.region_id if enterprise else accident.region_id
    industry_id = enterprise.industry_id if enterprise else accident.industry_id
    occurred_at = accident.occurred_at
    accident_on = timezone.localtime(occurred_at).date()
    rows = selectors.accountability(
        user,
        accident,
        region_code=region_code,
        industry_id=industry_id,
        accident_on=accident_on,
        occurred_at=occurred_at,
    )
    return render(
        request,
        "governance/duties/accident_duties.html",
        {
            "accident": accident,
            "accident_on": accident_on,
            "rows": rows,
            "outcomes": rules.TASK_OUTCOMES,
            "breadcrumbs": entry.crumbs(
                (_("照单追责"), reverse("governance:accountability")), (accident.title, "")
            ),
        },
    )


@login_required
def accountability(request):
    """照单追责 from governance: the accidents the user can see (the accidents app's public selector), each
    linking to its view."""
    from anlan.accidents.selectors import accident_list

    user = request.user
    require_right(user, VIEW)
    accidents = accident_list(user).select_related("region", "enterprise").order_by("-occurred_at", "-pk")
    return render(
        request,
        "governance/duties/accountability.html",
        {
            "page": page_of(request, accidents, PER_PAGE),
            "query": query_without_page(request),
            "breadcrumbs": entry.crumbs((_("照单追责"), "")),
        },
    )


# ---------------------------------------------------------------- 监管盲区

BLIND_VIEWS = {
    "industries": gettext_lazy("无监管部门的行业"),
    "enterprises": gettext_lazy("无监管部门的企业"),
    "hazards": gettext_lazy("无监管部门的在办隐患"),
}


@login_required
def blind_spots(request):
    user = request.user
    require_right(user, REVIEW)
    show = request.GET.get("show") if request.GET.get("show") in BLIND_VIEWS else "industries"
    rows = {
        "industries": selectors.blind_industries,
        "enterprises": selectors.blind_enterprises,
        "hazards": selectors.blind_hazards,
    }[show](user)
    return render(
        request,
        "governance/duties/blind_spots.html",
        {
            "show": show,
            "views": BLIND_VIEWS,
            # The industries are aggregate rows (dicts, no primary key): Django's own paginator pages them.
            "page": Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
            if show == "industries"
            else page_of(request, rows, PER_PAGE),
            "query": query_without_page(request),
            "breadcrumbs": entry.crumbs((_("监管盲区"), "")),
        },
    )


@login_required
def blind_export(request):
    return exporting.export(request, "governance_blind_spots")


# ---------------------------------------------------------------- ledgers (core/exporting.py)

TASK_COLUMNS = [
    Column(gettext_lazy("年度"), 6, NUMBER),
    Column(gettext_lazy("承担单位"), 24, WRAP),
    Column(gettext_lazy("任务名称"), 30, WRAP),
    Column(gettext_lazy("任务类型"), 14),
    Column(gettext_lazy("任务要求"), 40, WRAP),
    Column(gettext_lazy("完成时限"), 12, DATE),
    Column(gettext_lazy("状态"), 8),
    Column(gettext_lazy("报告完成日期"), 12, DATE),
    Column(gettext_lazy("确认完成日期"), 12, DATE),
    Column(gettext_lazy("完成情况"), 40, WRAP),
    Column(gettext_lazy("佐证材料"), 8, NUMBER),
    Column(gettext_lazy("工作数据"), 40, WRAP),
]


def task_ledger(user, params) -> Ledger:
    today = timezone.localdate()

    def rows(queryset):
        for task in queryset:
            shown = rules.task_status(task.status, task.due_on, today, task.reported_on)
            yield [
                task.year,
                task.unit.name,
                task.title,
                str(rules.TASK_KIND_LABELS.get(task.kind, task.kind)),
                task.description,
                task.due_on,
                str(rules.TASK_STATUS_LABELS[shown]),
                task.reported_on,
                task.completed_on,
                task.report_note,
                task.evidence_count,
                rules.facts_summary(task.kind, task.facts),
            ]

    queryset = selectors.task_list(user)
    filterset = forms.WorkTaskFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="work-tasks",
        sheet_title=_("工作任务清单台账"),
        columns=TASK_COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )


BLIND_COLUMNS = [
    Column(gettext_lazy("生产经营单位"), 30, WRAP),
    Column(gettext_lazy("统一社会信用代码"), 20),
    Column(gettext_lazy("所属区划"), 16),
    Column(gettext_lazy("行业领域"), 20),
]


def blind_ledger(user, params) -> Ledger:
    def rows(queryset):
        for enterprise in queryset:
            yield [enterprise.name, enterprise.uscc, enterprise.region.name, enterprise.industry.name]

    return Ledger(
        name="blind-spots",
        sheet_title=_("监管盲区企业台账"),
        columns=BLIND_COLUMNS,
        queryset=selectors.blind_enterprises(user),
        rows=rows,
        user=user,
    )
