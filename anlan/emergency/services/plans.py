"""Use cases of plans (应急预案), 生产安全事故应急预案管理办法: register, review (评审/论证), sign, publish, revise,
supersede or abolish; file (备案) and check a filing; evaluate; and the sweep's steps. Each: access (scoped,
locked) → may the actor do it (the right, and being the owner — or the receiver — unit) → rules → change with
history → notifications on commit."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import uploads
from anlan.core.audit import record_text, system_actor
from anlan.core.calendar import Calendar
from anlan.core.errors import DomainError
from anlan.core.models import Unit
from anlan.core.permissions import require_right
from anlan.core.records import ensure_in_scope, save_with_history, validate
from anlan.core.units import acts_for, is_member, members
from anlan.core.workflow import apply_transition, find
from anlan.documents.docx import OfficialDocument, build_docx, chinese_date
from anlan.notifications.services import notify

from .. import rules
from ..models import Plan, PlanEvaluation, PlanFiling, PlanReview, PlanVersion
from ..models.plans import FILING_ITEM_LABELS, INITIAL
from ..selectors import plans as selectors
from ..selectors import unit_category

MANAGE = selectors.MANAGE
CHECK_FILING = selectors.CHECK_FILING


class PlanError(StrEnum):
    OWNER_NOT_YOURS = "plan_owner_not_yours"
    KIND_UNKNOWN = "plan_kind_unknown"
    TITLE_REQUIRED = "plan_title_required"
    LEVEL_UNKNOWN = "plan_response_level_unknown"
    NOT_DRAFT = "plan_not_draft"
    DATE_IN_FUTURE = "plan_date_in_future"
    DATE_BEFORE = "plan_date_before_previous_step"
    REVIEWERS_REQUIRED = "plan_reviewers_required"
    SIGNER_REQUIRED = "plan_signer_required"
    PRINCIPAL_MISSING = "plan_enterprise_principal_missing"
    TRIGGER_REQUIRED = "plan_revision_trigger_required"
    CONFLICT_NOT_DECLARED = "plan_review_conflict_not_declared"
    NOT_PUBLISHED = "plan_not_published"
    ALREADY_FILED = "plan_already_filed"
    RECEIVER_NOT_ALLOWED = "plan_filing_receiver_not_allowed"
    FILING_ANSWERED = "plan_filing_answered"
    FILING_DEEMED = "plan_filing_deemed_accepted"
    SELF_ACCEPTANCE = "plan_filing_self_acceptance"
    MISSING_ITEMS_REQUIRED = "plan_filing_missing_items_required"
    MISSING_ITEM_UNKNOWN = "plan_filing_missing_item_unknown"
    CONCLUSION_REQUIRED = "plan_evaluation_conclusion_required"


def _today() -> date:
    return timezone.localdate()


def _not_future(day: date | None, field: str, label) -> date:
    if day is None:
        raise DomainError(PlanError.DATE_IN_FUTURE, _("请填写%(label)s。") % {"label": label}, field=field)
    if day > _today():
        raise DomainError(
            PlanError.DATE_IN_FUTURE, _("%(label)s不能晚于今天。") % {"label": label}, field=field
        )
    return day


def _not_before(day: date, earlier: date | None, field: str, label, earlier_label) -> None:
    if earlier is not None and day < earlier:
        raise DomainError(
            PlanError.DATE_BEFORE,
            _("%(label)s不能早于%(earlier)s（%(day)s）。")
            % {"label": label, "earlier": earlier_label, "day": earlier},
            field=field,
        )


def _managed(actor, plan_pk) -> Plan:
    """The plan, locked, if the actor manages it: the right, and acting for its owner unit (403 otherwise)."""
    plan = selectors.access_plan(actor, plan_pk, for_update=True)
    if not acts_for(actor, plan.owner, MANAGE):
        raise PermissionDenied(_("只有预案编制单位可以办理此事项。"))
    return plan


def _step(plan: Plan, name: str, *, actor, reason: str = "", changes: dict | None = None) -> Plan:
    return apply_transition(plan, find(Plan.TRANSITIONS, name), actor=actor, reason=reason, changes=changes)


def _accept_file(file):
    if not file:
        return None
    return uploads.accept_pdf(file, field="file")


def _add_version(plan: Plan, *, actor, number: int, reason: str, note: str = "", file=None) -> PlanVersion:
    stored = _accept_file(file)
    version = PlanVersion(plan=plan, number=number, reason=reason, note=note.strip(), created_by=actor)
    if stored is not None:
        version.file = stored
        version.file_name = stored.original_name
    save_with_history(version, actor, "")
    return version


def _check_fields(data: dict) -> dict:
    kind = data.get("kind")
    if kind not in dict(rules.PLAN_KINDS_WITH_CARD):
        raise DomainError(PlanError.KIND_UNKNOWN, _("请选择预案类别。"), field="kind")
    title = (data.get("title") or "").strip()
    if not title:
        raise DomainError(PlanError.TITLE_REQUIRED, _("请填写预案名称。"), field="title")
    levels = sorted({int(level) for level in data.get("response_levels") or []})
    known = {level for level, _label in rules.RESPONSE_LEVELS}
    if any(level not in known for level in levels):
        # 突发事件应对法 第七十一条: response levels run 一级 to 四级.
        raise DomainError(PlanError.LEVEL_UNKNOWN, _("响应分级只能是一级至四级。"), field="response_levels")
    return {
        "kind": kind,
        "title": title,
        "number": (data.get("number") or "").strip(),
        "applies_to": (data.get("applies_to") or "").strip(),
        "response_levels": levels,
    }


# ---------------------------------------------------------------- the plan's lifecycle


def register_plan(*, actor, owner_pk: int, data: dict, file=None) -> Plan:
    """Register a plan of one of the actor's own units in draft, with its first version. Whether it is
    评审ed or 论证ed follows from the owner's category and size (预案管理办法 第二十一条)."""
    require_right(actor, MANAGE)
    owner = next((unit for unit in selectors.owner_units(actor) if unit.pk == owner_pk), None)
    if owner is None:
        raise DomainError(PlanError.OWNER_NOT_YOURS, _("只能为本单位编制预案。"), field="owner")
    values = _check_fields(data)
    enterprise = owner.enterprise if owner.kind == Unit.Kind.ENTERPRISE else None
    category = unit_category(owner)
    with transaction.atomic():
        plan = Plan(
            owner=owner,
            region_id=enterprise.region_id if enterprise else owner.region_id,
            enterprise=enterprise,
            industry_id=enterprise.industry_id if enterprise else None,
            unit_category=category,
            review_kind=rules.plan_review_kind(
                unit_category=category, scale=enterprise.scale if enterprise else None
            ),
            **values,
        )
        validate(plan)
        save_with_history(plan, actor, "")
        _add_version(plan, actor=actor, number=1, reason=INITIAL, note=data.get("note") or "", file=file)
        ensure_in_scope(actor, MANAGE, plan, "owner")
    return plan


def update_plan(*, actor, plan_pk: int, data: dict) -> Plan:
    """Edit a draft's name, number, scope and response levels (a reviewed text is changed by a revision)."""
    values = _check_fields(data)
    with transaction.atomic():
        plan = _managed(actor, plan_pk)
        if plan.status != Plan.Status.DRAFT:
            raise DomainError(
                PlanError.NOT_DRAFT, _("只有编制中的预案可以修改，已评审的预案请走修订。"), field="__all__"
            )
        for key, value in values.items():
            setattr(plan, key, value)
        validate(plan)
        save_with_history(plan, actor, "")
    return plan


def record_review(
    *,
    actor,
    plan_pk: int,
    held_on: date,
    reviewers: str,
    conclusion: str,
    opinion: str = "",
    no_conflict: bool = False,
) -> PlanReview:
    """Record the 评审 or 论证 of the current version (the way is the plan's, fixed by the rule); a pass moves
    the plan to reviewed, a "revise" keeps it in draft."""
    reviewers = (reviewers or "").strip()
    if not reviewers:
        # 预案管理办法 第二十二条: reviewed by experts (those with an interest stand aside).
        raise DomainError(PlanError.REVIEWERS_REQUIRED, _("请填写评审人员（专家）。"), field="reviewers")
    if not no_conflict:
        # 预案管理办法 第二十二条: 评审人员与所评审预案的生产经营单位有利害关系的，应当回避.
        raise DomainError(
            PlanError.CONFLICT_NOT_DECLARED,
            _("请确认评审人员与本单位无利害关系（有利害关系的应当回避，预案管理办法第二十二条）。"),
            field="no_conflict",
        )
    if conclusion not in PlanReview.Conclusion.values:
        raise DomainError(PlanError.CONCLUSION_REQUIRED, _("请选择评审结论。"), field="conclusion")
    with transaction.atomic():
        plan = _managed(actor, plan_pk)
        if plan.status != Plan.Status.DRAFT:
            raise DomainError(PlanError.NOT_DRAFT, _("只有编制中的预案可以评审。"), field="__all__")
        _not_future(held_on, "held_on", _("评审日期"))
        review = PlanReview(
            plan=plan,
            version=plan.version,
            kind=plan.review_kind,
            held_on=held_on,
            reviewers=reviewers,
            no_conflict=True,
            conclusion=conclusion,
            opinion=(opinion or "").strip(),
            recorded_by=actor,
        )
        save_with_history(review, actor, "")
        if conclusion == PlanReview.Conclusion.PASSED:
            _step(plan, "review", actor=actor)
    return review


def sign_plan(*, actor, plan_pk: int, signed_on: date, signed_by: str = "") -> Plan:
    """The 主要负责人 signs the reviewed plan (预案管理办法 第二十四条); an enterprise's signer is its registered
    主要负责人, a government body names its own."""
    with transaction.atomic():
        plan = _managed(actor, plan_pk)
        if plan.enterprise_id:
            principal = plan.enterprise.principal
            if principal is None:
                raise DomainError(
                    PlanError.PRINCIPAL_MISSING,
                    _("该单位未登记主要负责人，请先在单位信息中登记后再签署。"),
                    field="signed_by",
                )
            signed_by = principal.name
        signed_by = (signed_by or "").strip()
        if not signed_by:
            raise DomainError(PlanError.SIGNER_REQUIRED, _("请填写签署的主要负责人。"), field="signed_by")
        _not_future(signed_on, "signed_on", _("签署日期"))
        last_review = (
            plan.reviews.filter(version=plan.version, conclusion=PlanReview.Conclusion.PASSED)
            .order_by("-held_on")
            .first()
        )
        _not_before(signed_on, last_review and last_review.held_on, "signed_on", _("签署日期"), _("评审日期"))
        _step(plan, "sign", actor=actor, changes={"signed_by": signed_by, "signed_on": signed_on})
    return plan


def publish_plan(*, actor, plan_pk: int, published_on: date) -> Plan:
    """Publish the signed plan: the 备案 deadline (20 working days, 第二十六条) and, for the units of 第二十一条,
    the next evaluation (3 years, 第三十五条) run from this day."""
    with transaction.atomic():
        plan = _managed(actor, plan_pk)
        _not_future(published_on, "published_on", _("公布日期"))
        _not_before(published_on, plan.signed_on, "published_on", _("公布日期"), _("签署日期"))
        years = rules.plan_evaluation_years(unit_category=plan.unit_category)
        filing_kind = plan.kind != rules.CARD  # an 应急处置卡 hangs off a plan: no filing of its own
        _step(
            plan,
            "publish",
            actor=actor,
            changes={
                "published_on": published_on,
                "filing_status": Plan.FilingStatus.UNFILED if filing_kind else Plan.FilingStatus.NOT_DUE,
                "filing_due_on": rules.plan_filing_due(published_on, Calendar()) if filing_kind else None,
                "filing_overdue_notified_on": None,
                "evaluation_due_on": rules.add_months(published_on, 12 * years) if years else None,
                "evaluation_overdue_notified_on": None,
            },
        )
    return plan


def revise_plan(*, actor, plan_pk: int, trigger: str, note: str = "", file=None) -> PlanVersion:
    """Start a revision (预案管理办法 第三十六条): a new version in draft, to be reviewed, signed, published and
    filed again."""
    if trigger not in dict(rules.REVISION_TRIGGERS):
        raise DomainError(PlanError.TRIGGER_REQUIRED, _("请选择修订情形。"), field="trigger")
    with transaction.atomic():
        plan = _managed(actor, plan_pk)
        number = plan.version + 1
        label = dict(rules.REVISION_TRIGGERS)[trigger]
        _step(
            plan,
            "revise",
            actor=actor,
            reason=record_text(label),
            changes={
                "version": number,
                "signed_by": "",
                "signed_on": None,
                "filing_status": Plan.FilingStatus.NOT_DUE,
                "filing_due_on": None,
                "revision_due_on": None,
                "revision_overdue_notified_on": None,
            },
        )
        return _add_version(plan, actor=actor, number=number, reason=trigger, note=note, file=file)


def end_plan(*, actor, plan_pk: int, how: str, reason: str) -> Plan:
    """Supersede (a published plan replaced by a new one) or abolish a plan, with the reason."""
    if how not in ("supersede", "abolish"):
        raise ValueError(f"unknown ending {how!r}")
    reason = (reason or "").strip()
    with transaction.atomic():
        plan = _managed(actor, plan_pk)
        return _step(plan, how, actor=actor, reason=reason, changes={"ended_reason": reason})


# ---------------------------------------------------------------- 备案


def submit_filing(*, actor, plan_pk: int, receiver_pk: int, submitted_on: date | None = None) -> PlanFiling:
    """File the published plan with a receiving department (属地, 第二十六条); it has 5 working days to check."""
    submitted_on = submitted_on or _today()
    with transaction.atomic():
        plan = _managed(actor, plan_pk)
        if plan.status != Plan.Status.PUBLISHED or plan.filing_status == Plan.FilingStatus.NOT_DUE:
            raise DomainError(PlanError.NOT_PUBLISHED, _("预案公布后才能备案。"), field="__all__")
        if plan.filing_status not in (Plan.FilingStatus.UNFILED, Plan.FilingStatus.RETURNED):
            raise DomainError(
                PlanError.ALREADY_FILED,
                _("该预案的备案状态为“%(s)s”，不能重复报送。") % {"s": plan.get_filing_status_display()},
                field="__all__",
            )
        _not_future(submitted_on, "submitted_on", _("报送日期"))
        _not_before(submitted_on, plan.published_on, "submitted_on", _("报送日期"), _("公布日期"))
        receiver = next((u for u in selectors.filing_receivers(plan) if u.pk == receiver_pk), None)
        if receiver is None:
            raise DomainError(
                PlanError.RECEIVER_NOT_ALLOWED,
                _("请选择属地负有监管职责的部门或应急管理部门受理备案。"),
                field="receiver",
            )
        filing = PlanFiling(
            plan=plan,
            version=plan.version,
            receiver=receiver,
            submitted_on=submitted_on,
            submitted_by=actor,
            check_due_on=rules.plan_filing_check_due(submitted_on, Calendar()),
        )
        save_with_history(filing, actor, "")
        _set_filing_status(plan, Plan.FilingStatus.SUBMITTED, actor)
        url = _url("emergency:plan-filing-check", filing.pk)
        transaction.on_commit(
            lambda: notify(
                members(receiver),
                kind="emergency.plan_filing",
                title=record_text(gettext_lazy("预案备案待审查：%(title)s"), title=plan.title),
                url=url,
                dedupe_key=f"plan-filing:{filing.pk}:submitted",
            )
        )
    return filing


def _set_filing_status(plan: Plan, status: str, actor, reason: str = "") -> None:
    plan.filing_status = status
    save_with_history(plan, actor, reason)


def _url(name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(name, args=[pk])


def _checked(actor, filing_pk: int) -> PlanFiling:
    """The filing, locked, if the actor may answer it now: the right, a member of the receiving unit, not of
    the owner (no self-acceptance), still open and within the check period."""
    filing = selectors.access_filing(actor, filing_pk, for_update=True)
    if not acts_for(actor, filing.receiver, CHECK_FILING):
        raise PermissionDenied(_("只有受理部门可以审查该备案。"))
    if is_member(actor, filing.plan.owner):
        raise DomainError(PlanError.SELF_ACCEPTANCE, _("不能审查本单位自己的预案备案。"), field="__all__")
    if filing.status != PlanFiling.Status.SUBMITTED:
        raise DomainError(
            PlanError.FILING_ANSWERED,
            _("该备案已处理（%(s)s）。") % {"s": filing.get_status_display()},
            field="__all__",
        )
    if rules.filing_deemed_accepted(
        submitted_on=filing.submitted_on, answered=False, today=_today(), calendar=Calendar()
    ):
        raise DomainError(
            PlanError.FILING_DEEMED,
            _("审查期限（%(due)s）已过，逾期未答复视为已备案。") % {"due": filing.check_due_on},
            field="__all__",
        )
    return filing


def _tell_owner(filing: PlanFiling, title) -> None:
    plan = filing.plan
    url = _url("emergency:plan-detail", plan.pk)
    transaction.on_commit(
        lambda: notify(
            members(plan.owner),
            kind="emergency.plan_filing",
            title=record_text(title, title=plan.title),
            url=url,
            dedupe_key=f"plan-filing:{filing.pk}:{filing.status}",
        )
    )


def accept_filing(*, actor, filing_pk: int, registration_number: str = "") -> PlanFiling:
    """The file is complete: accept it and number the 备案登记表."""
    with transaction.atomic():
        filing = _checked(actor, filing_pk)
        today = _today()
        filing.status = PlanFiling.Status.ACCEPTED
        filing.answered_on = today
        filing.checked_by = actor
        filing.registration_number = (registration_number or "").strip() or f"{today.year}-{filing.pk:04d}"
        save_with_history(filing, actor, "")
        _set_filing_status(filing.plan, Plan.FilingStatus.ACCEPTED, actor)
        _tell_owner(filing, gettext_lazy("预案已备案：%(title)s"))
    return filing


def return_filing(*, actor, filing_pk: int, missing_items: list[str], missing_note: str = "") -> PlanFiling:
    """The file is incomplete: one notice listing everything missing; the owner files again."""
    items = list(dict.fromkeys(missing_items or []))
    unknown = [code for code in items if code not in FILING_ITEM_LABELS]
    if unknown:
        raise DomainError(PlanError.MISSING_ITEM_UNKNOWN, _("缺少材料的选项无效。"), field="missing_items")
    note = (missing_note or "").strip()
    if not items and not note:
        raise DomainError(
            PlanError.MISSING_ITEMS_REQUIRED,
            _("退回补正须一次性列明所有缺少的材料。"),
            field="missing_items",
        )
    with transaction.atomic():
        filing = _checked(actor, filing_pk)
        filing.status = PlanFiling.Status.RETURNED
        filing.answered_on = _today()
        filing.checked_by = actor
        filing.missing_items = items
        filing.missing_note = note
        save_with_history(filing, actor, "")
        _set_filing_status(filing.plan, Plan.FilingStatus.RETURNED, actor)
        _tell_owner(filing, gettext_lazy("预案备案退回补正：%(title)s"))
    return filing


def registration_form_docx(filing: PlanFiling) -> bytes:
    """The 备案登记表 of an accepted (or deemed) filing, as DOCX."""
    plan = filing.plan
    kinds = dict(rules.PLAN_KINDS_WITH_CARD)
    answered = filing.answered_on or filing.check_due_on
    opinion = (
        _("经审查，材料齐全，予以备案。")
        if filing.status == PlanFiling.Status.ACCEPTED
        else _("受理部门未在审查期限内答复，依照规定视为已备案。")
    )
    return build_docx(
        OfficialDocument(
            issuer_mark=filing.receiver.name,
            number=_("备案编号：%(n)s") % {"n": filing.registration_number or "—"},
            title=_("生产安全事故应急预案备案登记表"),
            addressee=f"{plan.owner.name}：",
            paragraphs=[opinion],
            signature=filing.receiver.name,
            signed_on=answered,
            basis=_("依据《生产安全事故应急预案管理办法》第二十六条。"),
            items=[
                (_("预案名称"), plan.title),
                (_("预案编号"), plan.number or "—"),
                (_("预案类别"), str(kinds.get(plan.kind, plan.kind))),
                (_("编制单位"), plan.owner.name),
                (_("版本号"), str(filing.version)),
                (_("签署人"), plan.signed_by or "—"),
                (_("公布日期"), chinese_date(plan.published_on) if plan.published_on else "—"),
                (_("报送日期"), chinese_date(filing.submitted_on)),
                (_("受理部门"), filing.receiver.name),
            ],
        )
    )


# ---------------------------------------------------------------- evaluation


def record_evaluation(
    *,
    actor,
    plan_pk: int,
    evaluated_on: date,
    conclusion: str,
    needs_revision: bool = False,
    trigger: str = "",
) -> PlanEvaluation:
    """Record a periodic evaluation (第三十五条); the next one falls due the interval after it. A finding that
    the plan must be revised names its trigger (第三十六条)."""
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise DomainError(PlanError.CONCLUSION_REQUIRED, _("请填写评估结论。"), field="conclusion")
    if needs_revision and trigger not in dict(rules.REVISION_TRIGGERS):
        raise DomainError(PlanError.TRIGGER_REQUIRED, _("需要修订时请选择修订情形。"), field="trigger")
    with transaction.atomic():
        plan = _managed(actor, plan_pk)
        if plan.status != Plan.Status.PUBLISHED:
            raise DomainError(PlanError.NOT_PUBLISHED, _("只能评估已公布的预案。"), field="__all__")
        _not_future(evaluated_on, "evaluated_on", _("评估日期"))
        _not_before(evaluated_on, plan.published_on, "evaluated_on", _("评估日期"), _("公布日期"))
        evaluation = PlanEvaluation(
            plan=plan,
            evaluated_on=evaluated_on,
            conclusion=conclusion,
            needs_revision=needs_revision,
            trigger=trigger if needs_revision else "",
            recorded_by=actor,
        )
        save_with_history(evaluation, actor, "")
        years = rules.plan_evaluation_years(unit_category=plan.unit_category)
        plan.evaluation_due_on = rules.add_months(evaluated_on, 12 * years) if years else None
        plan.evaluation_overdue_notified_on = None
        if needs_revision:  # 第三十六条: to be revised; flagged if no revision is started in time
            plan.revision_due_on = rules.revision_due(evaluated_on)
            plan.revision_overdue_notified_on = None
        save_with_history(plan, actor, "")
    return evaluation


# ---------------------------------------------------------------- the sweep's steps (system actor)

SWEEP_BATCH = 200


def deem_unanswered_filings(*, today: date) -> int:
    """Filings still unanswered after their check period count as filed (第二十六条): applied once each."""
    actor, calendar, done = system_actor(), Calendar(), 0
    candidates = PlanFiling.objects.filter(status=PlanFiling.Status.SUBMITTED, check_due_on__lt=today)
    for pk in list(candidates.values_list("pk", flat=True)[:SWEEP_BATCH]):
        with transaction.atomic():
            filing = (
                PlanFiling.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(pk=pk, status=PlanFiling.Status.SUBMITTED)
                .select_related("plan", "plan__owner")
                .first()
            )
            if filing is None or not rules.filing_deemed_accepted(
                submitted_on=filing.submitted_on, answered=False, today=today, calendar=calendar
            ):
                continue
            filing.status = PlanFiling.Status.DEEMED
            filing.registration_number = f"{today.year}-{filing.pk:04d}"
            save_with_history(filing, actor, record_text(gettext_lazy("逾期未答复视为备案")))
            plan = Plan.objects.select_for_update(of=("self",)).get(pk=filing.plan_id)
            if plan.filing_status == Plan.FilingStatus.SUBMITTED:
                _set_filing_status(
                    plan, Plan.FilingStatus.DEEMED, actor, record_text(gettext_lazy("逾期未答复视为备案"))
                )
            _tell_owner(filing, gettext_lazy("预案逾期未答复视为备案：%(title)s"))
            done += 1
    return done


def _flag(queryset, *, today: date, stamp: str, title) -> int:
    """Mark each plan of `queryset` once (its `stamp` date field set) and tell the owner unit."""
    actor, done = system_actor(), 0
    for pk in list(queryset.filter(**{f"{stamp}__isnull": True}).values_list("pk", flat=True)[:SWEEP_BATCH]):
        with transaction.atomic():
            plan = (
                queryset.select_for_update(of=("self",), skip_locked=True)
                .filter(pk=pk, **{f"{stamp}__isnull": True})
                .select_related("owner")
                .first()
            )
            if plan is None:
                continue
            setattr(plan, stamp, today)
            save_with_history(plan, actor, record_text(title, title=plan.title))
            url = _url("emergency:plan-detail", plan.pk)
            people = members(plan.owner)
            transaction.on_commit(
                lambda people=people, plan=plan, url=url: notify(
                    people,
                    kind="emergency.plan_overdue",
                    title=record_text(title, title=plan.title),
                    url=url,
                    dedupe_key=f"plan:{plan.pk}:{stamp}:{today}",
                )
            )
            done += 1
    return done


def flag_overdue_filings(*, today: date) -> int:
    """Published plans not filed by their deadline (第二十六条): flagged once, the owner told."""
    return _flag(
        Plan.objects.filter(selectors.overdue_filing_q(today)),
        today=today,
        stamp="filing_overdue_notified_on",
        title=gettext_lazy("预案逾期未备案：%(title)s"),
    )


def flag_overdue_evaluations(*, today: date) -> int:
    """Published plans past their evaluation date (第三十五条): flagged once, the owner told."""
    return _flag(
        Plan.objects.filter(selectors.overdue_evaluation_q(today)),
        today=today,
        stamp="evaluation_overdue_notified_on",
        title=gettext_lazy("预案逾期未评估：%(title)s"),
    )


def flag_overdue_revisions(*, today: date) -> int:
    """Published plans an evaluation found must be revised (第三十六条), with no revision started by
    rules.revision_due: flagged once, the owner told."""
    return _flag(
        Plan.objects.filter(selectors.overdue_revision_q(today)),
        today=today,
        stamp="revision_overdue_notified_on",
        title=gettext_lazy("预案逾期未修订：%(title)s"),
    )


def run_sweep(*, today, now=None, stdout=None) -> dict[str, int]:
    """The plans sweep (wiring/plans.py): deemed filings first, then the overdue flags; idempotent."""
    return {
        "filings_deemed_accepted": deem_unanswered_filings(today=today),
        "filings_overdue_flagged": flag_overdue_filings(today=today),
        "evaluations_overdue_flagged": flag_overdue_evaluations(today=today),
        "revisions_overdue_flagged": flag_overdue_revisions(today=today),
    }
