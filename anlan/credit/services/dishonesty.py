"""Use cases of the 严重失信主体名单 (应急管理部令第11号, regulations.md §4): a supervisor enters a candidate by hand
(situations the data cannot show: 5, 7, 8, 9 …); the daily sweep finds candidates in the accidents module's data
(read through its public selectors) and expires listings after 3 years; the deciding department (谁处罚、谁决定)
tells the party (告知书 DOCX), hears its 陈述申辩, decides in writing (决定书 DOCX), removes early on application
once 12 months have passed and the repair conditions are confirmed, and revokes a removal obtained by a false
application; the party files its statement and its removal application itself. Each step checks scope, right and
guards, changes state with a compare-and-set UPDATE and one history row, and tells the other side after commit."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import calendar, recipients, records, units
from anlan.core.audit import record_text, system_actor
from anlan.core.errors import DomainError
from anlan.core.models import Enterprise, Region, Unit
from anlan.core.permissions import require, require_right
from anlan.core.workflow import apply_transition, find
from anlan.notifications.services import notify_after_commit

from .. import rules
from ..data import dishonesty as data
from ..models import DishonestyCase, DishonestyDocumentCounter, DishonestySettings, DishonestySubject
from ..models.dishonesty import CONFIGURE_DISHONESTY, PROPOSE_DISHONESTY
from ..rules import DishonestyCode
from ..selectors import dishonesty as selectors

NOTICE = "credit.dishonesty"
Status = DishonestyCase.Status
Kind = DishonestySubject.Kind
DOCUMENT_CODES = {"notice": "失信告", "decision": "失信决"}


def _today() -> date:
    return timezone.localdate()


def _text(values: dict, key: str) -> str:
    return (values.get(key) or "").strip()


def _required(values: dict, key: str, label) -> str:
    value = _text(values, key)
    if not value:
        raise DomainError(DishonestyCode.TEXT_MISSING, _("请填写%(label)s。") % {"label": label}, field=key)
    return value


def case_url(case) -> str:
    return reverse("credit:dishonesty-detail", args=[case.pk])


def _tell(users, *, title: str, body: str, url: str, key: str) -> None:
    notify_after_commit(users, kind=NOTICE, title=title, body=body, url=url, dedupe_key=key)


def _party_users(case):
    return recipients.enterprise_users(case.enterprise) if case.enterprise_id else []


# ---------------------------------------------------------------- subjects and candidates


def _subject(*, actor, kind: str, enterprise=None, person=None, unit=None, agency_type="", region=None):
    """The subject row of a party, made once (one per unit or person and kind)."""
    if kind == Kind.UNIT:
        unit = units.unit_for(enterprise)
        lookup = {"kind": kind, "unit": unit, "person": None}
        defaults = {"name": enterprise.name, "enterprise": enterprise, "region": enterprise.region}
    elif kind == Kind.PRINCIPAL:
        lookup = {"kind": kind, "person": person}
        defaults = {
            "name": person.name,
            "enterprise": enterprise,
            "unit": units.unit_for(enterprise),
            "region": enterprise.region,
        }
    elif kind == Kind.AGENCY:
        lookup = {"kind": kind, "unit": unit, "person": None}
        defaults = {"name": unit.name, "agency_type": agency_type, "region": unit.region}
    else:
        lookup = {"kind": kind, "person": person}
        defaults = {"name": person.name, "unit": unit, "agency_type": agency_type, "region": unit.region}
    subject = DishonestySubject.objects.filter(**lookup).first()
    if subject is None:
        subject = DishonestySubject(**lookup, **defaults)
        records.validate(subject)
        records.save_with_history(subject, actor, record_text(gettext_lazy("登记失信主体")))
    return subject


def _new_case(
    *, actor, subject, situation: int, basis: str, deciding_unit, source: str, source_key="", **extra
):
    enterprise = subject.enterprise
    case = DishonestyCase(
        subject=subject,
        situation=situation,
        basis=basis,
        source=source,
        source_key=source_key,
        deciding_unit=deciding_unit,
        enterprise=enterprise,
        industry=enterprise.industry if enterprise else None,
        region=subject.region,
        created_by=actor,
        **extra,
    )
    records.validate(case, exclude=["source_key"])
    records.save_with_history(case, actor, record_text(gettext_lazy("列为严重失信主体名单候选")))
    _tell(
        units.members(deciding_unit),
        title=record_text(gettext_lazy("新的严重失信主体名单候选：%(name)s"), name=subject.name),
        body=str(case.get_situation_display()),
        url=case_url(case),
        key=f"dishonesty:{case.pk}:candidate",
    )
    return case


def deciding_units(actor):
    """The units the actor may decide for: the departments and 安委办 they act for (谁处罚、谁决定)."""
    return units.units_of(actor).filter(kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.COMMITTEE_OFFICE])


def propose_candidate(*, actor, data: dict) -> DishonestyCase:
    """人工登记候选: a supervisor enters a subject and the situation the data cannot show (5 principal fled, 7 an
    agency's false report, 8 evaded penalty, 9 other serious violation …), naming the penalty decision and the
    deciding unit — one of their own (谁处罚、谁决定)."""
    require_right(actor, PROPOSE_DISHONESTY)
    with transaction.atomic():
        situation = data.get("situation")
        if situation not in rules.SITUATIONS:
            raise DomainError(DishonestyCode.SITUATION_INVALID, _("请选择列入情形。"), field="situation")
        deciding_unit = data.get("deciding_unit")
        if deciding_unit is None or not deciding_units(actor).filter(pk=deciding_unit.pk).exists():
            raise DomainError(
                DishonestyCode.DECIDING_UNIT_INVALID, _("决定部门须为您所在的部门。"), field="deciding_unit"
            )
        kind = data.get("subject_kind") or ""
        basis = _required(data, "basis", _("列入依据（事实）"))
        if kind in (Kind.UNIT, Kind.PRINCIPAL):
            enterprise = data.get("enterprise")
            if enterprise is None or not Enterprise.objects.for_user(actor).filter(pk=enterprise.pk).exists():
                raise DomainError(
                    DishonestyCode.SUBJECT_MISSING, _("请选择生产经营单位。"), field="enterprise"
                )
            if kind == Kind.PRINCIPAL and enterprise.principal_id is None:
                raise DomainError(
                    DishonestyCode.SUBJECT_MISSING, _("该单位未登记主要负责人。"), field="enterprise"
                )
            subject = _subject(actor=actor, kind=kind, enterprise=enterprise, person=enterprise.principal)
        elif kind in (Kind.AGENCY, Kind.AGENCY_STAFF):
            agency_type = data.get("agency_type") or ""
            if agency_type not in DishonestySubject.AgencyType.values:
                raise DomainError(
                    DishonestyCode.AGENCY_TYPE_REQUIRED, _("请选择机构类型。"), field="agency_type"
                )
            region = data.get("region")
            if region is None:
                raise DomainError(DishonestyCode.SUBJECT_MISSING, _("请选择机构所在区划。"), field="region")
            records.ensure_region_in_scope(actor, PROPOSE_DISHONESTY, region.pk)
            agency = _agency_unit(actor, _required(data, "agency_name", _("机构名称")), region)
            person = None
            if kind == Kind.AGENCY_STAFF:
                from anlan.core.people import find_or_create_person

                person = find_or_create_person(
                    actor=actor,
                    id_number=_text(data, "person_id_number"),
                    name=_required(data, "person_name", _("人员姓名")),
                    phone="",
                    employer=agency,
                )
            subject = _subject(actor=actor, kind=kind, unit=agency, person=person, agency_type=agency_type)
        else:
            raise DomainError(
                DishonestyCode.SUBJECT_KIND_INVALID, _("请选择主体类别。"), field="subject_kind"
            )
        case = _new_case(
            actor=actor,
            subject=subject,
            situation=situation,
            basis=basis,
            deciding_unit=deciding_unit,
            source=DishonestyCase.Source.MANUAL,
            penalty_reference=_text(data, "penalty_reference"),
        )
        records.ensure_in_scope(actor, PROPOSE_DISHONESTY, case, "subject_kind")
    return case


def _agency_unit(actor, name: str, region: Region) -> Unit:
    """The outside body (外部单位) the agency is, found by name in its region or created."""
    found = Unit.objects.filter(kind=Unit.Kind.OUTSIDE_BODY, region=region, name=name).first()
    if found is not None:
        return found
    unit = Unit(kind=Unit.Kind.OUTSIDE_BODY, name=name, region=region)
    records.save_with_history(unit, actor, record_text(gettext_lazy("登记安全服务机构")))
    return unit


# ---------------------------------------------------------------- documents


def _number(unit: Unit, kind: str, year: int) -> str:
    from anlan.documents import rules as document_rules
    from anlan.documents.services import next_in_sequence

    serial = next_in_sequence(DishonestyDocumentCounter, unit=unit, kind=kind, year=year)
    # A unit's name carries its region (来安县安委办): the issuer code takes the region once (来安安委).
    prefix = document_rules.issuer_prefix(unit.region.name, unit.name.removeprefix(unit.region.name))
    return f"{prefix}{DOCUMENT_CODES[kind]}〔{year}〕{serial}号"


def _render(case: DishonestyCase, kind: str, number: str, day: date, paragraphs: list[str], items) -> bytes:
    from anlan.documents.docx import OfficialDocument, build_docx

    title = _("严重失信主体名单列入告知书") if kind == "notice" else _("严重失信主体名单决定书")
    return build_docx(
        OfficialDocument(
            issuer_mark=case.deciding_unit.name,
            number=number,
            title=str(title),
            addressee=case.subject.name,
            paragraphs=paragraphs,
            items=items,
            signature=case.deciding_unit.name,
            signed_on=day,
            basis=str(_("依据《安全生产严重失信主体名单管理办法》（应急管理部令第11号）。")),
        )
    )


def _document(case, kind: str, day: date, paragraphs: list[str], items) -> tuple[str, ContentFile]:
    number = _number(case.deciding_unit, kind, day.year)
    content = _render(case, kind, number, day, paragraphs, items)
    return number, ContentFile(content, name=f"dishonesty-{kind}-{case.pk}-{day:%Y%m%d}.docx")


# ---------------------------------------------------------------- the procedure


def _step(actor, case_pk: int, name: str, reason: str = "", changes: dict | None = None) -> DishonestyCase:
    case = selectors.access_case(actor, case_pk, for_update=True)
    transition = find(DishonestyCase.TRANSITIONS, name)
    require(actor, transition.right, case)
    apply_transition(case, transition, actor=actor, reason=reason, changes=changes or {})
    return case


def _stored(case, field: str, content: ContentFile) -> str:
    """Write a document to storage and return its name, which the step then sets with its other changes (so the
    step's own history row records it, not the next one)."""
    getattr(case, field).save(content.name, content, save=False)
    return getattr(case, field).name


def notify_party(*, actor, case_pk: int) -> DishonestyCase:
    """告知: the 告知书 (DOCX, numbered per deciding unit and year) names the situation, the facts and the right to
    state one's case within the county's period of working days (counted from the day after; CalendarDay holidays
    skipped). The party is told."""
    today = _today()
    with transaction.atomic():
        case = selectors.access_case(actor, case_pk)
        days = selectors.settings_for(case.region_id).statement_working_days
        due = calendar.add_working_days(today, days)
        paragraphs = [
            str(_("经查，你（单位）存在以下情形：%(s)s。") % {"s": case.get_situation_display()}),
            case.basis,
            str(
                _(
                    "本机关拟将你（单位）列入安全生产严重失信主体名单。你（单位）有权进行陈述和申辩，请于 %(d)s 前提出。"
                )
                % {"d": f"{due:%Y年%m月%d日}"}
            ),
        ]
        items = [(str(_("行政处罚决定书")), case.penalty_reference or "—")]
        number, content = _document(case, "notice", today, paragraphs, items)
        case = _step(
            actor,
            case_pk,
            "notify",
            changes={
                "notified_on": today,
                "statement_due_on": due,
                "notice_number": number,
                "notice_file": _stored(case, "notice_file", content),
            },
        )
        _tell(
            _party_users(case),
            title=record_text(gettext_lazy("严重失信主体名单列入告知：%(name)s"), name=case.subject.name),
            body=str(_("请于 %(d)s 前提出陈述申辩。") % {"d": due}),
            url=case_url(case),
            key=f"dishonesty:{case.pk}:notified",
        )
    return case


def dismiss(*, actor, case_pk: int, reason: str) -> DishonestyCase:
    """不予列入 a candidate before any notice (e.g. no penalty decision, or the conduct not 情节严重)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        return _step(actor, case_pk, "dismiss", reason, {"decided_on": _today(), "decision_reason": reason})


def file_statement(*, actor, case_pk: int, name: str, data: dict) -> DishonestyCase:
    """陈述申辩: by the party itself (`file_statement`) or recorded from paper by the deciding unit
    (`record_statement`), within the period. The deciding unit is told."""
    with transaction.atomic():
        statement = _required(data, "statement", _("陈述申辩意见"))
        case = _step(actor, case_pk, name, changes={"statement": statement, "stated_on": _today()})
        _tell(
            units.members(case.deciding_unit),
            title=record_text(gettext_lazy("收到陈述申辩：%(name)s"), name=case.subject.name),
            body=statement[:200],
            url=case_url(case),
            key=f"dishonesty:{case.pk}:stated",
        )
    return case


def decide(*, actor, case_pk: int, listed: bool, data: dict) -> DishonestyCase:
    """The written decision (决定书 DOCX): to list — listed today, for 3 years (rules.listing_expires_on) — or not
    to list, with the reasons (which must answer the statement when there is one). The party is told."""
    today = _today()
    with transaction.atomic():
        reason = _required(data, "reason", _("决定理由"))
        case = selectors.access_case(actor, case_pk)
        changes = {"decided_on": today, "decision_reason": reason}
        if listed:
            expires_on = rules.listing_expires_on(today)
            changes.update(listed_on=today, expires_on=expires_on)
            paragraphs = [
                str(_("你（单位）存在以下情形：%(s)s。") % {"s": case.get_situation_display()}),
                case.basis,
                reason,
                str(
                    _(
                        "本机关决定将你（单位）列入安全生产严重失信主体名单，管理期限自 %(a)s 至 %(b)s。列入满12个月后，"
                        "符合条件的可以申请提前移出。"
                    )
                    % {"a": f"{today:%Y年%m月%d日}", "b": f"{expires_on:%Y年%m月%d日}"}
                ),
            ]
        else:
            paragraphs = [str(_("经审查，本机关决定不将你（单位）列入安全生产严重失信主体名单。")), reason]
        number, content = _document(case, "decision", today, paragraphs, [])
        changes["decision_number"] = number
        changes["decision_file"] = _stored(case, "decision_file", content)
        case = _step(actor, case_pk, "decide_list" if listed else "decide_not_list", reason, changes)
        title = (
            gettext_lazy("已列入严重失信主体名单：%(name)s")
            if listed
            else gettext_lazy("决定不予列入严重失信主体名单：%(name)s")
        )
        _tell(
            _party_users(case),
            title=record_text(title, name=case.subject.name),
            body=reason[:200],
            url=case_url(case),
            key=f"dishonesty:{case.pk}:decided",
        )
    return case


def apply_removal(*, actor, case_pk: int, name: str, data: dict) -> DishonestyCase:
    """申请提前移出 (信用修复): only once 12 full months have passed (the guard; no button before), with what the
    party did to repair its credit. The deciding unit is told."""
    with transaction.atomic():
        application = _required(data, "application", _("信用修复情况"))
        case = _step(
            actor,
            case_pk,
            name,
            changes={"removal_applied_on": _today(), "removal_application": application},
        )
        _tell(
            units.members(case.deciding_unit),
            title=record_text(gettext_lazy("提前移出申请：%(name)s"), name=case.subject.name),
            body=application[:200],
            url=case_url(case),
            key=f"dishonesty:{case.pk}:removal:{case.removal_applied_on}",
        )
    return case


def approve_removal(*, actor, case_pk: int, data: dict) -> DishonestyCase:
    """同意提前移出: the deciding department confirms every repair condition (data.REPAIR_CONDITIONS); the listing
    ends today and the flags drop. The party is told."""
    with transaction.atomic():
        missing = [label for key, label in data_conditions() if not data.get(key)]
        if missing:
            raise DomainError(
                DishonestyCode.CONDITIONS_NOT_MET,
                _("提前移出须确认全部修复条件，尚未确认：%(m)s。")
                % {"m": "、".join(str(label) for label in missing)},
                field="penalty_fulfilled",
            )
        note = _text(data, "note")
        case = _step(
            actor,
            case_pk,
            "approve_removal",
            note,
            {
                "removed_on": _today(),
                "removal_note": note,
                "penalty_fulfilled": True,
                "harm_removed": True,
                "no_new_listing_event": True,
            },
        )
        _tell(
            _party_users(case),
            title=record_text(gettext_lazy("已提前移出严重失信主体名单：%(name)s"), name=case.subject.name),
            body=note[:200],
            url=case_url(case),
            key=f"dishonesty:{case.pk}:removed",
        )
    return case


def data_conditions():
    return data.REPAIR_CONDITIONS


def reject_removal(*, actor, case_pk: int, reason: str) -> DishonestyCase:
    """不予提前移出: the application fails a condition; the listing continues."""
    reason = (reason or "").strip()
    with transaction.atomic():
        case = _step(actor, case_pk, "reject_removal", reason, {"removal_note": reason})
        _tell(
            _party_users(case),
            title=record_text(gettext_lazy("提前移出申请未获同意：%(name)s"), name=case.subject.name),
            body=reason[:200],
            url=case_url(case),
            key=f"dishonesty:{case.pk}:rejected:{case.removal_applied_on}",
        )
    return case


def revoke_removal(*, actor, case_pk: int, reason: str) -> DishonestyCase:
    """撤销提前移出: the application proved false (隐瞒真实情况、弄虚作假); the listing is restored until its original
    last day (the sweep expires it if that has passed)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        case = _step(
            actor,
            case_pk,
            "revoke_removal",
            reason,
            {"revoked_on": _today(), "revocation_reason": reason, "removed_on": None},
        )
        _tell(
            _party_users(case),
            title=record_text(gettext_lazy("提前移出已撤销，恢复列入：%(name)s"), name=case.subject.name),
            body=reason[:200],
            url=case_url(case),
            key=f"dishonesty:{case.pk}:revoked:{case.revoked_on}",
        )
    return case


def take_transition(*, actor, case, transition, data: dict) -> DishonestyCase:
    """The transition view's entry: the step's service with its form's data."""
    name = transition.name
    if name == "notify":
        return notify_party(actor=actor, case_pk=case.pk)
    if name == "dismiss":
        return dismiss(actor=actor, case_pk=case.pk, reason=data.get("reason", ""))
    if name in ("file_statement", "record_statement"):
        return file_statement(actor=actor, case_pk=case.pk, name=name, data=data)
    if name in ("decide_list", "decide_not_list"):
        return decide(actor=actor, case_pk=case.pk, listed=name == "decide_list", data=data)
    if name in ("apply_removal", "record_removal_application"):
        return apply_removal(actor=actor, case_pk=case.pk, name=name, data=data)
    if name == "approve_removal":
        return approve_removal(actor=actor, case_pk=case.pk, data=data)
    if name == "reject_removal":
        return reject_removal(actor=actor, case_pk=case.pk, reason=data.get("reason", ""))
    if name == "revoke_removal":
        return revoke_removal(actor=actor, case_pk=case.pk, reason=data.get("reason", ""))
    raise KeyError(name)


# ---------------------------------------------------------------- county settings


def save_settings(*, actor, region_pk: str, data: dict) -> DishonestySettings:
    """The county 安委办 switches the local stricter rule and sets the 陈述申辩 period (1–30 working days)."""
    with transaction.atomic():
        region = selectors.access_county(actor, region_pk)
        require(actor, CONFIGURE_DISHONESTY, region)
        days = data.get("statement_working_days")
        if not rules.statement_days_valid(days):
            raise DomainError(
                DishonestyCode.WORKING_DAYS_INVALID,
                _("陈述申辩期限须为 1 至 30 个工作日。"),
                field="statement_working_days",
            )
        settings_row = DishonestySettings.objects.select_for_update().filter(region=region).first()
        settings_row = settings_row or DishonestySettings(region=region)
        settings_row.local_relatively_major_rule = bool(data.get("local_relatively_major_rule"))
        settings_row.statement_working_days = days
        settings_row.updated_by = actor
        records.save_with_history(settings_row, actor, record_text(gettext_lazy("修改失信名单设置")))
    return settings_row


# ---------------------------------------------------------------- the sweep


def _deciding_unit_for(region_code: str) -> Unit:
    """Accident cases are decided by the county's 应急管理部门 (the penalty for an accident is theirs): its 安委办
    unit, whose members are the 安委办/应急管理局 accounts."""
    county = Region.objects.get(pk=selectors.county_of(region_code))
    return units.committee_office_for(county)


def _accident_candidates(*, actor, today: date) -> int:
    """Candidates from the accidents of the last 12 months (accidents' public selectors): situations 1 (or 0 under
    the local rule), 3 and 4 per accident, 2 per enterprise with two 较大 accidents; each subject the situation
    lists (the unit, its 主要负责人) gets one case, keyed so a second run adds nothing."""
    from anlan.accidents import selectors as accidents

    first = rules.add_years(today, -1)
    rows = list(
        accidents.accidents_between("000000000000", "999999999999", first, today)
        .filter(enterprise__isnull=False)
        .values("pk", "title", "grade", "region_id", "enterprise_id")
    )
    if not rows:
        return 0
    ids = [row["pk"] for row in rows]
    misreported = set(
        accidents.misreported_accident_ids().filter(accident_id__in=ids).values_list("accident_id", flat=True)
    )
    aggravated = set(
        accidents.aggravated_accident_ids()
        .filter(investigation__accident_id__in=ids)
        .values_list("investigation__accident_id", flat=True)
    )
    # The same 12 months' rows give each enterprise's count of 较大 accidents (situation 2).
    relatively_major = Counter(
        row["enterprise_id"] for row in rows if row["grade"] in accidents.RELATIVELY_MAJOR_GRADES
    )
    enterprises = Enterprise.objects.select_related("region", "industry", "principal").in_bulk(
        {row["enterprise_id"] for row in rows}
    )
    labels = dict(rules.SITUATION_CHOICES)
    made = 0
    for row in rows:
        enterprise = enterprises[row["enterprise_id"]]
        local = selectors.settings_for(row["region_id"]).local_relatively_major_rule
        facts = {
            "accident_grade": row["grade"] or None,
            "concealed_or_false_report": row["pk"] in misreported,
            "fine_multiplier": 2 if row["pk"] in aggravated else 0,
            "relatively_major_accidents_last_12_months": relatively_major.get(enterprise.pk, 0),
        }
        for number, subjects in rules.dishonesty_situations(facts, local_relatively_major_rule=local):
            # Situation 2 is one ground per enterprise, not per accident.
            key_base = f"e{enterprise.pk}:s2" if number == 2 else f"a{row['pk']}:s{number}"
            basis = (
                str(
                    _("近12个月内发生较大生产安全事故 %(n)s 起。")
                    % {"n": facts["relatively_major_accidents_last_12_months"]}
                )
                if number == 2
                else str(_("事故：%(t)s。") % {"t": row["title"]})
            )
            for subject_kind in subjects:
                key = f"{key_base}:{subject_kind}"
                if subject_kind == Kind.PRINCIPAL and enterprise.principal_id is None:
                    continue
                if DishonestyCase.objects.filter(source_key=key).exists():
                    continue
                try:
                    with transaction.atomic():
                        subject = _subject(
                            actor=actor, kind=subject_kind, enterprise=enterprise, person=enterprise.principal
                        )
                        _new_case(
                            actor=actor,
                            subject=subject,
                            situation=number,
                            basis=f"{labels[number]}。{basis}",
                            deciding_unit=_deciding_unit_for(enterprise.region_id),
                            source=DishonestyCase.Source.SWEEP,
                            source_key=key,
                        )
                except IntegrityError:  # another worker made this case (or its subject) first
                    continue
                made += 1
    return made


def sweep(*, today: date, now=None, stdout=None) -> dict[str, int]:
    """Daily, idempotent and safe with several workers: (1) listings past their last day are removed (期满移出) as
    the system actor, each claimed by the compare-and-set transition, and the party is told; (2) new candidates
    from the accidents module's data (each keyed, so twice adds nothing)."""
    counts = {"expired": 0, "candidates": 0}
    actor = system_actor()
    expire = find(DishonestyCase.TRANSITIONS, "expire")
    for case in DishonestyCase.objects.select_related("subject", "enterprise").filter(
        status__in=DishonestyCase.LISTED_STATES, expires_on__lt=today
    ):
        with transaction.atomic():
            try:
                apply_transition(
                    case,
                    expire,
                    actor=actor,
                    reason=record_text(gettext_lazy("管理期限届满")),
                    changes={"removed_on": today},
                )
            except DomainError:  # another worker expired it first
                continue
            counts["expired"] += 1
            _tell(
                _party_users(case),
                title=record_text(
                    gettext_lazy("严重失信主体名单管理期满移出：%(name)s"), name=case.subject.name
                ),
                body=str(_("管理期限至 %(d)s 届满。") % {"d": case.expires_on}),
                url=case_url(case),
                key=f"dishonesty:{case.pk}:expired",
            )
    with transaction.atomic():
        counts["candidates"] = _accident_candidates(actor=actor, today=today)
    return counts
