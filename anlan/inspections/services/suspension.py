"""Use cases of 停产整顿 and 复产验收: the suspension an order opens, the enterprise's application along the
configured sign-off chain, each step decided in order by its approver, and 擅自复产 found on a visit."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import recipients, trees, uploads
from anlan.core import selectors as core_selectors
from anlan.core.errors import Code, DomainError
from anlan.core.models import Role
from anlan.core.permissions import require, require_right
from anlan.core.records import save_with_history, update_with_history
from anlan.core.workflow import apply_transition, check_transition, find
from anlan.documents.services import issue_document
from anlan.hazards.models import Supervision
from anlan.notifications.services import notify

from .. import documents, guards, rules, selectors
from ..errors import ErrorCode
from ..models import (
    DEFAULT_CHAIN,
    DocumentKind,
    EnforcementAction,
    Inspection,
    Resumption,
    ResumptionStep,
    SignoffStep,
    Suspension,
)
from .common import RESUMPTION, UNAUTHORISED_PRODUCTION, check_rule, move_enterprise, today
from .scoring import propose_score

# Who may sign a step (a capacity of the kernel; also the guard of Resumption.TRANSITIONS).
may_sign = guards.may_sign

# ---------------------------------------------------------------- 停产整顿 and 复产验收


def supervision_for(actor, enterprise_id, supervision_pk) -> Supervision | None:
    """The 挂牌督办 a halt follows, as chosen on the order: one the actor sees, of the same enterprise, still
    listed (督办中). Empty is none."""
    if supervision_pk in (None, ""):
        return None
    supervision = (
        selectors.supervisions_to_link(actor, enterprise_id).filter(pk=supervision_pk).first()
        if str(supervision_pk).isdigit()
        else None
    )
    if supervision is None:
        raise DomainError(
            ErrorCode.SUPERVISION_NOT_OF_ENTERPRISE,
            _("所依据的挂牌督办须是本单位督办中的挂牌督办（且在您的管辖范围内）。"),
            field="supervision",
        )
    return supervision


def start_suspension(
    *, actor, action: EnforcementAction, inspection: Inspection, supervision_pk=None
) -> Suspension:
    """停产整顿 ordered by `action`: the enterprise (locked) must not be suspended already; it becomes 停产停业
    until a 复产验收 passes. A halt after a 挂牌督办 names it (`supervision_pk`, same enterprise). Called
    inside the enforcement's transaction."""
    enterprise = core_selectors.access_enterprise(actor, inspection.enterprise_id, for_update=True)
    if Suspension.objects.filter(enterprise=enterprise).exclude(status=Suspension.Status.RESUMED).exists():
        raise DomainError(ErrorCode.ALREADY_SUSPENDED, _("该单位已在停产整顿中。"), field="kind")
    suspension = Suspension(
        action=action,
        enterprise=enterprise,
        issuing_level=rules.level_of_region(inspection.department.region.level),
        supervision=supervision_for(actor, enterprise.pk, supervision_pk),
    )
    save_with_history(suspension, actor, "")
    move_enterprise(enterprise, "suspend", actor, str(_("责令停产停业整顿")))
    from .watch import watch_suspension  # 盯守 starts with the order (watch imports this module)

    watch_suspension(suspension, actor)
    return suspension


def link_supervision(*, actor, suspension_pk, supervision_pk) -> Suspension:
    """Name the 挂牌督办 an existing 停产整顿 follows (once, while it is in force). A pending 复产 application
    gets its on-site review deadline from the day it was received."""
    with transaction.atomic():
        suspension = selectors.access_suspension(actor, suspension_pk, for_update=True)
        require(actor, "inspections.enforce", suspension)
        if suspension.status == Suspension.Status.RESUMED:
            raise DomainError(
                ErrorCode.SUPERVISION_ONLY_FOR_SUSPENSION,
                _("该单位已复产，不能再关联挂牌督办。"),
                field="supervision",
            )
        if suspension.supervision_id:
            raise DomainError(
                ErrorCode.SUPERVISION_ALREADY_LINKED,
                _("该停产整顿已关联挂牌督办（%(letter)s）。") % {"letter": suspension.supervision},
                field="supervision",
            )
        supervision = supervision_for(actor, suspension.enterprise_id, supervision_pk)
        if supervision is None:
            raise DomainError(
                ErrorCode.SUPERVISION_NOT_OF_ENTERPRISE, _("请选择所依据的挂牌督办。"), field="supervision"
            )
        update_with_history(
            suspension,
            actor,
            str(_("关联挂牌督办 %(letter)s") % {"letter": supervision}),
            supervision=supervision,
        )
        pending = (
            Resumption.objects.select_for_update()
            .filter(suspension=suspension, status=Resumption.Status.PENDING, review_due_on__isnull=True)
            .first()
        )
        if pending is not None:
            update_with_history(
                pending,
                actor,
                "",
                review_due_on=rules.resumption_review_due(timezone.localdate(pending.applied_at)),
            )
    return suspension


def configured_chain(region_code: str) -> list[tuple[str, str]]:
    """The county's configured sign-off steps in order, or the default chain."""
    steps = list(
        SignoffStep.objects.filter(region_id=trees.county_of(region_code))
        .order_by("order")
        .values_list("approver", "name")
    )
    return steps or [(role, str(name)) for role, name in DEFAULT_CHAIN]


def apply_resumption(*, actor, suspension_pk, evidence: str, attachment=None) -> Resumption:
    """The enterprise applies for 复产验收 with its evidence; the sign-off chain is fixed at this moment."""
    with transaction.atomic():
        suspension = selectors.access_suspension(actor, suspension_pk, for_update=True)
        require(actor, "inspections.apply_resumption", suspension)
        transition = find(Suspension.TRANSITIONS, "apply")
        if not (evidence or "").strip():
            raise DomainError(
                ErrorCode.EVIDENCE_MISSING, _("请说明整改情况并提供证明材料。"), field="evidence"
            )
        check_transition(suspension, transition)
        application = Resumption(suspension=suspension, evidence=evidence.strip(), applied_by=actor)
        if suspension.supervision_id:
            # After a 挂牌督办 halt the department reviews on site within 10 days of receiving the application.
            application.review_due_on = rules.resumption_review_due(today())
        if attachment is not None:
            proof = uploads.accept_attachment(attachment, field="attachment")
            application.attachment.save(proof.name, proof, save=False)
        save_with_history(application, actor, "")
        chain = check_rule(
            rules.signoff_chain, configured_chain(suspension.enterprise.region_id), suspension.issuing_level
        )
        for order, (approver, name) in enumerate(chain, 1):
            save_with_history(
                ResumptionStep(application=application, order=order, approver=approver, name=name), actor, ""
            )
        apply_transition(suspension, transition, actor=actor)
        first = application.steps.order_by("order").first()
        transaction.on_commit(lambda: _tell_approvers(application, first))
    return application


def _tell_approvers(application: Resumption, step: ResumptionStep | None) -> None:
    if step is None:
        return
    suspension = application.suspension
    code = suspension.enterprise.region_id
    if step.approver == SignoffStep.Approver.DEPARTMENT:
        users = recipients.department_staff(suspension.action.inspection.department_id)
    elif step.approver.startswith(guards.REVIEW_PREFIX):
        level = trees.CITY if step.approver == "review_city" else trees.PROVINCE
        users = recipients.committee_office(code, level=level)
    else:
        users = recipients.members(region=trees.county_of(code), roles=[step.approver])
    notify(
        users,
        kind=RESUMPTION,
        title=_("复产验收待审批：%(name)s") % {"name": suspension.enterprise.name},
        body=step.name,
        url=reverse("inspections:suspension-detail", args=[suspension.pk]),
        dedupe_key=f"resumption:{application.pk}:step:{step.pk}",
    )


def current_step(application: Resumption) -> ResumptionStep | None:
    """The step of an application to decide next (the chain is decided strictly in order), or None once the
    chain has ended."""
    steps = list(application.steps.all())
    index = rules.next_step([s.decision or None for s in steps])
    return steps[index] if index is not None else None


def decide_resumption(*, actor, application_pk, approve: bool, opinion: str = "") -> Resumption:
    """Decide the next step of the chain (strictly in order). A refusal ends the application (the enterprise
    stays suspended and may apply again); the last approval resumes the enterprise."""
    require_right(actor, "inspections.approve_resumption")
    opinion = (opinion or "").strip()
    with transaction.atomic():
        application = selectors.access_resumption(actor, application_pk, for_update=True)
        suspension = (
            Suspension.objects.select_for_update(of=("self",))
            .select_related("enterprise", "action__inspection__department")
            .get(pk=application.suspension_id)
        )
        if application.status != Resumption.Status.PENDING:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("该复产申请已审结。"), field="__all__")
        steps = list(application.steps.order_by("order"))
        index = rules.next_step([s.decision or None for s in steps])
        if index is None:
            raise DomainError(Code.ILLEGAL_TRANSITION, _("该复产申请已审结。"), field="__all__")
        step = steps[index]
        # The step's body signs it (core.capacity), nobody signs two steps, and the last one passes only when
        # no major hazard and no order of the suspending inspection is open.
        checks = [guards.signs_the_step, guards.signed_no_other_step]
        if approve:
            checks.append(guards.clear_to_resume)
        for guard in checks:
            refused = guard(application, actor)
            if refused is not None:
                raise DomainError(refused.code, refused.message, field="__all__")
        if not approve and not opinion:
            raise DomainError(ErrorCode.REFUSAL_WITHOUT_OPINION, _("不同意复产须填写意见。"), field="opinion")
        updated = ResumptionStep.objects.filter(pk=step.pk, decision="").update(
            decision=ResumptionStep.Decision.APPROVED if approve else ResumptionStep.Decision.REJECTED,
            opinion=opinion,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        if updated != 1:
            raise DomainError(Code.STALE, _("该记录已被他人处理，请刷新页面后重试。"), field="__all__")
        step.refresh_from_db()
        save_with_history(step, actor, step.opinion)
        reviews = index == rules.review_step_index([s.approver for s in steps])
        if reviews and application.review_due_on and not application.reviewed_on:
            # The department's on-site step decided: the 现场审查 of 16号令 第二十三条 is done.
            update_with_history(application, actor, str(_("现场审查")), reviewed_on=today())
        if approve and index < len(steps) - 1:
            following = steps[index + 1]
            transaction.on_commit(lambda: _tell_approvers(application, following))
            return application
        if approve:
            # The 复产通知 is issued with the approval: one history row carries both.
            apply_transition(
                application,
                find(Resumption.TRANSITIONS, "approve"),
                actor=actor,
                reason=opinion,
                changes={"notice": _issue_notice(application, suspension, actor)},
            )
            apply_transition(
                suspension,
                find(Suspension.TRANSITIONS, "resume"),
                actor=actor,
                reason=opinion,
                changes={"resumed_on": today()},
            )
            move_enterprise(suspension.enterprise, "resume", actor, str(_("复产验收合格")))
            from .watch import end_watch

            end_watch(suspension, actor)
            order = EnforcementAction.objects.select_for_update().get(pk=suspension.action_id)
            if order.status == EnforcementAction.Status.ISSUED:
                apply_transition(
                    order,
                    find(EnforcementAction.TRANSITIONS, "complete"),
                    actor=actor,
                    reason=str(_("复产验收合格")),
                )
        else:
            apply_transition(application, find(Resumption.TRANSITIONS, "reject"), actor=actor, reason=opinion)
            apply_transition(suspension, find(Suspension.TRANSITIONS, "refuse"), actor=actor, reason=opinion)
        transaction.on_commit(
            lambda: notify(
                recipients.enterprise_users(suspension.enterprise_id),
                kind=RESUMPTION,
                title=_("复产验收：%(result)s") % {"result": application.get_status_display()},
                url=reverse("inspections:suspension-detail", args=[suspension.pk]),
                dedupe_key=f"resumption:{application.pk}:decided",
            )
        )
    return application


def _issue_notice(application: Resumption, suspension: Suspension, actor):
    """复产通知 (DOCX), in the name of the department that ordered the suspension, for the application."""
    issuer = suspension.action.inspection.department
    kind = DocumentKind.RESUMPTION_NOTICE
    return issue_document(
        actor=actor,
        issuer=issuer,
        kind=kind,
        title=f"{documents.TITLES[kind]}（{suspension.enterprise.name}）",
        render=lambda number: documents.resumption_notice(application, number, issuer),
        target=application,
    )


def flag_unauthorised_production(source, actor) -> None:
    """擅自复产: production found during a 停产整顿 — by an inspection, or by a 盯守 visit (`WatchVisit`) — is
    flagged on the suspension and escalated at once to the ordering department, the county's 安委办 and the
    level above, with a 记分 proposal under `rules.UNAUTHORISED_RESUMPTION_RULE`."""
    suspension = (
        Suspension.objects.select_for_update(of=("self",))
        .filter(enterprise_id=source.enterprise_id)
        .exclude(status=Suspension.Status.RESUMED)
        .first()
    )
    if suspension is None:
        raise DomainError(
            ErrorCode.NO_SUSPENSION_IN_FORCE,
            _("该单位没有正在执行的停产整顿，不能认定擅自复产。"),
            field="production_during_suspension" if isinstance(source, Inspection) else "producing",
        )
    suspension.unauthorised_production_at = timezone.now()
    if isinstance(source, Inspection):
        suspension.unauthorised_production_by = source
    else:
        suspension.unauthorised_production_visit = source
    save_with_history(suspension, actor, str(_("发现擅自复产")))
    report_unauthorised_production(
        source,
        actor,
        department_id=suspension.action.inspection.department_id,
        url=reverse("inspections:suspension-detail", args=[suspension.pk]),
        key=f"suspension:{suspension.pk}",
        body=str(_("停产整顿期间发现擅自组织生产，请依法从重处理。")),
    )


def report_unauthorised_production(source, actor, *, department_id, url: str, key: str, body: str) -> None:
    """What every 擅自复产 finding does, whatever it was found on (a suspension in force, a closed or exited
    unit): the 记分 proposal for the principal, and the department, the county's 安委办 and leaders and the
    city's 安委办 told at once. Called inside the finding's transaction."""
    propose_score(source, rules.UNAUTHORISED_RESUMPTION_RULE, actor)
    code = source.region_id
    users = recipients.members(region=trees.county_of(code), roles=[Role.COMMITTEE_OFFICE, Role.LEADER]) | (
        recipients.committee_office(code, level=trees.CITY)
    )
    if department_id:
        users = users | recipients.department_staff(department_id)
    source_key = f"{'inspection' if isinstance(source, Inspection) else 'visit'}:{source.pk}"
    transaction.on_commit(
        lambda: notify(
            users,
            kind=UNAUTHORISED_PRODUCTION,
            title=_("擅自复产：%(name)s") % {"name": source.subject},
            body=body,
            url=url,
            dedupe_key=f"{key}:unauthorised:{source_key}",
        )
    )
