"""Use cases of the people part: the enterprise keeps its staff (each a kernel person, found or created by ID
number), records their certificates (a 特种作业操作证's dates from core.rules.certificate_dates), their 复审, the
principal's and safety managers' 考核 (passed by core.rules.certificate_exam_passed) and its training; the daily sweep
tells the enterprise of certificates entering their review window, overdue for review, expiring within 30 days and
expired — once per date, each claimed by a conditional UPDATE. Each use case checks scope, right and rules, saves with
one history row (actor and reason) and notifies after commit; nothing is half-saved."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import people as core_people
from anlan.core import recipients, records, units
from anlan.core import selectors as core_selectors
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.permissions import require
from anlan.core.records import check_rule
from anlan.core.rules import CERTIFICATE_REVIEW_WINDOW_DAYS, certificate_dates, certificate_exam_passed
from anlan.notifications.services import notify_after_commit

from .. import rules
from ..models import Assessment, Certificate, StaffMember, TrainingRecord
from ..models.people import RECORD_PEOPLE
from ..rules import PeopleCode
from ..selectors import people as selectors

NOTICE = "risk.people"
CATEGORY_CODES = frozenset(code for code, _label in Certificate.CATEGORIES)
COAL_CATEGORY = "coal_mine"


def _today() -> date:
    return timezone.localdate()


def _text(data: dict, key: str) -> str:
    return (data.get(key) or "").strip()


def _required(data: dict, key: str, label) -> str:
    value = _text(data, key)
    if not value:
        raise DomainError(PeopleCode.TEXT_MISSING, _("请填写%(label)s。") % {"label": label}, field=key)
    return value


def _day(data: dict, key: str, label, *, required: bool = True) -> date | None:
    value = data.get(key)
    if value is None and required:
        raise DomainError(PeopleCode.DATE_MISSING, _("请填写%(label)s。") % {"label": label}, field=key)
    if value is not None and value > _today():
        raise DomainError(
            PeopleCode.DATE_IN_FUTURE, _("%(label)s不能晚于今天。") % {"label": label}, field=key
        )
    return value


def _enterprise(actor, enterprise_pk):
    """The enterprise in the actor's scope (404 otherwise) whose people they may keep (403 otherwise)."""
    enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
    require(actor, RECORD_PEOPLE, enterprise)
    return enterprise


def _staff(actor, staff_pk, *, for_update: bool = False) -> StaffMember:
    staff = selectors.access_staff(actor, staff_pk, for_update=for_update)
    require(actor, RECORD_PEOPLE, staff)
    return staff


def _tell(users, *, title: str, body: str, url: str, key: str) -> None:
    notify_after_commit(users, kind=NOTICE, title=title, body=body, url=url, dedupe_key=key)


def certificate_url(certificate) -> str:
    return reverse("risk:people-certificate-detail", args=[certificate.pk])


def _roles(data: dict) -> dict:
    return {
        "is_principal": bool(data.get("is_principal")),
        "is_safety_manager": bool(data.get("is_safety_manager")),
        "is_special_operator": bool(data.get("is_special_operator")),
    }


# ---------------------------------------------------------------- staff


def add_staff(*, actor, enterprise_pk: int, data: dict) -> StaffMember:
    """登记从业人员: the person by name and ID number (one kernel person per number; a known number under another
    name is refused), the post, roles and the day hired. A person already on the enterprise's register is refused."""
    with transaction.atomic():
        staff = _add_staff(_enterprise(actor, enterprise_pk), actor, data)
        records.ensure_in_scope(actor, RECORD_PEOPLE, staff, "enterprise")
    return staff


def _add_staff(enterprise, actor, data: dict) -> StaffMember:
    """The change of `add_staff` once scope and right are checked (also the demo's, entering a paper register)."""
    with transaction.atomic():
        hired_on = data.get("hired_on")
        check_rule(rules.check_employment, hired_on, None, _today())
        post = _required(data, "post", _("岗位"))
        person = core_people.find_or_create_person(
            actor=actor,
            id_number=data.get("id_number") or "",
            name=data.get("name") or "",
            phone=_text(data, "phone"),
            employer=units.unit_for(enterprise),
        )
        if StaffMember.objects.filter(enterprise=enterprise, person=person).exists():
            raise DomainError(PeopleCode.DUPLICATE, _("此人已在本单位从业人员名册中。"), field="id_number")
        staff = StaffMember(
            enterprise=enterprise,
            person=person,
            post=post,
            hired_on=hired_on,
            recorded_by=actor,
            **_roles(data),
        )
        records.validate(staff)
        records.save_with_history(staff, actor, record_text(gettext_lazy("登记从业人员")))
    return staff


def update_staff(*, actor, staff_pk: int, data: dict) -> StaffMember:
    """修改从业人员: post, roles, the day hired and the day they left (离岗; a leaver's certificates no longer
    count on the enterprise's lists). One history row."""
    with transaction.atomic():
        staff = _staff(actor, staff_pk, for_update=True)
        hired_on, left_on = data.get("hired_on"), data.get("left_on")
        check_rule(rules.check_employment, hired_on, left_on, _today())
        records.update_with_history(
            staff,
            actor,
            record_text(
                gettext_lazy("离岗") if left_on and not staff.left_on else gettext_lazy("修改从业人员")
            ),
            post=_required(data, "post", _("岗位")),
            hired_on=hired_on,
            left_on=left_on,
            **_roles(data),
        )
    return staff


# ---------------------------------------------------------------- certificates


def record_certificate(*, actor, staff_pk: int, data: dict) -> Certificate:
    """登记证书 of a staff member. A 特种作业操作证 names its 作业类别; its last day, 复审 day and review window are
    computed (core.rules.certificate_dates: 6 years, 复审 every 3 — every 6 when the holder has 10 years or more in
    the same trade, complied and the authority agrees). A coal-mine certificate (作业类别 煤矿安全作业 or flagged)
    and a management 考核合格证 carry the dates printed on them (valid until required, review day optional)."""
    with transaction.atomic():
        certificate = _record_certificate(_staff(actor, staff_pk, for_update=True), actor, data)
        records.ensure_in_scope(actor, RECORD_PEOPLE, certificate, "enterprise")
    return certificate


def _record_certificate(staff, actor, data: dict) -> Certificate:
    """The change of `record_certificate` once scope and right are checked."""
    with transaction.atomic():
        kind = data.get("kind")
        if kind not in Certificate.Kind.values:
            raise DomainError(PeopleCode.KIND_INVALID, _("请选择证书类别。"), field="kind")
        category = data.get("category") or ""
        special = kind == Certificate.Kind.SPECIAL_OPERATION
        if special and category not in CATEGORY_CODES:
            raise DomainError(PeopleCode.CATEGORY_INVALID, _("请选择特种作业类别。"), field="category")
        if not special:
            category = ""
        is_coal = special and (bool(data.get("is_coal_mine")) or category == COAL_CATEGORY)
        issued_on = _day(data, "issued_on", _("初次领证日期"))
        years = check_rule(rules.check_certificate_years, data.get("continuous_years_same_trade") or 0)
        compliant = bool(data.get("compliant", True))
        agrees = bool(data.get("authority_agrees"))
        if special and not is_coal:
            dates = certificate_dates(
                issued_on, continuous_years_same_trade=years, compliant=compliant, authority_agrees=agrees
            )
            valid_until, review_due = dates.valid_until, dates.review_due
            interval, window = dates.review_interval_years, dates.review_window_opens
        else:
            valid_until = data.get("valid_until")
            if valid_until is None:
                raise DomainError(PeopleCode.DATE_MISSING, _("请填写证书载明的有效期。"), field="valid_until")
            if valid_until < issued_on:
                raise DomainError(PeopleCode.DATE_ORDER, _("有效期不能早于领证日期。"), field="valid_until")
            review_due = data.get("review_due")
            if review_due is not None and not issued_on <= review_due <= valid_until:
                raise DomainError(
                    PeopleCode.DATE_ORDER, _("复审日期须在领证日期与有效期之间。"), field="review_due"
                )
            interval = None
            window = None
            if review_due is not None:
                window = review_due - timedelta(days=CERTIFICATE_REVIEW_WINDOW_DAYS)
        number = _required(data, "number", _("证书编号"))
        if Certificate.objects.filter(kind=kind, number=number).exists():
            raise DomainError(PeopleCode.DUPLICATE, _("该证书编号已登记。"), field="number")
        certificate = Certificate(
            staff=staff,
            enterprise=staff.enterprise,
            kind=kind,
            category=category,
            operation_item=_text(data, "operation_item"),
            number=number,
            issuing_authority=_required(data, "issuing_authority", _("发证机关")),
            issued_on=issued_on,
            continuous_years_same_trade=years,
            compliant=compliant,
            authority_agrees=agrees,
            is_coal_mine=is_coal,
            coal_note=_text(data, "coal_note") if is_coal else "",
            valid_until=valid_until,
            review_due=review_due,
            review_interval_years=interval,
            review_window_opens=window,
            recorded_by=actor,
        )
        records.validate(certificate)
        records.save_with_history(certificate, actor, record_text(gettext_lazy("登记证书")))
    return certificate


def record_review(*, actor, certificate_pk: int, reviewed_on: date | None) -> Certificate:
    """登记复审: the day the 复审 was passed — on or after the review window opened (30号令 第二十二条) and not
    after the certificate's last day or today. Only a certificate with a 复审 before its last day has one."""
    with transaction.atomic():
        certificate = selectors.access_certificate(actor, certificate_pk, for_update=True)
        require(actor, RECORD_PEOPLE, certificate)
        return _record_review(certificate, actor, reviewed_on)


def _record_review(certificate, actor, reviewed_on: date | None) -> Certificate:
    """The change of `record_review` once scope and right are checked."""
    with transaction.atomic():
        if certificate.review_due is None or certificate.review_due >= certificate.valid_until:
            raise DomainError(
                PeopleCode.NOT_REVIEWABLE,
                _("该证书在有效期内无需单独复审（随换证复审）。"),
                field="reviewed_on",
            )
        if reviewed_on is None:
            raise DomainError(PeopleCode.DATE_MISSING, _("请填写复审日期。"), field="reviewed_on")
        if reviewed_on > _today():
            raise DomainError(PeopleCode.DATE_IN_FUTURE, _("复审日期不能晚于今天。"), field="reviewed_on")
        if not certificate.review_window_opens <= reviewed_on <= certificate.valid_until:
            raise DomainError(
                PeopleCode.DATE_ORDER,
                _("复审日期须在 %(start)s（复审申请起始日）至 %(end)s（有效期至）之间。")
                % {"start": certificate.review_window_opens, "end": certificate.valid_until},
                field="reviewed_on",
            )
        records.update_with_history(
            certificate, actor, record_text(gettext_lazy("登记复审")), last_reviewed_on=reviewed_on
        )
    return certificate


# ---------------------------------------------------------------- assessments and training


def record_assessment(*, actor, staff_pk: int, data: dict) -> Assessment:
    """登记考核 of a principal or safety manager: the day, the assessing authority and the score; passed at 80 or
    more (core.rules.certificate_exam_passed)."""
    with transaction.atomic():
        return _record_assessment(_staff(actor, staff_pk, for_update=True), actor, data)


def _record_assessment(staff, actor, data: dict) -> Assessment:
    """The change of `record_assessment` once scope and right are checked."""
    with transaction.atomic():
        kind = data.get("kind")
        if kind not in Assessment.Kind.values:
            raise DomainError(PeopleCode.KIND_INVALID, _("请选择考核类别。"), field="kind")
        assessed_on = _day(data, "assessed_on", _("考核日期"))
        score = check_rule(rules.check_score, data.get("score"))
        assessment = Assessment(
            staff=staff,
            enterprise=staff.enterprise,
            kind=kind,
            assessed_on=assessed_on,
            assessor=_required(data, "assessor", _("考核机关")),
            score=score,
            passed=certificate_exam_passed(score),
            note=_text(data, "note"),
            recorded_by=actor,
        )
        records.validate(assessment)
        records.save_with_history(assessment, actor, record_text(gettext_lazy("登记考核")))
    return assessment


def record_training(*, actor, enterprise_pk: int, data: dict) -> TrainingRecord:
    """登记培训: the day, subject, kind, 学时 (0 < h ≤ 200), trainer and the attendees — staff of this enterprise,
    at least one."""
    with transaction.atomic():
        return _record_training(_enterprise(actor, enterprise_pk), actor, data)


def _record_training(enterprise, actor, data: dict) -> TrainingRecord:
    """The change of `record_training` once scope and right are checked."""
    with transaction.atomic():
        held_on = _day(data, "held_on", _("培训日期"))
        kind = data.get("kind") or TrainingRecord.Kind.ANNUAL
        if kind not in TrainingRecord.Kind.values:
            raise DomainError(PeopleCode.KIND_INVALID, _("请选择培训类别。"), field="kind")
        hours = check_rule(rules.check_training_hours, data.get("hours"))
        ids = {int(pk) for pk in data.get("attendees") or []}
        if not ids:
            raise DomainError(PeopleCode.ATTENDEES_MISSING, _("请选择参训人员。"), field="attendees")
        attendees = list(StaffMember.objects.filter(enterprise=enterprise, pk__in=ids))
        if len(attendees) != len(ids):
            raise DomainError(
                PeopleCode.ATTENDEE_INVALID, _("参训人员须为本单位从业人员。"), field="attendees"
            )
        training = TrainingRecord(
            enterprise=enterprise,
            held_on=held_on,
            subject=_required(data, "subject", _("培训主题")),
            kind=kind,
            hours=hours,
            trainer=_required(data, "trainer", _("授课人（机构）")),
            note=_text(data, "note"),
            recorded_by=actor,
        )
        records.validate(training)
        records.save_with_history(
            training, actor, record_text(gettext_lazy("登记培训记录")), m2m={"attendees": attendees}
        )
    return training


# ---------------------------------------------------------------- the daily sweep

SWEEP_NOTICES = (
    # (state, claim field, the date it is claimed for, title)
    (rules.REVIEW_WINDOW, "window_notified_for", "review_due", gettext_lazy("证书进入复审期")),
    (rules.REVIEW_OVERDUE, "overdue_notified_for", "review_due", gettext_lazy("证书逾期未复审")),
    (rules.EXPIRING, "expiring_notified_for", "valid_until", gettext_lazy("证书 30 天内到期")),
    (rules.EXPIRED, "expired_notified_for", "valid_until", gettext_lazy("证书已过期")),
)


def _claim(pk: int, field: str, value: date) -> bool:
    """Mark a certificate told for `value` with a conditional UPDATE: True for the one worker that wins."""
    return bool(Certificate.objects.filter(pk=pk).exclude(**{field: value}).update(**{field: value}))


def sweep(*, today: date, now=None, stdout=None) -> dict[str, int]:
    """Daily, idempotent and safe with several workers: each certificate of a current staff member, not replaced by
    a later one, in its review window, overdue for 复审, expiring within 30 days or expired, tells the enterprise
    once per review day (or last day) and state — a conditional UPDATE on the claim column decides who tells."""
    counts = {state: 0 for state, *_rest in SWEEP_NOTICES}
    base = (
        selectors.with_state(Certificate.objects.select_related("enterprise", "staff__person"), today)
        .filter(staff__left_on__isnull=True)
        .exclude(selectors._superseded())
    )
    for state, field, date_field, title in SWEEP_NOTICES:
        pending = base.filter(state=state).filter(
            Q(**{f"{field}__isnull": True}) | ~Q(**{field: F(date_field)})
        )
        for certificate in pending:
            on = getattr(certificate, date_field)
            with transaction.atomic():
                if not _claim(certificate.pk, field, on):
                    continue
                counts[state] += 1
                _tell(
                    recipients.enterprise_users(certificate.enterprise),
                    title=record_text(
                        gettext_lazy("%(title)s：%(name)s %(kind)s"),
                        title=title,
                        name=certificate.staff.person.name,
                        kind=certificate.get_kind_display(),
                    ),
                    body=str(
                        _("证书编号 %(no)s，复审日期 %(review)s，有效期至 %(until)s。")
                        % {
                            "no": certificate.number,
                            "review": certificate.review_due or "—",
                            "until": certificate.valid_until,
                        }
                    ),
                    url=certificate_url(certificate),
                    key=f"certificate:{certificate.pk}:{state}:{on}",
                )
    if stdout is not None:
        stdout.write(f"risk people: {counts}\n")
    return counts
