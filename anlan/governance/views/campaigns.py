"""Pages of 安委会会议/议定事项 and 专项整治: meetings (list, record, detail with decisions, edit), the decision
tasks (list with 待办 filters, detail with reports and the buttons the user may press, the XLSX 督办台账),
campaigns (list, create, detail with areas, members, cards, tagged records and issued 调度通报), the card's
page of who reported, and the member unit's page to confirm and report. Views parse, call one service, render."""

from __future__ import annotations

from functools import partial

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, exporting, receipts, uploads
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.models import ReceiptTask
from anlan.core.paging import filtered
from anlan.core.permissions import has_right, require_right

from ..forms import campaigns as forms
from ..models import DecisionTask
from ..models.campaigns import MANAGE_CAMPAIGNS, MANAGE_MEETINGS
from ..selectors import campaigns as selectors
from ..services import campaigns as services

EXPORT = "governance.export"
FORM = "governance/campaigns/form.html"


def _meeting_url(pk) -> str:
    return reverse("governance:meeting-detail", args=[pk])


def _task_url(pk) -> str:
    return reverse("governance:decision-task-detail", args=[pk])


def _campaign_url(pk) -> str:
    return reverse("governance:campaign-detail", args=[pk])


def _meeting_crumb():
    return (_("安委会会议"), reverse("governance:meeting-list"))


def _campaign_crumb():
    return (_("专项整治"), reverse("governance:campaign-list"))


# A titled form page of this part: its template, with title, cancel link and breadcrumbs.
_form_page = partial(entry.titled_form_page, template=FORM)


# ================================================================ meetings


@login_required
def meeting_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.meeting_list(user),
        filterset_class=forms.MeetingFilter,
        template="governance/campaigns/meeting_list.html",
        fragment="governance/campaigns/_meeting_table.html",
        context={
            "can_manage": has_right(user, MANAGE_MEETINGS),
            "breadcrumbs": entry.crumbs((_("安委会会议"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    user = request.user
    require_right(user, MANAGE_MEETINGS)
    return _form_page(
        request,
        form=forms.MeetingForm(request.POST or None, user=user),
        call=lambda data: services.record_meeting(actor=user, data=data),
        success_url=lambda meeting: _meeting_url(meeting.pk),
        title=_("登记安委会会议"),
        cancel_url=reverse("governance:meeting-list"),
        crumbs=[_meeting_crumb()],
        message=_("会议已登记，请逐项录入议定事项。"),
    )


@login_required
def meeting_detail(request, pk):
    user = request.user
    meeting = selectors.access_meeting(user, pk)
    today = timezone.localdate()
    return render(
        request,
        "governance/campaigns/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": selectors.decisions_of(meeting),
            "today": today,
            "can_manage": services.may_manage(user, meeting, meeting.office),
            "timeline": audit.timeline(meeting),
            "breadcrumbs": entry.crumbs(_meeting_crumb(), (meeting.title, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    user = request.user
    meeting = selectors.access_meeting(user, pk)
    services.require_office(user, meeting, meeting.office)
    initial = {name: getattr(meeting, name) for name in services.MEETING_TEXT} | {
        "held_on": meeting.held_on,
        "office": meeting.office_id,
    }
    detail = _meeting_url(pk)
    return _form_page(
        request,
        form=forms.MeetingForm(request.POST or None, user=user, initial=initial),
        call=lambda data: services.update_meeting(actor=user, meeting_pk=pk, data=data),
        success_url=detail,
        title=_("修改会议"),
        cancel_url=detail,
        crumbs=[_meeting_crumb(), (meeting.title, detail)],
        message=_("会议已保存。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request, pk):
    user = request.user
    meeting = selectors.access_meeting(user, pk)
    services.require_office(user, meeting, meeting.office)
    detail = _meeting_url(pk)
    return _form_page(
        request,
        form=forms.DecisionForm(request.POST or None, user=user),
        call=lambda data: services.add_decision(actor=user, meeting_pk=pk, data=data),
        success_url=detail,
        title=_("交办议定事项"),
        cancel_url=detail,
        crumbs=[_meeting_crumb(), (meeting.title, detail)],
        message=_("议定事项已交办。"),
    )


# ================================================================ decision tasks


@login_required
def task_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.task_list(user),
        filterset_class=forms.DecisionTaskFilter,
        template="governance/campaigns/task_list.html",
        fragment="governance/campaigns/_task_table.html",
        context={
            "today": timezone.localdate(),
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs((_("议定事项督办"), "")),
        },
    )


@login_required
def task_export(request):
    return exporting.export(request, "governance_decisions")


@login_required
def task_detail(request, pk):
    user = request.user
    task = selectors.access_task(user, pk)
    from anlan.core import units

    is_assignee = user.is_superuser or units.is_member(user, task.assignee)
    meeting = task.decision.meeting
    return render(
        request,
        "governance/campaigns/task_detail.html",
        {
            "task": task,
            "meeting": meeting,
            "sees_meeting": selectors.meeting_list(user).filter(pk=meeting.pk).exists(),
            "reports": selectors.reports_of(task),
            "overdue": task.status != DecisionTask.Status.CLOSED and task.due_on < timezone.localdate(),
            "may_progress": is_assignee
            and task.status in DecisionTask.OPEN
            and has_right(user, "governance.answer_decisions"),
            "progress_form": forms.ProgressForm(),
            "timeline": audit.timeline(task),
            "breadcrumbs": entry.crumbs(
                (_("议定事项督办"), reverse("governance:decision-task-list")), (task.decision.text[:30], "")
            ),
        },
    )


@login_required
@require_POST
def task_progress(request, pk):
    user = request.user
    selectors.access_task(user, pk)
    return entry.post_action(
        request,
        form=forms.ProgressForm(request.POST),
        call=lambda data: services.report_progress(actor=user, task_pk=pk, data=data),
        back=_task_url(pk),
        message=_("进展情况已报送。"),
    )


def _perform(user, task, step, data):
    if step.name == "report":
        return services.report_completion(actor=user, task_pk=task.pk, data=data)
    return services.decide_task(
        actor=user, task_pk=task.pk, step=step.name, reason=(data or {}).get("reason", "")
    )


task_transition = entry.transition_view(
    access=selectors.access_task,
    table=DecisionTask.TRANSITIONS,
    perform=_perform,
    detail_url=lambda task: _task_url(task.pk),
)


# ---------------------------------------------------------------- the ledger (议定事项督办台账)

COLUMNS = [
    Column(gettext_lazy("会议"), 24, WRAP),
    Column(gettext_lazy("会议日期"), 12),
    Column(gettext_lazy("序号"), 6),
    Column(gettext_lazy("议定事项"), 40, WRAP),
    Column(gettext_lazy("承办单位"), 20, WRAP),
    Column(gettext_lazy("完成时限"), 12),
    Column(gettext_lazy("状态"), 10),
    Column(gettext_lazy("是否逾期"), 8),
    Column(gettext_lazy("最新办理情况"), 40, WRAP),
    Column(gettext_lazy("确认办结时间"), 16),
]


def ledger(user, params) -> Ledger:
    today = timezone.localdate()

    def rows(queryset):
        for task in queryset.select_related("decision__meeting", "assignee").prefetch_related("reports"):
            reports = list(task.reports.all())
            yield [
                task.decision.meeting.title,
                task.decision.meeting.held_on.isoformat(),
                task.decision.position,
                task.decision.text,
                task.assignee.name,
                task.due_on.isoformat(),
                str(task.get_status_display()),
                str(_("是")) if task.status != DecisionTask.Status.CLOSED and task.due_on < today else "",
                reports[-1].text if reports else "",
                timezone.localtime(task.closed_at).strftime("%Y-%m-%d %H:%M") if task.closed_at else "",
            ]

    queryset = DecisionTask.objects.for_user(user, EXPORT).order_by("due_on", "pk")
    filterset = forms.DecisionTaskFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="decisions",
        sheet_title=_("议定事项督办台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )


def my_tasks_url(user) -> str:
    return selectors.my_tasks_url(user)


# ================================================================ campaigns


@login_required
def campaign_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.campaign_list(user),
        filterset_class=forms.CampaignFilter,
        template="governance/campaigns/campaign_list.html",
        fragment="governance/campaigns/_campaign_table.html",
        context={
            "can_manage": has_right(user, MANAGE_CAMPAIGNS),
            "breadcrumbs": entry.crumbs((_("专项整治"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    user = request.user
    require_right(user, MANAGE_CAMPAIGNS)
    return _form_page(
        request,
        form=forms.CampaignForm(request.POST or None, user=user),
        call=lambda data: services.create_campaign(actor=user, data=data),
        success_url=lambda campaign: _campaign_url(campaign.pk),
        title=_("登记专项整治"),
        cancel_url=reverse("governance:campaign-list"),
        crumbs=[_campaign_crumb()],
        message=_("专项整治已登记，请添加专题和成员单位。"),
    )


@login_required
def campaign_detail(request, pk):
    user = request.user
    campaign = selectors.access_campaign(user, pk)
    return render(
        request,
        "governance/campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "areas": campaign.areas.prefetch_related("industries"),
            "members": selectors.members_of(campaign),
            "cards": selectors.cards_of(campaign),
            "reports": selectors.report_list(campaign),
            "counts": selectors.tagged_counts(user, campaign),
            "hazards": selectors.tagged_hazards(user, campaign)[:10],
            "can_manage": services.may_manage(user, campaign, campaign.office),
            "issue_form": forms.ReportIssueForm(),
            "tag_form": forms.TagForm(),
            "timeline": audit.timeline(campaign),
            "breadcrumbs": entry.crumbs(_campaign_crumb(), (campaign.title, "")),
        },
    )


def _campaign_form(request, pk, *, form_class, call, title, message, with_user=True):
    user = request.user
    campaign = selectors.access_campaign(user, pk)
    services.require_office(user, campaign, campaign.office)
    detail = _campaign_url(pk)
    form = form_class(request.POST or None, user=user) if with_user else form_class(request.POST or None)
    return _form_page(
        request,
        form=form,
        call=call,
        success_url=detail,
        title=title,
        cancel_url=detail,
        crumbs=[_campaign_crumb(), (campaign.title, detail)],
        message=message,
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_create(request, pk):
    return _campaign_form(
        request,
        pk,
        form_class=forms.AreaForm,
        with_user=False,
        call=lambda data: services.add_area(actor=request.user, campaign_pk=pk, data=data),
        title=_("添加专题/专项"),
        message=_("专题/专项已添加。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request, pk):
    return _campaign_form(
        request,
        pk,
        form_class=forms.MemberForm,
        call=lambda data: services.add_member(actor=request.user, campaign_pk=pk, data=data),
        title=_("添加成员单位"),
        message=_("成员单位已添加。"),
    )


def _member_page(request, *, campaign, form, call, title, message):
    services.require_office(request.user, campaign, campaign.office)
    detail = _campaign_url(campaign.pk)
    return _form_page(
        request,
        form=form,
        call=call,
        success_url=detail,
        title=title,
        cancel_url=detail,
        crumbs=[_campaign_crumb(), (campaign.title, detail)],
        message=message,
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_edit(request, pk):
    user = request.user
    area = selectors.access_area(user, pk)
    initial = {"name": area.name, "industries": list(area.industries.values_list("pk", flat=True))}
    return _member_page(
        request,
        campaign=area.campaign,
        form=forms.AreaForm(request.POST or None, initial=initial),
        call=lambda data: services.update_area(actor=user, area_pk=pk, data=data),
        title=_("修改专题/专项"),
        message=_("专题/专项已保存。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    user = request.user
    member = selectors.access_member(user, pk)
    initial = {"liaison_name": member.liaison_name, "liaison_phone": member.liaison_phone}
    return _member_page(
        request,
        campaign=member.campaign,
        form=forms.MemberEditForm(request.POST or None, initial=initial),
        call=lambda data: services.update_member(actor=user, member_pk=pk, data=data),
        title=_("修改联络员：%(unit)s") % {"unit": member.unit.name},
        message=_("联络员已保存。"),
    )


def _member_switch(request, pk, *, active: bool, message):
    user = request.user
    member = selectors.access_member(user, pk)
    services.require_office(user, member.campaign, member.campaign.office)
    return entry.post_action(
        request,
        form=forms.MemberRemoveForm(request.POST),
        call=lambda data: services.set_member_active(
            actor=user, member_pk=pk, active=active, reason=data.get("reason", "")
        ),
        back=_campaign_url(member.campaign_id),
        message=message,
    )


@login_required
@require_POST
def member_remove(request, pk):
    return _member_switch(
        request, pk, active=False, message=_("成员单位已移出，今后的提示卡不再发给该单位。")
    )


@login_required
@require_POST
def member_restore(request, pk):
    return _member_switch(request, pk, active=True, message=_("成员单位已恢复。"))


@login_required
@require_http_methods(["GET", "POST"])
def card_create(request, pk):
    return _campaign_form(
        request,
        pk,
        form_class=forms.CardForm,
        with_user=False,
        call=lambda data: services.send_card(actor=request.user, campaign_pk=pk, data=data),
        title=_("印发每月提示卡"),
        message=_("提示卡已印发，待成员单位确认并报送。"),
    )


def _office_post(request, pk, *, form, call, message):
    user = request.user
    campaign = selectors.access_campaign(user, pk)
    services.require_office(user, campaign, campaign.office)
    return entry.post_action(request, form=form, call=call, back=_campaign_url(pk), message=message)


@login_required
@require_POST
def campaign_apply_rule(request, pk):
    user = request.user
    return _office_post(
        request,
        pk,
        form=django_forms.Form(request.POST),
        call=lambda data: services.apply_tag_rule(actor=user, campaign_pk=pk),
        message=_("已按规则标记。"),
    )


@login_required
@require_POST
def campaign_tag(request, pk):
    user = request.user
    return _office_post(
        request,
        pk,
        form=forms.TagForm(request.POST),
        call=lambda data: services.tag_by_hand(
            actor=user, campaign_pk=pk, kind=data["kind"], record_pk=data["record"], remove=data["remove"]
        ),
        message=_("标记已更新。"),
    )


@login_required
@require_POST
def campaign_issue(request, pk):
    user = request.user
    return _office_post(
        request,
        pk,
        form=forms.ReportIssueForm(request.POST),
        call=lambda data: services.issue_report(
            actor=user, campaign_pk=pk, period=data["period"], day=data["day"]
        ),
        message=_("调度通报已印发。"),
    )


@login_required
def campaign_report_download(request, pk):
    """The issued DOCX, for whoever sees the campaign (the report is read through its campaign's scope)."""
    from django.http import FileResponse

    report = selectors.access_report(request.user, pk)
    document = report.document
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=f"{document.number}.docx")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- cards


@login_required
def card_detail(request, pk):
    user = request.user
    card = selectors.access_card(user, pk)
    reports = selectors.card_reports(card)
    evidence = selectors.evidence_by_unit(card)
    rows = [
        {
            "task": task,
            "report": reports.get(task.recipient_unit_id),
            "evidence": evidence.get(task.recipient_unit_id, []),
        }
        for task in selectors.card_tasks(card)
    ]
    campaign = card.campaign
    return render(
        request,
        "governance/campaigns/card_detail.html",
        {
            "card": card,
            "rows": rows,
            "reported": sum(1 for row in rows if row["report"]),
            "breadcrumbs": entry.crumbs(
                _campaign_crumb(), (campaign.title, _campaign_url(campaign.pk)), (card.title, "")
            ),
        },
    )


def card_received_url(user) -> str:
    return selectors.my_cards_url(user)


@login_required
def card_received(request):
    return entry.list_page(
        request,
        queryset=selectors.my_cards(request.user),
        filterset_class=forms.CardReceivedFilter,
        template="governance/campaigns/card_received.html",
        fragment="governance/campaigns/_card_received_table.html",
        context={"breadcrumbs": entry.crumbs((_("我收到的提示卡"), ""))},
    )


@login_required
def card_receipt(request, pk):
    user = request.user
    task = selectors.access_card_task(user, pk)
    card = selectors.card_of(task)
    is_member = receipts.may_confirm(user, task)
    report = selectors.report_of_task(task)
    initial = (
        {
            "enterprises_checked": report.enterprises_checked,
            "hazards_found": report.hazards_found,
            "hazards_rectified": report.hazards_rectified,
            "text": report.text,
        }
        if report
        else None
    )
    return render(
        request,
        "governance/campaigns/card_receipt.html",
        {
            "task": task,
            "card": card,
            "report": report,
            "may_confirm": is_member and task.status in ReceiptTask.OPEN,
            "may_report": is_member and task.status == ReceiptTask.Status.CONFIRMED,
            "form": forms.CardReportForm(initial=initial),
            "evidence": selectors.evidence_of(report),
            "breadcrumbs": entry.crumbs(
                (_("我收到的提示卡"), reverse("governance:card-received")), (card.title, "")
            ),
        },
    )


def _member_only(user, task) -> None:
    if not receipts.may_confirm(user, task):
        raise PermissionDenied(_("只有收到提示卡的成员单位可以确认和报送。"))


@login_required
@require_POST
def card_confirm(request, pk):
    user = request.user
    _member_only(user, selectors.access_card_task(user, pk))
    return entry.post_action(
        request,
        form=django_forms.Form(request.POST),
        call=lambda data: services.confirm_card(actor=user, task_pk=pk),
        back=reverse("governance:card-receipt", args=[pk]),
        message=_("已确认收到，请按任务清单开展工作并报送完成情况。"),
    )


@login_required
@require_POST
def card_report(request, pk):
    user = request.user
    _member_only(user, selectors.access_card_task(user, pk))
    return entry.post_action(
        request,
        form=forms.CardReportForm(request.POST, request.FILES),
        call=lambda data: services.report_card(
            actor=user, task_pk=pk, data=data, files=data.get("files") or []
        ),
        back=reverse("governance:card-receipt", args=[pk]),
        message=_("完成情况已报送。"),
    )


@login_required
def card_evidence_file(request, pk):
    """An evidence file of a card report, to whoever sees the report (404 otherwise); named by its sender's
    file name, served with its verified type (core.uploads)."""
    evidence = selectors.access_card_evidence(request.user, pk)
    return uploads.serve(evidence.file, evidence.file_name)
