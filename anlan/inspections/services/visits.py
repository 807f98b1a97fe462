"""Use cases of visits and checklists: plan an inspection with its team, record what the team found (every
checklist item answered, each 不符合 opening a hazard), cancel a planned one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import capacity, uploads
from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.models import Department, Enterprise, Role
from anlan.core.permissions import has_right, require, require_right
from anlan.core.records import ensure_in_scope, save_with_history, validate
from anlan.core.workflow import apply_transition, check_transition, find
from anlan.documents.services import issue_document
from anlan.hazards import selectors as hazard_selectors
from anlan.hazards import services as hazard_services
from anlan.hazards.models import Hazard

from .. import documents, rules, selectors
from ..data.checklists import BY_CODE, GENERAL, checklist_for, items_of
from ..errors import ErrorCode
from ..models import Answer, AnswerPhoto, Conflict, DocumentKind, Inspection, Inspector
from . import publication
from .common import ANNOUNCED, RECORDED, acting_department, check_rule, tell_enterprise, tell_team
from .suspension import flag_unauthorised_production

# Inspection kind → the hazard source a finding is registered under.
HAZARD_SOURCE = {
    Inspection.Kind.UNANNOUNCED: Hazard.Source.UNANNOUNCED,
    Inspection.Kind.SUPERVISION: Hazard.Source.SUPERVISION,
    Inspection.Kind.EXPERT: Hazard.Source.EXPERT,
    Inspection.Kind.RECHECK: Hazard.Source.RECHECK,
}


def checklist_code(enterprise: Enterprise) -> str:
    """The checklist for an enterprise's industry (or its parent industry), else the general one."""
    codes = {enterprise.industry.code}
    if enterprise.industry.parent_id:
        codes.add(enterprise.industry.parent.code)
    return checklist_for(codes).code


# ---------------------------------------------------------------- inspections


INSPECTION_FIELDS = ("kind", "enterprise", "place", "region", "industry", "planned_on", "checklist")


def _pk(value):
    return getattr(value, "pk", value) or None


def _check_team(
    team: list[Inspector], department: Department, enterprise_id, on: date, *, joint: bool = False
) -> None:
    """At least two inspectors, each active and certified in their own department's pool; one department's
    pool, or for a 联合执法 several departments' pools including the lead department's (`department`)."""
    check_rule(rules.check_team, [i.pk for i in team])
    for inspector in team:
        if not inspector.is_active:
            raise DomainError(
                ErrorCode.INSPECTOR_NOT_IN_POOL,
                _("%(name)s 不在所属部门执法人员库中。") % {"name": inspector.name},
                field="team",
            )
        if not rules.certificate_valid(inspector.certificate_expires_on, on):
            raise DomainError(
                ErrorCode.INSPECTOR_NOT_CERTIFIED,
                _("%(name)s 的执法证已过期，不能派出执法。") % {"name": inspector.name},
                field="team",
            )
    check_rule(
        rules.check_joint_team,
        joint=joint,
        lead_department=department.pk,
        members=[(i.name, i.department_id, True) for i in team],
    )
    if enterprise_id and Conflict.objects.filter(inspector__in=team, enterprise_id=enterprise_id).exists():
        raise DomainError(
            ErrorCode.INSPECTOR_CONFLICTED,
            _("检查组中有人员已申报与该单位存在利害关系，应当回避。"),
            field="team",
        )


def create_inspection(*, actor, data: dict, team_ids: Iterable[int]) -> Inspection:
    """Plan an inspection (any kind but 双随机, which comes from a confirmed draw). The enterprise is told in
    advance, except of a 四不两直 visit."""
    require_right(actor, "inspections.inspect")
    with transaction.atomic():
        department = acting_department(actor, "inspections.inspect", data.get("department"))
        references = ("enterprise", "region", "industry")
        inspection = Inspection(
            **{k: v for k, v in data.items() if k in INSPECTION_FIELDS and k not in references}
        )
        inspection.department, inspection.created_by = department, actor
        inspection.enterprise_id = _pk(data.get("enterprise"))
        inspection.region_id = _pk(data.get("region"))
        inspection.industry_id = _pk(data.get("industry"))
        if inspection.kind == Inspection.Kind.RANDOM:
            raise DomainError(
                ErrorCode.RANDOM_INSPECTION_NEEDS_DRAW,
                _("双随机抽查由抽取结果生成，请使用双随机抽取。"),
                field="kind",
            )
        if inspection.enterprise_id:
            enterprise = core_selectors.access_enterprise(actor, inspection.enterprise_id)
            inspection.enterprise = enterprise
            inspection.region_id, inspection.industry_id = enterprise.region_id, enterprise.industry_id
            inspection.grid_id = enterprise.grid_id
            inspection.checklist = inspection.checklist or checklist_code(enterprise)
        elif not (inspection.place or "").strip():
            raise DomainError(
                ErrorCode.SUBJECT_MISSING, _("请选择生产经营单位或填写检查场所。"), field="enterprise"
            )
        inspection.checklist = inspection.checklist or GENERAL.code
        if inspection.checklist not in BY_CODE:
            raise DomainError(ErrorCode.CHECKLIST_UNKNOWN, _("检查表不存在。"), field="checklist")
        validate(inspection, exclude=["created_by", "department"])
        team = list(Inspector.objects.filter(pk__in=list(team_ids)))
        _check_team(
            team,
            department,
            inspection.enterprise_id,
            inspection.planned_on,
            joint=inspection.kind == Inspection.Kind.JOINT,
        )
        save_with_history(inspection, actor, "", {"team": team})
        ensure_in_scope(actor, "inspections.inspect", inspection, "enterprise")
        transaction.on_commit(lambda: tell_team(inspection))
        transaction.on_commit(
            lambda: tell_enterprise(
                inspection,
                kind=ANNOUNCED,
                title=_("检查通知：%(kind)s") % {"kind": inspection.get_kind_display()},
                body=str(inspection.planned_on),
                key="announced",
            )
        )
    return inspection


OWN_CHECK_FIELDS = (
    "kind",
    "enterprise",
    "place",
    "region",
    "planned_on",
    "checklist",
    "checkers",
    "conducted_by",
)


def own_check_body(actor) -> str:
    """The name a town's or a leader's own check goes under: the town's government, or 领导督查 of the region."""
    for membership in capacity.capacities(actor, right="inspections.own_check"):
        if membership.role == Role.TOWN:
            return str(_("%(town)s人民政府") % {"town": membership.region.name})
        return str(_("%(region)s领导督查") % {"region": membership.region.name})
    return ""


def create_own_check(*, actor, data: dict) -> Inspection:
    """A town's or a leader's own check (四不两直 visit or 督查) of an enterprise or a place in their region: no
    department, no inspector team (the people who went are named), never an enforcement measure. A visit that
    finds nothing still leaves its record."""
    require_right(actor, "inspections.own_check")
    with transaction.atomic():
        kind = data.get("kind") or Inspection.Kind.UNANNOUNCED
        check_rule(rules.check_own_check_kind, kind)
        inspection = Inspection(kind=kind, planned_on=data.get("planned_on") or timezone.localdate())
        inspection.created_by = actor
        inspection.checkers = (data.get("checkers") or "").strip()
        inspection.conducted_by = (data.get("conducted_by") or "").strip() or own_check_body(actor)
        inspection.place = (data.get("place") or "").strip()
        enterprise_pk = _pk(data.get("enterprise"))
        if enterprise_pk:
            enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
            inspection.enterprise = enterprise
            inspection.region_id, inspection.industry_id = enterprise.region_id, enterprise.industry_id
            inspection.grid_id = enterprise.grid_id
            inspection.checklist = data.get("checklist") or checklist_code(enterprise)
        else:
            if not inspection.place:
                raise DomainError(
                    ErrorCode.SUBJECT_MISSING, _("请选择生产经营单位或填写检查场所。"), field="enterprise"
                )
            inspection.region_id = _pk(data.get("region"))
            inspection.industry_id = _pk(data.get("industry")) or _general_industry()
        inspection.checklist = inspection.checklist or data.get("checklist") or GENERAL.code
        if inspection.checklist not in BY_CODE:
            raise DomainError(ErrorCode.CHECKLIST_UNKNOWN, _("检查表不存在。"), field="checklist")
        if not inspection.checkers:
            raise DomainError(ErrorCode.SUBJECT_MISSING, _("请填写参加检查的人员。"), field="checkers")
        validate(inspection, exclude=["created_by", "department"])
        save_with_history(inspection, actor, "")
        ensure_in_scope(actor, "inspections.own_check", inspection, "enterprise")
    return inspection


def _general_industry():
    from anlan.core.models import Industry

    return Industry.objects.filter(parent__isnull=True).order_by("pk").values_list("pk", flat=True).first()


def record_right(inspection: Inspection) -> str:
    """The right recording needs: a department's inspection `inspections.inspect`, a town's or a leader's own
    check `inspections.own_check`."""
    return "inspections.own_check" if inspection.is_own_check else "inspections.inspect"


def _store_photos(answer: Answer, uploads, actor) -> None:
    """Attach the checked pictures to the answer, each with its history row (who attached what, when)."""
    for upload in uploads:
        upload.seek(0)
        photo = AnswerPhoto(answer=answer, name=upload.original_name)
        photo.file.save(upload.name, upload, save=False)
        save_with_history(photo, actor, "")
        upload.seek(0)


def _hazard_for(answer: Answer, item, inspection: Inspection, actor, due_on: date, photos) -> Hazard:
    grade = answer.grade or item.grade
    finding = item.finding_text
    data = {
        "source": HAZARD_SOURCE.get(inspection.kind, Hazard.Source.DEPARTMENT_INSPECTION),
        "category": Hazard.Category.MANAGEMENT
        if item.key.startswith("gen-")
        else Hazard.Category.UNSAFE_CONDITION,
        "grade": grade,
        "major_criterion": item.criterion if grade == Hazard.Grade.MAJOR else "",
        "major_basis": item.basis if grade == Hazard.Grade.MAJOR and not item.criterion else "",
        "description": f"{finding}：{answer.note}" if answer.note else finding,
        "found_on": timezone.localdate(inspection.finished_at),
        "finder": ("、".join(i.name for i in inspection.team.all()) or inspection.checkers)[:50],
        "due_on": due_on,
    }
    if inspection.enterprise_id:
        data["enterprise"] = inspection.enterprise
    else:
        data.update(place=inspection.place, region=inspection.region, industry=inspection.industry)
    # An inspection's finding is closed by the inspecting body's recheck (整改复查意见书), not by the enterprise.
    return hazard_services.register_hazard(actor=actor, data=data, photos=photos, inspection_finding=True)


def record_inspection(
    *,
    actor,
    inspection_pk,
    data: dict,
    answers: dict[str, dict],
    photos: dict[str, list] | None = None,
    signature=None,
) -> Inspection:
    """Record what the team found: every checklist item answered 符合/不符合/不适用; each 不符合 opens a hazard
    (grade suggested by the item) linked to the answer; the 现场检查记录 is issued; production found during a
    停产整顿 is flagged and escalated."""
    photos = photos or {}
    with transaction.atomic():
        inspection = selectors.access_inspection(actor, inspection_pk, for_update=True)
        require(actor, record_right(inspection), inspection)
        transition = find(Inspection.TRANSITIONS, "record")
        check_transition(inspection, transition)
        refused = transition.refusal(inspection, actor)
        if refused is not None:
            raise DomainError(refused.code, refused.message, field="__all__")
        arrived, finished = data.get("arrived_at"), data.get("finished_at")
        if arrived is None or finished is None:
            field = "arrived_at" if arrived is None else "finished_at"
            raise DomainError(ErrorCode.RECORD_TIMES_MISSING, _("请填写检查起止时间。"), field=field)
        if finished < arrived:
            raise DomainError(
                ErrorCode.RECORD_FINISHED_BEFORE_ARRIVAL,
                _("检查结束时间不能早于到达时间。"),
                field="finished_at",
            )
        if finished > timezone.now() + timedelta(minutes=5):
            raise DomainError(
                ErrorCode.RECORD_FINISHED_IN_FUTURE, _("检查结束时间不能晚于当前时间。"), field="finished_at"
            )
        check_rule(rules.check_unannounced, inspection.kind, data.get("escort", ""), arrived)
        # A 双随机 visit within its draw's window; early only with a reason (kept and audited), late flagged.
        early_reason, late = (data.get("early_reason") or "").strip(), False
        if inspection.draw_id:
            day, draw = timezone.localdate(arrived), inspection.draw
            late = check_rule(rules.check_window, day, draw.period_start, draw.period_end, early_reason)
            if rules.window_position(day, draw.period_start, draw.period_end) != rules.WINDOW_EARLY:
                early_reason = ""
        else:
            early_reason = ""
        registers_hazards = has_right(actor, "hazards.register_hazard")
        items = items_of(inspection.checklist)
        missing = [item for item in items if item.key not in answers]
        if missing:
            raise DomainError(
                ErrorCode.ANSWER_MISSING,
                _("检查项“%(item)s”未填写结论。") % {"item": missing[0].text},
                field="answers",
            )
        unknown = set(answers) - {item.key for item in items}
        if unknown:
            raise DomainError(ErrorCode.ANSWER_NOT_IN_CHECKLIST, _("检查项不属于该检查表。"), field="answers")
        # The hazards module's default rectification deadline, counted from the day of the visit.
        due_on = data.get("due_on") or hazard_selectors.default_due_on(timezone.localdate(finished))
        checked_photos = {key: hazard_services.check_photos(files) for key, files in photos.items()}
        inspection.arrived_at, inspection.finished_at = arrived, finished
        inspection.people_met = (data.get("people_met") or "").strip()
        inspection.escort = (data.get("escort") or "").strip()
        inspection.summary = (data.get("summary") or "").strip()
        inspection.production_during_suspension = bool(data.get("production_during_suspension"))
        if signature is not None:
            scan = uploads.accept_attachment(signature, field="signature_scan")
            inspection.signature_scan.save(scan.name, scan, save=False)
        findings = 0
        for item in items:
            given = answers[item.key]
            result = given.get("result")
            if result not in Answer.Result.values:
                raise DomainError(
                    ErrorCode.ANSWER_RESULT_INVALID,
                    _("检查项“%(item)s”的结论无效。") % {"item": item.text},
                    field="answers",
                )
            grade = given.get("grade") or item.grade
            if grade not in Hazard.Grade.values:
                raise DomainError(ErrorCode.HAZARD_GRADE_INVALID, _("隐患等级无效。"), field="answers")
            note = (given.get("note") or "").strip()
            if result == Answer.Result.NON_COMPLIANT and not note and not checked_photos.get(item.key):
                raise DomainError(
                    ErrorCode.FINDING_UNEXPLAINED,
                    _("检查项“%(item)s”为不符合，请说明发现的问题或上传照片。") % {"item": item.text},
                    field="answers",
                )
            answer = Answer(
                inspection=inspection,
                item_key=item.key,
                item_text=item.text,
                basis=item.basis[:300],
                result=result,
                note=note,
                grade=grade if result == Answer.Result.NON_COMPLIANT else "",
            )
            if answer.is_finding and registers_hazards:
                # The finding's hazard first, so the answer's one history row carries its link. A leader's
                # 督查 finding stays on the record for the town or the department to register.
                answer.hazard = _hazard_for(
                    answer, item, inspection, actor, due_on, checked_photos.get(item.key, [])
                )
                findings += 1
            findings += answer.is_finding and answer.hazard is None
            save_with_history(answer, actor, "")
            _store_photos(answer, checked_photos.get(item.key, []), actor)
        inspection.result = data.get("result") or (
            Inspection.Result.PROBLEMS if findings else Inspection.Result.NO_PROBLEM
        )
        # A department's record is a numbered 现场检查记录; a town's or a leader's own check is kept as the record.
        document = None
        if not inspection.is_own_check:
            document = issue_document(
                actor=actor,
                issuer=inspection.department,
                kind=DocumentKind.INSPECTION_RECORD,
                title=f"{documents.TITLES[DocumentKind.INSPECTION_RECORD]}（{inspection.subject}）",
                render=lambda number: documents.inspection_record(inspection, number),
                target=inspection,
            )
        # The record, its document and the new state in one compare-and-set and one history row (whose reason
        # is the early visit's reason, when there is one: the audit shows why).
        apply_transition(
            inspection,
            transition,
            actor=actor,
            reason=early_reason,
            changes={
                "is_late": late,
                "early_reason": early_reason,
                "arrived_at": arrived,
                "finished_at": finished,
                "people_met": inspection.people_met,
                "escort": inspection.escort,
                "summary": inspection.summary,
                "production_during_suspension": inspection.production_during_suspension,
                "signature_scan": inspection.signature_scan.name or "",
                "result": inspection.result,
                "recorded_by": actor,
                "record_document": document,
            },
        )
        if inspection.production_during_suspension:
            flag_unauthorised_production(inspection, actor)
        publication.after_recording(inspection, actor)
        transaction.on_commit(
            lambda: tell_enterprise(
                inspection,
                kind=RECORDED,
                title=_("检查结果：%(result)s") % {"result": inspection.get_result_display()},
                body=str(inspection.get_kind_display()),
                key="recorded",
            )
        )
    return inspection


def cancel_inspection(*, actor, inspection_pk, reason: str) -> Inspection:
    """Cancel a planned inspection, with a reason; a 双随机 one never (its draw is immutable)."""
    with transaction.atomic():
        inspection = selectors.access_inspection(actor, inspection_pk, for_update=True)
        require(actor, "inspections.inspect", inspection)
        # A drawn inspection is refused by the transition's guard (guards.not_drawn).
        apply_transition(inspection, find(Inspection.TRANSITIONS, "cancel"), actor=actor, reason=reason)
    return inspection
