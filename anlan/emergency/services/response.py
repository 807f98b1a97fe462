"""Use cases of incidents and their response (应急响应), the town's 先期处置 and public releases (信息发布).

Each: access (scoped, locked) → may the actor do it (the right, and acting for the commanding 安委办, the town or
the tasked/reviewing unit) → rules → change with history → notifications on commit. The county 安委办 (应急局) of
the incident's county commands the response and issues the releases (突发事件应对法 第七十二条、第七十八条)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import receipts
from anlan.core.errors import DomainError
from anlan.core.models import Region, Unit
from anlan.core.permissions import require_right
from anlan.core.records import ensure_region_in_scope, save_with_history, validate
from anlan.core.units import acts_for, is_member, members
from anlan.notifications.services import notify

from .. import rules
from ..models import (
    ControlPoint,
    FirstResponder,
    FirstResponse,
    FirstResponseAction,
    Incident,
    PublicRelease,
    ReleaseReview,
    Response,
    ResponseGroup,
    ResponseLevelChange,
    ResponseNote,
    ResponseTask,
)
from ..selectors import response as selectors

MANAGE = selectors.MANAGE
RECORD_INCIDENT = selectors.RECORD_INCIDENT
FIRST_RESPONSE = selectors.FIRST_RESPONSE
TASK_KIND = "emergency_response_task"
TASK_NOTICE = "emergency_response_task"
RELEASE_NOTICE = "emergency_release_review"


class ResponseError(StrEnum):
    KIND_NOT_TYPED = "incident_kind_not_typed_in"
    TITLE_REQUIRED = "incident_title_required"
    IN_FUTURE = "response_time_in_future"
    INCIDENT_CLOSED = "incident_closed"
    RESPONSE_ACTIVE = "incident_response_active"
    LEVEL_INVALID = "response_level_invalid"
    LEVEL_SAME = "response_level_unchanged"
    REASON_REQUIRED = "response_reason_required"
    ALREADY_ACTIVE = "response_already_active"
    NOT_ACTIVE = "response_not_active"
    COMMANDER_REQUIRED = "response_commander_required"
    POST_REQUIRED = "response_post_required"
    PLAN_INVALID = "response_plan_invalid"
    UNIT_INVALID = "response_unit_invalid"
    TEXT_REQUIRED = "response_text_required"
    DEADLINE_PAST = "response_task_deadline_past"
    TASK_DONE = "response_task_completed"
    POINT_LIFTED = "control_point_lifted"
    OUT_OF_ORDER = "first_response_out_of_order"
    NO_TOWN = "first_response_no_town"
    RESPONDERS_REQUIRED = "first_response_responders_required"
    REVIEWERS_REQUIRED = "release_reviewers_required"
    RELEASE_LOCKED = "release_not_editable"
    RELEASE_NOT_IN_REVIEW = "release_not_in_review"
    REVIEW_NOT_CURRENT = "release_review_not_current"
    SELF_APPROVAL = "release_self_approval"
    COMMENT_REQUIRED = "release_return_comment_required"
    NOT_APPROVED = "release_not_all_approved"
    NOT_PUBLISHED = "release_not_published"
    ALREADY_CORRECTED = "release_already_corrected"


def _now() -> datetime:
    return timezone.now()


def _not_future(at: datetime | None, field: str, label) -> datetime:
    if at is None:
        raise DomainError(ResponseError.IN_FUTURE, _("请填写%(label)s。") % {"label": label}, field=field)
    if at > _now() + timedelta(minutes=5):
        raise DomainError(
            ResponseError.IN_FUTURE, _("%(label)s不能晚于现在。") % {"label": label}, field=field
        )
    return at


def _required(text: str | None, code, message, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(code, message, field=field)
    return text


def _commander(actor, incident: Incident) -> None:
    """403 unless the actor acts for the 安委办 commanding the incident's county (with the right)."""
    if not selectors.commands(actor, incident):
        raise PermissionDenied(_("只有事发地县级安委办（应急管理局）可以指挥应急响应。"))


def _level(level, field: str = "level") -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = None
    if not rules.valid_response_level(value):
        # 突发事件应对法 第七十一条: 一级 to 四级.
        raise DomainError(ResponseError.LEVEL_INVALID, _("响应级别只能是一级至四级。"), field=field)
    return value


def _unit(incident: Incident, unit_pk, field: str, queryset=None) -> Unit:
    found = (
        (queryset if queryset is not None else selectors.unit_choices(incident)).filter(pk=unit_pk).first()
    )
    if found is None:
        raise DomainError(ResponseError.UNIT_INVALID, _("请选择本县（区）启用的单位。"), field=field)
    return found


def _active(response: Response) -> None:
    if not response.is_active:
        raise DomainError(ResponseError.NOT_ACTIVE, _("该应急响应已结束。"), field="__all__")


# ---------------------------------------------------------------- incidents


def record_incident(*, actor, data: dict) -> Incident:
    """A duty officer types in a natural disaster or another 突发事件 (accidents come from the accidents module)."""
    require_right(actor, RECORD_INCIDENT)
    kind = data.get("kind")
    if kind not in (Incident.Kind.NATURAL_DISASTER, Incident.Kind.OTHER):
        raise DomainError(
            ResponseError.KIND_NOT_TYPED,
            _("事故和较大涉险事故由事故报告生成，这里只登记自然灾害或其他突发事件。"),
            field="kind",
        )
    title = _required(data.get("title"), ResponseError.TITLE_REQUIRED, _("请填写事件名称。"), "title")
    occurred_at = _not_future(data.get("occurred_at"), "occurred_at", _("发生时间"))
    region = data.get("region")
    if not isinstance(region, Region):
        region = Region.objects.filter(pk=region).first()
    if region is None:
        raise DomainError(ResponseError.TITLE_REQUIRED, _("请选择发生地区划。"), field="region")
    ensure_region_in_scope(actor, RECORD_INCIDENT, region.pk)
    with transaction.atomic():
        incident = Incident(
            kind=kind,
            title=title,
            occurred_at=occurred_at,
            region=region,
            place=(data.get("place") or "").strip(),
            summary=(data.get("summary") or "").strip(),
            reported_at=_now(),
            recorded_by=actor,
        )
        validate(incident)
        save_with_history(incident, actor, "值班登记")
    return incident


def close_incident(*, actor, incident_pk: int) -> Incident:
    """End an incident by hand (e.g. one that needed no response); refused while a response is active."""
    with transaction.atomic():
        incident = selectors.access_incident(actor, incident_pk, for_update=True)
        _commander(actor, incident)
        if not incident.is_open:
            raise DomainError(ResponseError.INCIDENT_CLOSED, _("该事件已结束。"), field="__all__")
        if selectors.active_response(incident) is not None:
            raise DomainError(
                ResponseError.RESPONSE_ACTIVE, _("应急响应尚未结束，不能结束事件。"), field="__all__"
            )
        incident.closed_at = _now()
        save_with_history(incident, actor, "结束事件")
    return incident


# ---------------------------------------------------------------- the response


def start_response(
    *,
    actor,
    incident_pk: int,
    level,
    commander_name: str,
    commander_phone: str,
    post_place: str,
    plan_pk: int | None = None,
    post_lat=None,
    post_lng=None,
    started_at: datetime | None = None,
) -> Response:
    """Start the response at a level (突发事件应对法 第七十一条); at most one active response per incident."""
    level = _level(level)
    commander_name = _required(
        commander_name, ResponseError.COMMANDER_REQUIRED, _("请填写指挥长。"), "commander_name"
    )
    commander_phone = _required(
        commander_phone, ResponseError.COMMANDER_REQUIRED, _("请填写指挥长电话。"), "commander_phone"
    )
    post_place = _required(post_place, ResponseError.POST_REQUIRED, _("请填写现场指挥部位置。"), "post_place")
    started_at = _not_future(started_at or _now(), "started_at", _("启动时间"))
    with transaction.atomic():
        incident = selectors.access_incident(actor, incident_pk, for_update=True)
        _commander(actor, incident)
        if not incident.is_open:
            raise DomainError(
                ResponseError.INCIDENT_CLOSED, _("该事件已结束，不能启动响应。"), field="__all__"
            )
        if selectors.active_response(incident) is not None:
            raise DomainError(
                ResponseError.ALREADY_ACTIVE, _("该事件已有正在进行的应急响应。"), field="__all__"
            )
        plan = None
        if plan_pk:
            plan = selectors.plan_choices(incident).filter(pk=plan_pk).first()
            if plan is None:
                raise DomainError(ResponseError.PLAN_INVALID, _("请选择本县已公布的预案。"), field="plan")
        response = Response(
            incident=incident,
            level=level,
            plan=plan,
            commander_name=commander_name,
            commander_phone=commander_phone,
            post_place=post_place,
            post_lat=post_lat,
            post_lng=post_lng,
            started_at=started_at,
            started_by=actor,
        )
        validate(response, exclude=["incident"])
        try:
            save_with_history(response, actor, "启动应急响应")
        except DomainError as error:  # the one-active constraint, when two commanders race
            raise DomainError(
                ResponseError.ALREADY_ACTIVE, _("该事件已有正在进行的应急响应。"), field="__all__"
            ) from error
    return response


def _commanded_response(actor, response_pk: int) -> Response:
    response = selectors.access_response(actor, response_pk, for_update=True)
    _commander(actor, response.incident)
    return response


def change_level(*, actor, response_pk: int, to_level, reason: str) -> ResponseLevelChange:
    """Raise or lower the level (突发事件应对法 第七十一条: adjusted as the event develops), with a reason."""
    to_level = _level(to_level, "to_level")
    reason = _required(reason, ResponseError.REASON_REQUIRED, _("请填写调整原因。"), "reason")
    with transaction.atomic():
        response = _commanded_response(actor, response_pk)
        _active(response)
        if to_level == response.level:
            raise DomainError(ResponseError.LEVEL_SAME, _("调整后的级别与当前级别相同。"), field="to_level")
        change = ResponseLevelChange(
            response=response,
            from_level=response.level,
            to_level=to_level,
            reason=reason,
            changed_at=_now(),
            changed_by=actor,
        )
        save_with_history(change, actor, "")
        kind = rules.level_change_kind(response.level, to_level)
        response.level = to_level
        save_with_history(response, actor, "提高响应级别" if kind == "raise" else "降低响应级别")
    return change


def end_response(*, actor, response_pk: int, note: str = "") -> tuple[Response, str]:
    """End the response (突发事件应对法 第八十五条: when the threat is removed). The incident ends with it, unless
    it is an accident still under investigation: then it stays open, and the second value says why."""
    with transaction.atomic():
        response = _commanded_response(actor, response_pk)
        _active(response)
        now = _now()
        response.status = Response.Status.ENDED
        response.ended_at = now
        response.ended_by = actor
        response.end_note = (note or "").strip()
        save_with_history(response, actor, "结束应急响应")
        ControlPoint.objects.filter(response=response, lifted_at__isnull=True).update(lifted_at=now)
        incident = Incident.objects.select_for_update().get(pk=response.incident_id)
        accident = incident.accident if incident.accident_id else None
        investigation = getattr(accident, "investigation", None) if accident else None
        accident_closed = bool(investigation and investigation.is_closed)
        left_open = ""
        if rules.incident_closes_with_response(
            is_accident=accident is not None, accident_closed=accident_closed
        ):
            if incident.closed_at is None:
                incident.closed_at = now
                save_with_history(incident, actor, "应急响应结束")
        else:
            left_open = _("事故调查尚未闭环，事件保持未结束（续报继续计算），待事故闭环后结束。")
    return response, left_open


def add_group(*, actor, response_pk: int, name: str, lead_pk: int, duties: str = "") -> ResponseGroup:
    name = _required(name, ResponseError.TEXT_REQUIRED, _("请填写工作组名称。"), "name")
    with transaction.atomic():
        response = _commanded_response(actor, response_pk)
        _active(response)
        lead = _unit(response.incident, lead_pk, "lead")
        if response.groups.filter(name=name).exists():
            raise DomainError(ResponseError.TEXT_REQUIRED, _("已有同名工作组。"), field="name")
        group = ResponseGroup(response=response, name=name, lead=lead, duties=(duties or "").strip())
        save_with_history(group, actor, "")
    return group


def assign_task(*, actor, response_pk: int, unit_pk: int, text: str, deadline: datetime) -> ResponseTask:
    """Task a department or town; the task goes out for receipt (core.receipts) and its members are told."""
    text = _required(text, ResponseError.TEXT_REQUIRED, _("请填写任务内容。"), "text")
    if deadline is None or deadline <= _now():
        raise DomainError(ResponseError.DEADLINE_PAST, _("完成时限必须晚于现在。"), field="deadline")
    with transaction.atomic():
        response = _commanded_response(actor, response_pk)
        _active(response)
        unit = _unit(response.incident, unit_pk, "unit")
        task = ResponseTask(response=response, unit=unit, text=text, deadline=deadline, created_by=actor)
        save_with_history(task, actor, "")
        confirm_within = min(
            timedelta(minutes=rules.RESPONSE_TASK_CONFIRM_MINUTES), deadline - task.created_at
        )
        (receipt,) = receipts.send_for_receipt(
            actor=actor,
            subject=task,
            kind=TASK_KIND,
            title=_("应急任务：%(incident)s") % {"incident": response.incident.title},
            body=text,
            recipients=[unit],
            confirm_within=confirm_within,
            sender_unit=selectors.command_unit(response.incident),
        )
        task.receipt = receipt
        save_with_history(task, actor, "")
        users = list(members(unit).values_list("pk", flat=True))
        url = reverse("emergency:response-task-detail", args=[task.pk])
        transaction.on_commit(
            lambda: notify(
                users,
                kind=TASK_NOTICE,
                title=str(receipt.title),
                body=text,
                url=url,
                dedupe_key=f"response_task:{task.pk}",
            )
        )
    return task


def _tasked(actor, task_pk: int) -> ResponseTask:
    task = selectors.access_task(actor, task_pk, for_update=True)
    if not is_member(actor, task.unit):
        raise PermissionDenied(_("只有承办单位可以办理该任务。"))
    return task


def confirm_task(*, actor, task_pk: int) -> ResponseTask:
    """The tasked unit confirms receipt (core.receipts.confirm_receipt: a member of the unit, once)."""
    with transaction.atomic():
        task = _tasked(actor, task_pk)
        receipts.confirm_receipt(actor=actor, task=task.receipt)
        task.receipt.refresh_from_db()
    return task


def complete_task(*, actor, task_pk: int, note: str) -> ResponseTask:
    """The tasked unit reports the task done (receipt is confirmed with it when still open)."""
    note = _required(note, ResponseError.TEXT_REQUIRED, _("请填写完成情况。"), "note")
    with transaction.atomic():
        task = _tasked(actor, task_pk)
        if task.completed_at is not None:
            raise DomainError(ResponseError.TASK_DONE, _("该任务已报告完成。"), field="__all__")
        if task.receipt is not None and task.receipt.status in receipts.OPEN:
            receipts.confirm_receipt(actor=actor, task=task.receipt)
            task.receipt.refresh_from_db()
        task.completed_at = _now()
        task.completed_by = actor
        task.completion_note = note
        save_with_history(task, actor, "报告完成")
    return task


def set_control_point(
    *, actor, response_pk: int, kind: str, place: str, unit_pk: int, set_at=None, lat=None, lng=None
) -> ControlPoint:
    if kind not in ControlPoint.Kind.values:
        raise DomainError(ResponseError.TEXT_REQUIRED, _("请选择管控类型。"), field="kind")
    place = _required(place, ResponseError.TEXT_REQUIRED, _("请填写管控位置。"), "place")
    set_at = _not_future(set_at or _now(), "set_at", _("设立时间"))
    with transaction.atomic():
        response = _commanded_response(actor, response_pk)
        _active(response)
        unit = _unit(response.incident, unit_pk, "unit")
        point = ControlPoint(
            response=response, kind=kind, place=place, unit=unit, set_at=set_at, lat=lat, lng=lng
        )
        validate(point, exclude=["response", "unit"])
        save_with_history(point, actor, "")
    return point


def lift_control_point(*, actor, point_pk: int, lifted_at=None) -> ControlPoint:
    lifted_at = _not_future(lifted_at or _now(), "lifted_at", _("解除时间"))
    with transaction.atomic():
        point = selectors.access_control_point(actor, point_pk, for_update=True)
        _commander(actor, point.response.incident)
        if point.lifted_at is not None:
            raise DomainError(ResponseError.POINT_LIFTED, _("该管控点已解除。"), field="__all__")
        if lifted_at < point.set_at:
            raise DomainError(ResponseError.OUT_OF_ORDER, _("解除时间不能早于设立时间。"), field="lifted_at")
        point.lifted_at = lifted_at
        save_with_history(point, actor, "解除管控")
    return point


def add_note(*, actor, response_pk: int, text: str, noted_at=None) -> ResponseNote:
    text = _required(text, ResponseError.TEXT_REQUIRED, _("请填写记事内容。"), "text")
    noted_at = _not_future(noted_at or _now(), "noted_at", _("时间"))
    with transaction.atomic():
        response = _commanded_response(actor, response_pk)
        note = ResponseNote(response=response, noted_at=noted_at, text=text, created_by=actor)
        save_with_history(note, actor, "")
    return note


# ---------------------------------------------------------------- 先期处置 (the town's first response)


def may_record_first_response(actor, incident: Incident) -> bool:
    town = selectors.town_unit(incident)
    return acts_for(actor, town, FIRST_RESPONSE)


def record_first_response(
    *,
    actor,
    incident_pk: int,
    called_at: datetime,
    dispatched_at: datetime,
    arrived_at: datetime | None = None,
    handed_over_at: datetime | None = None,
    responders: list[dict],
    actions: list[dict] | None = None,
) -> FirstResponse:
    """Record (or correct) the town's 先期处置 (突发事件应对法 第七十六条: the town where it happens organises the
    first measures at once): who went, 接警 ≤ 出动 ≤ 到达 ≤ 移交, and what was done when."""
    for stamp, field, label in (
        (called_at, "called_at", _("接警时间")),
        (dispatched_at, "dispatched_at", _("出动时间")),
    ):
        _not_future(stamp, field, label)
    for stamp, field, label in (
        (arrived_at, "arrived_at", _("到达时间")),
        (handed_over_at, "handed_over_at", _("移交时间")),
    ):
        if stamp is not None:
            _not_future(stamp, field, label)
    if not rules.in_order(called_at, dispatched_at):
        raise DomainError(ResponseError.OUT_OF_ORDER, _("出动时间不能早于接警时间。"), field="dispatched_at")
    if not rules.in_order(dispatched_at, arrived_at):
        raise DomainError(ResponseError.OUT_OF_ORDER, _("到达时间不能早于出动时间。"), field="arrived_at")
    if not rules.in_order(dispatched_at, arrived_at, handed_over_at):
        raise DomainError(
            ResponseError.OUT_OF_ORDER, _("移交时间不能早于出动和到达时间。"), field="handed_over_at"
        )
    people = [p for p in responders or [] if (p.get("name") or "").strip()]
    if not people:
        raise DomainError(
            ResponseError.RESPONDERS_REQUIRED, _("请至少填写一名出动人员。"), field="responders"
        )
    steps = [a for a in actions or [] if (a.get("text") or "").strip()]
    for step in steps:
        if step.get("at") is None or step["at"] < called_at:
            raise DomainError(
                ResponseError.OUT_OF_ORDER, _("处置措施的时间不能早于接警时间。"), field="actions"
            )
        _not_future(step["at"], "actions", _("处置措施的时间"))
    with transaction.atomic():
        incident = selectors.access_incident(actor, incident_pk, for_update=True)
        town = selectors.town_unit(incident)
        if town is None:
            raise DomainError(
                ResponseError.NO_TOWN, _("事件未落在乡镇（街道），没有先期处置。"), field="__all__"
            )
        if not acts_for(actor, town, FIRST_RESPONSE):
            raise PermissionDenied(_("只有事发地乡镇（街道）可以记录先期处置。"))
        first = FirstResponse.objects.filter(incident=incident).first() or FirstResponse(
            incident=incident, town=town
        )
        first.called_at = called_at
        first.dispatched_at = dispatched_at
        first.arrived_at = arrived_at
        first.handed_over_at = handed_over_at
        first.recorded_by = actor
        save_with_history(first, actor, "")
        first.responders.all().delete()
        first.actions.all().delete()
        for person in people:
            row = FirstResponder(
                first_response=first,
                name=person["name"].strip(),
                post=(person.get("post") or "").strip(),
                phone=(person.get("phone") or "").strip(),
            )
            save_with_history(row, actor, "")
        for step in steps:
            row = FirstResponseAction(first_response=first, at=step["at"], text=step["text"].strip()[:300])
            save_with_history(row, actor, "")
    return first


# ---------------------------------------------------------------- 信息发布 (public releases)


def _issuing(actor, release: PublicRelease) -> None:
    if not acts_for(actor, release.issuer, MANAGE):
        raise PermissionDenied(_("只有发布单位可以办理此事项。"))


def _reviewers(incident: Incident, reviewer_pks: list) -> list[Unit]:
    pks = [int(pk) for pk in reviewer_pks or []]
    if not pks:
        raise DomainError(
            ResponseError.REVIEWERS_REQUIRED,
            _("请至少指定一个审核单位（如两办、宣传部）。"),
            field="reviewers",
        )
    found = {u.pk: u for u in selectors.reviewer_choices(incident).filter(pk__in=pks)}
    if len(found) != len(set(pks)):
        raise DomainError(ResponseError.UNIT_INVALID, _("审核单位须为本县启用的单位。"), field="reviewers")
    ordered, seen = [], set()
    for pk in pks:
        if pk not in seen:
            seen.add(pk)
            ordered.append(found[pk])
    return ordered


def _set_reviewers(release: PublicRelease, units: list[Unit], actor) -> None:
    release.reviews.all().delete()
    for order, unit in enumerate(units, start=1):
        save_with_history(ReleaseReview(release=release, unit=unit, order=order), actor, "")


def draft_release(
    *, actor, incident_pk: int, title: str, text: str, reviewer_pks: list, supersedes_pk: int | None = None
) -> PublicRelease:
    """Draft a release for the county 安委办, naming the reviewer units in order (突发事件应对法 第七条: 统一、
    准确、及时发布). With `supersedes_pk`, the draft corrects that published release."""
    title = _required(title, ResponseError.TEXT_REQUIRED, _("请填写标题。"), "title")
    text = _required(text, ResponseError.TEXT_REQUIRED, _("请填写正文。"), "text")
    with transaction.atomic():
        incident = selectors.access_incident(actor, incident_pk, for_update=True)
        _commander(actor, incident)
        units = _reviewers(incident, reviewer_pks)
        old = None
        if supersedes_pk is not None:
            old = selectors.access_release(actor, supersedes_pk, for_update=True)
            if old.incident_id != incident.pk or old.status != PublicRelease.Status.PUBLISHED:
                raise DomainError(ResponseError.NOT_PUBLISHED, _("只能更正已发布的信息。"), field="__all__")
            if PublicRelease.objects.filter(supersedes=old).exists():
                raise DomainError(ResponseError.ALREADY_CORRECTED, _("该发布已有更正稿。"), field="__all__")
        release = PublicRelease(
            incident=incident,
            issuer=selectors.command_unit(incident),
            title=title,
            text=text,
            drafted_by=actor,
            supersedes=old,
        )
        save_with_history(release, actor, "起草")
        _set_reviewers(release, units, actor)
    return release


def update_release(*, actor, release_pk: int, title: str, text: str, reviewer_pks: list) -> PublicRelease:
    title = _required(title, ResponseError.TEXT_REQUIRED, _("请填写标题。"), "title")
    text = _required(text, ResponseError.TEXT_REQUIRED, _("请填写正文。"), "text")
    with transaction.atomic():
        release = selectors.access_release(actor, release_pk, for_update=True)
        _issuing(actor, release)
        if release.status not in (PublicRelease.Status.DRAFT, PublicRelease.Status.RETURNED):
            raise DomainError(
                ResponseError.RELEASE_LOCKED, _("只有起草中或被退回的稿件可以修改。"), field="__all__"
            )
        units = _reviewers(release.incident, reviewer_pks)
        release.title, release.text = title, text
        save_with_history(release, actor, "修改")
        _set_reviewers(release, units, actor)
    return release


def submit_release(*, actor, release_pk: int) -> PublicRelease:
    """Send the draft (or the returned one, revised) to the reviewers, all of them again from the first."""
    with transaction.atomic():
        release = selectors.access_release(actor, release_pk, for_update=True)
        _issuing(actor, release)
        if release.status not in (PublicRelease.Status.DRAFT, PublicRelease.Status.RETURNED):
            raise DomainError(
                ResponseError.RELEASE_LOCKED, _("只有起草中或被退回的稿件可以送审。"), field="__all__"
            )
        for review in release.reviews.all():
            review.decision, review.comment = ReleaseReview.Decision.PENDING, ""
            review.decided_by, review.decided_at = None, None
            save_with_history(review, actor, "送审")
        release.status = PublicRelease.Status.IN_REVIEW
        save_with_history(release, actor, "送审")
        first = selectors.current_review(release)
        _tell_reviewer(first)
    return release


def _tell_reviewer(review: ReleaseReview | None) -> None:
    if review is None:
        return
    users = list(members(review.unit).values_list("pk", flat=True))
    url = reverse("emergency:response-review", args=[review.pk])
    title = _("信息发布待审核：%(title)s") % {"title": review.release.title}
    transaction.on_commit(
        lambda: notify(
            users, kind=RELEASE_NOTICE, title=title, url=url, dedupe_key=f"release_review:{review.pk}"
        )
    )


def review_release(*, actor, review_pk: int, approve: bool, comment: str = "") -> ReleaseReview:
    """The current reviewer unit approves or returns with a comment; the drafter never approves."""
    with transaction.atomic():
        review = selectors.access_review(actor, review_pk, for_update=True)
        release = PublicRelease.objects.select_for_update().get(pk=review.release_id)
        if not is_member(actor, review.unit):
            raise PermissionDenied(_("只有指定的审核单位可以审核。"))
        if release.status != PublicRelease.Status.IN_REVIEW:
            raise DomainError(ResponseError.RELEASE_NOT_IN_REVIEW, _("该稿件不在审核中。"), field="__all__")
        current = selectors.current_review(release)
        if current is None or current.pk != review.pk:
            raise DomainError(
                ResponseError.REVIEW_NOT_CURRENT, _("请等待前一审核单位审核后再审核。"), field="__all__"
            )
        if release.drafted_by_id == actor.pk:
            raise DomainError(
                ResponseError.SELF_APPROVAL, _("起草人不能审核自己起草的稿件。"), field="__all__"
            )
        comment = (comment or "").strip()
        if not approve and not comment:
            raise DomainError(ResponseError.COMMENT_REQUIRED, _("退回时请填写修改意见。"), field="comment")
        review.decision = ReleaseReview.Decision.APPROVED if approve else ReleaseReview.Decision.RETURNED
        review.comment, review.decided_by, review.decided_at = comment, actor, _now()
        save_with_history(review, actor, "")
        if not approve:
            release.status = PublicRelease.Status.RETURNED
            save_with_history(release, actor, "退回")
        else:
            following = selectors.current_review(release)
            if following is None:
                release.status = PublicRelease.Status.APPROVED
                save_with_history(release, actor, "审核通过")
            else:
                _tell_reviewer(following)
    return review


def publish_release(*, actor, release_pk: int) -> PublicRelease:
    """Publish once every reviewer approved: the published text is frozen; a correction supersedes the old."""
    with transaction.atomic():
        release = selectors.access_release(actor, release_pk, for_update=True)
        _issuing(actor, release)
        approved_all = not release.reviews.exclude(decision=ReleaseReview.Decision.APPROVED).exists()
        if release.status != PublicRelease.Status.APPROVED or not approved_all:
            raise DomainError(
                ResponseError.NOT_APPROVED, _("须经全部审核单位同意后方可发布。"), field="__all__"
            )
        release.status = PublicRelease.Status.PUBLISHED
        release.published_at, release.published_by = _now(), actor
        release.published_title, release.published_text = release.title, release.text
        save_with_history(release, actor, "发布")
        if release.supersedes_id:
            old = PublicRelease.objects.select_for_update().get(pk=release.supersedes_id)
            old.status = PublicRelease.Status.SUPERSEDED
            save_with_history(old, actor, "被更正")
    return release
