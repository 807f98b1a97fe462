"""Use cases of 盯守, 联合惩戒措施 and 跟踪问效 (issue #14, seed-map C8–C10).

- 盯守 (C8): every suspension in force has a watch plan, made when the suspension is ordered
  (`watch_suspension`, called by `start_suspension`) and ended when the unit resumes. Its watchers record
  visits; a visit that finds the unit producing goes down the one 擅自复产 path
  (`suspension.flag_unauthorised_production`).
- 联合惩戒措施 (C9): the department sends each measure to the body that takes it as a receipt-confirmed task of
  the kernel (`core.receipts.send_for_receipt`); once the unit has resumed, lifting it is a second task.
- 跟踪问效 (C10): a closed or exited enterprise gets a 回头看 plan (`revisit_enterprise`, called by the
  enforcement CLOSURE and by the sweep for any closed enterprise without one); a visit that finds a restart is
  a 擅自复产 finding (`suspension.report_unauthorised_production`).
- The sweep (`sweep`) makes the missing plans, ends the plans of resumed suspensions and tells the department
  once per missed due date (compare-and-set on `flagged_for`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import receipts, recipients, trees, units, uploads
from anlan.core import rules as core_rules
from anlan.core.audit import system_actor
from anlan.core.errors import Code, DomainError
from anlan.core.models import Enterprise, Membership, Role, Unit
from anlan.core.permissions import can, require
from anlan.core.records import save_with_history
from anlan.notifications.services import notify

from .. import rules, selectors
from ..errors import ErrorCode
from ..models import JointMeasure, Suspension, WatchPlan, WatchVisit, WatchVisitPhoto
from .common import check_rule, today
from .suspension import flag_unauthorised_production, report_unauthorised_production

WATCH = "inspections.watch"
MANAGE_WATCH = "inspections.manage_watch"
JOINT_MEASURE = "inspections.joint_measure"
# Notification kinds.
WATCH_OVERDUE = "inspection_watch_overdue"
MEASURE_NOTICE = "inspection_joint_measure"
# ReceiptTask kinds.
MEASURE_TASK = "inspections.joint_measure"
LIFT_TASK = "inspections.joint_measure_lift"
# A body has this long to confirm a measure (then the kernel's sweep escalates it).
CONFIRM_WITHIN = timedelta(days=3)
CLOSED = (Enterprise.Status.CLOSED, Enterprise.Status.DEREGISTERED)
IN_FORCE = (Suspension.Status.SUSPENDED, Suspension.Status.APPLIED)
CHUNK = 500


# ---------------------------------------------------------------- who watches


def watcher_candidates(plan_or_enterprise, department_id=None) -> QuerySet:
    """The users who may be named watchers: the staff of the responsible department, the officers of the
    enterprise's town and the grid workers of its grid (the bodies that see the unit)."""
    enterprise = getattr(plan_or_enterprise, "enterprise", plan_or_enterprise)
    if department_id is None:
        department_id = getattr(plan_or_enterprise, "department_id", None)
    where = Q(role=Role.GRID_WORKER, grid_id=enterprise.grid_id) if enterprise.grid_id else Q(pk__in=[])
    if core_rules.level_of_code(enterprise.region_id) >= trees.TOWN:
        where |= Q(role=Role.TOWN, region_id=trees.town_of(enterprise.region_id))
    if department_id:
        where |= Q(role=Role.DEPARTMENT, department_id=department_id)
    users = Membership.objects.filter(where, is_active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True).order_by("pk")


def _default_watchers(enterprise, department_id) -> list:
    """Those on the spot first (the grid workers and the town); the department when nobody is."""
    candidates = list(watcher_candidates(enterprise, department_id).prefetch_related("memberships"))
    local = [
        u
        for u in candidates
        if any(m.role in (Role.GRID_WORKER, Role.TOWN) and m.is_active for m in u.memberships.all())
    ]
    return local or candidates


def _new_plan(*, kind, enterprise, suspension, department_id, every_days, started_on, actor) -> WatchPlan:
    plan = WatchPlan(
        kind=kind,
        enterprise=enterprise,
        suspension=suspension,
        department_id=department_id,
        every_days=every_days,
        started_on=started_on,
        next_due_on=rules.next_watch_due(None, started_on, every_days),
        created_by=actor,
    )
    save_with_history(plan, actor, "")
    plan.watchers.set(_default_watchers(enterprise, department_id))
    return plan


def watch_suspension(suspension: Suspension, actor) -> WatchPlan:
    """The 盯守 plan of a suspension (made once; called inside the order's transaction)."""
    existing = WatchPlan.objects.filter(suspension=suspension).first()
    if existing is not None:
        return existing
    return _new_plan(
        kind=WatchPlan.Kind.WATCH,
        enterprise=suspension.enterprise,
        suspension=suspension,
        department_id=suspension.action.inspection.department_id,
        every_days=rules.WATCH_EVERY_DAYS,
        started_on=today(),
        actor=actor,
    )


def revisit_enterprise(enterprise: Enterprise, actor, department_id=None) -> WatchPlan:
    """The 回头看 plan of a closed or exited enterprise (one active per enterprise: a conditional unique
    constraint, so two workers never make two)."""
    existing = WatchPlan.objects.filter(
        enterprise=enterprise, kind=WatchPlan.Kind.REVISIT, is_active=True
    ).first()
    if existing is not None:
        return existing
    if department_id is None:
        department = recipients.supervising_department(enterprise.region_id, enterprise.industry_id)
        department_id = department.pk if department is not None else None
    try:
        with transaction.atomic():
            return _new_plan(
                kind=WatchPlan.Kind.REVISIT,
                enterprise=enterprise,
                suspension=None,
                department_id=department_id,
                every_days=rules.REVISIT_EVERY_DAYS,
                started_on=today(),
                actor=actor,
            )
    except (IntegrityError, DomainError):
        return WatchPlan.objects.get(enterprise=enterprise, kind=WatchPlan.Kind.REVISIT, is_active=True)


def end_watch(suspension: Suspension, actor) -> None:
    """The unit resumed: its 盯守 plan ends (called inside the resumption's transaction)."""
    plan = WatchPlan.objects.filter(suspension=suspension, is_active=True).first()
    if plan is not None:
        plan.is_active, plan.ended_on = False, today()
        save_with_history(plan, actor, str(_("复产验收合格，盯守结束")))


def save_watch_plan(*, actor, plan_pk, every_days: int, watcher_ids) -> WatchPlan:
    """The department sets how often and who watches; the next due date follows (rules.next_watch_due)."""
    with transaction.atomic():
        plan = selectors.access_watch_plan(actor, plan_pk, for_update=True)
        require(actor, MANAGE_WATCH, plan)
        if not plan.is_active:
            raise DomainError(ErrorCode.WATCH_PLAN_ENDED, _("该计划已结束。"), field="__all__")
        check_rule(rules.check_every_days, every_days)
        wanted = {int(pk) for pk in watcher_ids}
        allowed = set(watcher_candidates(plan).filter(pk__in=wanted).values_list("pk", flat=True))
        if not wanted:
            raise DomainError(ErrorCode.WATCHER_OUT_OF_SCOPE, _("请至少指定一名盯守人员。"), field="watchers")
        if wanted - allowed:
            raise DomainError(
                ErrorCode.WATCHER_OUT_OF_SCOPE,
                _("盯守人员只能从责任部门、所在乡镇和网格的人员中指定。"),
                field="watchers",
            )
        plan.every_days = every_days
        plan.next_due_on = rules.next_watch_due(plan.last_visit_on, plan.started_on, every_days)
        save_with_history(plan, actor, "")
        plan.watchers.set(sorted(wanted))
    return plan


# ---------------------------------------------------------------- visits


def may_record_visit(user, plan: WatchPlan) -> bool:
    """A watcher of the plan (who holds the right on it), or whoever manages the plan."""
    if not plan.is_active:
        return False
    if can(user, MANAGE_WATCH, plan):
        return True
    return can(user, WATCH, plan) and plan.watchers.filter(pk=user.pk).exists()


def record_visit(*, actor, plan_pk, data: dict, photos=()) -> WatchVisit:
    """A watcher records a visit. The plan's next due date moves on from it; a visit that finds the unit
    producing is a 擅自复产 finding: on a suspension the one path of `flag_unauthorised_production`, on a
    closed or exited unit the restart is reported the same way (`report_unauthorised_production`)."""
    with transaction.atomic():
        plan = selectors.access_watch_plan(actor, plan_pk, for_update=True)
        if not can(actor, MANAGE_WATCH, plan):
            require(actor, WATCH, plan)
        if not plan.is_active:
            raise DomainError(
                ErrorCode.WATCH_PLAN_ENDED, _("该计划已结束，不能再记录巡查。"), field="__all__"
            )
        if not may_record_visit(actor, plan):
            raise DomainError(ErrorCode.NOT_A_WATCHER, _("您不是该单位的盯守人员。"), field="__all__")
        visited_on = data.get("visited_on") or today()
        if visited_on > today():
            raise DomainError(ErrorCode.VISIT_IN_FUTURE, _("巡查日期不能晚于今天。"), field="visited_on")
        if visited_on < plan.started_on:
            raise DomainError(
                ErrorCode.VISIT_IN_FUTURE, _("巡查日期不能早于计划开始日期。"), field="visited_on"
            )
        observation = (data.get("observation") or "").strip()
        if not observation:
            raise DomainError(ErrorCode.OBSERVATION_MISSING, _("请填写现场情况。"), field="observation")
        visit = WatchVisit(
            plan=plan,
            visited_on=visited_on,
            visited_at=data.get("visited_at"),
            observation=observation,
            producing=bool(data.get("producing")),
            watcher=actor,
        )
        save_with_history(visit, actor, "")
        for upload in photos:
            picture = uploads.accept_image(upload, field="photos")
            photo = WatchVisitPhoto(visit=visit, name=picture.original_name)
            photo.file.save(picture.name, picture, save=False)
            photo.save()
        last = max(filter(None, [plan.last_visit_on, visited_on]))
        plan.last_visit_on = last
        plan.next_due_on = rules.next_watch_due(last, plan.started_on, plan.every_days)
        if visit.producing and plan.kind == WatchPlan.Kind.REVISIT:
            plan.restart_found_at = timezone.now()
        save_with_history(plan, actor, str(_("发现擅自复产")) if visit.producing else "")
        if visit.producing:
            if plan.kind == WatchPlan.Kind.WATCH:
                flag_unauthorised_production(visit, actor)
            else:
                report_unauthorised_production(
                    visit,
                    actor,
                    department_id=plan.department_id,
                    url=reverse("inspections:watch-detail", args=[plan.pk]),
                    key=f"revisit:{plan.pk}",
                    body=str(_("已关闭退出的单位私自恢复生产，请依法处理。")),
                )
    return visit


# ---------------------------------------------------------------- 联合惩戒措施


def measure_recipients(user, suspension=None) -> QuerySet:
    """The bodies a measure may be sent to: active outside bodies and departments in the user's scope — other
    than the department that ordered the suspension (its own 暂扣 is an enforcement action, and a body never
    confirms what it sent itself)."""
    bodies = Unit.objects.for_user(user).filter(
        is_active=True, kind__in=[Unit.Kind.OUTSIDE_BODY, Unit.Kind.DEPARTMENT]
    )
    if suspension is not None:
        bodies = bodies.exclude(department_id=suspension.action.inspection.department_id)
    return bodies.order_by("kind", "name")


def _sender_unit(actor, suspension):
    department = suspension.action.inspection.department
    unit = units.unit_for(department)
    return unit if units.is_member(actor, unit) else None


def send_joint_measure(*, actor, suspension_pk, kind: str, recipient_pk, note: str = "") -> JointMeasure:
    """Send one 联合惩戒措施 of a suspension in force to the body that takes it, to be confirmed."""
    with transaction.atomic():
        suspension = selectors.access_suspension(actor, suspension_pk, for_update=True)
        require(actor, JOINT_MEASURE, suspension)
        if suspension.status not in IN_FORCE:
            raise DomainError(
                ErrorCode.SUSPENSION_ENDED, _("该单位已复产，不能再发送联合惩戒措施。"), field="kind"
            )
        if kind not in JointMeasure.Kind.values:
            raise DomainError(ErrorCode.MEASURE_RECIPIENT_INVALID, _("请选择措施。"), field="kind")
        if JointMeasure.objects.filter(suspension=suspension, kind=kind).exists():
            raise DomainError(
                ErrorCode.MEASURE_ALREADY_SENT,
                _("“%(kind)s”已发送过。") % {"kind": JointMeasure.Kind(kind).label},
                field="kind",
            )
        if Unit.objects.filter(
            pk=recipient_pk, department_id=suspension.action.inspection.department_id
        ).exists():
            raise DomainError(
                ErrorCode.MEASURE_RECIPIENT_INVALID,
                _("联合惩戒措施由其他部门或单位落实；本部门暂扣许可证请作为执法措施（暂扣许可证）下达。"),
                field="recipient",
            )
        recipient = measure_recipients(actor, suspension).filter(pk=recipient_pk).first()
        if recipient is None:
            raise DomainError(
                ErrorCode.MEASURE_RECIPIENT_INVALID,
                _("接收单位须为辖区内启用的部门或外部单位。"),
                field="recipient",
            )
        measure = JointMeasure(
            suspension=suspension, kind=kind, recipient=recipient, note=(note or "").strip(), sent_by=actor
        )
        save_with_history(measure, actor, "")
        label = JointMeasure.Kind(kind).label
        (task,) = receipts.send_for_receipt(
            actor=actor,
            subject=measure,
            kind=MEASURE_TASK,
            title=_("联合惩戒措施：%(kind)s（%(name)s）")
            % {"kind": label, "name": suspension.enterprise.name},
            body=measure.note or str(_("该单位正在停产整顿，请落实“%(kind)s”措施并确认。") % {"kind": label}),
            recipients=[recipient],
            confirm_within=CONFIRM_WITHIN,
            sender_unit=_sender_unit(actor, suspension),
        )
        measure.task = task
        save_with_history(measure, actor, "")
        users = recipients_of(recipient)
        transaction.on_commit(
            lambda: notify(
                users,
                kind=MEASURE_NOTICE,
                title=task.title,
                body=task.body,
                url=reverse("inspections:joint-measure-detail", args=[measure.pk]),
                dedupe_key=f"joint_measure:{measure.pk}:sent",
            )
        )
    return measure


def recipients_of(unit: Unit) -> QuerySet:
    return units.members(unit)


def confirm_joint_measure(*, actor, measure_pk, lifting: bool = False) -> JointMeasure:
    """A member of the recipient body confirms the measure (or its lifting) in the kernel's receipt."""
    measure = selectors.access_joint_measure(actor, measure_pk)
    task = measure.lift_task if lifting else measure.task
    if task is None:
        raise DomainError(Code.ILLEGAL_TRANSITION, _("没有待确认的任务。"), field="__all__")
    receipts.confirm_receipt(actor=actor, task=task)
    return measure


def lift_joint_measure(*, actor, measure_pk) -> JointMeasure:
    """After 复产验收: the department asks the body to lift the measure (a second receipt-confirmed task)."""
    with transaction.atomic():
        measure = selectors.access_joint_measure(actor, measure_pk, for_update=True)
        suspension = measure.suspension
        require(actor, JOINT_MEASURE, suspension)
        if suspension.status != Suspension.Status.RESUMED or measure.lift_task_id is not None:
            raise DomainError(
                ErrorCode.MEASURE_NOT_LIFTABLE,
                _("单位复产验收合格后方可解除，且只解除一次。"),
                field="__all__",
            )
        label = measure.get_kind_display()
        (task,) = receipts.send_for_receipt(
            actor=actor,
            subject=measure,
            kind=LIFT_TASK,
            title=_("解除%(kind)s（%(name)s）") % {"kind": label, "name": suspension.enterprise.name},
            body=str(_("该单位已复产验收合格，请解除“%(kind)s”措施并确认。") % {"kind": label}),
            recipients=[measure.recipient],
            confirm_within=CONFIRM_WITHIN,
            sender_unit=_sender_unit(actor, suspension),
        )
        measure.lift_task, measure.lifted_by, measure.lifted_at = task, actor, timezone.now()
        save_with_history(measure, actor, str(_("复产验收合格，解除措施")))
    return measure


# ---------------------------------------------------------------- the sweep


def _ids(queryset):
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _flag_overdue(plan_pk: int, today_: date) -> bool:
    """Claim the plan's missed due date (compare-and-set on `flagged_for`) and tell the department; of two
    workers one wins, and a second run finds it claimed."""
    with transaction.atomic():
        plan = WatchPlan.objects.select_related("enterprise").filter(pk=plan_pk, is_active=True).first()
        if plan is None or not rules.watch_overdue(plan.next_due_on, today_):
            return False
        won = (
            WatchPlan.objects.filter(pk=plan.pk, is_active=True, next_due_on=plan.next_due_on)
            .exclude(flagged_for=plan.next_due_on)
            .update(flagged_for=plan.next_due_on)
        )
        if not won:
            return False
        users = recipients.department_staff(plan.department_id)
        if plan.kind == WatchPlan.Kind.REVISIT or not plan.department_id:
            users = users | recipients.committee_office(plan.enterprise.region_id)
        label = plan.get_kind_display()
        transaction.on_commit(
            lambda: notify(
                users,
                kind=WATCH_OVERDUE,
                title=_("%(kind)s逾期：%(name)s") % {"kind": label, "name": plan.enterprise.name},
                body=str(_("应于 %(due)s 前巡查，尚未记录。") % {"due": plan.next_due_on}),
                url=reverse("inspections:watch-detail", args=[plan.pk]),
                dedupe_key=f"watch:{plan.pk}:overdue:{plan.next_due_on.isoformat()}",
            )
        )
    return True


def sweep(*, today: date, now: datetime, stdout=None) -> dict[str, int]:
    """Make the missing 盯守 and 回头看 plans, end the 盯守 of resumed units, and flag each missed due date once."""
    actor = system_actor()
    counts = {"watch_plans": 0, "revisit_plans": 0, "ended": 0, "overdue": 0}
    unwatched = Suspension.objects.filter(status__in=IN_FORCE, watch_plan__isnull=True)
    for ids in _ids(unwatched):
        for suspension in Suspension.objects.filter(pk__in=ids).select_related(
            "enterprise", "action__inspection"
        ):
            try:
                with transaction.atomic():
                    watch_suspension(suspension, actor)
                counts["watch_plans"] += 1
            except (IntegrityError, DomainError):
                pass  # another worker made it
    revisited = WatchPlan.objects.filter(kind=WatchPlan.Kind.REVISIT, is_active=True).values("enterprise_id")
    unrevisited = Enterprise.objects.filter(status__in=CLOSED).exclude(pk__in=revisited)
    for ids in _ids(unrevisited):
        for enterprise in Enterprise.objects.filter(pk__in=ids):
            revisit_enterprise(enterprise, actor)
            counts["revisit_plans"] += 1
    resumed = WatchPlan.objects.filter(
        kind=WatchPlan.Kind.WATCH, is_active=True, suspension__status=Suspension.Status.RESUMED
    )
    for ids in _ids(resumed):
        for suspension in Suspension.objects.filter(watch_plan__pk__in=ids):
            with transaction.atomic():
                end_watch(suspension, actor)
            counts["ended"] += 1
    overdue = WatchPlan.objects.filter(is_active=True, next_due_on__lt=today).exclude(
        flagged_for=F("next_due_on")
    )
    for ids in _ids(overdue):
        for pk in ids:
            counts["overdue"] += _flag_overdue(pk, today)
    if stdout is not None and any(counts.values()):
        stdout.write("inspections watch: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


def measure_escalated(*, task, level: int) -> None:
    """`core.receipt_escalated` of a 联合惩戒措施 task: unconfirmed past its time, the sender's department, the
    county's 安委办 and (from the second level) the city's are told, once per level."""
    if task.kind not in (MEASURE_TASK, LIFT_TASK):
        return
    measure = JointMeasure.objects.select_related("suspension__enterprise").filter(pk=task.object_id).first()
    if measure is None:
        return
    code = measure.suspension.enterprise.region_id
    users = recipients.committee_office(code)
    if task.sender_unit_id and task.sender_unit.department_id:
        users = users | recipients.department_staff(task.sender_unit.department_id)
    if level >= 2:
        users = users | recipients.committee_office(code, level=trees.CITY)
    transaction.on_commit(
        lambda: notify(
            users,
            kind=MEASURE_NOTICE,
            title=_("联合惩戒措施逾期未确认：%(title)s") % {"title": task.title},
            body=str(_("接收单位“%(unit)s”尚未确认。") % {"unit": task.recipient_unit}),
            url=reverse("inspections:joint-measure-detail", args=[measure.pk]),
            dedupe_key=f"joint_measure:{measure.pk}:task:{task.pk}:escalated:{level}",
        )
    )
