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
