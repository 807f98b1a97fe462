"""Use cases of 安全生产记分: the people scored and their scores in 12-month cycles."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from anlan.core import recipients
from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.permissions import require, require_right
from anlan.core.records import ensure_in_scope, save_with_history, validate
from anlan.notifications.services import notify

from .. import rules, selectors
from ..errors import ErrorCode
from ..models import Inspection, ScoredPerson, ScoreEntry, ScoreProposal, ScoringRule
from .common import SCORE_THRESHOLD, today

# ---------------------------------------------------------------- 安全生产记分


def add_scored_person(*, actor, enterprise_pk, name: str, position: str) -> ScoredPerson:
    require_right(actor, "inspections.score")
    with transaction.atomic():
        enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
        person = ScoredPerson(
            enterprise=enterprise, name=(name or "").strip(), position=(position or "").strip()
        )
        validate(person)
        save_with_history(person, actor, "")
        ensure_in_scope(actor, "inspections.score", person, "enterprise")
    return person


def score(*, actor, person_pk, rule_pk, scored_on: date, inspection_pk=None) -> ScoreEntry:
    """Score a responsible person for a violation; reaching the threshold (12) in the cycle makes the action
    due (re-assessment) and notifies the enterprise and its supervisors."""
    with transaction.atomic():
        person = selectors.access_person(actor, person_pk, for_update=True)
        require(actor, "inspections.score", person)
        rule = ScoringRule.objects.filter(pk=rule_pk, is_active=True).first()
        if rule is None:
            raise DomainError(ErrorCode.SCORING_RULE_INACTIVE, _("记分标准不存在或已停用。"), field="rule")
        if scored_on > today():
            raise DomainError(ErrorCode.SCORED_IN_FUTURE, _("记分日期不能晚于今天。"), field="scored_on")
        inspection = None
        if inspection_pk:
            inspection = selectors.access_inspection(actor, inspection_pk)
            if inspection.enterprise_id != person.enterprise_id:
                raise DomainError(
                    ErrorCode.INSPECTION_OF_OTHER_ENTERPRISE,
                    _("所选检查不是对该单位的检查。"),
                    field="inspection",
                )
        start, end = rules.cycle_of(scored_on)
        before = sum(
            ScoreEntry.objects.filter(person=person, cycle_start=start).values_list("points", flat=True)
        )
        total = before + rule.points
        entry = ScoreEntry(
            person=person,
            rule=rule,
            points=rule.points,
            inspection=inspection,
            scored_on=scored_on,
            cycle_start=start,
            cycle_total=total,
            action_due=rules.threshold_reached(total),
            recorded_by=actor,
        )
        save_with_history(entry, actor, "")
        if entry.action_due and not rules.threshold_reached(before):
            users = recipients.enterprise_users(person.enterprise_id) | recipients.committee_office(
                person.enterprise.region_id
            )
            transaction.on_commit(
                lambda: notify(
                    users,
                    kind=SCORE_THRESHOLD,
                    title=_("安全生产记分达到%(n)s分：%(name)s")
                    % {"n": rules.SCORE_THRESHOLD, "name": person.name},
                    body=str(
                        _("本记分周期累计%(total)s分，应重新参加安全生产知识和管理能力考核。")
                        % {"total": total}
                    ),
                    url=reverse("inspections:person-detail", args=[person.pk]),
                    dedupe_key=f"score:{person.pk}:{start}",
                )
            )
    return entry


def propose_score(source, rule_code: str, actor) -> ScoreProposal | None:
    """Propose the 记分 a finding carries (e.g. 擅自复产) for a supervisor to confirm: once per source and
    rule; nothing when the scheme has no such active rule. The source is the inspection, or the 盯守/回头看
    visit (`WatchVisit`), that found it. Called inside the finding's transaction."""
    rule = ScoringRule.objects.filter(code=rule_code, is_active=True).first()
    if rule is None or not source.enterprise_id:
        return None
    field = "inspection" if isinstance(source, Inspection) else "watch_visit"
    existing = ScoreProposal.objects.filter(**{field: source}, rule=rule).first()
    if existing is not None:
        return existing
    proposal = ScoreProposal(enterprise_id=source.enterprise_id, rule=rule, **{field: source})
    save_with_history(proposal, actor, str(_("检查发现，提出记分建议")))
    return proposal


def _open_proposal(actor, proposal_pk) -> ScoreProposal:
    proposal = selectors.access_score_proposal(actor, proposal_pk, for_update=True)
    require(actor, "inspections.score", proposal)
    if proposal.status != ScoreProposal.Status.PROPOSED:
        raise DomainError(ErrorCode.SCORE_PROPOSAL_DECIDED, _("该记分建议已处理。"), field="__all__")
    return proposal


def confirm_score_proposal(
    *, actor, proposal_pk, person_pk=None, name: str = "", position: str = ""
) -> ScoreEntry:
    """A supervisor confirms a proposed 记分: the person named (a scored person of the enterprise, or a new one)
    is scored under the proposal's rule for its inspection."""
    with transaction.atomic():
        proposal = _open_proposal(actor, proposal_pk)
        if person_pk:
            person = selectors.access_person(actor, person_pk)
            if person.enterprise_id != proposal.enterprise_id:
                raise DomainError(
                    ErrorCode.INSPECTION_OF_OTHER_ENTERPRISE, _("记分对象不是该单位的人员。"), field="person"
                )
        else:
            person = add_scored_person(
                actor=actor, enterprise_pk=proposal.enterprise_id, name=name, position=position
            )
        entry = score(
            actor=actor,
            person_pk=person.pk,
            rule_pk=proposal.rule_id,
            scored_on=today(),
            inspection_pk=proposal.inspection_id,
        )
        proposal.status, proposal.entry, proposal.decided_by = ScoreProposal.Status.CONFIRMED, entry, actor
        save_with_history(proposal, actor, str(_("确认记分")))
    return entry


def dismiss_score_proposal(*, actor, proposal_pk, reason: str) -> ScoreProposal:
    """A supervisor decides not to score, with the reason (audited)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        proposal = _open_proposal(actor, proposal_pk)
        if not reason:
            raise DomainError(ErrorCode.REFUSAL_WITHOUT_OPINION, _("不予记分须说明理由。"), field="reason")
        proposal.status, proposal.reason, proposal.decided_by = ScoreProposal.Status.DISMISSED, reason, actor
        save_with_history(proposal, actor, reason)
    return proposal
