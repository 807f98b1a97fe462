"""Use cases of enforcement and documents: decide an enforcement action on a recorded inspection's
findings and issue its numbered document, complete or revoke it, issue the other letters of an inspection."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.permissions import can, require
from anlan.core.records import save_with_history, update_with_history, validate
from anlan.core.workflow import apply_transition, find
from anlan.documents.services import issue_document
from anlan.hazards import models as hazard_models
from anlan.hazards import services as hazard_services

from .. import documents, rules, selectors
from ..data import legal_basis
from ..errors import ErrorCode
from ..models import Answer, DocumentKind, EnforcementAction, Inspection, Inspector, Letter
from .closure import evaluate_closure
from .common import ENFORCEMENT, check_rule, move_enterprise, tell_enterprise, today
from .suspension import start_suspension
from .watch import revisit_enterprise

# ---------------------------------------------------------------- enforcement


ACTION_FIELDS = ("kind", "legal_basis", "description", "amount", "due_on", "licence", "referred_to")


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError(ErrorCode.AMOUNT_MALFORMED, _("金额格式不正确。"), field="amount") from exc


def is_certified_inspector(actor, on=None) -> bool:
    """Whether the actor is an inspector of a department's pool (active) holding a valid 执法证."""
    if getattr(actor, "is_superuser", False):
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    on = on or today()
    return Inspector.objects.filter(user=actor, is_active=True, certificate_expires_on__gte=on).exists()


def may_enforce(actor, inspection: Inspection) -> bool:
    """Whether the page offers enforcement on this inspection: recorded, a department's (not a town's or a
    leader's own check), the right in scope, and the actor a certified inspector."""
    return (
        inspection.status == Inspection.Status.RECORDED
        and not inspection.is_own_check
        and can(actor, "inspections.enforce", inspection)
        and is_certified_inspector(actor)
    )


def check_enforcer(actor, inspection: Inspection) -> None:
    check_rule(
        rules.check_enforcer, certified=is_certified_inspector(actor), own_check=inspection.is_own_check
    )


def take_enforcement(
    *, actor, inspection_pk, data: dict, finding_ids: Iterable[int] = (), supervision_pk=None
) -> EnforcementAction:
    """Decide an enforcement action on a recorded inspection's findings and issue its document. A 停产整顿
    order suspends the enterprise (naming the 挂牌督办 of that enterprise it follows, if any: `supervision_pk`);
    关闭 closes it. Only a certified inspector decides one, never on a town's or
    a leader's own check; the legal basis defaults to the articles the findings break and the measure applies
    (data.legal_basis), never the 判定标准 item."""
    with transaction.atomic():
        inspection = selectors.access_inspection(actor, inspection_pk, for_update=True)
        require(actor, "inspections.enforce", inspection)
        check_enforcer(actor, inspection)
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
        action.legal_basis = (action.legal_basis or "").strip()
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
        if supervision_pk not in (None, "") and action.kind != EnforcementAction.Kind.SUSPENSION:
            raise DomainError(
                ErrorCode.SUPERVISION_ONLY_FOR_SUSPENSION,
                _("只有责令停产停业整顿才能关联挂牌督办。"),
                field="supervision",
            )
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
        if not action.legal_basis:
            action.legal_basis = legal_basis.basis_text(action.kind, [f.item_key for f in findings])
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
            start_suspension(actor=actor, action=action, inspection=inspection, supervision_pk=supervision_pk)
        elif action.kind == EnforcementAction.Kind.CLOSURE:
            enterprise = core_selectors.access_enterprise(actor, inspection.enterprise_id, for_update=True)
            move_enterprise(enterprise, "close", actor, str(_("依法予以关闭")))
            # 跟踪问效 of the closed unit (S4): its 回头看 plan, with the closing department responsible.
            revisit_enterprise(enterprise, actor, department_id=inspection.department_id)
        if rules.is_penalty(action.kind) and inspection.enterprise_id:
            # 安全生产法 第一百一十三条: this penalty may make a 提请关闭 due.
            evaluate_closure(inspection.enterprise_id, actor=actor)
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


def issue_letter(
    *,
    actor,
    inspection_pk,
    kind: str,
    addressee: str,
    content: str,
    action_pk=None,
    passed: bool | None = None,
    method: str = "",
) -> Letter:
    """整改复查意见书 (on a 责令限期整改), 警示提醒书, 安全监管行政建议书 or 约谈通知书 with its number. The
    整改复查意见书 decides the order's hazards: passed closes them, not passed sends them back
    (hazards.verify_by_recheck_opinion, with the same verifier rules as any 验收)."""
    with transaction.atomic():
        inspection = selectors.access_inspection(actor, inspection_pk, for_update=True)
        require(actor, "inspections.enforce", inspection)
        check_enforcer(actor, inspection)
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
            if passed is None:
                raise DomainError(
                    ErrorCode.RECHECK_CONCLUSION_MISSING,
                    _("请选择复查结论（合格或不合格）。"),
                    field="passed",
                )
        letter = Letter(
            recheck_passed=passed if kind == DocumentKind.RECHECK_OPINION else None,
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
        if action is not None:
            _verify_hazards(actor, action, letter, passed=bool(passed), method=method)
    return letter


def _verify_hazards(actor, action: EnforcementAction, letter: Letter, *, passed: bool, method: str) -> None:
    """Each open hazard of the order's findings is verified by the 整改复查意见书 (passed or sent back)."""
    opinion = letter.content.strip()
    status = hazard_models.Hazard.Status
    for answer in action.findings.select_related("hazard").filter(hazard__isnull=False):
        if answer.hazard.status in (status.CLOSED, status.VOIDED):
            continue
        if answer.hazard.status != status.AWAITING_VERIFICATION:
            if passed:
                raise DomainError(
                    ErrorCode.RECHECK_BEFORE_RECTIFICATION,
                    _("隐患“%(number)s”尚未提交整改，不能出具复查合格的意见。")
                    % {"number": answer.hazard.number},
                    field="passed",
                )
            continue  # not yet rectified: a failed recheck has nothing to send back
        hazard_services.verify_by_recheck_opinion(
            actor=actor,
            hazard_pk=answer.hazard_id,
            passed=passed,
            opinion=opinion,
            method=method or hazard_models.Verification.Method.ON_SITE,
            document=letter.document,
        )
