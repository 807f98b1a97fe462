"""Scoped reads of inspections. Out of scope is 404; an enterprise never sees a planned 四不两直 visit."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from anlan.core import capacity, trees
from anlan.core.contract import TodoItem
from anlan.core.models import Department, Enterprise, Role
from anlan.core.permissions import can
from anlan.core.scope import NOTHING
from anlan.core.selectors import access
from anlan.hazards.models import Hazard, Supervision

from . import guards, rules
from .models import (
    ClosureProposal,
    EnforcementAction,
    Inspection,
    InspectionPlan,
    Inspector,
    RandomDraw,
    Resumption,
    ResumptionStep,
    ScoredPerson,
    ScoreProposal,
    Suspension,
    WatchPlan,
)

INSPECT = "inspections.inspect"
APPROVE = "inspections.approve_resumption"
PROPOSE_CLOSURE = "inspections.propose_closure"


def departments_for(user, right: str) -> QuerySet:
    """The active departments the user acts for with `right` (the choices of a department field, and the
    check of every service that makes a record for a department): the departments of their memberships
    holding the right, and for the 安委办 every department in its region subtree (core.capacity)."""
    departments = Department.objects.filter(is_active=True).select_related("region")
    if not capacity.acts_for(user, right=right):
        return departments.none()
    if user.is_superuser:
        return departments
    q = NOTHING
    for membership in capacity.capacities(user, right=right):
        if membership.department_id:
            q |= Q(pk=membership.department_id)
        if membership.role == Role.COMMITTEE_OFFICE:
            q |= trees.subtree_q("region", membership.region)
    return departments.filter(q)


def team_pool(user, right: str) -> QuerySet:
    """The inspectors a team may be drawn from: those certified today, in the pool (is_active), of an active
    department the user acts for with `right` — and, for a 联合执法, of the active departments of the same
    region (its partners; 安全生产法 第六十九条). The service still checks the team against the kind
    (`rules.check_joint_team`): a team of any other kind is the acting department's alone."""
    regions = departments_for(user, right).values("region_id")
    return (
        Inspector.objects.filter(
            is_active=True,
            certificate_expires_on__gte=timezone.localdate(),
            department__is_active=True,
            department__region_id__in=regions,
        )
        .select_related("department")
        .order_by("department__name", "name", "certificate_number")
    )


def inspector_label(inspector: Inspector) -> str:
    """姓名（部门 · 执法证号）: namesakes of one department differ by their certificate number."""
    department = inspector.department.short_name or inspector.department.name
    return _("%(name)s（%(department)s · 执法证 %(number)s）") % {
        "name": inspector.name,
        "department": department,
        "number": inspector.certificate_number,
    }


def planning_departments(user, right: str) -> QuerySet:
    """The active departments whose planning (plans, inspector pool, draws) the user keeps with `right`: those
    they sign for (core.capacity.signs_for) — their own, and for the 安委办 the comprehensive department of
    its region. Other departments' planning is theirs alone; the 安委办 reads it, it does not write it."""
    departments = Department.objects.filter(is_active=True).select_related("region")
    if user.is_superuser:
        return departments
    q = NOTHING
    for membership in capacity.capacities(user, right=right):
        if membership.department_id:
            q |= Q(pk=membership.department_id)
        elif membership.role == Role.COMMITTEE_OFFICE:
            q |= Q(region_id=membership.region_id, kind=Department.Kind.COMPREHENSIVE)
    return departments.filter(q) if q != NOTHING else departments.none()


def may_plan(user, right: str, record) -> bool:
    """Whether the user may change this planning record: the right in scope and signing for its department."""
    return can(user, right, record) and capacity.signs_for(user, record.department)


def require_planning(user, right: str, record) -> None:
    """403 for a planning record the user can see (the 安委办's oversight) but does not keep."""
    if not may_plan(user, right, record):
        raise PermissionDenied(_("只有本部门人员可以办理本部门的检查计划、执法人员和双随机抽取。"))


def access_plan(user, pk, *, for_update: bool = False) -> InspectionPlan:
    return access(
        InspectionPlan.objects.select_related("department__region"), user, pk, for_update=for_update
    )


def access_inspector(user, pk, *, for_update: bool = False) -> Inspector:
    return access(Inspector.objects.select_related("department"), user, pk, for_update=for_update)


def access_draw(user, pk, *, for_update: bool = False) -> RandomDraw:
    return access(
        RandomDraw.objects.select_related("department", "region", "industry"), user, pk, for_update=for_update
    )


def may_see_draw(user, inspection: Inspection) -> bool:
    """Whether the inspection's draw (双随机 record) is in the user's scope, so it may be linked."""
    return (
        inspection.draw_id is not None
        and RandomDraw.objects.for_user(user).filter(pk=inspection.draw_id).exists()
    )


def access_own_draw(user, pk, *, for_update: bool = False) -> RandomDraw:
    """A draw the user may act on (the draw steps' pages): 404 out of scope, 403 another department's."""
    draw = access_draw(user, pk, for_update=for_update)
    require_planning(user, "inspections.draw", draw)
    return draw


def access_inspection(user, pk, *, for_update: bool = False) -> Inspection:
    queryset = Inspection.objects.select_related(
        "department__region", "enterprise", "region", "industry", "draw"
    )
    if for_update:
        # SELECT … FOR UPDATE cannot lock the nullable side of an outer join on PostgreSQL.
        queryset = Inspection.objects.select_related("department__region")
    return access(queryset, user, pk, for_update=for_update)


def access_action(user, pk, *, for_update: bool = False) -> EnforcementAction:
    return access(EnforcementAction.objects.select_related("inspection"), user, pk, for_update=for_update)


def access_suspension(user, pk, *, for_update: bool = False) -> Suspension:
    return access(
        Suspension.objects.select_related("enterprise", "action__inspection__department", "supervision"),
        user,
        pk,
        for_update=for_update,
    )


def access_closure(user, pk, *, for_update: bool = False) -> ClosureProposal:
    queryset = ClosureProposal.objects.select_related(
        "enterprise__principal", "department__region", "document"
    )
    if for_update:
        queryset = ClosureProposal.objects.select_related("enterprise", "department__region")
    return access(queryset, user, pk, for_update=for_update)


def supervisions_to_link(user, enterprise_id) -> QuerySet:
    """The 挂牌督办 a 停产整顿 of this enterprise may follow: the enterprise's listed (督办中) ones the user
    sees."""
    if not enterprise_id:
        return Supervision.objects.none()
    return (
        Supervision.objects.for_user(user)
        .filter(hazard__enterprise_id=enterprise_id, status=Supervision.Status.LISTED)
        .select_related("hazard")
        .order_by("-issued_at", "-id")
    )


def access_watch_plan(user, pk, *, for_update: bool = False) -> WatchPlan:
    """A 盯守/回头看 plan; never the enterprise's to see (its scope has no enterprise path)."""
    return access(
        WatchPlan.objects.select_related("enterprise", "suspension", "department"),
        user,
        pk,
        for_update=for_update,
    )


def access_joint_measure(user, pk, *, for_update: bool = False):
    from .models import JointMeasure

    return access(
        JointMeasure.objects.select_related("suspension__enterprise", "recipient", "task", "lift_task"),
        user,
        pk,
        for_update=for_update,
    )


def watch_due(user) -> QuerySet:
    """待盯守: the active plans the user watches whose next visit is due today or overdue."""
    return WatchPlan.objects.for_user(user).filter(
        watchers=user, is_active=True, next_due_on__lte=timezone.localdate()
    )


def watch_due_url(user) -> str:
    return _list_url("inspections:watch-list", "due=1")


def watch_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """Plans due for a visit, the most overdue first."""
    plans = rows.select_related("enterprise").order_by("next_due_on", "pk")[:limit]
    return [
        TodoItem(
            str(plan.enterprise.name),
            reverse("inspections:watch-detail", args=[plan.pk]),
            plan.next_due_on,
            plan.get_kind_display(),
        )
        for plan in plans
    ]


def measures_to_confirm(user) -> QuerySet:
    """联合惩戒措施 (or their lifting) addressed to a body the user belongs to and not yet confirmed."""
    from anlan.core.models import ReceiptTask

    from .models import JointMeasure

    open_ = ReceiptTask.OPEN
    rows = JointMeasure.objects.for_user(user).filter(
        Q(task__status__in=open_) | Q(lift_task__status__in=open_)
    )
    from anlan.core import units

    mine = [m.pk for m in rows.select_related("recipient") if units.is_member(user, m.recipient)]
    return JointMeasure.objects.filter(pk__in=mine)


def measures_to_confirm_url(user) -> str:
    first = measures_to_confirm(user).order_by("pk").first()
    if first is None:
        return _list_url("inspections:suspension-list")
    return reverse("inspections:joint-measure-detail", args=[first.pk])


def measure_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    measures = rows.select_related("suspension__enterprise").order_by("pk")[:limit]
    return [
        TodoItem(
            f"{m.suspension.enterprise.name} · {m.get_kind_display()}",
            reverse("inspections:joint-measure-detail", args=[m.pk]),
            None,
            str(_("联合惩戒措施")),
        )
        for m in measures
    ]


def access_resumption(user, pk, *, for_update: bool = False) -> Resumption:
    return access(Resumption.objects.all(), user, pk, for_update=for_update)


def access_score_proposal(user, pk, *, for_update: bool = False) -> ScoreProposal:
    return access(ScoreProposal.objects.all(), user, pk, for_update=for_update)


def access_person(user, pk, *, for_update: bool = False) -> ScoredPerson:
    return access(ScoredPerson.objects.select_related("enterprise"), user, pk, for_update=for_update)


def inspection_list(user):
    return Inspection.objects.for_user(user).select_related("department", "enterprise", "region")


# ---------------------------------------------------------------- 待办 and home indicators
# Each to-do is a scoped queryset of the rows the user may act on now (the right, the scope and the guards of
# the transition tables), so the count on the home page never includes a step that would be refused.


def _own_departments(user, right: str) -> list[int]:
    return [m.department_id for m in capacity.capacities(user, right=right) if m.department_id]


def inspections_scheduled(user) -> QuerySet:
    """Planned inspections of the user's department(s) that they may record."""
    return Inspection.objects.for_user(user, INSPECT).filter(
        status=Inspection.Status.PLANNED, department_id__in=_own_departments(user, INSPECT)
    )


def resumption_steps_to_sign(user) -> QuerySet:
    """复产验收 steps awaiting the user's signature: the current step (the first undecided one) of each pending
    application in scope, where the user is that step's approver (guards.may_sign)."""
    earlier = ResumptionStep.objects.filter(
        application=OuterRef("application"), order__lt=OuterRef("order"), decision=""
    )
    current = (
        ResumptionStep.objects.for_user(user, APPROVE)
        .filter(decision="", application__status=Resumption.Status.PENDING)
        .exclude(Exists(earlier))
        .select_related("application__suspension__enterprise", "application__suspension__action__inspection")
    )
    mine = [step.pk for step in current if guards.may_sign(user, step, step.application.suspension)]
    return ResumptionStep.objects.filter(pk__in=mine)


def documents_received(user) -> QuerySet:
    """For an enterprise's users: the enforcement documents their enterprise received that are still in force
    (执行中), each ordering something to be done."""
    own = capacity.own_enterprise_ids(user)
    return EnforcementAction.objects.for_user(user).filter(
        status=EnforcementAction.Status.ISSUED, inspection__enterprise_id__in=own
    )


def inspections_this_year(user, **params) -> QuerySet:
    """Inspections of this year (or `year`) in the user's scope that have been recorded."""
    year = params.get("year") or timezone.localdate().year
    return Inspection.objects.for_user(user).filter(status=Inspection.Status.RECORDED, planned_on__year=year)


def suspended_enterprises(user, **params) -> QuerySet:
    """Enterprises in the user's scope under a 停产整顿 order not yet lifted by a 复产验收."""
    open_orders = Suspension.objects.exclude(status=Suspension.Status.RESUMED).values("enterprise_id")
    return Enterprise.objects.for_user(user).filter(pk__in=open_orders)


def suspension_in_force(enterprise_id) -> bool:
    """Whether a 停产整顿 order on the enterprise has not been lifted by a 复产验收 (core's hook)."""
    return (
        Suspension.objects.filter(enterprise_id=enterprise_id)
        .exclude(status=Suspension.Status.RESUMED)
        .exists()
    )


def _list_url(name: str, query: str = "") -> str:
    return f"{reverse(name)}?{query}" if query else reverse(name)


def inspections_scheduled_url(user) -> str:
    return _list_url("inspections:inspection-list", "status=planned&mine=true")


def resumption_steps_to_sign_url(user) -> str:
    return _list_url("inspections:suspension-list", "status=applied")


def documents_received_url(user) -> str:
    return _list_url("inspections:inspection-list", "enforcement=issued")


def inspections_this_year_url(user) -> str:
    return _list_url("inspections:inspection-list", f"status=recorded&year={timezone.localdate().year}")


def suspended_enterprises_url(user) -> str:
    return _list_url("inspections:suspension-list", "status=suspended&status=applied")


# ---------------------------------------------------------------- 待办 items (contract.TodoProvider.items)


def inspection_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """Planned inspections by their planned date, earliest first."""
    inspections = rows.select_related("enterprise").order_by("planned_on", "pk")[:limit]
    return [
        TodoItem(
            str(inspection.subject),
            reverse("inspections:inspection-detail", args=[inspection.pk]),
            inspection.planned_on,
            inspection.get_kind_display(),
        )
        for inspection in inspections
    ]


def resumption_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """复产验收 steps to sign: those with an on-site review deadline (after a 挂牌督办 halt) first, the nearest
    deadline first, then the oldest application. A review step shows its deadline and, once missed, says so."""
    steps = rows.select_related("application__suspension__enterprise").order_by(
        F("application__review_due_on").asc(nulls_last=True), "application_id", "order"
    )[:limit]
    today = timezone.localdate()
    items = []
    for step in steps:
        application = step.application
        due = application.review_due_on if application.awaits_review else None
        if due is None:
            note = _("复产验收申请")
        elif rules.is_past_due(due, today):
            note = _("逾期未现场审查（挂牌督办后复产）")
        else:
            note = _("待现场审查（挂牌督办后复产）")
        items.append(
            TodoItem(
                f"{application.suspension.enterprise.name} · {step.name}",
                reverse("inspections:suspension-detail", args=[application.suspension_id]),
                due,
                note,
            )
        )
    return items


def review_overdue(today) -> Q:
    """Pending 复产 applications whose on-site review is past its due day and not made."""
    return Q(
        status=Resumption.Status.PENDING,
        review_due_on__lt=today,
        reviewed_on__isnull=True,
    )


def publication_overdue(today) -> Q:
    """Confirmed draws not published by their due day (逾期未公开)."""
    return Q(status=RandomDraw.Status.CONFIRMED, publish_due_on__lt=today)


def document_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """Documents in force, the nearest deadline first (those without one last)."""
    actions = rows.select_related("inspection", "document").order_by(F("due_on").asc(nulls_last=True), "pk")[
        :limit
    ]
    return [
        TodoItem(
            f"{action.get_kind_display()}" + (f" · {action.document.number}" if action.document_id else ""),
            reverse("inspections:inspection-detail", args=[action.inspection_id]),
            action.due_on,
            Truncator(action.description).chars(40),
        )
        for action in actions
    ]


# ---------------------------------------------------------------- 提请关闭 (安全生产法 第一百一十三条)


def penalty_actions(enterprise_id) -> QuerySet:
    """The enterprise's administrative penalties counted by 第一百一十三条: enforcement actions of a penalty kind
    (rules.PENALTY_KINDS) on its inspections, not revoked (a revoked decision is no penalty)."""
    return EnforcementAction.objects.filter(
        inspection__enterprise_id=enterprise_id, kind__in=rules.PENALTY_KINDS
    ).exclude(status=EnforcementAction.Status.REVOKED)


def penalty_dates(enterprise_id) -> list[tuple[date, int]]:
    """(issued_on, id) of each counted penalty, the input of rules.closure_windows."""
    return list(penalty_actions(enterprise_id).order_by("issued_on", "pk").values_list("issued_on", "pk"))


def had_major_hazard(enterprise_id, first: date, last: date) -> bool:
    """The 存在重大事故隐患 condition of 第一百一十三条 for a window of penalties from `first` to `last`: a
    重大事故隐患 of the enterprise, not voided, found (registered) on or before the last counted penalty and
    not closed (销号) before the first one — so it existed while the enterprise was being penalised."""
    return (
        Hazard.objects.filter(enterprise_id=enterprise_id, grade=Hazard.Grade.MAJOR, found_on__lte=last)
        .exclude(status=Hazard.Status.VOIDED)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .exists()
    )


def closure_candidates() -> QuerySet:
    """Ids of the enterprises with at least three counted penalties and no open proposal (the sweep's walk)."""
    open_ = ClosureProposal.objects.filter(status__in=ClosureProposal.OPEN).values("enterprise_id")
    return (
        EnforcementAction.objects.filter(kind__in=rules.PENALTY_KINDS, inspection__enterprise__isnull=False)
        .exclude(status=EnforcementAction.Status.REVOKED)
        .exclude(inspection__enterprise_id__in=open_)
        .values("inspection__enterprise_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=rules.MIN_CLOSURE_PENALTIES)
        .values_list("inspection__enterprise_id", flat=True)
        .order_by("inspection__enterprise_id")
    )


def counted_before(enterprise_id) -> set[int]:
    """Ids of the penalties an earlier (decided or dismissed) proposal of the enterprise already counted: a
    window made only of those flags nothing again."""
    return set(
        ClosureProposal.actions.through.objects.filter(
            closureproposal__enterprise_id=enterprise_id
        ).values_list("enforcementaction_id", flat=True)
    )


def open_closure(enterprise_id) -> ClosureProposal | None:
    return (
        ClosureProposal.objects.filter(enterprise_id=enterprise_id, status__in=ClosureProposal.OPEN)
        .order_by("-pk")
        .first()
    )


def closures_to_draft(user) -> QuerySet:
    """Flagged proposals in scope that the user may draft (提请) or dismiss."""
    return ClosureProposal.objects.for_user(user, PROPOSE_CLOSURE).filter(
        status=ClosureProposal.Status.FLAGGED
    )


def closures_to_draft_url(user) -> str:
    return _list_url("inspections:closure-list", "status=flagged")


def closure_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    """Flagged proposals, the oldest first."""
    proposals = rows.select_related("enterprise").order_by("flagged_on", "pk")[:limit]
    return [
        TodoItem(
            proposal.enterprise.name,
            reverse("inspections:closure-detail", args=[proposal.pk]),
            None,
            _("%(first)s至%(last)s受到行政处罚%(count)s次")
            % {
                "first": proposal.window_start,
                "last": proposal.window_end,
                "count": proposal.actions.count(),
            },
        )
        for proposal in proposals
    ]


# ---------------------------------------------------------------- system reads for other modules' assessments
# Unscoped on purpose: the caller (governance's 考核) reads a whole county for its scoring run, which its own
# service permits; it gets querysets to aggregate in SQL, never rows to loop over.


def inspections_recorded_between(low: str, high: str, first: date, last: date) -> QuerySet:
    """Inspections recorded (已检查) in the region codes [low, high] planned for the days first…last."""
    return Inspection.objects.filter(
        status=Inspection.Status.RECORDED,
        planned_on__gte=first,
        planned_on__lte=last,
        region_id__gte=low,
        region_id__lte=high,
    )


def planned_inspection_totals(year: int, department_ids) -> dict[int, int]:
    """The planned number of inspections of each department's 年度监督检查计划 of `year` (departments without a
    plan are absent). One query; the monthly counts are summed here (a dozen numbers a department)."""
    plans = InspectionPlan.objects.filter(year=year, department_id__in=department_ids)
    return {plan.department_id: plan.planned_total for plan in plans.only("department_id", "monthly_counts")}


def enterprise_penalty_days(
    since: date, today: date, *, ids=None, bounds: tuple[str, str] | None = None
) -> QuerySet:
    """Rows (enterprise_id, day, n) of ONE grouped query ordered by enterprise id: the administrative penalties
    (`penalty_actions`' kinds, not revoked) decided on the days after `since` up to `today` — the input of
    credit's five-colour rating. For the enterprises `ids`, or those whose region code lies in `bounds`, or all.
    Unscoped on purpose: the caller's job reads its own region."""
    from anlan.core.selectors import IdIn

    rows = EnforcementAction.objects.filter(
        kind__in=rules.PENALTY_KINDS,
        issued_on__gt=since,
        issued_on__lte=today,
        inspection__enterprise__isnull=False,  # a place's inspection is nobody's rating fact
    ).exclude(status=EnforcementAction.Status.REVOKED)
    if ids is not None:
        rows = rows.filter(IdIn("inspection__enterprise_id", ids))
    if bounds is not None:
        rows = rows.filter(
            inspection__enterprise__region_id__gte=bounds[0], inspection__enterprise__region_id__lte=bounds[1]
        )
    return (
        rows.values("inspection__enterprise_id", "issued_on")
        .annotate(n=Count("pk"))
        .order_by("inspection__enterprise_id", "issued_on")
        .values_list("inspection__enterprise_id", "issued_on", "n")
    )
