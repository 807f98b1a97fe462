"""Guards of the hazard state machines: the domain rules that decide whether a user may take a step now,
beyond the right and the scope (core.workflow: `guard(record, user) -> Refusal | None`).

The `TRANSITIONS` tables in models.py name them, so the detail pages offer only the steps the user may take,
and `apply_transition` refuses with the same code; the services check them before writing anything. Each
guard states a rule of rules.py (or a capacity of the kernel) and never the record's state: the table's
sources say that.
"""

from __future__ import annotations

from anlan.core import capacity
from anlan.core.models import Region, Role
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


def is_enterprise_member(user, enterprise_id) -> bool:
    """Whether the user acts for this enterprise (an active enterprise membership anchored on it)."""
    if not enterprise_id:
        return False
    return bool(capacity.capacities(user, roles=[Role.ENTERPRISE], enterprise=enterprise_id))


def is_unit_member(user, unit) -> bool:
    from anlan.core import units

    return unit is not None and units.is_member(user, unit)


def is_responsible_member(user, hazard) -> bool:
    """Whether the user belongs to the unit that rectifies the hazard: the enterprise's users; for a place,
    its responsible unit (or, on a record without one, the town office of its town)."""
    if getattr(user, "is_superuser", False):
        return True
    if hazard.enterprise_id:
        return is_enterprise_member(user, hazard.enterprise_id)
    if hazard.responsible_unit_id:
        return is_unit_member(user, hazard.responsible_unit)
    town = rules.ancestor_code(hazard.region_id, Region.Level.TOWN)
    return any(
        m.role == Role.TOWN and m.region_id == town for m in capacity.capacities(user, roles=[Role.TOWN])
    )


def enterprise_accounts(enterprise_id) -> int:
    from anlan.core.models import User

    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.ENTERPRISE,
            memberships__enterprise_id=enterprise_id,
        )
        .distinct()
        .count()
    )


def verifier_facts(hazard, user) -> rules.Verifier:
    """What rules.check_verifier needs to know of this user and hazard (a few queries at most)."""
    is_expert = is_assigned_expert(user, hazard)
    in_enterprise = is_enterprise_member(user, hazard.enterprise_id)
    return rules.Verifier(
        verifier_id=user.pk,
        submitter_id=hazard.submitted_by_id,
        grade=hazard.grade,
        source=hazard.source,
        is_supervising=is_supervising_verifier(user, hazard) and not in_enterprise,
        is_assigned_expert=is_expert,
        is_enterprise_member=in_enterprise,
        is_finding_member=not in_enterprise and is_unit_member(user, hazard.finding_unit),
        enterprise_accounts=enterprise_accounts(hazard.enterprise_id) if in_enterprise else 0,
        witnessed=hazard.witnessed_fix,
        is_rectifying_unit_member=is_rectifying_unit_member(user, hazard),
    )


def is_rectifying_unit_member(user, hazard) -> bool:
    """Whether the user belongs to the government unit answering for a place hazard that another unit found
    (a 督查 problem assigned by the 安委办): that unit rectifies, it never closes out."""
    return bool(
        not hazard.enterprise_id
        and hazard.responsible_unit_id
        and hazard.finding_unit_id
        and hazard.responsible_unit_id != hazard.finding_unit_id
        and is_unit_member(user, hazard.responsible_unit)
    )


# ---------------------------------------------------------------- Hazard


def ordinary_only(hazard, user) -> Refusal | None:
    """立即整改 and 当场整改 are for ordinary hazards only (rules.check_on_the_spot)."""
    return _refusal(rules.check_on_the_spot, hazard.grade)


def may_rectify(hazard, user) -> Refusal | None:
    """Plan, submit and 立即整改 only by the responsible unit: no 代管 (rules.check_rectifier)."""
    return _refusal(
        rules.check_rectifier,
        enterprise_hazard=bool(hazard.enterprise_id),
        is_responsible_member=is_responsible_member(user, hazard),
    )


def official_witness(hazard, user) -> Refusal | None:
    """当场整改 is recorded by an official, not by the enterprise (rules.check_witness)."""
    official = bool(capacity.capacities(user, right="hazards.witness_fix")) or user.is_superuser
    return _refusal(
        rules.check_witness, is_official=official and not is_enterprise_member(user, hazard.enterprise_id)
    )


def not_inspection_finding(hazard, user) -> Refusal | None:
    """An inspection's finding closes with the 整改复查意见书 (rules.check_not_inspection_finding)."""
    # services.verify_by_recheck_opinion marks the hazard it closes by the document.
    closing_by_document = getattr(hazard, "closing_by_recheck_opinion", False)
    return _refusal(rules.check_not_inspection_finding, hazard.inspection_finding and not closing_by_document)


def may_verify(hazard, user) -> Refusal | None:
    """Who may 销号 (rules.check_verifier). Verifying and rejecting are both verification."""
    if getattr(user, "is_superuser", False):
        return _refusal(
            rules.check_verifier, rules.Verifier(user.pk, hazard.submitted_by_id, is_supervising=True)
        )
    return _refusal(rules.check_verifier, verifier_facts(hazard, user))


def listed_supervision(hazard):
    """The highest listed 督办 of the hazard (the one whose body decides), or None."""
    listed = [s for s in hazard.supervisions.all() if s.status == "listed"]
    if not listed:
        return None
    return max(listed, key=lambda s: (rules.LEVEL_RANK[s.level], s.pk))


def is_supervising_department(user, hazard) -> bool:
    """The hazard's supervising department (or, on a record without one, a supervising body in scope)."""
    if hazard.supervising_department_id:
        return capacity.signs_for(user, hazard.supervising_department) or (
            not is_enterprise_member(user, hazard.enterprise_id) and is_supervising_verifier(user, hazard)
        )
    return is_supervising_verifier(user, hazard)


def may_void(hazard, user) -> Refusal | None:
    """作废 by the registering unit or the supervising department; major: the department; under 督办: its
    issuer (rules.check_voider)."""
    supervision = listed_supervision(hazard)
    return _refusal(
        rules.check_voider,
        grade=hazard.grade,
        is_registering_member=is_unit_member(user, hazard.registering_unit),
        is_supervising=is_supervising_verifier(user, hazard),
        under_supervision=supervision is not None,
        signs_for_supervision=supervision is not None and capacity.signs_for(user, supervision.issuer),
        issuer_name=supervision.issuer.name if supervision is not None else "",
        is_rectifying_unit_member=is_rectifying_unit_member(user, hazard),
    )


# ---------------------------------------------------------------- Extension


def may_decide_extension(extension, user) -> Refusal | None:
    """Not one's own request; a major hazard's deadline is moved by a supervising body
    (rules.check_extension_decider)."""
    hazard = extension.hazard
    refused = _refusal(rules.check_not_rectifying_unit, is_rectifying_unit_member(user, hazard))
    if refused is not None:
        return refused
    major = hazard.grade == rules.MAJOR
    refused = _refusal(
        rules.check_extension_decider,
        grade=hazard.grade,
        requester_id=extension.requested_by_id,
        decider_id=user.pk,
        decider_is_supervising=major and is_supervising_verifier(user, hazard),
    )
    if refused is not None:
        return refused
    supervision = listed_supervision(hazard)
    return _refusal(
        rules.check_supervised_extension,
        new_due_on=extension.new_due_on,
        supervision_due_on=supervision.due_on if supervision is not None else None,
        signs_for_issuer=capacity.signs_for(user, supervision.issuer) if supervision is not None else None,
    )


# ---------------------------------------------------------------- Supervision


def hazard_closed(supervision, user) -> Refusal | None:
    """摘牌 only once the hazard is closed (rules.check_lift)."""
    return _refusal(rules.check_lift, hazard_closed=supervision.hazard.is_closed)


def signed_by_issuer(supervision, user) -> Refusal | None:
    """摘牌 is signed by the issuing body: its staff, or the 安委办 for the comprehensive office
    (rules.check_lift_signer)."""
    return _refusal(rules.check_lift_signer, signs_for_issuer=capacity.signs_for(user, supervision.issuer))


# ---------------------------------------------------------------- enterprise hazard statistics (issue #14)


def is_principal(filing, user) -> bool:
    """Whether `user` is the account of the filing enterprise's 主要负责人 (Enterprise.principal → Person.user)."""
    person = filing.enterprise.principal
    return person is not None and person.user_id is not None and person.user_id == getattr(user, "pk", None)


def principal_signs(filing, user) -> Refusal | None:
    """The 统计分析表 is confirmed (签字) by the 主要负责人 only (16号令 第十四条)."""
    return _refusal(rules.check_filing_signer, is_principal=is_principal(filing, user))
