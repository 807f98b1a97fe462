"""Use cases of inspections and enforcement, one module per sub-domain. Each one, in one transaction: access
(scoped, locked) → may the actor do this → rules → change (state moves through the model's `TRANSITIONS` by
compare-and-set) → audit → notifications.

A 四不两直 visit that is still planned is never announced to the enterprise: `common.tell_enterprise` refuses
to notify about a hidden inspection, whoever calls it.
"""

from .closure import (
    CLOSURE_FLAGGED,
    CLOSURE_PROPOSED,
    evaluate_closure,
    flag_closures,
    move_closure,
)
from .common import (
    ANNOUNCED,
    ASSIGNED,
    ENFORCEMENT,
    RECORDED,
    RESUMPTION,
    SCORE_THRESHOLD,
    UNAUTHORISED_PRODUCTION,
    is_hidden_from_enterprise,
)
from .enforcement import (
    ACTION_FIELDS,
    is_certified_inspector,
    issue_letter,
    may_enforce,
    move_action,
    take_enforcement,
)
from .plans import (
    confirm_draw,
    create_draw,
    declare_conflict,
    eligible_inspectors,
    enterprise_pool,
    publish_draw,
    rerun_draw,
    save_inspector,
    save_plan,
    used_pairs,
)
from .scoring import (
    add_scored_person,
    confirm_score_proposal,
    dismiss_score_proposal,
    propose_score,
    score,
)
from .suspension import (
    apply_resumption,
    configured_chain,
    current_step,
    decide_resumption,
    flag_unauthorised_production,
    link_supervision,
    may_sign,
    start_suspension,
    supervision_for,
)
from .visits import (
    HAZARD_SOURCE,
    INSPECTION_FIELDS,
    cancel_inspection,
    checklist_code,
    create_inspection,
    create_own_check,
    record_inspection,
    record_right,
)

__all__ = [
    "ACTION_FIELDS",
    "ANNOUNCED",
    "ASSIGNED",
    "CLOSURE_FLAGGED",
    "CLOSURE_PROPOSED",
    "ENFORCEMENT",
    "HAZARD_SOURCE",
    "INSPECTION_FIELDS",
    "RECORDED",
    "RESUMPTION",
    "SCORE_THRESHOLD",
    "UNAUTHORISED_PRODUCTION",
    "add_scored_person",
    "apply_resumption",
    "cancel_inspection",
    "checklist_code",
    "configured_chain",
    "confirm_score_proposal",
    "create_own_check",
    "dismiss_score_proposal",
    "evaluate_closure",
    "flag_closures",
    "move_closure",
    "is_certified_inspector",
    "may_enforce",
    "propose_score",
    "record_right",
    "confirm_draw",
    "create_draw",
    "create_inspection",
    "current_step",
    "decide_resumption",
    "declare_conflict",
    "eligible_inspectors",
    "enterprise_pool",
    "flag_unauthorised_production",
    "is_hidden_from_enterprise",
    "issue_letter",
    "link_supervision",
    "may_sign",
    "move_action",
    "publish_draw",
    "record_inspection",
    "rerun_draw",
    "save_inspector",
    "save_plan",
    "score",
    "start_suspension",
    "supervision_for",
    "take_enforcement",
    "used_pairs",
]
