"""Use cases of enforcement and documents: decide an enforcement action on a recorded inspection's
findings and issue its numbered document, complete or revoke it, issue the other letters of an inspection."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.permissions import require
from anlan.core.records import save_with_history, update_with_history, validate
from anlan.core.workflow import apply_transition, find
from anlan.documents.services import issue_document

from .. import documents, rules, selectors
from ..errors import ErrorCode
from ..models import Answer, DocumentKind, EnforcementAction, Inspection, Letter
from .common import ENFORCEMENT, check_rule, move_enterprise, tell_enterprise, today
from .suspension import start_suspension

# ---------------------------------------------------------------- enforcement


ACTION_FIELDS = ("kind", "legal_basis", "description", "amount", "due_on", "licence", "referred_to")


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError(ErrorCode.AMOUNT_MALFORMED, _("金额格式不正确。"), field="amount") from exc


def take_enforcement(
    *, actor, inspection_pk, data: dict, finding_ids: Iterable[int] = ()
) -> EnforcementAction:
    """Decide an enforcement action on a recorded inspection's findings and issue its document. A 停产整顿
    order suspends the enterprise; 关闭 closes it."""
    with transaction.atomic():
        inspection = selectors.access_inspection(actor, inspection_pk, for_update=True)
        require(actor, "inspections.enforce", inspection)
        if inspection.status != Inspection.Status.RECORDED:
            raise DomainError(
                ErrorCode.INSPECTION_NOT_RECORDED, _("检查结果记录后才能采取执法措施。"), field="__all__"
            )
        action = EnforcementAction(
            inspection=inspection,
            issued_by=actor,
            issued_on=today(),
            **{k: v for k, v in data.items() if k in ACTION_FIELDS},
        )
        action.amount = _amount(action.amount)
        action.licence = action.licence or ""
        action.referred_to = action.referred_to or ""
        check_rule(rules.check_fine, action.kind, action.amount)
        if action.kind not in (EnforcementAction.Kind.FINE, EnforcementAction.Kind.CONFISCATION):
            action.amount = None
        if action.kind == EnforcementAction.Kind.RECTIFICATION and not action.due_on:
            raise DomainError(
                ErrorCode.RECTIFICATION_DEADLINE_MISSING, _("责令限期整改须填写整改期限。"), field="due_on"
            )
        if action.due_on and action.due_on < today():
            raise DomainError(ErrorCode.DEADLINE_IN_PAST, _("期限不能早于今天。"), field="due_on")
        if action.kind == EnforcementAction.Kind.REFERRAL and not action.referred_to.strip():
            raise DomainError(ErrorCode.REFERRAL_BODY_MISSING, _("移送须填写移送机关。"), field="referred_to")
        if (
            action.kind
            in (EnforcementAction.Kind.LICENCE_SUSPENSION, EnforcementAction.Kind.LICENCE_REVOCATION)
            and not action.licence.strip()
        ):
            raise DomainError(ErrorCode.LICENCE_MISSING, _("请填写许可证名称及编号。"), field="licence")
        needs_enterprise = (EnforcementAction.Kind.SUSPENSION, EnforcementAction.Kind.CLOSURE)
        if action.kind in needs_enterprise and not inspection.enterprise_id:
            raise DomainError(
                ErrorCode.MEASURE_NEEDS_ENTERPRISE, _("该措施只能针对生产经营单位。"), field="kind"
            )
        findings = list(
            inspection.answers.filter(pk__in=list(finding_ids), result=Answer.Result.NON_COMPLIANT)
        )
        if len(findings) != len(set(finding_ids)):
            raise DomainError(
                ErrorCode.FINDING_NOT_OF_INSPECTION, _("所选问题不属于本次检查的不符合项。"), field="findings"
            )
        if not findings and action.kind != EnforcementAction.Kind.REFERRAL:
            raise DomainError(
                ErrorCode.FINDINGS_MISSING, _("请至少选择一项检查发现的问题。"), field="findings"
            )
        validate(action, exclude=["issued_by", "document"])
        save_with_history(action, actor, "", {"findings": findings})
        kind = documents.ACTION_DOCUMENT[action.kind]
        document = issue_document(
            actor=actor,
            issuer=inspection.department,
            kind=kind,
            title=f"{documents.TITLES[kind]}（{inspection.subject}）",
            render=lambda number: documents.action_document(action, number),
            target=action,
        )
        update_with_history(action, actor, "", document=document)
        if action.kind == EnforcementAction.Kind.SUSPENSION:
            start_suspension(actor=actor, action=action, inspection=inspection)
        elif action.kind == EnforcementAction.Kind.CLOSURE:
            enterprise = core_selectors.access_enterprise(actor, inspection.enterprise_id, for_update=True)
            move_enterprise(enterprise, "close", actor, str(_("依法予以关闭")))
        transaction.on_commit(
            lambda: tell_enterprise(
                inspection,
                kind=ENFORCEMENT,
                title=_("执法文书：%(title)s") % {"title": documents.TITLES[kind]},
                body=document.number,
                key=f"action:{action.pk}",
            )
        )
    return action


def move_action(*, actor, action_pk, transition: str, reason: str = "") -> EnforcementAction:
    """执行完毕 or 撤销 of an enforcement action."""
    with transaction.atomic():
        action = selectors.access_action(actor, action_pk, for_update=True)
        step = find(EnforcementAction.TRANSITIONS, transition)
        require(actor, step.right, action)
        apply_transition(action, step, actor=actor, reason=reason)
    return action


def issue_letter(*, actor, inspection_pk, kind: str, addressee: str, content: str, action_pk=None) -> Letter:
    """整改复查意见书 (on a 责令限期整改), 警示提醒书, 安全监管行政建议书 or 约谈通知书 with its number."""
    with transaction.atomic():
        inspection = selectors.access_inspection(actor, inspection_pk, for_update=True)
        require(actor, "inspections.enforce", inspection)
        if inspection.status != Inspection.Status.RECORDED:
            raise DomainError(
                ErrorCode.INSPECTION_NOT_RECORDED, _("检查结果记录后才能出具文书。"), field="__all__"
            )
        if kind not in {k.value for k in Letter.KINDS}:
            raise DomainError(ErrorCode.LETTER_KIND_UNKNOWN, _("文书种类无效。"), field="kind")
        if not (addressee or "").strip():
            raise DomainError(ErrorCode.ADDRESSEE_MISSING, _("请填写主送单位。"), field="addressee")
        if not (content or "").strip():
            raise DomainError(ErrorCode.LETTER_CONTENT_MISSING, _("请填写正文。"), field="content")
        action = None
        if kind == DocumentKind.RECHECK_OPINION:
            action = inspection.actions.filter(
                pk=action_pk, kind=EnforcementAction.Kind.RECTIFICATION
            ).first()
            if action is None:
                raise DomainError(
                    ErrorCode.RECHECK_WITHOUT_ORDER,
                    _("整改复查意见书须对应本次检查的责令限期整改指令。"),
                    field="action",
                )
        letter = Letter(
            inspection=inspection,
            kind=kind,
            addressee=addressee.strip(),
            content=content.strip(),
            action=action,
            issued_by=actor,
            issued_on=today(),
        )
        letter.document = issue_document(
            actor=actor,
            issuer=inspection.department,
            kind=kind,
            title=f"{documents.TITLES[kind]}（{letter.addressee}）",
            render=lambda number: documents.letter_document(letter, number),
            target=inspection,
        )
        save_with_history(letter, actor, "")
    return letter
