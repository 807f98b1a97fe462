"""Use cases of 督查问题, 两书一函 and 问责: record a 督查 and its problems (each registered as a hazard record
assigned to a government unit, whose plan, rectification, 销号 and overdue sweeps are the hazards app's), the
assignee's root cause and systemic measure; issue a numbered letter to a
unit (the documents app numbers and renders it; the kernel's receipts track its receipt), the recipient's
written reply and the issuer's close; record an accountability measure. Each checks scope, right and rules,
saves with one history row (actor and reason) and notifies after commit."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import receipts, records, units, uploads
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.models import Role, Unit
from anlan.core.permissions import require, require_right
from anlan.core.records import check_rule
from anlan.core.scope import memberships_of
from anlan.core.workflow import apply_transition, check_transition, find
from anlan.documents.docx import OfficialDocument, build_docx
from anlan.documents.models import DocumentKind
from anlan.documents.services import issue_document
from anlan.hazards import selectors as hazards
from anlan.hazards import services as hazard_services
from anlan.notifications.services import notify_after_commit

from .. import rules
from ..models import AccountabilityRecord, GovernmentLetter, Problem, SupervisionVisit
from ..models.problems import ANSWER_PROBLEMS, MANAGE_PROBLEMS
from ..selectors import problems as selectors

NOTICE = "governance.problem"
LETTER_NOTICE = "governance.letter"
LETTER_TASK = "governance.letter"
# 两书一函 as document kinds of the documents app (its numbering: 警示 / 建议 / 督 sequences per issuer and year);
# the 函 of 「两书一函」 is the 安全隐患挂牌督办函 (seed-map C12), the documents app's HAZARD_SUPERVISION kind.
LETTER_DOCUMENT_KINDS = {
    "warning_letter": DocumentKind.WARNING_LETTER,
    "advice_letter": DocumentKind.ADVICE_LETTER,
    "supervision_letter": DocumentKind.HAZARD_SUPERVISION,
}
# Records an accountability measure may name as its cause (besides a problem of this module).
CAUSE_MODELS = {"accident": ("accidents", "accident"), "hazard": ("hazards", "hazard")}


class ErrorCode(StrEnum):
    ISSUER_INVALID = "problem_issuer_invalid"
    UNIT_INVALID = "problem_unit_invalid"
    SELF_ASSIGNED = "problem_self_assigned"
    HELD_IN_FUTURE = "problem_visit_in_future"
    SOURCE_DOCUMENT = "problem_source_document_missing"
    PROBLEM_SETTLED = "problem_settled"
    TEXT_MISSING = "problem_text_missing"
    NO_DOCUMENT_ISSUER = "letter_no_document_issuer"
    REPLY_DUE = "letter_reply_due_invalid"
    LETTER_PROBLEM = "letter_problem_invalid"
    CAUSE_INVALID = "accountability_cause_invalid"


def _text(data: dict, key: str) -> str:
    return (data.get(key) or "").strip()


def _required(data: dict, key: str, label) -> str:
    value = _text(data, key)
    if not value:
        raise DomainError(ErrorCode.TEXT_MISSING, _("请填写%(label)s。") % {"label": label}, field=key)
    return value


def _today() -> date:
    return timezone.localdate()


def _issuer(actor, unit, field: str = "issuer") -> Unit:
    if unit is None or not selectors.issuing_units(actor).filter(pk=unit.pk).exists():
        raise DomainError(ErrorCode.ISSUER_INVALID, _("督查（发文）单位须为您所在的安委办。"), field=field)
    return unit


def _assignable(actor, unit, field: str) -> Unit:
    if unit is None or not selectors.assignable_units(actor).filter(pk=unit.pk).exists():
        raise DomainError(
            ErrorCode.UNIT_INVALID,
            _("单位“%(unit)s”不在您的管辖范围内，或不是部门、乡镇（街道）、园区管委会。")
            % {"unit": unit or "—"},
            field=field,
        )
    return unit


def _problem_url(problem) -> str:
    return reverse("governance:problem-detail", args=[problem.pk])


def _tell(users, *, title: str, body: str, url: str, key: str, kind: str = NOTICE) -> None:
    notify_after_commit(users, kind=kind, title=title, body=body, url=url, dedupe_key=key)


# ---------------------------------------------------------------- 督查


def record_visit(*, actor, data: dict) -> SupervisionVisit:
    """登记督查 (or a list handed down by the city/province): in the name of the actor's 安委办, with the units
    inspected."""
    require_right(actor, MANAGE_PROBLEMS)
    with transaction.atomic():
        issuer = _issuer(actor, data.get("issuer"))
        inspected = [
            _assignable(actor, unit, "inspected_units") for unit in data.get("inspected_units") or []
        ]
        held_on = data.get("held_on")
        if held_on is None or held_on > _today():
            raise DomainError(ErrorCode.HELD_IN_FUTURE, _("督查（交办）日期不能晚于今天。"), field="held_on")
        source = data.get("source") or "visit"
        if source == "handed_down" and not _text(data, "source_document"):
            raise DomainError(
                ErrorCode.SOURCE_DOCUMENT, _("上级交办的问题请填写来源文件。"), field="source_document"
            )
        visit = SupervisionVisit(
            source=source,
            title=_required(data, "title", _("督查名称")),
            held_on=held_on,
            source_document=_text(data, "source_document"),
            issuer=issuer,
            team=_text(data, "team"),
            region_id=issuer.region_id,
            note=_text(data, "note"),
            recorded_by=actor,
        )
        records.validate(visit)
        records.save_with_history(
            visit, actor, record_text(gettext_lazy("登记督查")), m2m={"inspected_units": inspected}
        )
        records.ensure_in_scope(actor, MANAGE_PROBLEMS, visit, "issuer")
    return visit


def _may_issue(actor, visit) -> None:
    require(actor, MANAGE_PROBLEMS, visit)
    if not (actor.is_superuser or units.is_member(actor, visit.issuer)):
        raise PermissionDenied(_("只有督查单位的人员可以交办问题。"))


def assign_problem(*, actor, visit_pk: int, data: dict) -> Problem:
    """交办问题: one problem of the visit to a department, town or park committee, with its deadline. The problem
    IS a hazard record (issue #17): registered through the hazards app as a place hazard of source 督查检查,
    found by the visit's issuer, answered for by the assignee, in the assignee's region and the industry
    chosen; the hazards app numbers it and tells the assignee's members. Governance keeps the link to the
    visit, the 序号 and the 整改要求."""
    with transaction.atomic():
        visit = selectors.access_visit(actor, visit_pk, for_update=True)
        _may_issue(actor, visit)
        assignee = _assignable(actor, data.get("assignee"), "assignee")
        if assignee.pk == visit.issuer_id:
            raise DomainError(ErrorCode.SELF_ASSIGNED, _("不能把问题交办给督查单位自己。"), field="assignee")
        found_on = data.get("found_on") or visit.held_on
        due_on = data.get("due_on")
        if due_on is None:
            raise DomainError(ErrorCode.TEXT_MISSING, _("请填写整改时限。"), field="due_on")
        check_rule(rules.check_problem_dates, found_on, due_on)
        description = _required(data, "description", _("问题描述"))
        if data.get("industry") is None:
            raise DomainError(ErrorCode.TEXT_MISSING, _("请选择行业领域。"), field="industry")
        last = visit.problems.aggregate(last=Max("position"))["last"] or 0
        hazard = hazard_services.register_assigned_hazard(
            actor=actor,
            finding_unit=visit.issuer,
            data={
                "place": (_text(data, "place") or assignee.name)[:200],
                "region": assignee.region,
                "industry": data["industry"],
                "source": hazards.SUPERVISION_SOURCE,
                "category": hazards.MANAGEMENT_CATEGORY,
                "description": description,
                "found_on": found_on,
                "finder": visit.team[:50],
                "due_on": due_on,
                "responsible_unit": assignee,
            },
            reason=record_text(gettext_lazy("督查交办：%(title)s"), title=visit.title),
        )
        problem = Problem(
            visit=visit, position=last + 1, hazard=hazard, requirement=_text(data, "requirement")
        )
        records.validate(problem)
        records.save_with_history(problem, actor, record_text(gettext_lazy("交办问题")))
        records.ensure_in_scope(actor, MANAGE_PROBLEMS, problem, "assignee")
    return problem


def record_measures(*, actor, problem_pk: int, data: dict) -> Problem:
    """填报深层次原因和制度措施 (问题 + 制度措施 两个清单): the assignee's members, at any time before the hazard is
    closed out; what the plan, the rectification and the 销号 record lives on the hazard."""
    with transaction.atomic():
        problem = selectors.access_problem(actor, problem_pk, for_update=True)
        require(actor, ANSWER_PROBLEMS, problem)
        if not (actor.is_superuser or units.is_member(actor, problem.assignee)):
            raise PermissionDenied(_("只有责任单位的人员可以填报深层次原因和制度措施。"))
        if not problem.hazard.is_open:
            raise DomainError(
                ErrorCode.PROBLEM_SETTLED,
                _("问题已销号或作废，不能再修改深层次原因和制度措施。"),
                field="__all__",
            )
        records.update_with_history(
            problem,
            actor,
            record_text(gettext_lazy("填报深层次原因和制度措施")),
            root_cause=_text(data, "root_cause"),
            systemic_measure=_text(data, "systemic_measure"),
        )
    return problem


# ---------------------------------------------------------------- 两书一函


def _document_issuer(actor):
    """The Department that numbers the 安委办's documents: the office the actor's COMMITTEE_OFFICE membership
    names (the demo's 县安委办); without one the letter cannot be numbered."""
    for membership in memberships_of(actor):
        if membership.role == Role.COMMITTEE_OFFICE and membership.department_id:
            return membership.department
    raise DomainError(
        ErrorCode.NO_DOCUMENT_ISSUER,
        _("您的账号未登记所在的安委办（发文机关），不能编号发文。请联系管理员。"),
        field="__all__",
    )


def _letter_docx(letter: GovernmentLetter, number: str, department) -> bytes:
    items = [(str(_("回复时限")), f"{letter.reply_due_on:%Y年%m月%d日}")]
    if letter.problem_id:
        items.append((str(_("督办问题")), letter.problem.description[:200]))
    document = OfficialDocument(
        issuer_mark=department.name,
        number=number,
        title=dict(rules.LETTER_KINDS)[letter.kind],
        addressee=letter.recipient.name,
        paragraphs=[line.strip() for line in letter.content.splitlines() if line.strip()],
        items=items,
        signature=department.name,
        signed_on=letter.issued_on,
    )
    return build_docx(document)


def issue_letter(*, actor, data: dict) -> GovernmentLetter:
    """发出两书一函: numbered and rendered as DOCX by the documents app (the same numbering as the letters to
    enterprises), sent to the recipient unit for receipt confirmation, with a reply deadline."""
    require_right(actor, MANAGE_PROBLEMS)
    with transaction.atomic():
        issuer = _issuer(actor, data.get("issuer"))
        recipient = _assignable(actor, data.get("recipient"), "recipient")
        kind = data.get("kind") or ""
        if kind not in LETTER_DOCUMENT_KINDS:
            raise DomainError(ErrorCode.TEXT_MISSING, _("请选择文种。"), field="kind")
        today = _today()
        reply_due_on = data.get("reply_due_on")
        if reply_due_on is None or reply_due_on <= today:
            raise DomainError(ErrorCode.REPLY_DUE, _("回复时限须晚于今天。"), field="reply_due_on")
        problem = data.get("problem")
        if problem is not None and (
            kind != "supervision_letter"
            or not selectors.problem_list(actor)
            .filter(selectors.open_q(), pk=problem.pk, hazard__responsible_unit=recipient)
            .exists()
        ):
            raise DomainError(
                ErrorCode.LETTER_PROBLEM,
                _("只有督办函可以关联问题，且须为收函单位未销号的问题。"),
                field="problem",
            )
        department = _document_issuer(actor)
        letter = GovernmentLetter(
            kind=kind,
            title=_required(data, "title", _("标题")),
            content=_required(data, "content", _("正文")),
            issuer=issuer,
            recipient=recipient,
            region_id=recipient.region_id,
            problem=problem,
            issued_on=today,
            reply_due_on=reply_due_on,
            issued_by=actor,
        )
        letter.document = issue_document(
            actor=actor,
            issuer=department,
            kind=LETTER_DOCUMENT_KINDS[kind],
            title=f"{dict(rules.LETTER_KINDS)[kind]}（{recipient.name}）",
            render=lambda number: _letter_docx(letter, number, department),
        )
        records.validate(letter)
        records.save_with_history(letter, actor, record_text(gettext_lazy("发出两书一函")))
        records.ensure_in_scope(actor, MANAGE_PROBLEMS, letter, "recipient")
        receipts.send_for_receipt(
            actor=actor,
            subject=letter,
            kind=LETTER_TASK,
            title=f"{letter.document.number} {letter.title}",
            body=letter.content,
            recipients=[recipient],
            confirm_within=timedelta(days=1),
            sender_unit=issuer,
        )
        _tell(
            units.members(recipient),
            title=f"{letter.document.number} {letter.title}",
            body=str(_("请确认收到，并在 %(d)s 前书面回复。") % {"d": reply_due_on}),
            url=reverse("governance:letter-detail", args=[letter.pk]),
            key=f"letter:{letter.pk}:issued",
            kind=LETTER_NOTICE,
        )
    return letter


def letter_task(letter):
    """The letter's receipt task (one per letter, to its recipient unit)."""
    from anlan.core.models import ReceiptTask

    content_type = ContentType.objects.get_for_model(GovernmentLetter)
    return ReceiptTask.objects.filter(
        content_type=content_type, object_id=letter.pk, kind=LETTER_TASK
    ).first()


def confirm_letter(*, actor, letter_pk: int):
    """确认收到: a member of the recipient unit (the kernel's receipt decides)."""
    with transaction.atomic():
        letter = selectors.access_letter(actor, letter_pk)
        task = letter_task(letter)
        if task is None or not receipts.may_confirm(actor, task):
            raise PermissionDenied(_("只有收函单位的人员可以确认收到。"))
        return receipts.confirm_receipt(actor=actor, task=task)


def reply_letter(*, actor, letter_pk: int, data: dict) -> GovernmentLetter:
    """书面回复: the recipient unit answers in writing (with an optional scan); a late reply stays marked late."""
    with transaction.atomic():
        letter = selectors.access_letter(actor, letter_pk, for_update=True)
        require(actor, ANSWER_PROBLEMS, letter)
        reply = _required(data, "reply", _("书面回复"))
        upload = data.get("reply_file")
        step = find(GovernmentLetter.TRANSITIONS, "reply")
        check_transition(letter, step)
        changes = {"reply": reply, "replied_on": _today()}
        if upload:
            accepted = uploads.accept_attachment(upload, field="reply_file")
            letter.reply_file.save(accepted.name, accepted, save=False)
            changes["reply_file"] = letter.reply_file.name
        apply_transition(letter, step, actor=actor, changes=changes)
        task = letter_task(letter)
        if task is not None and task.status in task.OPEN and receipts.may_confirm(actor, task):
            receipts.confirm_receipt(actor=actor, task=task)  # a written reply is also a receipt
        _tell(
            units.members(letter.issuer),
            title=record_text(gettext_lazy("两书一函已回复：%(unit)s"), unit=letter.recipient.name),
            body=letter.title,
            url=reverse("governance:letter-detail", args=[letter.pk]),
            key=f"letter:{letter.pk}:replied:{letter.replied_on}",
            kind=LETTER_NOTICE,
        )
    return letter


def close_letter(*, actor, letter_pk: int) -> GovernmentLetter:
    with transaction.atomic():
        letter = selectors.access_letter(actor, letter_pk, for_update=True)
        require(actor, MANAGE_PROBLEMS, letter)
        apply_transition(letter, find(GovernmentLetter.TRANSITIONS, "close"), actor=actor)
    return letter


def send_back_letter(*, actor, letter_pk: int, reason: str) -> GovernmentLetter:
    with transaction.atomic():
        letter = selectors.access_letter(actor, letter_pk, for_update=True)
        require(actor, MANAGE_PROBLEMS, letter)
        apply_transition(letter, find(GovernmentLetter.TRANSITIONS, "send_back"), actor=actor, reason=reason)
        _tell(
            units.members(letter.recipient),
            title=record_text(gettext_lazy("书面回复被退回：%(title)s"), title=letter.title),
            body=reason.strip(),
            url=reverse("governance:letter-detail", args=[letter.pk]),
            key=f"letter:{letter.pk}:back:{timezone.now():%Y%m%d%H%M%S}",
            kind=LETTER_NOTICE,
        )
    return letter


# ---------------------------------------------------------------- 问责


def _cause(actor, data: dict):
    """The record that caused the measure: a problem the actor sees, or an accident / hazard the actor sees
    (by its id), stored as a generic reference with its name."""
    kind, ref = data.get("cause_kind") or "", data.get("cause_id")
    if not kind:
        return None, None, ""
    if kind not in CAUSE_MODELS or not ref:
        raise DomainError(ErrorCode.CAUSE_INVALID, _("请选择起因记录的类型并填写其编号。"), field="cause_id")
    content_type = ContentType.objects.get_by_natural_key(*CAUSE_MODELS[kind])
    model = content_type.model_class()
    record = model.objects.for_user(actor).filter(pk=ref).first() if model is not None else None
    if record is None:
        raise DomainError(
            ErrorCode.CAUSE_INVALID, _("起因记录不存在或不在您的管辖范围内。"), field="cause_id"
        )
    return content_type, record.pk, str(record)[:200]


def record_accountability(*, actor, data: dict) -> AccountabilityRecord:
    """登记问责记录 (约谈、通报批评、警示、问责) of a unit, or a person of it, by the actor's 安委办."""
    require_right(actor, MANAGE_PROBLEMS)
    with transaction.atomic():
        decided_by = _issuer(actor, data.get("decided_by"), "decided_by")
        subject = _assignable(actor, data.get("subject_unit"), "subject_unit")
        decided_on = data.get("decided_on")
        if decided_on is None:
            raise DomainError(ErrorCode.TEXT_MISSING, _("请填写日期。"), field="decided_on")
        check_rule(rules.check_decided_on, decided_on, _today())
        problem = data.get("problem")
        if problem is not None and not selectors.problem_list(actor).filter(pk=problem.pk).exists():
            raise DomainError(ErrorCode.CAUSE_INVALID, _("起因问题不在您的管辖范围内。"), field="problem")
        cause_type, cause_id, cause_label = _cause(actor, data)
        upload = data.get("file")
        accepted = uploads.accept_attachment(upload, field="file") if upload else None
        record = AccountabilityRecord(
            kind=data.get("kind") or "",
            subject_unit=subject,
            person_name=_text(data, "person_name"),
            person_title=_text(data, "person_title"),
            region_id=subject.region_id,
            decided_on=decided_on,
            reason=_required(data, "reason", _("事由")),
            decided_by=decided_by,
            problem=problem,
            cause_type=cause_type,
            cause_id=cause_id,
            cause_label=cause_label,
            recorded_by=actor,
        )
        if accepted is not None:
            record.file.save(accepted.name, accepted, save=False)
        records.validate(record)
        records.save_with_history(record, actor, record_text(gettext_lazy("登记问责记录")))
        records.ensure_in_scope(actor, MANAGE_PROBLEMS, record, "subject_unit")
    return record
