"""Use cases of 标准化, 安责险, 安全生产费用 and 责任制: recording (refusals with their field, one history row, nothing
half-saved), confirming and withdrawing a grade (never the enterprise; denied steps change nothing and write no
history), the accident handler flagging a grade, the sweep on both sides of its dates, the kernel attributes, the
应投未投 query and the profile's facts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from anlan.core import contract
from anlan.core.errors import DomainError
from anlan.core.tests.factories import EnterpriseFactory, industry
from anlan.notifications.models import Notification
from anlan.risk import rules
from anlan.risk.models import LiabilityPolicy, SafetySpending, SpendingUse, StandardisationGrade
from anlan.risk.selectors import standard as selectors
from anlan.risk.services import standard as services
from anlan.risk.tests import factories_standard as f

Grade = StandardisationGrade


def _reasons(obj) -> list[str]:
    return list(obj.history.order_by("history_id").values_list("history_change_reason", flat=True))


# ---------------------------------------------------------------- grades


def test_the_enterprise_records_its_grade_valid_three_years_and_its_supervisors_are_told(
    cast, django_capture_on_commit_callbacks
):
    issued = timezone.localdate() - timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        grade = f.grade(cast, issued_on=issued)
    assert grade.valid_until == issued.replace(year=issued.year + 3)
    assert grade.status == Grade.Status.CURRENT
    assert grade.issuing_level == "city_county"
    assert _reasons(grade) == ["登记标准化等级"]
    told = Notification.objects.filter(recipient=cast["dept_housing"], kind=services.NOTICE)
    assert told.count() == 1 and "请核实" in told.get().title
    assert not Notification.objects.filter(recipient=cast["dept_transport"]).exists()


def test_a_grade_issued_more_than_three_years_ago_is_recorded_expired(cast):
    grade = f.grade(cast, issued_on=timezone.localdate() - timedelta(days=3 * 366 + 1))
    assert grade.status == Grade.Status.EXPIRED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"grade": "4"}, "grade"),
        ({"issued_on": None}, "issued_on"),
        ({"issuing_authority": " "}, "issuing_authority"),
        ({"certificate_no": ""}, "certificate_no"),
    ],
    ids=["grade", "no-date", "no-authority", "no-number"],
)
def test_a_grade_with_bad_input_is_refused_naming_the_field(cast, overrides, field):
    with pytest.raises(DomainError) as refused:
        f.grade(cast, **overrides)
    assert refused.value.field == field
    assert not Grade.objects.exists()


def test_a_grade_issued_tomorrow_is_refused(cast):
    with pytest.raises(DomainError) as refused:
        f.grade(cast, issued_on=timezone.localdate() + timedelta(days=1))
    assert refused.value.code == rules.StandardCode.ISSUED_IN_FUTURE


def test_an_enterprise_out_of_scope_is_404_and_a_reader_without_the_right_403(cast):
    with pytest.raises(Http404):
        f.grade(cast, actor=cast["dept_transport"])
    with pytest.raises(PermissionDenied):
        f.grade(cast, actor=cast["leader"])
    assert not Grade.objects.exists()


def test_a_supervisor_confirms_a_grade_once(cast):
    grade = f.grade(cast)
    services.confirm_grade(actor=cast["dept_housing"], grade_pk=grade.pk)
    grade.refresh_from_db()
    assert grade.confirmed_by == cast["dept_housing"] and grade.confirmed_at is not None
    with pytest.raises(DomainError):
        services.confirm_grade(actor=cast["county_office"], grade_pk=grade.pk)


@pytest.mark.parametrize("who", ["enterprise_x", "town_a"])
def test_the_enterprise_and_the_town_may_not_confirm_or_withdraw(cast, who):
    grade = f.grade(cast)
    before = grade.history.count()
    with pytest.raises(PermissionDenied):
        services.confirm_grade(actor=cast[who], grade_pk=grade.pk)
    with pytest.raises(PermissionDenied):
        services.withdraw_grade(actor=cast[who], grade_pk=grade.pk, reason="自行撤销")
    grade.refresh_from_db()
    assert grade.status == Grade.Status.CURRENT and grade.confirmed_at is None
    assert grade.history.count() == before


def test_the_supervising_department_withdraws_a_grade_with_its_reason_and_the_enterprise_is_told(
    cast, django_capture_on_commit_callbacks
):
    grade = f.grade(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_grade(
            actor=cast["dept_housing"], grade_pk=grade.pk, reason="存在重大事故隐患未整改", basis="定级办法"
        )
    grade.refresh_from_db()
    assert grade.status == Grade.Status.WITHDRAWN
    assert grade.withdrawn_on == timezone.localdate()
    assert (grade.withdrawal_reason, grade.withdrawal_basis) == ("存在重大事故隐患未整改", "定级办法")
    assert _reasons(grade)[-1] == "存在重大事故隐患未整改"
    assert Notification.objects.filter(recipient=cast["enterprise_x"], title__contains="已撤销").count() == 1


def test_a_withdrawal_needs_a_reason(cast):
    grade = f.grade(cast)
    with pytest.raises(DomainError) as refused:
        services.withdraw_grade(actor=cast["dept_housing"], grade_pk=grade.pk, reason=" ")
    assert refused.value.field == "reason"
    grade.refresh_from_db()
    assert grade.status == Grade.Status.CURRENT


# ---------------------------------------------------------------- withdrawal after an accident


def test_a_fatal_accident_flags_a_first_grade_for_withdrawal_review(cast, django_capture_on_commit_callbacks):
    grade = f.grade(cast, grade="1")
    with django_capture_on_commit_callbacks(execute=True):
        flagged = services.on_accident_reported(f.accident(cast, deaths=1))
    grade.refresh_from_db()
    assert flagged == [grade.pk]
    assert grade.status == Grade.Status.UNDER_REVIEW
    assert grade.flag_accident_id == 9001
    assert "有效期内发生生产安全死亡事故" in grade.flag_basis and "未确认" in grade.flag_basis
    assert grade.history.latest("history_id").history_user.username == "system"
    assert Notification.objects.filter(recipient=cast["dept_housing"], title__contains="待撤销审查").exists()
    assert Notification.objects.filter(recipient=cast["enterprise_x"], title__contains="待撤销审查").exists()
    # It still holds until a supervisor decides.
    assert selectors.standardisation_grades([cast.enterprise_x.pk]) == {cast.enterprise_x.pk: "1"}


@pytest.mark.parametrize(
    ("grade_value", "deaths", "accident_grade", "flagged"),
    [
        ("1", 0, "ordinary", False),
        ("2", 2, "ordinary", False),
        ("3", 3, "relatively_major", True),
    ],
    ids=["first-no-death", "second-ordinary", "third-relatively-major"],
)
def test_whether_an_accident_flags_a_grade_follows_the_data_rules(
    cast, grade_value, deaths, accident_grade, flagged
):
    grade = f.grade(cast, grade=grade_value)
    services.on_accident_reported(f.accident(cast, deaths=deaths, grade=accident_grade))
    grade.refresh_from_db()
    assert (grade.status == Grade.Status.UNDER_REVIEW) is flagged


def test_an_accident_before_the_grade_was_issued_does_not_flag_it(cast):
    grade = f.grade(cast, grade="1")
    services.on_accident_reported(f.accident(cast, occurred_on=grade.issued_on - timedelta(days=1)))
    grade.refresh_from_db()
    assert grade.status == Grade.Status.CURRENT
    services.on_accident_reported(f.accident(cast, occurred_on=grade.issued_on))
    grade.refresh_from_db()
    assert grade.status == Grade.Status.UNDER_REVIEW


def test_the_handler_is_registered_for_accidents_reported_and_ignores_accidents_without_an_enterprise(cast):
    assert (
        "anlan.risk.services.standard.on_accident_reported"
        in contract.registry().handlers["accidents.reported"]
    )
    accident = f.accident(cast)
    accident.enterprise_id = None
    assert services.on_accident_reported(accident) == []


def test_a_supervisor_withdraws_a_flagged_grade_keeping_the_flag_as_basis(cast):
    grade = f.flagged_grade(cast)
    services.withdraw_grade(actor=cast["county_office"], grade_pk=grade.pk, reason="确认撤销")
    grade.refresh_from_db()
    assert grade.status == Grade.Status.WITHDRAWN
    assert grade.withdrawal_basis == grade.flag_basis
    assert selectors.standardisation_grades([cast.enterprise_x.pk]) == {}


def test_a_supervisor_dismisses_the_flag_with_a_reason_and_the_grade_holds_again(cast):
    grade = f.flagged_grade(cast)
    services.dismiss_flag(
        actor=cast["dept_housing"], grade_pk=grade.pk, reason="事故系交通事故，非生产安全事故"
    )
    grade.refresh_from_db()
    assert grade.status == Grade.Status.CURRENT
    assert grade.review_note == "事故系交通事故，非生产安全事故"


def test_only_a_flagged_grade_can_be_dismissed(cast):
    grade = f.grade(cast)
    with pytest.raises(DomainError):
        services.dismiss_flag(actor=cast["dept_housing"], grade_pk=grade.pk, reason="无")


# ---------------------------------------------------------------- policies, spending, responsibility


def test_the_enterprise_records_a_policy_and_is_insured(cast):
    assert selectors.insured([cast.enterprise_x.pk, cast.enterprise_y.pk]) == {
        cast.enterprise_x.pk: False,
        cast.enterprise_y.pk: False,
    }
    policy = f.policy(cast)
    assert _reasons(policy) == ["登记安责险保单"]
    assert selectors.insured([cast.enterprise_x.pk]) == {cast.enterprise_x.pk: True}


def test_insured_is_absent_for_enterprises_outside_the_compulsory_industries(cast):
    school = EnterpriseFactory(region=cast.village_a, industry=industry("campus"))
    assert selectors.insured([school.pk]) == {}
    assert contract.enterprise_attribute("risk.insured", [school.pk]) == {school.pk: None}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": timezone.localdate() - timedelta(days=200)}, "ends_on"),
        ({"insurer": ""}, "insurer"),
        ({"per_person_amount": "-1"}, "per_person_amount"),
        ({"premium": "abc"}, "premium"),
    ],
    ids=["period", "insurer", "negative", "not-a-number"],
)
def test_a_policy_with_bad_input_is_refused(cast, overrides, field):
    with pytest.raises(DomainError) as refused:
        f.policy(cast, **overrides)
    assert refused.value.field == field
    assert not LiabilityPolicy.objects.exists()


def test_the_same_policy_number_of_an_insurer_is_refused(cast):
    f.policy(cast)
    with pytest.raises(DomainError) as refused:
        f.policy(cast)
    assert refused.value.field == "policy_no"


def test_a_technical_service_is_recorded_under_its_policy(cast):
    service = f.service(cast)
    assert service.policy.enterprise == cast.enterprise_x
    assert list(selectors.services_of(cast["dept_housing"], service.policy)) == [service]
    assert list(selectors.services_of(cast["town_b"], service.policy)) == []


def test_spending_of_a_year_is_created_then_replaced_with_one_row_per_category(cast):
    spending = f.spending(cast)
    assert spending.used == Decimal("350000.00")
    assert selectors.uses_of(spending) == {
        "facilities": Decimal("300000.00"),
        "training": Decimal("50000.00"),
    }
    again = f.spending(cast, used_facilities="100000", used_training="", used_insurance="36000")
    assert again.pk == spending.pk and SafetySpending.objects.count() == 1
    assert selectors.uses_of(again) == {"facilities": Decimal("100000.00"), "insurance": Decimal("36000.00")}
    assert SpendingUse.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"year": 1999}, "year"), ({"extracted": "-5"}, "extracted"), ({"used_testing": "-1"}, "used_testing")],
    ids=["year", "extracted", "use"],
)
def test_bad_spending_is_refused_and_nothing_is_saved(cast, overrides, field):
    with pytest.raises(DomainError) as refused:
        f.spending(cast, **overrides)
    assert refused.value.field == field
    assert not SafetySpending.objects.exists() and not SpendingUse.objects.exists()


# ---------------------------------------------------------------- the sweep


def test_the_sweep_expires_a_grade_the_day_after_its_last_day_and_not_on_it(
    cast, django_capture_on_commit_callbacks
):
    grade = f.grade(cast)
    assert services.sweep(today=grade.valid_until)["grades_expired"] == 0
    grade.refresh_from_db()
    assert grade.status == Grade.Status.CURRENT
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.sweep(today=grade.valid_until + timedelta(days=1))
    assert counts["grades_expired"] == 1
    grade.refresh_from_db()
    assert grade.status == Grade.Status.EXPIRED
    assert Notification.objects.filter(recipient=cast["enterprise_x"], title__contains="已过期").count() == 1
    assert services.sweep(today=grade.valid_until + timedelta(days=2))["grades_expired"] == 0


def test_the_sweep_tells_of_a_grade_expiring_once_from_ninety_days_before(cast):
    grade = f.grade(cast)
    assert services.sweep(today=grade.valid_until - timedelta(days=91))["grades_expiring"] == 0
    assert services.sweep(today=grade.valid_until - timedelta(days=90))["grades_expiring"] == 1
    assert services.sweep(today=grade.valid_until - timedelta(days=89))["grades_expiring"] == 0


def test_the_sweep_tells_of_a_policy_expiring_and_then_lapsed_once_each(
    cast, django_capture_on_commit_callbacks
):
    policy = f.policy(cast)
    assert services.sweep(today=policy.ends_on - timedelta(days=31))["policies_expiring"] == 0
    assert services.sweep(today=policy.ends_on - timedelta(days=30))["policies_expiring"] == 1
    assert services.sweep(today=policy.ends_on)["policies_lapsed"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(today=policy.ends_on + timedelta(days=1))["policies_lapsed"] == 1
    assert services.sweep(today=policy.ends_on + timedelta(days=2))["policies_lapsed"] == 0
    assert Notification.objects.filter(recipient=cast["dept_housing"], title__contains="脱保").count() == 1


def test_a_renewed_policy_is_not_lapsed(cast):
    policy = f.policy(cast)
    f.policy(
        cast,
        policy_no="PZAB2027",
        starts_on=policy.ends_on + timedelta(days=1),
        ends_on=policy.ends_on + timedelta(days=366),
    )
    assert services.sweep(today=policy.ends_on + timedelta(days=1))["policies_lapsed"] == 0
    assert services.sweep(today=policy.ends_on - timedelta(days=30))["policies_expiring"] == 0


# ---------------------------------------------------------------- lists, attributes, profile


def test_uninsured_lists_compulsory_enterprises_in_scope_without_a_covering_policy(cast):
    assert set(selectors.uninsured(cast["county_office"])) == {cast.enterprise_x, cast.enterprise_y}
    assert list(selectors.uninsured(cast["town_a"])) == [cast.enterprise_x]
    assert list(selectors.uninsured(cast["dept_transport"])) == []
    f.policy(cast)
    assert list(selectors.uninsured(cast["town_a"])) == []


def test_the_grade_attribute_gives_the_best_holding_grade_and_nothing_once_expired(cast):
    f.grade(cast, grade="3")
    f.grade(cast, grade="2", certificate_no="AQBJGII9")
    assert contract.enterprise_attribute(
        "risk.standardisation_grade", [cast.enterprise_x.pk, cast.enterprise_y.pk]
    ) == {
        cast.enterprise_x.pk: "2",
        cast.enterprise_y.pk: None,
    }
    later = timezone.localdate() + timedelta(days=3 * 366)
    assert selectors.standardisation_grades([cast.enterprise_x.pk], today=later) == {}


def test_the_attributes_take_one_query_for_many_ids(cast, django_assert_num_queries):
    ids = [cast.enterprise_x.pk, cast.enterprise_y.pk, *range(10_000, 10_050)]
    with django_assert_num_queries(1):
        selectors.standardisation_grades(ids)


def test_the_profile_facts_read_this_parts_records(cast):
    today = timezone.localdate()
    facts = selectors.profile_facts(cast["enterprise_x"], cast.enterprise_x, today)
    assert facts.has_responsibility_system is False and facts.spending_extracted is None
    f.responsibility(cast)
    f.spending(cast)
    facts = selectors.profile_facts(cast["enterprise_x"], cast.enterprise_x, today)
    assert facts.has_responsibility_system is True
    assert facts.spending_extracted == Decimal("850000.00") and facts.spending_used == Decimal("350000.00")
    assert facts.filed_plans == 0
    items = {item.key: item.state for item in rules.five_in_place(facts)}
    assert items["money"] == rules.IN_PLACE and items["rescue"] == rules.NOT_IN_PLACE


def _noon(day):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12))


def _policy_todos(user):
    return [item.title for item in selectors.policy_todo_items(selectors.lapsed_policies(user), 10)]


def test_the_enterprise_to_dos_show_a_lapsed_policy_and_an_expired_grade(cast):
    name = cast.enterprise_x.name
    assert _policy_todos(cast["enterprise_x"]) == [f"{name}：安责险应投未投"]  # never insured: not 已脱保
    policy = f.policy(cast)
    grade = f.grade(cast)
    assert list(selectors.lapsed_policies(cast["enterprise_x"])) == []
    with time_machine.travel(_noon(policy.ends_on), tick=False):
        assert list(selectors.lapsed_policies(cast["enterprise_x"])) == []
    with time_machine.travel(_noon(policy.ends_on + timedelta(days=1)), tick=False):
        assert list(selectors.lapsed_policies(cast["enterprise_x"])) == [cast.enterprise_x]
        assert _policy_todos(cast["enterprise_x"]) == [f"{name}：安责险已脱保"]
    services.sweep(today=grade.valid_until + timedelta(days=1))
    with time_machine.travel(_noon(grade.valid_until + timedelta(days=1)), tick=False):
        assert list(selectors.expired_grades(cast["enterprise_x"])) == [Grade.objects.get(pk=grade.pk)]
    assert list(selectors.lapsed_policies(cast["dept_housing"])) == []


def test_reporting_a_fatal_accident_through_the_accidents_module_flags_the_grade(
    cast, django_capture_on_commit_callbacks
):
    from anlan.accidents.tests import factories as accidents

    grade = f.grade(cast, grade="1")
    with django_capture_on_commit_callbacks(execute=True):
        accident = accidents.report(cast)
    grade.refresh_from_db()
    assert grade.status == Grade.Status.UNDER_REVIEW
    assert grade.flag_accident_id == accident.pk


@pytest.mark.parametrize("who", ["county_office", "dept_housing", "town_a"])
@pytest.mark.parametrize(
    "record",
    [
        pytest.param(lambda cast, actor: f.grade(cast, actor=actor), id="grade"),
        pytest.param(lambda cast, actor: f.policy(cast, actor=actor), id="policy"),
        pytest.param(lambda cast, actor: f.spending(cast, actor=actor), id="spending"),
    ],
)
def test_a_supervisor_may_not_keep_the_enterprises_own_records_for_it(cast, who, record):
    # The enterprise records (主体责任); its supervisors confirm a grade, they never enter one they would then confirm.
    with pytest.raises(PermissionDenied):
        record(cast, cast[who])
    assert not StandardisationGrade.objects.exists()
    assert not LiabilityPolicy.objects.exists()
    assert not SafetySpending.objects.exists()
    assert not StandardisationGrade.history.exists()
