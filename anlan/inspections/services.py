"""Use cases of inspections and enforcement. Each one, in one transaction: access (scoped, locked) → may the
actor do this → rules → change (state moves by compare-and-set) → audit → notifications.

A 四不两直 visit that is still planned is never announced to the enterprise: `_tell_enterprise` refuses to
notify about a hidden inspection, whoever calls it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import selectors as core_selectors
from anlan.core.errors import Code, DomainError
from anlan.core.models import Department, Enterprise, Industry, Region, Role
from anlan.core.permissions import require, require_right
from anlan.core.rules import RuleViolation
from anlan.core.scope import industry_q, memberships_of, region_q, supervised_industry_ids
from anlan.core.services import _ensure_in_scope, _save_with_history, _validate
from anlan.core.workflow import apply_transition, find
from anlan.documents.services import issue_document
from anlan.hazards import services as hazard_services
from anlan.hazards.models import Hazard
from anlan.hazards.notices import committee_office, enterprise_users
from anlan.hazards.rules import county_of
from anlan.notifications.services import notify, recipients_for

from . import documents, rules, selectors
from .data.checklists import BY_CODE, GENERAL, checklist_for, items_of
from .models import (
    DEFAULT_CHAIN,
    DRAW_TRANSITIONS,
    ENFORCEMENT_TRANSITIONS,
    INSPECTION_TRANSITIONS,
    Answer,
    AnswerPhoto,
    Conflict,
    DocumentKind,
    EnforcementAction,
    Inspection,
    InspectionPlan,
    Inspector,
    Letter,
    PlanTarget,
    RandomDraw,
    Resumption,
    ResumptionStep,
    ScoredPerson,
    ScoreEntry,
    ScoringRule,
    SignoffStep,
    Suspension,
)

# Notification kinds.
ASSIGNED = "inspection_assigned"
ANNOUNCED = "inspection_announced"
RECORDED = "inspection_recorded"
ENFORCEMENT = "inspection_enforcement"
UNAUTHORISED_PRODUCTION = "inspection_unauthorised_production"
RESUMPTION = "inspection_resumption"
SCORE_THRESHOLD = "inspection_score_threshold"

# Inspection kind → the hazard source a finding is registered under.
HAZARD_SOURCE = {
    Inspection.Kind.UNANNOUNCED: Hazard.Source.UNANNOUNCED,
    Inspection.Kind.SUPERVISION: Hazard.Source.SUPERVISION,
    Inspection.Kind.EXPERT: Hazard.Source.EXPERT,
    Inspection.Kind.RECHECK: Hazard.Source.RECHECK,
}
FINDING_DAYS = 15  # default rectification deadline offered for findings


def _check(rule, *args, **kwargs):
    try:
        return rule(*args, **kwargs)
    except RuleViolation as violation:
        raise DomainError(violation.code, violation.message, field=violation.field) from violation


def _today() -> date:
    return timezone.localdate()


def _acting_department(actor, action: str, department_pk) -> Department:
    """The department a record is made for: one the actor may act for (their own, or for the 安委办 any
    department in their region subtree)."""
    department = Department.objects.for_user(actor, action).filter(pk=department_pk, is_active=True).first()
    if department is None:
        raise DomainError(Code.OUT_OF_SCOPE, _("不能以该部门的名义办理。"), field="department")
    return department


def departments_for(actor, action: str):
    return Department.objects.for_user(actor, action).filter(is_active=True).select_related("region")


def is_hidden_from_enterprise(inspection: Inspection) -> bool:
    return inspection.kind == Inspection.Kind.UNANNOUNCED and inspection.status == Inspection.Status.PLANNED


def _tell_enterprise(inspection: Inspection, *, kind: str, title: str, body: str = "", key: str) -> int:
    """Notify the enterprise's users about an inspection, never while it is an unannounced visit."""
    if not inspection.enterprise_id or is_hidden_from_enterprise(inspection):
        return 0
    return notify(
        enterprise_users(inspection.enterprise_id),
        kind=kind,
        title=title,
        body=body,
        url=reverse("inspections:inspection-detail", args=[inspection.pk]),
        dedupe_key=f"inspection:{inspection.pk}:{key}",
    )


def _tell_team(inspection: Inspection) -> None:
    users = [i.user_id for i in inspection.team.all() if i.user_id]
    notify(
        users,
        kind=ASSIGNED,
        title=_("检查任务：%(subject)s") % {"subject": inspection.subject},
        body=f"{inspection.get_kind_display()} · {inspection.planned_on}",
        url=reverse("inspections:inspection-detail", args=[inspection.pk]),
        dedupe_key=f"inspection:{inspection.pk}:assigned",
    )


# ---------------------------------------------------------------- plans


def save_plan(*, actor, data: dict, targets: Iterable[dict] = (), plan_pk=None) -> InspectionPlan:
    """Create or change a department's yearly plan: planned counts per month and targets by industry/risk."""
    require_right(actor, "inspections.manage_plan")
    with transaction.atomic():
        if plan_pk is not None:
            plan = selectors.access_plan(actor, plan_pk, for_update=True)
            require(actor, "inspections.manage_plan", plan)
        else:
            plan = InspectionPlan(created_by=actor)
            plan.department = _acting_department(actor, "inspections.manage_plan", data.get("department"))
            plan.year = data.get("year") or _today().year
        plan.title = data.get("title") or ""
        plan.notes = data.get("notes") or ""
        plan.monthly_counts = _check(rules.check_monthly_counts, data.get("monthly_counts") or [])
        _validate(plan, exclude=["created_by"])
        if (
            plan_pk is None
            and InspectionPlan.objects.filter(department=plan.department, year=plan.year).exists()
        ):
            raise DomainError(Code.DUPLICATE, _("该部门本年度已有检查计划。"), field="year")
        _save_with_history(plan, actor, "")
        plan.targets.all().delete()
        for target in targets:
            if not target.get("count"):
                continue
            row = PlanTarget(
                plan=plan,
                industry=target.get("industry"),
                risk_level=target.get("risk_level") or "",
                count=target["count"],
            )
            _save_with_history(row, actor, "")
    return plan


# ---------------------------------------------------------------- inspector pool


def save_inspector(
    *, actor, data: dict, specialties: Iterable[Industry] = (), inspector_pk=None
) -> Inspector:
    """Add or change an official of the pool: certificate number and expiry, specialties."""
    require_right(actor, "inspections.manage_inspector")
    with transaction.atomic():
        if inspector_pk is not None:
            inspector = selectors.access_inspector(actor, inspector_pk, for_update=True)
            require(actor, "inspections.manage_inspector", inspector)
        else:
            inspector = Inspector()
        inspector.department = _acting_department(
            actor, "inspections.manage_inspector", data.get("department") or inspector.department_id
        )
        for field in ("name", "certificate_number", "certificate_expires_on", "user", "is_active"):
            if field in data:
                setattr(inspector, field, data[field])
        _validate(inspector)
        _save_with_history(inspector, actor, "", {"specialties": list(specialties)})
    return inspector


def declare_conflict(
    *, actor, inspector_pk, enterprise_pk, reason: str, declared_on: date | None = None
) -> Conflict:
    """Record a declared conflict of interest (回避): the inspector is never drawn for that enterprise."""
    require_right(actor, "inspections.manage_inspector")
    if not (reason or "").strip():
        raise DomainError(Code.INVALID, _("请填写回避事由。"), field="reason")
    with transaction.atomic():
        inspector = selectors.access_inspector(actor, inspector_pk)
        require(actor, "inspections.manage_inspector", inspector)
        enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
        if Conflict.objects.filter(inspector=inspector, enterprise=enterprise).exists():
            raise DomainError(Code.DUPLICATE, _("该回避关系已申报。"), field="enterprise")
        conflict = Conflict(
            inspector=inspector,
            enterprise=enterprise,
            reason=reason.strip(),
            declared_on=declared_on or _today(),
        )
        _save_with_history(conflict, actor, "")
    return conflict


# ---------------------------------------------------------------- 双随机 draws


def enterprise_pool(
    department: Department, *, region: Region, industry: Industry | None, risk_levels
) -> tuple:
    """Candidate enterprises of a draw: operating, in the department's jurisdiction (region subtree and, for an
    industry department, its industries) and in the chosen region, industry and risk levels. Returns
    (sorted ids, {id: weight})."""
    spec = Enterprise.scope
    q = region_q(spec, department.region) & region_q(spec, region)
    if department.kind == Department.Kind.INDUSTRY:
        q &= industry_q(spec, supervised_industry_ids(department))
    queryset = Enterprise.objects.filter(q, status=Enterprise.Status.OPERATING)
    if industry is not None:
        queryset = queryset.filter(Q(industry=industry) | Q(industry__parent=industry))
    wanted = set(risk_levels or rules.RISK_LEVELS)
    roots = selectors.industry_roots()
    ids, weights = [], {}
    rows = queryset.values_list("pk", "industry_id", "has_major_hazard_source", "is_crowded_place")
    for pk, industry_id, major, crowded in rows.iterator(chunk_size=5000):
        level = rules.risk_level(
            has_major_hazard_source=major, industry_root=roots.get(industry_id, ""), is_crowded_place=crowded
        )
        if level in wanted:
            ids.append(pk)
            weights[pk] = rules.RISK_WEIGHTS[level]
    ids.sort()
    return ids, weights


def eligible_inspectors(department: Department, on: date) -> list[int]:
    """Inspectors of the department who are in the pool and whose certificate is valid on `on`."""
    return sorted(
        Inspector.objects.filter(
            department=department, is_active=True, certificate_expires_on__gte=on
        ).values_list("pk", flat=True)
    )


def used_pairs(
    department: Department, start: date, end: date, inspectors: list[int]
) -> list[tuple[int, int]]:
    """Inspector–enterprise pairs already used in the period: confirmed draws and inspections overlapping it."""
    pairs: set[tuple[int, int]] = set()
    draws = RandomDraw.objects.filter(
        department=department, period_start__lte=end, period_end__gte=start
    ).exclude(status=RandomDraw.Status.DRAFT)
    for result in draws.values_list("result", flat=True):
        for entry in result:
            pairs.update((person, entry["enterprise"]) for person in entry["team"])
    through = Inspection.team.through.objects.filter(
        inspector_id__in=inspectors,
        inspection__planned_on__gte=start,
        inspection__planned_on__lte=end,
        inspection__enterprise__isnull=False,
    ).exclude(inspection__status=Inspection.Status.CANCELLED)
    pairs.update(through.values_list("inspector_id", "inspection__enterprise_id"))
    return sorted(pairs)


def create_draw(*, actor, data: dict) -> RandomDraw:
    """Run a 双随机 draw and keep it, with every input, as a draft that can be confirmed or drawn again."""
    require_right(actor, "inspections.draw")
    with transaction.atomic():
        department = _acting_department(actor, "inspections.draw", data.get("department"))
        start, end = data.get("period_start"), data.get("period_end")
        if not start or not end:
            raise DomainError(Code.INVALID, _("请填写检查期间。"), field="period_start")
        _check(rules.check_period, start, end)
        region = data.get("region") or department.region
        region = core_selectors.access_region(actor, getattr(region, "pk", region))
        industry = data.get("industry")
        risk_levels = [level for level in data.get("risk_levels") or [] if level in rules.RISK_LEVELS]
        seed = data.get("seed")
        if seed in (None, ""):
            seed = secrets.randbits(62)
        pool, weights = enterprise_pool(department, region=region, industry=industry, risk_levels=risk_levels)
        inspectors = eligible_inspectors(department, end)
        conflicts = sorted(
            Conflict.objects.filter(inspector_id__in=inspectors).values_list("inspector_id", "enterprise_id")
        )
        used = used_pairs(department, start, end, inspectors)
        method = data.get("method") or rules.METHOD_UNIFORM
        team_size = int(data.get("team_size") or rules.MIN_TEAM_SIZE)
        sample_size = int(data.get("sample_size") or 0)
        result = _check(
            rules.draw,
            seed=int(seed),
            pool=pool,
            n=sample_size,
            inspectors=inspectors,
            team_size=team_size,
            method=method,
            weights=weights,
            conflicts=conflicts,
            used_pairs=used,
        )
        draw = RandomDraw(
            department=department,
            plan=data.get("plan"),
            title=(data.get("title") or "").strip() or _("双随机抽查"),
            period_start=start,
            period_end=end,
            region=region,
            industry=industry,
            risk_levels=risk_levels,
            method=method,
            sample_size=sample_size,
            team_size=team_size,
            seed=int(seed),
            pool=pool,
            weights={str(k): v for k, v in weights.items()} if method == rules.METHOD_WEIGHTED else {},
            inspectors=inspectors,
            conflicts=[list(pair) for pair in conflicts],
            used_pairs=[list(pair) for pair in used],
            result=[{"enterprise": a.enterprise, "team": list(a.team)} for a in result],
            drawn_by=actor,
        )
        _validate(draw, exclude=["drawn_by"])
        _save_with_history(draw, actor, "")
        _ensure_in_scope(actor, "inspections.draw", draw, "department")
    return draw


def rerun_draw(draw: RandomDraw) -> list[dict]:
    """The draw run again from its recorded inputs (anyone can check a published draw this way)."""
    result = rules.draw(
        seed=draw.seed,
        pool=draw.pool,
        n=draw.sample_size,
        inspectors=draw.inspectors,
        team_size=draw.team_size,
        method=draw.method,
        weights={int(k): v for k, v in (draw.weights or {}).items()},
        conflicts=[tuple(pair) for pair in draw.conflicts],
        used_pairs=[tuple(pair) for pair in draw.used_pairs],
    )
    return [{"enterprise": a.enterprise, "team": list(a.team)} for a in result]


def _checklist_code(enterprise: Enterprise) -> str:
    codes = {enterprise.industry.code}
    if enterprise.industry.parent_id:
        codes.add(enterprise.industry.parent.code)
    return checklist_for(codes).code


def confirm_draw(*, actor, draw_pk) -> RandomDraw:
    """Confirm a draft draw: it becomes immutable and each drawn enterprise gets a planned 双随机 inspection."""
    with transaction.atomic():
        draw = selectors.access_draw(actor, draw_pk, for_update=True)
        require(actor, "inspections.draw", draw)
        apply_transition(
            draw,
            find(DRAW_TRANSITIONS, "confirm"),
            actor=actor,
            changes={"confirmed_by": actor, "confirmed_at": timezone.now()},
        )
        enterprises = Enterprise.objects.select_related("industry__parent").in_bulk(
            [entry["enterprise"] for entry in draw.result]
        )
        created = []
        for entry in draw.result:
            enterprise = enterprises[entry["enterprise"]]
            inspection = Inspection(
                kind=Inspection.Kind.RANDOM,
                department=draw.department,
                draw=draw,
                enterprise=enterprise,
                region_id=enterprise.region_id,
                industry_id=enterprise.industry_id,
                grid_id=enterprise.grid_id,
                checklist=_checklist_code(enterprise),
                planned_on=draw.period_start,
                created_by=actor,
            )
            _save_with_history(inspection, actor, str(_("双随机抽取确认")), {"team": entry["team"]})
            created.append(inspection)
        for inspection in created:
            transaction.on_commit(lambda i=inspection: _tell_team(i))
    return draw


def publish_draw(*, actor, draw_pk) -> RandomDraw:
    """Publish a confirmed draw's result (双随机、一公开)."""
    with transaction.atomic():
        draw = selectors.access_draw(actor, draw_pk, for_update=True)
        require(actor, "inspections.draw", draw)
        apply_transition(
            draw, find(DRAW_TRANSITIONS, "publish"), actor=actor, changes={"published_at": timezone.now()}
        )
    return draw


# ---------------------------------------------------------------- inspections


INSPECTION_FIELDS = ("kind", "enterprise", "place", "region", "industry", "planned_on", "checklist")


def _pk(value):
    return getattr(value, "pk", value) or None


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError(Code.INVALID, _("金额格式不正确。"), field="amount") from exc


def _check_team(team: list[Inspector], department: Department, enterprise_id, on: date) -> None:
    _check(rules.check_team, [i.pk for i in team])
    for inspector in team:
        if inspector.department_id != department.pk or not inspector.is_active:
            raise DomainError(
                Code.INVALID, _("%(name)s 不在本部门执法人员库中。") % {"name": inspector.name}, field="team"
            )
        if not rules.certificate_valid(inspector.certificate_expires_on, on):
            raise DomainError(
                Code.INVALID,
                _("%(name)s 的执法证已过期，不能派出执法。") % {"name": inspector.name},
                field="team",
            )
    if enterprise_id and Conflict.objects.filter(inspector__in=team, enterprise_id=enterprise_id).exists():
        raise DomainError(
            Code.INVALID, _("检查组中有人员已申报与该单位存在利害关系，应当回避。"), field="team"
        )


def create_inspection(*, actor, data: dict, team_ids: Iterable[int]) -> Inspection:
    """Plan an inspection (any kind but 双随机, which comes from a confirmed draw). The enterprise is told in
    advance, except of a 四不两直 visit."""
    require_right(actor, "inspections.inspect")
    with transaction.atomic():
        department = _acting_department(actor, "inspections.inspect", data.get("department"))
        references = ("enterprise", "region", "industry")
        inspection = Inspection(
            **{k: v for k, v in data.items() if k in INSPECTION_FIELDS and k not in references}
        )
        inspection.department, inspection.created_by = department, actor
        inspection.enterprise_id = _pk(data.get("enterprise"))
        inspection.region_id = _pk(data.get("region"))
        inspection.industry_id = _pk(data.get("industry"))
        if inspection.kind == Inspection.Kind.RANDOM:
            raise DomainError(Code.INVALID, _("双随机抽查由抽取结果生成，请使用双随机抽取。"), field="kind")
        if inspection.enterprise_id:
            enterprise = core_selectors.access_enterprise(actor, inspection.enterprise_id)
            inspection.enterprise = enterprise
            inspection.region_id, inspection.industry_id = enterprise.region_id, enterprise.industry_id
            inspection.grid_id = enterprise.grid_id
            inspection.checklist = inspection.checklist or _checklist_code(enterprise)
        elif not (inspection.place or "").strip():
            raise DomainError(Code.INVALID, _("请选择生产经营单位或填写检查场所。"), field="enterprise")
        inspection.checklist = inspection.checklist or GENERAL.code
        if inspection.checklist not in BY_CODE:
            raise DomainError(Code.INVALID, _("检查表不存在。"), field="checklist")
        _validate(inspection, exclude=["created_by", "department"])
        team = list(Inspector.objects.filter(pk__in=list(team_ids)))
        _check_team(team, department, inspection.enterprise_id, inspection.planned_on)
        _save_with_history(inspection, actor, "", {"team": team})
        _ensure_in_scope(actor, "inspections.inspect", inspection, "enterprise")
        transaction.on_commit(lambda: _tell_team(inspection))
        transaction.on_commit(
            lambda: _tell_enterprise(
                inspection,
                kind=ANNOUNCED,
                title=_("检查通知：%(kind)s") % {"kind": inspection.get_kind_display()},
                body=str(inspection.planned_on),
                key="announced",
            )
        )
    return inspection


def _store_photos(answer: Answer, uploads) -> None:
    for upload in uploads:
        upload.seek(0)
        photo = AnswerPhoto(answer=answer, name=upload.name[:200])
        photo.file.save(upload.name, upload, save=False)
        photo.save()
        upload.seek(0)


def _hazard_for(answer: Answer, item, inspection: Inspection, actor, due_on: date, photos) -> Hazard:
    grade = answer.grade or item.grade
    data = {
        "source": HAZARD_SOURCE.get(inspection.kind, Hazard.Source.DEPARTMENT_INSPECTION),
        "category": Hazard.Category.MANAGEMENT
        if item.key.startswith("gen-")
        else Hazard.Category.UNSAFE_CONDITION,
        "grade": grade,
        "major_criterion": item.criterion if grade == Hazard.Grade.MAJOR else "",
        "major_basis": item.basis if grade == Hazard.Grade.MAJOR and not item.criterion else "",
        "description": f"{item.text}：{answer.note}" if answer.note else item.text,
        "found_on": timezone.localdate(inspection.finished_at),
        "finder": "、".join(i.name for i in inspection.team.all())[:50],
        "due_on": due_on,
    }
    if inspection.enterprise_id:
        data["enterprise"] = inspection.enterprise
    else:
        data.update(place=inspection.place, region=inspection.region, industry=inspection.industry)
    return hazard_services.register_hazard(actor=actor, data=data, photos=photos)


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
        require(actor, "inspections.inspect", inspection)
        arrived, finished = data.get("arrived_at"), data.get("finished_at")
        if arrived is None or finished is None:
            field = "arrived_at" if arrived is None else "finished_at"
            raise DomainError(Code.INVALID, _("请填写检查起止时间。"), field=field)
        if finished < arrived:
            raise DomainError(Code.INVALID, _("检查结束时间不能早于到达时间。"), field="finished_at")
        if finished > timezone.now() + timedelta(minutes=5):
            raise DomainError(Code.INVALID, _("检查结束时间不能晚于当前时间。"), field="finished_at")
        _check(rules.check_unannounced, inspection.kind, data.get("escort", ""), arrived)
        items = items_of(inspection.checklist)
        missing = [item for item in items if item.key not in answers]
        if missing:
            raise DomainError(
                Code.INVALID, _("检查项“%(item)s”未填写结论。") % {"item": missing[0].text}, field="answers"
            )
        unknown = set(answers) - {item.key for item in items}
        if unknown:
            raise DomainError(Code.INVALID, _("检查项不属于该检查表。"), field="answers")
        due_on = data.get("due_on") or (timezone.localdate(finished) + timedelta(days=FINDING_DAYS))
        checked_photos = {key: hazard_services.check_photos(files) for key, files in photos.items()}
        inspection.arrived_at, inspection.finished_at = arrived, finished
        inspection.people_met = (data.get("people_met") or "").strip()
        inspection.escort = (data.get("escort") or "").strip()
        inspection.summary = (data.get("summary") or "").strip()
        inspection.production_during_suspension = bool(data.get("production_during_suspension"))
        if signature is not None:
            inspection.signature_scan.save(signature.name, signature, save=False)
        findings = 0
        for item in items:
            given = answers[item.key]
            result = given.get("result")
            if result not in Answer.Result.values:
                raise DomainError(
                    Code.INVALID, _("检查项“%(item)s”的结论无效。") % {"item": item.text}, field="answers"
                )
            grade = given.get("grade") or item.grade
            if grade not in Hazard.Grade.values:
                raise DomainError(Code.INVALID, _("隐患等级无效。"), field="answers")
            note = (given.get("note") or "").strip()
            if result == Answer.Result.NON_COMPLIANT and not note and not checked_photos.get(item.key):
                raise DomainError(
                    Code.INVALID,
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
            _save_with_history(answer, actor, "")
            _store_photos(answer, checked_photos.get(item.key, []))
            if result == Answer.Result.NON_COMPLIANT:
                findings += 1
        inspection.result = data.get("result") or (
            Inspection.Result.PROBLEMS if findings else Inspection.Result.NO_PROBLEM
        )
        Inspection.objects.filter(pk=inspection.pk).update(
            arrived_at=arrived,
            finished_at=finished,
            people_met=inspection.people_met,
            escort=inspection.escort,
            summary=inspection.summary,
            production_during_suspension=inspection.production_during_suspension,
            signature_scan=inspection.signature_scan.name or "",
            result=inspection.result,
            recorded_by=actor,
        )
        inspection.recorded_by = actor
        apply_transition(inspection, find(INSPECTION_TRANSITIONS, "record"), actor=actor)
        # Hazards after the record, so that the enterprise sees them with a visible inspection.
        for answer in inspection.answers.filter(result=Answer.Result.NON_COMPLIANT):
            item = next(i for i in items if i.key == answer.item_key)
            hazard = _hazard_for(answer, item, inspection, actor, due_on, checked_photos.get(item.key, []))
            Answer.objects.filter(pk=answer.pk).update(hazard=hazard)
        document = issue_document(
            actor=actor,
            issuer=inspection.department,
            kind=DocumentKind.INSPECTION_RECORD,
            title=f"{documents.TITLES[DocumentKind.INSPECTION_RECORD]}（{inspection.subject}）",
            render=lambda number: documents.inspection_record(inspection, number),
            target=inspection,
        )
        Inspection.objects.filter(pk=inspection.pk).update(record_document=document)
        inspection.record_document = document
        if inspection.production_during_suspension:
            _flag_unauthorised_production(inspection, actor)
        transaction.on_commit(
            lambda: _tell_enterprise(
                inspection,
                kind=RECORDED,
                title=_("检查结果：%(result)s") % {"result": inspection.get_result_display()},
                body=str(inspection.get_kind_display()),
                key="recorded",
            )
        )
    return inspection


def cancel_inspection(*, actor, inspection_pk, reason: str) -> Inspection:
    with transaction.atomic():
        inspection = selectors.access_inspection(actor, inspection_pk, for_update=True)
        require(actor, "inspections.inspect", inspection)
        if inspection.draw_id:
            raise DomainError(Code.INVALID, _("双随机抽查结果已确认，不能取消。"), field="__all__")
        apply_transition(inspection, find(INSPECTION_TRANSITIONS, "cancel"), actor=actor, reason=reason)
    return inspection


def _flag_unauthorised_production(inspection: Inspection, actor) -> None:
    """擅自复产: production found during a 停产整顿 is flagged on the suspension and escalated at once to the
    ordering department, the county's 安委办 and the level above."""
    suspension = (
        Suspension.objects.select_for_update()
        .filter(enterprise_id=inspection.enterprise_id)
        .exclude(status=Suspension.Status.RESUMED)
        .first()
    )
    if suspension is None:
        raise DomainError(
            Code.INVALID,
            _("该单位没有正在执行的停产整顿，不能认定擅自复产。"),
            field="production_during_suspension",
        )
    suspension.unauthorised_production_at = timezone.now()
    suspension.unauthorised_production_by = inspection
    _save_with_history(suspension, actor, str(_("发现擅自复产")))
    county = county_of(inspection.region_id)
    city = inspection.region_id[:4] + "00000000"
    users = (
        recipients_for(department=suspension.action.inspection.department_id)
        | recipients_for(region=county, roles=[Role.COMMITTEE_OFFICE, Role.LEADER])
        | recipients_for(region=city, roles=[Role.COMMITTEE_OFFICE])
    )
    transaction.on_commit(
        lambda: notify(
            users,
            kind=UNAUTHORISED_PRODUCTION,
            title=_("擅自复产：%(name)s") % {"name": inspection.subject},
            body=str(_("停产整顿期间发现擅自组织生产，请依法从重处理。")),
            url=reverse("inspections:suspension-detail", args=[suspension.pk]),
            dedupe_key=f"suspension:{suspension.pk}:unauthorised:{inspection.pk}",
        )
    )


# ---------------------------------------------------------------- enforcement


ACTION_FIELDS = ("kind", "legal_basis", "description", "amount", "due_on", "licence", "referred_to")


def _set_enterprise_status(enterprise: Enterprise, status: str, actor, reason: str) -> None:
    """The enterprise's 经营状态 as decided by an order or a completed 复产验收 (one history row)."""
    if enterprise.status != status:
        enterprise.status = status
        _save_with_history(enterprise, actor, reason)


def take_enforcement(
    *, actor, inspection_pk, data: dict, finding_ids: Iterable[int] = ()
) -> EnforcementAction:
    """Decide an enforcement action on a recorded inspection's findings and issue its document. A 停产整顿
    order suspends the enterprise; 关闭 closes it."""
    with transaction.atomic():
        inspection = selectors.access_inspection(actor, inspection_pk, for_update=True)
        require(actor, "inspections.enforce", inspection)
        if inspection.status != Inspection.Status.RECORDED:
            raise DomainError(Code.INVALID, _("检查结果记录后才能采取执法措施。"), field="__all__")
        action = EnforcementAction(
            inspection=inspection,
            issued_by=actor,
            issued_on=_today(),
            **{k: v for k, v in data.items() if k in ACTION_FIELDS},
        )
        action.amount = _amount(action.amount)
        action.licence = action.licence or ""
        action.referred_to = action.referred_to or ""
        _check(rules.check_fine, action.kind, action.amount)
        if action.kind not in (EnforcementAction.Kind.FINE, EnforcementAction.Kind.CONFISCATION):
            action.amount = None
        if action.kind == EnforcementAction.Kind.RECTIFICATION and not action.due_on:
            raise DomainError(Code.INVALID, _("责令限期整改须填写整改期限。"), field="due_on")
        if action.due_on and action.due_on < _today():
            raise DomainError(Code.INVALID, _("期限不能早于今天。"), field="due_on")
        if action.kind == EnforcementAction.Kind.REFERRAL and not action.referred_to.strip():
            raise DomainError(Code.INVALID, _("移送须填写移送机关。"), field="referred_to")
        if (
            action.kind
            in (EnforcementAction.Kind.LICENCE_SUSPENSION, EnforcementAction.Kind.LICENCE_REVOCATION)
            and not action.licence.strip()
        ):
            raise DomainError(Code.INVALID, _("请填写许可证名称及编号。"), field="licence")
        needs_enterprise = (EnforcementAction.Kind.SUSPENSION, EnforcementAction.Kind.CLOSURE)
        if action.kind in needs_enterprise and not inspection.enterprise_id:
            raise DomainError(Code.INVALID, _("该措施只能针对生产经营单位。"), field="kind")
        findings = list(
            inspection.answers.filter(pk__in=list(finding_ids), result=Answer.Result.NON_COMPLIANT)
        )
        if len(findings) != len(set(finding_ids)):
            raise DomainError(Code.INVALID, _("所选问题不属于本次检查的不符合项。"), field="findings")
        if not findings and action.kind != EnforcementAction.Kind.REFERRAL:
            raise DomainError(Code.INVALID, _("请至少选择一项检查发现的问题。"), field="findings")
        _validate(action, exclude=["issued_by", "document"])
        _save_with_history(action, actor, "", {"findings": findings})
        kind = documents.ACTION_DOCUMENT[action.kind]
        document = issue_document(
            actor=actor,
            issuer=inspection.department,
            kind=kind,
            title=f"{documents.TITLES[kind]}（{inspection.subject}）",
            render=lambda number: documents.action_document(action, number),
            target=action,
        )
        EnforcementAction.objects.filter(pk=action.pk).update(document=document)
        action.document = document
        if action.kind == EnforcementAction.Kind.SUSPENSION:
            enterprise = core_selectors.access_enterprise(actor, inspection.enterprise_id, for_update=True)
            if (
                Suspension.objects.filter(enterprise=enterprise)
                .exclude(status=Suspension.Status.RESUMED)
                .exists()
            ):
                raise DomainError(Code.INVALID, _("该单位已在停产整顿中。"), field="kind")
            suspension = Suspension(
                action=action,
                enterprise=enterprise,
                issuing_level=rules.level_of_region(inspection.department.region.level),
            )
            _save_with_history(suspension, actor, "")
            _set_enterprise_status(enterprise, Enterprise.Status.SUSPENDED, actor, str(_("责令停产停业整顿")))
        elif action.kind == EnforcementAction.Kind.CLOSURE:
            enterprise = core_selectors.access_enterprise(actor, inspection.enterprise_id, for_update=True)
            _set_enterprise_status(enterprise, Enterprise.Status.CLOSED, actor, str(_("依法予以关闭")))
        transaction.on_commit(
            lambda: _tell_enterprise(
                inspection,
                kind=ENFORCEMENT,
                title=_("执法文书：%(title)s") % {"title": documents.TITLES[kind]},
                body=document.number,
                key=f"action:{action.pk}",
            )
        )
    return action


def move_action(*, actor, action_pk, transition: str, reason: str = "") -> EnforcementAction:
    """执行完毕 or 撤销 of an enforcement action."""
    with transaction.atomic():
        action = selectors.access_action(actor, action_pk, for_update=True)
        step = find(ENFORCEMENT_TRANSITIONS, transition)
        require(actor, step.right, action)
        apply_transition(action, step, actor=actor, reason=reason)
    return action


def issue_letter(*, actor, inspection_pk, kind: str, addressee: str, content: str, action_pk=None) -> Letter:
    """整改复查意见书 (on a 责令限期整改), 警示提醒书, 安全监管行政建议书 or 约谈通知书 with its number."""
    with transaction.atomic():
        inspection = selectors.access_inspection(actor, inspection_pk, for_update=True)
        require(actor, "inspections.enforce", inspection)
        if inspection.status != Inspection.Status.RECORDED:
            raise DomainError(Code.INVALID, _("检查结果记录后才能出具文书。"), field="__all__")
        if kind not in {k.value for k in Letter.KINDS}:
            raise DomainError(Code.INVALID, _("文书种类无效。"), field="kind")
        if not (addressee or "").strip():
            raise DomainError(Code.INVALID, _("请填写主送单位。"), field="addressee")
        if not (content or "").strip():
            raise DomainError(Code.INVALID, _("请填写正文。"), field="content")
        action = None
        if kind == DocumentKind.RECHECK_OPINION:
            action = inspection.actions.filter(
                pk=action_pk, kind=EnforcementAction.Kind.RECTIFICATION
            ).first()
            if action is None:
                raise DomainError(
                    Code.INVALID, _("整改复查意见书须对应本次检查的责令限期整改指令。"), field="action"
                )
        letter = Letter(
            inspection=inspection,
            kind=kind,
            addressee=addressee.strip(),
            content=content.strip(),
            action=action,
            issued_by=actor,
            issued_on=_today(),
        )
        letter.document = issue_document(
            actor=actor,
            issuer=inspection.department,
            kind=kind,
            title=f"{documents.TITLES[kind]}（{letter.addressee}）",
            render=lambda number: documents.letter_document(letter, number),
            target=inspection,
        )
        _save_with_history(letter, actor, "")
    return letter


# ---------------------------------------------------------------- 停产整顿 and 复产验收


def configured_chain(region_code: str) -> list[tuple[str, str]]:
    """The county's configured sign-off steps in order, or the default chain."""
    steps = list(
        SignoffStep.objects.filter(region_id=county_of(region_code))
        .order_by("order")
        .values_list("approver", "name")
    )
    return steps or [(role, str(name)) for role, name in DEFAULT_CHAIN]


def apply_resumption(*, actor, suspension_pk, evidence: str, attachment=None) -> Resumption:
    """The enterprise applies for 复产验收 with its evidence; the sign-off chain is fixed at this moment."""
    with transaction.atomic():
        suspension = selectors.access_suspension(actor, suspension_pk, for_update=True)
        require(actor, "inspections.apply_resumption", suspension)
        if not (evidence or "").strip():
            raise DomainError(Code.INVALID, _("请说明整改情况并提供证明材料。"), field="evidence")
        if suspension.status != Suspension.Status.SUSPENDED:
            raise DomainError(Code.INVALID, _("当前状态不能申请复产验收。"), field="__all__")
        application = Resumption(suspension=suspension, evidence=evidence.strip(), applied_by=actor)
        if attachment is not None:
            application.attachment.save(attachment.name, attachment, save=False)
        _save_with_history(application, actor, "")
        chain = _check(
            rules.signoff_chain, configured_chain(suspension.enterprise.region_id), suspension.issuing_level
        )
        for order, (approver, name) in enumerate(chain, 1):
            _save_with_history(
                ResumptionStep(application=application, order=order, approver=approver, name=name), actor, ""
            )
        suspension.status = Suspension.Status.APPLIED
        _save_with_history(suspension, actor, str(_("申请复产验收")))
        first = application.steps.order_by("order").first()
        transaction.on_commit(lambda: _tell_approvers(application, first))
    return application


def _may_sign(actor, step: ResumptionStep, suspension: Suspension) -> bool:
    """Whether the actor may decide this step: a membership of the step's role whose jurisdiction covers the
    enterprise; the department step belongs to the department that ordered the suspension; a review step to
    the 安委办 or a department at the level that issued the order."""
    if actor.is_superuser:
        return True
    ordering = suspension.action.inspection.department
    code = suspension.enterprise.region_id
    for membership in memberships_of(actor):
        region = membership.anchor_region
        if region is None or not region.contains(code):
            continue
        if step.approver == SignoffStep.Approver.DEPARTMENT:
            # The ordering department's staff (an 应急管理局 officer holds the 安委办 role with that department).
            if (
                membership.role in (Role.DEPARTMENT, Role.COMMITTEE_OFFICE)
                and membership.department_id == ordering.pk
            ):
                return True
        elif step.approver.startswith("review_"):
            level = step.approver.removeprefix("review_")
            if (
                membership.role in (Role.COMMITTEE_OFFICE, Role.DEPARTMENT)
                and rules.level_of_region(region.level) == level
            ):
                return True
        elif membership.role == step.approver:
            return True
    return False


def _tell_approvers(application: Resumption, step: ResumptionStep | None) -> None:
    if step is None:
        return
    suspension = application.suspension
    code = suspension.enterprise.region_id
    if step.approver == SignoffStep.Approver.DEPARTMENT:
        users = recipients_for(department=suspension.action.inspection.department_id)
    elif step.approver.startswith("review_"):
        region = code[:4] + "00000000" if step.approver == "review_city" else code[:2] + "0000000000"
        users = recipients_for(region=region, roles=[Role.COMMITTEE_OFFICE])
    else:
        users = recipients_for(region=county_of(code), roles=[step.approver])
    notify(
        users,
        kind=RESUMPTION,
        title=_("复产验收待审批：%(name)s") % {"name": suspension.enterprise.name},
        body=step.name,
        url=reverse("inspections:suspension-detail", args=[suspension.pk]),
        dedupe_key=f"resumption:{application.pk}:step:{step.pk}",
    )


def decide_resumption(*, actor, application_pk, approve: bool, opinion: str = "") -> Resumption:
    """Decide the next step of the chain (strictly in order). A refusal ends the application (the enterprise
    stays suspended and may apply again); the last approval resumes the enterprise."""
    require_right(actor, "inspections.approve_resumption")
    with transaction.atomic():
        application = selectors.access_resumption(actor, application_pk, for_update=True)
        suspension = (
            Suspension.objects.select_for_update()
            .select_related("enterprise", "action__inspection__department")
            .get(pk=application.suspension_id)
        )
        if application.status != Resumption.Status.PENDING:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("该复产申请已审结。"), field="__all__")
        steps = list(application.steps.order_by("order"))
        index = rules.next_step([s.decision or None for s in steps])
        if index is None:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("该复产申请已审结。"), field="__all__")
        step = steps[index]
        if not _may_sign(actor, step, suspension):
            raise DomainError(
                Code.INVALID,
                _("当前环节为“%(step)s”，您不是该环节的审批人。") % {"step": step.name},
                field="__all__",
            )
        if not approve and not (opinion or "").strip():
            raise DomainError(Code.INVALID, _("不同意复产须填写意见。"), field="opinion")
        updated = ResumptionStep.objects.filter(pk=step.pk, decision="").update(
            decision=ResumptionStep.Decision.APPROVED if approve else ResumptionStep.Decision.REJECTED,
            opinion=(opinion or "").strip(),
            decided_by=actor,
            decided_at=timezone.now(),
        )
        if updated != 1:
            raise DomainError(Code.STALE, _("该记录已被他人处理，请刷新页面后重试。"), field="__all__")
        step.refresh_from_db()
        _save_with_history(step, actor, step.opinion)
        if not approve:
            application.status = Resumption.Status.REJECTED
            suspension.status = Suspension.Status.SUSPENDED
        elif index == len(steps) - 1:
            application.status = Resumption.Status.APPROVED
            suspension.status = Suspension.Status.RESUMED
            suspension.resumed_on = _today()
            _set_enterprise_status(
                suspension.enterprise, Enterprise.Status.OPERATING, actor, str(_("复产验收合格"))
            )
        if application.status != Resumption.Status.PENDING:
            _save_with_history(application, actor, step.opinion)
            _save_with_history(suspension, actor, step.opinion)
            transaction.on_commit(
                lambda: notify(
                    enterprise_users(suspension.enterprise_id),
                    kind=RESUMPTION,
                    title=_("复产验收：%(result)s") % {"result": application.get_status_display()},
                    url=reverse("inspections:suspension-detail", args=[suspension.pk]),
                    dedupe_key=f"resumption:{application.pk}:decided",
                )
            )
        else:
            following = steps[index + 1]
            transaction.on_commit(lambda: _tell_approvers(application, following))
    return application


# ---------------------------------------------------------------- 安全生产记分


def add_scored_person(*, actor, enterprise_pk, name: str, position: str) -> ScoredPerson:
    require_right(actor, "inspections.score")
    with transaction.atomic():
        enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
        person = ScoredPerson(
            enterprise=enterprise, name=(name or "").strip(), position=(position or "").strip()
        )
        _validate(person)
        _save_with_history(person, actor, "")
        _ensure_in_scope(actor, "inspections.score", person, "enterprise")
    return person


def score(*, actor, person_pk, rule_pk, scored_on: date, inspection_pk=None) -> ScoreEntry:
    """Score a responsible person for a violation; reaching the threshold (12) in the cycle makes the action
    due (re-assessment) and notifies the enterprise and its supervisors."""
    with transaction.atomic():
        person = selectors.access_person(actor, person_pk, for_update=True)
        require(actor, "inspections.score", person)
        rule = ScoringRule.objects.filter(pk=rule_pk, is_active=True).first()
        if rule is None:
            raise DomainError(Code.INVALID, _("记分标准不存在或已停用。"), field="rule")
        if scored_on > _today():
            raise DomainError(Code.INVALID, _("记分日期不能晚于今天。"), field="scored_on")
        inspection = None
        if inspection_pk:
            inspection = selectors.access_inspection(actor, inspection_pk)
            if inspection.enterprise_id != person.enterprise_id:
                raise DomainError(Code.INVALID, _("所选检查不是对该单位的检查。"), field="inspection")
        start, end = rules.cycle_of(scored_on)
        before = sum(
            ScoreEntry.objects.filter(person=person, cycle_start=start).values_list("points", flat=True)
        )
        total = before + rule.points
        entry = ScoreEntry(
            person=person,
            rule=rule,
            points=rule.points,
            inspection=inspection,
            scored_on=scored_on,
            cycle_start=start,
            cycle_total=total,
            action_due=rules.threshold_reached(total),
            recorded_by=actor,
        )
        _save_with_history(entry, actor, "")
        if entry.action_due and not rules.threshold_reached(before):
            users = enterprise_users(person.enterprise_id) | committee_office(person.enterprise.region_id)
            transaction.on_commit(
                lambda: notify(
                    users,
                    kind=SCORE_THRESHOLD,
                    title=_("安全生产记分达到%(n)s分：%(name)s")
                    % {"n": rules.SCORE_THRESHOLD, "name": person.name},
                    body=str(
                        _("本记分周期累计%(total)s分，应重新参加安全生产知识和管理能力考核。")
                        % {"total": total}
                    ),
                    url=reverse("inspections:person-detail", args=[person.pk]),
                    dedupe_key=f"score:{person.pk}:{start}",
                )
            )
    return entry
