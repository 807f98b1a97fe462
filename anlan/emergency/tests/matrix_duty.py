"""Permission-matrix rows of duty (see tests/matrix.py).

The records sit at town A's duty office: the county 安委办 and the leader see them, town B, the departments,
enterprise X, the grid worker and the expert do not (404). Managing a roster takes the right and the scope
(the county 安委办 may draw up a town's); the log is worked by the office's own members only.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from tests.matrix import Route, api, page

OUT = {"town_b": 404, "enterprise_x": 404, "grid_worker": 404, "expert": 404}
# The county's departments see the towns' rosters and logs (whom to call), but neither draw them up nor work them.
DEPTS_403 = {"dept_housing": 403, "dept_transport": 403}


def _town_unit(c):
    from anlan.core import units

    return units.unit_for(c.town_a)


def _roster(c, *, published=False):
    from anlan.emergency.models import DutyRoster

    return DutyRoster.objects.create(
        unit=_town_unit(c),
        month=timezone.localdate().replace(day=1),
        phone="0550-1234567",
        status=DutyRoster.Status.PUBLISHED if published else DutyRoster.Status.DRAFT,
    )


def _shift(c, *, starts_in=timedelta(days=2), published=False):
    from anlan.emergency.models import DutyShift

    roster = _roster(c, published=published)
    start = timezone.now() + starts_in
    return DutyShift.objects.create(
        roster=roster,
        unit=roster.unit,
        published=published,
        starts_at=start,
        ends_at=start + timedelta(hours=12),
        officer=c["town_a"],
        officer_phone="13900000001",
        leader=c["leader"],
        leader_phone="13900000002",
    )


def roster(c):
    return {"pk": _roster(c).pk}


def roster_with_shift(c):
    return {"pk": _shift(c).roster_id}


def future_shift(c):
    return {"pk": _shift(c, published=True).pk}


def current_shift(c):
    return {"pk": _shift(c, starts_in=-timedelta(hours=1), published=True).pk}


def _second_town_a_user(c):
    from anlan.core.models import Membership, Role, User

    user, _created = User.objects.get_or_create(username="town_a_2", defaults={"real_name": "镇值班员乙"})
    Membership.objects.get_or_create(user=user, role=Role.TOWN, region=c.town_a)
    return user


def swap_data(c):
    return {
        "post": "officer",
        "replacement": _second_town_a_user(c).pk,
        "replacement_phone": "13900000003",
        "reason": "出差",
    }


def swap(c):
    from anlan.emergency.services import duty

    shift = _shift(c, published=True)
    data = {**swap_data(c), "replacement": _second_town_a_user(c)}
    made = duty.request_swap(actor=c["town_a"], shift_pk=shift.pk, data=data)
    return {"pk": made.pk}


def shift_data(c):
    month = timezone.localdate().replace(day=1)
    start = timezone.make_aware(datetime.combine(month, time(8, 30)))
    return {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M"),
        "officer": c["town_a"].pk,
        "officer_phone": "13900000001",
        "leader": c["leader"].pk,
        "leader_phone": "13900000002",
    }


def entry(c):
    from anlan.emergency.models import DutyLogEntry

    return {
        "pk": DutyLogEntry.objects.create(
            unit=_town_unit(c), received_at=timezone.now(), source="phone", summary="来电反映"
        ).pk
    }


def roster_data(c):
    return {
        "unit": _town_unit(c).pk,
        "month": timezone.localdate().strftime("%Y-%m"),
        "phone": "0550-7654321",
    }


def call_data(c):
    from anlan.core import units

    return {
        "unit": units.committee_office_for(c.county).pk,
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "source": "phone",
        "summary": "群众来电反映道路塌陷",
        "caller": "王先生",
        "caller_phone": "13800000000",
    }


EVERYONE = page(200)
MANAGERS = page(200, grid_worker=403, leader=403, expert=403)
IN_TOWN_A = page(200, **OUT)
MANAGE_TOWN_A = page(302, leader=403, **DEPTS_403, **OUT)


def _audited():
    from anlan.emergency.models import DutyLogEntry, DutyRoster, DutyShift, DutySwap

    return [DutyRoster, DutyShift, DutySwap, DutyLogEntry]


ROUTES = [
    Route("emergency:duty-now", EVERYONE),
    Route("emergency:duty-header", EVERYONE),
    Route("emergency:duty-gaps", EVERYONE),
    Route("emergency:duty-roster-list", EVERYONE),
    Route("emergency:duty-roster-create", MANAGERS),
    Route(
        "emergency:duty-roster-create",
        page(200, county_office=302, town_a=302, grid_worker=403, leader=403, expert=403),
        method="post",
        data=roster_data,
        writes=True,
    ),
    Route("emergency:duty-roster-detail", IN_TOWN_A, kwargs=roster),
    Route(
        "emergency:duty-roster-detail",
        MANAGE_TOWN_A,
        kwargs=roster,
        method="post",
        data=shift_data,
        writes=True,
        label="add shift",
    ),
    Route("emergency:duty-roster-fill", page(200, leader=403, **DEPTS_403, **OUT), kwargs=roster),
    Route(
        "emergency:duty-roster-fill",
        MANAGE_TOWN_A,
        kwargs=roster,
        method="post",
        data=lambda c: {
            "start_time": "08:30",
            "hours": "24",
            "officers": [c["town_a"].pk],
            "leaders": [c["leader"].pk],
        },
        writes=True,
    ),
    Route(
        "emergency:duty-roster-publish", MANAGE_TOWN_A, kwargs=roster_with_shift, method="post", writes=True
    ),
    Route(
        "emergency:duty-shift-remove",
        MANAGE_TOWN_A,
        kwargs=lambda c: {"pk": _shift(c).pk},
        method="post",
        writes=True,
    ),
    Route("emergency:duty-shift-swap", IN_TOWN_A, kwargs=future_shift),
    Route(
        "emergency:duty-shift-swap",
        page(200, town_a=302, **OUT),
        kwargs=future_shift,
        method="post",
        data=swap_data,
        writes=True,
    ),
    Route(
        "emergency:duty-swap-decide",
        page(302, leader=403, **DEPTS_403, **OUT),
        kwargs=swap,
        method="post",
        data=lambda c: {"approve": "1"},
        writes=True,
        refused=frozenset({"town_a"}),
    ),
    Route("emergency:duty-shift-handover", IN_TOWN_A, kwargs=current_shift),
    Route(
        "emergency:duty-shift-handover",
        page(200, town_a=302, **OUT),
        kwargs=current_shift,
        method="post",
        data=lambda c: {"note": "夜间无事，东关社区外墙开裂待核查"},
        writes=True,
    ),
    Route("emergency:duty-log-list", EVERYONE),
    Route("emergency:duty-log-export", page(200, grid_worker=403, expert=403)),
    Route("emergency:duty-log-create", MANAGERS),
    Route(
        "emergency:duty-log-create",
        page(200, county_office=302, grid_worker=403, leader=403, expert=403),
        method="post",
        data=call_data,
        writes=True,
    ),
    Route("emergency:duty-log-detail", IN_TOWN_A, kwargs=entry),
    Route(
        "emergency:duty-log-pass",
        page(302, county_office=403, leader=403, **DEPTS_403, **OUT),
        kwargs=entry,
        method="post",
        data=lambda c: {"passed_to": "镇长"},
        writes=True,
    ),
    Route(
        "emergency:duty-log-confirm",
        page(302, county_office=403, leader=403, **DEPTS_403, **OUT),
        kwargs=entry,
        method="post",
        writes=True,
    ),
    # The read-only API: lists are scoped (200 for everyone signed in), a record out of scope is 404.
    Route("api:emergency-duty-roster-list", api(200)),
    Route("api:emergency-duty-roster-detail", {**IN_TOWN_A, "anonymous": 401}, kwargs=roster),
    Route("api:emergency-duty-now-list", api(200)),
    Route("api:emergency-duty-log-list", api(200)),
    Route("api:emergency-duty-log-detail", {**IN_TOWN_A, "anonymous": 401}, kwargs=entry),
]


AUDITED = _audited()
