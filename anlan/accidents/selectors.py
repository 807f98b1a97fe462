"""Scoped reads of accidents. Out of scope is 404 (design.md §2).

Besides the lists, the detail page's facts (lateness per step, what may be forwarded, the investigation's
lateness, level and delegation, the 续报/补报 window) are read here from the stored fields and the rules, so
the page calls no rule; and the module's to-dos and home indicators are scoped QuerySets of a user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import capacity, trees
from anlan.core import rules as core_rules
from anlan.core.contract import TodoItem
from anlan.core.models import Region, Role
from anlan.core.scope import scope_q
from anlan.core.selectors import access

from . import rules
from .models import (
    Accident,
    AccidentKind,
    AccidentReport,
    InjuredPerson,
    Investigation,
    Level,
    MinorEvent,
    NearMissIncident,
    PreventiveMeasure,
    RegionEconomy,
    ReportingFinding,
    ReportStep,
    Responsibility,
)
from .statistics import counted_deaths_sql

REPORT = "accidents.report_accident"
RECEIVE = "accidents.receive_report"
INVESTIGATE = "accidents.manage_investigation"


def access_accident(user, pk, *, for_update: bool = False) -> Accident:
    return access(
        Accident.objects.select_related("region", "enterprise", "industry"), user, pk, for_update=for_update
    )


def access_investigation(user, accident_pk, *, for_update: bool = False) -> Investigation:
    """The investigation of an accident the user may see, else 404."""
    accident = access_accident(user, accident_pk)
    queryset = Investigation.objects.select_related("accident")
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(accident=accident)
    except Investigation.DoesNotExist as exc:
        raise Http404(_("该事故尚未成立调查组。")) from exc


def access_investigation_by_pk(user, pk, *, for_update: bool = False) -> Investigation:
    """An investigation by its own id (the transition endpoints), else 404."""
    return access(Investigation.objects.select_related("accident"), user, pk, for_update=for_update)


def access_measure(user, pk, *, for_update: bool = False) -> PreventiveMeasure:
    return access(PreventiveMeasure.objects.select_related("investigation"), user, pk, for_update=for_update)


def accident_list(user) -> QuerySet:
    return Accident.objects.for_user(user).select_related("region", "industry", "enterprise")


def minor_event_list(user) -> QuerySet:
    return MinorEvent.objects.for_user(user).select_related("region", "industry", "enterprise")


def near_miss_list(user) -> QuerySet:
    return NearMissIncident.objects.for_user(user).select_related("region", "industry", "enterprise")


def economy_list(user) -> QuerySet:
    return RegionEconomy.objects.for_user(user).select_related("region")


def reporting_regions(user) -> QuerySet:
    """Regions a user may file an accident under: their scope, and for an enterprise its county."""
    q = scope_q(user, Region.scope)
    for membership in capacity.capacities(user, right=REPORT, roles=[Role.ENTERPRISE]):
        low, high = core_rules.subtree_bounds(trees.county_of(membership.enterprise.region_id), trees.COUNTY)
        q |= Q(code__gte=low, code__lte=high)
    return Region.objects.filter(q, level__gte=Region.Level.COUNTY).order_by("code")


# ---------------------------------------------------------------- the detail page


@dataclass
class Detail:
    """What the accident page shows, worked out once from stored fields and the rules."""

    accident: Accident
    steps: list[ReportStep]
    reports: QuerySet
    findings: QuerySet
    investigation: Investigation | None
    responsibilities: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    investigation_overdue: bool = False
    investigation_level: str = ""
    may_delegate: bool = False
    window_open: bool = False
    reply_overdue: bool = False
    reply_latest_on: date | None = None
    concealment_unverified: bool = False
    injured: list = field(default_factory=list)
    lost_work_days_total: int = 0


def accident_detail(user, pk, *, now: datetime) -> Detail:
    """The accident with its chain (each step's `overdue` and `can_forward`), versions, findings and
    investigation, and the facts the rules give about it today; 404 out of scope."""
    accident = access_accident(user, pk)
    today = timezone.localtime(now).date()
    steps = sorted(accident.steps.all(), key=lambda s: s.rank)
    ranks = {step.rank for step in steps}
    for step in steps:
        step.overdue = step.received_at is None and rules.report_is_late(step.due_at, None, now)
        step.can_forward = rules.may_forward(step.received_at, step.forwarded_at, step.rank + 1 in ranks)
    investigation = Investigation.objects.filter(accident=accident).first()
    detail = Detail(
        accident=accident,
        steps=steps,
        reports=accident.reports.select_related("reporter"),
        findings=accident.findings.all(),
        investigation=investigation,
        investigation_level=dict(Level.choices)[rules.investigation_level(accident.grade)],
        may_delegate=rules.investigation_may_be_delegated_to_unit(
            accident.grade, accident.counted_deaths, accident.serious_injuries + accident.minor_injuries
        ),
        window_open=rules.within_supplement_window(accident.occurred_on, accident.kind, today),
        concealment_unverified=concealment_unverified(accident),
        injured=list(accident.injured_persons.all()),
    )
    detail.lost_work_days_total = sum(person.lost_work_days for person in detail.injured)
    if investigation is not None:
        investigation.accident = accident
        detail.responsibilities = list(investigation.responsibilities.select_related("enterprise"))
        detail.measures = list(investigation.measures.all())
        for measure in detail.measures:
            measure.investigation = investigation
        detail.investigation_overdue = investigation_overdue(investigation, today)
        if investigation.report_received_on is not None:
            detail.reply_overdue = investigation.reply_overdue or rules.reply_overdue(
                investigation.reply_due_on, investigation.replied_on, today
            )
            detail.reply_latest_on = rules.reply_due(accident.grade, investigation.report_received_on)[1]
    return detail


def concealment_unverified(accident: Accident) -> bool:
    """Not reported past the deadline, and no finding has verified the concealment yet: flagged for verification
    (`rules.concealment_unverified`, recorded on each finding as `awaiting_verification`)."""
    flags = accident.findings.aggregate(
        awaiting=Count("pk", filter=Q(awaiting_verification=True)),
        concealed=Count("pk", filter=Q(is_concealed=True)),
    )
    return bool(flags["awaiting"]) and not flags["concealed"]


def fine_guide(grade: str) -> dict[str, str]:
    """What the law allows for this grade, as the investigator sees it when recording responsibility:
    the unit's range (and the aggravated one, 安全生产法 第一百一十四条) and the 主要负责人's share (第九十五条)."""
    low, high = rules.unit_fine_range(grade)
    aggravated_low, aggravated_high = rules.unit_fine_range(grade, aggravated=True)
    return {
        "unit": _(
            "对事故发生单位罚款%(low)d万元至%(high)d万元；情节特别严重、影响特别恶劣的，%(alow)d万元至%(ahigh)d万元"
            "（安全生产法第一百一十四条）。"
        )
        % {"low": low, "high": high, "alow": aggravated_low, "ahigh": aggravated_high},
        "principal": _("主要负责人处上一年年收入%(percent)d%%的罚款（安全生产法第九十五条）。")
        % {"percent": rules.principal_fine_percent(grade)},
    }


def investigation_overdue(investigation: Investigation, today: date) -> bool:
    return rules.investigation_overdue(investigation.is_running, investigation.due_on, today)


def timeline_sources(accident: Accident, investigation: Investigation | None) -> list[tuple]:
    """The history querysets merged into the accident's timeline (the accident's own rows come first)."""
    history = [
        (AccidentReport.history.model.objects.filter(accident_id=accident.pk), AccidentReport, _("事故报告")),
        (ReportStep.history.model.objects.filter(accident_id=accident.pk), ReportStep, _("逐级上报")),
        (
            ReportingFinding.history.model.objects.filter(accident_id=accident.pk),
            ReportingFinding,
            _("报告问题认定"),
        ),
        (Investigation.history.model.objects.filter(accident_id=accident.pk), Investigation, _("事故调查")),
        (
            InjuredPerson.history.model.objects.filter(accident_id=accident.pk),
            InjuredPerson,
            _("伤员损失工作日") + " {record.name}",
        ),
    ]
    if investigation is not None:
        history += [
            (
                Responsibility.history.model.objects.filter(investigation_id=investigation.pk),
                Responsibility,
                _("责任认定") + " {record.name}",
            ),
            (
                PreventiveMeasure.history.model.objects.filter(investigation_id=investigation.pk),
                PreventiveMeasure,
                _("防范整改措施"),
            ),
        ]
    return history


# ---------------------------------------------------------------- to-dos and home indicators


def reports_to_receive(user) -> QuerySet:
    """待办 of a duty office: accidents in its reach whose report has a required level still to receive it
    (the office records the receipt when it passes the report on)."""
    return (
        Accident.objects.for_user(user, RECEIVE)
        .filter(pk__in=unreceived_accident_ids())
        .select_related("region", "industry", "enterprise")
    )


def unreceived_accident_ids() -> QuerySet:
    """Ids of accidents with a required level that has not received the report yet (a subquery)."""
    return ReportStep.objects.filter(received_at__isnull=True).values("accident_id")


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def in_supplement_window(queryset: QuerySet, today: date) -> QuerySet:
    """Accidents whose 续报/补报 window is still open today (its length depends on the kind, 第十三条)."""
    windows = [
        Q(
            kind=kind,
            occurred_at__gte=_local_midnight(today - timedelta(days=rules.supplement_window_days(kind))),
        )
        for kind in AccidentKind.values
    ]
    return queryset.filter(reduce(or_, windows))


def follow_ups_due(user, today: date | None = None) -> QuerySet:
    """待办 of an enterprise: its own accidents still inside the 续报/补报 window, where a change in the
    casualties must be reported (493号令 第十三条)."""
    enterprises = capacity.own_enterprise_ids(user, right=REPORT)
    if not enterprises:
        return Accident.objects.none()
    mine = Accident.objects.for_user(user, REPORT).filter(enterprise_id__in=enterprises)
    return in_supplement_window(mine, today or timezone.localdate())


def awaiting_reply_ids() -> QuerySet:
    """Ids of accidents whose investigation report reached the government and has no 批复 yet (a subquery)."""
    return Investigation.objects.filter(report_received_on__isnull=False, replied_on__isnull=True).values(
        "accident_id"
    )


def replies_due(user) -> QuerySet:
    """待办 of those who manage the investigation: reports awaiting the government's 批复 (493号令
    第三十二条), to chase and record once it comes."""
    return (
        Accident.objects.for_user(user, INVESTIGATE)
        .filter(pk__in=awaiting_reply_ids())
        .select_related("investigation")
    )


def accidents_this_year(user, today: date | None = None) -> QuerySet:
    """Home indicator: the accidents in the user's scope that happened this calendar year (local time)."""
    today = today or timezone.localdate()
    return Accident.objects.for_user(user).filter(
        occurred_at__gte=_local_midnight(date(today.year, 1, 1)),
        occurred_at__lt=_local_midnight(date(today.year + 1, 1, 1)),
    )


def counted_deaths_total(queryset: QuerySet) -> int:
    """The deaths of the accidents counted (the missing with the dead, as the statistics count them)."""
    return queryset.aggregate(n=Sum(counted_deaths_sql()))["n"] or 0


# ---------------------------------------------------------------- 待办 items (contract.TodoProvider.items)


def report_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """Accidents whose report is still to be received, the latest first."""
    accidents = rows.order_by("-occurred_at", "-pk")[:limit]
    return [
        TodoItem(
            accident.title,
            reverse("accidents:accident-detail", args=[accident.pk]),
            None,
            timezone.localtime(accident.occurred_at).strftime("%Y-%m-%d %H:%M"),
        )
        for accident in accidents
    ]


def follow_up_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """Own accidents whose 续报/补报 window is open, by the day it closes (493号令 第十三条)."""
    accidents = rows.order_by("occurred_at", "pk")[:limit]
    return [
        TodoItem(
            accident.title,
            reverse("accidents:accident-detail", args=[accident.pk]),
            rules.supplement_window_closes_on(timezone.localtime(accident.occurred_at).date(), accident.kind),
            _("伤亡人数有变化时须续报"),
        )
        for accident in accidents
    ]


def reply_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """Reports awaiting their 批复, the earliest due first."""
    accidents = rows.order_by("investigation__reply_due_on", "pk")[:limit]
    return [
        TodoItem(
            accident.title,
            reverse("accidents:accident-detail", args=[accident.pk]),
            accident.investigation.reply_due_on,
            _("调查报告待批复"),
        )
        for accident in accidents
    ]


def follow_ups_received_on(accident_ids, day: date) -> dict[int, int]:
    """How many 续报 each accident received on `day` (local time), as one aggregate; the emergency module's
    duty sweep compares them with `rules.follow_ups_per_day`."""
    start = timezone.make_aware(datetime.combine(day, time(0)))
    rows = (
        AccidentReport.objects.filter(
            accident_id__in=list(accident_ids),
            kind=AccidentReport.Kind.FOLLOW_UP,
            received_at__gte=start,
            received_at__lt=start + timedelta(days=1),
        )
        .values("accident_id")
        .annotate(n=Count("pk"))
    )
    return {row["accident_id"]: row["n"] for row in rows}


# ---------------------------------------------------------------- system reads for other modules' assessments
# Unscoped on purpose: the caller (governance's 考核) reads a whole county for its scoring run, which its own
# service permits; it gets querysets to aggregate in SQL, never rows to loop over.

ORDINARY_GRADES = (rules.ORDINARY,)
RELATIVELY_MAJOR_GRADES = (rules.RELATIVELY_MAJOR,)
MAJOR_OR_ABOVE = (rules.MAJOR, rules.EXTRAORDINARILY_SERIOUS)


def accidents_between(low: str, high: str, first: date, last: date) -> QuerySet:
    """Accidents whose region code lies in [low, high] and that occurred on the local days first…last."""
    return Accident.objects.filter(
        region_id__gte=low,
        region_id__lte=high,
        occurred_at__gte=_local_midnight(first),
        occurred_at__lt=_local_midnight(last + timedelta(days=1)),
    )


def misreported_accident_ids() -> QuerySet:
    """Ids of the accidents an investigation found 瞒报 or 谎报 (ReportingFinding, 14号令 definitions)."""
    return ReportingFinding.objects.filter(Q(is_concealed=True) | Q(is_false=True)).values("accident_id")


def aggravated_accident_ids() -> QuerySet:
    """Rows (`investigation__accident_id`) of the accidents whose responsible unit was fined as 情节特别严重、影响特别
    恶劣 — at 2 to 5 times the grade's amounts (安全生产法 第一百一十四条第二款); read by the credit module's
    dishonesty sweep (11号令 situation 3)."""
    return Responsibility.objects.filter(party=Responsibility.Party.UNIT, aggravated=True).values(
        "investigation__accident_id"
    )


def enterprise_accident_days(
    since: date, today: date, *, ids=None, bounds: tuple[str, str] | None = None
) -> QuerySet:
    """Rows (enterprise_id, day, grade, n) of ONE grouped query ordered by enterprise id: the accidents of each
    enterprise that occurred on the local days after `since` up to `today` — the input of credit's five-colour
    rating. For the enterprises `ids`, or those whose region code lies in `bounds`, or all. Unscoped on purpose,
    like `accidents_between`."""
    from django.db.models.functions import TruncDate

    from anlan.core.selectors import IdIn

    rows = Accident.objects.filter(
        enterprise__isnull=False,
        occurred_at__gte=_local_midnight(since + timedelta(days=1)),
        occurred_at__lt=_local_midnight(today + timedelta(days=1)),
    )
    if ids is not None:
        rows = rows.filter(IdIn("enterprise_id", ids))
    if bounds is not None:
        rows = rows.filter(enterprise__region_id__gte=bounds[0], enterprise__region_id__lte=bounds[1])
    return (
        rows.annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_default_timezone()))
        .values("enterprise_id", "day", "grade")
        .annotate(n=Count("pk"))
        .order_by("enterprise_id", "day")
        .values_list("enterprise_id", "day", "grade", "n")
    )
