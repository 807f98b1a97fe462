"""Use cases of 两个清单: draft a 责任清单 (for an own unit, or — the 安委办 — for a leader or a park committee), edit
its items while a draft, submit it, approve or return it (the 安委办, never the holder), revise it as a new
version; give a unit its year's 工作任务 (of a kind: general or one of the 基础工作 kinds, whose facts it records),
add evidence (a file or a linked record), report completion, confirm
or return it (the 安委办, never the task's own unit); and the daily sweep telling units of overdue tasks."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import audit, records, trees, units, uploads
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.models import Unit
from anlan.core.permissions import require, require_right
from anlan.core.rules import RuleViolation
from anlan.core.workflow import apply_transition, find
from anlan.notifications.services import notify

from .. import rules
from ..models import DutyItem, DutyList, TaskEvidence, WorkTask
from ..models.duties import DRAFT
from ..selectors import duties as selectors

NOTICE = "governance.duties"


class ErrorCode(StrEnum):
    HOLDER_INVALID = "duty_holder_invalid"
    HOLDER_MISSING = "duty_holder_missing"
    YEAR_INVALID = "duty_year_invalid"
    LIST_EXISTS = "duty_list_exists"
    NOT_EDITABLE = "duty_list_not_editable"
    NOT_DRAFTER = "duty_list_not_drafter"
    NO_ITEMS = "duty_list_no_items"
    REVISE_NOT_APPROVED = "duty_list_revise_not_approved"
    OPEN_VERSION = "duty_list_open_version"
    TEXT_REQUIRED = "duty_item_text_required"
    INDUSTRY_INVALID = "duty_item_industry_invalid"
    REGION_INVALID = "duty_item_region_invalid"
    UNIT_INVALID = "duty_task_unit_invalid"
    DUE_OUT_OF_YEAR = "duty_task_due_out_of_year"
    DUTY_ITEM_INVALID = "duty_task_item_invalid"
    TASK_CLOSED = "duty_task_closed"
    NOT_UNIT = "duty_task_not_unit"
    EVIDENCE_MISSING = "duty_evidence_missing"
    RECORD_INVALID = "duty_evidence_record_invalid"
    NOTE_REQUIRED = "duty_task_note_required"
    KIND_INVALID = "duty_task_kind_invalid"


def _text(data: dict, key: str) -> str:
    return (data.get(key) or "").strip()


# ---------------------------------------------------------------- 责任清单


def _owner_of_unit(holder: Unit) -> Unit:
    """Who drafts a unit's list: the department or town itself; a park committee's, its county's 安委办."""
    if holder.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.TOWN):
        return holder
    return units.committee_office_for(trees.region_at_level(holder.region_id, trees.COUNTY))


def may_edit(user, duty_list: DutyList) -> bool:
    """Whether the user may edit the list's items now: a draft or returned version, drafted by their unit."""
    return rules.list_is_editable(duty_list.status) and (
        user.is_superuser or units.is_member(user, duty_list.owner_unit)
    )


def _editable(actor, pk: int) -> DutyList:
    duty_list = selectors.access_list(actor, pk, for_update=True)
    require(actor, DRAFT, duty_list)
    if not rules.list_is_editable(duty_list.status):
        raise DomainError(
            ErrorCode.NOT_EDITABLE, _("已报送或已审核的责任清单不能修改，请修订为新版本。"), field="__all__"
        )
    if not (actor.is_superuser or units.is_member(actor, duty_list.owner_unit)):
        raise PermissionDenied(_("只有起草单位的人员可以修改责任清单。"))
    return duty_list


def draft_list(*, actor, data: dict) -> DutyList:
    """起草责任清单 (version 1 of a holder's year): for a unit the actor drafts for (their own department or
    town; the 安委办 for a park committee), or — the 安委办 — for a leader of its region."""
    require_right(actor, DRAFT)
    year = data.get("year")
    if not isinstance(year, int) or not rules.duty_year_ok(year, timezone.localdate()):
        raise DomainError(ErrorCode.YEAR_INVALID, _("年度须在 2000 年至明年之间。"), field="year")
    holder_unit, holder_user = data.get("holder_unit"), data.get("holder_user")
    if (holder_unit is None) == (holder_user is None):
        raise DomainError(
            ErrorCode.HOLDER_MISSING, _("请选择责任单位或责任领导（二选一）。"), field="holder_unit"
        )
    with transaction.atomic():
        if holder_unit is not None:
            if not selectors.holder_units(actor).filter(pk=holder_unit.pk).exists():
                raise DomainError(
                    ErrorCode.HOLDER_INVALID, _("您不能为该单位起草责任清单。"), field="holder_unit"
                )
            owner, region_id = _owner_of_unit(holder_unit), holder_unit.region_id
            exists = selectors.latest_version(holder_unit_id=holder_unit.pk, year=year)
        else:
            region_id = selectors.leader_region(holder_user)
            if region_id is None or not selectors.leader_choices(actor).filter(pk=holder_user.pk).exists():
                raise DomainError(
                    ErrorCode.HOLDER_INVALID, _("责任领导须为本辖区的领导。"), field="holder_user"
                )
            owner = units.committee_office_for(trees.region_at_level(region_id, trees.COUNTY))
            exists = selectors.latest_version(holder_user_id=holder_user.pk, year=year)
        if exists:
            raise DomainError(
                ErrorCode.LIST_EXISTS, _("该年度已有责任清单，请在原清单上修改或修订。"), field="year"
            )
        if not (actor.is_superuser or units.is_member(actor, owner)):
            raise DomainError(
                ErrorCode.HOLDER_INVALID, _("您不能为该单位起草责任清单。"), field="holder_unit"
            )
        duty_list = DutyList(
            holder_unit=holder_unit,
            holder_user=holder_user,
            holder_post=_text(data, "holder_post") if holder_user else "",
            year=year,
            region_id=region_id,
            owner_unit=owner,
            created_by=actor,
        )
        records.validate(duty_list)
        records.save_with_history(duty_list, actor, record_text(gettext_lazy("起草责任清单")))
        records.ensure_in_scope(actor, DRAFT, duty_list, "holder_unit")
    return duty_list


def _check_item(actor, duty_list: DutyList, data: dict) -> dict:
    text = _text(data, "text")
    if not text:
        raise DomainError(ErrorCode.TEXT_REQUIRED, _("请填写职责内容。"), field="text")
    if data.get("category") not in dict(rules.DUTY_CATEGORIES):
        raise DomainError(ErrorCode.TEXT_REQUIRED, _("请选择责任类别。"), field="category")
    regions = list(data.get("regions") or [])
    stray = [r for r in regions if not rules.region_contains(duty_list.region_id, r.pk)]
    if stray:
        raise DomainError(
            ErrorCode.REGION_INVALID,
            _("覆盖区域“%(name)s”不在责任主体的辖区内。") % {"name": stray[0].name},
            field="regions",
        )
    return {"text": text, "regions": regions, "industries": list(data.get("industries") or [])}


def add_item(*, actor, list_pk: int, data: dict) -> DutyItem:
    """添加责任事项 to a draft (or returned) list, last in order."""
    with transaction.atomic():
        duty_list = _editable(actor, list_pk)
        checked = _check_item(actor, duty_list, data)
        last = duty_list.items.order_by("-position").values_list("position", flat=True).first() or 0
        item = DutyItem(
            duty_list=duty_list,
            position=last + 1,
            category=data["category"],
            text=checked["text"],
            basis=_text(data, "basis"),
        )
        records.validate(item, exclude=["duty_list"])
        records.save_with_history(
            item,
            actor,
            record_text(gettext_lazy("添加责任事项")),
            m2m={"industries": checked["industries"], "regions": checked["regions"]},
        )
    return item


def update_item(*, actor, item_pk: int, data: dict) -> DutyItem:
    """修改责任事项 of an editable list."""
    with transaction.atomic():
        item = DutyItem.objects.for_user(actor).select_related("duty_list").filter(pk=item_pk).first()
        if item is None:
            from django.http import Http404

            raise Http404
        duty_list = _editable(actor, item.duty_list_id)
        checked = _check_item(actor, duty_list, data)
        item.category, item.text, item.basis = data["category"], checked["text"], _text(data, "basis")
        records.validate(item, exclude=["duty_list"])
        records.save_with_history(
            item,
            actor,
            record_text(gettext_lazy("修改责任事项")),
            m2m={"industries": checked["industries"], "regions": checked["regions"]},
        )
    return item


def remove_item(*, actor, item_pk: int) -> DutyList:
    """删除责任事项 of an editable list (kept in history)."""
    with transaction.atomic():
        item = DutyItem.objects.for_user(actor).filter(pk=item_pk).first()
        if item is None:
            from django.http import Http404

            raise Http404
        duty_list = _editable(actor, item.duty_list_id)
        records.delete_with_history(item, actor, record_text(gettext_lazy("删除责任事项")))
    return duty_list


def move_list(*, actor, list_pk: int, transition: str, reason: str = "") -> DutyList:
    """报送 / 审核通过 / 退回 a 责任清单 (TRANSITIONS; the guards keep the holder from reviewing its own)."""
    with transaction.atomic():
        duty_list = selectors.access_list(actor, list_pk, for_update=True)
        step = find(DutyList.TRANSITIONS, transition)
        require(actor, step.right, duty_list)
        now = timezone.now()
        if transition == "submit":
            if not duty_list.items.exists():
                raise DomainError(ErrorCode.NO_ITEMS, _("请至少添加一项职责再报送。"), field="__all__")
            changes = {"submitted_at": now}
        else:
            changes = {"reviewed_at": now, "reviewed_by": actor, "review_note": (reason or "").strip()}
        apply_transition(duty_list, step, actor=actor, reason=reason, changes=changes)
        if transition == "submit":
            region = duty_list.region_id
            transaction.on_commit(
                lambda: notify(
                    selectors.recipients.committee_office(region),
                    kind=NOTICE,
                    title=str(_("责任清单待审核：%(list)s") % {"list": duty_list}),
                    url=reverse("governance:list-detail", args=[duty_list.pk]),
                    dedupe_key=f"duty-list:{duty_list.pk}:submitted:{now.isoformat()}",
                )
            )
        else:
            drafters = units.members(duty_list.owner_unit)
            title = (
                _("责任清单已审核通过：%(list)s")
                if transition == "approve"
                else _("责任清单被退回：%(list)s")
            )
            transaction.on_commit(
                lambda: notify(
                    drafters,
                    kind=NOTICE,
                    title=str(title % {"list": duty_list}),
                    body=reason,
                    url=reverse("governance:list-detail", args=[duty_list.pk]),
                )
            )
    return duty_list


def revise_list(*, actor, list_pk: int, year: int | None = None) -> DutyList:
    """修订: a new version (of the same year, or of `year` — the yearly revision) copying the approved list's
    items; the approved version stays as it is."""
    with transaction.atomic():
        source = selectors.access_list(actor, list_pk, for_update=True)
        require(actor, DRAFT, source)
        if not (actor.is_superuser or units.is_member(actor, source.owner_unit)):
            raise PermissionDenied(_("只有起草单位的人员可以修订责任清单。"))
        if source.status != DutyList.Status.APPROVED:
            raise DomainError(
                ErrorCode.REVISE_NOT_APPROVED, _("只有审核通过的责任清单可以修订。"), field="__all__"
            )
        year = year or source.year
        if not rules.duty_year_ok(year, timezone.localdate()):
            raise DomainError(ErrorCode.YEAR_INVALID, _("年度须在 2000 年至明年之间。"), field="year")
        holder = {"holder_unit_id": source.holder_unit_id, "holder_user_id": source.holder_user_id}
        if selectors.open_version_exists(year=year, **holder):
            raise DomainError(
                ErrorCode.OPEN_VERSION, _("该年度已有未审核的版本，请在该版本上修改。"), field="year"
            )
        version = selectors.latest_version(year=year, **holder) + 1
        revised = DutyList(
            **holder,
            holder_post=source.holder_post,
            year=year,
            version=version,
            region_id=source.region_id,
            owner_unit=source.owner_unit,
            previous=source,
            created_by=actor,
        )
        records.validate(revised)
        records.save_with_history(
            revised, actor, record_text(gettext_lazy("修订责任清单（据第%(v)s版）"), v=source.version)
        )
        for item in selectors.items_of(source):
            copy = DutyItem(
                duty_list=revised,
                position=item.position,
                category=item.category,
                text=item.text,
                basis=item.basis,
            )
            records.save_with_history(
                copy,
                actor,
                "",
                m2m={"industries": list(item.industries.all()), "regions": list(item.regions.all())},
            )
    return revised


# ---------------------------------------------------------------- 工作任务清单


def _check_task(actor, data: dict) -> dict:
    unit = data.get("unit")
    if unit is None or not selectors.task_units(actor).filter(pk=unit.pk).exists():
        raise DomainError(
            ErrorCode.UNIT_INVALID, _("承担单位须为您所在单位或您辖区内的部门、乡镇。"), field="unit"
        )
    year, due_on = data.get("year"), data.get("due_on")
    if not isinstance(year, int) or not rules.duty_year_ok(year, timezone.localdate()):
        raise DomainError(ErrorCode.YEAR_INVALID, _("年度须在 2000 年至明年之间。"), field="year")
    if due_on is None or not rules.due_on_in_year(due_on, year):
        raise DomainError(
            ErrorCode.DUE_OUT_OF_YEAR, _("完成时限须在 %(year)s 年内。") % {"year": year}, field="due_on"
        )
    item = data.get("duty_item")
    if item is not None and not selectors.duty_items_of_unit(unit, year).filter(pk=item.pk).exists():
        raise DomainError(
            ErrorCode.DUTY_ITEM_INVALID,
            _("对应责任事项须为该单位本年度已审核清单中的事项。"),
            field="duty_item",
        )
    kind = data.get("kind") or rules.KIND_GENERAL
    if kind not in rules.TASK_KIND_LABELS:
        raise DomainError(ErrorCode.KIND_INVALID, _("请选择有效的任务类型。"), field="kind")
    return {"unit": unit, "year": year, "due_on": due_on, "duty_item": item, "kind": kind}


def create_task(*, actor, data: dict) -> WorkTask:
    """下达工作任务: a unit adds to its own 工作任务清单, or the 安委办 gives one to a department, town or park."""
    require_right(actor, DRAFT)
    with transaction.atomic():
        checked = _check_task(actor, data)
        task = WorkTask(
            **checked,
            title=_text(data, "title"),
            description=_text(data, "description"),
            region_id=checked["unit"].region_id,
            created_by=actor,
        )
        records.validate(task)
        records.save_with_history(task, actor, record_text(gettext_lazy("下达工作任务")))
        records.ensure_in_scope(actor, DRAFT, task, "unit")
    return task


def _unit_task(actor, task_pk: int) -> WorkTask:
    task = selectors.access_task(actor, task_pk, for_update=True)
    require(actor, DRAFT, task)
    if not (actor.is_superuser or units.is_member(actor, task.unit)):
        raise PermissionDenied(_("只有任务承担单位的人员可以办理。"))
    if task.status not in (WorkTask.Status.NOT_STARTED, WorkTask.Status.IN_PROGRESS):
        raise DomainError(
            ErrorCode.TASK_CLOSED, _("已报告或已完成的任务不能再修改佐证材料。"), field="__all__"
        )
    return task


def _facts_error(violation: RuleViolation) -> DomainError:
    return DomainError(violation.code, violation.message, field=violation.field)


def record_facts(*, actor, task_pk: int, raw: dict) -> WorkTask:
    """填报工作数据 of a 基础工作 task (三同时, 宣传, 安全社区, 农村道路, 隐患根治): the task's unit, before the completion
    is reported; the facts are checked whole by rules.check_task_facts and replace the previous ones (kept in
    history), or nothing is saved."""
    with transaction.atomic():
        task = _unit_task(actor, task_pk)
        if not rules.kind_has_facts(task.kind):
            raise DomainError(ErrorCode.KIND_INVALID, _("一般任务没有工作数据。"), field="__all__")
        try:
            facts = rules.check_task_facts(task.kind, raw, task.year)
        except RuleViolation as violation:
            raise _facts_error(violation) from None
        task.facts = facts
        records.validate(task)
        records.save_with_history(task, actor, record_text(gettext_lazy("填报工作数据")))
    return task


def add_evidence(*, actor, task_pk: int, upload=None, link: str = "", note: str = "") -> TaskEvidence:
    """添加佐证材料: a file (a picture or a PDF, verified by core.uploads) or a linked record the actor can see,
    named by its page link (an inspection, a drill, a hazard)."""
    with transaction.atomic():
        task = _unit_task(actor, task_pk)
        evidence = TaskEvidence(task=task, note=(note or "").strip(), added_by=actor)
        if upload:
            accepted = uploads.accept_attachment(upload, field="file")
            evidence.file_name = accepted.original_name
            evidence.file.save(accepted.name, accepted, save=False)
        elif (link or "").strip():
            found = selectors.resolve_record(actor, link)
            if found is None:
                raise DomainError(
                    ErrorCode.RECORD_INVALID,
                    _("请粘贴您能查看的检查记录、应急演练或隐患页面的链接。"),
                    field="link",
                )
            content_type, record = found
            evidence.record_type, evidence.record_id, evidence.record_title = (
                content_type,
                record.pk,
                str(record)[:300],
            )
        else:
            raise DomainError(ErrorCode.EVIDENCE_MISSING, _("请上传文件或粘贴记录链接。"), field="file")
        records.validate(evidence, exclude=["file", "task"])
        records.save_with_history(evidence, actor, record_text(gettext_lazy("添加佐证材料")))
    return evidence


def remove_evidence(*, actor, evidence_pk: int) -> WorkTask:
    """删除佐证材料 before the completion is reported (kept in history)."""
    with transaction.atomic():
        evidence = selectors.access_evidence(actor, evidence_pk)
        task = _unit_task(actor, evidence.task_id)
        records.delete_with_history(evidence, actor, record_text(gettext_lazy("删除佐证材料")))
    return task


def move_task(*, actor, task_pk: int, transition: str, reason: str = "", note: str = "") -> WorkTask:
    """开始办理 / 报告完成 (the task's unit, with evidence) / 确认完成 / 退回补充 (the 安委办, never the task's unit)."""
    with transaction.atomic():
        task = selectors.access_task(actor, task_pk, for_update=True)
        step = find(WorkTask.TRANSITIONS, transition)
        require(actor, step.right, task)
        today = timezone.localdate()
        changes: dict = {}
        if transition == "report":
            note = (note or "").strip()
            if not note:
                raise DomainError(ErrorCode.NOTE_REQUIRED, _("请填写完成情况。"), field="note")
            blocked = rules.facts_block_report(task.kind, task.facts, task.year)
            if blocked is not None:
                raise _facts_error(blocked)
            changes = {"report_note": note, "reported_on": today, "reported_by": actor}
        elif transition == "confirm":
            changes = {"completed_on": task.reported_on, "confirmed_by": actor}
        elif transition == "return":
            changes = {"reported_on": None}
        apply_transition(task, step, actor=actor, reason=reason or "", changes=changes)
        url = reverse("governance:task-detail", args=[task.pk])
        if transition == "report":
            region = task.region_id
            transaction.on_commit(
                lambda: notify(
                    selectors.recipients.committee_office(region),
                    kind=NOTICE,
                    title=str(
                        _("工作任务完成待确认：%(unit)s %(task)s")
                        % {"unit": task.unit.name, "task": task.title}
                    ),
                    url=url,
                )
            )
        elif transition in ("confirm", "return"):
            title = (
                _("工作任务已确认完成：%(task)s")
                if transition == "confirm"
                else _("工作任务被退回：%(task)s")
            )
            transaction.on_commit(
                lambda: notify(
                    units.members(task.unit),
                    kind=NOTICE,
                    title=str(title % {"task": task.title}),
                    body=reason,
                    url=url,
                )
            )
    return task


# ---------------------------------------------------------------- the sweep


def remind_overdue(*, today) -> int:
    """Tell each overdue task's unit once (dedupe key per task): idempotent, however often it runs."""
    told = 0
    for task in selectors.overdue_for_sweep(today).iterator():
        told += notify(
            units.members(task.unit),
            kind=NOTICE,
            title=str(_("工作任务已逾期：%(task)s") % {"task": task.title}),
            body=str(_("完成时限 %(due)s，请尽快办理并报告完成情况。") % {"due": task.due_on.isoformat()}),
            url=reverse("governance:task-detail", args=[task.pk]),
            dedupe_key=f"duty-task:{task.pk}:overdue",
        )
    return told


def run_sweep(*, today, now, stdout=None) -> dict[str, int]:
    """The `governance_duties` sweep (daily)."""
    audit.system_actor()
    return {"overdue_task_notices": remind_overdue(today=today)}
