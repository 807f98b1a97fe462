"""Pages of 督查问题, 两书一函 and 问责记录: 督查 (list, record, detail with its problems, assign a problem), the
problems' 台账 (filters, XLSX ledger, statistics), a problem's page showing its hazard record (whose own page
takes the plan, rectification and 销号 steps) and the problem's root cause and systemic measure, the 制度措施清单, the letters
(issue, detail with the DOCX, confirm, reply) and the accountability records. Views parse input, call one
service and render (through `anlan.core.entry`)."""

from __future__ import annotations

from functools import partial

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anlan.core import audit, entry, exporting, importing, receipts, uploads
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.forms import ImportForm
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require_right
from anlan.hazards import selectors as hazards

from .. import rules
from ..forms import problems as forms
from ..models import AccountabilityRecord, GovernmentLetter
from ..models.problems import ANSWER_PROBLEMS, EXPORT_PROBLEMS, MANAGE_PROBLEMS
from ..selectors import problems as selectors
from ..services import problem_imports
from ..services import problems as services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORM = "governance/problems/form.html"


def _visits_crumb():
    return (_("督查"), reverse("governance:visit-list"))


def _problems_crumb():
    return (_("督查问题台账"), reverse("governance:problem-list"))


def _letters_crumb():
    return (_("两书一函"), reverse("governance:letter-list"))


def _accountability_crumb():
    return (_("问责记录"), reverse("governance:accountability-list"))


# A titled form page of this part: its template, with title, cancel link and breadcrumbs.
_form_page = partial(entry.titled_form_page, template=FORM)


# ---------------------------------------------------------------- 督查


@login_required
def visit_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.visit_list(user),
        filterset_class=forms.VisitFilter,
        template="governance/problems/visit_list.html",
        fragment="governance/problems/_visit_table.html",
        context={
            "can_manage": has_right(user, MANAGE_PROBLEMS),
            "breadcrumbs": entry.crumbs((_("督查"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request):
    user = request.user
    require_right(user, MANAGE_PROBLEMS)
    return _form_page(
        request,
        form=forms.VisitForm(request.POST or None, user=user),
        call=lambda data: services.record_visit(actor=user, data=data),
        success_url=lambda visit: reverse("governance:visit-detail", args=[visit.pk]),
        title=_("登记督查"),
        cancel_url=reverse("governance:visit-list"),
        crumbs=[_visits_crumb()],
        message=_("督查已登记，请逐项交办问题。"),
    )


@login_required
def visit_detail(request, pk):
    user = request.user
    visit = selectors.access_visit(user, pk)
    return render(
        request,
        "governance/problems/visit_detail.html",
        {
            "visit": visit,
            "inspected": visit.inspected_units.order_by("kind", "name"),
            "problems": selectors.problems_of_visit(user, visit),
            "today": timezone.localdate(),
            "can_assign": has_right(user, MANAGE_PROBLEMS)
            and (user.is_superuser or _is_member(user, visit.issuer)),
            "timeline": audit.timeline(visit),
            "breadcrumbs": entry.crumbs(_visits_crumb(), (visit.title, "")),
        },
    )


def _is_member(user, unit) -> bool:
    from anlan.core import units

    return units.is_member(user, unit)


@login_required
@require_http_methods(["GET", "POST"])
def problem_create(request, pk):
    user = request.user
    visit = selectors.access_visit(user, pk)
    services._may_issue(user, visit)
    detail = reverse("governance:visit-detail", args=[pk])
    return _form_page(
        request,
        form=forms.ProblemForm(request.POST or None, user=user),
        call=lambda data: services.assign_problem(actor=user, visit_pk=pk, data=data),
        success_url=detail,
        title=_("交办问题"),
        cancel_url=detail,
        crumbs=[_visits_crumb(), (visit.title, detail)],
        message=_("问题已交办，已通知责任单位。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def problem_import(request, pk):
    """导入交办问题清单: a handed-down list as XLSX, each row a problem of this visit (the kernel's importer)."""
    user = request.user
    visit = selectors.access_visit(user, pk)
    services._may_issue(user, visit)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {}
    if request.method == "POST" and form.is_valid():
        result = importing.submit(
            request,
            "governance_problems",
            form.cleaned_data["file"],
            valid_only=form.cleaned_data["valid_only"],
            visit=visit.pk,
        )
        context = importing.shown(request, result, imported=_("已导入 %(n)d 项问题。"))
        if context is None:  # a large file: its job's page reports
            return redirect("core:job-detail", pk=result.pk)
    detail = reverse("governance:visit-detail", args=[pk])
    context |= {
        "form": form,
        "visit": visit,
        "columns": [title for title, _name in problem_imports.COLUMNS],
        "breadcrumbs": entry.crumbs(_visits_crumb(), (visit.title, detail), (_("导入问题清单"), "")),
    }
    return render(request, "governance/problems/import.html", context)


@login_required
@require_GET
def problem_import_template(request):
    require_right(request.user, MANAGE_PROBLEMS)
    workbook = problem_imports.template_workbook(request.user)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="problem-import-template.xlsx"'
    workbook.save(response)
    return response


# ---------------------------------------------------------------- problems


@login_required
def problem_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.problem_list(user),
        filterset_class=forms.ProblemFilter,
        template="governance/problems/problem_list.html",
        fragment="governance/problems/_problem_table.html",
        context={
            "today": timezone.localdate(),
            "can_export": has_right(user, EXPORT_PROBLEMS),
            "breadcrumbs": entry.crumbs((_("督查问题台账"), "")),
        },
    )


@login_required
def problem_export(request):
    return exporting.export(request, "governance_problems")


@login_required
def problem_detail(request, pk):
    """A problem with its hazard: the hazard's number, state, plan (五落实), rectification and verification, the
    steps the user may take on the hazard's page (plan and rectify for the assignee; 验收销号 for the issuer),
    and the problem's own 深层次原因 and 制度措施."""
    user = request.user
    problem = selectors.access_problem(user, pk)
    hazard = problem.hazard
    today = timezone.localdate()
    may_record = (
        hazard.is_open
        and can(user, ANSWER_PROBLEMS, problem)
        and (user.is_superuser or _is_member(user, hazard.responsible_unit))
    )
    return render(
        request,
        "governance/problems/problem_detail.html",
        {
            "problem": problem,
            "hazard": hazard,
            "plan": hazard.current_plan(),
            "rectification": hazard.rectifications.order_by("-submitted_at", "-pk").first(),
            "verifications": hazard.verifications.select_related("verified_by").order_by(
                "-verified_at", "-pk"
            ),
            "hazard_actions": hazards.hazard_actions(hazard, user),
            "overdue": hazard.missed_deadline,
            "days_overdue": rules.problem_days_overdue(hazard.due_on, today),
            "letters": selectors.letter_list(user).filter(problem=problem),
            "measures_form": forms.MeasuresForm(
                initial={"root_cause": problem.root_cause, "systemic_measure": problem.systemic_measure}
            )
            if may_record
            else None,
            "can_follow_up": hazard.is_open and can(user, MANAGE_PROBLEMS, problem),
            "timeline": audit.timeline(problem),
            "breadcrumbs": entry.crumbs(_problems_crumb(), (str(problem), "")),
        },
    )


@login_required
@require_POST
def problem_measures(request, pk):
    """填报深层次原因和制度措施 (the assignee)."""
    user = request.user
    selectors.access_problem(user, pk)
    return entry.post_action(
        request,
        form=forms.MeasuresForm(request.POST),
        call=lambda data: services.record_measures(actor=user, problem_pk=pk, data=data),
        back=reverse("governance:problem-detail", args=[pk]),
        message=_("已保存深层次原因和制度措施。"),
    )


@login_required
def problem_statistics(request):
    user = request.user
    filterset = forms.ProblemFilter(
        request.GET or None, queryset=selectors.problem_list(user), request=request
    )
    return render(
        request,
        "governance/problems/statistics.html",
        {
            "filter": filterset,
            "stats": selectors.statistics(filtered(filterset), timezone.localdate()),
            "breadcrumbs": entry.crumbs(_problems_crumb(), (_("统计"), "")),
        },
    )


@login_required
def measure_list(request):
    """制度措施清单: problems with the root cause found and the systemic measure adopted (问题 + 制度措施 两个清单)."""
    return entry.list_page(
        request,
        queryset=selectors.measure_list(request.user),
        filterset_class=forms.ProblemFilter,
        template="governance/problems/measure_list.html",
        fragment="governance/problems/_measure_table.html",
        context={"breadcrumbs": entry.crumbs(_problems_crumb(), (_("制度措施清单"), ""))},
    )


# ---------------------------------------------------------------- the ledger (core/exporting.py)

COLUMNS = [
    Column(gettext_lazy("督查名称"), 24, WRAP),
    Column(gettext_lazy("来源"), 8),
    Column(gettext_lazy("问题描述"), 40, WRAP),
    Column(gettext_lazy("责任单位"), 20, WRAP),
    Column(gettext_lazy("隐患编号"), 18),
    Column(gettext_lazy("整改时限"), 12),
    Column(gettext_lazy("整改措施"), 30, WRAP),
    Column(gettext_lazy("整改责任人"), 10),
    Column(gettext_lazy("深层次原因"), 30, WRAP),
    Column(gettext_lazy("制度措施"), 30, WRAP),
    Column(gettext_lazy("整改情况"), 30, WRAP),
    Column(gettext_lazy("状态"), 8),
    Column(gettext_lazy("销号日期"), 12),
    Column(gettext_lazy("是否逾期"), 8),
]


def ledger(user, params) -> Ledger:
    sources = dict(rules.PROBLEM_SOURCES)

    def rows(queryset):
        queryset = queryset.prefetch_related(
            Prefetch("hazard__plans", queryset=hazards.plans_newest_first()),
            Prefetch("hazard__rectifications", queryset=hazards.rectifications_newest_first()),
        )
        for p in queryset:
            hazard = p.hazard
            plan = next(iter(hazard.plans.all()), None)
            rectification = next(iter(hazard.rectifications.all()), None)
            yield [
                p.visit.title,
                str(sources.get(p.visit.source, p.visit.source)),
                hazard.description,
                hazard.responsible_unit.name if hazard.responsible_unit_id else "",
                hazard.number,
                hazard.due_on.isoformat(),
                plan.measures if plan else "",
                plan.responsible_person if plan else "",
                p.root_cause,
                p.systemic_measure,
                rectification.description if rectification else "",
                str(hazard.get_status_display()),
                hazard.closed_on.isoformat() if hazard.closed_on else "",
                str(_("是") if hazard.missed_deadline else _("否")),
            ]

    queryset = selectors.problem_list(user, EXPORT_PROBLEMS)
    filterset = forms.ProblemFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="governance-problems",
        sheet_title=_("督查问题整改台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )


# ---------------------------------------------------------------- 两书一函


@login_required
def letter_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.letter_list(user).order_by("-issued_on", "-pk"),
        filterset_class=forms.LetterFilter,
        template="governance/problems/letter_list.html",
        fragment="governance/problems/_letter_table.html",
        context={
            "today": timezone.localdate(),
            "can_manage": has_right(user, MANAGE_PROBLEMS),
            "breadcrumbs": entry.crumbs((_("两书一函"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request):
    user = request.user
    require_right(user, MANAGE_PROBLEMS)
    initial = {}
    if request.GET.get("problem"):
        initial = {"problem": request.GET["problem"], "kind": "supervision_letter"}
    return _form_page(
        request,
        form=forms.LetterForm(request.POST or None, user=user, initial=initial),
        call=lambda data: services.issue_letter(actor=user, data=data),
        success_url=lambda letter: reverse("governance:letter-detail", args=[letter.pk]),
        title=_("发出两书一函"),
        cancel_url=reverse("governance:letter-list"),
        crumbs=[_letters_crumb()],
        message=_("已编号发出，待收函单位确认和回复。"),
    )


@login_required
def letter_detail(request, pk):
    user = request.user
    letter = selectors.access_letter(user, pk)
    task = services.letter_task(letter)
    today = timezone.localdate()
    return render(
        request,
        "governance/problems/letter_detail.html",
        {
            "letter": letter,
            "task": task,
            "may_confirm": task is not None and task.status in task.OPEN and receipts.may_confirm(user, task),
            "overdue": rules.letter_reply_is_overdue(letter.reply_due_on, today, letter.replied_on),
            "timeline": audit.timeline(letter),
            "breadcrumbs": entry.crumbs(_letters_crumb(), (letter.document.number, "")),
        },
    )


@login_required
def letter_document(request, pk):
    letter = selectors.access_letter(request.user, pk)
    return FileResponse(
        letter.document.file.open("rb"),
        as_attachment=True,
        filename=f"{letter.document.number}.docx",
        content_type=DOCX,
    )


@login_required
def letter_reply_file(request, pk):
    letter = selectors.access_letter(request.user, pk)
    if not letter.reply_file:
        raise Http404
    return uploads.serve(letter.reply_file, _("回复附件"))


@login_required
@require_POST
def letter_confirm(request, pk):
    user = request.user
    letter = selectors.access_letter(user, pk)
    task = services.letter_task(letter)
    if task is None or not receipts.may_confirm(user, task):
        raise PermissionDenied(_("只有收函单位的人员可以确认收到。"))
    return entry.post_action(
        request,
        form=django_forms.Form(request.POST),
        call=lambda data: services.confirm_letter(actor=user, letter_pk=pk),
        back=reverse("governance:letter-detail", args=[pk]),
        message=_("已确认收到，请在回复时限内书面回复。"),
    )


def _perform_letter(user, letter, step, data):
    if step.name == "reply":
        return services.reply_letter(actor=user, letter_pk=letter.pk, data=data)
    if step.name == "close":
        return services.close_letter(actor=user, letter_pk=letter.pk)
    return services.send_back_letter(actor=user, letter_pk=letter.pk, reason=data.get("reason", ""))


letter_transition = entry.transition_view(
    access=selectors.access_letter,
    table=GovernmentLetter.TRANSITIONS,
    perform=_perform_letter,
    detail_url=lambda letter: reverse("governance:letter-detail", args=[letter.pk]),
)


def my_letters_url(user) -> str:
    return reverse("governance:letter-list") + "?status=issued"


# ---------------------------------------------------------------- 问责


@login_required
def accountability_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.accountability_list(user).order_by("-decided_on", "-pk"),
        filterset_class=forms.AccountabilityFilter,
        template="governance/problems/accountability_list.html",
        fragment="governance/problems/_accountability_table.html",
        context={
            "can_manage": has_right(user, MANAGE_PROBLEMS),
            "can_export": has_right(user, EXPORT_PROBLEMS),
            "breadcrumbs": entry.crumbs((_("问责记录"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accountability_create(request):
    user = request.user
    require_right(user, MANAGE_PROBLEMS)
    initial = {"problem": request.GET["problem"]} if request.GET.get("problem") else {}
    return _form_page(
        request,
        form=forms.AccountabilityForm(
            request.POST or None, request.FILES or None, user=user, initial=initial
        ),
        call=lambda data: services.record_accountability(actor=user, data=data),
        success_url=lambda record: reverse("governance:accountability-detail", args=[record.pk]),
        title=_("登记问责记录"),
        cancel_url=reverse("governance:accountability-list"),
        crumbs=[_accountability_crumb()],
        message=_("问责记录已登记。"),
        multipart=True,
    )


@login_required
def accountability_detail(request, pk):
    record = selectors.access_accountability(request.user, pk)
    return render(
        request,
        "governance/problems/accountability_detail.html",
        {
            "record": record,
            "timeline": audit.timeline(record),
            "breadcrumbs": entry.crumbs(_accountability_crumb(), (str(record), "")),
        },
    )


@login_required
def accountability_file(request, pk):
    record = selectors.access_accountability(request.user, pk)
    if not record.file:
        raise Http404
    return uploads.serve(record.file, _("文书扫描件"))


@login_required
def accountability_export(request):
    return exporting.export(request, "governance_accountability")


ACCOUNTABILITY_COLUMNS = [
    Column(gettext_lazy("日期"), 12),
    Column(gettext_lazy("类别"), 10),
    Column(gettext_lazy("对象单位"), 24, WRAP),
    Column(gettext_lazy("对象人员"), 12),
    Column(gettext_lazy("职务"), 12),
    Column(gettext_lazy("事由"), 40, WRAP),
    Column(gettext_lazy("作出单位"), 20, WRAP),
    Column(gettext_lazy("起因"), 30, WRAP),
]


def accountability_ledger(user, params) -> Ledger:
    def rows(queryset):
        for r in queryset.select_related("subject_unit", "decided_by", "problem__hazard"):
            cause = r.problem.description[:80] if r.problem_id else r.cause_label
            yield [
                r.decided_on.isoformat(),
                str(r.get_kind_display()),
                r.subject_unit.name,
                r.person_name,
                r.person_title,
                r.reason,
                r.decided_by.name,
                cause,
            ]

    queryset = AccountabilityRecord.objects.for_user(user, EXPORT_PROBLEMS).order_by("-decided_on", "-pk")
    filterset = forms.AccountabilityFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="governance-accountability",
        sheet_title=_("问责记录台账"),
        columns=ACCOUNTABILITY_COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )
