"""Use cases of hazard investigation and rectification. Each one, in one transaction: access (scoped, locked)
→ may the actor do this → rules → change (state moves by compare-and-set) → audit → notifications.

A bad photo, a missing 五落实 item or a date before the finding refuses the whole call: nothing half-saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import capacity, recipients, records
from anlan.core import selectors as core_selectors
from anlan.core.errors import Code, DomainError
from anlan.core.models import Department, Industry, Region, Role
from anlan.core.permissions import require, require_right
from anlan.core.rules import RuleViolation
from anlan.core.workflow import Transition, apply_transition, check_transition, find
from anlan.documents.models import DocumentKind
from anlan.documents.services import issue_document, next_in_sequence

from . import notices, rules, selectors
from .documents import supervision_letter
from .models import (
    Extension,
    Hazard,
    HazardCounter,
    Lead,
    Photo,
    Recheck,
    Rectification,
    RectificationPlan,
    Supervision,
    Verification,
)
from .rules import ErrorCode

# What registration accepts, in the order the form shows it (the form and the API serializer use it too).
HAZARD_FIELDS = Hazard.REGISTRATION_FIELDS
# What a 回头看 copies from the old hazard into the new one.
CARRIED_OVER = ("enterprise", "place", "region", "industry", "grid", "location", "category", "grade")


def _check(rule, *args, **kwargs) -> None:
    """Run a rule; turn its RuleViolation into the DomainError services raise."""
    try:
        rule(*args, **kwargs)
    except RuleViolation as violation:
        raise DomainError(violation.code, violation.message, field=violation.field) from violation


def _today() -> date:
    return timezone.localdate()


def _check_step(record, transition: Transition, actor, reason: str = "") -> None:
    """Before anything is written: the step leaves the record's state (ILLEGAL_TRANSITION), has its reason,
    and the table's guards (the domain rules) let this actor take it (their code)."""
    check_transition(record, transition, reason)
    refused = transition.refusal(record, actor)
    if refused is not None:
        raise DomainError(refused.code, refused.message, field="__all__")


# ---------------------------------------------------------------- photos


def check_photos(uploads: Iterable) -> list:
    """Validate every upload before anything is written: a real picture, within the size limit."""
    checked = []
    for upload in uploads or ():
        size = upload.size
        upload.seek(0)
        head = upload.read(32)
        tail = b""
        if size > 32:
            upload.seek(max(size - 32, 0))
            tail = upload.read(32)
        upload.seek(0)
        _check(rules.check_photo, upload.name, size, head, tail, settings.ANLAN_PHOTO_MAX_BYTES)
        checked.append(upload)
    return checked


def _store_photos(uploads: list, actor, stage: str, *, hazard=None, lead=None) -> None:
    """Attach the checked pictures, each with its history row (who attached what, when)."""
    for upload in uploads:
        photo = Photo(hazard=hazard, lead=lead, stage=stage, name=upload.name[:200], uploaded_by=actor)
        photo.file.save(upload.name, upload, save=False)
        records.save_with_history(photo, actor, "")


# ---------------------------------------------------------------- registration


def supervising_department(region_code: str, industry: Industry | int | None) -> Department | None:
    """The department that supervises this industry where the hazard is (三管三必须): the nearest level of
    government first, an industry department before the comprehensive one (core.recipients)."""
    return recipients.supervising_department(region_code, getattr(industry, "pk", industry))


def _fill_from_enterprise(hazard: Hazard) -> None:
    enterprise = hazard.enterprise
    if enterprise is None:
        return
    hazard.region_id = hazard.region_id or enterprise.region_id
    hazard.industry_id = hazard.industry_id or enterprise.industry_id
    hazard.grid_id = hazard.grid_id or enterprise.grid_id
    if hazard.longitude is None and enterprise.longitude is not None:
        hazard.longitude, hazard.latitude = enterprise.longitude, enterprise.latitude


def _number(hazard: Hazard) -> str:
    county = rules.county_of(hazard.region_id)
    year = hazard.found_on.year
    if not Region.objects.filter(pk=county).exists():
        county = hazard.region_id
    serial = next_in_sequence(HazardCounter, region_id=county, year=year)
    return rules.hazard_number(county, year, serial)


def _create_hazard(*, actor, action: str, data: dict, photos=(), reason: str = "", **extra) -> Hazard:
    """Shared by registration, lead confirmation, import and 回头看: validate, number, save, notify."""
    uploads = check_photos(photos)
    hazard = Hazard(**{k: v for k, v in data.items() if k in HAZARD_FIELDS}, **extra)
    if hazard.enterprise_id:
        hazard.enterprise = core_selectors.access_enterprise(actor, hazard.enterprise_id)
        hazard.place = hazard.place or ""
    _fill_from_enterprise(hazard)
    _check(rules.check_place, bool(hazard.enterprise_id), hazard.place)
    if hazard.found_on is not None:
        _check(rules.check_dates, hazard.found_on, hazard.due_on, _today())
    _check(rules.check_major_basis, hazard.grade, hazard.major_criterion, hazard.major_basis)
    if hazard.grade != Hazard.Grade.MAJOR:
        hazard.major_criterion, hazard.major_basis = "", ""
    hazard.registered_by = actor
    hazard.number = "-"
    records.validate(hazard, exclude=["number"])
    if hazard.region_id:
        records.ensure_region_in_scope(actor, action, hazard.region_id)
    if hazard.industry_id:
        hazard.supervising_department = supervising_department(hazard.region_id, hazard.industry_id)
    hazard.number = _number(hazard)
    records.save_with_history(hazard, actor, reason)
    records.ensure_in_scope(actor, action, hazard, "industry")
    _store_photos(uploads, actor, Photo.Stage.FOUND, hazard=hazard)
    notices.hazard_registered(hazard, actor)
    return hazard


def register_hazard(*, actor, data: dict, photos=(), reason: str = "") -> Hazard:
    """Register a hazard found by any source; numbered per county and year. A major hazard notifies the
    supervising department and the 安委办 at once."""
    require_right(actor, "hazards.register_hazard")
    with transaction.atomic():
        return _create_hazard(
            actor=actor, action="hazards.register_hazard", data=data, photos=photos, reason=reason
        )


# ---------------------------------------------------------------- leads


def report_lead(*, actor, data: dict, photos=()) -> Lead:
    """A grid worker's patrol finding or a public tip-off, to be confirmed or dismissed by an officer."""
    require_right(actor, "hazards.report_lead")
    uploads = check_photos(photos)
    with transaction.atomic():
        fields = ("source", "enterprise", "place", "region", "industry", "grid", "description", "reported_on")
        lead = Lead(**{k: v for k, v in data.items() if k in fields})
        lead.reporter_name = data.get("reporter_name", "")
        lead.reporter_phone = data.get("reporter_phone", "")
        if lead.enterprise_id:
            enterprise = core_selectors.access_enterprise(actor, lead.enterprise_id)
            lead.region_id, lead.industry_id = enterprise.region_id, enterprise.industry_id
            lead.grid_id = lead.grid_id or enterprise.grid_id
        grid_memberships = capacity.capacities(actor, roles=[Role.GRID_WORKER])
        if grid_memberships and not lead.grid_id:
            # A grid worker reports from their grid: the lead belongs to the grid's village.
            lead.grid = grid_memberships[0].grid
            lead.region_id = lead.grid.region_id
        if not lead.enterprise_id and not (lead.place or "").strip():
            raise DomainError(ErrorCode.NO_PLACE, _("请选择生产经营单位或填写地点。"), field="place")
        if lead.reported_on and lead.reported_on > _today():
            raise DomainError(ErrorCode.FOUND_IN_FUTURE, _("发现日期不能晚于今天。"), field="reported_on")
        lead.reported_by = actor
        records.validate(lead)
        records.save_with_history(lead, actor, "")
        records.ensure_in_scope(actor, "hazards.report_lead", lead, "region")
        _store_photos(uploads, actor, Photo.Stage.FOUND, lead=lead)
        notices.lead_reported(lead)
    return lead


def confirm_lead(*, actor, lead_pk, data: dict) -> Hazard:
    """Turn a lead into a registered hazard (its photos come along); the lead records the hazard."""
    with transaction.atomic():
        lead = selectors.access_lead(actor, lead_pk, for_update=True)
        require(actor, "hazards.confirm_lead", lead)
        transition = find(Lead.TRANSITIONS, "confirm")
        _check_step(lead, transition, actor)
        defaults = {
            "enterprise": lead.enterprise,
            "place": lead.place,
            "region": lead.region,
            "industry": lead.industry,
            "grid": lead.grid,
            "description": lead.description,
            "found_on": lead.reported_on,
            "source": Hazard.Source.GRID_PATROL
            if lead.source == Lead.Source.GRID_PATROL
            else Hazard.Source.TIP_OFF,
            "finder": lead.reporter_name or (lead.reported_by.display_name if lead.reported_by else ""),
        }
        merged = {**defaults, **{k: v for k, v in data.items() if v not in (None, "")}}
        hazard = _create_hazard(actor=actor, action="hazards.confirm_lead", data=merged)
        handed_over = _("移交隐患 %(number)s") % {"number": hazard.number}
        for photo in lead.photos.all():
            records.update_with_history(photo, actor, handed_over, hazard=hazard)
        apply_transition(
            lead,
            transition,
            actor=actor,
            reason=_("已确认为隐患 %(number)s") % {"number": hazard.number},
            changes={"hazard": hazard, "decided_by": actor, "decided_at": timezone.now()},
        )
    return hazard


def dismiss_lead(*, actor, lead_pk, reason: str) -> Lead:
    with transaction.atomic():
        lead = selectors.access_lead(actor, lead_pk, for_update=True)
        require(actor, "hazards.confirm_lead", lead)
        return apply_transition(
            lead,
            find(Lead.TRANSITIONS, "dismiss"),
            actor=actor,
            reason=reason,
            changes={"decided_by": actor, "decided_at": timezone.now()},
        )


# ---------------------------------------------------------------- the closed loop


def _hazard_for(actor, hazard_pk, action: str) -> Hazard:
    hazard = selectors.access_hazard(actor, hazard_pk, for_update=True)
    require(actor, action, hazard)
    return hazard


PLAN_FIELDS = tuple(field.name for field in fields(rules.PlanFields))


def record_plan(
    *, actor, hazard_pk, plan: rules.PlanFields | dict, responsible_phone: str = ""
) -> RectificationPlan:
    """Record the rectification plan (五落实 for a major hazard), given as `PlanFields` or a mapping of its
    fields. A registered hazard starts rectifying; a hazard already rectifying (e.g. after a failed
    verification) gets a revised plan."""
    if not isinstance(plan, rules.PlanFields):
        plan = rules.PlanFields(**{name: plan[name] for name in PLAN_FIELDS if name in plan})
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.plan")
        transition = find(Hazard.TRANSITIONS, "plan")
        if not hazard.plan_revisable:
            _check_step(hazard, transition, actor)
        problems = rules.plan_problems(hazard.grade, plan, hazard.found_on, hazard.due_on)
        if problems:
            errors: dict[str, list] = {}
            for problem in problems:
                errors.setdefault(problem.field, []).append(problem.message)
            first = problems[0]
            raise DomainError(first.code, first.message, field=first.field, errors=errors)
        record = RectificationPlan(
            hazard=hazard, responsible_phone=responsible_phone, recorded_by=actor, **asdict(plan)
        )
        records.validate(record, exclude=["hazard", "recorded_by"])
        records.save_with_history(record, actor, "")
        if hazard.status in transition.sources:
            apply_transition(hazard, transition, actor=actor)
    return record


def _submit(
    *, actor, hazard: Hazard, name: str, description: str, photos, on_the_spot: bool
) -> Rectification:
    transition = find(Hazard.TRANSITIONS, name)
    _check_step(hazard, transition, actor)
    if not (description or "").strip():
        raise DomainError(ErrorCode.EVIDENCE_MISSING, _("请填写整改情况。"), field="description")
    uploads = check_photos(photos)
    if not uploads:
        raise DomainError(ErrorCode.AFTER_PHOTOS_MISSING, _("请上传整改后的照片。"), field="photos")
    record = Rectification(
        hazard=hazard, description=description.strip(), on_the_spot=on_the_spot, submitted_by=actor
    )
    records.save_with_history(record, actor, "")
    apply_transition(hazard, transition, actor=actor, changes={"submitted_by": actor})
    _store_photos(uploads, actor, Photo.Stage.AFTER, hazard=hazard)
    notices.awaiting_verification(hazard, record.pk)
    return record


def submit_rectification(*, actor, hazard_pk, description: str, photos=()) -> Rectification:
    """The rectifier reports the work done, with after-photos; the hazard awaits verification."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.submit_rectification")
        return _submit(
            actor=actor,
            hazard=hazard,
            name="submit",
            description=description,
            photos=photos,
            on_the_spot=False,
        )


def fix_on_the_spot(*, actor, hazard_pk, description: str, photos=()) -> Rectification:
    """立即整改: an ordinary hazard removed at once skips the plan but still needs a verifier."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.submit_rectification")
        return _submit(
            actor=actor,
            hazard=hazard,
            name="fix_on_the_spot",
            description=description,
            photos=photos,
            on_the_spot=True,
        )


def verify_rectification(*, actor, hazard_pk, passed: bool, opinion: str) -> Verification:
    """验收: passed closes the hazard (销号); not passed sends it back to rectifying with the opinion.
    The verifier is never the submitter; a major hazard is verified by the department or the assigned expert."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.verify")
        transition = find(Hazard.TRANSITIONS, "verify" if passed else "reject")
        _check_step(hazard, transition, actor, opinion)
        opinion = (opinion or "").strip() or str(transition.label)
        record = Verification(hazard=hazard, passed=passed, opinion=opinion, verified_by=actor)
        records.save_with_history(record, actor, "")
        now = timezone.now()
        changes = {"verified_by": actor, "verified_at": now}
        if passed:
            changes["closed_on"] = timezone.localdate(now)
        apply_transition(hazard, transition, actor=actor, reason=opinion, changes=changes)
        if not passed:
            notices.rejected(hazard, record.pk, opinion)
    return record


def void_hazard(*, actor, hazard_pk, reason: str) -> Hazard:
    """A supervisor voids a duplicate or mistaken record; the reason is required and kept."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.void")
        return apply_transition(hazard, find(Hazard.TRANSITIONS, "void"), actor=actor, reason=reason)


# ---------------------------------------------------------------- extensions and experts


def request_extension(*, actor, hazard_pk, new_due_on: date, reason: str) -> Extension:
    """Ask the overseeing department for a later deadline, before the current one passes."""
    if not (reason or "").strip():
        raise DomainError(ErrorCode.REASON_REQUIRED, _("请填写延期理由。"), field="reason")
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.request_extension")
        if not hazard.is_open:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("隐患已销号或作废，不能申请延期。"), field="__all__")
        _check(rules.check_extension, hazard.due_on, new_due_on, _today())
        if hazard.extensions.filter(status=Extension.Status.PENDING).exists():
            raise DomainError(Code.DUPLICATE, _("已有一项延期申请待审批。"), field="__all__")
        extension = Extension(
            hazard=hazard,
            old_due_on=hazard.due_on,
            new_due_on=new_due_on,
            reason=reason.strip(),
            requested_by=actor,
        )
        records.save_with_history(extension, actor, "")
        notices.extension_requested(hazard, extension)
    return extension


def decide_extension(*, actor, extension_pk, approve: bool, note: str = "") -> Extension:
    """The overseeing department approves (the deadline moves, logged on the hazard) or refuses (with a
    reason). Nobody decides their own request; a major hazard's extension needs a supervising body."""
    with transaction.atomic():
        extension = selectors.access(
            Extension.objects.select_related("hazard"), actor, extension_pk, for_update=True
        )
        hazard = _hazard_for(actor, extension.hazard_id, "hazards.approve_extension")
        extension.hazard = hazard
        transition = find(Extension.TRANSITIONS, "approve" if approve else "refuse")
        note = (note or "").strip()
        if extension.status not in transition.sources:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("该延期申请已审批。"), field="__all__")
        refused = transition.refusal(extension, actor)
        if refused is not None:
            raise DomainError(refused.code, refused.message, field="__all__")
        if transition.reason_required and not note:
            raise DomainError(ErrorCode.REASON_REQUIRED, _("不批准延期须填写理由。"), field="note")
        apply_transition(
            extension,
            transition,
            actor=actor,
            reason=note,
            changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
        )
        if approve:
            hazard.due_on = extension.new_due_on
            reason = _("批准延期：%(old)s → %(new)s") % {
                "old": extension.old_due_on,
                "new": extension.new_due_on,
            }
            records.save_with_history(hazard, actor, reason)
    return extension


def assign_expert(*, actor, hazard_pk, expert_pk) -> Hazard:
    """Assign a contracted expert (专家会诊) who may then see and verify this hazard."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.assign_expert")
        expert = selectors.experts().filter(pk=expert_pk).first()
        if expert is None:
            raise DomainError(ErrorCode.NOT_AN_EXPERT, _("所选人员不是专家。"), field="expert")
        hazard.expert = expert
        records.save_with_history(hazard, actor, _("指派专家：%(name)s") % {"name": expert.display_name})
    return hazard


# ---------------------------------------------------------------- 挂牌督办


def issuing_department(actor) -> Department:
    """The department a supervision letter is issued in the name of: the actor's own department, or for a
    安委办 member without one, the comprehensive department of their region (core.capacity)."""
    department = capacity.acting_department(actor, right="hazards.supervise")
    if department is None:
        raise DomainError(
            ErrorCode.NO_ISSUER,
            _("未找到您所在的发文单位，请先在“部门”中登记本级安委办。"),
            field="__all__",
        )
    return department


def issue_supervision(
    *, actor, hazard_pk, level: str, due_on: date, responsible_unit: str, requirements: str
) -> Supervision:
    """挂牌督办: take the issuer's next letter number, generate the 隐患挂牌督办函 (DOCX) and list the hazard."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.supervise")
        if not hazard.is_open:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("只能对未销号的隐患挂牌督办。"), field="__all__")
        if hazard.supervisions.filter(status=Supervision.Status.LISTED).exists():
            raise DomainError(Code.DUPLICATE, _("该隐患已在挂牌督办中。"), field="__all__")
        if due_on < _today():
            raise DomainError(ErrorCode.SUPERVISION_DUE_PAST, _("督办期限不能早于今天。"), field="due_on")
        for name, value in (("responsible_unit", responsible_unit), ("requirements", requirements)):
            if not (value or "").strip():
                raise DomainError(Code.INVALID, _("请填写此项。"), field=name)
        issuer = issuing_department(actor)
        supervision = Supervision(
            hazard=hazard,
            level=level,
            issuer=issuer,
            due_on=due_on,
            responsible_unit=responsible_unit.strip(),
            requirements=requirements.strip(),
            issued_by=actor,
        )
        document = issue_document(
            actor=actor,
            issuer=issuer,
            kind=DocumentKind.HAZARD_SUPERVISION,
            title=_("关于对%(subject)s事故隐患挂牌督办的通知") % {"subject": hazard.subject},
            render=lambda number: supervision_letter(supervision, number),
            target=hazard,
        )
        supervision.letter_number, supervision.document = document.number, document
        records.validate(supervision)
        records.save_with_history(supervision, actor, "")
        notices.supervision_issued(hazard, supervision)
    return supervision


def lift_supervision(*, actor, supervision_pk, opinion: str) -> Supervision:
    """摘牌: only after the hazard is closed (销号) and with the sign-off of the supervising body."""
    with transaction.atomic():
        supervision = selectors.access(
            Supervision.objects.select_related("hazard", "issuer__region"),
            actor,
            supervision_pk,
            for_update=True,
        )
        require(actor, "hazards.supervise", supervision)
        transition = find(Supervision.TRANSITIONS, "lift")
        _check_step(supervision, transition, actor, opinion)
        return apply_transition(
            supervision,
            transition,
            actor=actor,
            reason=opinion,
            changes={"lift_opinion": opinion.strip(), "lifted_by": actor, "lifted_at": timezone.now()},
        )


# ---------------------------------------------------------------- 回头看


def record_recheck(
    *, actor, hazard_pk, checked_on: date, held: bool, notes: str, due_on: date | None = None
) -> Recheck:
    """回头看 of a closed hazard. If the fix did not hold, a new hazard linked to the old one is registered."""
    if not (notes or "").strip():
        raise DomainError(Code.INVALID, _("请填写复查情况。"), field="notes")
    if checked_on > _today():
        raise DomainError(ErrorCode.CHECKED_IN_FUTURE, _("复查日期不能晚于今天。"), field="checked_on")
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.recheck")
        if hazard.status != Hazard.Status.CLOSED:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("只能对已销号的隐患开展回头看。"), field="__all__")
        recheck = Recheck(
            hazard=hazard, checked_on=checked_on, held=held, notes=notes.strip(), checked_by=actor
        )
        if not held:
            if due_on is None:
                raise DomainError(
                    ErrorCode.RECHECK_DUE_MISSING,
                    _("整改效果未保持，请为新隐患填写整改期限。"),
                    field="due_on",
                )
            require_right(actor, "hazards.register_hazard")
            data = {name: getattr(hazard, name) for name in CARRIED_OVER}
            data.update(
                major_criterion=hazard.major_criterion,
                major_basis=hazard.major_basis,
                source=Hazard.Source.RECHECK,
                description=_("回头看发现原隐患 %(number)s 整改效果未保持：%(notes)s")
                % {"number": hazard.number, "notes": notes.strip()},
                found_on=checked_on,
                due_on=due_on,
                finder=actor.display_name,
            )
            recheck.new_hazard = _create_hazard(
                actor=actor, action="hazards.recheck", data=data, reopened_from=hazard
            )
        records.save_with_history(recheck, actor, "")
    return recheck
