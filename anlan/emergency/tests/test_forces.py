"""The forces part: teams, shelters, the expert library, consultations and the towns' 四有."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from anlan.core.errors import Code, DomainError
from anlan.emergency import rules
from anlan.emergency.models import (
    ConsultationAssignment,
    Expert,
    ExpertConsultation,
    RescueTeam,
    TownCapacity,
)
from anlan.emergency.selectors import forces as selectors
from anlan.emergency.services import forces as services
from anlan.emergency.services.forces import ErrorCode
from anlan.emergency.tests.factories_forces import (
    assigned,
    expert_of,
    make_consultation,
    make_expert,
    make_shelter,
    make_team,
    second_expert_user,
    team_data,
)
from anlan.notifications.models import Notification

# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("is_available", "until", "today", "expected"),
    [
        pytest.param(True, None, date(2026, 6, 15), True, id="available-without-leave"),
        pytest.param(False, None, date(2026, 6, 15), False, id="marked-unavailable"),
        pytest.param(True, date(2026, 6, 15), date(2026, 6, 15), False, id="away-on-the-last-day"),
        pytest.param(True, date(2026, 6, 15), date(2026, 6, 14), False, id="away-before-the-last-day"),
        pytest.param(True, date(2026, 6, 15), date(2026, 6, 16), True, id="back-the-day-after"),
        pytest.param(False, date(2026, 6, 1), date(2026, 6, 16), False, id="leave-over-but-still-marked"),
    ],
)
def test_an_expert_is_available_only_when_listed_and_not_away(is_available, until, today, expected):
    assert (
        rules.expert_is_available(is_available=is_available, unavailable_until=until, today=today) is expected
    )


@pytest.mark.parametrize(
    ("is_available", "until_offset", "expected"),
    [(True, None, True), (False, None, False), (True, 0, False), (True, -1, True), (True, 1, False)],
)
def test_the_sql_availability_filter_agrees_with_the_rule(cast, is_available, until_offset, expected):
    today = timezone.localdate()
    until = None if until_offset is None else today + timedelta(days=until_offset)
    expert = make_expert(cast, is_available=is_available, unavailable_until=until)
    in_sql = Expert.objects.filter(selectors.available_q(today), pk=expert.pk).exists()
    assert in_sql is expected
    assert expert.available_on(today) is expected


def test_four_items_make_a_complete_capacity_and_three_do_not():
    assert rules.capacity_is_complete({"site": True, "organization": True, "staff": True, "funding": True})
    assert not rules.capacity_is_complete({"site": True, "organization": True, "staff": True})


def test_specialty_codes_are_stored_delimited_in_table_order():
    assert rules.joined_codes(["fire", "hazchem"]) == ",hazchem,fire,"
    assert rules.joined_codes([]) == ""
    assert rules.split_codes(",hazchem,fire,") == ["hazchem", "fire"]


# ---------------------------------------------------------------- teams and shelters


def test_a_town_registers_a_team_of_its_own_area_with_one_history_row(cast):
    team = make_team(cast)
    assert team.region == cast.town_a
    assert team.specialties == "防汛、水域救援"
    assert team.history.count() == 1
    assert team.history.first().history_user == cast["town_a"]


def test_a_town_may_not_register_a_team_in_another_town(cast):
    with pytest.raises(DomainError) as error:
        make_team(cast, actor=cast["town_b"])
    assert error.value.code == Code.OUT_OF_SCOPE
    assert error.value.field == "region"
    assert RescueTeam.objects.count() == 0


@pytest.mark.parametrize("who", ["dept_housing", "leader", "expert", "enterprise_x", "grid_worker"])
def test_only_towns_and_the_county_office_register_teams(cast, who):
    with pytest.raises(PermissionDenied):
        make_team(cast, actor=cast[who])
    assert RescueTeam.objects.count() == 0


def test_a_team_without_members_is_refused_naming_the_field(cast):
    with pytest.raises(DomainError) as error:
        services.register_rescue_team(actor=cast["town_a"], data=team_data(cast.town_a, members=None))
    assert error.value.field == "members"
    assert RescueTeam.objects.count() == 0


def test_a_team_status_changes_once_and_refuses_the_same_status(cast):
    team = make_team(cast)
    services.set_team_status(actor=cast["town_a"], team_pk=team.pk, status="deployed")
    team.refresh_from_db()
    assert team.status == RescueTeam.Status.DEPLOYED
    with pytest.raises(DomainError) as error:
        services.set_team_status(actor=cast["town_a"], team_pk=team.pk, status="deployed")
    assert error.value.code == ErrorCode.STATUS_UNCHANGED
    with pytest.raises(DomainError) as error:
        services.set_team_status(actor=cast["town_a"], team_pk=team.pk, status="lost")
    assert error.value.code == ErrorCode.STATUS_UNKNOWN
    assert team.history.count() == 2


def test_town_b_cannot_reach_town_a_team_and_a_department_only_reads(cast):
    team = make_team(cast)
    with pytest.raises(Http404):
        services.set_team_status(actor=cast["town_b"], team_pk=team.pk, status="deployed")
    with pytest.raises(PermissionDenied):
        services.set_team_status(actor=cast["dept_housing"], team_pk=team.pk, status="deployed")
    assert selectors.team_list(cast["dept_housing"]).filter(pk=team.pk).exists()
    assert not selectors.team_list(cast["expert"]).exists()


def test_an_enterprise_sees_its_own_team_through_its_unit(cast):
    from anlan.core.units import unit_for

    unit = unit_for(cast.enterprise_x)
    team = make_team(cast, region=cast.village_a, unit=unit, kind="enterprise")
    assert list(selectors.team_list(cast["enterprise_x"])) == [team]


def test_a_shelter_is_opened_by_its_town(cast):
    shelter = make_shelter(cast)
    services.set_shelter_status(actor=cast["town_a"], shelter_pk=shelter.pk, status="open")
    shelter.refresh_from_db()
    assert shelter.status == "open"
    with pytest.raises(Http404):
        services.set_shelter_status(actor=cast["town_b"], shelter_pk=shelter.pk, status="closed")


# ---------------------------------------------------------------- experts


def test_the_county_office_keeps_the_expert_library(cast):
    expert = make_expert(cast)
    assert expert.specialty_codes == ["construction", "fire"]
    with pytest.raises(PermissionDenied):
        services.register_expert(actor=cast["town_a"], data={"region": cast.town_a})
    assert Expert.objects.count() == 1


def test_an_expert_needs_a_specialty_from_the_list(cast):
    with pytest.raises(DomainError) as error:
        make_expert(cast, specialties=[])
    assert error.value.code == ErrorCode.SPECIALTY_REQUIRED
    with pytest.raises(DomainError) as error:
        make_expert(cast, specialties=["astrology"])
    assert error.value.code == ErrorCode.SPECIALTY_UNKNOWN
    assert error.value.field == "specialties"
    assert Expert.objects.count() == 0


def test_one_account_links_to_one_expert(cast):
    expert_of(cast)
    with pytest.raises(DomainError) as error:
        make_expert(cast, user=cast["expert"], name="孙专家")
    assert error.value.code == ErrorCode.EXPERT_ACCOUNT_TAKEN
    assert Expert.objects.count() == 1


def test_experts_filter_by_specialty(cast):
    fire = make_expert(cast, specialties=["fire"])
    make_expert(cast, name="周工", specialties=["mining"])
    assert list(selectors.with_specialty(Expert.objects.all(), "fire")) == [fire]


# ---------------------------------------------------------------- consultations


def test_assigning_an_available_expert_notifies_their_account(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assigned(cast)
    assert assignment.expert.user == cast["expert"]
    note = Notification.objects.get(recipient=cast["expert"])
    assert "会诊" in note.title
    assert note.url == reverse("emergency:forces-consultation-detail", args=[assignment.consultation_id])


@pytest.mark.parametrize(
    ("overrides", "today_offset"),
    [
        pytest.param({"is_available": False}, 0, id="marked-unavailable"),
        pytest.param({"unavailable_until": "today"}, 0, id="away-until-today"),
    ],
)
def test_an_unavailable_expert_cannot_be_assigned(cast, overrides, today_offset):
    today = timezone.localdate()
    if overrides.get("unavailable_until") == "today":
        overrides = {"unavailable_until": today}
    expert = make_expert(cast, **overrides)
    consultation = make_consultation(cast)
    with pytest.raises(DomainError) as error:
        services.assign_experts(
            actor=cast["county_office"], consultation_pk=consultation.pk, experts=[expert], today=today
        )
    assert error.value.code == ErrorCode.EXPERT_UNAVAILABLE
    assert error.value.field == "experts"
    assert not ConsultationAssignment.objects.exists()
    assert not Notification.objects.exists()


def test_an_expert_away_until_yesterday_can_be_assigned_today(cast):
    today = timezone.localdate()
    expert = make_expert(cast, unavailable_until=today - timedelta(days=1))
    consultation = make_consultation(cast)
    made = services.assign_experts(
        actor=cast["county_office"], consultation_pk=consultation.pk, experts=[expert], today=today
    )
    assert [a.expert for a in made] == [expert]


def test_an_expert_is_assigned_once_per_consultation(cast):
    assignment = assigned(cast)
    with pytest.raises(DomainError) as error:
        services.assign_experts(
            actor=cast["county_office"],
            consultation_pk=assignment.consultation_id,
            experts=[assignment.expert],
        )
    assert error.value.code == ErrorCode.EXPERT_ALREADY_ASSIGNED
    assert ConsultationAssignment.objects.count() == 1


def test_only_the_county_office_assigns(cast):
    consultation = make_consultation(cast)
    expert = make_expert(cast)
    with pytest.raises(PermissionDenied):
        services.assign_experts(actor=cast["leader"], consultation_pk=consultation.pk, experts=[expert])
    with pytest.raises(Http404):
        services.assign_experts(actor=cast["expert"], consultation_pk=consultation.pk, experts=[expert])


def test_the_assigned_expert_gives_the_opinion_and_the_requester_hears(
    cast, django_capture_on_commit_callbacks
):
    assignment = assigned(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.give_opinion(
            actor=cast["expert"], assignment_pk=assignment.pk, opinion="建议立即撤离并加固。"
        )
    assignment.refresh_from_db()
    assert assignment.opinion == "建议立即撤离并加固。"
    assert assignment.opinion_at is not None
    assert Notification.objects.filter(recipient=cast["county_office"]).count() == 1


def test_another_expert_cannot_see_or_answer_an_assignment_not_theirs(cast):
    assignment = assigned(cast)
    other = second_expert_user(cast)
    make_expert(cast, user=other, name="孙专家")
    with pytest.raises(Http404):
        services.give_opinion(actor=other, assignment_pk=assignment.pk, opinion="不同意见")
    assert not selectors.consultation_list(other).exists()
    assignment.refresh_from_db()
    assert assignment.opinion == ""


@pytest.mark.parametrize("who", ["county_office", "leader", "dept_housing"])
def test_readers_and_the_requester_cannot_write_an_experts_opinion(cast, who):
    assignment = assigned(cast)
    with pytest.raises(PermissionDenied):
        services.give_opinion(actor=cast[who], assignment_pk=assignment.pk, opinion="代写")
    assert ConsultationAssignment.history.filter(opinion="代写").count() == 0


def test_an_empty_opinion_is_refused(cast):
    assignment = assigned(cast)
    with pytest.raises(DomainError) as error:
        services.give_opinion(actor=cast["expert"], assignment_pk=assignment.pk, opinion="  ")
    assert error.value.code == ErrorCode.OPINION_REQUIRED


def test_a_consultation_closes_only_when_every_opinion_is_in(cast):
    assignment = assigned(cast)
    pk = assignment.consultation_id
    with pytest.raises(DomainError) as error:
        services.close_consultation(actor=cast["county_office"], consultation_pk=pk, conclusion="撤离")
    assert error.value.code == ErrorCode.OPINIONS_MISSING
    services.give_opinion(actor=cast["expert"], assignment_pk=assignment.pk, opinion="撤离")
    closed = services.close_consultation(actor=cast["county_office"], consultation_pk=pk, conclusion="撤离")
    assert closed.status == ExpertConsultation.Status.CLOSED
    with pytest.raises(DomainError) as error:
        services.give_opinion(actor=cast["expert"], assignment_pk=assignment.pk, opinion="补充")
    assert error.value.code == ErrorCode.CONSULTATION_CLOSED


def test_a_consultation_without_experts_cannot_close(cast):
    consultation = make_consultation(cast)
    with pytest.raises(DomainError) as error:
        services.close_consultation(
            actor=cast["county_office"], consultation_pk=consultation.pk, conclusion="x"
        )
    assert error.value.code == ErrorCode.OPINIONS_MISSING


def test_an_expert_sees_only_the_consultations_they_are_assigned_to(cast):
    mine = assigned(cast).consultation
    make_consultation(cast, title="另一会诊")
    assert list(selectors.consultation_list(cast["expert"])) == [mine]
    assert selectors.consultation_list(cast["county_office"]).count() == 2
    assert not selectors.expert_list(cast["expert"]).exists()
    assert not selectors.town_list(cast["expert"]).exists()


def test_the_experts_todo_lists_assignments_without_an_opinion(cast):
    assignment = assigned(cast)
    assert list(selectors.opinions_due(cast["expert"])) == [assignment]
    assert not selectors.opinions_due(cast["county_office"]).exists()
    services.give_opinion(actor=cast["expert"], assignment_pk=assignment.pk, opinion="可")
    assert not selectors.opinions_due(cast["expert"]).exists()


# ---------------------------------------------------------------- towns' 四有


def _pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def test_a_town_records_its_four_items_with_evidence(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    capacity = services.update_town_capacity(
        actor=cast["town_a"],
        town_code=cast.town_a.code,
        data={"has_site": True, "site_note": "应急指挥室", "site_evidence": _pdf(), "has_staff": True},
    )
    assert capacity.flags == {"site": True, "organization": False, "staff": True, "funding": False}
    assert capacity.site_evidence.name.endswith(".pdf")
    assert capacity.history.count() == 1


def test_a_town_cannot_record_another_towns_capacity_and_the_office_only_reads(cast):
    with pytest.raises(Http404):
        services.update_town_capacity(
            actor=cast["town_b"], town_code=cast.town_a.code, data={"has_site": True}
        )
    with pytest.raises(PermissionDenied):
        services.update_town_capacity(
            actor=cast["county_office"], town_code=cast.town_a.code, data={"has_site": True}
        )
    assert not TownCapacity.objects.exists()


def test_an_evidence_file_that_is_not_a_picture_or_pdf_is_refused(cast):
    with pytest.raises(DomainError) as error:
        services.update_town_capacity(
            actor=cast["town_a"],
            town_code=cast.town_a.code,
            data={"has_funding": True, "funding_evidence": SimpleUploadedFile("x.html", b"<script>")},
        )
    assert error.value.field == "funding_evidence"
    assert not TownCapacity.objects.exists()


def test_the_county_summary_counts_each_item_and_complete_towns(cast, django_assert_max_num_queries):
    full = {"has_site": True, "has_organization": True, "has_staff": True, "has_funding": True}
    services.update_town_capacity(actor=cast["town_a"], town_code=cast.town_a.code, data=full)
    services.update_town_capacity(
        actor=cast["town_b"], town_code=cast.town_b.code, data={"has_site": True, "has_funding": True}
    )
    towns = selectors.town_list(cast["county_office"]).count()
    with django_assert_max_num_queries(2):
        summary = selectors.capacity_summary(cast["county_office"])
    assert summary == selectors.CapacitySummary(
        towns=towns, site=2, organization=1, staff=1, funding=2, complete=1
    )
    own = selectors.capacity_summary(cast["town_b"])
    assert (own.towns, own.site, own.complete) == (1, 1, 0)
    rows = {town.code: town for town in selectors.town_capacities(cast["county_office"])}
    assert rows[cast.town_b.code].has_site == 1
    assert rows[cast.town_b.code].has_staff == 0
