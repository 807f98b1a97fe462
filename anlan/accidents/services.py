"""Use cases of accident reporting and investigation. Each: access (scoped, locked) → right → rules →
change → audit (history with actor and reason) → notifications on commit, in one transaction.

The input checks of the figures and times live here, once, for the pages and the API alike (the forms and
serializers only parse types)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import capacity, contract, recipients, records, trees
from anlan.core.audit import record_text
from anlan.core.errors import Code, DomainError
from anlan.core.models import Enterprise, Region, Role
from anlan.core.permissions import require, require_right
from anlan.core.rules import RuleViolation
from anlan.core.workflow import Transition, apply_transition, find
from anlan.notifications.services import notify

from . import rules, selectors
from .models import (
    Accident,
    AccidentReport,
    InjuredPerson,
    Investigation,
    MinorEvent,
    NearMissIncident,
    PreventiveMeasure,
    RegionEconomy,
    ReportingFinding,
    ReportStep,
    Responsibility,
)
from .rules import ErrorCode

COUNT_FIELDS = rules.COUNT_FIGURES
CASUALTY_FIELDS = (*rules.COUNT_FIGURES, rules.LOSS_FIGURE)
REPORT = "accidents.report_accident"
RECEIVE = "accidents.receive_report"
INVESTIGATE = "accidents.manage_investigation"
# Report levels whose duty office is a region's (the State Council's departments are outside the platform).
REGION_LEVEL = {
    rules.Level.COUNTY: trees.COUNTY,
    rules.Level.CITY: trees.CITY,
    rules.Level.PROVINCE: trees.PROVINCE,
}
# Roles that report within their own jurisdiction; an enterprise reports for itself, within its county.
TERRITORIAL_REPORTERS = frozenset(Role.values) - {Role.ENTERPRISE}


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def _today() -> date:
    return timezone.localdate()


def checked(rule: Callable, *args, **kwargs):
    """Apply a rule of rules.py; its violation becomes the DomainError the entry points show."""
    try:
        return rule(*args, **kwargs)
    except RuleViolation as violation:
        raise DomainError(violation.code, violation.message, field=violation.field) from violation


# ---------------------------------------------------------------- input checks


def clean_counts(data: dict, model=Accident, fields=COUNT_FIELDS) -> dict[str, int]:
    """Casualty counts: whole numbers, not negative; the message names the field."""
    return {
        name: checked(rules.figure_count, data.get(name, 0), name, _label(model, name)) for name in fields
    }


def clean_loss(value) -> Decimal:
    """Direct economic loss in yuan: not negative, at most two decimals (分)."""
    return checked(rules.loss_yuan, value)


def _clean_times(occurred_at: datetime | None, head_notified_at: datetime | None, now: datetime) -> None:
    if occurred_at is None:
        raise DomainError(Code.INVALID, _("请填写事故发生时间。"), field="occurred_at")
    today, zone = timezone.localdate(now), timezone.get_current_timezone()
    for name, value in (("occurred_at", occurred_at), ("head_notified_at", head_notified_at)):
        checked(rules.check_date_range, value, name, _label(Accident, name), today, zone)
    checked(rules.check_report_times, occurred_at, head_notified_at, now)


def _may_report_at(actor, region: Region, enterprise: Enterprise | None, industry=None) -> bool:
    """Whether a reporting capacity covers the place (and the industry): a territorial or department
    membership whose jurisdiction holds them, or the enterprise's own user within its county."""
    industry_id = industry.pk if industry is not None else None
    if capacity.capacities(
        actor, right=REPORT, roles=TERRITORIAL_REPORTERS, region=region.code, industry=industry_id
    ):
        return True
    if enterprise is None or not rules.within_enterprise_county(region.code, enterprise.region_id):
        return False
    return bool(
        capacity.capacities(
            actor, right=REPORT, roles=[Role.ENTERPRISE], enterprise=enterprise, industry=industry_id
        )
    )


def _check_reporting_scope(actor, region: Region, industry, enterprise: Enterprise | None) -> None:
    """Region, industry and enterprise must lie inside the reporter's jurisdiction; the error names the field."""
    if actor.is_superuser:
        return
    if region.level < Region.Level.COUNTY:
        raise DomainError(ErrorCode.REGION_ABOVE_COUNTY, _("发生地区划应选择到县级或以下。"), field="region")
    if enterprise is not None and not Enterprise.objects.for_user(actor).filter(pk=enterprise.pk).exists():
        raise DomainError(Code.OUT_OF_SCOPE, _("事故单位不在您的管辖范围内。"), field="enterprise")
    reporting = capacity.capacities(actor, right=REPORT)
    if enterprise is None and reporting and all(m.role == Role.ENTERPRISE for m in reporting):
        raise DomainError(
            ErrorCode.ENTERPRISE_REQUIRED, _("企业用户报告事故须选择本单位。"), field="enterprise"
        )
    if not _may_report_at(actor, region, enterprise):
        raise DomainError(ErrorCode.REGION_OUT_OF_SCOPE, _("发生地区划不在您的管辖范围内。"), field="region")
    if not _may_report_at(actor, region, enterprise, industry):
        raise DomainError(
            ErrorCode.INDUSTRY_OUT_OF_SCOPE, _("行业领域不在您的监管范围内。"), field="industry"
        )


def _grade(counts: dict[str, int], loss_yuan: Decimal) -> tuple[str, str]:
    grade, criteria = rules.grade_with_criteria(
        rules.counted_deaths(counts), counts["serious_injuries"], loss_yuan / 10000
    )
    return grade, str(criteria[0])


def _choice_label(record, field: str, value=None):
    """A choice's label, still lazy, so `record_text` stores it in the site's language."""
    choices = dict(record._meta.get_field(field).flatchoices)
    return choices[getattr(record, field) if value is None else value]


def accident_title(enterprise, region, occurred_at: datetime, type_label: str) -> str:
    local = timezone.localtime(occurred_at)
    where = enterprise.name if enterprise else region.name
    return record_text(
        gettext_lazy("%(where)s“%(m)d·%(d)d”%(type)s事故"),
        where=where,
        m=local.month,
        d=local.day,
        type=type_label,
    )


# ---------------------------------------------------------------- reporting chain


def _accident_url(accident) -> str:
    return reverse("accidents:accident-detail", args=[accident.pk])


def _duty_office(accident, level: str):
    """Who receives the report at `level`: its duty office (the 安委办 while no duty module says otherwise);
    at the county also the departments supervising the industry (第九条: they are told together)."""
    region_level = REGION_LEVEL.get(rules.Level(level))
    if region_level is None:
        return None
    code = accident.region_id
    if region_level != trees.COUNTY:
        return recipients.committee_office(code, level=region_level)
    return recipients.duty_office(code) | recipients.supervising_staff(
        code, accident.industry_id, level=trees.COUNTY
    )


def _notify_step(accident, step: ReportStep) -> None:
    """The receiving level's duty office learns of the report at once (one message per step)."""
    people = _duty_office(accident, step.level)
    if people is None:
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
            people,
            kind="accident.report",
            title=record_text(gettext_lazy("事故报告：%(title)s"), title=accident.title),
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
            records.save_with_history(step, actor, reason)
            created.append(step)
        previous = step
    return created


def _refresh_late_flag(accident: Accident, actor, reason: str) -> None:
    late = accident.steps.filter(is_late=True).exists()
    if late != accident.is_late:
        accident.is_late = late
        records.save_with_history(accident, actor, reason)


def report_accident(*, actor, data: dict) -> Accident:
    """初报: record the accident, grade it, plan the reporting chain and notify the county duty office;
    once committed, other modules hear of it (`accidents.reported`)."""
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
        accident.title = accident_title(enterprise, region, occurred_at, _choice_label(accident, "type_code"))
        records.validate(accident)
        reason = record_text(gettext_lazy("初报"))
        records.save_with_history(accident, actor, reason)
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
        records.save_with_history(report, actor, reason)
        steps = _ensure_steps(accident, actor, now, reason)
        _refresh_late_flag(accident, actor, reason)
        records.ensure_in_scope(actor, REPORT, accident, "region")
        _notify_step(accident, steps[0])
        transaction.on_commit(lambda: contract.emit("accidents.reported", accident=accident))
    return accident


def add_report(*, actor, accident_pk, kind: str, data: dict) -> AccidentReport:
    """续报/补报: a new version of the figures. Inside the window it re-grades the accident and, if the
    grade rises, creates the newly required upward reports; after the window it is recorded only."""
    if kind not in (AccidentReport.Kind.FOLLOW_UP, AccidentReport.Kind.SUPPLEMENT):
        raise DomainError(ErrorCode.REPORT_KIND, _("报告类型应为续报或补报。"), field="kind")
    now = timezone.now()
    counts = clean_counts(data, AccidentReport)
    loss = clean_loss(data.get("direct_loss_yuan"))
    description = (data.get("description") or "").strip()
    if not description:
        raise DomainError(Code.INVALID, _("请填写情况说明。"), field="description")
    with transaction.atomic():
        accident = selectors.access_accident(actor, accident_pk, for_update=True)
        require(actor, REPORT, accident)
        counts.update(injury_counts_of(accident) or {})
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
        records.validate(report)
        label = _choice_label(report, "kind")
        records.save_with_history(report, actor, record_text(label))
        if within:
            for name, value in counts.items():
                setattr(accident, name, value)
            accident.direct_loss_yuan, accident.grade, accident.grade_criterion = loss, new_grade, criterion
            _save_regraded(accident, actor, now, label, old_grade)
        _notify_report(accident, report)
    return report


def _save_regraded(accident: Accident, actor, now: datetime, label, old_grade: str) -> None:
    """Save the accident's new figures and grade; a risen grade creates the newly required upward reports."""
    reason = (
        record_text(
            gettext_lazy("%(kind)s：等级由%(old)s调整为%(new)s"),
            kind=label,
            old=_choice_label(accident, "grade", old_grade),
            new=_choice_label(accident, "grade"),
        )
        if accident.grade != old_grade
        else record_text(label)
    )
    records.save_with_history(accident, actor, reason)
    for step in _ensure_steps(accident, actor, now, reason):
        _notify_holder_of(accident, step)


def _notify_holder_of(accident, new_step: ReportStep) -> None:
    """A newly required level: the level below, which must pass the report on, and the county are told at once."""
    below = rules.CHAIN[new_step.rank - 1]
    holder = accident.steps.get(level=below)
    offices = [_duty_office(accident, level) for level in {below, rules.Level.COUNTY}]
    people = {user.pk for office in offices if office is not None for user in office.only("pk")}
    transaction.on_commit(
        lambda: notify(
            people,
            kind="accident.regraded",
            title=record_text(
                gettext_lazy("事故升级为%(grade)s，须于%(due)s前报%(level)s"),
                grade=_choice_label(accident, "grade"),
                due=timezone.localtime(new_step.due_at).strftime("%Y-%m-%d %H:%M"),
                level=_choice_label(new_step, "level"),
            ),
            body=accident.title,
            url=_accident_url(accident),
            dedupe_key=f"accident:{accident.pk}:required:{new_step.pk}:holder:{holder.pk}",
        )
    )


def _notify_report(accident, report: AccidentReport) -> None:
    people = _duty_office(accident, rules.Level.COUNTY)
    transaction.on_commit(
        lambda: notify(
            people,
            kind="accident.follow_up",
            title=record_text(
                gettext_lazy("%(kind)s：%(title)s"), kind=_choice_label(report, "kind"), title=accident.title
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
            raise DomainError(
                ErrorCode.LEVEL_NOT_IN_CHAIN, _("该层级不在本事故的上报链条中。"), field="level"
            )
        following = [s for s in steps.values() if s.rank == step.rank + 1]
        checked(rules.check_forward, step.received_at, step.forwarded_at, bool(following))
        checked(rules.check_forwarded_at, at, step.received_at, now)
        upper = following[0]
        reason = record_text(
            gettext_lazy("%(from)s报送%(to)s"),
            **{"from": _choice_label(step, "level"), "to": _choice_label(upper, "level")},
        )
        step.forwarded_at, step.recorded_by = at, actor
        records.save_with_history(step, actor, reason)
        upper.received_at, upper.recorded_by = at, actor
        upper.is_late = rules.report_is_late(upper.due_at, at, now)
        records.save_with_history(upper, actor, reason)
        for later in sorted(steps.values(), key=lambda s: s.rank):
            if later.rank == upper.rank + 1 and later.received_at is None:
                later.due_at = _next_due(upper)
                records.save_with_history(later, actor, reason)
        _refresh_late_flag(accident, actor, reason)
        _notify_step(accident, upper)
    return upper


def flag_overdue_steps(*, actor, now: datetime) -> int:
    """Sweep: mark 迟报 on every step still not received after its deadline, and on its accident.

    Each row is claimed with a conditional UPDATE (still unreceived, not yet flagged), so several workers
    may run it at once and a second run flags nothing; each flag writes one history row as `actor` (the
    system user). Returns the number of steps flagged."""
    reason = record_text(gettext_lazy("超过报告时限仍未接收，系统标记迟报"))
    flagged, accident_ids = 0, set()
    overdue = ReportStep.objects.filter(received_at__isnull=True, due_at__lt=now, is_late=False)
    for step in overdue.order_by("pk"):
        claimed = ReportStep.objects.filter(pk=step.pk, received_at__isnull=True, is_late=False).update(
            is_late=True
        )
        if claimed:
            records.update_with_history(step, actor, reason, is_late=True)
            flagged += 1
            accident_ids.add(step.accident_id)
    for accident in Accident.objects.filter(pk__in=accident_ids, is_late=False).order_by("pk"):
        if Accident.objects.filter(pk=accident.pk, is_late=False).update(is_late=True):
            records.update_with_history(accident, actor, reason, is_late=True)
    return flagged


def _classify(facts: dict) -> tuple[frozenset[str], bool]:
    """The failures the facts amount to (`rules.reporting_finding`) and whether concealment awaits verification."""
    return rules.reporting_finding(**facts), rules.concealment_unverified(
        reported=facts["reported"],
        deadline_passed=facts["deadline_passed"],
        concealment_verified=facts["concealment_verified"],
    )


# The facts of a finding (the keyword arguments of `rules.reporting_finding` that the form asks for), by default.
FINDING_FACTS = {
    "reported": True,
    "late": False,
    "omission": False,
    "omission_by_negligence": False,
    "intentional_falsehood": False,
    "false_fields": (),
    "deadline_passed": False,
    "concealment_verified": False,
}


def finding_facts(given: dict) -> dict:
    """The facts as recorded: those of a report made, or those of one not made (the others do not apply)."""
    if set(given) - set(FINDING_FACTS):
        raise TypeError(f"unknown facts {sorted(set(given) - set(FINDING_FACTS))}")
    facts = {**FINDING_FACTS, **given}
    named = set(facts["false_fields"] or ())
    if named - set(ReportingFinding.FalseField.values):
        raise DomainError(Code.INVALID, _("不如实报告的事项不在可选范围内。"), field="false_fields")
    facts = {name: bool(value) for name, value in facts.items() if name != "false_fields"}
    facts["false_fields"] = [name for name in ReportingFinding.FalseField.values if name in named]
    if facts["reported"]:
        facts["deadline_passed"] = facts["concealment_verified"] = False
        facts["omission_by_negligence"] &= facts["omission"]
        if not facts["intentional_falsehood"]:
            facts["false_fields"] = []
    else:
        facts.update(late=False, omission=False, omission_by_negligence=False, intentional_falsehood=False)
        facts["false_fields"] = []
    if facts["intentional_falsehood"] and not facts["false_fields"]:
        raise DomainError(
            ErrorCode.FALSE_FIELDS_REQUIRED,
            _("认定故意不如实报告的，请选择不如实的事项。"),
            field="false_fields",
        )
    return facts


def record_finding(*, actor, accident_pk, description: str, found_on: date, **facts) -> ReportingFinding:
    """The investigator's facts about the reporting (`FINDING_FACTS`); 迟报/漏报/谎报/瞒报 follow from them by
    rule (14号令, regulations.md §1.3). Not reported past the deadline without verified concealment is recorded
    as awaiting verification; facts that amount to no failure are refused (there is nothing to find)."""
    facts = finding_facts(facts)
    kinds, awaiting = _classify(facts)
    if not kinds and not awaiting:
        raise DomainError(
            ErrorCode.FINDING_EMPTY,
            _("按所填事实不构成迟报、漏报、谎报或瞒报，无需登记认定。"),
            field="__all__",
        )
    with transaction.atomic():
        accident = selectors.access_accident(actor, accident_pk, for_update=True)
        require(actor, "accidents.record_finding", accident)
        if found_on:
            checked(
                rules.check_date_range, found_on, "found_on", _label(ReportingFinding, "found_on"), _today()
            )
            checked(
                rules.check_not_after_today,
                found_on,
                timezone.localdate(),
                "found_on",
                ErrorCode.FOUND_IN_FUTURE,
                _("认定日期不能晚于今天。"),
            )
        finding = ReportingFinding(
            accident=accident,
            description=(description or "").strip(),
            found_on=found_on,
            recorded_by=actor,
            awaiting_verification=awaiting,
            **facts,
            **{flag: kind in kinds for kind, flag in ReportingFinding.KIND_FLAGS.items()},
        )
        records.validate(finding)
        reason = "、".join(record_text(kind.label) for kind in finding.kinds)
        records.save_with_history(finding, actor, reason or record_text(gettext_lazy("瞒报待查证")))
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
        checked(rules.check_started_on, started_on, accident.occurred_on, timezone.localdate())
        investigation = Investigation(
            accident=accident,
            level=rules.investigation_level(accident.grade),
            lead_organ=(data.get("lead_organ") or "").strip(),
            team_leader=(data.get("team_leader") or "").strip(),
            team_members=(data.get("team_members") or "").strip(),
            started_on=started_on,
            due_on=rules.investigation_due_on(accident.occurred_on),
        )
        records.validate(investigation)
        records.save_with_history(investigation, actor, record_text(gettext_lazy("成立调查组")))
    return investigation


def _transition(actor, accident_pk, name: str, *, reason: str = "", changes: Callable | None = None):
    """Take an investigation transition: access (locked), right, the table's guards, compare-and-set."""
    with transaction.atomic():
        investigation = selectors.access_investigation(actor, accident_pk, for_update=True)
        transition = find(Investigation.TRANSITIONS, name)
        require(actor, transition.right, investigation)
        values = changes(investigation) if changes is not None else None
        return apply_transition(investigation, transition, actor=actor, reason=reason, changes=values)


def extend_investigation(*, actor, accident_pk, days: int, approved_by: str, reason: str) -> Investigation:
    """One extension of at most 60 days, with the approving authority (第二十九条)."""
    if not (approved_by or "").strip():
        raise DomainError(Code.INVALID, _("请填写延期批准机关。"), field="approved_by")

    def changes(investigation):
        extended, due_on = checked(rules.extended_due_on, investigation.accident.occurred_on, days)
        return {
            "extended_days": extended,
            "due_on": due_on,
            "extension_approved_by": approved_by.strip(),
            "extension_reason": (reason or "").strip(),
        }

    return _transition(actor, accident_pk, "extend", reason=reason, changes=changes)


def conclude_investigation(
    *, actor, accident_pk, direct_cause: str, indirect_cause: str = "", nature: str = ""
):
    """The investigation report's conclusions; responsibilities and measures can still be added afterwards."""
    if not (direct_cause or "").strip():
        raise DomainError(Code.INVALID, _("请填写事故直接原因。"), field="direct_cause")
    values = {
        "direct_cause": direct_cause.strip(),
        "indirect_cause": (indirect_cause or "").strip(),
        "nature": (nature or "").strip(),
        "concluded_on": timezone.localdate(),
    }
    return _transition(actor, accident_pk, "conclude", changes=lambda investigation: values)


def close_investigation(*, actor, accident_pk, reason: str = "") -> Investigation:
    """Close the loop: only when every preventive measure is done (the transition's guard)."""
    return _transition(
        actor, accident_pk, "close", reason=reason, changes=lambda i: {"closed_on": timezone.localdate()}
    )


def take_investigation_transition(*, actor, investigation: Investigation, transition: Transition, data: dict):
    """The transition endpoint's call: the use case of `transition` with the form's data."""
    accident_pk = investigation.accident_id
    if transition.name == "extend":
        return extend_investigation(actor=actor, accident_pk=accident_pk, **data)
    if transition.name == "conclude":
        return conclude_investigation(actor=actor, accident_pk=accident_pk, **data)
    if transition.name == "close":
        return close_investigation(actor=actor, accident_pk=accident_pk, reason=data.get("reason", ""))
    raise KeyError(transition.name)


# ---------------------------------------------------------------- 批复 of the investigation report


def _concluded_investigation_for_update(actor, accident_pk) -> Investigation:
    """The investigation (scoped, locked) once its report is concluded; the right to manage it."""
    investigation = selectors.access_investigation(actor, accident_pk, for_update=True)
    require(actor, INVESTIGATE, investigation)
    if investigation.is_running:
        raise DomainError(
            ErrorCode.REPORT_NOT_CONCLUDED, _("调查报告尚未提交结论，不能登记报送或批复。"), field="__all__"
        )
    return investigation


def _awaiting_reply(investigation: Investigation) -> None:
    if investigation.report_received_on is None:
        raise DomainError(
            ErrorCode.REPLY_REPORT_NOT_RECEIVED, _("请先登记人民政府收到调查报告的日期。"), field="__all__"
        )
    if investigation.replied_on is not None:
        raise DomainError(ErrorCode.REPLY_ALREADY_RECORDED, _("该调查报告已登记批复。"), field="__all__")


def record_report_received(*, actor, accident_pk, received_on: date) -> Investigation:
    """The government received the investigation report: the 批复 deadline starts (493号令 第三十二条)."""
    if received_on is None:
        raise DomainError(Code.INVALID, _("请填写收到调查报告日期。"), field="received_on")
    with transaction.atomic():
        investigation = _concluded_investigation_for_update(actor, accident_pk)
        if investigation.report_received_on is not None:
            raise DomainError(Code.DUPLICATE, _("已登记收到调查报告日期。"), field="received_on")
        today = _today()
        checked(rules.check_report_received_on, received_on, investigation.concluded_on, today)
        due_on, _latest = rules.reply_due(investigation.accident.grade, received_on)
        investigation.report_received_on, investigation.reply_due_on = received_on, due_on
        investigation.reply_overdue = rules.reply_overdue(due_on, None, today)
        records.validate(investigation)
        records.save_with_history(investigation, actor, record_text(gettext_lazy("调查报告报送人民政府")))
    return investigation


def extend_reply(*, actor, accident_pk, days: int, reason: str) -> Investigation:
    """The one extension of a 特别重大 report's 批复, up to the latest date the rule allows."""
    if not (reason or "").strip():
        raise DomainError(Code.INVALID, _("请填写批复延期理由。"), field="reason")
    with transaction.atomic():
        investigation = _concluded_investigation_for_update(actor, accident_pk)
        _awaiting_reply(investigation)
        if investigation.reply_extended_days:
            raise DomainError(Code.DUPLICATE, _("批复期限已延长过一次。"), field="days")
        due_on = checked(
            rules.extended_reply_due_on, investigation.accident.grade, investigation.report_received_on, days
        )
        investigation.reply_extended_days = (due_on - investigation.reply_due_on).days
        investigation.reply_due_on = due_on
        investigation.reply_extension_reason = reason.strip()
        investigation.reply_overdue = rules.reply_overdue(due_on, None, _today())
        records.validate(investigation)
        records.save_with_history(investigation, actor, record_text(reason.strip()))
    return investigation


def record_reply(*, actor, accident_pk, replied_on: date, authority: str, number: str = "") -> Investigation:
    """The government's 批复: date, authority and document number; a reply after the due date stays flagged."""
    if replied_on is None:
        raise DomainError(Code.INVALID, _("请填写批复日期。"), field="replied_on")
    if not (authority or "").strip():
        raise DomainError(Code.INVALID, _("请填写批复机关。"), field="authority")
    with transaction.atomic():
        investigation = _concluded_investigation_for_update(actor, accident_pk)
        _awaiting_reply(investigation)
        checked(rules.check_replied_on, replied_on, investigation.report_received_on, _today())
        investigation.replied_on = replied_on
        investigation.reply_authority = authority.strip()
        investigation.reply_number = (number or "").strip()
        investigation.reply_overdue = rules.reply_overdue(investigation.reply_due_on, replied_on, _today())
        records.validate(investigation)
        records.save_with_history(investigation, actor, record_text(gettext_lazy("登记调查报告批复")))
    return investigation


def flag_overdue_replies(*, actor, today: date) -> int:
    """Sweep: flag 批复超期 on every received report still without a reply after its due date.

    Each row is claimed with a conditional UPDATE (still unreplied, not yet flagged), so concurrent or
    repeated runs flag each investigation once, with one history row as `actor`. Returns the number flagged."""
    reason = record_text(gettext_lazy("超过批复期限仍未批复，系统标记超期"))
    flagged = 0
    open_replies = Investigation.objects.filter(
        report_received_on__isnull=False, replied_on__isnull=True, reply_due_on__lt=today, reply_overdue=False
    )
    for investigation in open_replies.order_by("pk"):
        claimed = Investigation.objects.filter(
            pk=investigation.pk, replied_on__isnull=True, reply_due_on__lt=today, reply_overdue=False
        ).update(reply_overdue=True)
        if claimed:
            records.update_with_history(investigation, actor, reason, reply_overdue=True)
            flagged += 1
    return flagged


def _open_investigation_for_update(actor, accident_pk) -> Investigation:
    investigation = selectors.access_investigation(actor, accident_pk, for_update=True)
    require(actor, INVESTIGATE, investigation)
    checked(rules.check_open_investigation, investigation.is_closed)
    return investigation


# The credit module fills this hook (`c.provide`): `describe(facts, *, region_id) -> str` names the situations of
# 应急管理部令第11号 the facts meet (regulations.md §4). Accidents never imports credit; without it, a neutral text.
DISHONESTY_BASIS_HOOK = "credit.dishonesty_basis"


def dishonesty_basis(accident: Accident, *, aggravated: bool = False) -> str:
    """Why a responsible unit is a candidate for the serious-dishonesty list, in words: the accident's facts
    (grade, 瞒报/谎报 findings, a fine at 2–5× when aggravated) as the credit module reads them, or a neutral text
    when no module judges them."""
    facts = {
        "accident_grade": accident.grade or None,
        "concealed_or_false_report": accident.findings.filter(
            Q(is_false=True) | Q(is_concealed=True)
        ).exists(),
    }
    if aggravated:
        # 安全生产法 第一百一十四条第二款: the aggravated fine is 2 to 5 times the grade's amounts.
        facts["fine_multiplier"] = 2
    describe = contract.provided(DISHONESTY_BASIS_HOOK)
    text = describe(facts, region_id=accident.region_id) if describe is not None else ""
    return record_text(text or _("事故责任单位，待信用管理部门认定"))


def _set_fine(responsibility: Responsibility, grade: str, data: dict) -> None:
    """The fine of a responsible party (安全生产法 2021): a unit's entered amount must lie in its grade's range
    (第一百一十四条, 2–5× when aggravated); the 主要负责人's is the grade's share of last year's income (第九十五条)."""
    if responsibility.party == Responsibility.Party.UNIT:
        responsibility.aggravated = bool(data.get("aggravated"))
        fine = data.get("fine_wan")
        if fine is not None:
            checked(rules.check_unit_fine, grade, fine, aggravated=responsibility.aggravated)
            responsibility.fine_wan = Decimal(fine)
        return
    responsibility.is_principal = bool(data.get("is_principal"))
    if not responsibility.is_principal:
        return
    responsibility.fine_percent = rules.principal_fine_percent(grade)
    income = data.get("last_year_income_wan")
    if income is not None:
        if Decimal(income) < 0:
            raise DomainError(Code.INVALID, _("上一年年收入不能为负数。"), field="last_year_income_wan")
        responsibility.last_year_income_wan = Decimal(income)
        responsibility.fine_wan = rules.principal_fine_wan(grade, Decimal(income))


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
        _set_fine(responsibility, investigation.accident.grade, data)
        if responsibility.party == Responsibility.Party.UNIT:
            responsibility.is_dishonesty_candidate = True
            responsibility.candidate_basis = dishonesty_basis(
                investigation.accident, aggravated=responsibility.aggravated
            )[:300]
        records.validate(responsibility)
        records.save_with_history(responsibility, actor, record_text(gettext_lazy("责任认定")))
    return responsibility


def add_measure(
    *, actor, accident_pk, description: str, responsible_party: str, due_on: date
) -> PreventiveMeasure:
    with transaction.atomic():
        investigation = _open_investigation_for_update(actor, accident_pk)
        if due_on:
            today = _today()
            label = _label(PreventiveMeasure, "due_on")
            latest = rules.deadline_latest(today)
            checked(rules.check_date_range, due_on, "due_on", label, today, None, latest=latest)
        measure = PreventiveMeasure(
            investigation=investigation,
            description=(description or "").strip(),
            responsible_party=(responsible_party or "").strip(),
            due_on=due_on,
        )
        records.validate(measure)
        records.save_with_history(measure, actor, record_text(gettext_lazy("登记防范和整改措施")))
    return measure


def complete_measure(*, actor, accident_pk, measure_pk, completed_on: date, note: str) -> PreventiveMeasure:
    """Record that a measure was carried out, with what was done (the measure's `complete` transition)."""
    if not (note or "").strip():
        raise DomainError(Code.INVALID, _("请填写完成情况。"), field="note")
    with transaction.atomic():
        investigation = selectors.access_investigation(actor, accident_pk)
        measure = (
            PreventiveMeasure.objects.select_for_update()
            .select_related("investigation")
            .filter(pk=measure_pk, investigation=investigation)
            .first()
        )
        if measure is None:
            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        transition = find(PreventiveMeasure.TRANSITIONS, "complete")
        require(actor, transition.right, measure)
        if completed_on:
            label = _label(PreventiveMeasure, "completed_on")
            checked(rules.check_date_range, completed_on, "completed_on", label, _today())
        checked(
            rules.check_not_after_today,
            completed_on,
            timezone.localdate(),
            "completed_on",
            ErrorCode.COMPLETED_IN_FUTURE,
            _("完成日期不能晚于今天。"),
        )
        changes = {"completed_on": completed_on, "completion_note": note.strip()}
        return apply_transition(
            measure, transition, actor=actor, reason=record_text(gettext_lazy("措施完成")), changes=changes
        )


# ---------------------------------------------------------------- injured persons by lost work days


def injury_counts_of(accident: Accident) -> dict[str, int] | None:
    """重伤/轻伤人数 counted from the accident's injured persons (one grouped query), or None when it has none:
    then the reports' figures stand."""
    rows = (
        InjuredPerson.objects.filter(accident=accident).values("severity").annotate(n=Count("pk")).order_by()
    )
    severities = {row["severity"] or None: row["n"] for row in rows}
    if not severities:
        return None
    return rules.injury_counts(severities)


def _latest_reported_counts(accident: Accident) -> dict[str, int]:
    """The injury counts of the last report inside the window (what stands once the last row is removed)."""
    report = accident.reports.filter(within_window=True).order_by("-sequence").first()
    fields = ("serious_injuries", "minor_injuries")
    return {name: getattr(report, name) if report else 0 for name in fields}


def sync_injury_counts(accident: Accident, actor, label, now: datetime | None = None) -> None:
    """Make the accident's 重伤/轻伤人数 follow its injured persons (or, without any, its last report). Inside the
    续报/补报 window the accident is re-graded as a 续报 would re-grade it (493号令 第十三条); after it the counts
    still follow (statistics count injuries without a time limit) but the grade stays."""
    now = now or timezone.now()
    counts = injury_counts_of(accident) or _latest_reported_counts(accident)
    for name, value in counts.items():  # the model's bound (issue #12): at most MAX_PEOPLE of each
        checked(rules.figure_count, value, name, _label(Accident, name))
    if all(getattr(accident, name) == value for name, value in counts.items()):
        return
    for name, value in counts.items():
        setattr(accident, name, value)
    old_grade = accident.grade
    if rules.within_supplement_window(accident.occurred_on, accident.kind, timezone.localdate(now)):
        figures = {name: getattr(accident, name) for name in rules.COUNT_FIGURES}
        accident.grade, accident.grade_criterion = _grade(figures, accident.direct_loss_yuan)
    _save_regraded(accident, actor, now, label, old_grade)


def _clean_injured(data: dict) -> dict:
    """A person's name, identifier, note and lost work days (whole, not negative), each error naming its field."""
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError(Code.INVALID, _("请填写伤员姓名。"), field="name")
    days = checked(rules.lost_work_days, data.get("lost_work_days"), _label(InjuredPerson, "lost_work_days"))
    return {
        "name": name,
        "identifier": (data.get("identifier") or "").strip(),
        "note": (data.get("note") or "").strip(),
        "lost_work_days": days,
    }


def _accident_for_injuries(actor, accident_pk) -> Accident:
    """The accident, scoped (404) and locked; its figures are changed by those who file its 续报."""
    accident = selectors.access_accident(actor, accident_pk, for_update=True)
    require(actor, REPORT, accident)
    return accident


def _injured_of(accident: Accident, person_pk) -> InjuredPerson:
    person = InjuredPerson.objects.select_for_update().filter(pk=person_pk, accident=accident).first()
    if person is None:
        raise Http404(_("记录不存在或不在您的管辖范围内。"))
    return person


def _write_injured(person: InjuredPerson, values: dict, actor, reason) -> None:
    for name, value in values.items():
        setattr(person, name, value)
    person.severity = rules.injury_severity(person.lost_work_days) or ""
    person.recorded_by = actor
    records.validate(person)
    records.save_with_history(person, actor, reason)


def add_injured_person(*, actor, accident_pk, data: dict) -> InjuredPerson:
    """Record an injured person by lost work days; the accident's 重伤/轻伤人数 follow in the same transaction."""
    values = _clean_injured(data)
    with transaction.atomic():
        accident = _accident_for_injuries(actor, accident_pk)
        person = InjuredPerson(accident=accident)
        reason = record_text(gettext_lazy("登记伤员损失工作日"))
        _write_injured(person, values, actor, reason)
        sync_injury_counts(accident, actor, reason)
    return person


def correct_injured_person(*, actor, accident_pk, person_pk, data: dict) -> InjuredPerson:
    """Correct a person's days (and so severity), name or note; the counts follow."""
    values = _clean_injured(data)
    with transaction.atomic():
        accident = _accident_for_injuries(actor, accident_pk)
        person = _injured_of(accident, person_pk)
        reason = record_text(gettext_lazy("更正伤员损失工作日"))
        _write_injured(person, values, actor, reason)
        sync_injury_counts(accident, actor, reason)
    return person


def remove_injured_person(*, actor, accident_pk, person_pk) -> None:
    """Remove a person recorded in error; without any row left, the last report's counts stand again."""
    with transaction.atomic():
        accident = _accident_for_injuries(actor, accident_pk)
        person = _injured_of(accident, person_pk)
        reason = record_text(gettext_lazy("删除伤员损失工作日记录"))
        records.delete_with_history(person, actor, reason)
        sync_injury_counts(accident, actor, reason)


# ---------------------------------------------------------------- minor events, economy


def record_minor_event(*, actor, data: dict) -> MinorEvent:
    """未遂事件/轻微事故 for the pyramid, inside the reporter's jurisdiction."""
    require_right(actor, REPORT)
    counts = clean_counts(data, MinorEvent, fields=("minor_injuries",))
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
        records.validate(event)
        records.save_with_history(event, actor, record_text(type(event).Kind(event.kind).label))
        records.ensure_in_scope(actor, REPORT, event, "region")
    return event


NEAR_MISS_FIGURES = ("people_at_risk", "trapped_or_missing", "evacuated")
NEAR_MISS_SITES = ("threatens_key_site", "serious_pollution")


def report_near_miss(*, actor, data: dict) -> NearMissIncident:
    """较大涉险事故: reported like an accident, within 1 hour of the head's notification (21号令 第二十六条).
    Refused when none of its criteria is reached: such an event is a 未遂事件 (or, with casualties, an accident),
    recorded on those pages, so the separate count holds only what the rule calls 较大涉险. Once committed,
    other modules hear of it (`accidents.near_miss_reported`), as of an accident."""
    require_right(actor, REPORT)
    now = timezone.now()
    figures = clean_counts(data, NearMissIncident, fields=NEAR_MISS_FIGURES)
    sites = {name: bool(data.get(name)) for name in NEAR_MISS_SITES}
    occurred_at, head_notified_at = data.get("occurred_at"), data.get("head_notified_at")
    _clean_times(occurred_at, head_notified_at, now)
    region, industry, enterprise = data.get("region"), data.get("industry"), data.get("enterprise")
    if region is None or industry is None:
        field = "region" if region is None else "industry"
        raise DomainError(
            Code.INVALID, _("请选择%(f)s。") % {"f": _label(NearMissIncident, field)}, field=field
        )
    _check_reporting_scope(actor, region, industry, enterprise)
    if not rules.is_relatively_major_near_miss(**figures, **sites):
        raise DomainError(
            ErrorCode.NOT_NEAR_MISS,
            _(
                "未达到较大涉险事故标准（涉险10人以上、被困或下落不明3人以上、紧急疏散500人以上、"
                "严重污染或危及重要场所），请登记为未遂事件或按生产安全事故报告。"
            ),
            field="__all__",
        )
    due_at = rules.report_deadline(head_notified_at or occurred_at, rules.UNIT)
    with transaction.atomic():
        incident = NearMissIncident(
            occurred_at=occurred_at,
            head_notified_at=head_notified_at,
            place=(data.get("place") or "").strip(),
            region=region,
            enterprise=enterprise,
            industry=industry,
            description=(data.get("description") or "").strip(),
            measures_taken=(data.get("measures_taken") or "").strip(),
            reporter=actor,
            reporter_name=(data.get("reporter_name") or "").strip(),
            reporter_phone=(data.get("reporter_phone") or "").strip(),
            reported_at=now,
            due_at=due_at,
            is_late=rules.report_is_late(due_at, now, now),
            **figures,
            **sites,
        )
        local = timezone.localtime(occurred_at)
        incident.title = record_text(
            gettext_lazy("%(where)s“%(m)d·%(d)d”较大涉险事故"),
            where=enterprise.name if enterprise else region.name,
            m=local.month,
            d=local.day,
        )
        records.validate(incident)
        records.save_with_history(incident, actor, record_text(gettext_lazy("较大涉险事故报告")))
        records.ensure_in_scope(actor, REPORT, incident, "region")
        people = _duty_office(incident, rules.Level.COUNTY)
        transaction.on_commit(
            lambda: notify(
                people,
                kind="accident.near_miss",
                title=record_text(gettext_lazy("较大涉险事故：%(title)s"), title=incident.title),
                body=incident.description,
                url=reverse("accidents:near-miss-list"),
                dedupe_key=f"near_miss:{incident.pk}",
            )
        )
        transaction.on_commit(lambda: contract.emit("accidents.near_miss_reported", incident=incident))
    return incident


def save_economy(
    *,
    actor,
    region_pk,
    year: int,
    gdp_yi: Decimal,
    industrial_employment: int,
    motor_vehicles: int | None = None,
    raw_coal_wan_tonnes: Decimal | None = None,
) -> RegionEconomy:
    """Enter or correct a region's GDP, 工矿商贸 employment, motor vehicles and raw coal output for a year
    (the last two optional: blank means not known or, for coal, no mine)."""
    from anlan.core.selectors import access_region

    with transaction.atomic():
        region = access_region(actor, region_pk)
        require(actor, "accidents.edit_economy", region)
        figures = RegionEconomy.objects.select_for_update().filter(region=region, year=year).first()
        figures = figures or RegionEconomy(region=region, year=year)
        figures.gdp_yi, figures.industrial_employment = gdp_yi, industrial_employment
        figures.motor_vehicles, figures.raw_coal_wan_tonnes = motor_vehicles, raw_coal_wan_tonnes
        records.validate(figures)
        records.save_with_history(figures, actor, "")
    return figures
