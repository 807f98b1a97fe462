"""Use cases of 四级包保: the 安委办 pairs a leader with a town, an enterprise or a geohazard point, edits or
deactivates the pairing; the paired leader (or the office for them) records a visit, which moves the next due
day (rules.baobao_visit_due); the daily sweep flags each overdue due day once and tells the leader and the
office. Each checks scope, right and rules, saves with one history row (actor and reason) and notifies after
commit."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import audit, records, units
from anlan.core.audit import record_text
from anlan.core.errors import Code, DomainError
from anlan.core.permissions import require, require_right
from anlan.core.records import check_rule
from anlan.notifications.services import notify_after_commit

from .. import rules
from ..models import Assignment, Visit
from ..models.baobao import MANAGE_BAOBAO
from ..selectors import baobao as selectors

NOTICE = "governance.baobao"
OVERDUE_LOGGED = gettext_lazy("包保走访逾期提醒")
EDITABLE = ("leader_post", "level", "kind", "year", "started_on", "every_days", "note")


class ErrorCode(StrEnum):
    OFFICE_INVALID = "baobao_office_invalid"
    LEADER_INVALID = "baobao_leader_invalid"
    TARGET_INVALID = "baobao_target_invalid"
    LEVEL_INVALID = "baobao_level_invalid"
    TEXT_MISSING = "baobao_text_missing"
    INACTIVE = "baobao_inactive"
    ALREADY_INACTIVE = "baobao_already_inactive"


def _today() -> date:
    return timezone.localdate()


def _text(data: dict, key: str) -> str:
    return (data.get(key) or "").strip()


def _required(data: dict, key: str, label) -> str:
    value = _text(data, key)
    if not value:
        raise DomainError(ErrorCode.TEXT_MISSING, _("请填写%(label)s。") % {"label": label}, field=key)
    return value


def _url(assignment) -> str:
    return reverse("governance:baobao-detail", args=[assignment.pk])


def _tell(users, *, title: str, body: str, url: str, key: str) -> None:
    notify_after_commit(users, kind=NOTICE, title=title, body=body, url=url, dedupe_key=key)


def _office(actor, unit) -> object:
    if unit is None or not selectors.office_units(actor).filter(pk=unit.pk).exists():
        raise DomainError(ErrorCode.OFFICE_INVALID, _("维护单位须为您所在的安委办。"), field="owner_unit")
    return unit


def _leader(actor, user) -> object:
    if user is None or not selectors.leader_candidates(actor).filter(pk=user.pk).exists():
        raise DomainError(
            ErrorCode.LEADER_INVALID,
            _("包保领导须为本辖区在岗的领导或机关人员。"),
            field="leader",
        )
    return user


def _target(actor, data: dict) -> tuple[str, dict, str]:
    """(target type, the FK values, the target's region code), each target checked against the actor's scope."""
    target_type = data.get("target_type")
    candidates = {
        "town": selectors.town_targets,
        "enterprise": selectors.enterprise_targets,
        "point": selectors.point_targets,
    }
    if target_type not in candidates:
        raise DomainError(ErrorCode.TARGET_INVALID, _("请选择包保对象类型。"), field="target_type")
    target = data.get(target_type)
    if target is None or not candidates[target_type](actor).filter(pk=target.pk).exists():
        raise DomainError(ErrorCode.TARGET_INVALID, _("请选择您管辖范围内的包保对象。"), field=target_type)
    values = dict.fromkeys(candidates)
    values[target_type] = target
    return target_type, values, target.region_id


def _every_days(data: dict) -> int:
    level = data.get("level")
    if level not in rules.BAOBAO_VISIT_EVERY_DAYS:
        raise DomainError(ErrorCode.LEVEL_INVALID, _("请选择包保层级。"), field="level")
    every_days = data.get("every_days") or rules.baobao_default_every_days(level)
    check_rule(rules.check_baobao_every_days, every_days)
    return every_days


def may_manage(actor, assignment: Assignment) -> None:
    """Only the office keeping the list edits it (403 for those who only read it)."""
    require(actor, MANAGE_BAOBAO, assignment)
    if not (actor.is_superuser or units.is_member(actor, assignment.owner_unit)):
        raise PermissionDenied(_("只有维护包保名单的安委办可以修改包保关系。"))


def may_record(actor, assignment: Assignment) -> None:
    """Only the paired leader records their visit: the office that keeps the list and flags missed visits does
    not write visits in the leader's name (no acting for another party)."""
    if actor.is_superuser or actor.pk == assignment.leader_id:
        return
    raise PermissionDenied(_("只有包保领导本人可以登记走访。"))


# ---------------------------------------------------------------- the list


def create_assignment(*, actor, data: dict) -> Assignment:
    """确定包保关系: a leader paired with one target for a year; the next visit is due `every_days` after the
    start. The leader is told."""
    require_right(actor, MANAGE_BAOBAO)
    with transaction.atomic():
        office = _office(actor, data.get("owner_unit"))
        leader = _leader(actor, data.get("leader"))
        target_type, targets, region_id = _target(actor, data)
        kind = data.get("kind")
        duplicate = Assignment.objects.filter(
            leader=leader, kind=kind, is_active=True, **{target_type: targets[target_type]}
        )
        if duplicate.exists():
            raise DomainError(Code.DUPLICATE, _("该领导已包保此对象（同一类别）。"), field="leader")
        started_on = data.get("started_on") or _today()
        every_days = _every_days(data)
        assignment = Assignment(
            leader=leader,
            leader_post=_required(data, "leader_post", _("职务")),
            level=data.get("level"),
            kind=kind,
            target_type=target_type,
            year=data.get("year") or started_on.year,
            started_on=started_on,
            every_days=every_days,
            note=_text(data, "note"),
            owner_unit=office,
            region_id=region_id,
            due_on=rules.baobao_visit_due(None, started_on, every_days),
            created_by=actor,
            **targets,
        )
        records.validate(assignment)
        records.save_with_history(assignment, actor, record_text(gettext_lazy("确定包保关系")))
        records.ensure_in_scope(actor, MANAGE_BAOBAO, assignment, target_type)
        _tell(
            [leader],
            title=record_text(gettext_lazy("包保任务：%(target)s"), target=assignment.target_name),
            body=str(
                _("%(kind)s，请每 %(n)s 天至少走访一次，首次走访时限 %(d)s。")
                % {"kind": assignment.get_kind_display(), "n": every_days, "d": assignment.due_on}
            ),
            url=_url(assignment),
            key=f"baobao:{assignment.pk}:assigned",
        )
    return assignment


def update_assignment(*, actor, assignment_pk: int, data: dict) -> Assignment:
    """修改包保关系: post, level, kind, year, start and frequency (the leader and the target stay — another
    leader or target is another pairing); the due day is recomputed from the last visit."""
    with transaction.atomic():
        assignment = selectors.access_assignment(actor, assignment_pk, for_update=True)
        may_manage(actor, assignment)
        assignment.leader_post = _required(data, "leader_post", _("职务"))
        assignment.level = data.get("level")
        assignment.kind = data.get("kind")
        assignment.year = data.get("year") or assignment.year
        assignment.started_on = data.get("started_on") or assignment.started_on
        assignment.every_days = _every_days(data)
        assignment.note = _text(data, "note")
        assignment.due_on = rules.baobao_visit_due(
            assignment.last_visited_on, assignment.started_on, assignment.every_days
        )
        records.validate(assignment)
        records.save_with_history(assignment, actor, record_text(gettext_lazy("修改包保关系")))
    return assignment


def deactivate_assignment(*, actor, assignment_pk: int, reason: str) -> Assignment:
    """撤销包保关系 (a leader moved on, a point written off): kept with its visits, no longer due."""
    with transaction.atomic():
        assignment = selectors.access_assignment(actor, assignment_pk, for_update=True)
        may_manage(actor, assignment)
        if not assignment.is_active:
            raise DomainError(ErrorCode.ALREADY_INACTIVE, _("该包保关系已撤销。"), field="__all__")
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(ErrorCode.TEXT_MISSING, _("请填写撤销原因。"), field="reason")
        assignment.is_active = False
        records.save_with_history(
            assignment, actor, record_text(gettext_lazy("撤销包保关系：%(reason)s"), reason=reason)
        )
    return assignment


# ---------------------------------------------------------------- visits


def record_visit(*, actor, assignment_pk: int, data: dict) -> Visit:
    """登记走访: by the paired leader only; the next visit is due `every_days` after the latest
    visit. Findings are kept as text (a hazard found is registered on the hazards pages)."""
    with transaction.atomic():
        assignment = selectors.access_assignment(actor, assignment_pk, for_update=True)
        may_record(actor, assignment)
        if not assignment.is_active:
            raise DomainError(ErrorCode.INACTIVE, _("该包保关系已撤销，不能登记走访。"), field="__all__")
        visited_on = data.get("visited_on")
        if visited_on is None:
            raise DomainError(ErrorCode.TEXT_MISSING, _("请填写走访日期。"), field="visited_on")
        check_rule(rules.check_baobao_visit_on, visited_on, assignment.started_on, _today())
        visit = Visit(
            assignment=assignment,
            visited_on=visited_on,
            checked=_required(data, "checked", _("检查督导内容")),
            findings=_text(data, "findings"),
            problems_found=data.get("problems_found") or 0,
            recorded_by=actor,
        )
        records.validate(visit)
        records.save_with_history(visit, actor, record_text(gettext_lazy("登记包保走访")))
        last = max(filter(None, (assignment.last_visited_on, visited_on)))
        records.update_with_history(
            assignment,
            actor,
            record_text(gettext_lazy("走访后更新下次走访时限")),
            last_visited_on=last,
            due_on=rules.baobao_visit_due(last, assignment.started_on, assignment.every_days),
        )
    return visit


# ---------------------------------------------------------------- the sweep


def sweep_overdue(*, today: date, now=None, stdout=None) -> dict[str, int]:
    """Flag each assignment overdue on `today` once per due day: claimed with a conditional UPDATE on its id,
    due day and flag (safe with several workers and re-runs), one history row as the system actor, and a
    notification to the leader and the office (dedupe key per due day)."""
    unflagged = Q(overdue_flagged_for__isnull=True) | ~Q(overdue_flagged_for=F("due_on"))
    ids = list(
        Assignment.objects.filter(selectors.overdue_q(today))
        .filter(unflagged)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    flagged = 0
    for start in range(0, len(ids), 500):
        with transaction.atomic():
            actor = audit.system_actor()
            rows = Assignment.objects.filter(pk__in=ids[start : start + 500]).select_related(
                "leader", "owner_unit", "town", "enterprise", "point"
            )
            for assignment in rows:
                won = (
                    Assignment.objects.filter(pk=assignment.pk, due_on=assignment.due_on, is_active=True)
                    .filter(unflagged)
                    .update(overdue_flagged_for=assignment.due_on)
                )
                if not won:
                    continue
                flagged += 1
                records.update_with_history(
                    assignment, actor, record_text(OVERDUE_LOGGED), overdue_flagged_for=assignment.due_on
                )
                title = record_text(
                    gettext_lazy("包保走访逾期：%(leader)s · %(target)s"),
                    leader=assignment.leader_name,
                    target=assignment.target_name,
                )
                body = str(
                    _("走访时限 %(d)s 已过，已逾期 %(n)s 天。")
                    % {"d": assignment.due_on, "n": rules.baobao_days_overdue(assignment.due_on, today)}
                )
                key = f"baobao:{assignment.pk}:overdue:{assignment.due_on}"
                _tell([assignment.leader], title=title, body=body, url=_url(assignment), key=key)
                _tell(
                    units.members(assignment.owner_unit),
                    title=title,
                    body=body,
                    url=_url(assignment),
                    key=key,
                )
    if stdout is not None:
        stdout.write(f"governance baobao overdue: {flagged}\n")
    return {"flagged": flagged}
