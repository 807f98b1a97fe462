"""The 严重失信主体名单 procedure: who may take each step, the deadlines on both sides, the documents, the sweep
(candidates from accidents, expiry), the county settings, the kernel attribute and the accidents hook."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from anlan.accidents.tests.factories import report
from anlan.core import contract, units
from anlan.core.errors import DomainError
from anlan.core.models import Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.credit.models import DishonestyCase, DishonestySettings, DishonestySubject
from anlan.credit.rules import DishonestyCode
from anlan.credit.selectors import dishonesty as selectors
from anlan.credit.services import dishonesty as services
from anlan.credit.tests import factories_dishonesty as f
from anlan.notifications.models import Notification

Status = DishonestyCase.Status


def history_count(case) -> int:
    return case.history.count()


def test_a_supervisor_enters_a_candidate_for_an_enterprise_and_its_principal(cast):
    unit_case = f.candidate(cast)
    principal_case = f.candidate(cast, subject_kind="principal", situation=5)
    assert unit_case.status == Status.CANDIDATE
    assert unit_case.subject.kind == DishonestySubject.Kind.UNIT
    assert unit_case.subject.unit == units.unit_for(cast.enterprise_x)
    assert principal_case.subject.person == cast.enterprise_x.principal
    assert principal_case.enterprise == cast.enterprise_x
    assert unit_case.history.count() == 1


def test_an_agency_and_its_staff_member_are_subjects_of_their_own(cast):
    data = {
        "agency_type": "evaluation",
        "agency_name": "安徽某安全评价有限公司",
        "region": cast.county,
        "situation": 7,
    }
    agency_case = f.candidate(cast, subject_kind="agency", enterprise=None, **data)
    staff_case = f.candidate(
        cast,
        subject_kind="agency_staff",
        enterprise=None,
        person_name="王评价",
        person_id_number="110101199003074514",
        **data,
    )
    assert agency_case.subject.agency_type == "evaluation"
    assert agency_case.subject.unit.kind == "outside_body"
    assert staff_case.subject.person.employer == agency_case.subject.unit
    assert agency_case.enterprise is None


def test_a_candidate_needs_an_agency_type_for_an_agency(cast):
    with pytest.raises(DomainError) as error:
        f.candidate(cast, subject_kind="agency", enterprise=None, agency_name="某机构", region=cast.county)
    assert error.value.code == DishonestyCode.AGENCY_TYPE_REQUIRED
    assert not DishonestyCase.objects.exists()


def test_the_deciding_unit_must_be_the_proposers_own(cast):
    housing_unit = units.unit_for(cast.dept_housing)
    with pytest.raises(DomainError) as error:
        f.candidate(cast, deciding_unit=housing_unit)
    assert error.value.code == DishonestyCode.DECIDING_UNIT_INVALID
    assert not DishonestyCase.objects.exists()


def test_a_town_may_not_enter_candidates(cast):
    with pytest.raises(PermissionDenied):
        f.candidate(cast, actor=cast["town_a"])
    assert not DishonestyCase.objects.exists()


def test_notice_makes_a_numbered_docx_and_a_deadline_of_five_working_days(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = f.notified(cast)
    case.refresh_from_db()
    assert case.status == Status.NOTIFIED
    assert case.notified_on == date(2026, 3, 2)
    assert case.statement_due_on == date(2026, 3, 9)
    # The county's 安委办 of 来安县 numbers 来安安委失信告〔2026〕1号: the region once, then the office.
    county = cast.county.name.removesuffix("县")
    assert case.notice_number == f"{county}安委失信告〔2026〕1号"
    with case.notice_file.open("rb") as handle:
        assert handle.read(2) == b"PK"
    assert Notification.objects.filter(recipient=cast["enterprise_x"]).exists()


def test_the_county_setting_changes_the_statement_period(cast):
    services.save_settings(
        actor=cast["county_office"],
        region_pk=cast.county.pk,
        data={"local_relatively_major_rule": False, "statement_working_days": 10},
    )
    case = f.notified(cast)
    assert case.statement_due_on == date(2026, 3, 16)


@pytest.mark.parametrize("days", [0, 31])
def test_a_statement_period_outside_one_to_thirty_days_is_refused(cast, days):
    with pytest.raises(DomainError) as error:
        services.save_settings(
            actor=cast["county_office"],
            region_pk=cast.county.pk,
            data={"local_relatively_major_rule": True, "statement_working_days": days},
        )
    assert error.value.field == "statement_working_days"
    assert not DishonestySettings.objects.exists()


def test_only_the_county_office_changes_the_settings(cast):
    with pytest.raises(PermissionDenied):
        services.save_settings(
            actor=cast["dept_housing"],
            region_pk=cast.county.pk,
            data={"local_relatively_major_rule": True, "statement_working_days": 5},
        )
    assert not DishonestySettings.objects.exists()


def test_another_department_cannot_notify_a_case_it_did_not_penalise(cast):
    case = f.candidate(cast)
    # The housing department sees X's case (its industry) but did not impose the penalty.
    with f.at(f.NOTIFIED_ON), pytest.raises(DomainError) as error:
        services.notify_party(actor=cast["dept_housing"], case_pk=case.pk)
    assert error.value.code == DishonestyCode.NOT_DECIDER
    case.refresh_from_db()
    assert (case.status, history_count(case)) == (Status.CANDIDATE, 1)


def test_the_enterprise_does_not_see_a_candidate_before_it_is_told(cast):
    case = f.candidate(cast)
    with pytest.raises(Http404):
        selectors.access_case(cast["enterprise_x"], case.pk)
    with f.at(f.NOTIFIED_ON):
        services.notify_party(actor=cast["county_office"], case_pk=case.pk)
    assert selectors.access_case(cast["enterprise_x"], case.pk) == case


def test_the_enterprise_files_its_statement_on_the_last_day_but_not_the_day_after(cast):
    case = f.notified(cast)
    with f.at(date(2026, 3, 10)), pytest.raises(DomainError) as error:
        services.file_statement(
            actor=cast["enterprise_x"], case_pk=case.pk, name="file_statement", data={"statement": "迟到"}
        )
    assert error.value.code == DishonestyCode.STATEMENT_PERIOD_CLOSED
    with f.at(date(2026, 3, 9)):
        stated = services.file_statement(
            actor=cast["enterprise_x"], case_pk=case.pk, name="file_statement", data={"statement": "按时"}
        )
    assert (stated.status, stated.statement, stated.stated_on) == (Status.STATED, "按时", date(2026, 3, 9))


def test_the_enterprise_cannot_decide_anything(cast):
    case = f.stated(cast)
    with f.at(f.LISTED_ON), pytest.raises(PermissionDenied):
        services.decide(
            actor=cast["enterprise_x"], case_pk=case.pk, listed=False, data={"reason": "自己说不"}
        )
    case.refresh_from_db()
    assert case.status == Status.STATED


def test_the_decision_waits_for_the_statement_period_unless_the_party_has_stated(cast):
    case = f.notified(cast)
    with f.at(date(2026, 3, 9)), pytest.raises(DomainError) as error:
        services.decide(actor=cast["county_office"], case_pk=case.pk, listed=True, data={"reason": "x"})
    assert error.value.code == DishonestyCode.STATEMENT_PERIOD_OPEN
    with f.at(date(2026, 3, 10)):
        listed = services.decide(
            actor=cast["county_office"], case_pk=case.pk, listed=True, data={"reason": "x"}
        )
    assert listed.status == Status.LISTED


def test_once_the_party_has_stated_its_case_the_decision_need_not_wait_for_the_period(cast):
    case = f.stated(cast)  # stated on 2026-03-05, the period runs to 2026-03-09
    with f.at(date(2026, 3, 6)):
        listed = services.decide(
            actor=cast["county_office"], case_pk=case.pk, listed=True, data={"reason": "申辩理由不成立。"}
        )
    assert (listed.status, listed.listed_on) == (Status.LISTED, date(2026, 3, 6))


def test_listing_runs_three_years_and_flags_the_enterprise(cast):
    case = f.listed(cast)
    assert (case.listed_on, case.expires_on) == (date(2026, 3, 16), date(2029, 3, 16))
    assert case.decision_number.endswith("失信决〔2026〕1号")
    assert contract.enterprise_attribute(
        "credit.dishonest", [cast.enterprise_x.pk, cast.enterprise_y.pk]
    ) == {
        cast.enterprise_x.pk: True,
        cast.enterprise_y.pk: None,
    }
    assert contract.enterprise_attribute("credit.dishonest_until", [cast.enterprise_x.pk]) == {
        cast.enterprise_x.pk: date(2029, 3, 16)
    }


def test_a_decision_not_to_list_leaves_no_flag(cast):
    case = f.stated(cast)
    with f.at(f.LISTED_ON):
        case = services.decide(
            actor=cast["county_office"], case_pk=case.pk, listed=False, data={"reason": "申辩成立。"}
        )
    assert (case.status, case.listed_on, case.expires_on) == (Status.NOT_LISTED, None, None)
    assert contract.enterprise_attribute("credit.dishonest", [cast.enterprise_x.pk]) == {
        cast.enterprise_x.pk: None
    }


def test_early_removal_is_refused_on_the_anniversary_and_allowed_the_day_after(cast):
    case = f.listed(cast)
    with f.at(date(2027, 3, 16)), pytest.raises(DomainError) as error:
        services.apply_removal(
            actor=cast["enterprise_x"], case_pk=case.pk, name="apply_removal", data={"application": "早"}
        )
    assert error.value.code == DishonestyCode.NOT_YET_ELIGIBLE
    case.refresh_from_db()
    assert case.status == Status.LISTED
    with f.at(date(2027, 3, 17)):
        applied = services.apply_removal(
            actor=cast["enterprise_x"], case_pk=case.pk, name="apply_removal", data={"application": "已整改"}
        )
    assert applied.status == Status.REMOVAL_APPLIED


def test_the_transition_buttons_offer_early_removal_only_once_eligible(cast):
    from anlan.core.workflow import available_transitions

    case = f.listed(cast)
    with f.at(date(2027, 3, 16)):
        names = [t.name for t in available_transitions(case, cast["enterprise_x"], DishonestyCase.ACTIONS)]
        assert names == []
    with f.at(date(2027, 3, 17)):
        names = [t.name for t in available_transitions(case, cast["enterprise_x"], DishonestyCase.ACTIONS)]
        assert names == ["apply_removal"]


def test_removal_needs_every_repair_condition_confirmed(cast):
    case = f.removal_applied(cast)
    with f.at(date(2027, 3, 20)), pytest.raises(DomainError) as error:
        services.approve_removal(
            actor=cast["county_office"],
            case_pk=case.pk,
            data={"penalty_fulfilled": True, "harm_removed": True},
        )
    assert error.value.code == DishonestyCode.CONDITIONS_NOT_MET
    case.refresh_from_db()
    assert case.status == Status.REMOVAL_APPLIED


def test_early_removal_drops_the_flag_and_revocation_restores_it(cast):
    case = f.removed(cast)
    assert (case.status, case.removed_on) == (Status.REMOVED, date(2027, 3, 20))
    assert (
        contract.enterprise_attribute("credit.dishonest", [cast.enterprise_x.pk])[cast.enterprise_x.pk]
        is None
    )
    with f.at(date(2027, 6, 1)):
        case = services.revoke_removal(
            actor=cast["county_office"], case_pk=case.pk, reason="申请材料弄虚作假。"
        )
    assert (case.status, case.revoked_on, case.removed_on, case.expires_on) == (
        Status.LISTED,
        date(2027, 6, 1),
        None,
        date(2029, 3, 16),
    )
    assert case.relisted is True
    assert (
        contract.enterprise_attribute("credit.dishonest", [cast.enterprise_x.pk])[cast.enterprise_x.pk]
        is True
    )


def test_a_rejected_removal_keeps_the_listing(cast):
    case = f.removal_applied(cast)
    with f.at(date(2027, 3, 20)):
        case = services.reject_removal(actor=cast["county_office"], case_pk=case.pk, reason="罚款未缴清。")
    assert case.status == Status.LISTED


def test_the_sweep_removes_a_listing_the_day_after_its_last_day_and_only_then(cast):
    case = f.listed(cast)
    assert services.sweep(today=date(2029, 3, 16))["expired"] == 0
    case.refresh_from_db()
    assert case.status == Status.LISTED
    assert services.sweep(today=date(2029, 3, 17))["expired"] == 1
    case.refresh_from_db()
    assert (case.status, case.removed_on) == (Status.EXPIRED, date(2029, 3, 17))
    assert services.sweep(today=date(2029, 3, 18))["expired"] == 0


def _major_accident(cast, **figures):
    return report(cast, enterprise=cast.enterprise_x, **figures)


def test_the_sweep_makes_candidates_for_a_major_accident_once(cast):
    accident = _major_accident(cast, deaths=10)
    today = timezone.localdate(accident.occurred_at)
    counts = services.sweep(today=today)
    assert counts["candidates"] == 2
    cases = DishonestyCase.objects.order_by("subject__kind")
    assert [(c.situation, c.subject.kind, c.source) for c in cases] == [
        (1, "principal", "sweep"),
        (1, "unit", "sweep"),
    ]
    assert cases[0].deciding_unit == units.committee_office_for(cast.county)
    assert services.sweep(today=today)["candidates"] == 0


def test_a_relatively_major_accident_is_a_candidate_only_under_the_local_rule(cast):
    accident = _major_accident(cast, deaths=3)
    today = timezone.localdate(accident.occurred_at)
    assert services.sweep(today=today)["candidates"] == 0
    services.save_settings(
        actor=cast["county_office"],
        region_pk=cast.county.pk,
        data={"local_relatively_major_rule": True, "statement_working_days": 5},
    )
    assert services.sweep(today=today)["candidates"] == 2
    assert set(DishonestyCase.objects.values_list("situation", flat=True)) == {0}


def test_two_relatively_major_accidents_in_12_months_make_one_situation_2_case_per_subject(cast):
    first = _major_accident(cast, deaths=3)
    _major_accident(cast, deaths=4)
    today = timezone.localdate(first.occurred_at)
    assert services.sweep(today=today)["candidates"] == 2
    cases = DishonestyCase.objects.order_by("subject__kind")
    assert [(c.situation, c.subject.kind) for c in cases] == [(2, "principal"), (2, "unit")]
    assert "2 起" in cases[0].basis


def test_the_accidents_hook_names_the_situations_in_words(cast):
    describe = contract.provided("credit.dishonesty_basis")
    assert "情形一" in describe({"accident_grade": "major"}, region_id=cast.county.pk)
    assert describe({"accident_grade": "ordinary"}, region_id=cast.county.pk) == ""


def test_a_second_member_of_the_deciding_unit_may_decide(cast):
    colleague = UserFactory(username="yingji2")
    MembershipFactory(user=colleague, role=Role.COMMITTEE_OFFICE, region=cast.county)
    case = f.stated(cast)
    with f.at(f.LISTED_ON):
        case = services.decide(actor=colleague, case_pk=case.pk, listed=True, data={"reason": "成立"})
    assert case.status == Status.LISTED


def test_each_document_is_recorded_in_the_history_row_of_the_step_that_made_it(cast):
    case = f.stated(cast)
    created, notify, statement = case.history.order_by("history_id")
    assert not created.notice_file  # the candidate had none
    assert notify.status == Status.NOTIFIED
    assert notify.notice_file and notify.notice_number
    assert statement.notice_file == notify.notice_file  # the party's statement changed no document
