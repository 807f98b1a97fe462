"""Plans (应急预案): each step of the lifecycle, each refusal, 备案 and its check with the deemed-accepted boundary,
the 备案登记表, evaluation and the sweep."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from anlan.core.errors import DomainError
from anlan.emergency import rules
from anlan.emergency.models import Plan, PlanFiling, PlanReview
from anlan.emergency.selectors import plans as selectors
from anlan.emergency.services import plans as services
from anlan.emergency.services.plans import PlanError
from anlan.notifications.models import Notification

from .factories_plans import PDF, county_office_unit, enterprise_plan, housing_unit, plan_data, town_plan

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-09 10:00 +0800"  # submitted this day: the check period ends on Monday 16 March


@pytest.fixture(autouse=True)
def in_march():
    with time_machine.travel(MONDAY, tick=False):
        yield


def _submit_to_housing(cast, plan, day=date(2026, 3, 9)):
    return services.submit_filing(
        actor=cast["enterprise_x"], plan_pk=plan.pk, receiver_pk=housing_unit(cast).pk, submitted_on=day
    )


# ---------------------------------------------------------------- register


def test_an_enterprise_registers_its_plan_in_draft_with_version_one_and_a_review_by_its_category(cast):
    plan = enterprise_plan(cast)
    assert plan.status == Plan.Status.DRAFT
    assert plan.enterprise == cast.enterprise_x and plan.region == cast.village_a
    assert plan.unit_category == rules.CONSTRUCTION
    assert plan.review_kind == rules.REVIEW  # 第二十一条: 建筑施工 评审
    assert plan.response_levels == [1, 2]
    assert [v.number for v in plan.versions.all()] == [1]


def test_a_town_plan_is_argued_not_reviewed(cast):
    plan = town_plan(cast)
    assert plan.unit_category == rules.TOWN and plan.review_kind == rules.ARGUMENT
    assert plan.enterprise is None and plan.region == cast.town_a


def test_a_plan_keeps_its_uploaded_pdf(cast):
    from anlan.core.units import unit_for

    upload = SimpleUploadedFile("预案.pdf", PDF, content_type="application/pdf")
    plan = services.register_plan(
        actor=cast["enterprise_x"], owner_pk=unit_for(cast.enterprise_x).pk, data=plan_data(), file=upload
    )
    version = plan.versions.get()
    assert version.file.name.endswith(".pdf") and version.file_name == "预案.pdf"


def test_nobody_registers_a_plan_for_a_unit_not_theirs(cast):
    from anlan.core.units import unit_for

    with pytest.raises(DomainError) as error:
        services.register_plan(actor=cast["town_b"], owner_pk=unit_for(cast.town_a).pk, data=plan_data())
    assert error.value.code == PlanError.OWNER_NOT_YOURS and error.value.field == "owner"
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"kind": "drill"}, PlanError.KIND_UNKNOWN, "kind"),
        ({"title": "  "}, PlanError.TITLE_REQUIRED, "title"),
        ({"response_levels": ["5"]}, PlanError.LEVEL_UNKNOWN, "response_levels"),
    ],
    ids=["unknown kind", "blank title", "level five"],
)
def test_bad_plan_input_names_the_field(cast, overrides, code, field):
    with pytest.raises(DomainError) as error:
        enterprise_plan(cast, **overrides)
    assert (error.value.code, error.value.field) == (code, field)
    assert not Plan.objects.exists()


def test_the_grid_worker_and_the_leader_hold_no_right_to_register(cast):
    for who in ("grid_worker", "leader", "expert"):
        with pytest.raises(PermissionDenied):
            services.register_plan(actor=cast[who], owner_pk=1, data=plan_data())


# ---------------------------------------------------------------- review, sign, publish


def test_a_passed_review_moves_the_plan_to_reviewed_and_a_failed_one_keeps_it_in_draft(cast):
    plan = enterprise_plan(cast)
    services.record_review(
        no_conflict=True,
        actor=cast["enterprise_x"],
        plan_pk=plan.pk,
        held_on=date(2026, 3, 2),
        reviewers="张",
        conclusion="revise",
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    services.record_review(
        no_conflict=True,
        actor=cast["enterprise_x"],
        plan_pk=plan.pk,
        held_on=date(2026, 3, 3),
        reviewers="张",
        conclusion="passed",
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.REVIEWED
    assert list(plan.reviews.values_list("kind", flat=True)) == [rules.REVIEW, rules.REVIEW]


def test_a_review_is_refused_until_the_reviewers_are_declared_free_of_interest(cast):
    plan = enterprise_plan(cast)
    with pytest.raises(DomainError) as error:
        services.record_review(
            actor=cast["enterprise_x"],
            plan_pk=plan.pk,
            held_on=date(2026, 3, 2),
            reviewers="张专家",
            conclusion="passed",
        )
    assert error.value.code == PlanError.CONFLICT_NOT_DECLARED and error.value.field == "no_conflict"
    assert not PlanReview.objects.exists()
    review = services.record_review(
        no_conflict=True,
        actor=cast["enterprise_x"],
        plan_pk=plan.pk,
        held_on=date(2026, 3, 2),
        reviewers="张专家",
        conclusion="passed",
    )
    assert review.no_conflict


def test_a_review_needs_reviewers_and_a_date_not_in_the_future(cast):
    plan = enterprise_plan(cast)
    with pytest.raises(DomainError) as error:
        services.record_review(
            no_conflict=True,
            actor=cast["enterprise_x"],
            plan_pk=plan.pk,
            held_on=date(2026, 3, 2),
            reviewers=" ",
            conclusion="passed",
        )
    assert error.value.code == PlanError.REVIEWERS_REQUIRED
    with pytest.raises(DomainError) as error:
        services.record_review(
            no_conflict=True,
            actor=cast["enterprise_x"],
            plan_pk=plan.pk,
            held_on=date(2026, 3, 10),
            reviewers="张",
            conclusion="passed",
        )
    assert error.value.code == PlanError.DATE_IN_FUTURE and error.value.field == "held_on"
    assert not PlanReview.objects.exists()


def test_the_county_office_sees_an_enterprise_plan_but_may_not_review_it(cast):
    plan = enterprise_plan(cast)
    with pytest.raises(PermissionDenied):
        services.record_review(
            no_conflict=True,
            actor=cast["county_office"],
            plan_pk=plan.pk,
            held_on=date(2026, 3, 2),
            reviewers="张",
            conclusion="passed",
        )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and not PlanReview.objects.exists()


def test_an_enterprise_plan_is_signed_by_its_registered_principal(cast):
    plan = enterprise_plan(cast, state="signed")
    assert plan.status == Plan.Status.SIGNED
    assert plan.signed_by == cast.enterprise_x.principal.name  # not the name typed in
    assert plan.signed_on == date(2026, 3, 2)


def test_an_enterprise_without_a_principal_cannot_sign(cast):
    plan = enterprise_plan(cast, state="reviewed")
    type(cast.enterprise_x).objects.filter(pk=cast.enterprise_x.pk).update(principal=None)
    with pytest.raises(DomainError) as error:
        services.sign_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, signed_on=date(2026, 3, 2))
    assert error.value.code == PlanError.PRINCIPAL_MISSING


def test_a_government_plan_needs_the_signers_name_and_is_not_signed_before_its_review(cast):
    plan = town_plan(cast, state="reviewed", day=date(2026, 3, 5))
    with pytest.raises(DomainError) as error:
        services.sign_plan(actor=cast["town_a"], plan_pk=plan.pk, signed_on=date(2026, 3, 5), signed_by="")
    assert error.value.code == PlanError.SIGNER_REQUIRED
    with pytest.raises(DomainError) as error:
        services.sign_plan(
            actor=cast["town_a"], plan_pk=plan.pk, signed_on=date(2026, 3, 4), signed_by="王镇长"
        )
    assert error.value.code == PlanError.DATE_BEFORE


def test_a_plan_cannot_be_signed_before_it_is_reviewed(cast):
    plan = enterprise_plan(cast)
    with pytest.raises(DomainError) as error:
        services.sign_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, signed_on=date(2026, 3, 2))
    assert error.value.code == "illegal_transition"


def test_publication_sets_the_filing_deadline_twenty_working_days_on_and_the_evaluation_three_years_on(cast):
    plan = enterprise_plan(cast, state="published", day=date(2026, 3, 2))
    assert plan.status == Plan.Status.PUBLISHED
    assert plan.filing_status == Plan.FilingStatus.UNFILED
    assert plan.filing_due_on == date(2026, 3, 30)  # 20 working days after Monday 2 March
    assert plan.evaluation_due_on == date(2029, 3, 2)  # 第三十五条: 建筑施工 every 3 years


def test_a_town_plan_has_no_fixed_evaluation_date(cast):
    plan = town_plan(cast, state="published")
    assert plan.evaluation_due_on is None


def test_a_card_is_published_without_a_filing_duty(cast):
    plan = enterprise_plan(cast, state="published", kind="card", title="塔吊司机应急处置卡")
    assert plan.filing_status == Plan.FilingStatus.NOT_DUE and plan.filing_due_on is None


def test_publication_is_not_before_signature(cast):
    plan = enterprise_plan(cast, state="signed", day=date(2026, 3, 5))
    with pytest.raises(DomainError) as error:
        services.publish_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, published_on=date(2026, 3, 4))
    assert error.value.code == PlanError.DATE_BEFORE and error.value.field == "published_on"


# ---------------------------------------------------------------- revise, end


def test_a_revision_starts_a_new_version_in_draft_and_clears_signature_and_filing(cast):
    plan = enterprise_plan(cast, state="published")
    version = services.revise_plan(
        actor=cast["enterprise_x"], plan_pk=plan.pk, trigger="hazards_changed", note="新增深基坑"
    )
    plan.refresh_from_db()
    assert (version.number, version.reason) == (2, "hazards_changed")
    assert plan.status == Plan.Status.DRAFT and plan.version == 2
    assert plan.signed_on is None and plan.filing_status == Plan.FilingStatus.NOT_DUE


def test_a_revision_names_its_trigger(cast):
    plan = enterprise_plan(cast, state="published")
    with pytest.raises(DomainError) as error:
        services.revise_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, trigger="")
    assert error.value.code == PlanError.TRIGGER_REQUIRED


def test_a_draft_cannot_be_revised_and_an_abolition_needs_a_reason(cast):
    plan = enterprise_plan(cast)
    with pytest.raises(DomainError):
        services.revise_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, trigger="other")
    with pytest.raises(DomainError) as error:
        services.end_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, how="abolish", reason="")
    assert error.value.field == "reason"
    services.end_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, how="abolish", reason="项目竣工")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ABOLISHED and plan.ended_reason == "项目竣工"


def test_only_a_published_plan_is_superseded(cast):
    plan = enterprise_plan(cast, state="signed")
    with pytest.raises(DomainError):
        services.end_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, how="supersede", reason="")
    services.publish_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, published_on=date(2026, 3, 2))
    services.end_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, how="supersede", reason="新版发布")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUPERSEDED


def test_a_draft_is_edited_but_a_reviewed_plan_is_not(cast):
    plan = enterprise_plan(cast)
    services.update_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, data=plan_data(title="新名称"))
    plan.refresh_from_db()
    assert plan.title == "新名称"
    services.record_review(
        no_conflict=True,
        actor=cast["enterprise_x"],
        plan_pk=plan.pk,
        held_on=date(2026, 3, 2),
        reviewers="张",
        conclusion="passed",
    )
    with pytest.raises(DomainError) as error:
        services.update_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, data=plan_data(title="再改"))
    assert error.value.code == PlanError.NOT_DRAFT


# ---------------------------------------------------------------- filing


def test_filing_sets_a_check_period_of_five_working_days_and_tells_the_receiver(
    cast, django_capture_on_commit_callbacks
):
    plan = enterprise_plan(cast, state="published")
    with django_capture_on_commit_callbacks(execute=True):
        filing = _submit_to_housing(cast, plan)
    plan.refresh_from_db()
    assert filing.check_due_on == date(2026, 3, 16)
    assert filing.receiver == housing_unit(cast) and filing.version == 1
    assert plan.filing_status == Plan.FilingStatus.SUBMITTED
    assert (
        Notification.objects.filter(recipient=cast["dept_housing"], kind="emergency.plan_filing").count() == 1
    )


def test_an_enterprise_files_only_with_its_supervising_department_or_the_county_office(cast):
    from anlan.core.units import unit_for

    plan = enterprise_plan(cast, state="published")
    with pytest.raises(DomainError) as error:
        services.submit_filing(
            actor=cast["enterprise_x"], plan_pk=plan.pk, receiver_pk=unit_for(cast.dept_transport).pk
        )
    assert error.value.code == PlanError.RECEIVER_NOT_ALLOWED and error.value.field == "receiver"
    assert not PlanFiling.objects.exists()


def test_an_unpublished_plan_is_not_filed_and_a_filed_one_not_twice(cast):
    plan = enterprise_plan(cast, state="signed")
    with pytest.raises(DomainError) as error:
        _submit_to_housing(cast, plan)
    assert error.value.code == PlanError.NOT_PUBLISHED
    services.publish_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, published_on=date(2026, 3, 2))
    _submit_to_housing(cast, plan)
    with pytest.raises(DomainError) as error:
        _submit_to_housing(cast, plan)
    assert error.value.code == PlanError.ALREADY_FILED
    assert PlanFiling.objects.count() == 1


def test_the_receiver_accepts_a_complete_filing_and_numbers_it(cast):
    plan = enterprise_plan(cast, state="published")
    filing = _submit_to_housing(cast, plan)
    services.accept_filing(actor=cast["dept_housing"], filing_pk=filing.pk)
    filing.refresh_from_db()
    plan.refresh_from_db()
    assert filing.status == PlanFiling.Status.ACCEPTED and filing.answered_on == date(2026, 3, 9)
    assert filing.registration_number == f"2026-{filing.pk:04d}" and filing.checked_by == cast["dept_housing"]
    assert plan.filing_status == Plan.FilingStatus.ACCEPTED


def test_a_returned_filing_lists_every_missing_item_in_one_notice_and_the_owner_files_again(cast):
    plan = enterprise_plan(cast, state="published")
    filing = _submit_to_housing(cast, plan)
    services.return_filing(
        actor=cast["dept_housing"],
        filing_pk=filing.pk,
        missing_items=["risk_assessment", "resource_survey"],
        missing_note="评审意见缺专家签字",
    )
    filing.refresh_from_db()
    plan.refresh_from_db()
    assert filing.status == PlanFiling.Status.RETURNED
    assert filing.missing_labels == ["风险评估结果", "应急资源调查清单"]
    assert plan.filing_status == Plan.FilingStatus.RETURNED
    again = _submit_to_housing(cast, plan)
    assert again.pk != filing.pk and again.status == PlanFiling.Status.SUBMITTED


def test_a_return_without_any_missing_item_is_refused(cast):
    plan = enterprise_plan(cast, state="published")
    filing = _submit_to_housing(cast, plan)
    with pytest.raises(DomainError) as error:
        services.return_filing(
            actor=cast["dept_housing"], filing_pk=filing.pk, missing_items=[], missing_note=""
        )
    assert error.value.code == PlanError.MISSING_ITEMS_REQUIRED and error.value.field == "missing_items"
    with pytest.raises(DomainError) as error:
        services.return_filing(actor=cast["dept_housing"], filing_pk=filing.pk, missing_items=["cake"])
    assert error.value.code == PlanError.MISSING_ITEM_UNKNOWN


def test_only_the_receiving_unit_checks_a_filing(cast):
    plan = enterprise_plan(cast, state="published")
    filing = _submit_to_housing(cast, plan)
    for who in ("county_office", "town_a", "enterprise_x", "leader"):
        with pytest.raises(PermissionDenied):
            services.accept_filing(actor=cast[who], filing_pk=filing.pk)
    filing.refresh_from_db()
    assert filing.status == PlanFiling.Status.SUBMITTED


def test_the_owner_cannot_accept_its_own_filing(cast):
    from anlan.core.models import Role
    from anlan.core.tests.factories import MembershipFactory
    from anlan.core.units import unit_for

    # A county-office user who also works for town A: town A's plan is filed with the county office.
    plan = town_plan(cast, state="published")
    filing = services.submit_filing(
        actor=cast["town_a"], plan_pk=plan.pk, receiver_pk=county_office_unit(cast).pk
    )
    MembershipFactory(user=cast["county_office"], role=Role.TOWN, region=cast.town_a)
    cast["county_office"].__dict__.pop("_anlan_memberships", None)
    with pytest.raises(DomainError) as error:
        services.accept_filing(actor=cast["county_office"], filing_pk=filing.pk)
    assert error.value.code == PlanError.SELF_ACCEPTANCE
    assert unit_for(cast.town_a) == plan.owner


def test_the_receiver_may_answer_on_the_fifth_working_day(cast):
    plan = enterprise_plan(cast, state="published")
    filing = _submit_to_housing(cast, plan)
    with time_machine.travel("2026-03-16 17:00 +0800", tick=False):
        services.accept_filing(actor=cast["dept_housing"], filing_pk=filing.pk)
    filing.refresh_from_db()
    assert filing.status == PlanFiling.Status.ACCEPTED


def test_the_day_after_the_fifth_working_day_the_filing_counts_as_filed_and_cannot_be_returned(cast):
    plan = enterprise_plan(cast, state="published")
    filing = _submit_to_housing(cast, plan)
    with time_machine.travel("2026-03-17 09:00 +0800", tick=False), pytest.raises(DomainError) as error:
        services.return_filing(actor=cast["dept_housing"], filing_pk=filing.pk, missing_items=["application"])
    assert error.value.code == PlanError.FILING_DEEMED
    filing.refresh_from_db()
    assert filing.status == PlanFiling.Status.SUBMITTED


# ---------------------------------------------------------------- the 备案登记表


def test_the_registration_form_names_the_plan_the_owner_the_receiver_and_the_number(cast):
    plan = enterprise_plan(cast, state="published")
    filing = _submit_to_housing(cast, plan)
    services.accept_filing(
        actor=cast["dept_housing"], filing_pk=filing.pk, registration_number="住建备〔2026〕3号"
    )
    filing.refresh_from_db()
    text = "\n".join(p.text for p in Document(io.BytesIO(services.registration_form_docx(filing))).paragraphs)
    assert "生产安全事故应急预案备案登记表" in text
    assert "住建备〔2026〕3号" in text
    assert plan.title in text and cast.enterprise_x.name in text and cast.dept_housing.name in text
    assert "材料齐全，予以备案" in text
    assert "2026年3月2日" in text  # 公布日期


# ---------------------------------------------------------------- evaluation


def test_an_evaluation_moves_the_next_one_three_years_on_and_names_a_revision_trigger(cast):
    plan = enterprise_plan(cast, state="published")
    with pytest.raises(DomainError) as error:
        services.record_evaluation(
            actor=cast["enterprise_x"],
            plan_pk=plan.pk,
            evaluated_on=date(2026, 3, 9),
            conclusion="需修订",
            needs_revision=True,
        )
    assert error.value.code == PlanError.TRIGGER_REQUIRED
    services.record_evaluation(
        actor=cast["enterprise_x"],
        plan_pk=plan.pk,
        evaluated_on=date(2026, 3, 9),
        conclusion="机构调整，需修订",
        needs_revision=True,
        trigger="command_changed",
    )
    plan.refresh_from_db()
    assert plan.evaluation_due_on == date(2029, 3, 9)
    assert plan.evaluations.get().trigger == "command_changed"
    assert plan.revision_due_on == date(2026, 4, 8)  # rules.REVISION_START_DAYS (30) after the evaluation


def test_a_revision_found_necessary_and_not_started_is_flagged_once_after_its_day_and_starting_it_clears_it(
    cast, django_capture_on_commit_callbacks
):
    plan = enterprise_plan(cast, state="published", day=date(2026, 3, 2))
    services.record_evaluation(
        actor=cast["enterprise_x"],
        plan_pk=plan.pk,
        evaluated_on=date(2026, 3, 9),
        conclusion="风险发生重大变化，需修订",
        needs_revision=True,
        trigger="hazards_changed",
    )
    assert rules.revision_due(date(2026, 3, 9)) == date(2026, 4, 8)
    # On its last day it is not late; the day after, it is flagged once and the owner told.
    assert services.flag_overdue_revisions(today=date(2026, 4, 8)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.flag_overdue_revisions(today=date(2026, 4, 9)) == 1
    assert services.flag_overdue_revisions(today=date(2026, 4, 10)) == 0
    assert Notification.objects.filter(
        recipient=cast["enterprise_x"], kind="emergency.plan_overdue", title__contains="逾期未修订"
    ).exists()
    # Starting the revision clears the deadline: nothing more to flag.
    services.revise_plan(actor=cast["enterprise_x"], plan_pk=plan.pk, trigger="hazards_changed")
    plan.refresh_from_db()
    assert plan.revision_due_on is None and plan.revision_overdue_notified_on is None
    assert not Plan.objects.filter(selectors.overdue_revision_q(date(2026, 5, 1))).exists()


def test_an_evaluation_without_a_revision_sets_no_revision_deadline(cast):
    plan = enterprise_plan(cast, state="published", day=date(2026, 3, 2))
    services.record_evaluation(
        actor=cast["enterprise_x"], plan_pk=plan.pk, evaluated_on=date(2026, 3, 9), conclusion="适用"
    )
    plan.refresh_from_db()
    assert plan.revision_due_on is None


def test_a_draft_is_not_evaluated_and_a_conclusion_is_required(cast):
    plan = enterprise_plan(cast)
    with pytest.raises(DomainError) as error:
        services.record_evaluation(
            actor=cast["enterprise_x"], plan_pk=plan.pk, evaluated_on=date(2026, 3, 9), conclusion="好"
        )
    assert error.value.code == PlanError.NOT_PUBLISHED
    with pytest.raises(DomainError) as error:
        services.record_evaluation(
            actor=cast["enterprise_x"], plan_pk=plan.pk, evaluated_on=date(2026, 3, 9), conclusion=""
        )
    assert error.value.code == PlanError.CONCLUSION_REQUIRED


# ---------------------------------------------------------------- the sweep


def test_the_sweep_deems_a_filing_filed_only_after_the_fifth_working_day(cast):
    plan = enterprise_plan(cast, state="published")
    filing = _submit_to_housing(cast, plan)
    assert services.deem_unanswered_filings(today=date(2026, 3, 16)) == 0
    assert services.deem_unanswered_filings(today=date(2026, 3, 17)) == 1
    filing.refresh_from_db()
    plan.refresh_from_db()
    assert filing.status == PlanFiling.Status.DEEMED and filing.is_filed
    assert plan.filing_status == Plan.FilingStatus.DEEMED
    assert plan.get_filing_status_display() == "逾期未答复视为备案"


def test_the_sweep_is_idempotent(cast, django_capture_on_commit_callbacks):
    plan = enterprise_plan(cast, state="published", day=date(2026, 3, 2))
    late = enterprise_plan(cast, state="published", day=date(2026, 3, 2), title="第二个预案")
    _submit_to_housing(cast, plan)
    Plan.objects.filter(pk=late.pk).update(
        evaluation_due_on=date(2026, 3, 1), revision_due_on=date(2026, 3, 31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = services.run_sweep(today=date(2026, 4, 1))
    history = sum(m.history.count() for m in (Plan, PlanFiling))
    messages = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.run_sweep(today=date(2026, 4, 1))
    assert first == {
        "filings_deemed_accepted": 1,
        "filings_overdue_flagged": 1,
        "evaluations_overdue_flagged": 1,
        "revisions_overdue_flagged": 1,
    }
    assert second == {
        "filings_deemed_accepted": 0,
        "filings_overdue_flagged": 0,
        "evaluations_overdue_flagged": 0,
        "revisions_overdue_flagged": 0,
    }
    assert sum(m.history.count() for m in (Plan, PlanFiling)) == history
    assert Notification.objects.count() == messages
    late.refresh_from_db()
    assert late.filing_overdue_notified_on == date(2026, 4, 1)
    assert (
        Notification.objects.filter(recipient=cast["enterprise_x"], kind="emergency.plan_overdue").count()
        == 3
    )


def test_a_filing_due_on_the_deadline_is_not_overdue_that_day(cast):
    plan = enterprise_plan(cast, state="published", day=date(2026, 3, 2))
    assert services.flag_overdue_filings(today=date(2026, 3, 30)) == 0
    assert services.flag_overdue_filings(today=date(2026, 3, 31)) == 1
    plan.refresh_from_db()
    assert plan.filing_overdue_notified_on == date(2026, 3, 31)
