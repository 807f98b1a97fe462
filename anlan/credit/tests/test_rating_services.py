"""The five-colour rating's use cases over the database: facts read from hazards, accidents and penalties,
recompute in chunks (idempotent, no history for an unchanged colour), approval (one and a batch), the single
recompute by a supervisor, the county's criteria, and the attribute inspections' draw reads."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from anlan.core import contract
from anlan.core.errors import DomainError
from anlan.credit.models import Rating, RatingConfig, RatingHistory
from anlan.credit.selectors import rating as selectors
from anlan.credit.services import rating as services
from anlan.credit.tests import factories_rating as f

NOW = timezone.make_aware(timezone.datetime(2026, 12, 4, 12, 0))
TODAY = date(2026, 12, 4)


def recompute(**kw):
    return services.recompute(None, today=TODAY, now=NOW, **kw)


def colour_of(enterprise) -> str:
    return Rating.objects.get(enterprise=enterprise).colour


def audit_rows() -> int:
    return Rating.history.count() + RatingHistory.objects.count()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_registry_risk_stands_in_when_there_is_no_risk_register(cast):
    recompute()
    # Construction is 一般 (yellow), hazardous chemicals 较大 (orange): inspections.rules.risk_level.
    assert colour_of(cast.enterprise_x) == "yellow"
    assert colour_of(cast.enterprise_y) == "orange"
    rating = Rating.objects.get(enterprise=cast.enterprise_y)
    assert rating.status == Rating.Status.PENDING
    assert rating.reasons[0]["text"] == "最高风险等级为较大风险（登记信息推定）"
    assert rating.inputs["risk_level"] == "significant"


def test_the_risk_register_level_wins_over_the_registry_when_present(cast, monkeypatch):
    real = contract.enterprise_attribute

    def attribute(key, ids):
        if key == "risk.highest_level":
            return {pk: "low" for pk in ids}
        return real(key, ids)

    monkeypatch.setattr("anlan.credit.selectors.rating_facts.contract.enterprise_attribute", attribute)
    recompute()
    assert colour_of(cast.enterprise_y) == "blue"
    assert Rating.objects.get(enterprise=cast.enterprise_y).inputs["risk_from_register"] is True


def test_an_overdue_major_hazard_makes_the_enterprise_red_and_writes_one_history_row(cast):
    recompute()
    f.hazard(cast.enterprise_x, major=True, due_on=TODAY - timedelta(days=1))
    before = RatingHistory.objects.filter(enterprise=cast.enterprise_x).count()
    counts = recompute()
    rating = Rating.objects.get(enterprise=cast.enterprise_x)
    assert rating.colour == "red"
    assert [r["code"] for r in rating.reasons][:2] == ["overdue_major_hazard", "open_major_hazard"]
    assert RatingHistory.objects.filter(enterprise=cast.enterprise_x).count() == before + 1
    assert counts["colour_changed"] == 1


def test_a_major_hazard_due_today_is_open_not_overdue(cast):
    f.hazard(cast.enterprise_x, major=True, due_on=TODAY)
    recompute()
    assert colour_of(cast.enterprise_x) == "orange"


def test_a_voided_hazard_never_counts(cast):
    f.hazard(cast.enterprise_x, major=True, due_on=TODAY - timedelta(days=5), voided=True)
    recompute()
    assert colour_of(cast.enterprise_x) == "yellow"


def test_a_recompute_over_unchanged_facts_writes_nothing(cast):
    recompute()
    before = (audit_rows(), list(Rating.objects.values_list("computed_at", flat=True)))
    counts = recompute()
    assert counts["changed"] == 0
    assert (audit_rows(), list(Rating.objects.values_list("computed_at", flat=True))) == before


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(365, "yellow"), (364, "orange")],
    ids=["twelve-months-ago-outside", "day-after-inside"],
)
def test_an_accident_counts_inside_the_twelve_months_only(cast, days_ago, expected):
    # 2025-12-04 is 365 days before 2026-12-04: the same calendar day, outside the window.
    f.accident(cast.enterprise_x, TODAY - timedelta(days=days_ago))
    recompute()
    assert colour_of(cast.enterprise_x) == expected


def test_a_relatively_major_accident_is_red_with_its_date_in_the_reason(cast):
    f.accident(cast.enterprise_x, date(2026, 5, 3), grade="relatively_major")
    recompute()
    rating = Rating.objects.get(enterprise=cast.enterprise_x)
    assert rating.colour == "red"
    assert rating.reasons[0]["text"] == "近12个月发生较大事故1起（2026-05-03）"


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(365, "yellow"), (364, "orange")],
    ids=["twelve-months-ago-outside", "day-after-inside"],
)
def test_an_administrative_penalty_counts_inside_the_twelve_months_only(cast, days_ago, expected):
    f.penalty(cast, cast.enterprise_x, TODAY - timedelta(days=days_ago))
    recompute()
    assert colour_of(cast.enterprise_x) == expected


def test_a_revoked_or_non_penalty_action_does_not_count(cast):
    action = f.penalty(cast, cast.enterprise_x, TODAY - timedelta(days=3))
    action.status = action.Status.REVOKED
    action.save()
    f.penalty(cast, cast.enterprise_x, TODAY - timedelta(days=3), kind="rectification_order")
    recompute()
    assert colour_of(cast.enterprise_x) == "yellow"


def test_chunks_of_one_give_the_same_ratings_as_one_chunk(cast):
    f.hazard(cast.enterprise_y, due_on=TODAY - timedelta(days=2))
    recompute(chunk=1)
    one = dict(Rating.objects.values_list("enterprise_id", "colour"))
    Rating.objects.all().delete()
    recompute()
    assert dict(Rating.objects.values_list("enterprise_id", "colour")) == one


def test_a_chunk_costs_the_same_queries_whatever_its_size(cast, django_assert_max_num_queries):
    from anlan.core.tests.factories import EnterpriseFactory, industry

    recompute()
    for _n in range(5):
        EnterpriseFactory(region=cast.village_a, industry=industry("construction"))
    with django_assert_max_num_queries(30):
        recompute()


def test_the_colour_attribute_is_the_approved_colour_only(cast):
    recompute()
    rating = Rating.objects.get(enterprise=cast.enterprise_y)
    assert contract.enterprise_attribute("credit.colour", [cast.enterprise_y.pk]) == {
        cast.enterprise_y.pk: None
    }
    services.approve_rating(actor=cast["county_office"], rating_pk=rating.pk)
    assert contract.enterprise_attribute("credit.colour", [cast.enterprise_y.pk]) == {
        cast.enterprise_y.pk: "orange"
    }


def test_approval_publishes_the_colour_and_records_who(cast):
    recompute()
    rating = Rating.objects.get(enterprise=cast.enterprise_y)
    services.approve_rating(actor=cast["county_office"], rating_pk=rating.pk)
    rating.refresh_from_db()
    assert (rating.status, rating.approved_colour, rating.approved_by) == (
        "approved",
        "orange",
        cast["county_office"],
    )
    assert rating.approved_reasons == rating.reasons
    last = RatingHistory.objects.filter(rating=rating).first()
    assert (last.event, last.colour, last.actor) == ("approved", "orange", cast["county_office"])
    assert rating.history.first().history_user == cast["county_office"]


def test_a_change_after_approval_waits_for_the_next_approval(cast):
    recompute()
    rating = Rating.objects.get(enterprise=cast.enterprise_x)
    services.approve_rating(actor=cast["county_office"], rating_pk=rating.pk)
    f.penalty(cast, cast.enterprise_x, TODAY)
    recompute()
    rating.refresh_from_db()
    assert (rating.colour, rating.approved_colour, rating.status) == ("orange", "yellow", "pending")
    assert selectors.approved_colours([cast.enterprise_x.pk]) == {cast.enterprise_x.pk: "yellow"}


def test_a_pending_change_that_returns_to_the_approved_colour_needs_no_approval(cast):
    recompute()
    rating = Rating.objects.get(enterprise=cast.enterprise_x)
    services.approve_rating(actor=cast["county_office"], rating_pk=rating.pk)
    hazard = f.hazard(cast.enterprise_x, major=True, due_on=TODAY + timedelta(days=5))
    recompute()
    assert Rating.objects.get(pk=rating.pk).status == "pending"
    hazard.status, hazard.closed_on = hazard.Status.CLOSED, TODAY
    hazard.save()
    recompute()
    rating.refresh_from_db()
    assert (rating.colour, rating.status) == ("yellow", "approved")


@pytest.mark.parametrize("who", ["town_a", "dept_housing", "leader"])
def test_only_the_county_office_approves_and_a_refusal_changes_nothing(cast, who):
    recompute()
    rating = Rating.objects.get(enterprise=cast.enterprise_x)
    before = audit_rows()
    with pytest.raises(PermissionDenied):
        services.approve_rating(actor=cast[who], rating_pk=rating.pk)
    rating.refresh_from_db()
    assert (rating.status, rating.approved_colour, audit_rows()) == ("pending", "", before)


def test_an_enterprise_out_of_scope_is_not_found_for_approval(cast):
    recompute()
    rating = Rating.objects.get(enterprise=cast.enterprise_y)
    with pytest.raises(Http404):
        services.approve_rating(actor=cast["town_a"], rating_pk=rating.pk)


def test_a_batch_approval_approves_every_pending_rating_in_scope(cast):
    recompute()
    assert services.approve_ratings(actor=cast["county_office"]) == 2
    assert set(Rating.objects.values_list("status", flat=True)) == {"approved"}
    with pytest.raises(DomainError) as error:
        services.approve_ratings(actor=cast["county_office"])
    assert error.value.code == services.ErrorCode.NOTHING_PENDING


def test_a_batch_approval_of_picked_ratings_leaves_the_others_pending(cast):
    recompute()
    picked = Rating.objects.get(enterprise=cast.enterprise_x)
    assert services.approve_ratings(actor=cast["county_office"], rating_pks=[picked.pk]) == 1
    assert Rating.objects.get(enterprise=cast.enterprise_y).status == "pending"


def test_a_supervisor_recomputes_one_enterprise_and_the_request_is_audited(cast):
    f.penalty(cast, cast.enterprise_x, TODAY)
    before = Rating.history.count()
    rating = services.recompute_enterprise(
        actor=cast["town_a"], enterprise_pk=cast.enterprise_x.pk, today=TODAY
    )
    assert rating.colour == "orange"
    assert Rating.history.count() > before
    assert Rating.history.first().history_user == cast["town_a"]
    assert not Rating.objects.filter(enterprise=cast.enterprise_y).exists()


def test_the_enterprise_may_not_recompute_its_own_rating(cast):
    with pytest.raises(PermissionDenied):
        services.recompute_enterprise(actor=cast["enterprise_x"], enterprise_pk=cast.enterprise_x.pk)
    assert not Rating.objects.exists()


def test_a_town_cannot_recompute_an_enterprise_of_another_town(cast):
    with pytest.raises(Http404):
        services.recompute_enterprise(actor=cast["town_a"], enterprise_pk=cast.enterprise_y.pk)


def test_the_county_criteria_apply_to_the_next_recompute(cast):
    services.save_config(
        actor=cast["county_office"],
        region_code=cast.county.code,
        data={"yellow_general_risk": False, "orange_significant_risk": False},
    )
    recompute()
    assert colour_of(cast.enterprise_x) == "blue"
    assert colour_of(cast.enterprise_y) == "blue"
    assert RatingConfig.history.count() == 1


def test_only_the_county_office_keeps_the_criteria(cast):
    with pytest.raises(PermissionDenied):
        services.save_config(
            actor=cast["town_a"], region_code=cast.county.code, data={"green_enabled": False}
        )
    assert not RatingConfig.objects.exists()


def test_criteria_are_kept_per_county_not_per_town(cast):
    with pytest.raises(DomainError) as error:
        services.save_config(actor=cast["county_office"], region_code=cast.town_a.code, data={})
    assert error.value.code == services.ErrorCode.REGION_LEVEL


def test_the_job_recomputes_the_region_it_was_started_for(cast):
    from anlan.core import jobs

    job = services.start_recompute(actor=cast["county_office"], region_code=cast.town_a.code)
    jobs.work_off()
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert set(Rating.objects.values_list("enterprise_id", flat=True)) == {cast.enterprise_x.pk}


def test_the_nightly_sweep_rates_everyone_and_is_idempotent(cast):
    services.sweep(today=TODAY, now=NOW)
    first = audit_rows()
    assert services.sweep(today=TODAY, now=NOW)["changed"] == 0
    assert audit_rows() == first


def test_the_draw_weights_follow_the_approved_colour(cast):
    from anlan.inspections.services.plans import enterprise_pool

    recompute()
    pool, weights = enterprise_pool(cast.dept_housing, region=cast.county, industry=None, risk_levels=None)
    assert weights[cast.enterprise_x.pk] == 2  # unrated: the registry 一般 weight
    f.penalty(cast, cast.enterprise_x, TODAY)
    recompute()
    services.approve_ratings(actor=cast["county_office"])
    pool, weights = enterprise_pool(cast.dept_housing, region=cast.county, industry=None, risk_levels=None)
    assert weights[cast.enterprise_x.pk] == 3  # orange


def test_a_first_rating_records_its_colour_once_in_both_histories(cast):
    recompute()
    assert RatingHistory.objects.count() == Rating.objects.count() == 2
    assert set(RatingHistory.objects.values_list("previous_colour", flat=True)) == {""}
    assert Rating.history.count() == 2


def test_a_second_worker_writing_the_same_chunk_finds_nothing_to_do(cast):
    rows = services.facts.enterprise_rows([cast.enterprise_x.pk, cast.enterprise_y.pk])
    results = services.rate_rows(rows, today=TODAY, configs={})
    services._write(results, now=NOW)
    before = audit_rows()
    assert services._write(results, now=NOW)["changed"] == 0
    assert audit_rows() == before


def test_enterprises_with_the_same_facts_share_one_facts_object_across_chunks(cast):
    """The walk builds one RatingFacts per distinct set of facts (rating_facts._assemble); an enterprise whose
    facts differ in one count gets its own, and every enterprise is still rated on its own facts."""
    from anlan.core.tests.factories import EnterpriseFactory
    from anlan.credit import rules
    from anlan.credit.selectors import rating_facts

    x = cast.enterprise_x
    twins = [
        EnterpriseFactory(
            region=x.region,
            industry=x.industry,
            has_major_hazard_source=x.has_major_hazard_source,
            is_crowded_place=x.is_crowded_place,
        )
        for _n in range(2)
    ]
    f.hazard(x, major=True, due_on=TODAY - timedelta(days=1))
    found = {}
    for _rows, chunk in rating_facts.chunks_with_facts(
        None, today=TODAY, since=rules.widest_since(TODAY), size=1
    ):
        found.update(chunk)
    assert found[twins[0].pk] is found[twins[1].pk]
    assert found[x.pk] is not found[twins[0].pk]
    assert found[x.pk].overdue_major_hazards == 1 and found[twins[0].pk].overdue_major_hazards == 0
    recompute()
    assert colour_of(x) == "red"
    assert [colour_of(twin) for twin in twins] == ["yellow", "yellow"]


def test_place_hazards_and_place_penalties_belong_to_no_enterprise_and_do_not_stop_the_walk(cast):
    """A hazard or an inspection with no enterprise (a road, a 督查 problem, a place) is nobody's fact: the
    nightly walk over every region (no bounds) rates the enterprises as before instead of failing on the
    enterprise-less group (SQLite sorts it first, PostgreSQL last)."""
    from anlan.hazards.tests.factories import HazardFactory
    from anlan.inspections.models import Inspection

    HazardFactory(
        enterprise=None,
        place="半塔镇集市",
        region=cast.town_b,
        industry=cast.enterprise_x.industry,
        grade="major",
        found_on=TODAY - timedelta(days=30),
        due_on=TODAY - timedelta(days=5),
    )
    action = f.penalty(cast, cast.enterprise_x, TODAY - timedelta(days=3))
    Inspection.objects.filter(pk=action.inspection_id).update(enterprise=None)
    counts = services.sweep(today=TODAY, now=NOW)
    assert counts["rated"] == Rating.objects.count() > 0
    assert colour_of(cast.enterprise_x) == "yellow"
