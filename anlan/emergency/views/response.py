"""Incident and response pages: the incident list and detail (its timeline), the response's steps, tasks and their
receipt, the town's 先期处置, public releases with their sign-off and the public page, the chronicle DOCX.
Views parse input, call one service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anlan.core import entry, exporting
from anlan.core.errors import DomainError
from anlan.core.exports import Column, Ledger, choice_labels, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import has_right, require_right
from anlan.core.selectors import regions_for_choice
from anlan.core.units import acts_for, is_member

from .. import rules
from ..forms import response as forms
from ..models import Incident, PublicRelease
from ..selectors import response as selectors
from ..services import chronicle
from ..services import response as services

MANAGE = selectors.MANAGE
RECORD = selectors.RECORD_INCIDENT
EXPORT = "emergency.export_incidents"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _list_crumb():
    return (_("突发事件"), reverse("emergency:response-list"))


def _incident_url(pk) -> str:
    return reverse("emergency:response-incident-detail", args=[pk])


def _incident_crumbs(incident, *tail):
    return entry.crumbs(_list_crumb(), (incident.title, _incident_url(incident.pk)), *tail)


def _commands(user, incident):
    if not selectors.commands(user, incident):
        raise PermissionDenied(_("只有事发地县级安委办（应急管理局）可以指挥应急响应。"))


# ---------------------------------------------------------------- incidents


@login_required
@require_GET
def incident_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.incident_list(user),
        filterset_class=forms.IncidentFilter,
        template="emergency/response/list.html",
        fragment="emergency/response/_table.html",
        context={
            "can_create": has_right(user, RECORD),
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs((_("突发事件"), "")),
        },
    )


COLUMNS = [
    Column(_("事件名称"), 30),
    Column(_("事件类别"), 12),
    Column(_("发生地区划"), 14),
    Column(_("发生地点"), 20),
    Column(_("发生时间"), 16),
    Column(_("最高响应级别"), 10),
    Column(_("结束时间"), 16),
]


def _stamp(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _ledger_rows(queryset):
    kinds = choice_labels(Incident, "kind")
    rows = queryset.select_related("region").annotate(top_level=Min("responses__level"))
    for i in rows.iterator(chunk_size=500):
        yield [
            i.title,
            str(kinds.get(i.kind, i.kind)),
            i.region.name,
            i.place,
            _stamp(i.occurred_at),
            str(rules.RESPONSE_LEVEL_LABELS.get(i.top_level, "")),
            _stamp(i.closed_at),
        ]


def incident_ledger(user, params) -> Ledger:
    """The incident ledger (突发事件台账) the user may export, filtered as the list."""
    queryset = Incident.objects.for_user(user, EXPORT).order_by("-occurred_at", "-pk")
    filterset = forms.IncidentFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="emergency-incidents",
        sheet_title=_("突发事件台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=_ledger_rows,
        user=user,
        filterset=filterset,
    )


@login_required
@require_GET
def incident_export(request):
    return exporting.export(request, "emergency_incidents")


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    user = request.user
    require_right(user, RECORD)
    form = forms.IncidentForm(request.POST or None, regions=regions_for_choice(user))
    return entry.form_page(
        request,
        form=form,
        call=lambda data: services.record_incident(actor=user, data=data),
        success_url=lambda incident: _incident_url(incident.pk),
        template="emergency/response/form.html",
        context={
            "title": _("登记突发事件"),
            "cancel_url": reverse("emergency:response-list"),
            "breadcrumbs": entry.crumbs(_list_crumb(), (_("登记"), "")),
        },
        message=_("事件已登记。"),
    )


@login_required
@require_GET
def incident_detail(request, pk):
    user = request.user
    detail = selectors.incident_detail(user, pk)
    incident = detail.incident
    commands = selectors.commands(user, incident)
    context = {
        "incident": incident,
        "detail": detail,
        "commands": commands,
        "timeline": chronicle.timeline(detail),
        "may_first_respond": services.may_record_first_response(user, incident),
        "breadcrumbs": entry.crumbs(_list_crumb(), (incident.title, "")),
    }
    active = detail.active
    if commands and active is not None:
        units = selectors.unit_choices(incident)
        context.update(
            level_form=forms.LevelForm(),
            end_form=forms.EndForm(),
            group_form=forms.GroupForm(units=units),
            task_form=forms.TaskForm(units=units),
            control_form=forms.ControlPointForm(units=units),
            note_form=forms.NoteForm(),
        )
    return render(request, "emergency/response/detail.html", context)


@login_required
@require_POST
def incident_close(request, pk):
    user = request.user
    incident = selectors.access_incident(user, pk)
    _commands(user, incident)
    return entry.post_action(
        request,
        form=forms.ConfirmForm(request.POST),
        call=lambda data: services.close_incident(actor=user, incident_pk=incident.pk),
        back=_incident_url(incident.pk),
        message=_("事件已结束。"),
    )


@login_required
@require_GET
def chronicle_docx(request, pk):
    detail = selectors.incident_detail(request.user, pk)
    response = HttpResponse(chronicle.chronicle_docx(detail), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="incident-{pk}-chronicle.docx"'
    return response


# ---------------------------------------------------------------- the response


@login_required
@require_http_methods(["GET", "POST"])
def response_start(request, pk):
    user = request.user
    incident = selectors.access_incident(user, pk)
    _commands(user, incident)
    form = forms.StartForm(request.POST or None, plans=selectors.plan_choices(incident))

    def call(data):
        plan = data.pop("plan")
        return services.start_response(
            actor=user, incident_pk=incident.pk, plan_pk=plan.pk if plan else None, **data
        )

    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=_incident_url(incident.pk),
        template="emergency/response/form.html",
        context={
            "title": _("启动应急响应"),
            "cancel_url": _incident_url(incident.pk),
            "breadcrumbs": _incident_crumbs(incident, (_("启动响应"), "")),
        },
        message=_("应急响应已启动。"),
    )


def _response_step(request, pk, form_class, call, message, **form_kwargs):
    user = request.user
    response = selectors.access_response(user, pk)
    _commands(user, response.incident)
    if form_kwargs.pop("with_units", False):
        form_kwargs["units"] = selectors.unit_choices(response.incident)
    form = form_class(request.POST, **form_kwargs)
    return entry.post_action(
        request,
        form=form,
        call=lambda data: call(user, response, data),
        back=_incident_url(response.incident_id),
        message=message,
    )


@login_required
@require_POST
def response_level(request, pk):
    return _response_step(
        request,
        pk,
        forms.LevelForm,
        lambda user, r, d: services.change_level(actor=user, response_pk=r.pk, **d),
        _("响应级别已调整。"),
    )


@login_required
@require_POST
def response_end(request, pk):
    user = request.user
    response = selectors.access_response(user, pk)
    _commands(user, response.incident)
    form = forms.EndForm(request.POST)
    back = _incident_url(response.incident_id)
    if not form.is_valid():
        messages.error(request, _("请检查结束说明。"))
        return entry.done(request, back)
    try:
        _ended, left_open = services.end_response(
            actor=user, response_pk=response.pk, note=form.cleaned_data["note"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return entry.done(request, back)
    if left_open:
        messages.warning(request, left_open)
    return entry.done(request, back, _("应急响应已结束。"))


@login_required
@require_POST
def group_add(request, pk):
    return _response_step(
        request,
        pk,
        forms.GroupForm,
        lambda user, r, d: services.add_group(
            actor=user, response_pk=r.pk, name=d["name"], lead_pk=d["lead"].pk, duties=d["duties"]
        ),
        _("工作组已成立。"),
        with_units=True,
    )


@login_required
@require_POST
def task_add(request, pk):
    return _response_step(
        request,
        pk,
        forms.TaskForm,
        lambda user, r, d: services.assign_task(
            actor=user, response_pk=r.pk, unit_pk=d["unit"].pk, text=d["text"], deadline=d["deadline"]
        ),
        _("任务已下达，等待承办单位确认接收。"),
        with_units=True,
    )


@login_required
@require_POST
def control_add(request, pk):
    def call(user, r, d):
        unit = d.pop("unit")
        return services.set_control_point(actor=user, response_pk=r.pk, unit_pk=unit.pk, **d)

    return _response_step(request, pk, forms.ControlPointForm, call, _("管控点已设立。"), with_units=True)


@login_required
@require_POST
def note_add(request, pk):
    return _response_step(
        request,
        pk,
        forms.NoteForm,
        lambda user, r, d: services.add_note(actor=user, response_pk=r.pk, **d),
        _("已记入时间线。"),
    )


@login_required
@require_POST
def control_lift(request, pk):
    user = request.user
    point = selectors.access_control_point(user, pk)
    _commands(user, point.response.incident)
    return entry.post_action(
        request,
        form=forms.LiftForm(request.POST),
        call=lambda d: services.lift_control_point(actor=user, point_pk=point.pk, lifted_at=d["lifted_at"]),
        back=_incident_url(point.response.incident_id),
        message=_("管控已解除。"),
    )


# ---------------------------------------------------------------- tasks (the tasked unit)


@login_required
@require_GET
def task_list(request):
    """应急任务: the tasks given to the units the user acts for."""
    return entry.list_page(
        request,
        queryset=selectors.my_tasks(request.user),
        filterset_class=forms.TaskFilter,
        template="emergency/response/task_list.html",
        fragment="emergency/response/_task_table.html",
        context={"breadcrumbs": entry.crumbs(_list_crumb(), (_("本单位应急任务"), ""))},
    )


def tasks_url(user) -> str:
    return reverse("emergency:response-task-list") + "?state=open"


@login_required
@require_GET
def task_detail(request, pk):
    user = request.user
    task = selectors.access_task(user, pk)
    tasked = is_member(user, task.unit)
    incident = task.response.incident
    sees_incident = selectors.incident_list(user).filter(pk=incident.pk).exists()
    return render(
        request,
        "emergency/response/task.html",
        {
            "task": task,
            "incident": incident,
            "tasked": tasked,
            "sees_incident": sees_incident,
            "complete_form": forms.CompleteForm() if tasked and task.completed_at is None else None,
            "breadcrumbs": entry.crumbs(
                _list_crumb(),
                (incident.title, _incident_url(incident.pk) if sees_incident else ""),
                (_("应急任务"), ""),
            ),
        },
    )


def _task_step(request, pk, form, call, message):
    user = request.user
    task = selectors.access_task(user, pk)
    if not is_member(user, task.unit):
        raise PermissionDenied(_("只有承办单位可以办理该任务。"))
    return entry.post_action(
        request,
        form=form,
        call=lambda d: call(user, task, d),
        back=reverse("emergency:response-task-detail", args=[task.pk]),
        message=message,
    )


@login_required
@require_POST
def task_confirm(request, pk):
    return _task_step(
        request,
        pk,
        forms.ConfirmForm(request.POST),
        lambda user, t, d: services.confirm_task(actor=user, task_pk=t.pk),
        _("已确认接收。"),
    )


@login_required
@require_POST
def task_complete(request, pk):
    return _task_step(
        request,
        pk,
        forms.CompleteForm(request.POST),
        lambda user, t, d: services.complete_task(actor=user, task_pk=t.pk, note=d["note"]),
        _("已报告完成。"),
    )


# ---------------------------------------------------------------- 先期处置


@login_required
@require_http_methods(["GET", "POST"])
def first_response(request, pk):
    user = request.user
    incident = selectors.access_incident(user, pk)
    if not services.may_record_first_response(user, incident):
        raise PermissionDenied(_("只有事发地乡镇（街道）可以记录先期处置。"))
    existing = getattr(incident, "first_response", None) if hasattr(incident, "first_response") else None
    initial = {}
    if existing is not None:
        initial = {
            "called_at": existing.called_at,
            "dispatched_at": existing.dispatched_at,
            "arrived_at": existing.arrived_at,
            "handed_over_at": existing.handed_over_at,
            "responders": forms.responders_text(existing),
            "actions": forms.actions_text(existing),
        }
    form = forms.FirstResponseForm(request.POST or None, initial=initial)
    return entry.form_page(
        request,
        form=form,
        call=lambda d: services.record_first_response(actor=user, incident_pk=incident.pk, **d),
        success_url=_incident_url(incident.pk),
        template="emergency/response/form.html",
        context={
            "title": _("记录先期处置"),
            "cancel_url": _incident_url(incident.pk),
            "breadcrumbs": _incident_crumbs(incident, (_("先期处置"), "")),
        },
        message=_("先期处置已记录。"),
    )


# ---------------------------------------------------------------- 信息发布


def _release_url(pk) -> str:
    return reverse("emergency:response-release-detail", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def release_create(request, pk):
    user = request.user
    incident = selectors.access_incident(user, pk)
    _commands(user, incident)
    form = forms.ReleaseForm(request.POST or None, units=selectors.reviewer_choices(incident))
    return entry.form_page(
        request,
        form=form,
        call=lambda d: services.draft_release(
            actor=user, incident_pk=incident.pk, title=d["title"], text=d["text"], reviewer_pks=d["reviewers"]
        ),
        success_url=lambda release: _release_url(release.pk),
        template="emergency/response/form.html",
        context={
            "title": _("起草信息发布"),
            "cancel_url": _incident_url(incident.pk),
            "breadcrumbs": _incident_crumbs(incident, (_("信息发布"), "")),
        },
        message=_("稿件已保存，请送审。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def release_correct(request, pk):
    user = request.user
    old = selectors.access_release(user, pk)
    _commands(user, old.incident)
    initial = {"title": old.published_title, "text": old.published_text}
    form = forms.ReleaseForm(
        request.POST or None, initial=initial, units=selectors.reviewer_choices(old.incident)
    )
    return entry.form_page(
        request,
        form=form,
        call=lambda d: services.draft_release(
            actor=user,
            incident_pk=old.incident_id,
            title=d["title"],
            text=d["text"],
            reviewer_pks=d["reviewers"],
            supersedes_pk=old.pk,
        ),
        success_url=lambda release: _release_url(release.pk),
        template="emergency/response/form.html",
        context={
            "title": _("起草更正"),
            "cancel_url": _release_url(old.pk),
            "breadcrumbs": _incident_crumbs(old.incident, (old.title, _release_url(old.pk)), (_("更正"), "")),
        },
        message=_("更正稿已保存，请送审。"),
    )


@login_required
@require_GET
def release_detail(request, pk):
    user = request.user
    release = selectors.access_release(user, pk)
    issuing = acts_for(user, release.issuer, MANAGE)
    editable = release.status in (PublicRelease.Status.DRAFT, PublicRelease.Status.RETURNED)
    return render(
        request,
        "emergency/response/release.html",
        {
            "release": release,
            "reviews": list(release.reviews.select_related("unit", "decided_by")),
            "current": selectors.current_review(release),
            "issuing": issuing,
            "editable": editable,
            "correction": PublicRelease.objects.filter(supersedes=release).first(),
            "public_url": request.build_absolute_uri(
                reverse("emergency:response-release-public", args=[release.token])
            )
            if release.is_public
            else "",
            "breadcrumbs": _incident_crumbs(release.incident, (release.title, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def release_edit(request, pk):
    user = request.user
    release = selectors.access_release(user, pk)
    if not acts_for(user, release.issuer, MANAGE):
        raise PermissionDenied(_("只有发布单位可以办理此事项。"))
    initial = {
        "title": release.title,
        "text": release.text,
        "reviewers": [r.unit_id for r in release.reviews.all()],
    }
    form = forms.ReleaseForm(
        request.POST or None, initial=initial, units=selectors.reviewer_choices(release.incident)
    )
    return entry.form_page(
        request,
        form=form,
        call=lambda d: services.update_release(
            actor=user, release_pk=release.pk, title=d["title"], text=d["text"], reviewer_pks=d["reviewers"]
        ),
        success_url=_release_url(release.pk),
        template="emergency/response/form.html",
        context={
            "title": _("修改稿件"),
            "cancel_url": _release_url(release.pk),
            "breadcrumbs": _incident_crumbs(release.incident, (release.title, _release_url(release.pk))),
        },
        message=_("稿件已保存。"),
    )


def _release_step(request, pk, call, message):
    user = request.user
    release = selectors.access_release(user, pk)
    if not acts_for(user, release.issuer, MANAGE):
        raise PermissionDenied(_("只有发布单位可以办理此事项。"))
    return entry.post_action(
        request,
        form=forms.ConfirmForm(request.POST),
        call=lambda d: call(user, release),
        back=_release_url(release.pk),
        message=message,
    )


@login_required
@require_POST
def release_submit(request, pk):
    return _release_step(
        request, pk, lambda user, r: services.submit_release(actor=user, release_pk=r.pk), _("已送审。")
    )


@login_required
@require_POST
def release_publish(request, pk):
    return _release_step(
        request, pk, lambda user, r: services.publish_release(actor=user, release_pk=r.pk), _("已发布。")
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """A reviewer unit's page: the release's text and its decision form."""
    user = request.user
    item = selectors.access_review(user, pk)
    if not is_member(user, item.unit):
        raise PermissionDenied(_("只有指定的审核单位可以审核。"))
    release = item.release
    form = forms.ReviewForm(request.POST or None)
    return entry.form_page(
        request,
        form=form,
        call=lambda d: services.review_release(
            actor=user, review_pk=item.pk, approve=d["decision"] == "approve", comment=d["comment"]
        ),
        success_url=reverse("emergency:response-review", args=[item.pk]),
        template="emergency/response/review.html",
        context={
            "item": item,
            "release": release,
            "current": selectors.current_review(release),
            "breadcrumbs": entry.crumbs((_("信息发布审核"), ""), (release.title, "")),
        },
        message=_("审核意见已提交。"),
    )


@require_GET
def release_public(request, token):
    """The published text, opened by its unguessable link (no login)."""
    release = selectors.published_release(token)
    if release is None:
        raise Http404(_("该信息不存在或尚未发布。"))
    return render(
        request,
        "emergency/response/public.html",
        {"release": release, "correction": PublicRelease.objects.filter(supersedes=release).first()},
    )
