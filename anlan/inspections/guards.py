"""Guards of the inspection state machines: the domain rules that decide whether a user may take a step now,
beyond the right and the scope (core.workflow: `guard(record, user) -> Refusal | None`).

The `TRANSITIONS` tables in models/ name them, so pages offer only the steps the user may take and
`apply_transition` refuses with the same code; the services check them before writing anything. Who may sign
a 复产验收 step is a capacity of the kernel (`core.capacity`), never a loop over memberships.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from anlan.core import capacity
from anlan.core.models import Role
from anlan.core.workflow import Refusal

from . import rules
from .errors import ErrorCode

# Who may sign the review step of a level (review_city, review_province): the 安委办 or a department there.
REVIEWERS = (Role.COMMITTEE_OFFICE, Role.DEPARTMENT)
# Who signs the ordering department's step: its staff (an 应急管理局 officer holds the 安委办 role with it).
DEPARTMENT_SIGNERS = (Role.DEPARTMENT, Role.COMMITTEE_OFFICE)
DEPARTMENT_STEP = "department"
REVIEW_PREFIX = "review_"


# ---------------------------------------------------------------- Inspection


def not_drawn(inspection, user) -> Refusal | None:
    """A 双随机 inspection comes from a confirmed draw, which is immutable: it is never cancelled."""
    if inspection.draw_id:
        return Refusal(ErrorCode.DRAWN_INSPECTION_NOT_CANCELLABLE, _("双随机抽查结果已确认，不能取消。"))
    return None


def of_its_department(inspection, user) -> Refusal | None:
    """A department's inspection is recorded or cancelled by its own staff (rules.check_recorder)."""
    department_check = inspection.department_id is not None
    try:
        rules.check_recorder(
            department_check=department_check,
            signs_for_department=department_check and capacity.signs_for(user, inspection.department),
        )
    except rules.RuleViolation as violation:
        return Refusal(violation.code, violation.message)
    return None


# ---------------------------------------------------------------- 复产验收


def may_sign(user, step, suspension) -> bool:
    """Whether the user may decide this step of a 复产验收 chain: a capacity of the step's role whose
    jurisdiction covers the enterprise; the department step belongs to the department that ordered the
    suspension; a review step to the 安委办 or a department at the level that issued the order."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    code = suspension.enterprise.region_id
    if step.approver == DEPARTMENT_STEP:
        ordering = suspension.action.inspection.department
        return bool(capacity.capacities(user, roles=DEPARTMENT_SIGNERS, region=code, department=ordering))
    if step.approver.startswith(REVIEW_PREFIX):
        level = step.approver.removeprefix(REVIEW_PREFIX)
        return any(
            rules.level_of_region(membership.anchor_region.level) == level
            for membership in capacity.capacities(user, roles=REVIEWERS, region=code)
        )
    return capacity.acts_for(user, roles=[step.approver], region=code)


def step_to_sign(application):
    """The step an application's decision is about: the next undecided one, or once the chain has ended, the
    last one decided (whose signer takes the application's final transition)."""
    steps = list(application.steps.all())
    index = rules.next_step([s.decision or None for s in steps])
    if index is not None:
        return steps[index]
    decided = [s for s in steps if s.decision]
    return decided[-1] if decided else None


def signs_the_step(application, user) -> Refusal | None:
    """Only the approver of the step being decided signs it (the chain is decided strictly in order)."""
    step = step_to_sign(application)
    if step is None or may_sign(user, step, application.suspension):
        return None
    return Refusal(
        ErrorCode.NOT_STEP_APPROVER,
        _("当前环节为“%(step)s”，您不是该环节的审批人。") % {"step": step.name},
    )


def _current_and_others(application, user):
    step = step_to_sign(application)
    others = [s.decided_by_id for s in application.steps.all() if s.decided_by_id and s != step]
    return step, others


def signed_no_other_step(application, user) -> Refusal | None:
    """Nobody signs two steps of one application (rules.check_distinct_signer)."""
    step, others = _current_and_others(application, user)
    if step is None or getattr(user, "pk", None) not in others:
        return None
    try:
        rules.check_distinct_signer(user.pk, others)
    except rules.RuleViolation as violation:
        return Refusal(violation.code, str(violation.message))
    return None


def open_blockers(suspension) -> tuple[int, int]:
    """(open major hazards of the enterprise, open orders of the suspending inspection other than the order
    itself), read through the hazards module's model as the visits do."""
    from anlan.hazards.models import Hazard

    from .models import EnforcementAction

    hazards = (
        Hazard.objects.filter(enterprise_id=suspension.enterprise_id, grade=Hazard.Grade.MAJOR)
        .exclude(status__in=[Hazard.Status.CLOSED, Hazard.Status.VOIDED])
        .count()
    )
    orders = (
        EnforcementAction.objects.filter(
            inspection_id=suspension.action.inspection_id, status=EnforcementAction.Status.ISSUED
        )
        .exclude(pk=suspension.action_id)
        .count()
    )
    return hazards, orders


def clear_to_resume(application, user) -> Refusal | None:
    """The last step cannot pass while a major hazard or an order is open (rules.check_resumption_clear);
    earlier steps are not held back (the chain may start while the last rectification is checked)."""
    steps = list(application.steps.all())
    index = rules.next_step([s.decision or None for s in steps])
    if index is not None and index < len(steps) - 1:
        return None
    hazards, orders = open_blockers(application.suspension)
    try:
        rules.check_resumption_clear(open_major_hazards=hazards, open_orders=orders)
    except rules.RuleViolation as violation:
        return Refusal(violation.code, str(violation.message))
    return None
