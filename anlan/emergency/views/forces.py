"""Pages of the forces part: rescue teams, shelters, the expert library, consultations and the towns' 四有.
Views parse input, call one service and render (through `anlan.core.entry`); the XLSX ledgers are built here
from the same filters as the lists."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, exporting, uploads
from anlan.core.exports import DATE, NUMBER, WRAP, Column, Ledger, choice_labels, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require, require_right

from .. import rules
from ..forms import forces as forms
from ..models import ConsultationAssignment, Expert, ExpertConsultation, RescueTeam, Shelter
from ..selectors import forces as selectors
from ..services import forces as services

MANAGE_FORCES = services.MANAGE_FORCES
MANAGE_EXPERTS = services.MANAGE_EXPERTS
MANAGE_CONSULTATIONS = services.MANAGE_CONSULTATIONS
OPINION = services.OPINION
EDIT_CAPACITY = services.EDIT_CAPACITY
EXPORT = "emergency.export_rescue_forces"


def _tabs(active: str) -> dict:
    return {"forces_tab": active}


# ---------------------------------------------------------------- rescue teams


def _team_crumb():
    return (_("救援队伍"), reverse("emergency:forces-team-list"))


def _register_list(
    request, *, kind: str, queryset, filterset_class, manage_right: str, title, create_label, **extra
):
    """The list page of a register (teams, shelters, experts): filters, table, export and the create button."""
    user = request.user
    tab = {"team": "teams", "shelter": "shelters", "expert": "experts"}[kind]
    return entry.list_page(
        request,
        queryset=queryset,
        filterset_class=filterset_class,
        template="emergency/forces/register_list.html",
        fragment=f"emergency/forces/_{kind}_table.html",
        context={
            "title": title,
            "create_label": create_label,
            "export_url": reverse(f"emergency:forces-{kind}-export"),
            "create_url": reverse(f"emergency:forces-{kind}-create"),
            "table_id": f"{kind}-table",
            "table_target": f"#{kind}-table",
            "fragment": f"emergency/forces/_{kind}_table.html",
            "can_manage": has_right(user, manage_right),
            "can_export": has_right(user, EXPORT),
            "breadcrumbs": entry.crumbs((title, "")),
            **extra,
            **_tabs(tab),
        },
    )


@login_required
def team_list(request):
    return _register_list(
        request,
        kind="team",
        queryset=selectors.team_list(request.user),
        filterset_class=forms.TeamFilter,
        manage_right=MANAGE_FORCES,
        title=_("救援队伍"),
        create_label=_("登记队伍"),
    )


@login_required
def team_export(request):
    return exporting.export(request, "emergency_teams")


@login_required
def team_detail(request, pk):
    user = request.user
    team = selectors.access_team(user, pk)
    return render(
        request,
        "emergency/forces/team_detail.html",
        {
            "team": team,
            "can_manage": can(user, MANAGE_FORCES, team),
            "statuses": [s for s in RescueTeam.Status if s != team.status],
            "timeline": audit.timeline(team),
            "breadcrumbs": entry.crumbs(_team_crumb(), (team.name, "")),
        },
    )


# A titled form page of this part: its template, with title, cancel link and breadcrumbs.
_form_page = partial(entry.titled_form_page, template="emergency/forces/form.html")


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request):
    user = request.user
    require_right(user, MANAGE_FORCES)
    return _form_page(
        request,
        form=forms.TeamForm(request.POST or None, user=user),
        call=lambda data: services.register_rescue_team(actor=user, data=data),
        success_url=lambda team: reverse("emergency:forces-team-detail", args=[team.pk]),
        title=_("登记救援队伍"),
        cancel_url=reverse("emergency:forces-team-list"),
        crumbs=[_team_crumb()],
        message=_("救援队伍已登记。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk):
    user = request.user
    team = selectors.access_team(user, pk)
    require(user, MANAGE_FORCES, team)
    initial = {name: getattr(team, name) for name in services.TEAM_FIELDS} | {"region": team.region_id}
    detail = reverse("emergency:forces-team-detail", args=[pk])
    return _form_page(
        request,
        form=forms.TeamForm(request.POST or None, user=user, initial=initial),
        call=lambda data: services.update_rescue_team(actor=user, team_pk=pk, data=data),
        success_url=detail,
        title=_("修改救援队伍"),
        cancel_url=detail,
        crumbs=[_team_crumb(), (team.name, detail)],
        message=_("救援队伍已保存。"),
    )


@login_required
@require_POST
def team_status(request, pk):
    user = request.user
    team = selectors.access_team(user, pk)
    require(user, MANAGE_FORCES, team)
    return entry.post_action(
        request,
        form=forms.StatusForm(request.POST),
        call=lambda data: services.set_team_status(actor=user, team_pk=pk, status=data["status"]),
        back=reverse("emergency:forces-team-detail", args=[pk]),
        message=_("队伍状态已更新。"),
    )


# ---------------------------------------------------------------- shelters


def _shelter_crumb():
    return (_("避难场所"), reverse("emergency:forces-shelter-list"))


@login_required
def shelter_list(request):
    return _register_list(
        request,
        kind="shelter",
        queryset=selectors.shelter_list(request.user),
        filterset_class=forms.ShelterFilter,
        manage_right=MANAGE_FORCES,
        title=_("避难场所"),
        create_label=_("登记场所"),
    )


@login_required
def shelter_export(request):
    return exporting.export(request, "emergency_shelters")


@login_required
def shelter_detail(request, pk):
    user = request.user
    shelter = selectors.access_shelter(user, pk)
    return render(
        request,
        "emergency/forces/shelter_detail.html",
        {
            "shelter": shelter,
            "can_manage": can(user, MANAGE_FORCES, shelter),
            "statuses": [s for s in Shelter.Status if s != shelter.status],
            "timeline": audit.timeline(shelter),
            "breadcrumbs": entry.crumbs(_shelter_crumb(), (shelter.name, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def shelter_create(request):
    user = request.user
    require_right(user, MANAGE_FORCES)
    return _form_page(
        request,
        form=forms.ShelterForm(request.POST or None, user=user),
        call=lambda data: services.register_shelter(actor=user, data=data),
        success_url=lambda shelter: reverse("emergency:forces-shelter-detail", args=[shelter.pk]),
        title=_("登记避难场所"),
        cancel_url=reverse("emergency:forces-shelter-list"),
        crumbs=[_shelter_crumb()],
        message=_("避难场所已登记。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def shelter_edit(request, pk):
    user = request.user
    shelter = selectors.access_shelter(user, pk)
    require(user, MANAGE_FORCES, shelter)
    initial = {name: getattr(shelter, name) for name in services.SHELTER_FIELDS} | {
        "region": shelter.region_id
    }
    detail = reverse("emergency:forces-shelter-detail", args=[pk])
    return _form_page(
        request,
        form=forms.ShelterForm(request.POST or None, user=user, initial=initial),
        call=lambda data: services.update_shelter(actor=user, shelter_pk=pk, data=data),
        success_url=detail,
        title=_("修改避难场所"),
        cancel_url=detail,
        crumbs=[_shelter_crumb(), (shelter.name, detail)],
        message=_("避难场所已保存。"),
    )


@login_required
@require_POST
def shelter_status(request, pk):
    user = request.user
    shelter = selectors.access_shelter(user, pk)
    require(user, MANAGE_FORCES, shelter)
    return entry.post_action(
        request,
        form=forms.StatusForm(request.POST),
        call=lambda data: services.set_shelter_status(actor=user, shelter_pk=pk, status=data["status"]),
        back=reverse("emergency:forces-shelter-detail", args=[pk]),
        message=_("场所状态已更新。"),
    )


# ---------------------------------------------------------------- experts


def _expert_crumb():
    return (_("应急专家库"), reverse("emergency:forces-expert-list"))


@login_required
def expert_list(request):
    return _register_list(
        request,
        kind="expert",
        queryset=selectors.expert_list(request.user),
        filterset_class=forms.ExpertFilter,
        manage_right=MANAGE_EXPERTS,
        title=_("应急专家库"),
        create_label=_("专家入库"),
        today=timezone.localdate(),
    )


@login_required
def expert_export(request):
    return exporting.export(request, "emergency_experts")


@login_required
def expert_detail(request, pk):
    user = request.user
    expert = selectors.access_expert(user, pk)
    return render(
        request,
        "emergency/forces/expert_detail.html",
        {
            "expert": expert,
            "available": expert.available_on(timezone.localdate()),
            "can_manage": can(user, MANAGE_EXPERTS, expert),
            "assignments": expert.assignments.filter(
                consultation__in=ExpertConsultation.objects.for_user(user)
            ).select_related("consultation"),
            "timeline": audit.timeline(expert),
            "breadcrumbs": entry.crumbs(_expert_crumb(), (expert.name, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_create(request):
    user = request.user
    require_right(user, MANAGE_EXPERTS)
    return _form_page(
        request,
        form=forms.ExpertForm(request.POST or None, user=user),
        call=lambda data: services.register_expert(actor=user, data=data),
        success_url=lambda expert: reverse("emergency:forces-expert-detail", args=[expert.pk]),
        title=_("专家入库"),
        cancel_url=reverse("emergency:forces-expert-list"),
        crumbs=[_expert_crumb()],
        message=_("专家已入库。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk):
    user = request.user
    expert = selectors.access_expert(user, pk)
    require(user, MANAGE_EXPERTS, expert)
    initial = {name: getattr(expert, name) for name in services.EXPERT_FIELDS} | {
        "region": expert.region_id,
        "user": expert.user_id,
        "specialties": expert.specialty_codes,
    }
    detail = reverse("emergency:forces-expert-detail", args=[pk])
    return _form_page(
        request,
        form=forms.ExpertForm(request.POST or None, user=user, initial=initial),
        call=lambda data: services.update_expert(actor=user, expert_pk=pk, data=data),
        success_url=detail,
        title=_("修改专家信息"),
        cancel_url=detail,
        crumbs=[_expert_crumb(), (expert.name, detail)],
        message=_("专家信息已保存。"),
    )


# ---------------------------------------------------------------- consultations


def _consultation_crumb():
    return (_("专家会诊"), reverse("emergency:forces-consultation-list"))


def _consultation_url(pk) -> str:
    return reverse("emergency:forces-consultation-detail", args=[pk])


@login_required
def consultation_list(request):
    user = request.user
    return entry.list_page(
        request,
        queryset=selectors.consultation_list(user),
        filterset_class=forms.ConsultationFilter,
        template="emergency/forces/consultation_list.html",
        fragment="emergency/forces/_consultation_table.html",
        context={
            "can_manage": has_right(user, MANAGE_CONSULTATIONS),
            "breadcrumbs": entry.crumbs((_("专家会诊"), "")),
            **_tabs("consultations"),
        },
    )


def opinions_due_url(user) -> str:
    return reverse("emergency:forces-consultation-list") + "?status=open"


@login_required
def consultation_detail(request, pk):
    user = request.user
    consultation = selectors.access_consultation(user, pk)
    assignments = list(selectors.assignments_of(consultation))
    is_open = consultation.status == ExpertConsultation.Status.OPEN
    can_manage = can(user, MANAGE_CONSULTATIONS, consultation)
    mine = [a for a in assignments if a.expert.user_id == user.pk and can(user, OPINION, a)]
    return render(
        request,
        "emergency/forces/consultation_detail.html",
        {
            "consultation": consultation,
            "assignments": assignments,
            "mine": mine if is_open else [],
            "can_manage": can_manage and is_open,
            "assign_form": forms.AssignForm(user=user, consultation=consultation) if can_manage else None,
            "close_form": forms.CloseForm(),
            "opinion_form": forms.OpinionForm(),
            "timeline": audit.timeline(
                consultation,
                [(selectors.assignment_history(consultation), ConsultationAssignment, _("会诊专家"))],
            ),
            "breadcrumbs": entry.crumbs(_consultation_crumb(), (consultation.title, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    user = request.user
    require_right(user, MANAGE_CONSULTATIONS)
    return _form_page(
        request,
        form=forms.ConsultationForm(request.POST or None, user=user),
        call=lambda data: services.request_consultation(actor=user, data=data),
        success_url=lambda consultation: _consultation_url(consultation.pk),
        title=_("发起专家会诊"),
        cancel_url=reverse("emergency:forces-consultation-list"),
        crumbs=[_consultation_crumb()],
        message=_("会诊已发起，请邀请专家。"),
    )


@login_required
@require_POST
def consultation_assign(request, pk):
    user = request.user
    consultation = selectors.access_consultation(user, pk)
    require(user, MANAGE_CONSULTATIONS, consultation)
    return entry.post_action(
        request,
        form=forms.AssignPostForm(request.POST, user=user),
        call=lambda data: services.assign_experts(actor=user, consultation_pk=pk, experts=data["experts"]),
        back=_consultation_url(pk),
        message=_("已邀请专家，并已通知其账号。"),
        invalid=_("请至少选择一位专家。"),
    )


@login_required
@require_POST
def consultation_opinion(request, pk):
    """POST an opinion on assignment `pk`: only the assigned expert (404 for anyone not seeing it)."""
    user = request.user
    assignment = selectors.access_assignment(user, pk)
    require(user, OPINION, assignment)
    return entry.post_action(
        request,
        form=forms.OpinionForm(request.POST),
        call=lambda data: services.give_opinion(actor=user, assignment_pk=pk, opinion=data["opinion"]),
        back=_consultation_url(assignment.consultation_id),
        message=_("意见已提交。"),
    )


@login_required
@require_POST
def consultation_close(request, pk):
    user = request.user
    consultation = selectors.access_consultation(user, pk)
    require(user, MANAGE_CONSULTATIONS, consultation)
    return entry.post_action(
        request,
        form=forms.CloseForm(request.POST),
        call=lambda data: services.close_consultation(
            actor=user, consultation_pk=pk, conclusion=data["conclusion"]
        ),
        back=_consultation_url(pk),
        message=_("会诊已结束。"),
    )


# ---------------------------------------------------------------- towns' 四有


@login_required
def capacity_list(request):
    user = request.user
    towns = list(selectors.town_capacities(user))
    return render(
        request,
        "emergency/forces/capacity_list.html",
        {
            "towns": towns,
            "items": rules.CAPACITY_ITEMS,
            "summary": selectors.capacity_summary(user),
            "can_edit": has_right(user, EDIT_CAPACITY),
            "breadcrumbs": entry.crumbs((_("乡镇应急能力“四有”"), "")),
            **_tabs("capacity"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def capacity_edit(request, code):
    user = request.user
    town = selectors.access_town(user, code)
    capacity = selectors.capacity_of(town)
    require(user, EDIT_CAPACITY, capacity or town)
    initial = {}
    if capacity is not None:
        for item, _label in rules.CAPACITY_ITEMS:
            initial[f"has_{item}"] = getattr(capacity, f"has_{item}")
            initial[f"{item}_note"] = getattr(capacity, f"{item}_note")
    back = reverse("emergency:forces-capacity-list")
    title = _("%(town)s应急能力“四有”") % {"town": town.name}
    return entry.form_page(
        request,
        form=forms.CapacityForm(request.POST or None, request.FILES or None, initial=initial),
        call=lambda data: services.update_town_capacity(actor=user, town_code=code, data=data),
        success_url=back,
        template="emergency/forces/capacity_form.html",
        context={
            "title": title,
            "town": town,
            "capacity": capacity,
            "items": rules.CAPACITY_ITEMS,
            "cancel_url": back,
            "breadcrumbs": entry.crumbs((_("乡镇应急能力“四有”"), back), (town.name, "")),
        },
        message=_("“四有”情况已保存。"),
    )


@login_required
def capacity_evidence(request, code, item):
    """An evidence file of a town's 四有, to whoever sees the town (404 when there is none)."""
    if item not in rules.CAPACITY_ITEM_LABELS:
        raise Http404
    town = selectors.access_town(request.user, code)
    capacity = selectors.capacity_of(town)
    evidence = getattr(capacity, f"{item}_evidence", None) if capacity else None
    if not evidence:
        raise Http404(_("没有上传佐证材料。"))
    return uploads.serve(evidence, f"{town.name}{rules.CAPACITY_ITEM_LABELS[item]}")


# ---------------------------------------------------------------- ledgers (core/exporting.py)


def _ledger(user, params, *, name, title, queryset, filterset_class, columns, rows) -> Ledger:
    filterset = filterset_class(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name=name,
        sheet_title=title,
        columns=columns,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )


TEAM_COLUMNS = [
    Column(gettext_lazy("队伍名称"), 30, WRAP),
    Column(gettext_lazy("队伍类别"), 16),
    Column(gettext_lazy("所在区划"), 10),
    Column(gettext_lazy("所属单位"), 24, WRAP),
    Column(gettext_lazy("队长"), 8),
    Column(gettext_lazy("队长电话"), 12),
    Column(gettext_lazy("队员人数"), 4, NUMBER),
    Column(gettext_lazy("专长"), 24, WRAP),
    Column(gettext_lazy("主要装备"), 30, WRAP),
    Column(gettext_lazy("状态"), 6),
]


def team_ledger(user, params) -> Ledger:
    kinds, statuses = choice_labels(RescueTeam, "kind"), choice_labels(RescueTeam, "status")

    def rows(queryset):
        for team in queryset.select_related("region", "unit"):
            yield [
                team.name,
                kinds.get(team.kind, team.kind),
                team.region.name,
                team.unit.name if team.unit else "",
                team.leader,
                team.leader_phone,
                team.members,
                team.specialties,
                team.equipment,
                statuses.get(team.status, team.status),
            ]

    return _ledger(
        user,
        params,
        name="rescue-teams",
        title=_("救援队伍台账"),
        queryset=RescueTeam.objects.for_user(user, EXPORT).order_by("region_id", "name", "pk"),
        filterset_class=forms.TeamFilter,
        columns=TEAM_COLUMNS,
        rows=rows,
    )


SHELTER_COLUMNS = [
    Column(gettext_lazy("场所名称"), 30, WRAP),
    Column(gettext_lazy("场所类型"), 4),
    Column(gettext_lazy("所在区划"), 10),
    Column(gettext_lazy("地址"), 30, WRAP),
    Column(gettext_lazy("可容纳人数"), 6, NUMBER),
    Column(gettext_lazy("面积（平方米）"), 8, NUMBER),
    Column(gettext_lazy("管理人"), 8),
    Column(gettext_lazy("管理人电话"), 12),
    Column(gettext_lazy("配套设施"), 30, WRAP),
    Column(gettext_lazy("状态"), 4),
]


def shelter_ledger(user, params) -> Ledger:
    kinds, statuses = choice_labels(Shelter, "kind"), choice_labels(Shelter, "status")

    def rows(queryset):
        for shelter in queryset.select_related("region"):
            yield [
                shelter.name,
                kinds.get(shelter.kind, shelter.kind),
                shelter.region.name,
                shelter.address,
                shelter.capacity,
                float(shelter.area_m2),
                shelter.manager,
                shelter.manager_phone,
                shelter.facilities,
                statuses.get(shelter.status, shelter.status),
            ]

    return _ledger(
        user,
        params,
        name="shelters",
        title=_("避难场所台账"),
        queryset=Shelter.objects.for_user(user, EXPORT).order_by("region_id", "name", "pk"),
        filterset_class=forms.ShelterFilter,
        columns=SHELTER_COLUMNS,
        rows=rows,
    )


EXPERT_COLUMNS = [
    Column(gettext_lazy("姓名"), 8),
    Column(gettext_lazy("工作单位"), 28, WRAP),
    Column(gettext_lazy("职称/职务"), 12),
    Column(gettext_lazy("专业领域"), 24, WRAP),
    Column(gettext_lazy("联系电话"), 12),
    Column(gettext_lazy("所属区划"), 10),
    Column(gettext_lazy("当前可用"), 4),
    Column(gettext_lazy("暂不可用至"), 0, DATE),
]


def expert_ledger(user, params) -> Ledger:
    today = timezone.localdate()
    yes, no = _("是"), _("否")

    def rows(queryset):
        for expert in queryset.select_related("region"):
            yield [
                expert.name,
                expert.employer,
                expert.title,
                "、".join(expert.specialty_labels),
                expert.phone,
                expert.region.name,
                yes if expert.available_on(today) else no,
                expert.unavailable_until,
            ]

    return _ledger(
        user,
        params,
        name="experts",
        title=_("应急专家库"),
        queryset=Expert.objects.for_user(user, EXPORT).order_by("name", "pk"),
        filterset_class=forms.ExpertFilter,
        columns=EXPERT_COLUMNS,
        rows=rows,
    )
