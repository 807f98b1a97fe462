"""Use cases of accident reporting and investigation. Each: access (scoped, locked) → right → rules →
change → audit (history with actor and reason) → notifications on commit, in one transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core.audit import record_text
from anlan.core.errors import Code, DomainError
from anlan.core.models import Enterprise, Industry, Membership, Region, Role
from anlan.core.permissions import require, require_right, roles_with_right
from anlan.core.scope import memberships_of, supervised_industry_ids
from anlan.core.services import _ensure_in_scope, _save_with_history, _validate
from anlan.core.workflow import apply_transition, find
from anlan.notifications.services import notify, recipients_for

from . import rules, selectors
from .models import (
    Accident,
    AccidentReport,
    Investigation,
    MinorEvent,
    PreventiveMeasure,
    RegionEconomy,
    ReportingFinding,
    ReportStep,
    Responsibility,
)

COUNT_FIELDS = ("deaths", "missing", "serious_injuries", "minor_injuries")
MAX_LOSS_YUAN = Decimal("999999999999.99")
REPORT = "accidents.report_accident"
RECEIVE = "accidents.receive_report"
INVESTIGATE = "accidents.manage_investigation"


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


# ---------------------------------------------------------------- input checks


def clean_counts(data: dict, model=Accident) -> dict[str, int]:
    """Casualty counts: whole numbers, not negative; the message names the field."""
    counts = {}
    for name in COUNT_FIELDS:
        value = data.get(name, 0)
        if value in (None, ""):
            value = 0
        try:
            number = int(value)
            if number != Decimal(str(value)):
                raise ValueError
        except (TypeError, ValueError, InvalidOperation) as exc:
            raise DomainError(
                Code.INVALID, _("%(field)s应为整数。") % {"field": _label(model, name)}, field=name
            ) from exc
        if number < 0:
            raise DomainError(
                Code.INVALID, _("%(field)s不能为负数。") % {"field": _label(model, name)}, field=name
            )
        counts[name] = number
    return counts


def clean_loss(value) -> Decimal:
    """Direct economic loss in yuan: not negative, at most two decimals (分)."""
    field = "direct_loss_yuan"
    try:
        loss = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise DomainError(Code.INVALID, _("直接经济损失应为数字（元）。"), field=field) from exc
    if not loss.is_finite():
        raise DomainError(Code.INVALID, _("直接经济损失应为数字（元）。"), field=field)
    if loss < 0:
        raise DomainError(Code.INVALID, _("直接经济损失不能为负数。"), field=field)
    if loss != loss.quantize(Decimal("0.01")):
        raise DomainError(Code.INVALID, _("直接经济损失最多保留两位小数（精确到分）。"), field=field)
    if loss > MAX_LOSS_YUAN:
        raise DomainError(Code.INVALID, _("直接经济损失数额过大，请核对单位（元）。"), field=field)
    return loss.quantize(Decimal("0.01"))


def _clean_times(occurred_at: datetime, head_notified_at: datetime | None, now: datetime) -> None:
    if occurred_at is None:
        raise DomainError(Code.INVALID, _("请填写事故发生时间。"), field="occurred_at")
    if occurred_at > now:
        raise DomainError(
            Code.INVALID, _("事故发生时间不能晚于报告接收时间（当前时间）。"), field="occurred_at"
        )
    if head_notified_at is not None:
        if head_notified_at < occurred_at:
            raise DomainError(
                Code.INVALID, _("单位负责人接报时间不能早于事故发生时间。"), field="head_notified_at"
            )
        if head_notified_at > now:
            raise DomainError(
                Code.INVALID,
                _("单位负责人接报时间不能晚于报告接收时间（当前时间）。"),
                field="head_notified_at",
            )


def _reporting_memberships(actor):
    roles = roles_with_right(REPORT)
    return [m for m in memberships_of(actor) if m.role in roles]


def _check_reporting_scope(actor, region: Region, industry, enterprise: Enterprise | None) -> None:
    """Region, industry and enterprise must lie inside the reporter's jurisdiction; the error names the field."""
    if actor.is_superuser:
        return
    if region.level < Region.Level.COUNTY:
        raise DomainError(Code.INVALID, _("发生地区划应选择到县级或以下。"), field="region")
    memberships = _reporting_memberships(actor)
    if enterprise is not None and not Enterprise.objects.for_user(actor).filter(pk=enterprise.pk).exists():
        raise DomainError(Code.OUT_OF_SCOPE, _("事故单位不在您的管辖范围内。"), field="enterprise")
    own = [m for m in memberships if m.role == Role.ENTERPRISE]
    if own and len(own) == len(memberships) and enterprise is None:
        raise DomainError(Code.INVALID, _("企业用户报告事故须选择本单位。"), field="enterprise")

    def region_ok(m) -> bool:
        if m.role == Role.ENTERPRISE:
            # An enterprise may have an accident off its own premises, but inside its county.
            return (
                enterprise is not None
                and enterprise.pk == m.enterprise_id
                and (region.code[:6] == m.enterprise.region_id[:6])
            )
        anchor = m.anchor_region
        return anchor is not None and anchor.contains(region.code)

    def industry_ok(m) -> bool:
        if m.role == Role.DEPARTMENT:
            return industry.pk in supervised_industry_ids(m.department)
        if m.role == Role.ENTERPRISE:
            allowed = {m.enterprise.industry_id, *m.enterprise.other_industries.values_list("pk", flat=True)}
            return industry.pk in allowed
        return True

    placed = [m for m in memberships if region_ok(m)]
    if not placed:
        raise DomainError(Code.OUT_OF_SCOPE, _("发生地区划不在您的管辖范围内。"), field="region")
    if not any(industry_ok(m) for m in placed):
        raise DomainError(Code.OUT_OF_SCOPE, _("行业领域不在您的监管范围内。"), field="industry")


def _grade(counts: dict[str, int], loss_yuan: Decimal) -> tuple[str, str]:
    grade, criteria = rules.grade_with_criteria(
        counts["deaths"] + counts["missing"], counts["serious_injuries"], loss_yuan / 10000
    )
    return grade, str(criteria[0])


def accident_title(enterprise, region, occurred_at: datetime, type_label: str) -> str:
    local = timezone.localtime(occurred_at)
    where = enterprise.name if enterprise else region.name
    return record_text(
        _("%(where)s“%(m)d·%(d)d”%(type)s事故")
        % {"where": where, "m": local.month, "d": local.day, "type": type_label}
    )


# ---------------------------------------------------------------- reporting chain


def _accident_url(accident) -> str:
    return reverse("accidents:accident-detail", args=[accident.pk])


def _duty_office(accident, level: str):
    region = selectors.region_at_level(accident.region_id, level)
    if region is None:
        return None
    office = recipients_for(region=region, roles=[Role.COMMITTEE_OFFICE])
    if level != rules.Level.COUNTY:
        return office
    # 第九条: the county's 应急管理部门 and the departments supervising the industry are told together. A
    # department supervises an industry when it holds that industry or one of its ancestors.
    parents = dict(Industry.objects.values_list("pk", "parent_id"))
    lineage, node = [], accident.industry_id
    while node is not None and node not in lineage:
        lineage.append(node)
        node = parents.get(node)
    members = Membership.objects.filter(
        role=Role.DEPARTMENT,
        is_active=True,
        department__region=region,
        department__is_active=True,
        department__industries__in=lineage,
    )
    return get_user_model().objects.filter(
        Q(pk__in=office.values("pk")) | Q(pk__in=members.values("user_id")), is_active=True
    )


def _notify_step(accident, step: ReportStep) -> None:
    """The receiving level's duty office learns of the report at once (one message per step)."""
    recipients = _duty_office(accident, step.level)
    if recipients is None:
        return
    body = _("%(grade)s · 死亡%(d)d人 失踪%(m)d人 重伤%(s)d人 · %(place)s") % {
        "grade": accident.get_grade_display(),
        "d": accident.deaths,
        "m": accident.missing,
        "s": accident.serious_injuries,
        "place": accident.place,
    }
    transaction.on_commit(
        lambda: notify(
            recipients,
            kind="accident.report",
            title=record_text(_("事故报告：%(title)s") % {"title": accident.title}),
            body=record_text(body),
            url=_accident_url(accident),
            dedupe_key=f"accident:{accident.pk}:step:{step.pk}",
        )
    )


def _next_due(previous: ReportStep, not_before: datetime | None = None) -> datetime:
    """A level's deadline: 2 hours after the level below received it (or would have, at the latest)."""
    base = previous.received_at or previous.due_at
    if not_before is not None and not_before > base:
        base = not_before
    return rules.report_deadline(base, rules.AUTHORITY)


def _ensure_steps(accident: Accident, actor, now: datetime, reason: str) -> list[ReportStep]:
    """Create the report steps the grade requires that do not exist yet; returns the new ones."""
    steps = {s.level: s for s in accident.steps.all()}
    created = []
    previous = None
    for level in rules.required_report_levels(accident.grade):
        step = steps.get(level)
        if step is None:
            step = ReportStep(accident=accident, level=level)
            if previous is None:
                step.due_at = rules.report_deadline(
                    accident.head_notified_at or accident.occurred_at, rules.UNIT
                )
                step.received_at = now
                step.is_late = rules.report_is_late(step.due_at, step.received_at, now)
            else:
                step.due_at = _next_due(previous, now)
            _save_with_history(step, actor, reason)
            created.append(step)
        previous = step
    return created


def _refresh_late_flag(accident: Accident, actor, reason: str) -> None:
    late = accident.steps.filter(is_late=True).exists()
    if late != accident.is_late:
        accident.is_late = late
        _save_with_history(accident, actor, reason)


def report_accident(*, actor, data: dict) -> Accident:
    """初报: record the accident, grade it, plan the reporting chain and notify the county duty office."""
    require_right(actor, REPORT)
    now = timezone.now()
    counts = clean_counts(data)
    loss = clean_loss(data.get("direct_loss_yuan"))
    occurred_at, head_notified_at = data.get("occurred_at"), data.get("head_notified_at")
    _clean_times(occurred_at, head_notified_at, now)
    region, industry, enterprise = data.get("region"), data.get("industry"), data.get("enterprise")
    if region is None:
        raise DomainError(Code.INVALID, _("请选择发生地区划。"), field="region")
    if industry is None:
        raise DomainError(Code.INVALID, _("请选择行业领域。"), field="industry")
    _check_reporting_scope(actor, region, industry, enterprise)
    grade, criterion = _grade(counts, loss)
    with transaction.atomic():
        accident = Accident(
            kind=data.get("kind") or Accident._meta.get_field("kind").default,
            type_code=data.get("type_code") or "",
            occurred_at=occurred_at,
            head_notified_at=head_notified_at,
            place=(data.get("place") or "").strip(),
            region=region,
            enterprise=enterprise,
            industry=industry,
            direct_loss_yuan=loss,
            grade=grade,
            grade_criterion=criterion,
            description=(data.get("description") or "").strip(),
            preliminary_cause=(data.get("preliminary_cause") or "").strip(),
            measures_taken=(data.get("measures_taken") or "").strip(),
            reporter=actor,
            reporter_name=(data.get("reporter_name") or "").strip(),
            reporter_phone=(data.get("reporter_phone") or "").strip(),
            reported_at=now,
            **counts,
        )
        accident.title = accident_title(enterprise, region, occurred_at, accident.get_type_code_display())
        _validate(accident)
        reason = record_text(_("初报"))
        _save_with_history(accident, actor, reason)
        report = AccidentReport(
            accident=accident,
            sequence=1,
            kind=AccidentReport.Kind.INITIAL,
            received_at=now,
            reporter=actor,
            reporter_name=accident.reporter_name,
            reporter_phone=accident.reporter_phone,
            direct_loss_yuan=loss,
            description=accident.description,
            grade_before=grade,
            grade_after=grade,
            **counts,
        )
        _save_with_history(report, actor, reason)
        steps = _ensure_steps(accident, actor, now, reason)
        _refresh_late_flag(accident, actor, reason)
        _ensure_in_scope(actor, REPORT, accident, "region")
        _notify_step(accident, steps[0])
    return accident


def add_report(*, actor, accident_pk, kind: str, data: dict) -> AccidentReport:
    """续报/补报: a new version of the figures. Inside the window it re-grades the accident and, if the
    grade rises, creates the newly required upward reports; after the window it is recorded only."""
    if kind not in (AccidentReport.Kind.FOLLOW_UP, AccidentReport.Kind.SUPPLEMENT):
        raise DomainError(Code.INVALID, _("报告类型应为续报或补报。"), field="kind")
    now = timezone.now()
    counts = clean_counts(data, AccidentReport)
    loss = clean_loss(data.get("direct_loss_yuan"))
    description = (data.get("description") or "").strip()
    if not description:
        raise DomainError(Code.INVALID, _("请填写情况说明。"), field="description")
    with transaction.atomic():
        accident = selectors.access_accident(actor, accident_pk, for_update=True)
        require(actor, REPORT, accident)
        sequence = (accident.reports.aggregate(n=Max("sequence"))["n"] or 0) + 1
        within = rules.within_supplement_window(accident.occurred_on, accident.kind, timezone.localdate(now))
        old_grade = accident.grade
        new_grade, criterion = _grade(counts, loss) if within else (old_grade, accident.grade_criterion)
        report = AccidentReport(
            accident=accident,
            sequence=sequence,
            kind=kind,
            received_at=now,
            reporter=actor,
            reporter_name=(data.get("reporter_name") or "").strip() or accident.reporter_name,
            reporter_phone=(data.get("reporter_phone") or "").strip() or accident.reporter_phone,
            direct_loss_yuan=loss,
            description=description,
            grade_before=old_grade,
            grade_after=new_grade,
            within_window=within,
            **counts,
        )
        _validate(report)
        label = report.get_kind_display()
        _save_with_history(report, actor, record_text(label))
        if within:
            for name, value in counts.items():
                setattr(accident, name, value)
            accident.direct_loss_yuan, accident.grade, accident.grade_criterion = loss, new_grade, criterion
            reason = record_text(
                _("%(kind)s：等级由%(old)s调整为%(new)s")
                % {
                    "kind": label,
                    "old": dict(accident._meta.get_field("grade").flatchoices)[old_grade],
                    "new": accident.get_grade_display(),
                }
                if new_grade != old_grade
                else label
            )
            _save_with_history(accident, actor, reason)
            for step in _ensure_steps(accident, actor, now, reason):
                _notify_holder_of(accident, step)
        _notify_report(accident, report)
    return report


def _notify_holder_of(accident, new_step: ReportStep) -> None:
    """A newly required level: the level below, which must pass the report on, and the county are told at once."""
    below = rules.CHAIN[new_step.rank - 1]
    holder = accident.steps.get(level=below)
    offices = [_duty_office(accident, level) for level in {below, rules.Level.COUNTY}]
    recipients = {user.pk for office in offices if office is not None for user in office.only("pk")}
    transaction.on_commit(
        lambda: notify(
            recipients,
            kind="accident.regraded",
            title=record_text(
                _("事故升级为%(grade)s，须于%(due)s前报%(level)s")
                % {
                    "grade": accident.get_grade_display(),
                    "due": timezone.localtime(new_step.due_at).strftime("%Y-%m-%d %H:%M"),
                    "level": new_step.get_level_display(),
                }
            ),
            body=accident.title,
            url=_accident_url(accident),
            dedupe_key=f"accident:{accident.pk}:required:{new_step.pk}:holder:{holder.pk}",
        )
    )


def _notify_report(accident, report: AccidentReport) -> None:
    recipients = _duty_office(accident, rules.Level.COUNTY)
    if recipients is None:
        return
    transaction.on_commit(
        lambda: notify(
            recipients,
            kind="accident.follow_up",
            title=record_text(
                _("%(kind)s：%(title)s") % {"kind": report.get_kind_display(), "title": accident.title}
            ),
            body=report.description,
            url=_accident_url(accident),
            dedupe_key=f"accident:{accident.pk}:report:{report.pk}",
        )
    )


def forward_report(*, actor, accident_pk, level: str, at: datetime | None = None) -> ReportStep:
    """Record that `level` passed the report to the next required level at `at` (default now)."""
    now = timezone.now()
    at = at or now
    with transaction.atomic():
        accident = selectors.access_accident(actor, accident_pk, for_update=True)
        require(actor, RECEIVE, accident)
        steps = {s.level: s for s in accident.steps.select_for_update()}
        step = steps.get(level)
        if step is None:
            raise DomainError(Code.INVALID, _("该层级不在本事故的上报链条中。"), field="level")
        if step.received_at is None:
            raise DomainError(Code.INVALID, _("本级尚未接收报告，不能上报。"), field="level")
        if step.forwarded_at is not None:
            raise DomainError(Code.INVALID, _("本级已上报，不能重复登记。"), field="level")
        following = [s for s in steps.values() if s.rank == step.rank + 1]
        if not following:
            raise DomainError(Code.INVALID, _("本级已是该等级事故要求的最高报告层级。"), field="level")
        if at > now or at < step.received_at:
            raise DomainError(Code.INVALID, _("上报时间应在本级接收时间与当前时间之间。"), field="at")
        upper = following[0]
        reason = record_text(
            _("%(from)s报送%(to)s") % {"from": step.get_level_display(), "to": upper.get_level_display()}
        )
        step.forwarded_at, step.recorded_by = at, actor
        _save_with_history(step, actor, reason)
        upper.received_at, upper.recorded_by = at, actor
        upper.is_late = rules.report_is_late(upper.due_at, at, now)
        _save_with_history(upper, actor, reason)
        for later in sorted(steps.values(), key=lambda s: s.rank):
            if later.rank == upper.rank + 1 and later.received_at is None:
                later.due_at = _next_due(upper)
                _save_with_history(later, actor, reason)
        _refresh_late_flag(accident, actor, reason)
        _notify_step(accident, upper)
    return upper


def flag_overdue_steps(now: datetime) -> int:
    """Sweep: mark 迟报 on every step still not received after its deadline; idempotent (conditional UPDATE)."""
    overdue = ReportStep.objects.filter(received_at__isnull=True, due_at__lt=now, is_late=False)
    accident_ids = list(overdue.values_list("accident_id", flat=True))
    flagged = overdue.update(is_late=True)
    Accident.objects.filter(pk__in=accident_ids, is_late=False).update(is_late=True)
    return flagged


def record_finding(*, actor, accident_pk, kind: str, description: str, found_on: date) -> ReportingFinding:
    """An investigator's 迟报/漏报/谎报/瞒报 finding (verified facts, regulations.md §1.3)."""
    with transaction.atomic():
        accident = selectors.access_accident(actor, accident_pk, for_update=True)
        require(actor, "accidents.record_finding", accident)
        if found_on and found_on > timezone.localdate():
            raise DomainError(Code.INVALID, _("认定日期不能晚于今天。"), field="found_on")
        finding = ReportingFinding(
            accident=accident,
            kind=kind,
            description=(description or "").strip(),
            found_on=found_on,
            recorded_by=actor,
        )
        _validate(finding)
        _save_with_history(finding, actor, record_text(finding.get_kind_display()))
    return finding


# ---------------------------------------------------------------- investigation


def open_investigation(*, actor, accident_pk, data: dict) -> Investigation:
    """Set up the investigation team; the leading level follows from the grade (第十九条)."""
    with transaction.atomic():
        accident = selectors.access_accident(actor, accident_pk, for_update=True)
        require(actor, INVESTIGATE, accident)
        if Investigation.objects.filter(accident=accident).exists():
            raise DomainError(Code.DUPLICATE, _("该事故已成立调查组。"), field="__all__")
        started_on = data.get("started_on") or timezone.localdate()
        if started_on < accident.occurred_on or started_on > timezone.localdate():
            raise DomainError(Code.INVALID, _("成立日期应在事故发生日期与今天之间。"), field="started_on")
        investigation = Investigation(
            accident=accident,
            level=rules.investigation_level(accident.grade),
            lead_organ=(data.get("lead_organ") or "").strip(),
            team_leader=(data.get("team_leader") or "").strip(),
            team_members=(data.get("team_members") or "").strip(),
            started_on=started_on,
            due_on=rules.investigation_due_on(accident.occurred_on),
        )
        _validate(investigation)
        _save_with_history(investigation, actor, record_text(_("成立调查组")))
    return investigation


def _transition(actor, accident_pk, name: str, *, reason: str = "", changes: dict | None = None, check=None):
    with transaction.atomic():
        investigation = selectors.access_investigation(actor, accident_pk, for_update=True)
        transition = find(Investigation.TRANSITIONS, name)
        require(actor, transition.right, investigation)
        if check is not None:
            changes = check(investigation)
        return apply_transition(investigation, transition, actor=actor, reason=reason, changes=changes)


def extend_investigation(*, actor, accident_pk, days: int, approved_by: str, reason: str) -> Investigation:
    """One extension of at most 60 days, with the approving authority (第二十九条)."""
    if not (approved_by or "").strip():
        raise DomainError(Code.INVALID, _("请填写延期批准机关。"), field="approved_by")

    def check(investigation):
        try:
            extended = int(days)
            if extended < 1:
                raise ValueError(extended)
            due_on = rules.investigation_due_on(investigation.accident.occurred_on, extended)
        except (TypeError, ValueError) as exc:
            raise DomainError(
                Code.INVALID,
                _("延长天数应为1至%(max)d天。") % {"max": rules.MAX_EXTENSION_DAYS},
                field="days",
            ) from exc
        return {
            "extended_days": extended,
            "due_on": due_on,
            "extension_approved_by": approved_by.strip(),
            "extension_reason": reason.strip(),
        }

    return _transition(actor, accident_pk, "extend", reason=reason, check=check)


def conclude_investigation(
    *, actor, accident_pk, direct_cause: str, indirect_cause: str = "", nature: str = ""
):
    """The investigation report's conclusions; responsibilities and measures can still be added afterwards."""
    if not (direct_cause or "").strip():
        raise DomainError(Code.INVALID, _("请填写事故直接原因。"), field="direct_cause")
    changes = {
        "direct_cause": direct_cause.strip(),
        "indirect_cause": (indirect_cause or "").strip(),
        "nature": (nature or "").strip(),
        "concluded_on": timezone.localdate(),
    }
    return _transition(actor, accident_pk, "conclude", changes=changes)


def close_investigation(*, actor, accident_pk, reason: str = "") -> Investigation:
    """Close the loop: only when every preventive measure is done (a parent cannot close over open actions)."""

    def check(investigation):
        if not investigation.measures.exists():
            raise DomainError(Code.INVALID, _("尚未登记防范和整改措施，不能闭环。"), field="__all__")
        if investigation.measures.filter(status=PreventiveMeasure.Status.OPEN).exists():
            raise DomainError(Code.INVALID, _("仍有未完成的防范和整改措施，不能闭环。"), field="__all__")
        return {"closed_on": timezone.localdate()}

    return _transition(actor, accident_pk, "close", reason=reason, check=check)


def _open_investigation_for_update(actor, accident_pk) -> Investigation:
    investigation = selectors.access_investigation(actor, accident_pk, for_update=True)
    require(actor, INVESTIGATE, investigation)
    if investigation.status == Investigation.Status.CLOSED:
        raise DomainError(Code.ILLEGAL_TRANSITION, _("调查已闭环，不能再修改。"), field="__all__")
    return investigation


def dishonesty_basis(accident: Accident) -> str:
    """Why a responsible unit is a candidate for the serious-dishonesty list (应急管理部令第11号, regulations.md §4)."""
    falsely_reported = accident.findings.filter(
        kind__in=[ReportingFinding.Kind.FALSE, ReportingFinding.Kind.CONCEALED]
    ).exists()
    texts = {
        rules.MAJOR_ACCIDENT: _("发生特别重大或重大事故"),
        rules.FALSE_OR_CONCEALED_REPORT: _("瞒报、谎报事故"),
    }
    reasons = [texts[g] for g in rules.dishonesty_grounds(accident.grade, falsely_reported)]
    if not reasons:
        reasons.append(_("事故责任单位，待信用管理部门认定"))
    return record_text(_("；").join(str(r) for r in reasons))


def add_responsibility(*, actor, accident_pk, data: dict) -> Responsibility:
    """A unit or person found responsible; a unit is recorded as a serious-dishonesty-list candidate."""
    with transaction.atomic():
        investigation = _open_investigation_for_update(actor, accident_pk)
        enterprise = data.get("enterprise")
        if (
            enterprise is not None
            and not Enterprise.objects.for_user(actor).filter(pk=enterprise.pk).exists()
        ):
            raise DomainError(Code.OUT_OF_SCOPE, _("生产经营单位不在您的管辖范围内。"), field="enterprise")
        responsibility = Responsibility(
            investigation=investigation,
            party=data.get("party") or "",
            name=(data.get("name") or (enterprise.name if enterprise else "")).strip(),
            enterprise=enterprise,
            position=(data.get("position") or "").strip(),
            finding=(data.get("finding") or "").strip(),
            recommended_handling=(data.get("recommended_handling") or "").strip(),
        )
        if responsibility.party == Responsibility.Party.UNIT:
            responsibility.is_dishonesty_candidate = True
            responsibility.candidate_basis = dishonesty_basis(investigation.accident)
        _validate(responsibility)
        _save_with_history(responsibility, actor, record_text(_("责任认定")))
    return responsibility


def add_measure(
    *, actor, accident_pk, description: str, responsible_party: str, due_on: date
) -> PreventiveMeasure:
    with transaction.atomic():
        investigation = _open_investigation_for_update(actor, accident_pk)
        measure = PreventiveMeasure(
            investigation=investigation,
            description=(description or "").strip(),
            responsible_party=(responsible_party or "").strip(),
            due_on=due_on,
        )
        _validate(measure)
        _save_with_history(measure, actor, record_text(_("登记防范和整改措施")))
    return measure


def complete_measure(*, actor, accident_pk, measure_pk, completed_on: date, note: str) -> PreventiveMeasure:
    """Record that a measure was carried out, with what was done."""
    if not (note or "").strip():
        raise DomainError(Code.INVALID, _("请填写完成情况。"), field="note")
    with transaction.atomic():
        investigation = _open_investigation_for_update(actor, accident_pk)
        measure = investigation.measures.select_for_update().filter(pk=measure_pk).first()
        if measure is None:
            from django.http import Http404

            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        if measure.status == PreventiveMeasure.Status.DONE:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("该措施已完成。"), field="__all__")
        if completed_on is None or completed_on > timezone.localdate():
            raise DomainError(Code.INVALID, _("完成日期不能晚于今天。"), field="completed_on")
        measure.status, measure.completed_on, measure.completion_note = (
            PreventiveMeasure.Status.DONE,
            completed_on,
            note.strip(),
        )
        _save_with_history(measure, actor, record_text(_("措施完成")))
    return measure


# ---------------------------------------------------------------- minor events, economy


def record_minor_event(*, actor, data: dict) -> MinorEvent:
    """未遂事件/轻微事故 for the pyramid, inside the reporter's jurisdiction."""
    require_right(actor, REPORT)
    counts = clean_counts({"minor_injuries": data.get("minor_injuries", 0)}, MinorEvent)
    occurred_at = data.get("occurred_at")
    _clean_times(occurred_at, None, timezone.now())
    region, industry, enterprise = data.get("region"), data.get("industry"), data.get("enterprise")
    if region is None or industry is None:
        field = "region" if region is None else "industry"
        raise DomainError(Code.INVALID, _("请选择%(f)s。") % {"f": _label(MinorEvent, field)}, field=field)
    _check_reporting_scope(actor, region, industry, enterprise)
    with transaction.atomic():
        event = MinorEvent(
            kind=data.get("kind") or "",
            occurred_at=occurred_at,
            region=region,
            enterprise=enterprise,
            industry=industry,
            minor_injuries=counts["minor_injuries"],
            description=(data.get("description") or "").strip(),
            reporter=actor,
        )
        _validate(event)
        _save_with_history(event, actor, record_text(event.get_kind_display()))
        _ensure_in_scope(actor, REPORT, event, "region")
    return event


def save_economy(
    *, actor, region_pk, year: int, gdp_yi: Decimal, industrial_employment: int
) -> RegionEconomy:
    """Enter or correct a region's GDP and 工矿商贸 employment for a year."""
    with transaction.atomic():
        from anlan.core.selectors import access_region

        region = access_region(actor, region_pk)
        require(actor, "accidents.edit_economy", region)
        figures = RegionEconomy.objects.select_for_update().filter(region=region, year=year).first()
        figures = figures or RegionEconomy(region=region, year=year)
        figures.gdp_yi, figures.industrial_employment = gdp_yi, industrial_employment
        _validate(figures)
        _save_with_history(figures, actor, "")
    return figures


def investigation_overdue(investigation: Investigation, today: date) -> bool:
    return investigation.status in (Investigation.Status.ONGOING, Investigation.Status.EXTENDED) and (
        today > investigation.due_on
    )
