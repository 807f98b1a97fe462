"""Use cases: registration and numbering, leads, 五落实, verification rules, extensions, 挂牌督办, 回头看,
notifications and bad input (nothing half-saved)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from anlan.core import units
from anlan.core.errors import Code, DomainError
from anlan.core.models import Role
from anlan.core.tests.factories import MembershipFactory, UserFactory, industry
from anlan.documents.models import IssuedDocument
from anlan.hazards import services
from anlan.hazards.models import Extension, Hazard, Lead, Photo, Supervision
from anlan.hazards.rules import ErrorCode, PlanFields
from anlan.notifications.models import Notification

from .factories import HazardFactory, LeadFactory, on, photo

S = Hazard.Status


def hazard_data(cast, **overrides):
    data = {
        "enterprise": cast.enterprise_x,
        "source": Hazard.Source.DEPARTMENT_INSPECTION,
        "category": Hazard.Category.UNSAFE_CONDITION,
        "grade": Hazard.Grade.ORDINARY,
        "description": "塔吊限位装置失效",
        "found_on": on(-1),
        "due_on": on(14),
    }
    data.update(overrides)
    return data


def notified(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# ---------------------------------------------------------------- registration


def test_registration_takes_region_industry_and_grid_from_the_enterprise_and_numbers_per_county_and_year(
    cast,
):
    first = services.register_hazard(actor=cast["dept_housing"], data=hazard_data(cast))
    second = services.register_hazard(actor=cast["town_a"], data=hazard_data(cast))
    year = on(-1).year
    assert first.number == f"YH341122-{year}-00001"
    assert second.number == f"YH341122-{year}-00002"
    assert (first.region, first.industry, first.grid) == (
        cast.village_a,
        industry("construction"),
        cast.grid_a,
    )
    assert first.supervising_department == cast.dept_housing
    assert first.status == S.REGISTERED
    assert [row.history_type for row in first.history.all()] == ["+"]


def test_the_enterprise_hears_of_a_hazard_registered_by_someone_else(cast):
    services.register_hazard(actor=cast["dept_housing"], data=hazard_data(cast))
    assert notified("hazard_assigned") == {"enterprise_x"}


def test_a_major_hazard_notifies_the_department_and_the_committee_office_at_registration(cast):
    services.register_hazard(
        actor=cast["enterprise_x"],
        data=hazard_data(
            cast,
            grade=Hazard.Grade.MAJOR,
            major_basis="房屋市政工程生产安全重大事故隐患判定标准 第四条",
            source=Hazard.Source.SELF_INSPECTION,
        ),
    )
    assert notified("hazard_major") == {"dept_housing", "county_office", "town_a"}


def test_a_major_hazard_without_a_basis_is_refused_and_nothing_is_saved(cast):
    with pytest.raises(DomainError) as caught:
        services.register_hazard(actor=cast["town_a"], data=hazard_data(cast, grade=Hazard.Grade.MAJOR))
    assert (caught.value.field, caught.value.code) == ("major_criterion", ErrorCode.MAJOR_BASIS)
    assert Hazard.objects.count() == 0


def test_a_due_date_before_the_finding_date_is_refused_on_its_field(cast):
    with pytest.raises(DomainError) as caught:
        services.register_hazard(actor=cast["town_a"], data=hazard_data(cast, found_on=on(-1), due_on=on(-2)))
    assert (caught.value.field, caught.value.code) == ("due_on", ErrorCode.DUE_BEFORE_FOUND)
    assert Hazard.objects.count() == 0


def test_a_file_that_is_not_a_picture_refuses_the_whole_registration(cast):
    with pytest.raises(DomainError) as caught:
        services.register_hazard(
            actor=cast["town_a"],
            data=hazard_data(cast),
            photos=[photo("scan.jpg", b"%PDF-1.4 not a picture")],
        )
    assert (caught.value.field, caught.value.code) == ("photos", ErrorCode.NOT_AN_IMAGE)
    assert Hazard.objects.count() == 0 and Photo.objects.count() == 0


def test_an_oversized_picture_is_refused(cast, settings):
    settings.ANLAN_PHOTO_MAX_BYTES = 10
    with pytest.raises(DomainError) as caught:
        services.register_hazard(actor=cast["town_a"], data=hazard_data(cast), photos=[photo()])
    assert caught.value.code == ErrorCode.TOO_LARGE
    assert Hazard.objects.count() == 0


def test_a_place_without_an_enterprise_needs_a_name_region_and_industry(cast):
    data = hazard_data(cast, enterprise=None, region=cast.village_a, industry=industry("urban-construction"))
    with pytest.raises(DomainError) as caught:
        services.register_hazard(actor=cast["town_a"], data=data)
    assert (caught.value.field, caught.value.code) == ("place", ErrorCode.NO_PLACE)
    assert Hazard.objects.count() == 0
    hazard = services.register_hazard(actor=cast["town_a"], data={**data, "place": "滁河大桥东侧路段"})
    assert hazard.subject == "滁河大桥东侧路段"


def test_a_town_cannot_register_a_hazard_in_another_town(cast):
    with pytest.raises(Http404):  # enterprise Y lies outside town A: it does not exist for town A
        services.register_hazard(actor=cast["town_a"], data=hazard_data(cast, enterprise=cast.enterprise_y))
    data = hazard_data(
        cast, enterprise=None, place="半塔镇集市", region=cast.town_b, industry=industry("commerce")
    )
    with pytest.raises(DomainError) as caught:
        services.register_hazard(actor=cast["town_a"], data=data)
    assert caught.value.code == Code.OUT_OF_SCOPE
    assert Hazard.objects.count() == 0


@pytest.mark.parametrize("who", ["grid_worker", "leader"])
def test_grid_workers_and_leaders_cannot_register_hazards(cast, who):
    with pytest.raises(PermissionDenied):
        services.register_hazard(actor=cast[who], data=hazard_data(cast))


# ---------------------------------------------------------------- leads


def test_a_grid_workers_lead_is_confirmed_into_a_hazard_with_its_photos(cast):
    lead = services.report_lead(
        actor=cast["grid_worker"],
        data={
            "source": Lead.Source.GRID_PATROL,
            "enterprise": cast.enterprise_x,
            "description": "围挡倒塌",
            "reported_on": on(0),
        },
        photos=[photo("site.png")],
    )
    assert lead.grid == cast.grid_a
    assert notified("hazard_lead") == {"town_a"}
    hazard = services.confirm_lead(
        actor=cast["town_a"],
        lead_pk=lead.pk,
        data={"category": Hazard.Category.UNSAFE_CONDITION, "grade": Hazard.Grade.ORDINARY, "due_on": on(7)},
    )
    lead.refresh_from_db()
    assert (lead.status, lead.hazard, lead.decided_by) == (Lead.Status.CONFIRMED, hazard, cast["town_a"])
    assert hazard.source == Hazard.Source.GRID_PATROL
    assert hazard.description == "围挡倒塌"
    assert list(hazard.photos.values_list("name", flat=True)) == ["site.png"]


def test_a_lead_is_dismissed_only_with_a_reason_and_cannot_be_decided_twice(cast):
    lead = LeadFactory(
        enterprise=cast.enterprise_x, region=cast.village_a, grid=cast.grid_a, reported_by=cast["grid_worker"]
    )
    before = lead.history.count()
    with pytest.raises(DomainError) as caught:
        services.dismiss_lead(actor=cast["town_a"], lead_pk=lead.pk, reason="")
    assert (caught.value.code, caught.value.field) == (Code.INVALID, "reason")
    lead.refresh_from_db()
    assert lead.status == Lead.Status.PENDING and lead.history.count() == before
    services.dismiss_lead(actor=cast["town_a"], lead_pk=lead.pk, reason="已自行整改，非隐患")
    with pytest.raises(DomainError) as caught:
        services.confirm_lead(actor=cast["town_a"], lead_pk=lead.pk, data={"due_on": on(3)})
    assert caught.value.code == Code.ILLEGAL_TRANSITION
    assert Hazard.objects.count() == 0


def test_a_grid_worker_cannot_confirm_a_lead(cast):
    lead = LeadFactory(enterprise=cast.enterprise_x, region=cast.village_a, grid=cast.grid_a)
    with pytest.raises(PermissionDenied):
        services.confirm_lead(actor=cast["grid_worker"], lead_pk=lead.pk, data={})


# ---------------------------------------------------------------- plans (五落实)


def major_plan(due_on, **overrides) -> PlanFields:
    values = dict(
        responsible_person="李总",
        measures="拆除重建",
        due_on=due_on,
        funds=Decimal("80"),
        interim_measures="停止该区域作业，设置警戒；专项应急预案",
        goals="消除坍塌隐患",
        organisation="项目部",
    )
    values.update(overrides)
    return PlanFields(**values)


def test_a_major_hazard_does_not_start_rectifying_without_the_full_five_implementations(cast, major_x):
    with pytest.raises(DomainError) as caught:
        services.record_plan(
            actor=cast["enterprise_x"], hazard_pk=major_x.pk, plan=major_plan(major_x.due_on, funds=None)
        )
    assert (caught.value.field, caught.value.code) == ("funds", ErrorCode.PLAN_INCOMPLETE)
    major_x.refresh_from_db()
    assert major_x.status == S.REGISTERED and major_x.plans.count() == 0
    services.record_plan(actor=cast["enterprise_x"], hazard_pk=major_x.pk, plan=major_plan(major_x.due_on))
    major_x.refresh_from_db()
    assert major_x.status == S.RECTIFYING


def test_every_missing_item_of_a_plan_is_reported_at_once(cast, major_x):
    with pytest.raises(DomainError) as caught:
        services.record_plan(
            actor=cast["enterprise_x"], hazard_pk=major_x.pk, plan=PlanFields(responsible_person="李总")
        )
    assert set(caught.value.errors) == {
        "measures",
        "due_on",
        "funds",
        "interim_measures",
        "goals",
        "organisation",
    }


def test_a_plan_cannot_push_the_deadline_out(cast, hazard_x):
    plan = PlanFields(responsible_person="张三", measures="整改", due_on=hazard_x.due_on + timedelta(days=1))
    with pytest.raises(DomainError) as caught:
        services.record_plan(actor=cast["enterprise_x"], hazard_pk=hazard_x.pk, plan=plan)
    assert caught.value.code == ErrorCode.PLAN_AFTER_DEADLINE


def test_a_rectification_needs_after_photos(cast, hazard_x):
    hazard_x.status = S.RECTIFYING
    hazard_x.save()
    with pytest.raises(DomainError) as caught:
        services.submit_rectification(
            actor=cast["enterprise_x"], hazard_pk=hazard_x.pk, description="已整改", photos=[]
        )
    assert (caught.value.field, caught.value.code) == ("photos", ErrorCode.AFTER_PHOTOS_MISSING)
    hazard_x.refresh_from_db()
    assert hazard_x.status == S.RECTIFYING and hazard_x.rectifications.count() == 0


def test_a_major_hazard_cannot_be_fixed_on_the_spot(cast, major_x):
    with pytest.raises(DomainError) as caught:
        services.fix_on_the_spot(
            actor=cast["enterprise_x"], hazard_pk=major_x.pk, description="已整改", photos=[photo()]
        )
    assert caught.value.code == ErrorCode.ON_THE_SPOT_MAJOR
    major_x.refresh_from_db()
    assert major_x.status == S.REGISTERED and major_x.rectifications.count() == 0


def test_an_on_the_spot_fix_still_waits_for_a_verifier(cast, hazard_x):
    services.fix_on_the_spot(
        actor=cast["enterprise_x"], hazard_pk=hazard_x.pk, description="当场恢复防护", photos=[photo()]
    )
    hazard_x.refresh_from_db()
    assert hazard_x.status == S.AWAITING_VERIFICATION
    assert hazard_x.submitted_by == cast["enterprise_x"]
    assert notified("hazard_awaiting_verification") == {"dept_housing", "town_a"}


# ---------------------------------------------------------------- verification


def awaiting(hazard, submitter):
    hazard.status, hazard.submitted_by = S.AWAITING_VERIFICATION, submitter
    hazard.save()
    return hazard


def test_the_person_who_submitted_cannot_verify_and_nothing_changes(cast, hazard_x):
    awaiting(hazard_x, cast["enterprise_x"])
    with pytest.raises(DomainError) as caught:
        services.verify_rectification(
            actor=cast["enterprise_x"], hazard_pk=hazard_x.pk, passed=True, opinion="好", method="on_site"
        )
    assert caught.value.code == ErrorCode.SAME_PERSON
    hazard_x.refresh_from_db()
    assert hazard_x.status == S.AWAITING_VERIFICATION and hazard_x.verifications.count() == 0


def test_a_colleague_may_verify_an_ordinary_self_inspection_of_the_enterprise(cast, hazard_x, colleague_x):
    hazard_x.source = Hazard.Source.SELF_INSPECTION
    awaiting(hazard_x, cast["enterprise_x"])
    services.verify_rectification(
        actor=colleague_x, hazard_pk=hazard_x.pk, passed=True, opinion="已复核", method="on_site"
    )
    hazard_x.refresh_from_db()
    assert hazard_x.status == S.CLOSED


@pytest.mark.parametrize("who", ["colleague", "town_a"])
def test_a_major_hazard_is_never_verified_by_the_enterprise_or_the_town(cast, major_x, colleague_x, who):
    awaiting(major_x, cast["enterprise_x"])
    actor = colleague_x if who == "colleague" else cast[who]
    with pytest.raises(DomainError) as caught:
        services.verify_rectification(
            actor=actor, hazard_pk=major_x.pk, passed=True, opinion="好", method="on_site"
        )
    assert caught.value.code == ErrorCode.VERIFIER_ROLE
    major_x.refresh_from_db()
    assert major_x.status == S.AWAITING_VERIFICATION


def test_the_supervising_department_verifies_a_major_hazard(cast, major_x):
    awaiting(major_x, cast["enterprise_x"])
    services.verify_rectification(
        actor=cast["dept_housing"], hazard_pk=major_x.pk, passed=True, opinion="验收合格", method="on_site"
    )
    major_x.refresh_from_db()
    assert (major_x.status, major_x.verified_by) == (S.CLOSED, cast["dept_housing"])


def test_an_assigned_expert_verifies_a_major_hazard(cast, major_x, expert):
    awaiting(major_x, cast["enterprise_x"])
    with pytest.raises(Http404):  # not assigned yet: the expert cannot see it
        services.verify_rectification(
            actor=expert, hazard_pk=major_x.pk, passed=True, opinion="合格", method="on_site"
        )
    services.assign_expert(actor=cast["dept_housing"], hazard_pk=major_x.pk, expert_pk=expert.pk)
    services.verify_rectification(
        actor=expert, hazard_pk=major_x.pk, passed=True, opinion="专家验收合格", method="on_site"
    )
    major_x.refresh_from_db()
    assert major_x.status == S.CLOSED


def test_a_rejection_goes_back_to_rectifying_and_tells_the_enterprise(cast, hazard_x):
    awaiting(hazard_x, cast["enterprise_x"])
    services.verify_rectification(
        actor=cast["dept_housing"],
        hazard_pk=hazard_x.pk,
        passed=False,
        opinion="连墙件间距仍超标",
        method="on_site",
    )
    hazard_x.refresh_from_db()
    assert hazard_x.status == S.RECTIFYING
    assert hazard_x.history.latest("history_id").history_change_reason == "连墙件间距仍超标"
    assert notified("hazard_rejected") == {"enterprise_x"}


# ---------------------------------------------------------------- extensions


def test_an_extension_approved_by_the_department_moves_the_deadline_and_is_logged(cast, hazard_x):
    old = hazard_x.due_on
    extension = services.request_extension(
        actor=cast["enterprise_x"],
        hazard_pk=hazard_x.pk,
        new_due_on=old + timedelta(days=30),
        reason="设备到货延迟",
    )
    assert notified("hazard_extension") == {"dept_housing", "town_a"}
    services.decide_extension(
        actor=cast["dept_housing"], extension_pk=extension.pk, approve=True, note="同意"
    )
    hazard_x.refresh_from_db()
    extension.refresh_from_db()
    assert hazard_x.due_on == old + timedelta(days=30)
    assert (extension.status, extension.decided_by) == (Extension.Status.APPROVED, cast["dept_housing"])
    row = hazard_x.history.latest("history_id")
    assert str(old) in row.history_change_reason and row.history_user == cast["dept_housing"]


def test_a_refused_extension_keeps_the_deadline_and_needs_a_reason(cast, hazard_x):
    old = hazard_x.due_on
    extension = services.request_extension(
        actor=cast["enterprise_x"],
        hazard_pk=hazard_x.pk,
        new_due_on=old + timedelta(days=30),
        reason="资金未到位",
    )
    with pytest.raises(DomainError) as caught:
        services.decide_extension(actor=cast["town_a"], extension_pk=extension.pk, approve=False, note="")
    assert (caught.value.code, caught.value.field) == (ErrorCode.REASON_REQUIRED, "note")
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING and extension.history.count() == 1
    services.decide_extension(
        actor=cast["town_a"], extension_pk=extension.pk, approve=False, note="期限内可完成"
    )
    hazard_x.refresh_from_db()
    assert hazard_x.due_on == old


def test_an_enterprise_cannot_approve_an_extension(cast, hazard_x, colleague_x):
    extension = services.request_extension(
        actor=cast["enterprise_x"],
        hazard_pk=hazard_x.pk,
        new_due_on=hazard_x.due_on + timedelta(days=5),
        reason="x",
    )
    with pytest.raises(PermissionDenied):
        services.decide_extension(actor=colleague_x, extension_pk=extension.pk, approve=True)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING and extension.history.count() == 1


def test_an_extension_of_a_major_hazard_is_for_the_department_not_the_town(cast, major_x):
    extension = services.request_extension(
        actor=cast["enterprise_x"],
        hazard_pk=major_x.pk,
        new_due_on=major_x.due_on + timedelta(days=5),
        reason="x",
    )
    with pytest.raises(DomainError) as caught:
        services.decide_extension(actor=cast["town_a"], extension_pk=extension.pk, approve=True)
    assert caught.value.code == ErrorCode.EXTENSION_DECIDER
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING and extension.history.count() == 1
    services.decide_extension(actor=cast["dept_housing"], extension_pk=extension.pk, approve=True)


def test_an_extension_cannot_be_requested_after_the_deadline(cast):
    hazard = HazardFactory(enterprise=cast.enterprise_x, found_on=on(-20), due_on=on(-1))
    with pytest.raises(DomainError) as caught:
        services.request_extension(
            actor=cast["enterprise_x"], hazard_pk=hazard.pk, new_due_on=on(10), reason="x"
        )
    assert caught.value.code == ErrorCode.EXTENSION_LATE
    assert Extension.objects.count() == 0


# ---------------------------------------------------------------- 挂牌督办 and 回头看


def supervise(cast, hazard):
    return services.issue_supervision(
        actor=cast["county_office"],
        hazard_pk=hazard.pk,
        level=Supervision.Level.COUNTY,
        due_on=on(30),
        responsible_unit=units.unit_for(cast.enterprise_x),
        requirements="立即停止塔吊作业，30日内完成整改",
    )


def test_listed_supervision_issues_a_numbered_letter_and_is_lifted_only_after_close_out(
    cast, office, major_x
):
    supervision = supervise(cast, major_x)
    year = timezone.localdate().year
    assert supervision.letter_number == f"来安安委督〔{year}〕1号"
    assert supervision.document.number == supervision.letter_number
    assert IssuedDocument.objects.count() == 1
    assert "hazard_supervision" in set(Notification.objects.values_list("kind", flat=True))
    with pytest.raises(DomainError) as caught:
        services.lift_supervision(
            actor=cast["county_office"], supervision_pk=supervision.pk, opinion="同意摘牌"
        )
    assert caught.value.code == ErrorCode.HAZARD_NOT_CLOSED
    major_x.status = S.CLOSED
    major_x.save()
    with pytest.raises(
        DomainError
    ) as caught:  # the housing department did not issue it: it cannot sign it off
        services.lift_supervision(actor=cast["dept_housing"], supervision_pk=supervision.pk, opinion="同意")
    assert caught.value.code == ErrorCode.NOT_ISSUER
    supervision.refresh_from_db()
    assert supervision.status == Supervision.Status.LISTED and supervision.history.count() == 1
    services.lift_supervision(
        actor=cast["county_office"], supervision_pk=supervision.pk, opinion="验收合格，同意摘牌"
    )
    supervision.refresh_from_db()
    assert (supervision.status, supervision.lifted_by) == (Supervision.Status.LIFTED, cast["county_office"])


def test_a_second_letter_takes_the_next_number(cast, office, major_x, hazard_x):
    supervise(cast, major_x)
    second = supervise(cast, hazard_x)
    assert second.letter_number.endswith("〕2号")


def test_a_hazard_cannot_be_listed_twice_at_the_same_level(cast, office, major_x):
    supervise(cast, major_x)
    with pytest.raises(DomainError) as caught:
        supervise(cast, major_x)
    assert caught.value.code == ErrorCode.SECOND_SUPERVISION
    assert "提级督办" in caught.value.message
    assert IssuedDocument.objects.count() == 1


def test_a_failed_recheck_opens_a_linked_new_hazard(cast):
    closed = HazardFactory(
        enterprise=cast.enterprise_x, status=S.CLOSED, closed_on=on(-5), found_on=on(-30), due_on=on(-5)
    )
    recheck = services.record_recheck(
        actor=cast["town_a"],
        hazard_pk=closed.pk,
        checked_on=on(0),
        held=False,
        notes="连墙件再次被拆除",
        due_on=on(10),
    )
    new = recheck.new_hazard
    assert new.reopened_from == closed
    assert new.source == Hazard.Source.RECHECK and new.status == S.REGISTERED
    assert closed.number in new.description


def test_a_held_recheck_opens_nothing_and_only_closed_hazards_are_rechecked(cast, hazard_x):
    with pytest.raises(DomainError) as caught:
        services.record_recheck(
            actor=cast["town_a"], hazard_pk=hazard_x.pk, checked_on=on(0), held=True, notes="好"
        )
    assert caught.value.code == Code.ILLEGAL_TRANSITION
    assert hazard_x.rechecks.count() == 0
    hazard_x.status = S.CLOSED
    hazard_x.save()
    recheck = services.record_recheck(
        actor=cast["town_a"], hazard_pk=hazard_x.pk, checked_on=on(0), held=True, notes="保持"
    )
    assert recheck.new_hazard is None
    assert Hazard.objects.count() == 1


# ---------------------------------------------------------------- scope


def test_out_of_scope_is_404_and_in_scope_without_the_right_is_403(cast, hazard_x):
    with pytest.raises(Http404):
        services.void_hazard(actor=cast["town_b"], hazard_pk=hazard_x.pk, reason="x")
    with pytest.raises(PermissionDenied):
        services.void_hazard(actor=cast["enterprise_x"], hazard_pk=hazard_x.pk, reason="x")
    hazard_x.refresh_from_db()
    assert hazard_x.status == S.REGISTERED


def test_a_department_sees_only_hazards_of_the_industries_it_supervises(cast):
    HazardFactory(enterprise=cast.enterprise_x)
    HazardFactory(enterprise=cast.enterprise_y)
    user = UserFactory(username="expert2")
    MembershipFactory(user=user, role=Role.EXPERT)
    visible = {
        who: set(Hazard.objects.for_user(cast[who]).values_list("enterprise__name", flat=True))
        for who in (
            "county_office",
            "town_a",
            "town_b",
            "dept_housing",
            "enterprise_x",
            "grid_worker",
            "leader",
        )
    }
    x, y = cast.enterprise_x.name, cast.enterprise_y.name
    assert visible == {
        "county_office": {x, y},
        "town_a": {x},
        "town_b": {y},
        "dept_housing": {x},
        "enterprise_x": {x},
        "grid_worker": {x},
        "leader": {x, y},
    }
    assert not Hazard.objects.for_user(user).exists()


def _told(user) -> list[tuple[str, str, str]]:
    return list(
        Notification.objects.filter(recipient=user, kind="hazard_lead_outcome")
        .order_by("pk")
        .values_list("title", "body", "url")
    )


def test_the_reporter_hears_what_became_of_the_lead(cast):
    """Issue #13: confirmed as hazard N, then 销号 of that hazard; a dismissed lead with its reason."""
    from django.urls import reverse

    worker = cast["grid_worker"]
    lead = LeadFactory(
        enterprise=cast.enterprise_x, region=cast.village_a, grid=cast.grid_a, reported_by=worker
    )
    hazard = services.confirm_lead(
        actor=cast["town_a"],
        lead_pk=lead.pk,
        data={"category": Hazard.Category.UNSAFE_CONDITION, "grade": Hazard.Grade.ORDINARY, "due_on": on(7)},
    )
    url = reverse("hazards:lead-detail", args=[lead.pk])
    assert _told(worker) == [(f"您上报的线索已确认为隐患 {hazard.number}", "", url)]
    Hazard.objects.filter(pk=hazard.pk).update(status=Hazard.Status.AWAITING_VERIFICATION)
    services.verify_rectification(
        actor=cast["dept_housing"], hazard_pk=hazard.pk, passed=True, opinion="现场核查合格", method="on_site"
    )
    assert _told(worker)[1] == (f"您上报的线索所立隐患 {hazard.number} 已整改销号", "现场核查合格", url)

    other = LeadFactory(
        enterprise=cast.enterprise_x, region=cast.village_a, grid=cast.grid_a, reported_by=worker
    )
    services.dismiss_lead(actor=cast["town_a"], lead_pk=other.pk, reason="已自行整改，非隐患")
    assert _told(worker)[2][:2] == ("您上报的线索已排除", "已自行整改，非隐患")
    assert Notification.objects.filter(kind="hazard_lead_outcome").count() == 3  # nobody else


def test_nobody_is_told_of_their_own_decision_on_a_lead(cast):
    town = cast["town_a"]
    lead = LeadFactory(
        enterprise=cast.enterprise_x, region=cast.village_a, grid=cast.grid_a, reported_by=town
    )
    services.dismiss_lead(actor=town, lead_pk=lead.pk, reason="重复上报")
    assert _told(town) == []
