"""Guards of the hazard state machines: the domain rules that decide whether a user may take a step now,
beyond the right and the scope (core.workflow: `guard(record, user) -> Refusal | None`).

The `TRANSITIONS` tables in models.py name them, so the detail pages offer only the steps the user may take,
and `apply_transition` refuses with the same code; the services check them before writing anything. Each
guard states a rule of rules.py (or a capacity of the kernel) and never the record's state: the table's
sources say that.
"""

from __future__ import annotations

from anlan.core import capacity
from anlan.core.models import Role
from anlan.core.rules import RuleViolation
from anlan.core.workflow import Refusal

from . import rules

OVERSEEING_ROLES = frozenset({Role.DEPARTMENT, Role.COMMITTEE_OFFICE})


def _refusal(rule, *args, **kwargs) -> Refusal | None:
    try:
        rule(*args, **kwargs)
    except RuleViolation as violation:
        return Refusal(violation.code, violation.message)
    return None


def is_supervising_verifier(user, hazard) -> bool:
    """Whether the user acts for a supervising body of the hazard: an industry department whose jurisdiction
    (region and industry) covers it, or the 安委办/应急管理局 of its region."""
    return capacity.acts_for(
        user, roles=OVERSEEING_ROLES, region=hazard.region_id, industry=hazard.industry_id
    )


def is_assigned_expert(user, hazard) -> bool:
    return (
        hazard.expert_id is not None
        and hazard.expert_id == user.pk
        and capacity.acts_for(user, roles=[Role.EXPERT])
    )


# ---------------------------------------------------------------- Hazard


def ordinary_only(hazard, user) -> Refusal | None:
    """立即整改 is for ordinary hazards only (rules.check_on_the_spot)."""
    return _refusal(rules.check_on_the_spot, hazard.grade)


def may_verify(hazard, user) -> Refusal | None:
    """The verifier is not the submitter; a major hazard is verified by a supervising body or the assigned
    expert (rules.check_verifier). Verifying and rejecting are both verification."""
    major = hazard.grade == rules.MAJOR
    return _refusal(
        rules.check_verifier,
        grade=hazard.grade,
        verifier_id=user.pk,
        submitter_id=hazard.submitted_by_id,
        verifier_is_supervising_department=major and is_supervising_verifier(user, hazard),
        verifier_is_assigned_expert=major and is_assigned_expert(user, hazard),
    )


# ---------------------------------------------------------------- Extension


def may_decide_extension(extension, user) -> Refusal | None:
    """Not one's own request; a major hazard's deadline is moved by a supervising body
    (rules.check_extension_decider)."""
    hazard = extension.hazard
    major = hazard.grade == rules.MAJOR
    return _refusal(
        rules.check_extension_decider,
        grade=hazard.grade,
        requester_id=extension.requested_by_id,
        decider_id=user.pk,
        decider_is_supervising=major and is_supervising_verifier(user, hazard),
    )


# ---------------------------------------------------------------- Supervision


def hazard_closed(supervision, user) -> Refusal | None:
    """摘牌 only once the hazard is closed (rules.check_lift)."""
    return _refusal(rules.check_lift, hazard_closed=supervision.hazard.is_closed)


def signed_by_issuer(supervision, user) -> Refusal | None:
    """摘牌 is signed by the issuing body: its staff, or the 安委办 for the comprehensive office
    (rules.check_lift_signer)."""
    return _refusal(rules.check_lift_signer, signs_for_issuer=capacity.signs_for(user, supervision.issuer))
