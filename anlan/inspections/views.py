"""Inspection pages. Each view parses input, calls one service and renders; scope first (404), then right (403)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit
from anlan.core.errors import DomainError
from anlan.core.forms import ReasonForm, add_domain_error
from anlan.core.paging import page_of
from anlan.core.permissions import can, has_right, require, require_right
from anlan.core.workflow import available_transitions
from anlan.documents.models import IssuedDocument

from . import rules, selectors, services, statistics
from .forms import (
    ConflictForm,
    DecisionForm,
    DrawForm,
    EnforcementForm,
    InspectionForm,
    InspectorForm,
    LetterForm,
    PersonForm,
    PlanForm,
    RecordForm,
    ResumptionForm,
    ScoreForm,
)
from .models import (
    DRAW_TRANSITIONS,
    INSPECTION_TRANSITIONS,
    Answer,
    AnswerPhoto,
    EnforcementAction,
    Inspection,
    InspectionPlan,
    Inspector,
    Letter,
    RandomDraw,
    Resumption,
    ScoredPerson,
    ScoreEntry,
    Suspension,
)

PAGE_SIZE = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _crumbs(*items):
    return [(str(label), url) for label, url in items]


def _root():
    return (_("监督检查"), reverse("inspections:inspection-list"))


def _form_page(
    request,
    *,
    form,
    call: Callable,
    done: str,
    title: str,
    crumbs,
    cancel: str,
    template="inspections/form.html",
    extra=None,
):
    """GET shows the form; a valid POST calls the service and redirects to what it returns; a DomainError
    puts the message on the field it names, keeping the user's input."""
    if request.method == "POST" and form.is_valid():
        try:
            target = call(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(target)
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel,
        "breadcrumbs": _crumbs(*crumbs, (title, "")),
    }
    context.update(extra or {})
    return render(request, template, context)


def _post_action(request, *, call: Callable, done: str, back: str, form=None):
    """A POST button: call the service with the form's data (or with none when the step takes no input) and
    go back with its message."""
    if form is not None and not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
        return redirect(back)
    try:
        call(form.cleaned_data if form is not None else {})
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(back)


def _download(field_file, filename: str, content_type: str = DOCX):
    return FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )


# ---------------------------------------------------------------- inspections


@login_required
def inspection_list(request):
    user = request.user
    queryset = selectors.inspection_list(user).order_by("-planned_on", "-id")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in Inspection.Kind.values:
        queryset = queryset.filter(kind=kind)
    if status in Inspection.Status.values:
        queryset = queryset.filter(status=status)
    context = {
        "page": page_of(request, queryset, PAGE_SIZE),
        "kinds": Inspection.Kind.choices,
        "statuses": Inspection.Status.choices,
        "kind": kind,
        "status": status,
        "can_create": has_right(user, "inspections.inspect"),
        "can_draw": has_right(user, "inspections.draw"),
        "breadcrumbs": _crumbs((_("监督检查"), "")),
    }
    return render(request, "inspections/inspection_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    require_right(request.user, "inspections.inspect")
    form = InspectionForm(request.POST or None, user=request.user)

    def call(data):
        inspection = services.create_inspection(
            actor=request.user, data=form.service_data(), team_ids=[i.pk for i in data["team"]]
        )
        return reverse("inspections:inspection-detail", args=[inspection.pk])

    return _form_page(
        request,
        form=form,
        call=call,
        done=_("检查已安排。"),
        title=_("安排检查"),
        crumbs=[_root()],
        cancel=reverse("inspections:inspection-list"),
    )


def _timeline(inspection: Inspection):
    related = [
        (Answer.history.filter(inspection_id=inspection.pk), Answer, _("检查项")),
        (EnforcementAction.history.filter(inspection_id=inspection.pk), EnforcementAction, _("执法措施")),
        (Letter.history.filter(inspection_id=inspection.pk), Letter, _("检查文书")),
    ]
    return audit.timeline(inspection, related)


@login_required
def inspection_detail(request, pk):
    user = request.user
    inspection = selectors.access_inspection(user, pk)
    context = {
        "inspection": inspection,
        "team": list(inspection.team.all()),
        "answers": list(inspection.answers.select_related("hazard").prefetch_related("photos")),
        "actions": list(inspection.actions.select_related("document")),
        "letters": list(inspection.letters.select_related("document")),
        "transitions": available_transitions(inspection, user, INSPECTION_TRANSITIONS),
        # An action's 执行完毕/撤销 need the same right in the same scope (its inspection's).
        "can_enforce": inspection.status == Inspection.Status.RECORDED
        and can(user, "inspections.enforce", inspection),
        "reason_form": ReasonForm(),
        "timeline": _timeline(inspection),
        "breadcrumbs": _crumbs(_root(), (str(inspection.subject), "")),
    }
    return render(request, "inspections/inspection_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_record(request, pk):
    inspection = selectors.access_inspection(request.user, pk)
    require(request.user, "inspections.inspect", inspection)
    form = RecordForm(request.POST or None, request.FILES or None, inspection=inspection)

    def call(data):
        record, answers, photos = form.service_args()
        services.record_inspection(
            actor=request.user,
            inspection_pk=inspection.pk,
            data=record,
            answers=answers,
            photos=photos,
            signature=data.get("signature_scan"),
        )
        return reverse("inspections:inspection-detail", args=[inspection.pk])

    back = reverse("inspections:inspection-detail", args=[inspection.pk])
    return _form_page(
        request,
        form=form,
        call=call,
        done=_("检查结果已记录。"),
        title=_("记录检查结果"),
        crumbs=[_root(), (inspection.subject, back)],
        cancel=back,
        template="inspections/record.html",
        extra={"inspection": inspection},
    )


@login_required
@require_POST
def inspection_cancel(request, pk):
    form = ReasonForm(request.POST)
    back = reverse("inspections:inspection-detail", args=[pk])
    inspection = selectors.access_inspection(request.user, pk)
    require(request.user, "inspections.inspect", inspection)
    return _post_action(
        request,
        form=form,
        call=lambda d: services.cancel_inspection(actor=request.user, inspection_pk=pk, reason=d["reason"]),
        done=_("检查已取消。"),
        back=back,
    )


@login_required
def inspection_signature(request, pk):
    inspection = selectors.access_inspection(request.user, pk)
    if not inspection.signature_scan:
        raise Http404(_("没有签字扫描件。"))
    name = inspection.signature_scan.name.rsplit("/", 1)[-1]
    return _download(inspection.signature_scan, name, "application/octet-stream")


@login_required
def answer_photo(request, pk):
    photo = AnswerPhoto.objects.select_related("answer").filter(pk=pk).first()
    if photo is None:
        raise Http404
    selectors.access_inspection(request.user, photo.answer.inspection_id)
    return FileResponse(photo.file.open("rb"), filename=photo.name)


@login_required
def document(request, pk):
    """An issued document of this module, if the user can see the inspection or action it belongs to."""
    issued = IssuedDocument.objects.filter(pk=pk).select_related("target_type").first()
    if issued is None or issued.target_type is None:
        raise Http404
    model = issued.target_type.model_class()
    if model is Inspection:
        selectors.access_inspection(request.user, issued.target_id)
    elif model is EnforcementAction:
        selectors.access_action(request.user, issued.target_id)
    else:
        raise Http404
    return _download(issued.file, f"{issued.number}.docx")


# ---------------------------------------------------------------- enforcement


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_create(request, pk):
    inspection = selectors.access_inspection(request.user, pk)
    require(request.user, "inspections.enforce", inspection)
    form = EnforcementForm(request.POST or None, inspection=inspection)

    def call(data):
        fields = {
            k: data[k]
            for k in ("kind", "legal_basis", "description", "amount", "due_on", "licence", "referred_to")
        }
        services.take_enforcement(
            actor=request.user,
            inspection_pk=inspection.pk,
            data=fields,
            finding_ids=[a.pk for a in data["findings"]],
        )
        return reverse("inspections:inspection-detail", args=[inspection.pk])

    back = reverse("inspections:inspection-detail", args=[inspection.pk])
    return _form_page(
        request,
        form=form,
        call=call,
        done=_("执法措施已决定，文书已生成。"),
        title=_("采取执法措施"),
        crumbs=[_root(), (inspection.subject, back)],
        cancel=back,
    )


def _action_step(request, pk, transition: str, done: str, reason_required: bool = False):
    action = selectors.access_action(request.user, pk)
    require(request.user, "inspections.enforce", action)
    back = reverse("inspections:inspection-detail", args=[action.inspection_id])
    return _post_action(
        request,
        form=ReasonForm(request.POST) if reason_required else None,
        call=lambda d: services.move_action(
            actor=request.user, action_pk=pk, transition=transition, reason=d.get("reason", "")
        ),
        done=done,
        back=back,
    )


@login_required
@require_POST
def enforcement_complete(request, pk):
    return _action_step(request, pk, "complete", _("已标记为执行完毕。"))


@login_required
@require_POST
def enforcement_revoke(request, pk):
    return _action_step(request, pk, "revoke", _("执法措施已撤销。"), reason_required=True)


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request, pk):
    inspection = selectors.access_inspection(request.user, pk)
    require(request.user, "inspections.enforce", inspection)
    form = LetterForm(request.POST or None, inspection=inspection)

    def call(data):
        services.issue_letter(
            actor=request.user,
            inspection_pk=inspection.pk,
            kind=data["kind"],
            addressee=data["addressee"],
            content=data["content"],
            action_pk=data["action"].pk if data["action"] else None,
        )
        return reverse("inspections:inspection-detail", args=[inspection.pk])

    back = reverse("inspections:inspection-detail", args=[inspection.pk])
    return _form_page(
        request,
        form=form,
        call=call,
        done=_("文书已生成。"),
        title=_("出具文书"),
        crumbs=[_root(), (inspection.subject, back)],
        cancel=back,
    )


# ---------------------------------------------------------------- plans


def _plans_crumb():
    return (_("检查计划"), reverse("inspections:plan-list"))


@login_required
def plan_list(request):
    plans = InspectionPlan.objects.for_user(request.user).select_related("department")
    progress = statistics.plan_progress(request.user, list(plans))
    context = {
        "rows": progress,
        "can_create": has_right(request.user, "inspections.manage_plan"),
        "breadcrumbs": _crumbs(_root(), (_("检查计划"), "")),
    }
    return render(request, "inspections/plan_list.html", context)


def _plan_form_page(request, plan=None):
    require_right(request.user, "inspections.manage_plan")
    initial = None
    if plan is not None:
        require(request.user, "inspections.manage_plan", plan)
        initial = {"department": plan.department, "year": plan.year, "title": plan.title, "notes": plan.notes}
        initial.update({f"m{n}": v for n, v in enumerate(plan.monthly_counts, 1)})
        for row, target in enumerate(plan.targets.all()[:3]):
            initial.update(
                {
                    f"t{row}_industry": target.industry,
                    f"t{row}_risk": target.risk_level,
                    f"t{row}_count": target.count,
                }
            )
    form = PlanForm(request.POST or None, initial=initial, user=request.user)

    def call(data):
        values, targets = form.service_data()
        saved = services.save_plan(
            actor=request.user, data=values, targets=targets, plan_pk=plan.pk if plan else None
        )
        return reverse("inspections:plan-detail", args=[saved.pk])

    title = _("修改检查计划") if plan else _("制定检查计划")
    return _form_page(
        request,
        form=form,
        call=call,
        done=_("检查计划已保存。"),
        title=title,
        crumbs=[_root(), _plans_crumb()],
        cancel=reverse("inspections:plan-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    return _plan_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    return _plan_form_page(request, selectors.access_plan(request.user, pk))


@login_required
def plan_detail(request, pk):
    plan = selectors.access_plan(request.user, pk)
    row = statistics.plan_progress(request.user, [plan])[0]
    context = {
        "plan": plan,
        "row": row,
        "months": list(zip(range(1, 13), plan.monthly_counts, row["monthly_done"], strict=False)),
        "targets": list(plan.targets.select_related("industry")),
        "can_edit": can(request.user, "inspections.manage_plan", plan),
        "breadcrumbs": _crumbs(_root(), _plans_crumb(), (plan.title, "")),
    }
    return render(request, "inspections/plan_detail.html", context)


# ---------------------------------------------------------------- inspector pool


def _pool_crumb():
    return (_("执法人员库"), reverse("inspections:inspector-list"))


@login_required
def inspector_list(request):
    queryset = (
        Inspector.objects.for_user(request.user).select_related("department").prefetch_related("specialties")
    )
    context = {
        "page": page_of(request, queryset.order_by("department_id", "name", "id"), PAGE_SIZE),
        "today": timezone.localdate(),
        "can_manage": has_right(request.user, "inspections.manage_inspector"),
        "breadcrumbs": _crumbs(_root(), (_("执法人员库"), "")),
    }
    return render(request, "inspections/inspector_list.html", context)


def _inspector_form_page(request, inspector=None):
    require_right(request.user, "inspections.manage_inspector")
    if inspector is not None:
        require(request.user, "inspections.manage_inspector", inspector)
    form = InspectorForm(
        request.POST or None,
        instance=inspector,
        user=request.user,
        initial={"specialties": list(inspector.specialties.all())} if inspector else None,
    )

    def call(data):
        fields = {k: data[k] for k in ("name", "certificate_number", "certificate_expires_on", "is_active")}
        fields["department"] = data["department"].pk
        services.save_inspector(
            actor=request.user,
            data=fields,
            specialties=data["specialties"],
            inspector_pk=inspector.pk if inspector else None,
        )
        return reverse("inspections:inspector-list")

    conflicts = list(inspector.conflicts.select_related("enterprise")) if inspector else []
    return _form_page(
        request,
        form=form,
        call=call,
        done=_("执法人员已保存。"),
        title=_("修改执法人员") if inspector else _("添加执法人员"),
        crumbs=[_root(), _pool_crumb()],
        cancel=reverse("inspections:inspector-list"),
        template="inspections/inspector_form.html",
        extra={"inspector": inspector, "conflicts": conflicts},
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspector_create(request):
    return _inspector_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def inspector_edit(request, pk):
    return _inspector_form_page(request, selectors.access_inspector(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def conflict_create(request, pk):
    inspector = selectors.access_inspector(request.user, pk)
    require(request.user, "inspections.manage_inspector", inspector)
    form = ConflictForm(request.POST or None, user=request.user)

    def call(data):
        services.declare_conflict(
            actor=request.user,
            inspector_pk=inspector.pk,
            enterprise_pk=data["enterprise"].pk,
            reason=data["reason"],
            declared_on=data["declared_on"],
        )
        return reverse("inspections:inspector-edit", args=[inspector.pk])

    back = reverse("inspections:inspector-edit", args=[inspector.pk])
    return _form_page(
        request,
        form=form,
        call=call,
        done=_("回避关系已申报。"),
        title=_("申报回避"),
        crumbs=[_root(), _pool_crumb(), (inspector.name, back)],
        cancel=back,
    )


# ---------------------------------------------------------------- draws


def _draws_crumb():
    return (_("双随机抽取"), reverse("inspections:draw-list"))


@login_required
def draw_list(request):
    queryset = (
        RandomDraw.objects.for_user(request.user)
        .select_related("department", "region")
        .defer("pool", "weights", "inspectors", "conflicts", "used_pairs")
    )
    context = {
        "page": page_of(request, queryset.order_by("-drawn_at", "-id"), PAGE_SIZE),
        "can_draw": has_right(request.user, "inspections.draw"),
        "breadcrumbs": _crumbs(_root(), (_("双随机抽取"), "")),
    }
    return render(request, "inspections/draw_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def draw_create(request):
    require_right(request.user, "inspections.draw")
    form = DrawForm(request.POST or None, user=request.user)

    def call(data):
        values = dict(data)
        values["department"] = data["department"].pk
        draw = services.create_draw(actor=request.user, data=values)
        return reverse("inspections:draw-detail", args=[draw.pk])

    return _form_page(
        request,
        form=form,
        call=call,
        done=_("已完成抽取，请核对后确认。"),
        title=_("双随机抽取"),
        crumbs=[_root(), _draws_crumb()],
        cancel=reverse("inspections:draw-list"),
    )


@login_required
def draw_detail(request, pk):
    from anlan.core.models import Enterprise

    draw = selectors.access_draw(request.user, pk)
    enterprises = Enterprise.objects.in_bulk([entry["enterprise"] for entry in draw.result])
    people = Inspector.objects.in_bulk({p for entry in draw.result for p in entry["team"]})
    rows = [
        (enterprises.get(entry["enterprise"]), [people.get(p) for p in entry["team"]])
        for entry in draw.result
    ]
    verified = None
    if request.GET.get("verify"):
        verified = services.rerun_draw(draw) == draw.result
    context = {
        "draw": draw,
        "rows": rows,
        "verified": verified,
        "pool_size": len(draw.pool),
        "inspector_count": len(draw.inspectors),
        "transitions": available_transitions(draw, request.user, DRAW_TRANSITIONS),
        "inspections": list(draw.inspections.select_related("enterprise")),
        "breadcrumbs": _crumbs(_root(), _draws_crumb(), (draw.title, "")),
    }
    return render(request, "inspections/draw_detail.html", context)


def _draw_step(request, pk, service, done):
    draw = selectors.access_draw(request.user, pk)
    require(request.user, "inspections.draw", draw)
    back = reverse("inspections:draw-detail", args=[pk])
    return _post_action(
        request,
        call=lambda d: service(actor=request.user, draw_pk=pk),
        done=done,
        back=back,
    )


@login_required
@require_POST
def draw_confirm(request, pk):
    return _draw_step(request, pk, services.confirm_draw, _("抽取结果已确认，检查任务已生成。"))


@login_required
@require_POST
def draw_publish(request, pk):
    return _draw_step(request, pk, services.publish_draw, _("抽查结果已公开。"))


# ---------------------------------------------------------------- 停产整顿 and 复产验收


def _suspensions_crumb():
    return (_("停产整顿"), reverse("inspections:suspension-list"))


@login_required
def suspension_list(request):
    queryset = Suspension.objects.for_user(request.user).select_related("enterprise", "action")
    context = {
        "page": page_of(request, queryset.order_by("-id"), PAGE_SIZE),
        "breadcrumbs": _crumbs(_root(), (_("停产整顿"), "")),
    }
    return render(request, "inspections/suspension_list.html", context)


@login_required
def suspension_detail(request, pk):
    user = request.user
    suspension = selectors.access_suspension(user, pk)
    applications = list(suspension.applications.prefetch_related("steps__decided_by"))
    pending = next((a for a in applications if a.status == Resumption.Status.PENDING), None)
    current = None
    if pending is not None:
        steps = list(pending.steps.all())
        index = rules.next_step([s.decision or None for s in steps])
        current = steps[index] if index is not None else None
    context = {
        "suspension": suspension,
        "applications": applications,
        "pending": pending,
        "current": current,
        "can_decide": current is not None and services._may_sign(user, current, suspension),
        "can_apply": suspension.status == Suspension.Status.SUSPENDED
        and can(user, "inspections.apply_resumption", suspension),
        "decision_form": DecisionForm(),
        "timeline": audit.timeline(suspension),
        "breadcrumbs": _crumbs(_root(), _suspensions_crumb(), (suspension.enterprise.name, "")),
    }
    return render(request, "inspections/suspension_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def resumption_apply(request, pk):
    suspension = selectors.access_suspension(request.user, pk)
    require(request.user, "inspections.apply_resumption", suspension)
    form = ResumptionForm(request.POST or None, request.FILES or None)

    def call(data):
        services.apply_resumption(
            actor=request.user, suspension_pk=pk, evidence=data["evidence"], attachment=data.get("attachment")
        )
        return reverse("inspections:suspension-detail", args=[pk])

    back = reverse("inspections:suspension-detail", args=[pk])
    return _form_page(
        request,
        form=form,
        call=call,
        done=_("复产验收申请已提交。"),
        title=_("申请复产验收"),
        crumbs=[_root(), _suspensions_crumb(), (suspension.enterprise.name, back)],
        cancel=back,
    )


@login_required
@require_POST
def resumption_decide(request, pk):
    application = selectors.access_resumption(request.user, pk)
    require_right(request.user, "inspections.approve_resumption")
    back = reverse("inspections:suspension-detail", args=[application.suspension_id])
    return _post_action(
        request,
        form=DecisionForm(request.POST),
        call=lambda d: services.decide_resumption(
            actor=request.user, application_pk=pk, approve=d["approve"], opinion=d["opinion"]
        ),
        done=_("审批意见已记录。"),
        back=back,
    )


# ---------------------------------------------------------------- 安全生产记分


def _people_crumb():
    return (_("安全生产记分"), reverse("inspections:person-list"))


@login_required
def person_list(request):
    queryset = ScoredPerson.objects.for_user(request.user).select_related("enterprise")
    context = {
        "page": page_of(request, queryset.order_by("enterprise_id", "name", "id"), PAGE_SIZE),
        "totals": statistics.current_scores(request.user),
        "can_score": has_right(request.user, "inspections.score"),
        "breadcrumbs": _crumbs(_root(), (_("安全生产记分"), "")),
    }
    return render(request, "inspections/person_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    require_right(request.user, "inspections.score")
    form = PersonForm(request.POST or None, user=request.user)

    def call(data):
        person = services.add_scored_person(
            actor=request.user,
            enterprise_pk=data["enterprise"].pk,
            name=data["name"],
            position=data["position"],
        )
        return reverse("inspections:person-detail", args=[person.pk])

    return _form_page(
        request,
        form=form,
        call=call,
        done=_("记分对象已添加。"),
        title=_("添加记分对象"),
        crumbs=[_root(), _people_crumb()],
        cancel=reverse("inspections:person-list"),
    )


@login_required
def person_detail(request, pk):
    person = selectors.access_person(request.user, pk)
    context = {
        "person": person,
        "entries": list(
            ScoreEntry.objects.filter(person=person).select_related("rule", "inspection", "recorded_by")
        ),
        "can_score": can(request.user, "inspections.score", person),
        "threshold": rules.SCORE_THRESHOLD,
        "breadcrumbs": _crumbs(_root(), _people_crumb(), (person.name, "")),
    }
    return render(request, "inspections/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def score_create(request, pk):
    person = selectors.access_person(request.user, pk)
    require(request.user, "inspections.score", person)
    form = ScoreForm(request.POST or None, person=person, user=request.user)

    def call(data):
        services.score(
            actor=request.user,
            person_pk=person.pk,
            rule_pk=data["rule"].pk,
            scored_on=data["scored_on"],
            inspection_pk=data["inspection"].pk if data["inspection"] else None,
        )
        return reverse("inspections:person-detail", args=[person.pk])

    back = reverse("inspections:person-detail", args=[person.pk])
    return _form_page(
        request,
        form=form,
        call=call,
        done=_("记分已记录。"),
        title=_("记分"),
        crumbs=[_root(), _people_crumb(), (person.name, back)],
        cancel=back,
    )


# ---------------------------------------------------------------- statistics


@login_required
def inspection_statistics(request):
    year = timezone.localdate().year
    departments = statistics.by_department(request.user, year)
    coverage = statistics.coverage(request.user, year)
    enforcement = statistics.enforcement(request.user, year)
    charts = {
        "labels": {"planned": _("计划"), "recorded": _("已检查")},
        "departments": [
            {"name": r["department__name"], "planned": r["planned"], "recorded": r["recorded"]}
            for r in departments
        ],
        "coverage": [{"name": str(r["label"]), "value": r["share"] or 0} for r in coverage],
        "enforcement": [{"name": str(r["label"]), "value": r["n"]} for r in enforcement["rows"] if r["n"]],
    }
    context = {
        "year": year,
        "departments": departments,
        "coverage": coverage,
        "findings": statistics.findings(request.user, year),
        "enforcement": enforcement,
        "suspensions": statistics.suspensions(request.user),
        "charts": charts,
        "breadcrumbs": _crumbs(_root(), (_("统计分析"), "")),
    }
    return render(request, "inspections/statistics.html", context)


@login_required
def enterprise_inspections(request, pk):
    """The inspection history shown on an enterprise's page (loaded into it by htmx); a planned 四不两直
    visit is not in it for the enterprise's own users (the scope drops it)."""
    from anlan.core import selectors as core_selectors

    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    inspections = (
        Inspection.objects.for_user(user)
        .filter(enterprise=enterprise)
        .select_related("department")
        .order_by("-planned_on", "-id")
    )
    context = {
        "enterprise": enterprise,
        "inspections": inspections[:20],
        "suspensions": list(
            Suspension.objects.for_user(user).filter(enterprise=enterprise).order_by("-id")[:5]
        ),
    }
    return render(request, "inspections/_enterprise_inspections.html", context)
