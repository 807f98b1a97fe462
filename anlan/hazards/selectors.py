"""Scoped reads of hazards: access (404 out of scope), lists, and the statistics as SQL aggregates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Substr, TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from anlan.core import rules as core_rules
from anlan.core.contract import TodoItem
from anlan.core.models import Enterprise, Industry, Region, Role
from anlan.core.scope import memberships_of, scope_q
from anlan.core.selectors import access
from anlan.core.workflow import Transition, available_transitions_by_pk

from . import rules
from .guards import OVERSEEING_ROLES
from .models import (
    Extension,
    FilingRuleSetting,
    Hazard,
    Lead,
    Photo,
    Rectification,
    RectificationPlan,
    StatisticsFiling,
)

__all__ = ["access", "access_hazard", "access_lead", "hazard_list", "lead_list", "overdue_q"]


def access_hazard(user, pk, *, for_update: bool = False) -> Hazard:
    return access(
        Hazard.objects.select_related(
            "enterprise",
            "region",
            "industry",
            "grid",
            "supervising_department",
            "finding_unit",
            "registering_unit",
            "responsible_unit",
        ),
        user,
        pk,
        for_update=for_update,
    )


def is_enterprise_viewer(user) -> bool:
    """Whether the user sees hazards only as an enterprise (no other capacity): the reported party."""
    if getattr(user, "is_superuser", False):
        return False
    roles = {m.role for m in memberships_of(user)}
    return Role.ENTERPRISE in roles and roles <= {Role.ENTERPRISE}


def shows_finder(user, hazard: Hazard) -> bool:
    """Whether the page, the API and the ledger show who found the hazard (rules.finder_hidden)."""
    return not rules.finder_hidden(hazard.source, is_enterprise_viewer(user))


def access_lead(user, pk, *, for_update: bool = False) -> Lead:
    return access(
        Lead.objects.select_related("enterprise", "region", "grid", "hazard"), user, pk, for_update=for_update
    )


def access_photo(user, pk) -> Photo:
    """A picture, for those who may see its hazard or its lead (404 otherwise)."""
    item = Photo.objects.select_related("hazard", "lead").filter(pk=pk).first()
    if item is not None:
        if item.hazard_id and Hazard.objects.for_user(user).filter(pk=item.hazard_id).exists():
            return item
        if item.lead_id and Lead.objects.for_user(user).filter(pk=item.lead_id).exists():
            return item
    raise Http404(_("记录不存在或不在您的管辖范围内。"))


def hazard_actions_by_pk(hazards: list[Hazard], user) -> dict[int, list[Transition]]:
    """The transitions to offer for a page of hazards: the user's right and scope, and the table's guards
    (the submitter does not verify, a major hazard is not fixed on the spot …)."""
    return available_transitions_by_pk(hazards, user, Hazard.TRANSITIONS)


def hazard_actions(hazard: Hazard, user) -> list[Transition]:
    """The buttons of one hazard's page (see `hazard_actions_by_pk`)."""
    return hazard_actions_by_pk([hazard], user)[hazard.pk]


def hazard_list(user, action: str | None = None) -> QuerySet:
    return Hazard.objects.for_user(user, action).select_related("enterprise", "region", "industry")


def with_guard_facts(queryset: QuerySet) -> QuerySet:
    """What a page's guards read (units, listed 督办), loaded per page rather than per row."""
    return queryset.select_related("registering_unit", "finding_unit", "responsible_unit").prefetch_related(
        "supervisions__issuer"
    )


def lead_list(user) -> QuerySet:
    return Lead.objects.for_user(user).select_related("enterprise", "region", "grid", "hazard")


def overdue_q(today: date, prefix: str = "") -> Q:
    """Open and overdue on `today`: `Hazard.is_overdue` as a query (rules.is_overdue: the due date itself is
    not overdue, the day after is). `prefix` reaches the hazard from another model (e.g. ``"hazard__"``)."""
    return Q(**{f"{prefix}status__in": Hazard.OPEN, f"{prefix}due_on__lte": rules.overdue_cutoff(today)})


def open_q(prefix: str = "") -> Q:
    """Not yet closed out nor voided (`Hazard.is_open` as a query), from another model through `prefix`."""
    return Q(**{f"{prefix}status__in": Hazard.OPEN})


def closed_q(prefix: str = "") -> Q:
    """Closed out (销号) after verification, from another model through `prefix`."""
    return Q(**{f"{prefix}status": Hazard.Status.CLOSED})


def closed_late_q(prefix: str = "") -> Q:
    """Closed out after the due date (`Hazard.closed_late` as a query)."""
    return closed_q(prefix) & Q(**{f"{prefix}closed_on__gt": F(f"{prefix}due_on")})


# The hazard's states for other apps' filters and labels (value, label).
STATUS_CHOICES = Hazard.Status.choices
AWAITING_VERIFICATION = Hazard.Status.AWAITING_VERIFICATION


def plans_newest_first() -> QuerySet:
    """A hazard's rectification plans, the current one first (for a Prefetch from another app's ledger)."""
    return RectificationPlan.objects.order_by("-recorded_at", "-id")


def rectifications_newest_first() -> QuerySet:
    """A hazard's submitted rectifications, the latest first."""
    return Rectification.objects.order_by("-submitted_at", "-id")


# What another app registers a hazard it found in a 督查 with (governance's 督查问题).
SUPERVISION_SOURCE = Hazard.Source.SUPERVISION
MANAGEMENT_CATEGORY = Hazard.Category.MANAGEMENT


def default_due_on(found_on: date | None = None) -> date:
    """The rectification deadline a form proposes for a hazard found on `found_on` (default today), after
    the `ANLAN_RECTIFICATION_DAYS` setting (rules.default_rectification_due_on)."""
    return rules.default_rectification_due_on(
        found_on or timezone.localdate(), settings.ANLAN_RECTIFICATION_DAYS
    )


def experts() -> QuerySet:
    """Active users with an active expert membership: whom a hazard can be assigned to (专家会诊)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Role.EXPERT, memberships__is_active=True)
        .distinct()
    )


# ---------------------------------------------------------------- statistics (SQL aggregates only)


def totals(queryset: QuerySet, today: date) -> dict:
    """One query: found, closed, open, overdue, major, due in the period and closed on time, average days."""
    due = Q(due_on__lte=today)
    row = queryset.aggregate(
        found=Count("pk", filter=~Q(status=Hazard.Status.VOIDED)),
        closed=Count("pk", filter=Q(status=Hazard.Status.CLOSED)),
        open=Count("pk", filter=Q(status__in=Hazard.OPEN)),
        overdue=Count("pk", filter=overdue_q(today)),
        major=Count("pk", filter=Q(grade=Hazard.Grade.MAJOR) & ~Q(status=Hazard.Status.VOIDED)),
        due_in_period=Count("pk", filter=due & ~Q(status=Hazard.Status.VOIDED)),
        closed_on_time=Count("pk", filter=due & Q(status=Hazard.Status.CLOSED, closed_on__lte=F("due_on"))),
        days_to_close=Avg(
            ExpressionWrapper(F("closed_on") - F("found_on"), output_field=DurationField()),
            filter=Q(status=Hazard.Status.CLOSED),
        ),
    )
    days = row.pop("days_to_close")
    row["avg_days_to_close"] = round(days.total_seconds() / 86400, 1) if days is not None else None
    return row


def counts_by(queryset: QuerySet, field: str) -> list[dict]:
    return list(queryset.values(field).annotate(n=Count("pk")).order_by(field))


def monthly(queryset: QuerySet) -> list[dict]:
    """Found and closed per month of finding (one grouped query)."""
    return list(
        queryset.annotate(month=TruncMonth("found_on"))
        .values("month")
        .annotate(found=Count("pk"), closed=Count("pk", filter=Q(status=Hazard.Status.CLOSED)))
        .order_by("month")
    )


def by_region_prefix(queryset: QuerySet, length: int, today: date) -> dict[str, dict]:
    """Found / closed / overdue grouped by the first `length` digits of the region code (a child region)."""
    rows = (
        queryset.annotate(prefix=Substr("region_id", 1, length))
        .values("prefix")
        .annotate(
            found=Count("pk"),
            closed=Count("pk", filter=Q(status=Hazard.Status.CLOSED)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
        .order_by("prefix")
    )
    return {row["prefix"]: row for row in rows}


# ---------------------------------------------------------------- to-dos and home indicators (apps.py)
# Each to-do is a scoped queryset of rows the user may act on now: the right, the scope and the rules
# the transition tables' guards state (the count on the home page never includes a step that would be refused).


def _major_verifier_q(user, prefix: str = "") -> Q:
    """Hazards a user may verify or decide as a supervising body, or as their assigned expert
    (guards.is_supervising_verifier, guards.is_assigned_expert)."""
    spec = Hazard.scope if not prefix else Extension.scope
    q = scope_q(user, spec, OVERSEEING_ROLES)
    experts = scope_q(user, spec, frozenset({Role.EXPERT}))
    return q | (experts & Q(**{f"{prefix}expert_id": user.pk}))


def _member_units_q(user, path: str) -> Q:
    """Rows whose unit at `path` is one the user belongs to (units.is_member as a query)."""
    q = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role == Role.DEPARTMENT and m.department_id:
            q |= Q(**{f"{path}__department_id": m.department_id})
        elif m.role == Role.ENTERPRISE and m.enterprise_id:
            q |= Q(**{f"{path}__enterprise_id": m.enterprise_id})
        elif m.role == Role.TOWN and m.region_id:
            q |= Q(**{f"{path}__kind": "town", f"{path}__region_id": m.region_id})
        elif m.role == Role.COMMITTEE_OFFICE and m.region_id:
            q |= Q(**{f"{path}__kind": "committee_office", f"{path}__region_id": m.region_id})
    return q


def _enterprises_with_colleagues(user) -> list[int]:
    """The user's enterprises with more than one active account (a single account cannot verify its own)."""
    from .guards import enterprise_accounts

    ids = {m.enterprise_id for m in memberships_of(user) if m.role == Role.ENTERPRISE and m.enterprise_id}
    return [pk for pk in ids if enterprise_accounts(pk) > 1]


def hazards_to_verify(user) -> QuerySet:
    """Hazards awaiting the user's verification (Hazard.TRANSITIONS, `verify`; rules.check_verifier): in scope
    with the right, not submitted by them, not an inspection's finding (closed by the 整改复查意见书); a major
    hazard only for a supervising body or its assigned expert; an ordinary one for a supervising body, the
    finding unit, or (企业自查, not witnessed) the enterprise's users."""
    supervising = scope_q(user, Hazard.scope, OVERSEEING_ROLES)
    enterprise = scope_q(user, Hazard.scope, frozenset({Role.ENTERPRISE}))
    ordinary = Q(grade=Hazard.Grade.ORDINARY) & (
        supervising
        | (_member_units_q(user, "finding_unit") & ~enterprise)
        | (
            enterprise
            & Q(enterprise_id__in=_enterprises_with_colleagues(user))
            & Q(source=Hazard.Source.SELF_INSPECTION, witnessed_fix=False)
        )
    )
    return (
        Hazard.objects.for_user(user, "hazards.verify")
        .filter(ordinary | _major_verifier_q(user), status=Hazard.Status.AWAITING_VERIFICATION)
        .exclude(submitted_by_id=user.pk)
        .exclude(inspection_finding=True)
        .exclude(_rectifying_unit_q(user))
    )


def _rectifying_unit_q(user) -> Q:
    """Place hazards another unit found whose responsible unit is the user's (guards.is_rectifying_unit_member
    as a query): that unit rectifies them and never verifies them."""
    return (
        Q(enterprise__isnull=True, finding_unit__isnull=False)
        & ~Q(responsible_unit=F("finding_unit"))
        & _member_units_q(user, "responsible_unit")
    )


def hazards_to_rectify(user) -> QuerySet:
    """Open hazards not yet submitted that the user rectifies (guards.may_rectify): their enterprise's, or
    a hazard at a place whose responsible unit is theirs (or, without one, in their town)."""
    own = scope_q(user, Hazard.scope, frozenset({Role.ENTERPRISE}))
    places = Q(enterprise__isnull=True) & (
        _member_units_q(user, "responsible_unit")
        | (Q(responsible_unit__isnull=True) & scope_q(user, Hazard.scope, frozenset({Role.TOWN})))
    )
    return Hazard.objects.for_user(user, "hazards.submit_rectification").filter(
        own | places, status__in=(Hazard.Status.REGISTERED, Hazard.Status.RECTIFYING)
    )


def leads_to_confirm(user) -> QuerySet:
    """Pending leads in the user's scope that they may confirm or dismiss."""
    return Lead.objects.for_user(user, "hazards.confirm_lead").filter(status=Lead.Status.PENDING)


def extensions_to_decide(user) -> QuerySet:
    """Pending extension requests the user may decide: not their own, and a major hazard's only for a
    supervising body (Extension.TRANSITIONS)."""
    allowed = Q(hazard__grade=Hazard.Grade.ORDINARY) | _major_verifier_q(user, "hazard__")
    return (
        Extension.objects.for_user(user, "hazards.approve_extension")
        .filter(allowed, status=Extension.Status.PENDING)
        .exclude(requested_by_id=user.pk)
    )


def open_hazards(user, **params) -> QuerySet:
    return Hazard.objects.for_user(user).filter(status__in=Hazard.OPEN)


def overdue_hazards(user, **params) -> QuerySet:
    return Hazard.objects.for_user(user).filter(overdue_q(params.get("today") or timezone.localdate()))


def open_major_hazards(user, **params) -> QuerySet:
    return open_hazards(user).filter(grade=Hazard.Grade.MAJOR)


def _list_url(name: str, query: str) -> str:
    return f"{reverse(name)}?{query}"


def hazards_to_verify_url(user) -> str:
    return _list_url("hazards:hazard-list", "status=awaiting_verification&to=verify")


def hazards_to_rectify_url(user) -> str:
    return _list_url("hazards:hazard-list", "status=registered&status=rectifying&to=rectify")


def leads_to_confirm_url(user) -> str:
    return _list_url("hazards:lead-list", "status=pending")


def extensions_to_decide_url(user) -> str:
    return _list_url("hazards:hazard-list", "to=decide_extension")


def open_hazards_url(user) -> str:
    return _list_url(
        "hazards:hazard-list", "status=registered&status=rectifying&status=awaiting_verification"
    )


def overdue_hazards_url(user) -> str:
    return _list_url("hazards:hazard-list", "overdue=true")


def open_major_hazards_url(user) -> str:
    return _list_url(
        "hazards:hazard-list", "grade=major&status=registered&status=rectifying&status=awaiting_verification"
    )


# ---------------------------------------------------------------- 待办 items (contract.TodoProvider.items)


def hazard_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """The hazards most urgent first (the rectification deadline), each linking to its page."""
    # The ids first, sorted narrow, then only those rows: a county's thousands of hazards awaiting
    # verification are sorted as (due_on, id) pairs rather than as whole rows joined to their enterprise.
    first = list(rows.order_by("due_on", "pk").values_list("pk", flat=True)[:limit])
    hazards = Hazard.objects.filter(pk__in=first).select_related("enterprise").order_by("due_on", "pk")
    return [
        TodoItem(
            f"{hazard.number} · {hazard.subject}",
            reverse("hazards:hazard-detail", args=[hazard.pk]),
            hazard.due_on,
            Truncator(hazard.description).chars(40),
        )
        for hazard in hazards
    ]


def lead_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """The oldest pending leads first."""
    leads = rows.select_related("enterprise").order_by("created_at", "pk")[:limit]
    return [
        TodoItem(
            f"{lead} · {lead.subject}",
            reverse("hazards:lead-detail", args=[lead.pk]),
            None,
            Truncator(lead.description).chars(40),
        )
        for lead in leads
    ]


def extension_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """Extension requests by the current deadline they would move, soonest first."""
    requests = rows.select_related("hazard__enterprise").order_by("old_due_on", "pk")[:limit]
    return [
        TodoItem(
            f"{extension.hazard.number} · {extension.hazard.subject}",
            reverse("hazards:extension-decide", args=[extension.pk]),
            extension.old_due_on,
            _("申请延期至 %(date)s") % {"date": extension.new_due_on.isoformat()},
        )
        for extension in requests
    ]


def home_my_leads(user, limit: int = 10) -> dict | None:
    """The home block of a reporter (a grid worker first of all): their latest leads with what became of
    them, each linking to the lead and, once confirmed, to its hazard."""
    mine = Lead.objects.for_user(user).filter(reported_by=user)
    leads = list(mine.select_related("enterprise", "hazard").order_by("-created_at", "-pk")[:limit])
    if not leads:
        return None
    hazard_ids = [lead.hazard_id for lead in leads if lead.hazard_id]
    visible = set(Hazard.objects.for_user(user).filter(pk__in=hazard_ids).values_list("pk", flat=True))
    return {
        "leads": leads,
        "visible_hazards": visible,  # a hazard is linked only where the reporter may open it
        "total": mine.count(),
        "url": _list_url("hazards:lead-list", "mine=true"),
    }


def home_assigned(user, limit: int = 10) -> dict | None:
    """The home block of an expert: the open hazards assigned to them (专家会诊), the nearest deadline first."""
    assigned = Hazard.objects.for_user(user).filter(expert=user, status__in=Hazard.OPEN)
    hazards = list(assigned.select_related("enterprise").order_by("due_on", "pk")[:limit])
    if not hazards:
        return None
    return {"hazards": hazards, "total": assigned.count(), "today": timezone.localdate()}


# ---------------------------------------------------------------- 隐患排查治理统计分析表 (16号令 第十四条)


def access_filing(user, pk, *, for_update: bool = False) -> StatisticsFiling:
    return access(
        StatisticsFiling.objects.select_related(
            "enterprise__principal", "enterprise__region", "confirmed_by"
        ),
        user,
        pk,
        for_update=for_update,
    )


def filing_rule_for(region_code: str, period: str) -> rules.FilingRule:
    """The deadlines of the province a region code lies in (GB/T 2260: its first two digits), as in force at
    the period's end: the latest setting from on or before that day, else the national default."""
    province = core_rules.ancestor_code(region_code, Region.Level.PROVINCE)
    end = rules.filing_period_bounds(period)[1]
    setting = (
        FilingRuleSetting.objects.filter(province_id=province)
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=end))
        .order_by(F("effective_from").desc(nulls_last=True), "-pk")
        .first()
    )
    return setting.rule if setting is not None else rules.DEFAULT_FILING_RULE


def filing_due_on(region_code: str, period: str) -> date:
    return rules.statistics_filing_due(period, rule=filing_rule_for(region_code, period))[0]


def period_end_at(period: str):
    """The first instant after the period (local midnight): enterprises registered before it must file."""
    end = rules.filing_period_bounds(period)[1]
    return timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))


def required_enterprises(queryset: QuerySet, period: str) -> QuerySet:
    """Of `queryset` (enterprises), those that must file for `period`: operating now and registered in the
    registry before the period ended."""
    return queryset.filter(status=Enterprise.Status.OPERATING, created_at__lt=period_end_at(period))


def ledger_figures(enterprise_id: int, period: str) -> dict:
    """The 统计分析表's figures from the enterprise's hazard ledger, as SQL aggregates (voided hazards left out):
    found in the period (by grade), of those rectified (销号) by its end and on time, open at its end (carried
    over ones too), of those past their deadline, and the rectification funds of the current plans."""
    return ledger_figures_for([enterprise_id], period).get(enterprise_id) or _figures({}, None)


def _figures(row: dict, funds) -> dict:
    figures = {key: row.get(key, 0) for key in FIGURE_KEYS}
    figures["rectification_rate"] = rules.rate(figures["rectified"], figures["found"])
    figures["funds"] = str(Decimal(funds).quantize(Decimal("0.01"))) if funds is not None else None
    return figures


FIGURE_KEYS = (
    "found",
    "found_ordinary",
    "found_major",
    "rectified",
    "rectified_major",
    "rectified_on_time",
    "open_at_end",
    "open_major_at_end",
    "overdue_at_end",
)


def ledger_figures_for(enterprise_ids, period: str) -> dict[int, dict]:
    """`ledger_figures` of many enterprises at once: two grouped queries (the counts, the funds)."""
    first, last = rules.filing_period_bounds(period)
    hazards = Hazard.objects.filter(enterprise_id__in=enterprise_ids).exclude(status=Hazard.Status.VOIDED)
    found = Q(found_on__gte=first, found_on__lte=last)
    rectified = found & Q(closed_on__isnull=False, closed_on__lte=last)
    open_at_end = Q(found_on__lte=last) & (Q(closed_on__isnull=True) | Q(closed_on__gt=last))
    major = Q(grade=Hazard.Grade.MAJOR)
    counts = (
        hazards.filter(found_on__lte=last)
        .values("enterprise_id")
        .annotate(
            found=Count("pk", filter=found),
            found_ordinary=Count("pk", filter=found & Q(grade=Hazard.Grade.ORDINARY)),
            found_major=Count("pk", filter=found & major),
            rectified=Count("pk", filter=rectified),
            rectified_major=Count("pk", filter=rectified & major),
            rectified_on_time=Count("pk", filter=rectified & Q(closed_on__lte=F("due_on"))),
            open_at_end=Count("pk", filter=open_at_end),
            open_major_at_end=Count("pk", filter=open_at_end & major),
            overdue_at_end=Count("pk", filter=open_at_end & Q(due_on__lte=rules.overdue_cutoff(last))),
        )
        .order_by("enterprise_id")
    )
    current_funds = Subquery(
        RectificationPlan.objects.filter(hazard_id=OuterRef("pk"))
        .order_by("-recorded_at", "-pk")
        .values("funds")[:1]
    )
    funds = dict(
        hazards.filter(found)
        .annotate(current_funds=current_funds)
        .values("enterprise_id")
        .annotate(total=Sum("current_funds"))
        .order_by("enterprise_id")
        .values_list("enterprise_id", "total")
    )
    return {row["enterprise_id"]: _figures(row, funds.get(row["enterprise_id"])) for row in counts}


# The rows of the 统计分析表, in order: (key, label).
FIGURE_ROWS = (
    ("found", _lazy("本期排查发现隐患")),
    ("found_ordinary", _lazy("其中：一般事故隐患")),
    ("found_major", _lazy("其中：重大事故隐患")),
    ("rectified", _lazy("本期发现、期末前已整改销号")),
    ("rectified_major", _lazy("其中：重大事故隐患")),
    ("rectified_on_time", _lazy("其中：按期整改")),
    ("rectification_rate", _lazy("整改率（%）")),
    ("open_at_end", _lazy("期末未整改隐患（含以前各期）")),
    ("open_major_at_end", _lazy("其中：重大事故隐患")),
    ("overdue_at_end", _lazy("期末逾期未整改隐患")),
    ("funds", _lazy("本期隐患整改资金（万元）")),
)


def figure_rows(filing: StatisticsFiling) -> list[tuple[str, object]]:
    figures = filing.figures or {}
    return [(str(label), figures.get(key)) for key, label in FIGURE_ROWS]


def enterprise_filing_periods(enterprise: Enterprise, today: date) -> list[dict]:
    """The enterprise's filing periods for its page, latest first: the periods ended lately (four quarters
    and the last year) and every period it has a filing for; each with its due date and its filing, if any."""
    filings = {f.period: f for f in enterprise.statistics_filings.select_related("confirmed_by")}
    periods = set(rules.ended_filing_periods(today, quarters=4)) | set(filings)
    rows = []
    for period in sorted(periods, key=lambda p: (rules.filing_period_bounds(p)[1], len(p)), reverse=True):
        filing = filings.get(period)
        required = enterprise.created_at < period_end_at(period)
        if filing is None and not required:
            continue
        due_on = filing.due_on if filing else filing_due_on(enterprise.region_id, period)
        rows.append(
            {
                "period": period,
                "label": rules.filing_period_label(period),
                "due_on": due_on,
                "filing": filing,
                "overdue": (filing is None or not filing.is_confirmed) and rules.is_overdue(due_on, today),
            }
        )
    return rows


def _pending_q(enterprises: QuerySet, today: date) -> Q:
    """Enterprises with a filing to make now: a flagged one still not confirmed, or one of the periods ended
    lately due within FILING_REMIND_DAYS (or already past) without a confirmed filing."""
    confirmed = StatisticsFiling.objects.filter(
        enterprise_id=OuterRef("pk"), status=StatisticsFiling.Status.CONFIRMED
    )
    flagged = StatisticsFiling.objects.filter(enterprise_id=OuterRef("pk"), flagged_on__isnull=False).exclude(
        status=StatisticsFiling.Status.CONFIRMED
    )
    q = Q(Exists(flagged))
    provinces = {
        core_rules.ancestor_code(code, Region.Level.PROVINCE)
        for code in enterprises.values_list("region_id", flat=True).distinct()[:50]
    }
    for province in provinces:
        low, high = core_rules.subtree_bounds(province, Region.Level.PROVINCE)
        for period in rules.ended_filing_periods(today):
            due_on = filing_due_on(province, period)
            if today < due_on - timedelta(days=rules.FILING_REMIND_DAYS):
                continue
            q |= (
                Q(region_id__gte=low, region_id__lte=high, status=Enterprise.Status.OPERATING)
                & Q(created_at__lt=period_end_at(period))
                & ~Q(Exists(confirmed.filter(period=period)))
            )
    return q


def filings_due(user) -> QuerySet:
    """The user's enterprises (as an enterprise user) with a 统计分析表 to prepare or sign now."""
    enterprises = Enterprise.objects.for_user(user, "hazards.prepare_filing").filter(
        scope_q(user, Enterprise.scope, frozenset({Role.ENTERPRISE}))
    )
    return enterprises.filter(_pending_q(enterprises, timezone.localdate()))


def filings_due_url(user) -> str:
    first = filings_due(user).order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        return reverse("hazards:filing-report")
    return reverse("hazards:filing-list", args=[first])


def filing_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """Each enterprise's earliest unfiled period (the most urgent), linking to its filings page."""
    today = timezone.localdate()
    items = []
    for enterprise in rows.order_by("pk")[:limit]:
        pending = [
            row
            for row in enterprise_filing_periods(enterprise, today)
            if not (row["filing"] and row["filing"].is_confirmed)
            and today >= row["due_on"] - timedelta(days=rules.FILING_REMIND_DAYS)
        ]
        if not pending:
            continue
        row = min(pending, key=lambda r: r["due_on"])
        items.append(
            TodoItem(
                f"{row['label']}隐患排查治理统计分析表 · {enterprise.name}",
                reverse("hazards:filing-list", args=[enterprise.pk]),
                row["due_on"],
                str(_("主要负责人签字后上报")),
            )
        )
    return items


def missing_filings(user) -> QuerySet:
    """Filings flagged missing (past due, not confirmed) in the user's scope."""
    return (
        StatisticsFiling.objects.for_user(user)
        .filter(flagged_on__isnull=False)
        .exclude(status=StatisticsFiling.Status.CONFIRMED)
        .select_related("enterprise", "region", "industry")
    )


def filing_rates(user, period: str, by: str) -> tuple[dict, list[dict]]:
    """The filing rate for `period` within the user's scope, in total and by town (`by="town"`) or industry:
    required enterprises (operating, registered before the period ended), filed (on time / late), flagged
    missing, not yet filed. One grouped SQL query over the enterprises left-joined to their filing."""
    enterprises = required_enterprises(Enterprise.objects.for_user(user), period).annotate(
        filing=FilteredRelation("statistics_filings", condition=Q(statistics_filings__period=period))
    )
    confirmed = Q(filing__status=StatisticsFiling.Status.CONFIRMED)
    figures = {
        "required": Count("pk"),
        "filed": Count("pk", filter=confirmed),
        "late": Count("pk", filter=confirmed & Q(filing__is_late=True)),
        "missing": Count(
            "pk",
            filter=Q(filing__flagged_on__isnull=False)
            & Q(filing__status__in=[StatisticsFiling.Status.MISSING, StatisticsFiling.Status.DRAFT]),
        ),
    }

    def finish(row: dict) -> dict:
        row["on_time"] = row["filed"] - row["late"]
        row["unfiled"] = row["required"] - row["filed"]
        row["rate"] = rules.rate(row["filed"], row["required"])
        row["on_time_rate"] = rules.rate(row["on_time"], row["required"])
        return row

    totals = finish(enterprises.aggregate(**figures))
    if by == "industry":
        grouped = enterprises.values("industry_id").annotate(**figures).order_by("industry_id")
        names = dict(Industry.objects.values_list("pk", "name"))
        rows = [
            {**finish(dict(row)), "name": names.get(row["industry_id"], "—"), "key": row["industry_id"]}
            for row in grouped
        ]
    else:
        length = core_rules.LEVEL_PREFIX_LENGTH[Region.Level.TOWN]
        grouped = (
            enterprises.annotate(town=Substr("region_id", 1, length))
            .values("town")
            .annotate(**figures)
            .order_by("town")
        )
        codes = [row["town"].ljust(12, "0") for row in grouped]
        names = dict(Region.objects.filter(pk__in=codes).values_list("code", "name"))
        rows = [
            {
                **finish(dict(row)),
                "name": names.get(row["town"].ljust(12, "0"), row["town"]),
                "key": row["town"].ljust(12, "0"),
            }
            for row in grouped
        ]
    return totals, rows


# ---------------------------------------------------------------- system reads for other modules' assessments
# Unscoped on purpose: the caller (governance's 考核) reads a whole county for its scoring run, which its own
# service permits; it gets querysets to aggregate in SQL, never rows to loop over.


def overdue_hazards_on(low: str, high: str, day: date, *, major_only: bool = False) -> QuerySet:
    """Hazards in the region codes [low, high] open and overdue on `day` (`overdue_q`), majors only if asked."""
    rows = Hazard.objects.filter(overdue_q(day), region_id__gte=low, region_id__lte=high)
    return rows.filter(grade=Hazard.Grade.MAJOR) if major_only else rows


def hazards_closed_between(low: str, high: str, first: date, last: date) -> QuerySet:
    """Hazards in the region codes [low, high] closed out (销号) on the days first…last."""
    return Hazard.objects.filter(
        status=Hazard.Status.CLOSED,
        closed_on__gte=first,
        closed_on__lte=last,
        region_id__gte=low,
        region_id__lte=high,
    )


def enterprise_hazard_counts(
    today: date, since: date, *, ids=None, bounds: tuple[str, str] | None = None
) -> QuerySet:
    """Rows (enterprise_id, open_major, overdue_major, overdue_ordinary, last_overdue_on) of ONE grouped query
    ordered by enterprise id: per enterprise, its open major hazards (`open_major`), its
    open major and ordinary hazards overdue on `today` (`overdue_major`, `overdue_ordinary`, as `overdue_q`) and
    the last day any of its hazards was overdue (`last_overdue_on`: today for one still open and overdue, the
    closing day of one closed late — credit.rules `last_overdue_day`), looking back to hazards closed after
    `since`. Voided hazards never count. For the enterprises `ids`, or those whose region code lies in `bounds`
    (low, high), or all. Unscoped on purpose: the caller (credit's rating job) reads the region it was started
    for; it streams the rows in id order alongside its own walk of the enterprises."""
    from django.db.models import DateField, Max, Value
    from django.db.models.functions import Coalesce

    from anlan.core.selectors import IdIn

    overdue = overdue_q(today)
    major = Q(grade=Hazard.Grade.MAJOR)
    closed_late = Q(status=Hazard.Status.CLOSED, closed_on__gt=F("due_on"))
    ever_overdue = Q(due_on__lt=today) & (open_q() | closed_late)
    # Place hazards (no enterprise: a road, a 督查 problem) are nobody's rating fact.
    rows = Hazard.objects.filter(open_q() | (closed_late & Q(closed_on__gt=since)), enterprise__isnull=False)
    if ids is not None:
        rows = rows.filter(IdIn("enterprise_id", ids))
    if bounds is not None:
        rows = rows.filter(enterprise__region_id__gte=bounds[0], enterprise__region_id__lte=bounds[1])
    return (
        rows.values("enterprise_id")
        .annotate(
            open_major=Count("pk", filter=open_q() & major),
            overdue_major=Count("pk", filter=overdue & major),
            overdue_ordinary=Count("pk", filter=overdue & ~major),
            last_overdue_on=Max(
                Coalesce("closed_on", Value(today), output_field=DateField()), filter=ever_overdue
            ),
        )
        .order_by("enterprise_id")
        .values_list("enterprise_id", "open_major", "overdue_major", "overdue_ordinary", "last_overdue_on")
    )
