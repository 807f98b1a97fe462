"""Use cases of 提请关闭 (安全生产法 第一百一十三条): flag an enterprise whose penalties make closure due (after
each penalty and in the sweep), draft the 提请关闭建议 with its DOCX, record the government's decision — a
closure closes the enterprise (core's 经营状态 transition) and bars its 主要负责人 for five years."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from anlan.core import recipients
from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.people import bar_principal
from anlan.core.permissions import require
from anlan.core.records import save_with_history
from anlan.core.workflow import apply_transition, find
from anlan.documents.services import issue_document
from anlan.notifications.services import notify

from .. import documents, rules, selectors
from ..data import legal_basis
from ..errors import ErrorCode
from ..models import ClosureProposal, DocumentKind, EnforcementAction
from .common import move_enterprise, today
from .watch import revisit_enterprise

CLOSURE_FLAGGED = "inspection_closure_flagged"
CLOSURE_PROPOSED = "inspection_closure_proposed"

LEGAL_BASIS = legal_basis.CLOSURE_BASIS
BAR_BASIS = "《中华人民共和国安全生产法》第一百一十三条"


# ---------------------------------------------------------------- flag


def _window(enterprise_id) -> rules.ClosureWindow | None:
    """The window of penalties that flags the enterprise now, or None: the latest qualifying window
    (rules.closure_windows) that holds the 重大事故隐患 condition (selectors.had_major_hazard) and counts at
    least one penalty no earlier proposal counted."""
    counted = selectors.counted_before(enterprise_id)
    for window in rules.closure_windows(selectors.penalty_dates(enterprise_id)):
        if set(window.ids) <= counted:
            continue
        if selectors.had_major_hazard(enterprise_id, window.first, window.last):
            return window
    return None


def _department(enterprise, actions: list[EnforcementAction]):
    """Who drafts: the enterprise's supervising department (三管三必须), else the department that imposed the
    last counted penalty."""
    department = recipients.supervising_department(enterprise.region_id, enterprise.industry_id)
    return department or actions[-1].inspection.department


def evaluate_closure(enterprise_id, *, actor=None, on: date | None = None) -> ClosureProposal | None:
    """Flag the enterprise for a 提请关闭 when its penalties make closure due and no proposal is open; returns
    the new proposal, or None. Idempotent and safe with concurrent callers (one open proposal per enterprise:
    the conditional unique constraint)."""
    if enterprise_id is None or selectors.open_closure(enterprise_id) is not None:
        return None
    window = _window(enterprise_id)
    if window is None:
        return None
    actions = list(
        EnforcementAction.objects.filter(pk__in=window.ids)
        .select_related("inspection__department")
        .order_by("issued_on", "pk")
    )
    enterprise = actions[0].inspection.enterprise
    proposal = ClosureProposal(
        enterprise=enterprise,
        department=_department(enterprise, actions),
        window_start=window.first,
        window_end=window.last,
        window_days=window.days,
        flagged_on=on or today(),
        legal_basis=LEGAL_BASIS,
    )
    try:
        with transaction.atomic():
            save_with_history(
                proposal,
                actor,
                _("%(days)s日内受到行政处罚%(count)s次，且存在重大事故隐患")
                % {"days": window.days, "count": len(actions)},
                {"actions": actions},
            )
    except (IntegrityError, DomainError):  # another request or worker flagged it a moment ago
        return None
    transaction.on_commit(lambda: _tell_flagged(proposal))
    return proposal


def _tell_flagged(proposal: ClosureProposal) -> None:
    """The drafting department and the county's 安委办."""
    code = proposal.enterprise.region_id
    notify(
        recipients.department_staff(proposal.department_id) | recipients.committee_office(code),
        kind=CLOSURE_FLAGGED,
        title=_("已达提请关闭条件：%(name)s") % {"name": proposal.enterprise.name},
        body=_("%(first)s至%(last)s受到行政处罚%(count)s次，且存在重大事故隐患（安全生产法第一百一十三条）")
        % {"first": proposal.window_start, "last": proposal.window_end, "count": proposal.actions.count()},
        url=reverse("inspections:closure-detail", args=[proposal.pk]),
        dedupe_key=f"closure:{proposal.pk}:flagged",
    )


def flag_closures(*, on: date | None = None) -> int:
    """The sweep: evaluate every enterprise with enough counted penalties and no open proposal (catches
    back-dated and imported penalties). Returns how many proposals it created."""
    created = 0
    for enterprise_id in list(selectors.closure_candidates()):
        with transaction.atomic():
            if evaluate_closure(enterprise_id, on=on) is not None:
                created += 1
    return created


# ---------------------------------------------------------------- workflow


def move_closure(*, actor, proposal_pk, transition: str, data: dict | None = None) -> ClosureProposal:
    """One step of ClosureProposal.TRANSITIONS: 提请关闭 (facts and basis; the DOCX is issued), 不予提请,
    政府决定关闭 (decision number and date; closes the enterprise and bars its 主要负责人), 不予关闭."""
    data = data or {}
    with transaction.atomic():
        proposal = selectors.access_closure(actor, proposal_pk, for_update=True)
        step = find(ClosureProposal.TRANSITIONS, transition)
        require(actor, step.right, proposal)
        reason = str(data.get("reason") or "").strip()
        if step.name == "propose":
            _propose(actor, proposal, step, data)
        elif step.name == "close":
            _close(actor, proposal, step, data)
        else:  # dismiss, keep_open: a reason (the transition requires one)
            apply_transition(proposal, step, actor=actor, reason=reason, changes={"reason": reason})
    if step.name == "propose":
        transaction.on_commit(lambda: _tell_proposed(proposal))
    return proposal


def _propose(actor, proposal: ClosureProposal, step, data: dict) -> None:
    facts = str(data.get("facts") or "").strip()
    basis = str(data.get("legal_basis") or "").strip()
    if not facts:
        raise DomainError(ErrorCode.CLOSURE_FACTS_MISSING, _("请填写提请关闭的违法事实。"), field="facts")
    if not basis:
        raise DomainError(
            ErrorCode.CLOSURE_BASIS_MISSING, _("请填写提请关闭的法律依据。"), field="legal_basis"
        )
    proposal.facts, proposal.legal_basis = facts, basis
    proposal.proposed_by, proposal.proposed_on = actor, today()
    document = issue_document(
        actor=actor,
        issuer=proposal.department,
        kind=DocumentKind.CLOSURE_PROPOSAL,
        title=f"{documents.TITLES[DocumentKind.CLOSURE_PROPOSAL]}（{proposal.enterprise.name}）",
        render=lambda number: documents.closure_proposal(proposal, number),
        target=proposal,
    )
    apply_transition(
        proposal,
        step,
        actor=actor,
        changes={
            "facts": facts,
            "legal_basis": basis,
            "proposed_by": actor,
            "proposed_on": proposal.proposed_on,
            "document": document,
        },
    )


def _close(actor, proposal: ClosureProposal, step, data: dict) -> None:
    number = str(data.get("decision_number") or "").strip()
    decided_on = data.get("decided_on")
    if not number:
        raise DomainError(
            ErrorCode.CLOSURE_DECISION_NUMBER_MISSING,
            _("请填写人民政府关闭决定的文号。"),
            field="decision_number",
        )
    if not decided_on:
        raise DomainError(
            ErrorCode.CLOSURE_DECISION_DATE_MISSING, _("请填写关闭决定日期。"), field="decided_on"
        )
    if decided_on > today():
        raise DomainError(
            ErrorCode.CLOSURE_DECISION_DATE_FUTURE, _("决定日期不能晚于今天。"), field="decided_on"
        )
    if proposal.proposed_on and decided_on < proposal.proposed_on:
        raise DomainError(
            ErrorCode.CLOSURE_DECISION_BEFORE_PROPOSAL, _("决定日期不能早于提请日期。"), field="decided_on"
        )
    apply_transition(
        proposal, step, actor=actor, changes={"decision_number": number, "decided_on": decided_on}
    )
    enterprise = core_selectors.access_enterprise(actor, proposal.enterprise_id, for_update=True)
    move_enterprise(
        enterprise,
        "close",
        actor,
        str(_("人民政府决定予以关闭（%(number)s，安全生产法第一百一十三条）") % {"number": number}),
    )
    if enterprise.principal_id:
        bar_principal(
            actor=actor,
            person=enterprise.principal,
            starts_on=decided_on,
            basis=BAR_BASIS,
            reason=str(
                _("%(name)s被依法予以关闭（%(number)s）") % {"name": enterprise.name, "number": number}
            ),
            enterprise=enterprise,
            source=proposal,
            source_text=str(_("提请关闭 %(number)s") % {"number": number}),
        )
    # 跟踪问效 of the closed unit (seed-map C10): its 回头看 plan, the drafting department responsible.
    revisit_enterprise(enterprise, actor, department_id=proposal.department_id)


def _tell_proposed(proposal: ClosureProposal) -> None:
    """The county's 安委办, who records the government's decision."""
    notify(
        recipients.committee_office(proposal.enterprise.region_id),
        kind=CLOSURE_PROPOSED,
        title=_("提请关闭：%(name)s") % {"name": proposal.enterprise.name},
        body=proposal.document.number if proposal.document_id else "",
        url=reverse("inspections:closure-detail", args=[proposal.pk]),
        dedupe_key=f"closure:{proposal.pk}:proposed",
    )
