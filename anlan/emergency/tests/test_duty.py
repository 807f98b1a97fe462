"""Duty (值班值守): rosters and shifts with their limits, publication, who is on duty now, swaps, handover, the
duty log with an accident's 初报 reaching the county, the town and the supervising departments, and the sweep."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from anlan.accidents.models import AccidentReport
from anlan.accidents.tests.factories import report
from anlan.core import recipients, units
from anlan.core.errors import DomainError
from anlan.core.models import Membership, Role, User
from anlan.emergency import rules
from anlan.emergency.models import DutyCategory, DutyLogEntry, DutyRoster, DutyShift, DutySwap
from anlan.emergency.selectors import duty as selectors
from anlan.emergency.selectors import unit_category
from anlan.emergency.services import duty as services
from anlan.notifications.models import Notification


def _at(day: date, hour: int = 8, minute: int = 30) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _month() -> date:
    return timezone.localdate().replace(day=1)


def _roster(cast, unit=None, month=None) -> DutyRoster:
    unit = unit or units.unit_for(cast.town_a)
    return services.create_roster(
        actor=cast["town_a"], unit_pk=unit.pk, month=month or _month(), phone="0550-1"
    )


def _data(cast, start, hours=24, **overrides) -> dict:
    data = {
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        "officer": cast["town_a"],
        "officer_phone": "13900000001",
        "leader": cast["leader"],
        "leader_phone": "13900000002",
    }
    data.update(overrides)
    return data


def _second(cast) -> User:
    user = User.objects.create(username="town_a_2", real_name="镇值班员乙")
    Membership.objects.create(user=user, role=Role.TOWN, region=cast.town_a)
    return user


# ---------------------------------------------------------------- rules


def test_duty_is_required_of_government_offices_and_of_enterprises_of_the_listed_categories():
    assert rules.duty_required(unit_kind="town")
    assert rules.duty_required(unit_kind="committee_office")
    assert rules.duty_required(unit_kind="department")
    assert rules.duty_required(unit_kind="enterprise", enterprise_category=rules.MINING)
    assert not rules.duty_required(unit_kind="enterprise", enterprise_category=rules.OTHER_ENTERPRISE)
    assert not rules.duty_required(unit_kind="outside_body")
    # The list applied is the one given (the DutyCategory table's): a category taken out is no longer required.
    assert not rules.duty_required(
        unit_kind="enterprise", enterprise_category=rules.MINING, duty_categories=frozenset()
    )
    assert rules.duty_required(unit_kind="town", duty_categories=frozenset())


def test_touching_spans_do_not_overlap_and_any_shared_minute_does():
    assert rules.overlapping([(1, 3), (3, 5)]) is None
    assert rules.overlapping([(3, 5), (1, 4)]) == ((1, 4), (3, 5))


@given(st.integers(0, 5), st.integers(0, 10))
def test_missing_follow_ups_are_the_shortfall_never_below_zero(required, received):
    assert rules.follow_ups_missing(required=required, received=received) == max(0, required - received)


def test_negative_follow_up_counts_are_refused():
    with pytest.raises(ValueError):
        rules.follow_ups_missing(required=-1, received=0)


# ---------------------------------------------------------------- shifts


def test_a_shift_of_exactly_24_hours_is_kept_and_one_minute_more_is_refused(cast):
    roster = _roster(cast)
    start = _at(_month())
    with pytest.raises(DomainError) as refused:
        services.add_shift(
            actor=cast["town_a"],
            roster_pk=roster.pk,
            data=_data(cast, start, hours=24, ends_at=start + timedelta(hours=24, minutes=1)),
        )
    assert refused.value.field == "ends_at"
    shift = services.add_shift(actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, start))
    assert shift.ends_at - shift.starts_at == timedelta(hours=24)


def test_shifts_may_touch_but_not_overlap(cast):
    roster = _roster(cast)
    start = _at(_month())
    services.add_shift(actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, start, hours=12))
    services.add_shift(
        actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, start + timedelta(hours=12), hours=12)
    )
    with pytest.raises(DomainError) as refused:
        services.add_shift(
            actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, start + timedelta(hours=23), hours=2)
        )
    assert refused.value.field == "starts_at"
    assert roster.shifts.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours": 0}, "ends_at"),
        ({"leader": "town_a"}, "leader"),
        ({"officer": "enterprise_x"}, "officer"),
        ({"leader": "dept_housing"}, "leader"),
        ({"officer_phone": " "}, "officer_phone"),
    ],
)
def test_a_shift_names_a_member_on_duty_a_distinct_leader_and_their_phones(cast, change, field):
    roster = _roster(cast)
    change = {k: cast[v] if k in ("officer", "leader") else v for k, v in change.items()}
    with pytest.raises(DomainError) as refused:
        services.add_shift(
            actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, _at(_month()), **change)
        )
    assert refused.value.field == field
    assert not roster.shifts.exists()


def test_a_shift_starting_outside_the_rosters_month_is_refused(cast):
    roster = _roster(cast)
    with pytest.raises(DomainError) as refused:
        services.add_shift(
            actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, _at(rules.next_month(_month())))
        )
    assert refused.value.field == "starts_at"


def test_a_department_sees_a_towns_roster_but_may_not_draw_it_up_and_the_county_office_may(cast):
    roster = _roster(cast)
    with pytest.raises(PermissionDenied):
        services.add_shift(actor=cast["dept_housing"], roster_pk=roster.pk, data=_data(cast, _at(_month())))
    services.add_shift(actor=cast["county_office"], roster_pk=roster.pk, data=_data(cast, _at(_month())))


def test_one_roster_per_office_and_month(cast):
    _roster(cast)
    with pytest.raises(DomainError) as refused:
        _roster(cast)
    assert refused.value.field == "month"


# ---------------------------------------------------------------- publication and who is on duty


def test_an_empty_roster_cannot_be_published(cast):
    roster = _roster(cast)
    with pytest.raises(DomainError):
        services.publish_roster(actor=cast["town_a"], roster_pk=roster.pk)


def test_publishing_makes_the_shifts_the_duty_staff_and_tells_them(cast):
    roster = _roster(cast)
    now = timezone.now()
    start = max(_at(_month(), 0, 0), now - timedelta(hours=1))
    shift = services.add_shift(actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, start, hours=2))
    assert selectors.on_duty([roster.unit_id], now) == {}
    services.publish_roster(actor=cast["town_a"], roster_pk=roster.pk)
    assert [s.pk for s in selectors.on_duty([roster.unit_id], now)[roster.unit_id]] == [shift.pk]
    assert Notification.objects.filter(kind="emergency.duty_published", recipient=cast["leader"]).count() == 1


def test_a_shift_covers_its_first_minute_and_not_its_end(cast):
    roster = _roster(cast)
    start = _at(_month())
    services.add_shift(actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, start, hours=12))
    services.publish_roster(actor=cast["town_a"], roster_pk=roster.pk)
    assert roster.unit_id in selectors.on_duty([roster.unit_id], start)
    assert roster.unit_id in selectors.on_duty(
        [roster.unit_id], start + timedelta(hours=12) - timedelta(seconds=1)
    )
    assert selectors.on_duty([roster.unit_id], start + timedelta(hours=12)) == {}


def test_who_is_on_duty_is_one_query_for_any_number_of_offices(cast, django_assert_num_queries):
    roster = _roster(cast)
    start = _at(_month())
    services.add_shift(actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, start))
    services.publish_roster(actor=cast["town_a"], roster_pk=roster.pk)
    with django_assert_num_queries(1):
        found = selectors.on_duty([roster.unit_id, 99999, 99998], start + timedelta(hours=1))
        assert found[roster.unit_id][0].leader == str(cast["leader"])


def test_the_county_duty_office_recipients_are_who_is_on_duty_there_now(cast):
    office = units.committee_office_for(cast.county)
    roster = services.create_roster(
        actor=cast["county_office"], unit_pk=office.pk, month=_month(), phone="0550-2"
    )
    now = timezone.now()
    start = max(_at(_month(), 0, 0), now - timedelta(hours=1))
    before = set(recipients.duty_office(cast.village_a.code).values_list("pk", flat=True))
    assert cast["county_office"].pk in before  # nobody rostered: the 安委办 itself
    services.add_shift(
        actor=cast["county_office"],
        roster_pk=roster.pk,
        data=_data(cast, start, hours=2, officer=cast["county_office"]),
    )
    services.publish_roster(actor=cast["county_office"], roster_pk=roster.pk)
    on_duty = set(recipients.duty_office(cast.village_a.code).values_list("pk", flat=True))
    assert on_duty == {cast["county_office"].pk, cast["leader"].pk}


def test_the_now_page_lists_the_office_with_tel_links_and_the_header_shows_duty_staff_only(cast, client):
    roster = _roster(cast)
    now = timezone.now()
    start = max(_at(_month(), 0, 0), now - timedelta(hours=1))
    services.add_shift(actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, start, hours=2))
    services.publish_roster(actor=cast["town_a"], roster_pk=roster.pk)
    client.force_login(cast["county_office"])
    page = client.get(reverse("emergency:duty-now")).content.decode()
    assert "新安镇" in page and 'href="tel:13900000002"' in page
    assert b"duty-widget" not in client.get(reverse("emergency:duty-header")).content
    client.force_login(cast["town_a"])
    assert b"tel:13900000001" in client.get(reverse("emergency:duty-header")).content
    client.force_login(cast["town_b"])
    assert "新安镇" not in client.get(reverse("emergency:duty-now")).content.decode()


# ---------------------------------------------------------------- swaps and handover


def _published_shift(cast, starts_in=timedelta(days=1)):
    roster = _roster(cast, month=rules.month_start(timezone.localdate() + starts_in))
    shift = services.add_shift(
        actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, timezone.now() + starts_in, hours=12)
    )
    services.publish_roster(actor=cast["town_a"], roster_pk=roster.pk)
    return shift


def test_a_swap_is_asked_by_the_holder_and_decided_by_someone_else(cast):
    shift = _published_shift(cast)
    other = _second(cast)
    data = {"post": "officer", "replacement": other, "replacement_phone": "13900000003", "reason": "出差"}
    with pytest.raises(DomainError):
        services.request_swap(actor=cast["county_office"], shift_pk=shift.pk, data=data)
    swap = services.request_swap(actor=cast["town_a"], shift_pk=shift.pk, data=data)
    with pytest.raises(DomainError):
        services.decide_swap(actor=cast["town_a"], swap_pk=swap.pk, approve=True)
    with pytest.raises(DomainError):
        services.decide_swap(actor=other, swap_pk=swap.pk, approve=True)
    services.decide_swap(actor=cast["county_office"], swap_pk=swap.pk, approve=True)
    shift.refresh_from_db()
    assert (shift.officer_id, shift.officer_phone) == (other.pk, "13900000003")
    assert DutySwap.objects.get(pk=swap.pk).status == DutySwap.Status.APPROVED
    with pytest.raises(DomainError):
        services.decide_swap(actor=cast["county_office"], swap_pk=swap.pk, approve=False)


def test_a_started_shift_cannot_be_swapped(cast):
    shift = _published_shift(cast, starts_in=-timedelta(hours=1))
    data = {"post": "officer", "replacement": _second(cast), "replacement_phone": "1", "reason": "病假"}
    with pytest.raises(DomainError):
        services.request_swap(actor=cast["town_a"], shift_pk=shift.pk, data=data)


def test_the_handover_note_is_left_by_the_officer_and_read_by_the_next_shift(cast):
    shift = _published_shift(cast, starts_in=-timedelta(hours=1))
    with pytest.raises(DomainError):
        services.hand_over(actor=cast["leader"], shift_pk=shift.pk, note="无")
    services.hand_over(actor=cast["town_a"], shift_pk=shift.pk, note="东关社区外墙开裂待核查")
    roster = shift.roster
    later = DutyShift.objects.create(
        roster=roster,
        unit=roster.unit,
        published=True,
        starts_at=shift.ends_at,
        ends_at=shift.ends_at + timedelta(hours=12),
        officer=cast["town_a"],
        officer_phone="1",
        leader=cast["leader"],
        leader_phone="2",
    )
    assert selectors.previous_shift(later).handover_note == "东关社区外墙开裂待核查"


def test_a_published_shift_is_removed_only_before_it_starts_and_with_a_reason(cast):
    shift = _published_shift(cast)
    with pytest.raises(DomainError):
        services.remove_shift(actor=cast["town_a"], shift_pk=shift.pk)
    services.remove_shift(actor=cast["town_a"], shift_pk=shift.pk, reason="排班调整")
    assert not DutyShift.objects.filter(pk=shift.pk).exists()
    started = DutyShift.objects.create(
        roster=shift.roster,
        unit=shift.unit,
        published=True,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
        officer=cast["town_a"],
        officer_phone="1",
        leader=cast["leader"],
        leader_phone="2",
    )
    with pytest.raises(DomainError):
        services.remove_shift(actor=cast["town_a"], shift_pk=started.pk, reason="误排")


# ---------------------------------------------------------------- the duty log


def test_an_accident_report_lands_in_the_logs_of_the_county_the_town_and_the_departments_once(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accident = report(cast)
    expected = {
        units.committee_office_for(cast.county).pk,
        units.unit_for(cast.town_a).pk,
        units.unit_for(cast.dept_housing).pk,
    }
    entries = DutyLogEntry.objects.filter(incident__accident=accident)
    assert set(entries.values_list("unit_id", flat=True)) == expected
    assert entries.count() == 3
    assert all(e.source == DutyLogEntry.Source.ACCIDENT for e in entries)
    services.on_accident_reported(accident)  # delivered twice: nothing doubles
    assert DutyLogEntry.objects.filter(incident__accident=accident).count() == 3
    # Nobody rostered at the town: its members are told (the town learns without looking at the list); the
    # county and the department have the accidents module's one message each, not a second.
    told = set(
        Notification.objects.filter(kind="emergency.duty_log").values_list("recipient__username", flat=True)
    )
    assert told == {"town_a"}


def test_a_log_entry_of_an_accident_links_to_the_incidents_page_where_the_town_records_its_first_response(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accident = report(cast)
    entry = DutyLogEntry.objects.get(incident__accident=accident, unit__kind="town")
    client.force_login(cast["town_a"])
    page = client.get(reverse("emergency:duty-log-detail", args=[entry.pk])).content.decode()
    assert f'href="{reverse("emergency:response-incident-detail", args=[entry.incident_id])}"' in page


def test_an_accident_report_reaches_whoever_is_on_duty_at_the_town_now(
    cast, django_capture_on_commit_callbacks
):
    roster = _roster(cast)
    now = timezone.now()
    start = max(_at(_month(), 0, 0), now - timedelta(hours=1))
    services.add_shift(actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, start, hours=2))
    services.publish_roster(actor=cast["town_a"], roster_pk=roster.pk)
    with django_capture_on_commit_callbacks(execute=True):
        report(cast)
    assert Notification.objects.filter(kind="emergency.duty_log", recipient=cast["leader"]).count() == 1


def test_a_call_is_logged_passed_on_and_confirmed_by_the_offices_own_members(cast):
    unit = units.unit_for(cast.town_a)
    data = {
        "received_at": timezone.now(),
        "source": "phone",
        "summary": "道路塌陷",
        "caller": "王",
        "caller_phone": "1",
    }
    with pytest.raises(PermissionDenied):
        services.record_call(actor=cast["county_office"], unit_pk=unit.pk, data=data)
    item = services.record_call(actor=cast["town_a"], unit_pk=unit.pk, data=data)
    with pytest.raises(DomainError) as refused:
        services.pass_on(actor=cast["town_a"], entry_pk=item.pk, passed_to=" ")
    assert refused.value.field == "passed_to"
    services.pass_on(actor=cast["town_a"], entry_pk=item.pk, passed_to="镇长")
    assert list(selectors.unconfirmed_entries(cast["town_a"])) == [item]
    services.confirm_entry(actor=cast["town_a"], entry_pk=item.pk)
    with pytest.raises(DomainError):
        services.confirm_entry(actor=cast["town_a"], entry_pk=item.pk)
    item.refresh_from_db()
    assert item.confirmed_by == cast["town_a"] and item.passed_to == "镇长" and item.passed_at is not None
    assert list(selectors.unconfirmed_entries(cast["town_a"])) == []


def test_an_unconfirmed_report_is_on_the_towns_home_page_as_a_to_do(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(cast)
    client.force_login(cast["town_a"])
    page = client.get(reverse("core:home")).content.decode()
    assert "待确认的接报" in page and "事故初报" in page


def test_a_call_cannot_be_received_in_the_future(cast):
    unit = units.unit_for(cast.town_a)
    data = {"received_at": timezone.now() + timedelta(hours=1), "source": "phone", "summary": "x"}
    with pytest.raises(DomainError) as refused:
        services.record_call(actor=cast["town_a"], unit_pk=unit.pk, data=data)
    assert refused.value.field == "received_at"


# ---------------------------------------------------------------- the sweep


def test_the_sweep_flags_offices_with_nobody_on_duty_tomorrow_once_a_day(cast):
    units.unit_for(cast.town_a)
    units.unit_for(cast.town_b)
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    roster = _roster(cast, month=rules.month_start(tomorrow))
    services.add_shift(
        actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, _at(tomorrow, 8, 30), hours=24)
    )
    services.publish_roster(actor=cast["town_a"], roster_pk=roster.pk)
    missing = {u.pk for u in selectors.offices_without_roster(tomorrow)}
    assert units.unit_for(cast.town_b).pk in missing and roster.unit_id not in missing
    first = services.sweep(today=today, now=timezone.now())
    again = services.sweep(today=today, now=timezone.now())
    assert first["rosters_missing"] >= 1 and again["rosters_missing"] == 0
    message = Notification.objects.get(kind="emergency.duty_roster_missing", recipient=cast["county_office"])
    assert "半塔镇" in message.body and "新安镇" not in message.body


def test_the_duty_categories_are_data_seeded_from_the_regulation_and_the_roster_check_follows_them(cast):
    # Seeded by the migration: one row per enterprise category, required exactly for 第十四条's list.
    assert {c for c, _label in rules.ENTERPRISE_CATEGORIES} == set(
        DutyCategory.objects.values_list("category", flat=True)
    )
    assert selectors.duty_categories() == rules.DUTY_CATEGORIES
    enterprise, town = units.unit_for(cast.enterprise_y), units.unit_for(cast.town_b)
    category = unit_category(enterprise)
    assert category == rules.HAZARDOUS_CHEMICALS
    tomorrow = timezone.localdate() + timedelta(days=1)
    DutyCategory.objects.filter(category=category).update(required=True)
    assert enterprise.pk in {u.pk for u in selectors.offices_without_roster(tomorrow)}
    # A county takes the category out in the admin: the enterprise is no longer flagged; offices still are.
    DutyCategory.objects.filter(category=category).update(required=False)
    missing = {u.pk for u in selectors.offices_without_roster(tomorrow)}
    assert enterprise.pk not in missing and town.pk in missing


def test_a_day_short_of_follow_ups_is_flagged_in_the_county_log_once(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accident = report(cast, occurred_at=timezone.now() - timedelta(days=2, hours=1))
    incident = accident.incident
    incident.reported_at = timezone.now() - timedelta(days=2)
    incident.save()
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    assert services.sweep(today=today, now=timezone.now())["follow_ups_missing"] == 1
    assert services.sweep(today=today, now=timezone.now())["follow_ups_missing"] == 0
    flagged = DutyLogEntry.objects.get(source=DutyLogEntry.Source.FOLLOW_UP, incident=incident)
    assert flagged.unit == units.committee_office_for(cast.county)
    assert "应续报 1 次，实收 0 次" in flagged.summary
    # A day with its one 续报 (一般事故: once a day) is not flagged.
    AccidentReport.objects.filter(pk=accident.reports.first().pk).update(received_at=_at(yesterday, 10))
    AccidentReport.objects.filter(pk=accident.reports.first().pk).update(kind=AccidentReport.Kind.FOLLOW_UP)
    assert selectors.follow_up_shortfalls(yesterday)[0][1:] == (1, 1)


def test_filling_a_month_gives_each_remaining_day_a_shift_in_turns_and_keeps_those_there(cast):
    month = rules.next_month(_month())
    roster = _roster(cast, month=month)
    other = _second(cast)
    kept = services.add_shift(actor=cast["town_a"], roster_pk=roster.pk, data=_data(cast, _at(month, 8, 30)))
    data = {
        "start_time": time(8, 30),
        "hours": 24,
        "officers": [cast["town_a"], other],
        "leaders": [cast["leader"]],
    }
    added = services.fill_month(actor=cast["town_a"], roster_pk=roster.pk, data=data)
    days = (rules.next_month(month) - month).days
    assert added == days - 1  # the first day was already rostered
    shifts = list(roster.shifts.order_by("starts_at"))
    assert shifts[0].pk == kept.pk
    assert {s.officer_id for s in shifts[1:3]} == {cast["town_a"].pk, other.pk}
    assert all(s.leader_id == cast["leader"].pk for s in shifts)
    assert all(s.leader_phone == "0550-1" for s in shifts[1:])  # no phone on the account: the duty phone
    assert services.fill_month(actor=cast["town_a"], roster_pk=roster.pk, data=data) == 0


def test_filling_day_and_night_shifts_and_refusing_outsiders(cast):
    month = rules.next_month(_month())
    roster = _roster(cast, month=month)
    data = {
        "start_time": time(8, 0),
        "hours": 12,
        "officers": [cast["enterprise_x"]],
        "leaders": [cast["leader"]],
    }
    with pytest.raises(DomainError) as refused:
        services.fill_month(actor=cast["town_a"], roster_pk=roster.pk, data=data)
    assert refused.value.field == "officers"
    data["officers"] = [cast["town_a"]]
    added = services.fill_month(actor=cast["town_a"], roster_pk=roster.pk, data=data)
    assert added == 2 * (rules.next_month(month) - month).days


def test_the_duty_log_exports_as_a_ledger_of_the_viewers_scope(cast, client):
    unit = units.unit_for(cast.town_a)
    data = {
        "received_at": timezone.now(),
        "source": "phone",
        "summary": "道路塌陷",
        "caller": "王",
        "caller_phone": "1",
    }
    services.record_call(actor=cast["town_a"], unit_pk=unit.pk, data=data)
    client.force_login(cast["county_office"])
    response = client.get(reverse("emergency:duty-log-export"))
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "道路塌陷" in values and "新安镇" in values
