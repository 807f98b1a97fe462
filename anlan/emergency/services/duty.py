"""值班值守: rosters (drafted, published a month at a time), shifts, swaps, handover, and the duty log (接报登记).

An accident's 初报 or a 较大涉险事故 lands in the logs of the county 安委办, the town where it happened and the
supervising departments at once, and the people on duty there now are told (`on_accident_reported`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import recipients, trees, units
from anlan.core.audit import record_text, system_actor
from anlan.core.errors import Code, DomainError
from anlan.core.models import Department, Membership, Role, Unit
from anlan.core.permissions import require
from anlan.core.records import save_with_history, validate
from anlan.core.selectors import access
from anlan.notifications.services import notify

from .. import rules
from ..models import DutyLogEntry, DutyRoster, DutyShift, DutySwap, Incident
from ..selectors import duty as selectors
from .incident import incident_for_accident

MANAGE = "emergency.manage_duty"
LOG = "emergency.keep_duty_log"
User = get_user_model()


def _require_manager(actor, unit: Unit) -> None:
    """Who draws up an office's roster: its own members, or the 安委办 or town office above it (403 else)."""
    if units.is_member(actor, unit) or selectors.oversees(actor, unit):
        return
    raise PermissionDenied(_("只有本单位或其上级安委办、乡镇可以编排值班表。"))


def _require_member(actor, unit: Unit) -> None:
    """The duty log is worked by the office's own members (403 else)."""
    if not units.is_member(actor, unit):
        raise PermissionDenied(_("只能处理本单位的值班日志。"))


def _refuse(field: str, message) -> DomainError:
    return DomainError(Code.INVALID, message, field=field)


def _aware(day: date, at: time = time(0)) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


# ---------------------------------------------------------------- rosters and shifts


@transaction.atomic
def create_roster(*, actor, unit_pk, month: date, phone: str) -> DutyRoster:
    """A draft roster of a duty office for a month (one per office and month)."""
    unit = access(Unit.objects.all(), actor, unit_pk)
    require(actor, MANAGE, unit)
    _require_manager(actor, unit)
    if not phone.strip():
        raise _refuse("phone", _("请填写值班电话。"))
    month = rules.month_start(month)
    if DutyRoster.objects.filter(unit=unit, month=month).exists():
        raise DomainError(Code.DUPLICATE, _("该单位该月的值班表已存在。"), field="month")
    roster = DutyRoster(unit=unit, month=month, phone=phone.strip())
    validate(roster)
    save_with_history(roster, actor, record_text(gettext_lazy("编制值班表")))
    return roster


def _may_lead(user, unit: Unit) -> bool:
    """带班领导: a member of the office, or a leader (领导) of the region the office is in or above it."""
    if units.is_member(user, unit):
        return True
    return Membership.objects.filter(
        user=user,
        is_active=True,
        role=Role.LEADER,
        region_id__in=[unit.region_id, *trees.ancestor_codes(unit.region_id)],
    ).exists()


@transaction.atomic
def add_shift(*, actor, roster_pk, data: dict) -> DutyShift:
    """One shift of the roster: starts and ends within reach of the month, at most 24 hours, not overlapping
    another shift of the roster; the officer acts for the office; the leader is not the officer."""
    roster = access(DutyRoster.objects.select_related("unit"), actor, roster_pk, for_update=True)
    require(actor, MANAGE, roster)
    _require_manager(actor, roster.unit)
    starts_at, ends_at = data["starts_at"], data["ends_at"]
    if ends_at <= starts_at:
        raise _refuse("ends_at", _("结束时间应晚于开始时间。"))
    if ends_at - starts_at > timedelta(hours=rules.MAX_SHIFT_HOURS):
        raise _refuse("ends_at", _("一个班次不超过24小时。"))
    if rules.month_start(timezone.localtime(starts_at).date()) != roster.month:
        raise _refuse("starts_at", _("班次开始时间应在值班表所属月份内。"))
    officer, leader = data["officer"], data["leader"]
    if not units.is_member(officer, roster.unit):
        raise _refuse("officer", _("值班员应为本单位人员。"))
    if leader == officer:
        raise _refuse("leader", _("带班领导不能与值班员为同一人。"))
    if not _may_lead(leader, roster.unit):
        raise _refuse("leader", _("带班领导应为本单位人员或本地区领导。"))
    spans = [(s, e) for s, e in roster.shifts.values_list("starts_at", "ends_at")]
    clash = rules.overlapping([*spans, (starts_at, ends_at)])
    if clash is not None:
        raise _refuse("starts_at", _("与已排班次时间重叠。"))
    for field in ("officer_phone", "leader_phone"):
        if not data.get(field, "").strip():
            raise _refuse(field, _("请填写联系电话，值班期间须保持24小时通讯畅通。"))
    shift = DutyShift(
        roster=roster,
        unit=roster.unit,
        published=roster.is_published,
        starts_at=starts_at,
        ends_at=ends_at,
        officer=officer,
        officer_phone=data["officer_phone"].strip(),
        leader=leader,
        leader_phone=data["leader_phone"].strip(),
    )
    validate(shift)
    save_with_history(shift, actor, record_text(gettext_lazy("排班")))
    return shift


@transaction.atomic
def fill_month(*, actor, roster_pk, data: dict) -> int:
    """排班: the month's remaining days in shifts of 24 or 12 hours from `start_time`, the officers and the
    leaders each taking turns in the order given; a slot overlapping a shift already there is left as it is.
    A person's phone is their account's, else the office's duty phone. Returns how many shifts were added."""
    roster = access(DutyRoster.objects.select_related("unit"), actor, roster_pk, for_update=True)
    require(actor, MANAGE, roster)
    _require_manager(actor, roster.unit)
    hours, officers, leaders = data["hours"], list(data["officers"]), list(data["leaders"])
    if hours not in (12, 24):
        raise _refuse("hours", _("班次时长应为24小时或12小时（白班/夜班）。"))
    if not officers or not leaders:
        raise _refuse("officers" if not officers else "leaders", _("请至少选择一名值班员和一名带班领导。"))
    for officer in officers:
        if not units.is_member(officer, roster.unit):
            raise _refuse("officers", _("%(name)s 不是本单位人员，不能担任值班员。") % {"name": officer})
    for leader in leaders:
        if not _may_lead(leader, roster.unit):
            raise _refuse("leaders", _("%(name)s 不是本单位人员或本地区领导。") % {"name": leader})
    if len(officers) == 1 and len(leaders) == 1 and officers[0] == leaders[0]:
        raise _refuse("leaders", _("带班领导不能与值班员为同一人。"))
    spans = list(roster.shifts.values_list("starts_at", "ends_at"))
    first_day = max(roster.month, timezone.localdate())
    if first_day >= rules.next_month(roster.month):
        raise _refuse("__all__", _("该月已过，没有可排的日期。"))
    day, added, turn = first_day, 0, 0
    while day < rules.next_month(roster.month):
        for slot in range(24 // hours):
            start = _aware(day, data["start_time"]) + timedelta(hours=hours * slot)
            end = start + timedelta(hours=hours)
            if rules.overlapping([*spans, (start, end)]) is not None:
                continue
            officer = officers[turn % len(officers)]
            leader = leaders[turn % len(leaders)]
            if leader == officer:  # the rotation met the same person: the next leader leads this shift
                leader = leaders[(turn + 1) % len(leaders)]
            shift = DutyShift(
                roster=roster,
                unit=roster.unit,
                published=roster.is_published,
                starts_at=start,
                ends_at=end,
                officer=officer,
                officer_phone=officer.phone or roster.phone,
                leader=leader,
                leader_phone=leader.phone or roster.phone,
            )
            save_with_history(shift, actor, record_text(gettext_lazy("按月排班")))
            spans.append((start, end))
            added += 1
            turn += 1
        day += timedelta(days=1)
    return added


@transaction.atomic
def remove_shift(*, actor, shift_pk, reason: str = "") -> None:
    """Take a shift off the roster: freely while drafted; once published only before it starts, with a reason."""
    shift = access(DutyShift.objects.select_related("roster", "unit"), actor, shift_pk, for_update=True)
    require(actor, MANAGE, shift)
    _require_manager(actor, shift.unit)
    if shift.roster.is_published:
        if shift.starts_at <= timezone.now():
            raise _refuse("__all__", _("已开始的班次不能删除。"))
        if not reason.strip():
            raise _refuse("reason", _("已发布的值班表删除班次须说明原因。"))
    shift._change_reason = reason or _("删除班次")
    shift.delete()


@transaction.atomic
def publish_roster(*, actor, roster_pk) -> DutyRoster:
    """Publish a month: its shifts become the office's duty staff; each person on it is told."""
    roster = access(DutyRoster.objects.select_related("unit"), actor, roster_pk, for_update=True)
    require(actor, MANAGE, roster)
    _require_manager(actor, roster.unit)
    if roster.is_published:
        raise DomainError(Code.ILLEGAL_TRANSITION, _("该值班表已发布。"), field="__all__")
    shifts = list(roster.shifts.all())
    if not shifts:
        raise _refuse("__all__", _("值班表中还没有班次，不能发布。"))
    roster.status = DutyRoster.Status.PUBLISHED
    roster.published_at = timezone.now()
    roster.published_by = actor
    save_with_history(roster, actor, record_text(gettext_lazy("发布值班表")))
    roster.shifts.update(published=True)
    people = {s.officer_id for s in shifts} | {s.leader_id for s in shifts}
    notify(
        people,
        kind="emergency.duty_published",
        title=record_text(
            gettext_lazy("%(unit)s %(month)s 值班表已发布"),
            unit=roster.unit.name,
            month=f"{roster.month:%Y-%m}",
        ),
        url=reverse("emergency:duty-roster-detail", args=[roster.pk]),
        dedupe_key=f"duty-published:{roster.pk}",
    )
    return roster


@transaction.atomic
def hand_over(*, actor, shift_pk, note: str) -> DutyShift:
    """交接班: the officer of the shift leaves the note the next shift reads."""
    shift = access(DutyShift.objects.all(), actor, shift_pk, for_update=True)
    if actor.pk != shift.officer_id:
        raise DomainError(Code.INVALID, _("只有本班值班员可以填写交接班记录。"), field="note")
    if not note.strip():
        raise _refuse("note", _("请填写交接班记录。"))
    if shift.starts_at > timezone.now():
        raise _refuse("note", _("班次尚未开始。"))
    shift.handover_note = note.strip()
    shift.handed_over_at = timezone.now()
    save_with_history(shift, actor, record_text(gettext_lazy("交接班")))
    return shift


# ---------------------------------------------------------------- swaps


@transaction.atomic
def request_swap(*, actor, shift_pk, data: dict) -> DutySwap:
    """The officer or leader of a shift that has not started asks for a replacement."""
    shift = access(DutyShift.objects.select_related("roster", "unit"), actor, shift_pk, for_update=True)
    post = data["post"]
    holder = shift.officer_id if post == DutySwap.Post.OFFICER else shift.leader_id
    if actor.pk != holder:
        raise _refuse("post", _("只能为自己的班次申请换班。"))
    if shift.starts_at <= timezone.now():
        raise _refuse("__all__", _("已开始的班次不能换班。"))
    replacement = data["replacement"]
    if replacement.pk in (shift.officer_id, shift.leader_id):
        raise _refuse("replacement", _("替班人不能是本班次的值班员或带班领导。"))
    allowed = (
        units.is_member(replacement, shift.unit)
        if post == DutySwap.Post.OFFICER
        else _may_lead(replacement, shift.unit)
    )
    if not allowed:
        raise _refuse("replacement", _("替班人应为本单位人员（带班领导可为本地区领导）。"))
    if DutySwap.objects.filter(shift=shift, status=DutySwap.Status.REQUESTED).exists():
        raise DomainError(Code.DUPLICATE, _("该班次已有待审批的换班申请。"), field="__all__")
    if not data.get("replacement_phone", "").strip():
        raise _refuse("replacement_phone", _("请填写替班人电话。"))
    swap = DutySwap(
        shift=shift,
        unit=shift.unit,
        post=post,
        requested_by=actor,
        replacement=replacement,
        replacement_phone=data["replacement_phone"].strip(),
        reason=data["reason"],
    )
    validate(swap)
    save_with_history(swap, actor, record_text(gettext_lazy("申请换班")))
    return swap


@transaction.atomic
def decide_swap(*, actor, swap_pk, approve: bool) -> DutySwap:
    """Another manager of the office approves or refuses; approval puts the replacement on the shift."""
    swap = access(DutySwap.objects.select_related("shift", "unit"), actor, swap_pk, for_update=True)
    require(actor, MANAGE, swap)
    _require_manager(actor, swap.unit)
    if swap.status != DutySwap.Status.REQUESTED:
        raise DomainError(Code.ILLEGAL_TRANSITION, _("该换班申请已处理。"), field="__all__")
    if actor.pk in (swap.requested_by_id, swap.replacement_id):
        raise DomainError(Code.INVALID, _("换班申请须由其他人审批。"), field="__all__")
    swap.status = DutySwap.Status.APPROVED if approve else DutySwap.Status.REFUSED
    swap.decided_by = actor
    swap.decided_at = timezone.now()
    save_with_history(swap, actor, record_text(gettext_lazy("审批换班")))
    if approve:
        shift = DutyShift.objects.select_for_update().get(pk=swap.shift_id)
        if shift.starts_at <= timezone.now():
            raise _refuse("__all__", _("班次已开始，不能再换班。"))
        if swap.post == DutySwap.Post.OFFICER:
            shift.officer, shift.officer_phone = swap.replacement, swap.replacement_phone
        else:
            shift.leader, shift.leader_phone = swap.replacement, swap.replacement_phone
        save_with_history(shift, actor, record_text(gettext_lazy("换班")))
    notify(
        [swap.requested_by_id, swap.replacement_id],
        kind="emergency.duty_swap",
        title=_("换班申请已同意") if approve else _("换班申请未同意"),
        url=reverse("emergency:duty-roster-detail", args=[swap.shift.roster_id]),
        dedupe_key=f"duty-swap:{swap.pk}",
    )
    return swap


# ---------------------------------------------------------------- the duty log


@transaction.atomic
def record_call(*, actor, unit_pk, data: dict) -> DutyLogEntry:
    """A report taken in by the duty officer (a phone call, a tip-off, a warning received)."""
    unit = access(Unit.objects.all(), actor, unit_pk)
    require(actor, LOG, unit)
    _require_member(actor, unit)
    if data["received_at"] > timezone.now() + timedelta(minutes=5):
        raise _refuse("received_at", _("接报时间不能晚于当前时间。"))
    entry = DutyLogEntry(
        unit=unit,
        received_at=data["received_at"],
        source=data["source"],
        summary=data["summary"],
        caller=data.get("caller", ""),
        caller_phone=data.get("caller_phone", ""),
        recorded_by=actor,
    )
    validate(entry)
    save_with_history(entry, actor, record_text(gettext_lazy("值班接报登记")))
    return entry


@transaction.atomic
def pass_on(*, actor, entry_pk, passed_to: str) -> DutyLogEntry:
    """Record to whom the report was passed (转报/交办) and when."""
    entry = access(DutyLogEntry.objects.select_related("unit"), actor, entry_pk, for_update=True)
    require(actor, LOG, entry)
    _require_member(actor, entry.unit)
    if not passed_to.strip():
        raise _refuse("passed_to", _("请填写转报/交办对象。"))
    entry.passed_to = passed_to.strip()
    entry.passed_at = timezone.now()
    save_with_history(entry, actor, record_text(gettext_lazy("转报")))
    return entry


@transaction.atomic
def confirm_entry(*, actor, entry_pk) -> DutyLogEntry:
    """The office's duty staff confirm they have taken the report in (接报确认), once."""
    entry = access(DutyLogEntry.objects.select_related("unit"), actor, entry_pk, for_update=True)
    require(actor, LOG, entry)
    _require_member(actor, entry.unit)
    if entry.is_confirmed:
        raise DomainError(Code.ILLEGAL_TRANSITION, _("该记录已确认。"), field="__all__")
    entry.confirmed_by = actor
    entry.confirmed_at = timezone.now()
    save_with_history(entry, actor, record_text(gettext_lazy("接报确认")))
    return entry


# ---------------------------------------------------------------- reports arriving from the accidents module


def receiving_units(region_code: str, industry_id: int | None) -> list[Unit]:
    """Where an event at `region_code` is reported: the county 安委办, the town it happened in, and the
    departments supervising its industry there (三管三必须)."""
    found: list[Unit] = []
    county = trees.region_at_level(region_code, trees.COUNTY)
    if county is not None:
        found.append(units.committee_office_for(county))
    town = trees.region_at_level(region_code, trees.TOWN)
    if town is not None:
        found.append(units.unit_for(town))
    for department in recipients.supervising_departments(region_code, industry_id):
        found.append(units.unit_for(department))
    return list({u.pk: u for u in found}.values())


def log_incident(
    incident: Incident, *, source: str, summary: str, caller: str = "", caller_phone: str = ""
) -> list[DutyLogEntry]:
    """One log entry per receiving office (idempotent); whoever is on duty at the town now is told (the county
    安委办 and the departments already have the accidents module's message, sent to their duty officers)."""
    actor = system_actor()
    entries = []
    for unit in receiving_units(incident.region_id, incident.industry_id):
        key = f"incident:{incident.pk}"
        entry = DutyLogEntry.objects.filter(unit=unit, key=key).first()
        if entry is None:
            entry = DutyLogEntry(
                unit=unit,
                received_at=incident.reported_at,
                source=source,
                summary=summary,
                caller=caller,
                caller_phone=caller_phone,
                incident=incident,
                key=key,
            )
            try:
                with transaction.atomic():
                    save_with_history(entry, actor, record_text(gettext_lazy("系统接报")))
            except (IntegrityError, DomainError):  # a concurrent worker logged it first
                entry = DutyLogEntry.objects.get(unit=unit, key=key)
        entries.append(entry)
        if unit.kind != Unit.Kind.TOWN:
            continue  # the accidents module's own message already reached the county and the departments' duty
        tell_on_duty(
            unit,
            title=record_text(gettext_lazy("【接报】%(title)s"), title=incident.title),
            body=summary,
            url=reverse("emergency:duty-log-detail", args=[entry.pk]),
            dedupe_key=f"duty-log:{entry.pk}",
        )
    return entries


def tell_on_duty(unit: Unit, *, title, body: str = "", url: str = "", dedupe_key: str = "") -> int:
    """Notify the duty officer and 带班领导 on duty now at `unit`; with nobody on a published roster now, the
    office's members (the report must reach someone)."""
    people = selectors.on_duty_people([unit.pk], timezone.now())
    if not people:
        people = list(units.members(unit).values_list("pk", flat=True))
    return notify(people, kind="emergency.duty_log", title=title, body=body, url=url, dedupe_key=dedupe_key)


def on_accident_reported(accident, **payload) -> None:
    """Event handler of `accidents.reported` (the 初报)."""
    incident = incident_for_accident(accident)
    who = f"{accident.enterprise.name if accident.enterprise_id else ''}"
    summary = _("%(time)s %(place)s发生%(title)s。%(description)s") % {
        "time": f"{timezone.localtime(accident.occurred_at):%Y-%m-%d %H:%M}",
        "place": accident.place,
        "title": accident.title,
        "description": accident.description,
    }
    log_incident(incident, source=DutyLogEntry.Source.ACCIDENT, summary=summary, caller=who)


def on_near_miss_reported(incident, **payload) -> None:
    """Event handler of `accidents.near_miss_reported` (its payload `incident` is the accidents module's
    NearMissIncident)."""
    from .incident import incident_for_near_miss

    ours = incident_for_near_miss(incident)
    log_incident(ours, source=DutyLogEntry.Source.NEAR_MISS, summary=ours.summary or ours.title)


# ---------------------------------------------------------------- the sweep


def sweep(*, today: date, now: datetime, stdout=None) -> dict[str, int]:
    """Flag (1) required offices with no published shift for tomorrow to the county 安委办, once per office and
    day; (2) open accident incidents whose 续报 of yesterday fell short, in the county duty log and to the
    people on duty, once per incident and day. Idempotent; several workers may run it at once."""
    counts = {"rosters_missing": 0, "follow_ups_missing": 0}
    tomorrow = today + timedelta(days=1)
    # One message per receiving office and day, naming how many offices below it have nobody on duty.
    gaps: dict[tuple, list[Unit]] = {}
    for unit in selectors.offices_without_roster(tomorrow):
        if unit.kind == Unit.Kind.ENTERPRISE:
            for department in recipients.supervising_departments(unit.region_id, unit.enterprise.industry_id):
                gaps.setdefault(("department", department.pk), []).append(unit)
        else:
            county = trees.region_at_level(unit.region_id, trees.COUNTY)
            if county is not None:
                gaps.setdefault(("county", county.code), []).append(unit)
    for (kind, key), missing in gaps.items():
        if kind == "county":
            above = units.committee_office_for(trees.region_at_level(key, trees.COUNTY))
        else:
            above = units.unit_for(Department.objects.get(pk=key))
        names = "、".join(u.name for u in missing[:10]) + ("等" if len(missing) > 10 else "")
        counts["rosters_missing"] += notify(
            units.members(above),
            kind="emergency.duty_roster_missing",
            title=record_text(
                gettext_lazy("%(count)s 个应值守单位明日（%(day)s）无值班安排"),
                count=len(missing),
                day=tomorrow.isoformat(),
            ),
            body=names,
            url=reverse("emergency:duty-gaps") + f"?day={tomorrow.isoformat()}",
            dedupe_key=f"duty-roster-missing:{above.pk}:{tomorrow.isoformat()}",
        )
    yesterday = today - timedelta(days=1)
    for incident, required, received in selectors.follow_up_shortfalls(yesterday):
        missing = rules.follow_ups_missing(required=required, received=received)
        if not missing:
            continue
        county = trees.region_at_level(incident.region_id, trees.COUNTY)
        if county is None:
            continue
        office = units.committee_office_for(county)
        key = f"follow_up:{incident.pk}:{yesterday.isoformat()}"
        summary = _("%(day)s 应续报 %(required)s 次，实收 %(received)s 次，缺 %(missing)s 次。") % {
            "day": yesterday.isoformat(),
            "required": required,
            "received": received,
            "missing": missing,
        }
        try:
            with transaction.atomic():
                entry, created = DutyLogEntry.objects.get_or_create(
                    unit=office,
                    key=key,
                    defaults={
                        "received_at": now,
                        "source": DutyLogEntry.Source.FOLLOW_UP,
                        "summary": f"{incident.title}：{summary}",
                        "incident": incident,
                    },
                )
        except IntegrityError:
            entry, created = DutyLogEntry.objects.get(unit=office, key=key), False
        if created:
            counts["follow_ups_missing"] += 1
        tell_on_duty(
            office,
            title=record_text(gettext_lazy("【续报缺报】%(title)s"), title=incident.title),
            body=summary,
            url=reverse("emergency:duty-log-detail", args=[entry.pk]),
            dedupe_key=f"duty-log:{entry.pk}",
        )
    if stdout is not None:
        stdout.write(f"duty: {counts}\n")
    return counts
