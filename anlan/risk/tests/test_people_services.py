"""Use cases of the people part: staff through the kernel's persons (ID checked, one person per number, masked),
certificates with their computed dates (the extension, coal-mine and management certificates keeping their printed
dates), 复审 inside its window only, 考核 passed at 80, training with the enterprise's own staff; supervisors read
but may not write (no change, no history); the sweep on both sides of each date, once; the kernel attribute; the
panel's figures; the to-do; the accident trace."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from anlan.core.errors import DomainError
from anlan.core.models import Person
from anlan.core.rules import add_years
from anlan.core.tests.factories import EnterpriseFactory
from anlan.notifications.models import Notification
from anlan.risk import rules
from anlan.risk.models import Assessment, Certificate, StaffMember, TrainingRecord
from anlan.risk.selectors import people as selectors
from anlan.risk.services import people as services
from anlan.risk.tests import factories_people as f


def _reasons(obj) -> list[str]:
    return list(obj.history.order_by("history_id").values_list("history_change_reason", flat=True))


def _other_enterprise(cast):
    """Another enterprise (next to X, same industry) and its own user."""
    from anlan.core.models import Role
    from anlan.core.tests.factories import MembershipFactory, UserFactory

    x = cast.enterprise_x
    other = EnterpriseFactory(region=x.region, industry=x.industry)
    owner = UserFactory()
    MembershipFactory(user=owner, role=Role.ENTERPRISE, enterprise=other)
    return other, owner


def _noon(day):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


# ---------------------------------------------------------------- staff


def test_the_enterprise_registers_a_staff_member_as_a_kernel_person_with_one_history_row(cast):
    number = f.id_number()
    staff = f.staff(cast, id_number=number, name="张建国")
    assert staff.person.id_number == number
    assert staff.person.employer.enterprise_id == cast.enterprise_x.pk
    assert staff.is_special_operator and staff.roles == ["特种作业人员"]
    assert _reasons(staff) == ["登记从业人员"]


def test_the_same_id_number_is_one_person_across_enterprises(cast):
    number = f.id_number()
    f.staff(cast, id_number=number)
    other, owner = _other_enterprise(cast)
    f.staff(cast, actor=owner, enterprise=other, id_number=number)
    assert Person.objects.filter(id_number=number).count() == 1
    assert StaffMember.objects.filter(person__id_number=number).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"id_number": "341122198506010010"}, "id_number", None),
        ({"name": ""}, "name", None),
        ({"post": " "}, "post", rules.PeopleCode.TEXT_MISSING),
        ({"hired_on": timezone.localdate() + timedelta(days=1)}, "hired_on", rules.PeopleCode.DATE_IN_FUTURE),
    ],
    ids=["bad-check-character", "no-name", "no-post", "hired-tomorrow"],
)
def test_a_staff_member_with_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    cast, overrides, field, code
):
    people = Person.objects.count()
    with pytest.raises(DomainError) as refused:
        f.staff(cast, **overrides)
    assert refused.value.field == field
    if code:
        assert refused.value.code == code
    assert StaffMember.objects.count() == 0
    assert Person.objects.count() == people


def test_a_known_number_under_another_name_and_a_second_registration_are_refused(cast):
    number = f.id_number()
    f.staff(cast, id_number=number, name="张建国")
    with pytest.raises(DomainError) as conflict:
        f.staff(cast, id_number=number, name="张建军")
    assert conflict.value.field == "id_number"
    with pytest.raises(DomainError) as twice:
        f.staff(cast, id_number=number, name="张建国")
    assert twice.value.code == rules.PeopleCode.DUPLICATE
    assert StaffMember.objects.count() == 1


@pytest.mark.parametrize("who", ["county_office", "town_a", "dept_housing", "leader", "grid_worker"])
def test_supervisors_in_scope_read_but_may_not_register_staff(cast, who):
    with pytest.raises(PermissionDenied):
        f.staff(cast, actor=cast[who])
    assert StaffMember.objects.count() == 0
    assert StaffMember.history.count() == 0


@pytest.mark.parametrize("who", ["town_b", "dept_transport", "expert"])
def test_users_out_of_scope_get_404_on_the_enterprise(cast, who):
    with pytest.raises(Http404):
        f.staff(cast, actor=cast[who])


def test_a_staff_member_who_leaves_keeps_the_record_with_the_day(cast):
    staff = f.staff(cast)
    today = timezone.localdate()
    services.update_staff(
        actor=cast["enterprise_x"],
        staff_pk=staff.pk,
        data={"post": staff.post, "is_special_operator": True, "hired_on": staff.hired_on, "left_on": today},
    )
    staff.refresh_from_db()
    assert staff.left_on == today
    assert _reasons(staff) == ["登记从业人员", "离岗"]


def test_a_supervisor_may_not_edit_a_staff_member_and_nothing_changes(cast):
    staff = f.staff(cast)
    with pytest.raises(PermissionDenied):
        services.update_staff(actor=cast["dept_housing"], staff_pk=staff.pk, data={"post": "x"})
    staff.refresh_from_db()
    assert staff.post == "电工" and staff.history.count() == 1


# ---------------------------------------------------------------- certificates


def test_a_special_operation_certificate_gets_its_dates_from_the_rule(cast):
    issued = timezone.localdate() - timedelta(days=400)
    cert = f.certificate(cast, issued_on=issued)
    assert cert.valid_until == add_years(issued, 6)
    assert cert.review_due == add_years(issued, 3)
    assert cert.review_interval_years == 3
    assert cert.review_window_opens == add_years(issued, 3) - timedelta(days=60)
    assert cert.enterprise_id == cast.enterprise_x.pk
    assert _reasons(cert) == ["登记证书"]


def test_the_extension_to_six_years_needs_ten_years_and_the_authority(cast):
    extended = f.certificate(cast, continuous_years_same_trade=12, authority_agrees=True)
    assert extended.review_interval_years == 6 and extended.review_due == extended.valid_until
    nine = f.certificate(cast, continuous_years_same_trade=9, authority_agrees=True)
    assert nine.review_interval_years == 3


def test_a_coal_mine_certificate_keeps_its_printed_dates(cast):
    issued = timezone.localdate() - timedelta(days=100)
    cert = f.certificate(
        cast,
        category="coal_mine",
        issued_on=issued,
        valid_until=issued + timedelta(days=365 * 6),
        review_due=None,
        coal_note="按煤矿安全监察机构规定复审",
    )
    assert cert.is_coal_mine and not cert.computed
    assert cert.review_due is None and cert.review_interval_years is None
    with pytest.raises(DomainError) as refused:
        f.certificate(cast, category="coal_mine", valid_until=None)
    assert refused.value.field == "valid_until"


def test_a_management_certificate_needs_its_printed_last_day_and_has_no_category(cast):
    holder = f.staff(cast, name="李总", post="总经理", is_principal=True, is_special_operator=False)
    issued = timezone.localdate() - timedelta(days=10)
    cert = f.certificate(
        cast,
        holder=holder,
        kind="principal",
        category="welding",
        issued_on=issued,
        valid_until=add_years(issued, 3),
    )
    assert cert.category == "" and cert.review_due is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "x"}, "kind"),
        ({"category": ""}, "category"),
        ({"number": ""}, "number"),
        ({"issuing_authority": ""}, "issuing_authority"),
        ({"issued_on": None}, "issued_on"),
        ({"issued_on": timezone.localdate() + timedelta(days=1)}, "issued_on"),
        ({"continuous_years_same_trade": -1}, "continuous_years_same_trade"),
    ],
    ids=["kind", "category", "number", "authority", "no-date", "future", "negative-years"],
)
def test_a_certificate_with_bad_input_is_refused_naming_the_field(cast, overrides, field):
    holder = f.staff(cast)
    with pytest.raises(DomainError) as refused:
        f.certificate(cast, holder=holder, **overrides)
    assert refused.value.field == field
    assert Certificate.objects.count() == 0


def test_a_certificate_number_is_registered_once(cast):
    f.certificate(cast, number="T001")
    with pytest.raises(DomainError) as refused:
        f.certificate(cast, number="T001")
    assert refused.value.code == rules.PeopleCode.DUPLICATE


def test_a_review_is_recorded_inside_its_window_and_refused_before_it(cast):
    issued = add_years(timezone.localdate(), -3) + timedelta(days=20)  # review due in 20 days
    cert = f.certificate(cast, issued_on=issued)
    with pytest.raises(DomainError) as early:
        services.record_review(
            actor=cast["enterprise_x"],
            certificate_pk=cert.pk,
            reviewed_on=cert.review_window_opens - timedelta(days=1),
        )
    assert early.value.field == "reviewed_on"
    services.record_review(
        actor=cast["enterprise_x"], certificate_pk=cert.pk, reviewed_on=cert.review_window_opens
    )
    cert.refresh_from_db()
    assert cert.last_reviewed_on == cert.review_window_opens
    assert _reasons(cert) == ["登记证书", "登记复审"]


def test_an_extended_certificate_has_no_separate_review(cast):
    cert = f.certificate(cast, continuous_years_same_trade=10, authority_agrees=True)
    with pytest.raises(DomainError) as refused:
        services.record_review(
            actor=cast["enterprise_x"], certificate_pk=cert.pk, reviewed_on=timezone.localdate()
        )
    assert refused.value.code == rules.PeopleCode.NOT_REVIEWABLE


def test_a_supervisor_may_not_record_a_review_and_nothing_changes(cast):
    cert = f.certificate(cast, issued_on=add_years(timezone.localdate(), -3) + timedelta(days=20))
    with pytest.raises(PermissionDenied):
        services.record_review(
            actor=cast["county_office"], certificate_pk=cert.pk, reviewed_on=timezone.localdate()
        )
    cert.refresh_from_db()
    assert cert.last_reviewed_on is None and cert.history.count() == 1


# ---------------------------------------------------------------- assessments and training


@pytest.mark.parametrize(("score", "passed"), [("80", True), ("79.9", False), ("100", True)])
def test_an_assessment_passes_at_eighty(cast, score, passed):
    assessment = f.assessment(cast, score=score)
    assert assessment.passed is passed
    assert assessment.score == Decimal(score)


@pytest.mark.parametrize("score", ["-1", "100.1", "abc", None])
def test_an_assessment_score_outside_zero_to_a_hundred_is_refused(cast, score):
    with pytest.raises(DomainError) as refused:
        f.assessment(cast, score=score)
    assert refused.value.field == "score"
    assert Assessment.objects.count() == 0


def test_a_training_records_its_attendees_in_one_history_row(cast):
    a, b = f.staff(cast), f.staff(cast, name="王焊工", post="焊工")
    training = f.training(cast, attendees=[a, b], hours="8.5")
    assert set(training.attendees.all()) == {a, b}
    assert training.hours == Decimal("8.5")
    assert training.history.count() == 1


def test_a_training_with_someone_of_another_enterprise_or_nobody_is_refused(cast):
    other, owner = _other_enterprise(cast)
    stranger = f.staff(cast, actor=owner, enterprise=other)
    with pytest.raises(DomainError) as refused:
        f.training(cast, attendees=[stranger])
    assert refused.value.code == rules.PeopleCode.ATTENDEE_INVALID
    with pytest.raises(DomainError) as nobody:
        f.training(cast, attendees=[])
    assert nobody.value.field == "attendees"
    with pytest.raises(DomainError) as hours:
        f.training(cast, hours="0")
    assert hours.value.field == "hours"
    assert TrainingRecord.objects.count() == 0


# ---------------------------------------------------------------- the sweep


def test_the_sweep_tells_of_the_review_window_from_sixty_days_before_once(
    cast, django_capture_on_commit_callbacks
):
    cert = f.certificate(cast)
    opens = cert.review_window_opens
    assert services.sweep(today=opens - timedelta(days=1))[rules.REVIEW_WINDOW] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(today=opens)[rules.REVIEW_WINDOW] == 1
    assert services.sweep(today=opens + timedelta(days=1))[rules.REVIEW_WINDOW] == 0
    told = Notification.objects.filter(recipient=cast["enterprise_x"], kind=services.NOTICE)
    assert told.count() == 1 and "复审期" in told.get().title
    assert not Notification.objects.filter(recipient=cast["dept_transport"]).exists()


def test_the_sweep_tells_of_an_overdue_review_the_day_after_the_review_day(cast):
    cert = f.certificate(cast)
    assert services.sweep(today=cert.review_due)[rules.REVIEW_OVERDUE] == 0
    assert services.sweep(today=cert.review_due + timedelta(days=1))[rules.REVIEW_OVERDUE] == 1
    assert services.sweep(today=cert.review_due + timedelta(days=2))[rules.REVIEW_OVERDUE] == 0


def test_a_reviewed_certificate_is_not_overdue(cast):
    cert = f.certificate(cast, issued_on=add_years(timezone.localdate(), -3) + timedelta(days=20))
    services.record_review(
        actor=cast["enterprise_x"], certificate_pk=cert.pk, reviewed_on=timezone.localdate()
    )
    assert services.sweep(today=cert.review_due + timedelta(days=1))[rules.REVIEW_OVERDUE] == 0


def test_the_sweep_tells_of_expiry_thirty_days_before_and_of_expired_the_day_after(cast):
    cert = f.certificate(cast, continuous_years_same_trade=10, authority_agrees=True)
    end = cert.valid_until
    assert services.sweep(today=end - timedelta(days=31))[rules.EXPIRING] == 0
    assert services.sweep(today=end - timedelta(days=30))[rules.EXPIRING] == 1
    assert services.sweep(today=end)[rules.EXPIRED] == 0
    assert services.sweep(today=end + timedelta(days=1))[rules.EXPIRED] == 1
    assert services.sweep(today=end + timedelta(days=2))[rules.EXPIRED] == 0


def test_the_sweep_skips_leavers_and_replaced_certificates(cast):
    holder = f.staff(cast)
    old = f.certificate(cast, holder=holder, continuous_years_same_trade=10, authority_agrees=True)
    f.certificate(
        cast,
        holder=holder,
        issued_on=timezone.localdate(),
        continuous_years_same_trade=10,
        authority_agrees=True,
    )
    assert services.sweep(today=old.valid_until + timedelta(days=1))[rules.EXPIRED] == 0
    leaver = f.staff(cast, name="赵离职")
    cert = f.certificate(cast, holder=leaver)
    StaffMember.objects.filter(pk=leaver.pk).update(left_on=timezone.localdate())
    assert services.sweep(today=cert.review_due + timedelta(days=1))[rules.REVIEW_OVERDUE] == 0


# ---------------------------------------------------------------- selectors


def test_the_attention_list_shows_certificates_in_scope_worst_first(cast):
    today = timezone.localdate()
    overdue = f.certificate(cast, issued_on=add_years(today, -3) - timedelta(days=1))
    window = f.certificate(cast, issued_on=add_years(today, -3) + timedelta(days=10))
    f.certificate(cast)  # valid
    rows = list(selectors.attention(cast["dept_housing"]))
    assert [(r.pk, r.state) for r in rows] == [
        (overdue.pk, rules.REVIEW_OVERDUE),
        (window.pk, rules.REVIEW_WINDOW),
    ]
    assert list(selectors.attention(cast["town_b"])) == []
    assert list(selectors.attention(cast["dept_transport"])) == []


def test_the_state_in_sql_agrees_with_the_rule(cast):
    today = timezone.localdate()
    for issued in (
        today - timedelta(days=10),
        add_years(today, -3) + timedelta(days=30),
        add_years(today, -3) - timedelta(days=1),
        add_years(today, -6) + timedelta(days=20),
        add_years(today, -6) - timedelta(days=1),
    ):
        f.certificate(cast, issued_on=issued)
    for cert in selectors.certificate_list(cast["county_office"]):
        assert cert.state == rules.certificate_state(**selectors.dates_of(cert), today=today)


def test_the_todo_lists_the_enterprise_certificates_on_both_sides_of_the_window(cast):
    cert = f.certificate(cast)
    with time_machine.travel(_noon(cert.review_window_opens - timedelta(days=1)), tick=False):
        assert selectors.own_attention(cast["enterprise_x"]).count() == 0
    with time_machine.travel(_noon(cert.review_window_opens), tick=False):
        rows = selectors.own_attention(cast["enterprise_x"])
        assert rows.count() == 1
        assert "待复审" in selectors.todo_items(rows, 5)[0].title
    assert selectors.own_attention(cast["dept_housing"]).count() == 0


def test_training_is_in_place_when_every_operator_is_certified_and_training_was_held(cast):
    x = cast.enterprise_x.pk
    assert selectors.training_in_place([x]) == {}
    holder = f.staff(cast)
    assert selectors.training_in_place([x]) == {x: False}
    f.certificate(cast, holder=holder)
    assert selectors.training_in_place([x]) == {x: False}
    f.training(cast, attendees=[holder])
    assert selectors.training_in_place([x]) == {x: True}
    f.staff(cast, name="无证焊工", post="焊工")
    assert selectors.training_in_place([x]) == {x: False}


def test_the_panel_counts_staff_certified_operators_and_this_year_training(cast):
    today = timezone.localdate()
    a, b = f.staff(cast), f.staff(cast, name="王焊工", post="焊工")
    f.staff(cast, name="李会计", post="会计", is_special_operator=False)
    f.certificate(cast, holder=a)
    f.certificate(
        cast, holder=b, issued_on=add_years(today, -3) - timedelta(days=1)
    )  # overdue: not certified
    f.training(cast, attendees=[a, b], hours="8", held_on=today)
    figures = selectors.panel_figures(cast["county_office"], cast.enterprise_x, today)
    assert (figures.staff, figures.special_operators, figures.certified_operators) == (3, 2, 1)
    assert (figures.overdue, figures.expiring, figures.expired) == (1, 0, 0)
    assert figures.training_hours == Decimal("8") and figures.training_attendances == 2


def test_the_accident_trace_tells_whether_each_operator_held_a_valid_certificate_that_day(cast):
    today = timezone.localdate()
    a = f.staff(cast, name="持证电工")
    b = f.staff(cast, name="过期焊工", post="焊工")
    f.staff(cast, name="新来的", post="焊工", hired_on=today)  # hired on the day: counted
    f.certificate(cast, holder=a)
    f.certificate(cast, holder=b, issued_on=add_years(today, -3) - timedelta(days=5))
    f.training(cast, attendees=[a], held_on=today - timedelta(days=365), subject="一年前")
    f.training(cast, attendees=[a], held_on=today - timedelta(days=366), subject="一年零一天前")
    trace = selectors.accident_trace(cast.enterprise_x, today)
    certified = {row.staff.person.name: row.certified for row in trace.operators}
    assert certified == {"持证电工": True, "过期焊工": False, "新来的": False}
    assert trace.uncertified == 2
    assert [t.subject for t in trace.trainings] == ["一年前"]
