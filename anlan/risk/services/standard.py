"""Use cases of 标准化, 安责险, 安全生产费用 and 安全生产责任制: the enterprise (or a supervisor for it) records its
grade, policies and their technical services, the year's spending and its responsibility system; a supervisor
confirms a grade against the announcement, withdraws it (撤销) or dismisses a withdrawal flag; a reported accident
that meets a withdrawal condition flags the enterprise's grade 待撤销审查 (the `accidents.reported` handler); the
daily sweep expires grades and tells of grades and policies running out or lapsed. Each checks scope, right and
rules, saves with one history row (actor and reason) and notifies after commit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import recipients, records
from anlan.core import selectors as core_selectors
from anlan.core.audit import record_text, system_actor
from anlan.core.errors import DomainError
from anlan.core.permissions import require
from anlan.core.records import check_rule
from anlan.core.workflow import apply_transition, find
from anlan.notifications.services import notify_after_commit

from .. import rules
from ..data import standard as standard_data
from ..models import (
    LiabilityPolicy,
    PolicyService,
    ResponsibilitySystem,
    SafetySpending,
    SpendingUse,
    StandardisationGrade,
)
from ..models.standard import CONFIRM_GRADE, RECORD_STANDARD
from ..rules import StandardCode
from ..selectors import standard as selectors

NOTICE = "risk.standard"
# How sure a rule is, in the words the pages use (data/standard.py).
CONFIDENCE_WORDS = {
    standard_data.CONFIRMED: "已确认",
    standard_data.LIKELY: "较可能",
    standard_data.UNCONFIRMED: "未确认",
}
Grade = StandardisationGrade


def _today() -> date:
    return timezone.localdate()


def _text(data_: dict, key: str) -> str:
    return (data_.get(key) or "").strip()


def _required(data_: dict, key: str, label) -> str:
    value = _text(data_, key)
    if not value:
        raise DomainError(StandardCode.TEXT_MISSING, _("请填写%(label)s。") % {"label": label}, field=key)
    return value


def _amount(data_: dict, key: str, label, *, required: bool = True) -> Decimal:
    raw = data_.get(key)
    if raw in (None, ""):
        if not required:
            return Decimal("0")
        raise DomainError(StandardCode.AMOUNT_INVALID, _("请填写%(label)s。") % {"label": label}, field=key)
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(
            StandardCode.AMOUNT_INVALID, _("%(label)s须为数字。") % {"label": label}, field=key
        ) from exc
    if not value.is_finite() or value < 0:
        raise DomainError(
            StandardCode.AMOUNT_NEGATIVE, _("%(label)s不能为负数。") % {"label": label}, field=key
        )
    return value.quantize(Decimal("0.01"))


def _enterprise(actor, enterprise_pk):
    """The enterprise in the actor's scope (404 otherwise) on which they may record (403 otherwise)."""
    enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
    require(actor, RECORD_STANDARD, enterprise)
    return enterprise


def _tell(users, *, title: str, body: str, url: str, key: str) -> None:
    notify_after_commit(users, kind=NOTICE, title=title, body=body, url=url, dedupe_key=key)


def _supervisors(enterprise):
    """Who supervises the enterprise: its industry's departments there and its town's office."""
    return [
        *recipients.supervising_staff(enterprise.region_id, enterprise.industry_id),
        *recipients.town_office(enterprise.region_id),
    ]


def grade_url(grade) -> str:
    return reverse("risk:standard-grade-detail", args=[grade.pk])


def policy_url(policy) -> str:
    return reverse("risk:standard-policy-detail", args=[policy.pk])


# ---------------------------------------------------------------- 标准化等级


def record_grade(*, actor, enterprise_pk: int, data: dict) -> StandardisationGrade:
    """登记标准化等级: the grade, the issuing level (by default the grade's: 一级 national, 二级 province, 三级 city
    or county), the issuing authority, the certificate or announcement number and the day issued; valid 3 years
    (rules.grade_valid_until). A grade already past its last day is recorded as expired. Its supervisors are told
    so they can confirm it."""
    with transaction.atomic():
        enterprise = _enterprise(actor, enterprise_pk)
        grade_value = data.get("grade")
        if grade_value not in rules.STANDARD_GRADES:
            raise DomainError(StandardCode.GRADE_INVALID, _("请选择标准化等级。"), field="grade")
        issued_on = data.get("issued_on")
        if issued_on is None:
            raise DomainError(StandardCode.TEXT_MISSING, _("请填写定级日期。"), field="issued_on")
        today = _today()
        if issued_on > today:
            raise DomainError(StandardCode.ISSUED_IN_FUTURE, _("定级日期不能晚于今天。"), field="issued_on")
        valid_until = rules.grade_valid_until(issued_on)
        grade = StandardisationGrade(
            enterprise=enterprise,
            grade=grade_value,
            issuing_level=data.get("issuing_level") or rules.issuing_level_of(grade_value),
            issuing_authority=_required(data, "issuing_authority", _("定级部门")),
            certificate_no=_required(data, "certificate_no", _("证书（公告）编号")),
            specialty=_text(data, "specialty"),
            issued_on=issued_on,
            valid_until=valid_until,
            status=Grade.Status.CURRENT if valid_until >= today else Grade.Status.EXPIRED,
            recorded_by=actor,
        )
        if StandardisationGrade.objects.filter(
            enterprise=enterprise, certificate_no=grade.certificate_no, grade=grade_value
        ).exists():
            raise DomainError(StandardCode.DUPLICATE, _("该证书编号的等级已登记。"), field="certificate_no")
        records.validate(grade)
        records.save_with_history(grade, actor, record_text(gettext_lazy("登记标准化等级")))
        records.ensure_in_scope(actor, RECORD_STANDARD, grade, "enterprise")
        _tell(
            _supervisors(enterprise),
            title=record_text(
                gettext_lazy("%(name)s登记了%(grade)s标准化等级，请核实"),
                name=enterprise.name,
                grade=grade.get_grade_display(),
            ),
            body=str(
                _("证书（公告）编号 %(no)s，定级日期 %(on)s，有效期至 %(until)s。")
                % {"no": grade.certificate_no, "on": issued_on, "until": valid_until}
            ),
            url=grade_url(grade),
            key=f"grade:{grade.pk}:recorded",
        )
    return grade


def confirm_grade(*, actor, grade_pk: int) -> StandardisationGrade:
    """核实: a supervisor in scope confirms the grade against the published announcement (once)."""
    with transaction.atomic():
        grade = selectors.access_grade(actor, grade_pk, for_update=True)
        require(actor, CONFIRM_GRADE, grade)
        if grade.confirmed_at is not None:
            raise DomainError(StandardCode.ALREADY_CONFIRMED, _("该等级已核实。"), field="__all__")
        records.update_with_history(
            grade,
            actor,
            record_text(gettext_lazy("核实标准化等级")),
            confirmed_by=actor,
            confirmed_at=timezone.now(),
        )
    return grade


def _step(actor, grade_pk: int, name: str, reason: str, changes: dict) -> StandardisationGrade:
    grade = selectors.access_grade(actor, grade_pk, for_update=True)
    transition = find(StandardisationGrade.TRANSITIONS, name)
    require(actor, transition.right, grade)
    apply_transition(grade, transition, actor=actor, reason=reason, changes=changes)
    return grade


def withdraw_grade(*, actor, grade_pk: int, reason: str, basis: str = "") -> StandardisationGrade:
    """撤销等级: by the supervising department (never the enterprise), with the reason and the rule it rests on (a
    flagged grade keeps the conditions that flagged it when no basis is given). The enterprise is told."""
    reason = (reason or "").strip()
    with transaction.atomic():
        current = selectors.access_grade(actor, grade_pk)
        basis = (basis or "").strip() or current.flag_basis
        grade = _step(
            actor,
            grade_pk,
            "withdraw",
            reason,
            {"withdrawn_on": _today(), "withdrawal_reason": reason, "withdrawal_basis": basis},
        )
        _tell(
            recipients.enterprise_users(grade.enterprise),
            title=record_text(
                gettext_lazy("%(grade)s安全生产标准化等级已撤销"), grade=grade.get_grade_display()
            ),
            body=reason,
            url=grade_url(grade),
            key=f"grade:{grade.pk}:withdrawn",
        )
    return grade


def dismiss_flag(*, actor, grade_pk: int, reason: str) -> StandardisationGrade:
    """不予撤销: the supervisor finds the flag does not withdraw the grade (e.g. the enterprise bore no
    responsibility); the grade holds again, the reason kept."""
    reason = (reason or "").strip()
    with transaction.atomic():
        return _step(actor, grade_pk, "dismiss", reason, {"review_note": reason})


def take_transition(*, actor, grade, transition, data: dict) -> StandardisationGrade:
    """The transition view's entry: the step's service with its form's data."""
    if transition.name == "withdraw":
        return withdraw_grade(
            actor=actor, grade_pk=grade.pk, reason=data.get("reason", ""), basis=data.get("basis", "")
        )
    return dismiss_flag(actor=actor, grade_pk=grade.pk, reason=data.get("reason", ""))


def basis_text(conditions) -> str:
    """The matched withdrawal conditions in words, each with its source and how sure it is."""
    return "\n".join(
        f"{c.text}（{c.source.title}；{record_text(CONFIDENCE_WORDS[c.source.confidence])}）"
        for c in conditions
    )


def on_accident_reported(accident, **payload) -> list[int]:
    """Handler of `accidents.reported`: an accident of an enterprise holding a grade — inside the grade's validity
    and meeting a withdrawal condition (rules.withdrawal_conditions: deaths for 一级, 较大 or worse for every
    grade) — flags the grade 待撤销审查 as the system actor and tells the supervisors and the enterprise. Returns
    the flagged grades' ids; runs again harmlessly (a flagged grade is no longer current)."""
    if not getattr(accident, "enterprise_id", None):
        return []
    occurred_on = timezone.localtime(accident.occurred_at).date()
    # The accidents module's counted deaths (missing persons included, as it grades) where the payload has them.
    deaths = getattr(accident, "counted_deaths", None)
    facts = {
        "deaths": int(accident.deaths if deaths is None else deaths),
        "accident_grade": accident.grade or None,
    }
    flagged: list[int] = []
    transition = find(StandardisationGrade.TRANSITIONS, "flag")
    with transaction.atomic():
        actor = system_actor()
        grades = StandardisationGrade.objects.select_related("enterprise").filter(
            enterprise_id=accident.enterprise_id, status=Grade.Status.CURRENT
        )
        for grade in grades:
            if not rules.accident_within_grade(grade.issued_on, grade.valid_until, occurred_on):
                continue
            met = rules.withdrawal_conditions(grade.grade, facts)
            if not met:
                continue
            basis = basis_text(met)
            reason = record_text(
                gettext_lazy("事故“%(title)s”符合撤销条件，标记待撤销审查"), title=accident.title[:100]
            )
            try:
                apply_transition(
                    grade,
                    transition,
                    actor=actor,
                    reason=reason,
                    changes={
                        "flagged_at": timezone.now(),
                        "flag_accident_id": accident.pk,
                        "flag_basis": basis,
                    },
                )
            except DomainError:  # withdrawn or flagged by someone else meanwhile: nothing left to flag
                continue
            flagged.append(grade.pk)
            title = record_text(
                gettext_lazy("%(name)s%(grade)s标准化等级待撤销审查"),
                name=grade.enterprise.name,
                grade=grade.get_grade_display(),
            )
            key = f"grade:{grade.pk}:flagged:{accident.pk}"
            _tell(_supervisors(grade.enterprise), title=title, body=basis, url=grade_url(grade), key=key)
            _tell(
                recipients.enterprise_users(grade.enterprise),
                title=title,
                body=basis,
                url=grade_url(grade),
                key=key,
            )
    return flagged


# ---------------------------------------------------------------- 安责险


def record_policy(*, actor, enterprise_pk: int, data: dict) -> LiabilityPolicy:
    """登记安责险保单: insurer, number, period (止期不早于起期), people insured, the per-person and total limits,
    premium and whether third-party technical services are provided. A per-person limit below the national
    minimum is recorded and shown as such (local minimums may differ)."""
    with transaction.atomic():
        enterprise = _enterprise(actor, enterprise_pk)
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on is None:
            raise DomainError(StandardCode.TEXT_MISSING, _("请填写保险起期。"), field="starts_on")
        if ends_on is None:
            raise DomainError(StandardCode.TEXT_MISSING, _("请填写保险止期。"), field="ends_on")
        check_rule(rules.check_policy_period, starts_on, ends_on)
        policy = LiabilityPolicy(
            enterprise=enterprise,
            insurer=_required(data, "insurer", _("承保公司")),
            policy_no=_required(data, "policy_no", _("保单号")),
            starts_on=starts_on,
            ends_on=ends_on,
            insured_people=data.get("insured_people") or 0,
            per_person_amount=_amount(data, "per_person_amount", _("每人死亡伤残责任限额")),
            total_amount=_amount(data, "total_amount", _("累计责任限额")),
            premium=_amount(data, "premium", _("保费")),
            technical_service=bool(data.get("technical_service")),
            recorded_by=actor,
        )
        if LiabilityPolicy.objects.filter(insurer=policy.insurer, policy_no=policy.policy_no).exists():
            raise DomainError(StandardCode.DUPLICATE, _("该承保公司的此保单号已登记。"), field="policy_no")
        records.validate(policy)
        records.save_with_history(policy, actor, record_text(gettext_lazy("登记安责险保单")))
        records.ensure_in_scope(actor, RECORD_STANDARD, policy, "enterprise")
    return policy


def record_policy_service(*, actor, policy_pk: int, data: dict) -> PolicyService:
    """登记事故预防技术服务 under a policy (seed-map I3)."""
    with transaction.atomic():
        policy = selectors.access_policy(actor, policy_pk, for_update=True)
        require(actor, RECORD_STANDARD, policy)
        served_on = data.get("served_on")
        if served_on is None:
            raise DomainError(StandardCode.TEXT_MISSING, _("请填写服务日期。"), field="served_on")
        if served_on > _today():
            raise DomainError(StandardCode.ISSUED_IN_FUTURE, _("服务日期不能晚于今天。"), field="served_on")
        service = PolicyService(
            policy=policy,
            served_on=served_on,
            provider=_required(data, "provider", _("服务机构")),
            content=_required(data, "content", _("服务内容")),
            findings=_text(data, "findings"),
            recorded_by=actor,
        )
        records.validate(service)
        records.save_with_history(service, actor, record_text(gettext_lazy("登记安责险技术服务")))
    return service


# ---------------------------------------------------------------- 安全生产费用 and 责任制


def record_spending(*, actor, enterprise_pk: int, data: dict) -> SafetySpending:
    """登记安全生产费用: a year's extracted amount and the amounts used by category (财资〔2022〕136号); the year's
    row is created or replaced, its uses kept one row per category, each change with its history row."""
    with transaction.atomic():
        enterprise = _enterprise(actor, enterprise_pk)
        year = data.get("year")
        if not isinstance(year, int) or not 2000 <= year <= _today().year:
            raise DomainError(StandardCode.YEAR_INVALID, _("年度须在 2000 年至今年之间。"), field="year")
        extracted = _amount(data, "extracted", _("提取金额"))
        used = {
            code: _amount(data, f"used_{code}", label, required=False)
            for code, label, _confidence in data_categories()
        }
        check_rule(rules.check_spending, extracted, used)
        total = sum(used.values(), Decimal("0"))
        spending = SafetySpending.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
        reason = record_text(gettext_lazy("登记%(year)s年安全生产费用"), year=year)
        if spending is None:
            spending = SafetySpending(enterprise=enterprise, year=year, recorded_by=actor)
        spending.extracted = extracted
        spending.used = total
        spending.note = _text(data, "note")
        spending.recorded_by = actor
        records.validate(spending)
        records.save_with_history(spending, actor, reason)
        existing = {use.category: use for use in SpendingUse.objects.filter(spending=spending)}
        for code, amount in used.items():
            use = existing.get(code)
            if use is None and amount == 0:
                continue
            if use is None:
                use = SpendingUse(spending=spending, category=code, amount=amount)
                records.save_with_history(use, actor, reason)
            elif amount == 0:
                records.delete_with_history(use, actor, reason)
            elif use.amount != amount:
                use.amount = amount
                records.save_with_history(use, actor, reason)
        records.ensure_in_scope(actor, RECORD_STANDARD, spending, "enterprise")
    return spending


def data_categories():
    return standard_data.SPENDING_CATEGORIES


def record_responsibility(*, actor, enterprise_pk: int, data: dict) -> ResponsibilitySystem:
    """登记全员安全生产责任制 (安全生产法 第二十二条): the document's title, number and the day it was issued."""
    with transaction.atomic():
        enterprise = _enterprise(actor, enterprise_pk)
        adopted_on = data.get("adopted_on")
        if adopted_on is None:
            raise DomainError(StandardCode.TEXT_MISSING, _("请填写印发日期。"), field="adopted_on")
        if adopted_on > _today():
            raise DomainError(StandardCode.ISSUED_IN_FUTURE, _("印发日期不能晚于今天。"), field="adopted_on")
        document = ResponsibilitySystem(
            enterprise=enterprise,
            title=_required(data, "title", _("文件名称")),
            document_no=_text(data, "document_no"),
            adopted_on=adopted_on,
            recorded_by=actor,
        )
        records.validate(document)
        records.save_with_history(document, actor, record_text(gettext_lazy("登记安全生产责任制")))
    return document


# ---------------------------------------------------------------- the daily sweep


def _claim(model, pk: int, field: str, value: date) -> bool:
    """Mark a row told for `value` with a conditional UPDATE: True for the one worker that wins."""
    return bool(model.objects.filter(pk=pk).exclude(**{field: value}).update(**{field: value}))


def sweep(*, today: date, now=None, stdout=None) -> dict[str, int]:
    """Daily, idempotent and safe with several workers (each row claimed by a conditional UPDATE):
    (1) grades past their last day expire (as the system actor) and the enterprise is told;
    (2) grades ending within 90 days: the enterprise is told once per last day;
    (3) policies ending within 30 days with no later policy: the enterprise is told once per end day;
    (4) policies of compulsory-industry enterprises that ended with nothing covering today or later (脱保): the
    enterprise and its supervisors are told once per end day."""
    counts = {"grades_expired": 0, "grades_expiring": 0, "policies_expiring": 0, "policies_lapsed": 0}
    actor = system_actor()
    expire = find(StandardisationGrade.TRANSITIONS, "expire")
    for grade in StandardisationGrade.objects.select_related("enterprise").filter(
        status__in=rules.GRADE_HOLDING_STATUSES, valid_until__lt=today
    ):
        with transaction.atomic():
            try:
                apply_transition(grade, expire, actor=actor, reason=record_text(gettext_lazy("有效期届满")))
            except DomainError:  # another worker expired it first
                continue
            counts["grades_expired"] += 1
            _tell(
                recipients.enterprise_users(grade.enterprise),
                title=record_text(
                    gettext_lazy("%(grade)s安全生产标准化等级已过期"), grade=grade.get_grade_display()
                ),
                body=str(_("有效期至 %(d)s，请重新申请定级。") % {"d": grade.valid_until}),
                url=grade_url(grade),
                key=f"grade:{grade.pk}:expired",
            )
    horizon = today + timedelta(days=rules.GRADE_EXPIRY_NOTICE_DAYS)
    expiring = StandardisationGrade.objects.filter(
        status__in=rules.GRADE_HOLDING_STATUSES, valid_until__gte=today, valid_until__lte=horizon
    ).exclude(expiry_notified_for=F("valid_until"))
    for grade in expiring.select_related("enterprise"):
        with transaction.atomic():
            if not _claim(StandardisationGrade, grade.pk, "expiry_notified_for", grade.valid_until):
                continue
            counts["grades_expiring"] += 1
            _tell(
                recipients.enterprise_users(grade.enterprise),
                title=record_text(
                    gettext_lazy("%(grade)s安全生产标准化等级即将到期"), grade=grade.get_grade_display()
                ),
                body=str(_("有效期至 %(d)s。") % {"d": grade.valid_until}),
                url=grade_url(grade),
                key=f"grade:{grade.pk}:expiring:{grade.valid_until}",
            )
    later = LiabilityPolicy.objects.filter(enterprise=OuterRef("enterprise"), ends_on__gt=OuterRef("ends_on"))
    policy_horizon = today + timedelta(days=rules.POLICY_EXPIRY_NOTICE_DAYS)
    ending = (
        LiabilityPolicy.objects.filter(ends_on__gte=today, ends_on__lte=policy_horizon)
        .filter(~Exists(later))
        .exclude(expiry_notified_for=F("ends_on"))
        .select_related("enterprise")
    )
    for policy in ending:
        with transaction.atomic():
            if not _claim(LiabilityPolicy, policy.pk, "expiry_notified_for", policy.ends_on):
                continue
            counts["policies_expiring"] += 1
            _tell(
                recipients.enterprise_users(policy.enterprise),
                title=record_text(gettext_lazy("安责险保单 %(no)s 即将到期"), no=policy.policy_no),
                body=str(_("保险止期 %(d)s，请及时续保（不得延迟续保）。") % {"d": policy.ends_on}),
                url=policy_url(policy),
                key=f"policy:{policy.pk}:expiring:{policy.ends_on}",
            )
    covering = LiabilityPolicy.objects.filter(enterprise=OuterRef("enterprise"), ends_on__gte=today)
    lapsed = (
        LiabilityPolicy.objects.filter(
            ends_on__lt=today, enterprise__industry_id__in=selectors.compulsory_industry_ids()
        )
        .filter(~Exists(later), ~Exists(covering))
        .filter(Q(lapse_notified_for__isnull=True) | ~Q(lapse_notified_for=F("ends_on")))
        .select_related("enterprise")
    )
    for policy in lapsed:
        with transaction.atomic():
            if not _claim(LiabilityPolicy, policy.pk, "lapse_notified_for", policy.ends_on):
                continue
            counts["policies_lapsed"] += 1
            title = record_text(gettext_lazy("%(name)s安责险已脱保"), name=policy.enterprise.name)
            body = str(
                _("保单 %(no)s 已于 %(d)s 到期，未登记续保。") % {"no": policy.policy_no, "d": policy.ends_on}
            )
            key = f"policy:{policy.pk}:lapsed:{policy.ends_on}"
            _tell(
                recipients.enterprise_users(policy.enterprise),
                title=title,
                body=body,
                url=policy_url(policy),
                key=key,
            )
            _tell(_supervisors(policy.enterprise), title=title, body=body, url=policy_url(policy), key=key)
    if stdout is not None:
        stdout.write(f"risk standard: {counts}\n")
    return counts
