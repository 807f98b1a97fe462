"""应急演练: record a held drill of a published plan, evaluate it, turn its problems into hazards, report it to the
county-level department (生产安全事故应急条例 第八条), which acknowledges it; the sweep tells owners whose plans
fall overdue for a drill."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core.audit import record_text
from anlan.core.errors import Code, DomainError
from anlan.core.permissions import has_right
from anlan.core.records import save_with_history, validate
from anlan.core.units import acts_for, is_member, members
from anlan.notifications.services import notify

from .. import rules
from ..models import Drill, DrillProblem, Plan
from ..selectors import drills as selectors
from ..selectors import plans as plan_selectors

MANAGE = "emergency.manage_drill"
ACKNOWLEDGE = "emergency.acknowledge_drill"


def _refuse(field: str, message) -> DomainError:
    return DomainError(Code.INVALID, message, field=field)


def _owned(actor, drill_pk) -> Drill:
    """The drill, locked, if the actor acts for its organiser (403 otherwise)."""
    drill = selectors.access_drill(actor, drill_pk, for_update=True)
    if not acts_for(actor, drill.owner, MANAGE):
        raise PermissionDenied(_("只有演练组织单位可以办理此事项。"))
    return drill


@transaction.atomic
def record_drill(*, actor, plan_pk, data: dict) -> Drill:
    """A drill held under a published plan, by the plan's owner: held on a day not after today nor before the
    plan's publication, with at least one participant."""
    plan = plan_selectors.access_plan(actor, plan_pk, for_update=True)
    if not acts_for(actor, plan.owner, MANAGE):
        raise PermissionDenied(_("只有预案编制单位可以登记该预案的演练。"))
    if plan.status != Plan.Status.PUBLISHED:
        raise _refuse("plan", _("只能登记已公布预案的演练。"))
    if plan.kind == rules.CARD:
        raise _refuse("plan", _("应急处置卡随所属预案演练，请选择其所属预案。"))
    held_on = data["held_on"]
    if held_on > timezone.localdate():
        raise _refuse("held_on", _("演练日期不能晚于今天（演练实施后登记）。"))
    if plan.published_on and held_on < plan.published_on:
        raise _refuse("held_on", _("演练日期不能早于预案公布日期（%(day)s）。") % {"day": plan.published_on})
    drill = Drill(
        plan=plan,
        owner=plan.owner,
        region=plan.region,
        enterprise=plan.enterprise,
        industry=plan.industry,
        kind=data["kind"],
        title=data["title"].strip(),
        scenario=data["scenario"],
        place=data["place"],
        held_on=held_on,
        participants=data["participants"],
        participating_units=data.get("participating_units", ""),
        recorded_by=actor,
    )
    validate(drill)
    save_with_history(drill, actor, record_text(gettext_lazy("登记演练")))
    return drill


@transaction.atomic
def evaluate_drill(*, actor, drill_pk, data: dict) -> Drill:
    """评估: the conclusion and the opinion, on or after the drill day, once."""
    drill = _owned(actor, drill_pk)
    if drill.status != Drill.Status.HELD:
        raise DomainError(Code.ILLEGAL_TRANSITION, _("该演练已评估。"), field="__all__")
    evaluated_on = data["evaluated_on"]
    if evaluated_on < drill.held_on or evaluated_on > timezone.localdate():
        raise _refuse("evaluated_on", _("评估日期应在演练日期与今天之间。"))
    if not data["evaluation"].strip():
        raise _refuse("evaluation", _("请填写评估意见（演练效果、发现的问题、改进建议）。"))
    drill.conclusion = data["conclusion"]
    drill.evaluation = data["evaluation"].strip()
    drill.evaluated_on = evaluated_on
    drill.status = Drill.Status.EVALUATED
    save_with_history(drill, actor, record_text(gettext_lazy("演练评估")))
    return drill


@transaction.atomic
def add_problem(*, actor, drill_pk, description: str) -> DrillProblem:
    drill = _owned(actor, drill_pk)
    if not description.strip():
        raise _refuse("description", _("请填写问题描述。"))
    problem = DrillProblem(drill=drill, description=description.strip(), created_by=actor)
    save_with_history(problem, actor, record_text(gettext_lazy("登记演练发现问题")))
    return problem


@transaction.atomic
def problem_to_hazard(*, actor, problem_pk, due_on: date):
    """Make the problem a hazard of the organiser (source 应急演练), through the hazards module's registration;
    once per problem."""
    from anlan.hazards.models import Hazard
    from anlan.hazards.services import register_hazard

    problem = selectors.access_problem(actor, problem_pk, for_update=True)
    drill = _owned(actor, problem.drill_id)
    if problem.hazard_id is not None:
        raise DomainError(Code.DUPLICATE, _("该问题已列为隐患。"), field="__all__")
    data = {
        "source": Hazard.Source.DRILL,
        "category": Hazard.Category.MANAGEMENT,
        "grade": Hazard.Grade.ORDINARY,
        "description": _("演练“%(drill)s”发现：%(problem)s")
        % {"drill": drill.title, "problem": problem.description},
        "found_on": drill.held_on,
        "due_on": due_on,
    }
    if drill.enterprise_id:
        data["enterprise"] = drill.enterprise
    else:
        data.update({"region": drill.region, "place": drill.place, "industry": drill.industry})
    hazard = register_hazard(actor=actor, data=data, reason=str(_("演练发现问题列为隐患")))
    problem.hazard = hazard
    save_with_history(problem, actor, record_text(gettext_lazy("列为隐患")))
    return hazard


@transaction.atomic
def report_drill(*, actor, drill_pk) -> Drill:
    """报告: an evaluated drill goes to the county-level department (the plan's filing receiver: the department
    supervising the enterprise's industry, else the 安委办), whose staff are told."""
    drill = _owned(actor, drill_pk)
    if drill.status != Drill.Status.EVALUATED:
        raise DomainError(Code.ILLEGAL_TRANSITION, _("演练评估后才能报告。"), field="__all__")
    receivers = plan_selectors.filing_receivers(drill.plan)
    if not receivers:
        raise _refuse("__all__", _("找不到接收演练报告的县级部门。"))
    drill.reported_to = receivers[0]
    drill.reported_at = timezone.now()
    drill.status = Drill.Status.REPORTED
    save_with_history(drill, actor, record_text(gettext_lazy("报告演练情况")))
    notify(
        members(drill.reported_to),
        kind="emergency.drill_reported",
        title=record_text(
            gettext_lazy("%(owner)s 报告演练：%(title)s"), owner=drill.owner.name, title=drill.title
        ),
        url=reverse("emergency:drill-detail", args=[drill.pk]),
        dedupe_key=f"drill-reported:{drill.pk}",
    )
    return drill


@transaction.atomic
def acknowledge_drill(*, actor, drill_pk) -> Drill:
    """The receiving department confirms it received the report (never the organiser itself)."""
    drill = selectors.access_drill(actor, drill_pk, for_update=True)
    if (
        drill.reported_to_id is None
        or not has_right(actor, ACKNOWLEDGE)
        or not is_member(actor, drill.reported_to)
    ):
        raise PermissionDenied(_("只有接收报告的部门可以确认。"))
    if is_member(actor, drill.owner):
        raise PermissionDenied(_("不能确认本单位的演练报告。"))
    if drill.status != Drill.Status.REPORTED:
        raise DomainError(Code.ILLEGAL_TRANSITION, _("该演练报告已确认。"), field="__all__")
    drill.status = Drill.Status.ACKNOWLEDGED
    drill.acknowledged_by = actor
    drill.acknowledged_at = timezone.now()
    save_with_history(drill, actor, record_text(gettext_lazy("确认收到演练报告")))
    return drill


def sweep(*, today: date, now: datetime, stdout=None) -> dict[str, int]:
    """Tell each plan's owner once per due date when its drill is overdue (idempotent: the message carries the
    plan and the due date; several workers may run it at once)."""
    told = 0
    for row in selectors.compliance_rows(Plan.objects.all(), today=today):
        if row.status != rules.OVERDUE:
            continue
        told += notify(
            members(row.plan.owner),
            kind="emergency.drill_overdue",
            title=record_text(
                gettext_lazy("预案“%(title)s”应于 %(due)s 前演练，已逾期"),
                title=row.plan.title,
                due=row.due_on,
            ),
            url=reverse("emergency:plan-detail", args=[row.plan.pk]),
            dedupe_key=f"drill-overdue:{row.plan.pk}:{row.due_on.isoformat()}",
        )
    if stdout is not None:
        stdout.write(f"drills: {told} overdue notices\n")
    return {"overdue_notices": told}
