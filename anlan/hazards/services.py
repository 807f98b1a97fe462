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

from anlan.core import capacity, recipients, records, units
from anlan.core import rules as core_rules
from anlan.core import selectors as core_selectors
from anlan.core import uploads as uploads_kernel
from anlan.core.errors import Code, DomainError
from anlan.core.models import Department, Industry, Region, Role, Unit
from anlan.core.permissions import require, require_right
from anlan.core.rules import RuleViolation
from anlan.core.workflow import Transition, apply_transition, check_transition, find
from anlan.documents.models import DocumentKind
from anlan.documents.services import issue_document, next_in_sequence

from . import guards, notices, rules, selectors
from .documents import supervision_letter
from .models import (
    Extension,
    FilingRuleSetting,
    Hazard,
    HazardCounter,
    Lead,
    Photo,
    Recheck,
    Rectification,
    RectificationPlan,
    StatisticsFiling,
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


def check_photos(uploads: Iterable) -> list[uploads_kernel.Upload]:
    """Validate every upload before anything is written: within the size limit and a known picture format
    by its first bytes (the rule), then decoded and re-encoded by the kernel (`core.uploads`). Returns the
    re-encoded pictures, named by a uuid with their real extension."""
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
        if not isinstance(upload, uploads_kernel.Upload):  # already verified (an inspection's finding)
            upload = uploads_kernel.accept_image(upload, field="photos")
        checked.append(upload)
    return checked


def _store_photos(uploads: list[uploads_kernel.Upload], actor, stage: str, *, hazard=None, lead=None) -> None:
    """Attach the checked pictures, each with its history row (who attached what, when)."""
    for upload in uploads:
        photo = Photo(hazard=hazard, lead=lead, stage=stage, name=upload.original_name, uploaded_by=actor)
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


# Units that may be responsible for a hazard at a place (no enterprise): government units.
PLACE_UNIT_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.TOWN, Unit.Kind.PARK_COMMITTEE)


def industry_codes(industry: Industry | int | None) -> list[str]:
    """The industry's code and its ancestors' codes (a standard covers an industry's sub-industries)."""
    codes = []
    current = Industry.objects.filter(pk=getattr(industry, "pk", industry)).first() if industry else None
    while current is not None:
        codes.append(current.code)
        current = current.parent
    return codes


def _check_criterion_industry(hazard: Hazard) -> None:
    if hazard.grade == Hazard.Grade.MAJOR and hazard.major_criterion and hazard.industry_id:
        _check(
            rules.check_criterion_industry,
            hazard.major_criterion,
            industry_codes(hazard.industry_id),
            hazard.industry.name,
        )


def place_units(region_code: str):
    """The government units that may answer for a hazard at a place in this region: the departments, towns
    and park committees of its county (of the region itself above a county)."""
    county = rules.county_of(region_code)
    if not Region.objects.filter(pk=county).exists():
        county = region_code
    low, high = core_rules.subtree_bounds(county, Region.Level.COUNTY)
    return Unit.objects.filter(
        kind__in=PLACE_UNIT_KINDS, is_active=True, region_id__gte=low, region_id__lte=high
    ).order_by("kind", "name")


def default_place_unit(region_code: str) -> Unit | None:
    """The town of the region (its town-level ancestor), else the 安委办 of its county."""
    town = Region.objects.filter(
        pk=rules.ancestor_code(region_code, Region.Level.TOWN), level=Region.Level.TOWN
    ).first()
    if town is not None:
        return units.unit_for(town)
    county = Region.objects.filter(pk=rules.county_of(region_code)).first()
    if county is None:
        county = Region.objects.filter(pk=region_code).first()
    if county is None or county.level > Region.Level.COUNTY:
        return None
    return units.committee_office_for(county)


def _responsible_unit(hazard: Hazard, chosen) -> Unit | None:
    """The enterprise's unit; for a place, the government unit chosen (in the place's county), by default
    its town (`default_place_unit`)."""
    if hazard.enterprise_id:
        return units.unit_for(hazard.enterprise)
    if chosen not in (None, ""):
        unit = chosen if isinstance(chosen, Unit) else Unit.objects.filter(pk=chosen).first()
        if unit is None or not place_units(hazard.region_id).filter(pk=unit.pk).exists():
            raise DomainError(
                ErrorCode.RESPONSIBLE_UNIT_KIND,
                _("责任单位须为隐患所在县的部门、乡镇(街道)或园区管委会。"),
                field="responsible_unit",
            )
        return unit
    return default_place_unit(hazard.region_id) if hazard.region_id else None


_UNSET = object()


def _create_hazard(
    *, actor, action: str, data: dict, photos=(), reason: str = "", finding_unit=_UNSET, **extra
) -> Hazard:
    """Shared by registration, lead confirmation, import and 回头看: validate, number, save, notify. The
    registering unit is the actor's; the finding unit is that one unless given (None for a tip-off)."""
    uploads = check_photos(photos)
    hazard = Hazard(**{k: v for k, v in data.items() if k in HAZARD_FIELDS}, **extra)
    if hazard.enterprise_id:
        hazard.enterprise = core_selectors.access_enterprise(actor, hazard.enterprise_id)
        hazard.place = hazard.place or ""
    _fill_from_enterprise(hazard)
    _check(rules.check_place, bool(hazard.enterprise_id), hazard.place)
    _check(rules.check_coordinates, hazard.longitude, hazard.latitude)
    if hazard.found_on is not None:
        _check(rules.check_dates, hazard.found_on, hazard.due_on, _today())
    _check(rules.check_major_basis, hazard.grade, hazard.major_criterion, hazard.major_basis)
    if hazard.grade != Hazard.Grade.MAJOR:
        hazard.major_criterion, hazard.major_basis = "", ""
    _check_criterion_industry(hazard)
    hazard.registered_by = actor
    hazard.registering_unit = capacity.acting_unit(actor, right=action)
    hazard.finding_unit = hazard.registering_unit if finding_unit is _UNSET else finding_unit
    if hazard.region_id:
        hazard.responsible_unit = _responsible_unit(hazard, data.get("responsible_unit"))
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


def register_hazard(
    *, actor, data: dict, photos=(), reason: str = "", inspection_finding: bool = False
) -> Hazard:
    """Register a hazard found by any source; numbered per county and year. A major hazard notifies the
    supervising department and the 安委办 at once. `inspection_finding` marks a finding of a recorded
    inspection: it closes with the 整改复查意见书 (`verify_by_recheck_opinion`), not an ordinary 验收."""
    require_right(actor, "hazards.register_hazard")
    with transaction.atomic():
        return _create_hazard(
            actor=actor,
            action="hazards.register_hazard",
            data=data,
            photos=photos,
            reason=reason,
            inspection_finding=bool(inspection_finding),
        )


def register_assigned_hazard(*, actor, data: dict, finding_unit: Unit, reason: str = "") -> Hazard:
    """Register a hazard at a place (no enterprise) that `finding_unit` found and assigns to a government unit
    (`data["responsible_unit"]`: a department, town or park committee of the place's county): a 督查 problem of
    governance is this record (issue #17, #12). The responsible unit plans and rectifies it on the hazard's
    own pages; the finding unit (or a supervising body other than the responsible unit) verifies and closes it
    out (rules.check_verifier); the hazard sweeps remind and escalate it like any other."""
    require_right(actor, "hazards.register_hazard")
    if data.get("enterprise"):
        raise DomainError(
            ErrorCode.NO_PLACE, _("交办给政府单位的问题不关联生产经营单位。"), field="enterprise"
        )
    if data.get("responsible_unit") in (None, ""):
        raise DomainError(
            ErrorCode.RESPONSIBLE_UNIT_KIND,
            _("请选择责任单位（部门、乡镇(街道)或园区管委会）。"),
            field="responsible_unit",
        )
    with transaction.atomic():
        return _create_hazard(
            actor=actor,
            action="hazards.register_hazard",
            data=data,
            reason=reason,
            finding_unit=finding_unit,
        )


def amend_registration(*, actor, hazard_pk, data: dict, reason: str = "") -> Hazard:
    """Correct the registration details of a hazard nobody has acted on yet (rules.AMENDABLE_FIELDS, while
    待整改), by someone who may register hazards where it is; other fields in `data` are ignored."""
    with transaction.atomic():
        hazard = selectors.access_hazard(actor, hazard_pk, for_update=True)
        require(actor, "hazards.register_hazard", hazard)
        _check(rules.check_registration_amendable, hazard.status, hazard.get_status_display())
        for name in rules.AMENDABLE_FIELDS:
            if name in data:
                setattr(hazard, name, data[name])
        records.validate(hazard)
        records.save_with_history(hazard, actor, reason)
    return hazard


# ---------------------------------------------------------------- leads


def report_lead(*, actor, data: dict, photos=()) -> Lead:
    """A grid worker's patrol finding or a public tip-off, to be confirmed or dismissed by an officer."""
    require_right(actor, "hazards.report_lead")
    uploads = check_photos(photos)
    with transaction.atomic():
        fields = (
            "source",
            "enterprise",
            "place",
            "region",
            "industry",
            "grid",
            "description",
            "longitude",
            "latitude",
            "reported_on",
        )
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
        _check(rules.check_coordinates, lead.longitude, lead.latitude)
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
    """Turn a lead into a registered hazard (its photos and its point come along); the lead records the
    hazard."""
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
            "longitude": lead.longitude,
            "latitude": lead.latitude,
            "found_on": lead.reported_on,
            "source": Hazard.Source.GRID_PATROL
            if lead.source == Lead.Source.GRID_PATROL
            else Hazard.Source.TIP_OFF,
            "finder": lead.reporter_name or (lead.reported_by.display_name if lead.reported_by else ""),
        }
        merged = {**defaults, **{k: v for k, v in data.items() if v not in (None, "")}}
        # A grid patrol lead was found by the grid worker's town; a tip-off by the public (no unit).
        finder_unit = None
        if lead.source == Lead.Source.GRID_PATROL and lead.reported_by is not None:
            finder_unit = capacity.acting_unit(lead.reported_by, right="hazards.report_lead")
        hazard = _create_hazard(
            actor=actor, action="hazards.confirm_lead", data=merged, finding_unit=finder_unit
        )
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
        notices.lead_outcome(lead, actor=actor)
    return hazard


def dismiss_lead(*, actor, lead_pk, reason: str) -> Lead:
    with transaction.atomic():
        lead = selectors.access_lead(actor, lead_pk, for_update=True)
        require(actor, "hazards.confirm_lead", lead)
        lead = apply_transition(
            lead,
            find(Lead.TRANSITIONS, "dismiss"),
            actor=actor,
            reason=reason,
            changes={"decided_by": actor, "decided_at": timezone.now()},
        )
        notices.lead_outcome(lead, actor=actor, reason=reason)
        return lead


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
        else:
            _check_guard(guards.may_rectify, hazard, actor)
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


def _check_guard(guard, record, actor) -> None:
    """One guard of a table, checked outside its transition (a revised plan, the 整改复查意见书)."""
    refused = guard(record, actor)
    if refused is not None:
        raise DomainError(refused.code, refused.message, field="__all__")


def _submit(
    *, actor, hazard: Hazard, name: str, description: str, photos, on_the_spot: bool, witnessed: bool = False
) -> Rectification:
    transition = find(Hazard.TRANSITIONS, name)
    _check_step(hazard, transition, actor)
    if not (description or "").strip():
        raise DomainError(ErrorCode.EVIDENCE_MISSING, _("请填写整改情况。"), field="description")
    uploads = check_photos(photos)
    if not uploads:
        raise DomainError(ErrorCode.AFTER_PHOTOS_MISSING, _("请上传整改后的照片。"), field="photos")
    record = Rectification(
        hazard=hazard,
        description=description.strip(),
        on_the_spot=on_the_spot,
        witnessed=witnessed,
        submitted_by=actor,
    )
    records.save_with_history(record, actor, "")
    apply_transition(
        hazard, transition, actor=actor, changes={"submitted_by": actor, "witnessed_fix": witnessed}
    )
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


def witness_fix(*, actor, hazard_pk, description: str, photos=()) -> Rectification:
    """当场整改: an official records an ordinary hazard's fix they witnessed on the spot, with photos; another
    official verifies it (never the enterprise, never the witness: rules.check_verifier)."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.witness_fix")
        return _submit(
            actor=actor,
            hazard=hazard,
            name="witness_fix",
            description=description,
            photos=photos,
            on_the_spot=True,
            witnessed=True,
        )


def _record_verification(
    *, actor, hazard: Hazard, passed: bool, opinion: str, method: str, document=None
) -> Verification:
    transition = find(Hazard.TRANSITIONS, "verify" if passed else "reject")
    _check(rules.check_verification, opinion, method, Verification.Method.values)
    opinion = opinion.strip()
    record = Verification(
        hazard=hazard, passed=passed, opinion=opinion, method=method, document=document, verified_by=actor
    )
    records.save_with_history(record, actor, "")
    now = timezone.now()
    changes = {"verified_by": actor, "verified_at": now}
    if passed:
        changes["closed_on"] = timezone.localdate(now)
    apply_transition(hazard, transition, actor=actor, reason=opinion, changes=changes)
    if not passed:
        notices.rejected(hazard, record.pk, opinion)
    else:
        lead = Lead.objects.filter(hazard=hazard).select_related("hazard").first()
        if lead is not None:
            notices.lead_outcome(lead, actor=actor, reason=opinion)
    return record


def verify_rectification(*, actor, hazard_pk, passed: bool, opinion: str, method: str = "") -> Verification:
    """验收: passed closes the hazard (销号); not passed sends it back to rectifying with the opinion. The
    opinion and the method (现场核查/资料核查) are required; who may verify is rules.check_verifier; an
    inspection's finding closes with the 整改复查意见书 instead (`verify_by_recheck_opinion`)."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.verify")
        transition = find(Hazard.TRANSITIONS, "verify" if passed else "reject")
        _check_step(hazard, transition, actor, opinion)
        return _record_verification(actor=actor, hazard=hazard, passed=passed, opinion=opinion, method=method)


def verify_by_recheck_opinion(
    *, actor, hazard_pk, passed: bool, opinion: str, method: str, document=None
) -> Verification:
    """The 整改复查意见书 of an inspection closes (or sends back) its finding: the same verifier rules as an
    ordinary 验收; the issued document is kept on the verification (part R calls this on issuing it)."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.verify")
        transition = find(Hazard.TRANSITIONS, "verify" if passed else "reject")
        hazard.closing_by_recheck_opinion = True
        _check_step(hazard, transition, actor, opinion)
        return _record_verification(
            actor=actor, hazard=hazard, passed=passed, opinion=opinion, method=method, document=document
        )


def void_hazard(*, actor, hazard_pk, reason: str) -> Hazard:
    """The registering unit or the supervising department voids a duplicate or mistaken record, with a reason
    (rules.check_voider: a major hazard only the department; one under 挂牌督办 only its issuer, and the listed
    督办 is closed with it, audited with the same reason)."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.void")
        transition = find(Hazard.TRANSITIONS, "void")
        _check_step(hazard, transition, actor, reason)
        listed = list(hazard.supervisions.select_for_update().filter(status=Supervision.Status.LISTED))
        hazard = apply_transition(hazard, transition, actor=actor, reason=reason)
        for supervision in listed:
            records.update_with_history(
                supervision,
                actor,
                _("隐患作废，督办随之撤销：%(reason)s") % {"reason": reason.strip()},
                status=Supervision.Status.CLOSED,
                lift_opinion=reason.strip(),
                lifted_by=actor,
                lifted_at=timezone.now(),
            )
        return hazard


# ---------------------------------------------------------------- extensions and experts


def request_extension(*, actor, hazard_pk, new_due_on: date, reason: str) -> Extension:
    """Ask the overseeing department for a later deadline, before the current one passes."""
    if not (reason or "").strip():
        raise DomainError(ErrorCode.REASON_REQUIRED, _("请填写延期理由。"), field="reason")
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.request_extension")
        if not hazard.is_open:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("隐患已销号或作废，不能申请延期。"), field="__all__")
        _check_guard(guards.may_rectify, hazard, actor)  # the rectifier asks for time, no supervisor for it
        _check(rules.check_extension, hazard.due_on, new_due_on, _today())
        listed = guards.listed_supervision(hazard)
        if listed is not None:
            _check(rules.check_supervised_extension, new_due_on=new_due_on, supervision_due_on=listed.due_on)
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
        _check(rules.check_not_rectifying_unit, guards.is_rectifying_unit_member(actor, hazard))
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


ISSUER_LEVEL = {
    Region.Level.PROVINCE: Supervision.Level.PROVINCE,
    Region.Level.CITY: Supervision.Level.CITY,
}


def issuer_level(department: Department) -> str:
    """The 督办 level a department issues at: its region's (county and below issue at county level)."""
    return ISSUER_LEVEL.get(department.region.level, Supervision.Level.COUNTY)


def responsible_units(hazard: Hazard):
    """The units a 督办 may name as responsible: the hazard's responsible unit and the government units of
    its county (`place_units`), plus the enterprise's unit."""
    ids = set(place_units(hazard.region_id).values_list("pk", flat=True))
    if hazard.enterprise_id:
        ids.add(units.unit_for(hazard.enterprise).pk)
    if hazard.responsible_unit_id:
        ids.add(hazard.responsible_unit_id)
    return Unit.objects.filter(pk__in=ids).order_by("kind", "name")


def issue_supervision(
    *, actor, hazard_pk, level: str, due_on: date, responsible_unit, requirements: str
) -> Supervision:
    """挂牌督办: take the issuer's next letter number, generate the 隐患挂牌督办函 (DOCX) addressed to the
    responsible Unit and list the hazard. The hazard's deadline may not run past the 督办's; a hazard already
    listed gets a second 督办 only as 提级督办 by a higher level (the first stays listed, linked)."""
    with transaction.atomic():
        hazard = _hazard_for(actor, hazard_pk, "hazards.supervise")
        _check(rules.check_not_rectifying_unit, guards.is_rectifying_unit_member(actor, hazard))
        if not hazard.is_open:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("只能对未销号的隐患挂牌督办。"), field="__all__")
        if due_on < _today():
            raise DomainError(ErrorCode.SUPERVISION_DUE_PAST, _("督办期限不能早于今天。"), field="due_on")
        if not (requirements or "").strip():
            raise DomainError(Code.INVALID, _("请填写此项。"), field="requirements")
        issuer = issuing_department(actor)
        unit = responsible_unit if isinstance(responsible_unit, Unit) else None
        if unit is None and str(getattr(responsible_unit, "pk", responsible_unit)).isdigit():
            unit = Unit.objects.filter(pk=getattr(responsible_unit, "pk", responsible_unit)).first()
        if unit is None or not responsible_units(hazard).filter(pk=unit.pk).exists():
            raise DomainError(Code.INVALID, _("请选择隐患所在地登记的责任单位。"), field="responsible_unit")
        listed = guards.listed_supervision(hazard)
        _check(
            rules.check_second_supervision,
            listed_level=listed.level if listed is not None else None,
            new_level=level,
            issuer_level=issuer_level(issuer) if listed is not None else level,
        )
        _check(rules.check_due_within_supervision, hazard.due_on, due_on)
        supervision = Supervision(
            hazard=hazard,
            level=level,
            issuer=issuer,
            due_on=due_on,
            responsible_unit=unit,
            raised_from=listed,
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


# ---------------------------------------------------------------- 隐患排查治理统计分析表 (16号令 第十四条)


def _filing_period(period: str) -> str:
    period = (period or "").strip()
    try:
        rules.filing_period_bounds(period)
    except ValueError as exc:
        raise DomainError(
            Code.INVALID, _("统计期应为“2026-Q3”（季度）或“2026”（年度）。"), field="period"
        ) from exc
    return period


def generate_filing(*, actor, enterprise_pk, period: str) -> StatisticsFiling:
    """生成本期统计: the enterprise's draft 统计分析表 for an ended period, its figures read from the hazard ledger
    now. A draft (or a row the sweep flagged missing) gets fresh figures and keeps its analysis; a confirmed
    filing is never regenerated."""
    period = _filing_period(period)
    _check(rules.check_period_ended, period, _today())
    with transaction.atomic():
        enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
        require(actor, "hazards.prepare_filing", enterprise)
        figures = selectors.ledger_figures(enterprise.pk, period)
        changes = {"figures": figures, "generated_at": timezone.now(), "prepared_by": actor}
        filing = (
            StatisticsFiling.objects.select_for_update(of=("self",))
            .filter(enterprise=enterprise, period=period)
            .select_related("enterprise__principal")
            .first()
        )
        if filing is None:
            filing = StatisticsFiling(
                enterprise=enterprise,
                region_id=enterprise.region_id,
                industry_id=enterprise.industry_id,
                period=period,
                due_on=selectors.filing_due_on(enterprise.region_id, period),
                status=StatisticsFiling.Status.DRAFT,
                **changes,
            )
            records.save_with_history(filing, actor, "")
            return filing
        _check(rules.check_filing_editable, filing.is_confirmed)
        transition = find(StatisticsFiling.TRANSITIONS, "generate")
        apply_transition(filing, transition, actor=actor, changes=changes)
    return filing


def write_filing_analysis(*, actor, filing_pk, analysis: str) -> StatisticsFiling:
    """The enterprise's written analysis of the period (a draft only: a confirmed filing is immutable)."""
    with transaction.atomic():
        filing = selectors.access_filing(actor, filing_pk, for_update=True)
        require(actor, "hazards.prepare_filing", filing)
        _check(rules.check_filing_editable, filing.is_confirmed)
        if filing.status != StatisticsFiling.Status.DRAFT:
            raise DomainError(
                Code.ILLEGAL_TRANSITION, _("请先生成本期统计，再填写分析说明。"), field="__all__"
            )
        records.update_with_history(filing, actor, "", analysis=(analysis or "").strip())
    return filing


def confirm_filing(*, actor, filing_pk) -> StatisticsFiling:
    """主要负责人确认上报 (签字): only the account linked to the enterprise's 主要负责人 confirms; the filing is then
    filed today, late when after its due date, and immutable. A flagged filing thereby stops being missing."""
    with transaction.atomic():
        filing = selectors.access_filing(actor, filing_pk, for_update=True)
        _check(rules.check_filing_editable, filing.is_confirmed)
        transition = find(StatisticsFiling.TRANSITIONS, "confirm")
        check_transition(filing, transition)
        _check_guard(guards.principal_signs, filing, actor)  # whoever asks: the rule, not a bare 403
        require(actor, transition.right, filing)
        _check(rules.check_filing_analysed, filing.analysis)
        today = _today()
        apply_transition(
            filing,
            transition,
            actor=actor,
            changes={
                "confirmed_by": actor,
                "confirmed_at": timezone.now(),
                "filed_on": today,
                "is_late": rules.filing_is_late(today, filing.due_on),
            },
        )
    return filing


def add_filing_rule(
    *,
    actor,
    province_code: str,
    quarter_day: int,
    annual_month: int,
    annual_day: int,
    effective_from: date | None = None,
    note: str = "",
) -> FilingRuleSetting:
    """A province's 统计分析表 deadlines, set by that province's 安委办 (a new row: the old ones stay as history)."""
    require_right(actor, "hazards.set_filing_rule")
    province = Region.objects.filter(pk=province_code, level=Region.Level.PROVINCE).first()
    if province is None:
        raise DomainError(Code.INVALID, _("请选择省级区划。"), field="province")
    records.ensure_region_in_scope(actor, "hazards.set_filing_rule", province.code, field="province")
    rule = rules.FilingRule(quarter_day=quarter_day, annual_month=annual_month, annual_day=annual_day)
    _check(rules.check_filing_rule, rule)
    with transaction.atomic():
        setting = FilingRuleSetting(
            province=province,
            quarter_day=quarter_day,
            annual_month=annual_month,
            annual_day=annual_day,
            effective_from=effective_from,
            note=(note or "").strip(),
            recorded_by=actor,
        )
        records.save_with_history(setting, actor, "")
    return setting
