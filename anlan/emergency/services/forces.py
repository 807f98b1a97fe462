"""Use cases of the forces part: keep rescue teams, shelters and the expert library; call experts to a
consultation, take their opinions, conclude it; record a town's 四有. Each checks scope and right, validates,
saves with one history row and notifies after commit."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import records, uploads
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.models import Region
from anlan.core.permissions import require, require_right
from anlan.notifications.services import notify

from .. import rules
from ..models import (
    ConsultationAssignment,
    Expert,
    ExpertConsultation,
    RescueTeam,
    Shelter,
    TownCapacity,
)
from ..selectors import forces as selectors

MANAGE_FORCES = "emergency.manage_rescue_forces"
MANAGE_EXPERTS = "emergency.manage_experts"
MANAGE_CONSULTATIONS = "emergency.manage_consultations"
OPINION = "emergency.give_expert_opinion"
EDIT_CAPACITY = "emergency.edit_town_capacity"


class ErrorCode(StrEnum):
    REGION_REQUIRED = "forces_region_required"
    STATUS_UNKNOWN = "forces_status_unknown"
    STATUS_UNCHANGED = "forces_status_unchanged"
    SPECIALTY_REQUIRED = "expert_specialty_required"
    SPECIALTY_UNKNOWN = "expert_specialty_unknown"
    EXPERT_UNAVAILABLE = "expert_unavailable"
    EXPERT_ALREADY_ASSIGNED = "expert_already_assigned"
    EXPERT_ACCOUNT_TAKEN = "expert_account_taken"
    NO_EXPERT_CHOSEN = "consultation_no_expert"
    CONSULTATION_CLOSED = "consultation_closed"
    OPINION_REQUIRED = "opinion_required"
    OPINIONS_MISSING = "consultation_opinions_missing"
    CONCLUSION_REQUIRED = "conclusion_required"


def _text(data: dict, key: str) -> str:
    return (data.get(key) or "").strip()


def _region(actor, right: str, data: dict) -> Region:
    region = data.get("region")
    if region is None:
        raise DomainError(ErrorCode.REGION_REQUIRED, _("请选择所在区划。"), field="region")
    records.ensure_region_in_scope(actor, right, region.code)
    return region


def _assign(obj, data: dict, fields: tuple[str, ...]) -> None:
    for name in fields:
        value = data.get(name)
        setattr(obj, name, value.strip() if isinstance(value, str) else value)


# ---------------------------------------------------------------- rescue teams

TEAM_FIELDS = (
    "name",
    "kind",
    "unit",
    "leader",
    "leader_phone",
    "members",
    "specialties",
    "equipment",
    "latitude",
    "longitude",
)


def _save_team(team: RescueTeam, *, actor, data: dict, reason) -> RescueTeam:
    with transaction.atomic():
        team.region = _region(actor, MANAGE_FORCES, data)
        _assign(team, data, TEAM_FIELDS)
        team.specialties = "、".join(team.specialty_list)
        records.validate(team)
        records.save_with_history(team, actor, record_text(reason))
        records.ensure_in_scope(actor, MANAGE_FORCES, team, "region")
    return team


def register_rescue_team(*, actor, data: dict) -> RescueTeam:
    """登记救援队伍 in a region the actor keeps (a town its own, the county office the county)."""
    require_right(actor, MANAGE_FORCES)
    return _save_team(RescueTeam(), actor=actor, data=data, reason=gettext_lazy("登记救援队伍"))


def update_rescue_team(*, actor, team_pk: int, data: dict) -> RescueTeam:
    with transaction.atomic():
        team = selectors.access_team(actor, team_pk, for_update=True)
        require(actor, MANAGE_FORCES, team)
        return _save_team(team, actor=actor, data=data, reason=gettext_lazy("修改救援队伍"))


def _set_status(obj, *, actor, status: str, choices, reason) -> None:
    if status not in choices.values:
        raise DomainError(ErrorCode.STATUS_UNKNOWN, _("状态“%(s)s”无效。") % {"s": status}, field="status")
    if obj.status == status:
        raise DomainError(
            ErrorCode.STATUS_UNCHANGED,
            _("状态已是“%(s)s”。") % {"s": obj.get_status_display()},
            field="status",
        )
    obj.status = status
    records.save_with_history(obj, actor, record_text(reason, status=str(choices(status).label)))


def set_team_status(*, actor, team_pk: int, status: str) -> RescueTeam:
    """待命 / 出动中 / 已撤编: the team's readiness as its keeper reports it."""
    with transaction.atomic():
        team = selectors.access_team(actor, team_pk, for_update=True)
        require(actor, MANAGE_FORCES, team)
        _set_status(
            team,
            actor=actor,
            status=status,
            choices=RescueTeam.Status,
            reason=gettext_lazy("队伍状态改为%(status)s"),
        )
    return team


# ---------------------------------------------------------------- shelters

SHELTER_FIELDS = (
    "name",
    "kind",
    "address",
    "latitude",
    "longitude",
    "capacity",
    "area_m2",
    "manager",
    "manager_phone",
    "facilities",
)


def _save_shelter(shelter: Shelter, *, actor, data: dict, reason) -> Shelter:
    with transaction.atomic():
        shelter.region = _region(actor, MANAGE_FORCES, data)
        _assign(shelter, data, SHELTER_FIELDS)
        records.validate(shelter)
        records.save_with_history(shelter, actor, record_text(reason))
        records.ensure_in_scope(actor, MANAGE_FORCES, shelter, "region")
    return shelter


def register_shelter(*, actor, data: dict) -> Shelter:
    """登记避难场所 in a region the actor keeps."""
    require_right(actor, MANAGE_FORCES)
    return _save_shelter(Shelter(), actor=actor, data=data, reason=gettext_lazy("登记避难场所"))


def update_shelter(*, actor, shelter_pk: int, data: dict) -> Shelter:
    with transaction.atomic():
        shelter = selectors.access_shelter(actor, shelter_pk, for_update=True)
        require(actor, MANAGE_FORCES, shelter)
        return _save_shelter(shelter, actor=actor, data=data, reason=gettext_lazy("修改避难场所"))


def set_shelter_status(*, actor, shelter_pk: int, status: str) -> Shelter:
    """开放 / 关闭 a shelter (突发事件应对法 第六十七条: 准备避难场所)."""
    with transaction.atomic():
        shelter = selectors.access_shelter(actor, shelter_pk, for_update=True)
        require(actor, MANAGE_FORCES, shelter)
        _set_status(
            shelter,
            actor=actor,
            status=status,
            choices=Shelter.Status,
            reason=gettext_lazy("避难场所状态改为%(status)s"),
        )
    return shelter


# ---------------------------------------------------------------- expert library

EXPERT_FIELDS = ("name", "phone", "employer", "title", "is_available", "unavailable_until", "user", "note")


def _specialties(codes) -> str:
    codes = list(codes or [])
    if not codes:
        raise DomainError(ErrorCode.SPECIALTY_REQUIRED, _("请至少选择一个专业领域。"), field="specialties")
    unknown = [code for code in codes if code not in rules.EXPERT_SPECIALTY_LABELS]
    if unknown:
        raise DomainError(
            ErrorCode.SPECIALTY_UNKNOWN,
            _("专业领域“%(code)s”不在专家库的领域表中。") % {"code": unknown[0]},
            field="specialties",
        )
    return rules.joined_codes(codes)


def _save_expert(expert: Expert, *, actor, data: dict, reason) -> Expert:
    with transaction.atomic():
        expert.region = _region(actor, MANAGE_EXPERTS, data)
        _assign(expert, data, EXPERT_FIELDS)
        expert.is_available = bool(expert.is_available)
        expert.specialties = _specialties(data.get("specialties"))
        if expert.user_id and Expert.objects.filter(user_id=expert.user_id).exclude(pk=expert.pk).exists():
            raise DomainError(ErrorCode.EXPERT_ACCOUNT_TAKEN, _("该登录账号已关联其他专家。"), field="user")
        records.validate(expert)
        records.save_with_history(expert, actor, record_text(reason))
        records.ensure_in_scope(actor, MANAGE_EXPERTS, expert, "region")
    return expert


def register_expert(*, actor, data: dict) -> Expert:
    """入库: add an expert to the county's library (the county office keeps it)."""
    require_right(actor, MANAGE_EXPERTS)
    return _save_expert(Expert(), actor=actor, data=data, reason=gettext_lazy("专家入库"))


def update_expert(*, actor, expert_pk: int, data: dict) -> Expert:
    with transaction.atomic():
        expert = selectors.access_expert(actor, expert_pk, for_update=True)
        require(actor, MANAGE_EXPERTS, expert)
        return _save_expert(expert, actor=actor, data=data, reason=gettext_lazy("修改专家信息"))


# ---------------------------------------------------------------- consultations


def _consultation_url(consultation) -> str:
    return reverse("emergency:forces-consultation-detail", args=[consultation.pk])


def request_consultation(*, actor, data: dict) -> ExpertConsultation:
    """发起会诊: a case and the question put to the experts (assigned next)."""
    require_right(actor, MANAGE_CONSULTATIONS)
    with transaction.atomic():
        consultation = ExpertConsultation(
            title=_text(data, "title"),
            incident=data.get("incident"),
            reference=_text(data, "reference"),
            question=_text(data, "question"),
            requested_by=actor,
            requested_at=timezone.now(),
        )
        consultation.region = _region(actor, MANAGE_CONSULTATIONS, data)
        records.validate(consultation)
        records.save_with_history(consultation, actor, record_text(gettext_lazy("发起专家会诊")))
        records.ensure_in_scope(actor, MANAGE_CONSULTATIONS, consultation, "region")
    return consultation


def _open(consultation: ExpertConsultation, field: str) -> None:
    if consultation.status != ExpertConsultation.Status.OPEN:
        raise DomainError(ErrorCode.CONSULTATION_CLOSED, _("会诊已结束，不能再修改。"), field=field)


def assign_experts(
    *, actor, consultation_pk: int, experts, today: date | None = None
) -> list[ConsultationAssignment]:
    """邀请专家: only experts available today may be called; each is told through their account."""
    today = today or timezone.localdate()
    experts = list(experts or [])
    if not experts:
        raise DomainError(ErrorCode.NO_EXPERT_CHOSEN, _("请至少选择一位专家。"), field="experts")
    with transaction.atomic():
        consultation = selectors.access_consultation(actor, consultation_pk, for_update=True)
        require(actor, MANAGE_CONSULTATIONS, consultation)
        _open(consultation, "experts")
        visible = set(
            Expert.objects.for_user(actor).filter(pk__in=[e.pk for e in experts]).values_list("pk", flat=True)
        )
        taken = set(consultation.assignments.values_list("expert_id", flat=True))
        made = []
        for expert in experts:
            if expert.pk not in visible or not expert.available_on(today):
                raise DomainError(
                    ErrorCode.EXPERT_UNAVAILABLE,
                    _("专家“%(name)s”当前不可参加会诊（已标记不可用或暂不可用期间）。")
                    % {"name": expert.name},
                    field="experts",
                )
            if expert.pk in taken:
                raise DomainError(
                    ErrorCode.EXPERT_ALREADY_ASSIGNED,
                    _("专家“%(name)s”已在本次会诊中。") % {"name": expert.name},
                    field="experts",
                )
            assignment = ConsultationAssignment(
                consultation=consultation, expert=expert, assigned_by=actor, assigned_at=timezone.now()
            )
            records.save_with_history(assignment, actor, record_text(gettext_lazy("邀请会诊专家")))
            made.append(assignment)
        users = [a.expert.user_id for a in made if a.expert.user_id]
        title = record_text(gettext_lazy("专家会诊邀请：%(title)s"), title=consultation.title)
        url = _consultation_url(consultation)
        transaction.on_commit(
            lambda: notify(
                users,
                kind="emergency.consultation",
                title=title,
                body=consultation.question[:200],
                url=url,
                dedupe_key=f"consultation:{consultation.pk}",
            )
        )
    return made


def give_opinion(*, actor, assignment_pk: int, opinion: str) -> ConsultationAssignment:
    """出具意见: only the assigned expert, through their own account, while the consultation is open."""
    opinion = (opinion or "").strip()
    with transaction.atomic():
        assignment = selectors.access_assignment(actor, assignment_pk, for_update=True)
        require(actor, OPINION, assignment)
        _open(assignment.consultation, "opinion")
        if not opinion:
            raise DomainError(ErrorCode.OPINION_REQUIRED, _("请填写专家意见。"), field="opinion")
        assignment.opinion = opinion
        assignment.opinion_at = timezone.now()
        records.save_with_history(assignment, actor, record_text(gettext_lazy("出具专家意见")))
        consultation = assignment.consultation
        requester = consultation.requested_by_id
        title = record_text(
            gettext_lazy("%(expert)s 已出具会诊意见：%(title)s"),
            expert=assignment.expert.name,
            title=consultation.title,
        )
        url = _consultation_url(consultation)
        transaction.on_commit(
            lambda: notify([requester], kind="emergency.consultation", title=title, url=url)
        )
    return assignment


def close_consultation(*, actor, consultation_pk: int, conclusion: str) -> ExpertConsultation:
    """结束会诊 with the requester's conclusion, once every assigned expert has given an opinion."""
    conclusion = (conclusion or "").strip()
    with transaction.atomic():
        consultation = selectors.access_consultation(actor, consultation_pk, for_update=True)
        require(actor, MANAGE_CONSULTATIONS, consultation)
        _open(consultation, "conclusion")
        if not conclusion:
            raise DomainError(ErrorCode.CONCLUSION_REQUIRED, _("请填写会诊结论。"), field="conclusion")
        assignments = consultation.assignments
        if not assignments.exists() or assignments.filter(opinion_at__isnull=True).exists():
            raise DomainError(
                ErrorCode.OPINIONS_MISSING,
                _("尚有受邀专家未出具意见（或未邀请专家），不能结束会诊。"),
                field="conclusion",
            )
        consultation.conclusion = conclusion
        consultation.status = ExpertConsultation.Status.CLOSED
        consultation.closed_at = timezone.now()
        records.save_with_history(consultation, actor, record_text(gettext_lazy("结束专家会诊")))
    return consultation


# ---------------------------------------------------------------- towns' 四有


def update_town_capacity(*, actor, town_code: str, data: dict) -> TownCapacity:
    """A town records its 四有: each item yes/no with a description and, optionally, a new evidence file
    (a picture or a PDF, checked by core.uploads)."""
    with transaction.atomic():
        town = selectors.access_town(actor, town_code)
        capacity = TownCapacity.objects.select_for_update().filter(town=town).first() or TownCapacity(
            town=town
        )
        require(actor, EDIT_CAPACITY, capacity if capacity.pk else town)
        for code, _label in rules.CAPACITY_ITEMS:
            setattr(capacity, f"has_{code}", bool(data.get(f"has_{code}")))
            setattr(capacity, f"{code}_note", _text(data, f"{code}_note"))
            upload = data.get(f"{code}_evidence")
            if upload:
                accepted = uploads.accept_attachment(upload, field=f"{code}_evidence")
                getattr(capacity, f"{code}_evidence").save(accepted.name, accepted, save=False)
        capacity.updated_by = actor
        records.validate(capacity)
        records.save_with_history(capacity, actor, record_text(gettext_lazy("更新乡镇应急能力“四有”")))
        records.ensure_in_scope(actor, EDIT_CAPACITY, capacity, "town")
    return capacity
