"""Scoped reads of duty: who is on duty now (one query for any number of offices), rosters, the duty log,
the offices with no roster for a day and the incidents whose 续报 fell short."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anlan.core.models import Enterprise, Unit
from anlan.core.selectors import access

from .. import rules
from ..models import DutyCategory, DutyLogEntry, DutyRoster, DutyShift, DutySwap, Incident
from . import enterprise_categories

CHUNK = 1000


def _covering(at: datetime) -> QuerySet:
    """Published shifts covering `at`. A shift lasts at most rules.MAX_SHIFT_HOURS, so it started within that
    many hours before `at`: the index on (published, starts_at) reads about a day of shifts, not the month's."""
    earliest = at - timedelta(hours=rules.MAX_SHIFT_HOURS)
    return DutyShift.objects.filter(published=True, starts_at__gt=earliest, starts_at__lte=at, ends_at__gt=at)


@dataclass(frozen=True)
class OnDuty:
    """A shift on now, as the pages and the header show it (names, not user objects: 1,500 offices at once)."""

    pk: int
    unit_id: int
    starts_at: datetime
    ends_at: datetime
    officer_id: int
    officer: str
    officer_phone: str
    leader_id: int
    leader: str
    leader_phone: str


def _ids(unit_ids):
    """A QuerySet of ids stays a subquery (a board of 1,500 offices: no 1,500 parameters to prepare)."""
    return unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids)


def on_duty(unit_ids, at: datetime) -> dict[int, list[OnDuty]]:
    """The published shifts covering `at` of each office (ids, or a QuerySet of them), as one query (an
    office may have an overlap at handover: both shifts are listed, the earlier first)."""
    found: dict[int, list[OnDuty]] = defaultdict(list)
    rows = (
        _covering(at)
        .filter(unit_id__in=_ids(unit_ids))
        .order_by("unit_id", "starts_at")
        .values_list(
            "pk",
            "unit_id",
            "starts_at",
            "ends_at",
            "officer_id",
            "officer__real_name",
            "officer__username",
            "officer_phone",
            "leader_id",
            "leader__real_name",
            "leader__username",
            "leader_phone",
        )
    )
    for pk, unit, start, end, oid, oname, ouser, ophone, lid, lname, luser, lphone in rows:
        found[unit].append(
            OnDuty(pk, unit, start, end, oid, oname or ouser, ophone, lid, lname or luser, lphone)
        )
    return dict(found)


def on_duty_people(unit_ids, at: datetime) -> list[int]:
    """The user ids of the duty officers and 带班领导 on duty at `at` in these offices."""
    pairs = _covering(at).filter(unit_id__in=_ids(unit_ids)).values_list("officer_id", "leader_id")
    return sorted({pk for pair in pairs for pk in pair})


def _office_ids(region):
    return Unit.objects.filter(
        region_id=region, kind__in=[Unit.Kind.COMMITTEE_OFFICE, Unit.Kind.TOWN], is_active=True
    ).values_list("pk", flat=True)


def duty_shift_group(*, region=None, post: str = "officer", **context) -> QuerySet:
    """Recipient groups `duty_officer_on_shift` and `duty_leader_on_shift`: only the duty officers (值班员), or
    only the 带班领导, on duty now at the 安委办 of the region or the town office there — who a warning left
    unconfirmed escalates to, first the one, then the other."""
    from django.contrib.auth import get_user_model

    column = "leader_id" if post == "leader" else "officer_id"
    ids = (
        _covering(timezone.now()).filter(unit_id__in=list(_office_ids(region))).values_list(column, flat=True)
    )
    return get_user_model().objects.filter(pk__in=[pk for pk in ids if pk])


def duty_leaders_group(*, region=None, **context) -> QuerySet:
    return duty_shift_group(region=region, post="leader")


def duty_officers_group(*, region=None, **context) -> QuerySet:
    """Recipient group `duty_officers` (core.recipients.duty_office): who is on duty now at the 安委办 of the
    region or the town office there."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=on_duty_people(_office_ids(region), timezone.now()))


@dataclass
class OfficeNow:
    unit: Unit
    shifts: list[OnDuty]
    phone: str


def now_board(user, at: datetime, *, query: str = "") -> list[OfficeNow]:
    """Every office in the user's scope that keeps a roster this month, with the shift(s) on now."""
    month = rules.month_start(timezone.localtime(at).date())
    rosters = DutyRoster.objects.for_user(user).filter(month=month, status=DutyRoster.Status.PUBLISHED)
    if query:
        rosters = rosters.filter(unit__name__icontains=query)
    shifts = on_duty(rosters.values("unit_id"), at)
    rosters = list(rosters.select_related("unit").order_by("unit__kind", "unit__name"))
    return [OfficeNow(r.unit, shifts.get(r.unit_id, []), r.phone) for r in rosters]


def my_duty_offices(user) -> list[int]:
    """The offices where the user is on a published roster this month or next (the header widget's offices)."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(rules.month_start(today), time(0)))
    end = timezone.make_aware(datetime.combine(rules.add_months(rules.month_start(today), 2), time(0)))
    return sorted(
        set(
            DutyShift.objects.filter(
                Q(officer=user) | Q(leader=user), published=True, starts_at__gte=start, starts_at__lt=end
            )
            .values_list("unit_id", flat=True)
            .distinct()
        )
    )


def header_widget(user) -> list[OfficeNow]:
    """For duty staff: who is on duty now in their offices (empty for everyone else)."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = my_duty_offices(user)
    if not ids:
        return []
    now = timezone.now()
    shifts = on_duty(ids, now)
    unit_rows = Unit.objects.filter(pk__in=ids).order_by("name")
    return [OfficeNow(u, shifts.get(u.pk, []), u.phone) for u in unit_rows]


def roster_list(user) -> QuerySet:
    return DutyRoster.objects.for_user(user).select_related("unit").annotate(shift_count=Count("shifts"))


def access_roster(user, pk, *, for_update: bool = False) -> DutyRoster:
    return access(DutyRoster.objects.select_related("unit"), user, pk, for_update=for_update)


def access_shift(user, pk) -> DutyShift:
    return access(DutyShift.objects.select_related("roster", "unit", "officer", "leader"), user, pk)


def access_swap(user, pk) -> DutySwap:
    return access(DutySwap.objects.select_related("shift", "unit"), user, pk)


def roster_shifts(roster: DutyRoster) -> list[DutyShift]:
    return list(roster.shifts.select_related("officer", "leader").order_by("starts_at"))


def previous_shift(shift: DutyShift) -> DutyShift | None:
    """The shift handing over to this one (the handover note it carries)."""
    return (
        DutyShift.objects.filter(unit_id=shift.unit_id, published=True, starts_at__lt=shift.starts_at)
        .order_by("-starts_at")
        .first()
    )


def pending_swaps(roster: DutyRoster) -> list[DutySwap]:
    return list(
        DutySwap.objects.filter(shift__roster=roster, status=DutySwap.Status.REQUESTED).select_related(
            "shift", "requested_by", "replacement"
        )
    )


def member_units(user) -> QuerySet:
    """The existing units the user acts for (core.units.units_of)."""
    from anlan.core.units import units_of

    return units_of(user)


def oversees(user, unit: Unit) -> bool:
    """Whether the user works at the 安委办 of a region containing the unit's, or at the town office of the
    town containing it (the office above, which may draw up and correct its roster)."""
    from anlan.core import trees
    from anlan.core.scope import memberships_of

    above = set(trees.ancestor_codes(unit.region_id))
    for m in memberships_of(user):
        if m.role == "committee_office" and m.region_id in above:
            return True
        if m.role == "town" and m.region_id in above and unit.kind != Unit.Kind.COMMITTEE_OFFICE:
            return True
    return False


def own_units(user) -> list[Unit]:
    """The units the user acts for, each made on first use (a new 安委办 or town has none until then)."""
    from anlan.core import units
    from anlan.core.models import Department, Enterprise, Region
    from anlan.core.scope import memberships_of

    found = []
    for m in memberships_of(user):
        if m.role == "committee_office" and m.region_id:
            found.append(units.committee_office_for(Region.objects.get(pk=m.region_id)))
        elif m.role == "town" and m.region_id:
            region = Region.objects.get(pk=m.region_id)
            if region.level == Region.Level.TOWN:
                found.append(units.unit_for(region))
        elif m.role == "department" and m.department_id:
            found.append(units.unit_for(Department.objects.get(pk=m.department_id)))
        elif m.role == "enterprise" and m.enterprise_id:
            found.append(units.unit_for(Enterprise.objects.get(pk=m.enterprise_id)))
    found.extend(
        Unit.objects.filter(kind__in=[Unit.Kind.PARK_COMMITTEE, Unit.Kind.OUTSIDE_BODY], people__user=user)
    )
    return [u for u in {u.pk: u for u in found}.values() if u.is_active]


def units_for_roster(user) -> QuerySet:
    """Offices the user may keep a roster for: their own, and the government duty offices below them (a
    county 安委办 may draw up a town's or a department's); enterprises keep their own. The towns' and
    departments' units below a 安委办 are made on first use, like every anchored unit."""
    from anlan.core import trees, units
    from anlan.core.models import Department, Region
    from anlan.core.scope import memberships_of

    for m in memberships_of(user):
        if m.role == "committee_office" and m.region_id:
            region = Region.objects.get(pk=m.region_id)
            towns = Region.objects.filter(trees.subtree_q("code", region), level=Region.Level.TOWN)
            for town in towns.exclude(code__in=Unit.objects.filter(kind=Unit.Kind.TOWN).values("region_id")):
                units.unit_for(town)
            departments = Department.objects.filter(trees.subtree_q("region_id", region), unit__isnull=True)
            for department in departments:
                units.unit_for(department)
    own = [u.pk for u in own_units(user)]
    in_scope = Unit.objects.for_user(user, "emergency.manage_duty").filter(is_active=True)
    below = [u.pk for u in in_scope.filter(kind__in=rules.DUTY_UNIT_KINDS) if oversees(user, u)]
    return in_scope.filter(pk__in=[*own, *below]).order_by("kind", "name")


def log_list(user) -> QuerySet:
    return DutyLogEntry.objects.for_user(user).select_related(
        "unit", "incident", "confirmed_by", "recorded_by"
    )


def access_entry(user, pk) -> DutyLogEntry:
    return access(
        DutyLogEntry.objects.select_related("unit", "incident", "confirmed_by", "recorded_by"), user, pk
    )


def unconfirmed_entries(user) -> QuerySet:
    """To-do: reports in the logs of the offices the user acts for that nobody has confirmed yet."""
    if not getattr(user, "is_authenticated", False):
        return DutyLogEntry.objects.none()
    mine = member_units(user).values("pk")
    return log_list(user).filter(unit_id__in=mine, confirmed_at__isnull=True)


def unconfirmed_todo_items(rows, limit):
    from django.urls import reverse

    from anlan.core.contract import TodoItem

    return [
        TodoItem(
            str(entry.summary)[:40],
            reverse("emergency:duty-log-detail", args=[entry.pk]),
            note=f"{entry.get_source_display()} · {timezone.localtime(entry.received_at):%m-%d %H:%M}",
        )
        for entry in rows[:limit]
    ]


# ---------------------------------------------------------------- the sweep's questions


def _covered_units(day: date) -> set[int]:
    start = timezone.make_aware(datetime.combine(day, time(0)))
    end = start + timedelta(days=1)
    return set(
        DutyShift.objects.filter(published=True, starts_at__lt=end, ends_at__gt=start)
        .values_list("unit_id", flat=True)
        .distinct()
    )


def duty_categories() -> frozenset[str]:
    """The enterprise categories that must keep an 应急值班, from the DutyCategory table (第十四条, as data)."""
    return frozenset(DutyCategory.objects.filter(required=True).values_list("category", flat=True))


def offices_without_roster(day: date, among: QuerySet | None = None) -> list[Unit]:
    """Government duty offices (rules.DUTY_UNIT_KINDS) and enterprises of the duty categories with no
    published shift on `day` (among the units of `among`, default all)."""
    covered = _covered_units(day)
    base = Unit.objects.all() if among is None else among
    found = list(
        base.filter(kind__in=rules.DUTY_UNIT_KINDS, is_active=True).exclude(pk__in=covered).order_by("pk")
    )
    enterprise_units = (
        base.filter(kind=Unit.Kind.ENTERPRISE, is_active=True)
        .exclude(pk__in=covered)
        .select_related("enterprise")
    )
    required = duty_categories()
    last = 0
    while required:
        chunk = list(enterprise_units.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].pk
        categories = enterprise_categories([u.enterprise_id for u in chunk])
        found.extend(
            u
            for u in chunk
            if rules.duty_required(
                unit_kind=u.kind,
                enterprise_category=categories.get(u.enterprise_id),
                duty_categories=required,
            )
        )
    return found


def follow_up_shortfalls(day: date) -> list[tuple[Incident, int, int]]:
    """(incident, 续报 required on `day`, received on `day`) for each accident incident open all that day whose
    grade sets a daily count (accidents.rules.follow_ups_per_day)."""
    from anlan.accidents.rules import follow_ups_per_day
    from anlan.accidents.selectors import follow_ups_received_on

    start = timezone.make_aware(datetime.combine(day, time(0)))
    earliest = start - timedelta(days=rules.FOLLOW_UP_DAYS)
    open_incidents = list(
        Incident.objects.filter(accident__isnull=False, reported_at__lt=start, occurred_at__gte=earliest)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start + timedelta(days=1)))
        .select_related("accident")
        .order_by("pk")
    )
    received = follow_ups_received_on([i.accident_id for i in open_incidents], day)
    result = []
    for incident in open_incidents:
        try:
            required = follow_ups_per_day(incident.accident.grade)
        except ValueError:
            continue
        result.append((incident, required, received.get(incident.accident_id, 0)))
    return result


def enterprise_of(unit: Unit) -> Enterprise | None:
    return unit.enterprise if unit.kind == Unit.Kind.ENTERPRISE else None
