"""Use cases of 安委会议定事项 and 专项整治. The 安委办 records a meeting and its decisions, each assigned to units
with a deadline; an assignee reports progress and its completion with evidence; the 安委办 confirms the closure
or returns it; a sweep flags each overdue task once. The 安委办 sets up a campaign (areas, members with liaison
officers), sends monthly task cards for receipt confirmation, tags the records its rule covers (the sweep does
it daily) or tags one by hand, and issues the 月度调度/季度通报/年度总结 as a numbered DOCX from live figures.
Each checks scope and right, applies the rules, saves with history and notifies after commit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import capacity, receipts, records, tags, units, uploads
from anlan.core import rules as core_rules
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.models import ReceiptTask, RecordTag
from anlan.core.permissions import can, require, require_right
from anlan.core.workflow import apply_transition, find
from anlan.notifications.services import notify

from .. import rules
from ..models import (
    Campaign,
    CampaignArea,
    CampaignMember,
    CampaignReport,
    CardReport,
    CardReportEvidence,
    Decision,
    DecisionReport,
    DecisionTask,
    Meeting,
    TaskCard,
)
from ..models.campaigns import ANSWER, MANAGE_CAMPAIGNS, MANAGE_MEETINGS
from ..selectors import campaigns as selectors

NOTICE = "governance.decision"
CARD_NOTICE = "governance.card"
CARD_TASK = selectors.CARD_TASK
# A member unit confirms it has the card within two days of it being sent (D2: the card opens the month's work).
CARD_CONFIRM_WITHIN = timedelta(days=2)


class ErrorCode(StrEnum):
    OFFICE_INVALID = "governance_office_invalid"
    HELD_IN_FUTURE = "governance_meeting_in_future"
    DUE_BEFORE_MEETING = "governance_decision_due_before_meeting"
    NO_ASSIGNEE = "governance_decision_no_assignee"
    UNIT_INVALID = "governance_unit_invalid"
    NOT_ASSIGNEE = "governance_not_assignee"
    TASK_NOT_OPEN = "governance_task_not_open"
    EVIDENCE_REQUIRED = "governance_evidence_required"
    PERIOD_INVALID = "governance_campaign_period"
    MEMBER_TWICE = "governance_member_twice"
    CARD_MONTH = "governance_card_month"
    CARD_TWICE = "governance_card_twice"
    REPORT_BY = "governance_card_report_by"
    NO_MEMBER = "governance_campaign_no_member"
    NOT_CONFIRMED = "governance_card_not_confirmed"
    RECTIFIED_EXCEEDS = "governance_card_rectified_exceeds"
    NO_ISSUER = "governance_no_issuer"
    REPORT_TWICE = "governance_report_twice"
    PERIOD_NOT_ENDED = "governance_period_not_ended"
    RECORD_KIND = "governance_record_kind"
    MEMBER_STATE = "governance_member_state"
    REASON_REQUIRED = "governance_reason_required"
    EVIDENCE_TOO_MANY = "governance_card_evidence_too_many"


def _text(data: dict, key: str) -> str:
    return (data.get(key) or "").strip()


def _office(actor, data: dict, right: str):
    office = data.get("office")
    if office is None or not selectors.offices(actor, right).filter(pk=office.pk).exists():
        raise DomainError(ErrorCode.OFFICE_INVALID, _("安委办须为您所在的安委办。"), field="office")
    return office


def _government_units(actor, chosen, field: str) -> list:
    allowed = set(
        selectors.government_units(actor).filter(pk__in=[u.pk for u in chosen]).values_list("pk", flat=True)
    )
    stray = [u for u in chosen if u.pk not in allowed]
    if stray:
        raise DomainError(
            ErrorCode.UNIT_INVALID,
            _("“%(unit)s”不是您管辖范围内的部门、乡镇（街道）或园区管委会。") % {"unit": stray[0]},
            field=field,
        )
    return list(chosen)


def may_manage(user, record, office) -> bool:
    """Whether the user acts for the 安委办 that owns the record (others in scope read it, no more)."""
    right = MANAGE_MEETINGS if isinstance(record, Meeting) else MANAGE_CAMPAIGNS
    return can(user, right, record) and (user.is_superuser or units.is_member(user, office))


def require_office(user, record, office) -> None:
    require(user, MANAGE_MEETINGS if isinstance(record, Meeting) else MANAGE_CAMPAIGNS, record)
    if not may_manage(user, record, office):
        raise PermissionDenied(_("只有该安委办的人员可以办理。"))


# ================================================================ meetings and decisions

MEETING_TEXT = ("kind", "title", "chair", "attendees", "topics")


def _save_meeting(meeting: Meeting, *, actor, data: dict, reason) -> Meeting:
    office = _office(actor, data, MANAGE_MEETINGS)
    held_on = data.get("held_on")
    if held_on is None or held_on > timezone.localdate():
        raise DomainError(
            ErrorCode.HELD_IN_FUTURE, _("会议日期不能晚于今天：会议开过后再登记。"), field="held_on"
        )
    for name in MEETING_TEXT:
        setattr(meeting, name, _text(data, name))
    meeting.office, meeting.region_id, meeting.held_on = office, office.region_id, held_on
    records.validate(meeting)
    records.save_with_history(meeting, actor, record_text(reason))
    records.ensure_in_scope(actor, MANAGE_MEETINGS, meeting, "office")
    return meeting


def record_meeting(*, actor, data: dict) -> Meeting:
    """登记安委会会议: as held, for the 安委办 the actor works in."""
    require_right(actor, MANAGE_MEETINGS)
    with transaction.atomic():
        return _save_meeting(
            Meeting(recorded_by=actor), actor=actor, data=data, reason=gettext_lazy("登记会议")
        )


def update_meeting(*, actor, meeting_pk: int, data: dict) -> Meeting:
    """修改会议记录; the history keeps what it said before."""
    with transaction.atomic():
        meeting = selectors.access_meeting(actor, meeting_pk, for_update=True)
        require_office(actor, meeting, meeting.office)
        return _save_meeting(meeting, actor=actor, data=data, reason=gettext_lazy("修改会议"))


def _task_url(task) -> str:
    return reverse("governance:decision-task-detail", args=[task.pk])


def add_decision(*, actor, meeting_pk: int, data: dict) -> Decision:
    """议定事项: the text, a deadline not before the meeting, and one or more assignee units (departments,
    towns, park committees in scope) — one task each, told after commit."""
    with transaction.atomic():
        meeting = selectors.access_meeting(actor, meeting_pk, for_update=True)
        require_office(actor, meeting, meeting.office)
        due_on = data.get("due_on")
        if due_on is None or not rules.decision_due_ok(due_on, meeting.held_on):
            raise DomainError(ErrorCode.DUE_BEFORE_MEETING, _("完成时限不能早于会议日期。"), field="due_on")
        chosen = _government_units(actor, list(data.get("assignees") or []), "assignees")
        if not chosen:
            raise DomainError(ErrorCode.NO_ASSIGNEE, _("请至少选择一个承办单位。"), field="assignees")
        position = (
            meeting.decisions.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
        decision = Decision(meeting=meeting, position=position, text=_text(data, "text"), due_on=due_on)
        records.validate(decision)
        records.save_with_history(decision, actor, record_text(gettext_lazy("交办议定事项")))
        for unit in chosen:
            task = DecisionTask(decision=decision, assignee=unit, region_id=unit.region_id, due_on=due_on)
            records.save_with_history(task, actor, "")
            users = units.members(unit)
            transaction.on_commit(
                lambda task=task, users=users: notify(
                    users,
                    kind=NOTICE,
                    title=str(_("安委会议定事项交办：%(text)s") % {"text": decision.text[:40]}),
                    body=str(_("请在 %(due)s 前办结并报送办理情况。") % {"due": due_on.isoformat()}),
                    url=_task_url(task),
                    dedupe_key=f"decision-task:{task.pk}:assigned",
                )
            )
    return decision


def _assignee_task(actor, task_pk: int) -> DecisionTask:
    task = selectors.access_task(actor, task_pk, for_update=True)
    require(actor, ANSWER, task)
    if not (actor.is_superuser or units.is_member(actor, task.assignee)):
        raise DomainError(ErrorCode.NOT_ASSIGNEE, _("只有承办单位可以报送办理情况。"), field="__all__")
    if task.status not in DecisionTask.OPEN:
        raise DomainError(ErrorCode.TASK_NOT_OPEN, _("该事项已报送办结，不能再报送。"), field="__all__")
    return task


def _report(actor, task, kind: str, data: dict) -> DecisionReport:
    report = DecisionReport(
        task=task,
        kind=kind,
        text=_text(data, "text"),
        evidence=_text(data, "evidence"),
        reported_by=actor,
        reported_at=timezone.now(),
    )
    records.validate(report)
    records.save_with_history(report, actor, "")
    return report


def report_progress(*, actor, task_pk: int, data: dict) -> DecisionReport:
    """报送进展: the assignee tells how far it is (the task stays open)."""
    with transaction.atomic():
        task = _assignee_task(actor, task_pk)
        return _report(actor, task, DecisionReport.Kind.PROGRESS, data)


def report_completion(*, actor, task_pk: int, data: dict) -> DecisionTask:
    """报送办结: the assignee reports it done with the evidence; the 安委办 confirms or returns it."""
    with transaction.atomic():
        task = _assignee_task(actor, task_pk)
        if not _text(data, "evidence"):
            raise DomainError(ErrorCode.EVIDENCE_REQUIRED, _("报送办结须附佐证材料。"), field="evidence")
        _report(actor, task, DecisionReport.Kind.COMPLETION, data)
        apply_transition(
            task,
            find(DecisionTask.TRANSITIONS, "report"),
            actor=actor,
            changes={"reported_at": timezone.now()},
        )
        office = task.decision.meeting.office
        transaction.on_commit(
            lambda: notify(
                units.members(office),
                kind=NOTICE,
                title=str(_("议定事项报送办结：%(unit)s") % {"unit": task.assignee.name}),
                url=_task_url(task),
                dedupe_key=f"decision-task:{task.pk}:reported:{task.reported_at.isoformat()}",
            )
        )
    return task


def decide_task(*, actor, task_pk: int, step: str, reason: str = "") -> DecisionTask:
    """确认办结 (close) or 退回 (send_back, with the reason): the 安委办 that assigned it, never the assignee."""
    with transaction.atomic():
        task = selectors.access_task(actor, task_pk, for_update=True)
        transition = find(DecisionTask.TRANSITIONS, step)
        require(actor, transition.right, task)
        changes = {"closed_at": timezone.now()} if step == "close" else {}
        apply_transition(task, transition, actor=actor, reason=reason, changes=changes)
        if step == "send_back":
            transaction.on_commit(
                lambda: notify(
                    units.members(task.assignee),
                    kind=NOTICE,
                    title=str(_("议定事项办结报告被退回")),
                    body=reason,
                    url=_task_url(task),
                    dedupe_key=f"decision-task:{task.pk}:returned:{timezone.now().isoformat()}",
                )
            )
    return task


def sweep(*, today: date, now: datetime, stdout=None) -> dict[str, int]:
    """Flag each overdue decision task once (a conditional UPDATE on id and an empty flag, safe with several
    workers) and tell the assignee's members and the 安委办."""
    flagged = 0
    rows = DecisionTask.objects.filter(selectors.overdue_q(today), overdue_flagged_on__isnull=True)
    for task in rows.select_related("assignee", "decision__meeting__office").iterator(chunk_size=500):
        if not DecisionTask.objects.filter(pk=task.pk, overdue_flagged_on__isnull=True).update(
            overdue_flagged_on=today
        ):
            continue
        flagged += 1
        title = str(_("议定事项逾期未办结：%(text)s") % {"text": task.decision.text[:40]})
        body = str(
            _("承办单位：%(unit)s；完成时限：%(due)s。") % {"unit": task.assignee.name, "due": task.due_on}
        )
        for people in (units.members(task.assignee), units.members(task.decision.meeting.office)):
            notify(
                people,
                kind=NOTICE,
                title=title,
                body=body,
                url=_task_url(task),
                dedupe_key=f"decision-task:{task.pk}:overdue",
            )
    if stdout is not None:
        stdout.write(f"governance decisions: {flagged} overdue\n")
    return {"overdue": flagged}


# ================================================================ campaigns

CAMPAIGN_TEXT = ("kind", "title", "themes")


def _save_campaign(campaign: Campaign, *, actor, data: dict, reason) -> Campaign:
    office = _office(actor, data, MANAGE_CAMPAIGNS)
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise DomainError(ErrorCode.PERIOD_INVALID, _("结束日期不能早于开始日期。"), field="ends_on")
    lead = data.get("lead_unit")
    if lead is None or not (
        selectors.government_units(actor).filter(pk=lead.pk).exists()
        or selectors.offices(actor, MANAGE_CAMPAIGNS).filter(pk=lead.pk).exists()
    ):
        raise DomainError(ErrorCode.UNIT_INVALID, _("牵头单位须在您的管辖范围内。"), field="lead_unit")
    for name in CAMPAIGN_TEXT:
        setattr(campaign, name, _text(data, name))
    campaign.office, campaign.region_id, campaign.lead_unit = office, office.region_id, lead
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    if campaign.pk is None:
        tag = RecordTag(
            code=f"campaign-{timezone.now():%Y%m%d%H%M%S%f}", label=campaign.title[:80], owner_unit=office
        )
        records.save_with_history(tag, actor, "")
        campaign.tag = tag
    records.validate(campaign)
    records.save_with_history(campaign, actor, record_text(reason))
    records.ensure_in_scope(actor, MANAGE_CAMPAIGNS, campaign, "office")
    return campaign


def create_campaign(*, actor, data: dict) -> Campaign:
    """登记专项整治, with its own record tag (owned by the 安委办: only its members tag records with it)."""
    require_right(actor, MANAGE_CAMPAIGNS)
    with transaction.atomic():
        return _save_campaign(
            Campaign(created_by=actor), actor=actor, data=data, reason=gettext_lazy("登记专项整治")
        )


def update_campaign(*, actor, campaign_pk: int, data: dict) -> Campaign:
    with transaction.atomic():
        campaign = selectors.access_campaign(actor, campaign_pk, for_update=True)
        require_office(actor, campaign, campaign.office)
        return _save_campaign(campaign, actor=actor, data=data, reason=gettext_lazy("修改专项整治"))


def add_area(*, actor, campaign_pk: int, data: dict) -> CampaignArea:
    """专题/专项 with the industries it covers (the tag rule's industry set)."""
    with transaction.atomic():
        campaign = selectors.access_campaign(actor, campaign_pk, for_update=True)
        require_office(actor, campaign, campaign.office)
        area = CampaignArea(campaign=campaign, name=_text(data, "name"))
        records.validate(area)
        records.save_with_history(area, actor, "", m2m={"industries": list(data.get("industries") or [])})
    return area


def add_member(*, actor, campaign_pk: int, data: dict) -> CampaignMember:
    """成员单位 and its 联络员 (name and phone, the phone in one written form)."""
    with transaction.atomic():
        campaign = selectors.access_campaign(actor, campaign_pk, for_update=True)
        require_office(actor, campaign, campaign.office)
        unit = _government_units(actor, [data["unit"]] if data.get("unit") else [], "unit")
        if not unit:
            raise DomainError(ErrorCode.UNIT_INVALID, _("请选择成员单位。"), field="unit")
        existing = campaign.members.filter(unit=unit[0]).first()
        if existing is not None:
            message = (
                _("该单位已是成员单位。")
                if existing.is_active
                else _("该单位已移出，请在成员单位列表中恢复。")
            )
            raise DomainError(ErrorCode.MEMBER_TWICE, message, field="unit")
        phone = records.check_rule(core_rules.validate_phone, _text(data, "liaison_phone"), "liaison_phone")
        member = CampaignMember(
            campaign=campaign, unit=unit[0], liaison_name=_text(data, "liaison_name"), liaison_phone=phone
        )
        records.validate(member)
        records.save_with_history(member, actor, "")
    return member


def update_area(*, actor, area_pk: int, data: dict) -> CampaignArea:
    """修改专题/专项: its name and industries (the tag rule follows; records already tagged keep their tag)."""
    with transaction.atomic():
        area = selectors.access_area(actor, area_pk, for_update=True)
        campaign = area.campaign
        require_office(actor, campaign, campaign.office)
        area.name = _text(data, "name")
        records.validate(area)
        records.save_with_history(
            area,
            actor,
            record_text(gettext_lazy("修改专题/专项")),
            m2m={"industries": list(data.get("industries") or [])},
        )
    return area


def update_member(*, actor, member_pk: int, data: dict) -> CampaignMember:
    """修改联络员: the member unit's liaison officer and phone (the unit itself is not changed: take it out and
    add the other one, so each unit's cards and reports stay with it)."""
    with transaction.atomic():
        member = selectors.access_member(actor, member_pk, for_update=True)
        campaign = member.campaign
        require_office(actor, campaign, campaign.office)
        member.liaison_name = _text(data, "liaison_name")
        member.liaison_phone = records.check_rule(
            core_rules.validate_phone, _text(data, "liaison_phone"), "liaison_phone"
        )
        records.validate(member)
        records.save_with_history(member, actor, record_text(gettext_lazy("修改联络员")))
    return member


def set_member_active(*, actor, member_pk: int, active: bool, reason: str = "") -> CampaignMember:
    """移出 / 恢复成员单位. A unit taken out is kept, inactive — never deleted: its receipts and card reports keep
    their member and still count in the periods they belong to — and gets no further card; the cards already
    sent stay with it. Taking out needs a reason (kept in the history)."""
    with transaction.atomic():
        member = selectors.access_member(actor, member_pk, for_update=True)
        campaign = member.campaign
        require_office(actor, campaign, campaign.office)
        if member.is_active == active:
            raise DomainError(
                ErrorCode.MEMBER_STATE,
                _("该单位已在册。") if active else _("该单位已移出。"),
                field="__all__",
            )
        reason = (reason or "").strip()
        if not active and not reason:
            raise DomainError(ErrorCode.REASON_REQUIRED, _("请说明移出成员单位的原因。"), field="reason")
        member.is_active = active
        default = gettext_lazy("恢复成员单位") if active else gettext_lazy("移出成员单位")
        records.save_with_history(member, actor, reason or record_text(default))
    return member


def _card_url(task) -> str:
    return reverse("governance:card-receipt", args=[task.pk])


def send_card(*, actor, campaign_pk: int, data: dict) -> TaskCard:
    """印发每月提示卡: one card per month of the campaign, sent to every member unit for confirmation; each
    reports its completion by the date set (in or after that month)."""
    with transaction.atomic():
        campaign = selectors.access_campaign(actor, campaign_pk, for_update=True)
        require_office(actor, campaign, campaign.office)
        month = data.get("month")
        if month is None or not rules.card_month_ok(month, campaign.starts_on, campaign.ends_on):
            raise DomainError(ErrorCode.CARD_MONTH, _("提示卡的月份须在行动期间内。"), field="month")
        month = month.replace(day=1)
        if campaign.cards.filter(month=month).exists():
            raise DomainError(ErrorCode.CARD_TWICE, _("该月的提示卡已印发。"), field="month")
        report_by = data.get("report_by")
        if report_by is None or report_by < month:
            raise DomainError(ErrorCode.REPORT_BY, _("报送时限不能早于该月第一天。"), field="report_by")
        recipients = [m.unit for m in selectors.members_of(campaign).filter(is_active=True)]
        if not recipients:
            raise DomainError(ErrorCode.NO_MEMBER, _("请先登记成员单位，再印发提示卡。"), field="__all__")
        card = TaskCard(
            campaign=campaign,
            month=month,
            title=_text(data, "title"),
            tasks=_text(data, "tasks"),
            report_by=report_by,
            sent_at=timezone.now(),
            sent_by=actor,
        )
        records.validate(card)
        records.save_with_history(card, actor, record_text(gettext_lazy("印发提示卡")))
        tasks = receipts.send_for_receipt(
            actor=actor,
            subject=card,
            kind=CARD_TASK,
            title=card.title,
            body=card.tasks,
            recipients=recipients,
            confirm_within=CARD_CONFIRM_WITHIN,
            sender_unit=campaign.office,
        )
        for task in tasks:
            users = units.members(task.recipient_unit)
            transaction.on_commit(
                lambda task=task, users=users: notify(
                    users,
                    kind=CARD_NOTICE,
                    title=task.title,
                    body=str(_("请确认收到，并在 %(day)s 前报送完成情况。") % {"day": report_by.isoformat()}),
                    url=_card_url(task),
                    dedupe_key=f"card:{card.pk}:task:{task.pk}:sent",
                )
            )
    return card


def _member_task(actor, task_pk: int) -> tuple[ReceiptTask, TaskCard]:
    task = selectors.access_card_task(actor, task_pk)
    if not receipts.may_confirm(actor, task):
        raise DomainError(
            ErrorCode.NOT_ASSIGNEE, _("只有收到提示卡的成员单位可以确认和报送。"), field="__all__"
        )
    return task, selectors.card_of(task)


def confirm_card(*, actor, task_pk: int) -> ReceiptTask:
    """确认收到: a member of the member unit, once (the kernel's receipt)."""
    with transaction.atomic():
        task, _card = _member_task(actor, task_pk)
        return receipts.confirm_receipt(actor=actor, task=task)


def report_card(*, actor, task_pk: int, data: dict, files=()) -> CardReport:
    """报送完成情况: after confirming, the member unit's figures and text, with evidence files (pictures or PDFs,
    each verified by core.uploads; one bad file refuses the whole report, nothing saved); reported again it is
    updated and the new files are added to those already there."""
    with transaction.atomic():
        task, card = _member_task(actor, task_pk)
        if task.status != ReceiptTask.Status.CONFIRMED:
            raise DomainError(ErrorCode.NOT_CONFIRMED, _("请先确认收到，再报送完成情况。"), field="__all__")
        found, rectified = data.get("hazards_found") or 0, data.get("hazards_rectified") or 0
        if rectified > found:
            raise DomainError(
                ErrorCode.RECTIFIED_EXCEEDS, _("整改隐患数不能多于排查隐患数。"), field="hazards_rectified"
            )
        report = (
            CardReport.objects.select_for_update().filter(card=card, unit_id=task.recipient_unit_id).first()
        )
        report = report or CardReport(card=card, task=task, unit_id=task.recipient_unit_id)
        report.enterprises_checked = data.get("enterprises_checked") or 0
        report.hazards_found, report.hazards_rectified = found, rectified
        report.text = _text(data, "text")
        report.reported_by, report.reported_at = actor, timezone.now()
        existing = report.evidence.count() if report.pk else 0
        if not rules.evidence_count_ok(existing, len(files)):
            raise DomainError(
                ErrorCode.EVIDENCE_TOO_MANY,
                _("每份完成情况最多附 %(n)s 个佐证文件。") % {"n": rules.CARD_EVIDENCE_MAX_FILES},
                field="files",
            )
        accepted = [uploads.accept_attachment(upload, field="files") for upload in files]
        records.validate(report)
        records.save_with_history(report, actor, record_text(gettext_lazy("报送提示卡完成情况")))
        for upload in accepted:
            evidence = CardReportEvidence(
                report=report,
                file_name=upload.original_name,
                size=upload.size,
                added_by=actor,
                added_at=report.reported_at,
            )
            evidence.file.save(upload.name, upload, save=False)
            records.save_with_history(evidence, actor, record_text(gettext_lazy("上传佐证材料")))
    return report


# ---------------------------------------------------------------- tags (by rule and by hand)


def apply_tag_rule(*, actor, campaign_pk: int) -> dict[str, int]:
    """按规则标记: tag every record the rule covers that the actor can see and that is not tagged yet
    (idempotent: a second run tags nothing)."""
    with transaction.atomic():
        campaign = selectors.access_campaign(actor, campaign_pk)
        require_office(actor, campaign, campaign.office)
        return _tag_candidates(actor, campaign)


def _tag_candidates(actor, campaign) -> dict[str, int]:
    counts = {"hazards": 0, "inspections": 0}
    for kind, queryset in selectors.rule_candidates(actor, campaign).items():
        for record in queryset.iterator(chunk_size=500):
            tags.tag(actor=actor, tag=campaign.tag, record=record)
            counts[kind] += 1
    return counts


def tag_sweep(*, today: date, now: datetime, stdout=None) -> dict[str, int]:
    """Apply each running campaign's rule daily, in the name of the 安委办 member who set it up (the tag is the
    office's: the kernel lets only its members tag). A campaign whose creator left the office is skipped."""
    total = {"hazards": 0, "inspections": 0}
    for campaign in selectors.active_campaigns(today):
        creator = campaign.created_by
        if not creator.is_active or not units.is_member(creator, campaign.office):
            continue
        with transaction.atomic():
            counts = _tag_candidates(creator, campaign)
        for key, value in counts.items():
            total[key] += value
    if stdout is not None:
        stdout.write(
            f"governance campaigns: {total['hazards']} hazards, {total['inspections']} inspections tagged\n"
        )
    return total


def _record(actor, kind: str, pk: int):
    from anlan.hazards import selectors as hazards
    from anlan.inspections import selectors as inspections

    if kind == "hazard":
        return hazards.access_hazard(actor, pk)
    if kind == "inspection":
        return inspections.access_inspection(actor, pk)
    raise DomainError(ErrorCode.RECORD_KIND, _("只能标记隐患或监督检查记录。"), field="kind")


def tag_by_hand(
    *, actor, campaign_pk: int, kind: str, record_pk: int, remove: bool = False, reason: str = ""
) -> None:
    """手工标记 / 取消标记 one hazard or inspection the actor can see (out of scope: 404)."""
    with transaction.atomic():
        campaign = selectors.access_campaign(actor, campaign_pk)
        require_office(actor, campaign, campaign.office)
        record = _record(actor, kind, record_pk)
        if remove:
            tags.untag(actor=actor, tag=campaign.tag, record=record, reason=reason)
        else:
            tags.tag(actor=actor, tag=campaign.tag, record=record)


# ---------------------------------------------------------------- 每月一调度、每季一通报、每年一总结


def report_figures(
    actor, campaign: Campaign, period: str, starts_on: date, ends_on: date, today: date
) -> dict:
    figures = selectors.tagged_figures(actor, campaign, starts_on, ends_on, today)
    figures.update(selectors.card_completion(campaign, starts_on, ends_on))
    figures["units"] = selectors.unit_completion(campaign, starts_on, ends_on)
    return figures


def _render(campaign: Campaign, period: str, starts_on: date, figures: dict, issuer, number: str) -> bytes:
    """The document's text is the official Chinese wording whatever the user's language: it is a 公文."""
    from anlan.documents.docx import OfficialDocument, build_docx

    label = rules.period_label(period, starts_on)
    name = {rules.PERIOD_MONTH: "调度情况", rules.PERIOD_QUARTER: "情况通报", rules.PERIOD_YEAR: "工作总结"}[
        period
    ]
    rate = rules.completion_rate(figures["hazards_closed"], figures["hazards_found"])
    card_rate = rules.completion_rate(figures["reported"], figures["sent"])
    paragraphs = [
        f"{label}，{campaign.title}纳入统计的隐患{figures['hazards_found']}项（其中重大事故隐患"
        f"{figures['hazards_major']}项），已整改销号{figures['hazards_closed']}项，整改率{rate}%，"
        f"逾期未整改{figures['hazards_overdue']}项；开展监督检查{figures['inspections']}次，"
        f"采取执法措施{figures['enforcement']}项。",
        f"本期印发提示卡{figures['cards']}份，发至成员单位{figures['sent']}家次，已报送完成情况"
        f"{figures['reported']}家次，报送率{card_rate}%。",
    ]
    late = [row["unit"] for row in figures["units"] if row["sent"] > row["reported"]]
    if late:
        paragraphs.append(f"未按时报送完成情况的单位：{'、'.join(late)}。请上述单位抓紧报送。")
    if figures["hazards_overdue"]:
        paragraphs.append("对逾期未整改的隐患，各牵头单位要跟踪督办、限时办结。")
    items = [(row["unit"], f"收到提示卡{row['sent']}份，报送{row['reported']}份") for row in figures["units"]]
    document = OfficialDocument(
        issuer_mark=f"{campaign.office.name}",
        number=number,
        title=f"{campaign.title}{label}{name}",
        addressee="各成员单位",
        paragraphs=paragraphs,
        items=items,
        signature=campaign.office.name,
        signed_on=timezone.localdate(),
        cc=issuer.name,
    )
    return build_docx(document)


REPORT_NOTICE = "governance.campaign_report"


def issue_report(*, actor, campaign_pk: int, period: str, day: date) -> CampaignReport:
    """印发调度/通报/总结 for the month, quarter or year containing `day` (once that period has ended or the
    campaign has): the figures from live data in the actor's scope, numbered as a 通报 of the actor's
    department (the 安委办's comprehensive department) and kept as issued."""
    if period not in dict(rules.PERIOD_KINDS):
        raise DomainError(ErrorCode.PERIOD_INVALID, _("请选择月度调度、季度通报或年度总结。"), field="period")
    with transaction.atomic():
        campaign = selectors.access_campaign(actor, campaign_pk, for_update=True)
        require_office(actor, campaign, campaign.office)
        starts_on, ends_on = rules.period_bounds(period, day)
        today = timezone.localdate()
        if not rules.periods_overlap(starts_on, ends_on, campaign.starts_on, campaign.ends_on):
            raise DomainError(ErrorCode.PERIOD_INVALID, _("所选期间不在行动期间内。"), field="day")
        if ends_on >= today and campaign.ends_on >= today:
            raise DomainError(ErrorCode.PERIOD_NOT_ENDED, _("该期间尚未结束，结束后再印发。"), field="day")
        if campaign.reports.filter(period=period, starts_on=starts_on).exists():
            raise DomainError(ErrorCode.REPORT_TWICE, _("该期间的调度通报已印发。"), field="day")
        return _issue(actor, campaign, period, starts_on, ends_on, today, scheduled=False)


def _issue(
    actor, campaign: Campaign, period: str, starts_on: date, ends_on: date, today: date, *, scheduled: bool
) -> CampaignReport:
    """Number, render and keep the report (inside the caller's transaction, the campaign locked), and tell the
    office and the lead and member units after commit. The (campaign, period, start) constraint keeps it once."""
    from anlan.documents import services as documents
    from anlan.documents.models import DocumentKind

    issuer = capacity.acting_department(actor, right=MANAGE_CAMPAIGNS)
    if issuer is None:
        raise DomainError(ErrorCode.NO_ISSUER, _("未找到本级安委办的发文部门，请先登记。"), field="__all__")
    figures = report_figures(actor, campaign, period, starts_on, ends_on, today)
    title = f"{campaign.title}{rules.period_label(period, starts_on)}{dict(rules.PERIOD_KINDS)[period]}"
    document = documents.issue_document(
        actor=actor,
        issuer=issuer,
        kind=DocumentKind.CIRCULAR,
        title=title[:200],
        render=lambda number: _render(campaign, period, starts_on, figures, issuer, number),
        target=campaign,
    )
    report = CampaignReport(
        campaign=campaign,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
        figures=figures,
        document=document,
        issued_at=document.issued_at,
        issued_by=actor,
        is_scheduled=scheduled,
    )
    reason = gettext_lazy("定时生成调度通报") if scheduled else gettext_lazy("印发调度通报")
    records.save_with_history(report, actor, record_text(reason))
    transaction.on_commit(lambda: _notify_report(report, title))
    return report


def _notify_report(report: CampaignReport, title: str) -> int:
    """The 安委办's, the lead unit's and the active member units' members who can open the report (a town
    reads its own cards but not the county's campaign: it is not told); once per person and report."""
    campaign = report.campaign
    people = {user.pk: user for user in units.members(campaign.office)}
    for unit in [campaign.lead_unit, *(m.unit for m in selectors.members_of(campaign) if m.is_active)]:
        people.update({user.pk: user for user in units.members(unit)})
    readers = [user for user in people.values() if selectors.sees_report(user, report)]
    return notify(
        readers,
        kind=REPORT_NOTICE,
        title=str(
            _("专项整治%(kind)s已印发：%(title)s") % {"kind": report.get_period_display(), "title": title}
        ),
        url=reverse("governance:campaign-detail", args=[campaign.pk]),
        dedupe_key=f"campaign-report:{report.pk}:issued",
    )


def _office_actor(campaign: Campaign):
    """Who a scheduled report is issued as: the campaign's creator while still in its 安委办, else the first
    active member of the office holding the right (the figures are their scope, the number their department's)."""
    from anlan.core.permissions import has_right

    creator = campaign.created_by
    if (
        creator.is_active
        and units.is_member(creator, campaign.office)
        and has_right(creator, MANAGE_CAMPAIGNS)
    ):
        return creator
    for user in units.members(campaign.office).order_by("pk"):
        if has_right(user, MANAGE_CAMPAIGNS):
            return user
    return None


def report_sweep(*, today: date, now: datetime, stdout=None) -> dict[str, int]:
    """每季一通报、每年一总结 on schedule: for each campaign started and not ended more than a quarter ago, the
    季度通报 and 年度总结 of the latest period that is over (rules.scheduled_reports_due), issued once from live
    data — a period already issued (by hand or by another worker) is skipped; the campaign row is locked and
    the unique (campaign, period, start) constraint refuses a second one if two workers race."""
    counts = {"issued": 0, "skipped": 0}
    campaigns = Campaign.objects.filter(
        starts_on__lt=today, ends_on__gte=today - rules.REPORT_CATCH_UP
    ).select_related("office", "lead_unit", "created_by", "region", "tag")
    for campaign in campaigns.iterator(chunk_size=200):
        due = rules.scheduled_reports_due(today, campaign.starts_on, campaign.ends_on)
        issued = set(campaign.reports.values_list("period", "starts_on"))
        due = [(kind, start) for kind, start in due if (kind, start) not in issued]
        if not due:
            continue
        actor = _office_actor(campaign)
        if actor is None:
            counts["skipped"] += len(due)
            continue
        for kind, start in due:
            try:
                with transaction.atomic():
                    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
                    if locked.reports.filter(period=kind, starts_on=start).exists():
                        continue
                    end = rules.period_bounds(kind, start)[1]
                    _issue(actor, campaign, kind, start, end, today, scheduled=True)
            except IntegrityError:
                continue  # another worker issued it first
            except DomainError:
                counts["skipped"] += 1  # no issuing department yet: tried again on the next run
                continue
            counts["issued"] += 1
    if stdout is not None:
        stdout.write(f"governance campaign reports: {counts['issued']} issued, {counts['skipped']} skipped\n")
    return counts
