"""考核 from live data: the fact providers attribute each record to its town and department (one query each, then
the labels of the records kept), the scheme is locked once published, manual scores need a second reviewer, a run scores, ranks and keeps each
point's records, and who sees what before and after publication."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anlan.accidents.models import ReportingFinding
from anlan.accidents.tests.factories import report
from anlan.core import jobs
from anlan.core.errors import DomainError
from anlan.core.tests.factories import DepartmentFactory, industry
from anlan.governance import rules
from anlan.governance.models import AssessmentRun, AssessmentScheme, ManualScore
from anlan.governance.selectors import assessment_facts as facts
from anlan.governance.services import assessment as services
from anlan.governance.tests import factories_assessment as f
from anlan.hazards.models import Hazard
from anlan.hazards.tests.factories import HazardFactory
from anlan.inspections.models import InspectionPlan
from anlan.notifications.models import Notification

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- providers


def test_a_relatively_major_accident_counts_for_its_town_and_the_department_supervising_its_industry(cast):
    units = f.cast_units(cast)
    accident = report(cast, deaths=3)
    found = facts.facts_for("accidents.relatively_major", f.context(cast))
    assert found[units["town_a"].pk].occurrences == 1
    assert found[units["dept_housing"].pk].occurrences == 1
    assert units["town_b"].pk not in found and units["dept_transport"].pk not in found
    assert found[units["town_a"].pk].records == [
        {
            "id": accident.pk,
            "label": accident.title,
            "url": reverse("accidents:accident-detail", args=[accident.pk]),
        }
    ]


def test_an_ordinary_accident_is_not_a_relatively_major_one(cast):
    f.cast_units(cast)
    report(cast, deaths=1)
    assert facts.facts_for("accidents.relatively_major", f.context(cast)) == {}
    assert len(facts.facts_for("accidents.ordinary", f.context(cast))) == 2


def test_overdue_major_hazards_count_for_their_town_and_supervising_department_only_when_overdue(cast):
    units = f.cast_units(cast)
    today = timezone.localdate()
    late = HazardFactory(
        enterprise=cast.enterprise_x,
        grade=Hazard.Grade.MAJOR,
        due_on=today - timedelta(days=1),
        supervising_department=cast.dept_housing,
    )
    HazardFactory(
        enterprise=cast.enterprise_x,
        grade=Hazard.Grade.MAJOR,
        due_on=today,
        supervising_department=cast.dept_housing,
    )
    HazardFactory(
        enterprise=cast.enterprise_x,
        due_on=today - timedelta(days=3),
        supervising_department=cast.dept_housing,
    )
    found = facts.facts_for("hazards.major_overdue", f.context(cast))
    assert {pk: v.occurrences for pk, v in found.items()} == {
        units["town_a"].pk: 1,
        units["dept_housing"].pk: 1,
    }
    assert found[units["dept_housing"].pk].records[0]["url"] == reverse(
        "hazards:hazard-detail", args=[late.pk]
    )
    assert facts.facts_for("hazards.overdue", f.context(cast))[units["town_a"].pk].occurrences == 2


def test_a_department_below_its_inspection_plan_has_one_occurrence_and_one_without_a_plan_none(cast):
    units = f.cast_units(cast)
    InspectionPlan.objects.create(
        department=cast.dept_housing,
        year=timezone.localdate().year,
        title="年度计划",
        monthly_counts=[1] * 12,
        created_by=cast["dept_housing"],
    )
    found = facts.facts_for("inspections.below_plan", f.context(cast))
    assert list(found) == [units["dept_housing"].pk]
    assert found[units["dept_housing"].pk].records[0]["label"] == "计划检查 12 次，已检查 0 次"
    ctx = f.context(cast)
    lenient = facts.FactContext(**{**ctx.__dict__, "threshold": 0})
    assert facts.facts_for("inspections.below_plan", lenient) == {}


def test_references_are_capped_per_unit_but_the_count_is_complete(cast, monkeypatch):
    units = f.cast_units(cast)
    monkeypatch.setattr(facts, "REFERENCES_PER_UNIT", 2)
    for _ in range(3):
        HazardFactory(enterprise=cast.enterprise_x, due_on=timezone.localdate() - timedelta(days=2))
    found = facts.facts_for("hazards.overdue", f.context(cast))
    assert found[units["town_a"].pk].occurrences == 3
    assert len(found[units["town_a"].pk].records) == 2


def test_a_units_references_are_its_first_records_across_the_parts_it_draws_on(cast, monkeypatch):
    """Town A's three overdue hazards fall in two parts (supervised by 住建局, and by 交通局): the town's
    references are its first two by id, whichever part they come from; each department keeps its own."""
    units = f.cast_units(cast)
    monkeypatch.setattr(facts, "REFERENCES_PER_UNIT", 2)
    overdue = timezone.localdate() - timedelta(days=2)
    first, second, third = (HazardFactory(enterprise=cast.enterprise_x, due_on=overdue) for _ in range(3))
    Hazard.objects.filter(pk__in=[first.pk, third.pk]).update(supervising_department=cast.dept_housing)
    Hazard.objects.filter(pk=second.pk).update(supervising_department=cast.dept_transport)
    found = facts.facts_for("hazards.overdue", f.context(cast))

    def ids(unit):
        return [record["id"] for record in found[units[unit].pk].records]

    assert ids("town_a") == [first.pk, second.pk]
    assert ids("dept_housing") == [first.pk, third.pk]
    assert ids("dept_transport") == [second.pk]
    assert found[units["town_a"].pk].records[1] == {
        "id": second.pk,
        "label": f"{second.number} {second.description}",
        "url": reverse("hazards:hazard-detail", args=[second.pk]),
    }
    assert {
        unit: found[units[unit].pk].occurrences for unit in ("town_a", "dept_housing", "dept_transport")
    } == {
        "town_a": 3,
        "dept_housing": 2,
        "dept_transport": 1,
    }


def test_a_provider_reads_every_unit_in_one_query_and_labels_the_kept_records_in_a_second(cast):
    f.cast_units(cast)
    DepartmentFactory(
        name="来安县应急管理局", region=cast.county, industries=[industry("hazchem-production")]
    )
    f.cast_units(cast)
    ctx = f.context(cast)
    with CaptureQueriesContext(connection) as queries:
        assert facts.facts_for("accidents.relatively_major", ctx) == {}
    assert len(queries) == 1  # nothing found: nothing to label
    report(cast, deaths=3)
    with CaptureQueriesContext(connection) as queries:
        found = facts.facts_for("accidents.relatively_major", ctx)
    assert len(found) == 2
    assert len(queries) == 2
    assert "ROW_NUMBER" in queries[0]["sql"].upper() and "title" not in queries[0]["sql"]


# ---------------------------------------------------------------- schemes


def test_a_published_scheme_refuses_new_indicators(cast):
    scheme = f.published_scheme(cast)
    with pytest.raises(DomainError) as error:
        services.add_indicator(
            actor=cast["county_office"], scheme_pk=scheme.pk, data=f.indicator_data(f.INDICATORS[0])
        )
    assert error.value.code == services.ErrorCode.NOT_DRAFT


def test_a_department_only_provider_cannot_apply_to_towns(cast):
    scheme = f.draft_scheme(cast)
    row = ("检查计划", rules.DEDUCTION, rules.PROCESS, "all", "inspections.below_plan", "5", "5")
    with pytest.raises(DomainError) as error:
        services.add_indicator(actor=cast["county_office"], scheme_pk=scheme.pk, data=f.indicator_data(row))
    assert (error.value.code, error.value.field) == (services.ErrorCode.PROVIDER_UNITS, "applies_to")
    assert not scheme.indicators.exists()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        pytest.param(
            ("扣分", rules.DEDUCTION, rules.RESULT, "all", "", "2", "6"), "provider", id="no provider"
        ),
        pytest.param(
            ("扣分", rules.DEDUCTION, rules.RESULT, "all", "accidents.ordinary", "0", "6"),
            "points",
            id="zero points",
        ),
        pytest.param(
            ("台账", rules.MANUAL, rules.PROCESS, "all", "", "0", None), "cap", id="manual without cap"
        ),
        pytest.param(
            ("台账", rules.MANUAL, rules.PROCESS, "all", "hazards.overdue", "0", "5"),
            "provider",
            id="manual with provider",
        ),
    ],
)
def test_an_indicator_names_the_field_it_breaks(cast, row, field):
    scheme = f.draft_scheme(cast)
    with pytest.raises(DomainError) as error:
        services.add_indicator(actor=cast["county_office"], scheme_pk=scheme.pk, data=f.indicator_data(row))
    assert error.value.field == field


def test_a_scheme_without_indicators_cannot_be_published(cast):
    scheme = f.draft_scheme(cast)
    with pytest.raises(DomainError):
        services.publish_scheme(actor=cast["county_office"], scheme_pk=scheme.pk)


# ---------------------------------------------------------------- manual scores


def test_the_enterer_cannot_confirm_their_own_manual_score_and_a_second_reviewer_can(cast):
    score = f.manual_score(cast)
    with pytest.raises(DomainError) as error:
        services.review_manual_score(actor=cast["county_office"], score_pk=score.pk, name="confirm")
    assert error.value.code == "assessment_self_review"
    score.refresh_from_db()
    assert score.status == ManualScore.Status.ENTERED
    services.review_manual_score(actor=f.second_office(cast), score_pk=score.pk, name="confirm")
    score.refresh_from_db()
    assert (score.status, score.reviewed_by) == (ManualScore.Status.CONFIRMED, cast.users["county_office_2"])


def test_a_manual_score_above_the_cap_is_refused(cast):
    with pytest.raises(DomainError) as error:
        f.manual_score(cast, amount="10.5")
    assert error.value.field == "amount"
    assert not ManualScore.objects.exists()


def test_a_manual_score_at_the_cap_is_accepted(cast):
    assert f.manual_score(cast, amount="10").amount == Decimal("10")


def test_scoring_waits_for_every_manual_score_to_be_reviewed(cast):
    score = f.manual_score(cast)
    with pytest.raises(DomainError) as error:
        services.start_scoring(actor=cast["county_office"], scheme_pk=score.indicator.scheme_id)
    assert error.value.code == services.ErrorCode.UNCONFIRMED


# ---------------------------------------------------------------- runs


def test_a_run_scores_ranks_and_keeps_each_deduction_with_its_records(cast):
    units = f.cast_units(cast)
    accident = report(cast, deaths=3)
    scheme = f.published_scheme(cast)
    score = f.manual_score(cast, scheme, amount="4", unit=units["town_b"])
    services.review_manual_score(actor=f.second_office(cast), score_pk=score.pk, name="confirm")
    run = services.start_scoring(actor=cast["county_office"], scheme_pk=scheme.pk)
    assert (run.status, run.unit_count) == (AssessmentRun.Status.COMPUTED, 4)
    town_a, town_b = f.result_of(run, units["town_a"]), f.result_of(run, units["town_b"])
    # The 较大 accident deducts 10 from town A (the 一般 indicator counts only 一般 accidents); town B loses its
    # confirmed manual 4.
    assert (town_a.score, town_a.rank) == (Decimal("90"), 2)
    assert (town_b.score, town_b.rank) == (Decimal("96"), 1)
    line = town_a.lines.get(indicator__provider="accidents.relatively_major")
    assert (line.occurrences, line.points) == (1, Decimal("-10"))
    assert line.records[0]["id"] == accident.pk
    housing = f.result_of(run, units["dept_housing"])
    assert housing.score == Decimal("90")
    assert housing.lines.count() == len(f.INDICATORS)
    assert f.result_of(run, units["town_a"]).lines.filter(indicator__applies_to="department").count() == 0


def test_a_vetoed_town_ranks_after_a_lower_scoring_one(cast):
    units = f.cast_units(cast)
    accident = report(cast, deaths=1)
    ReportingFinding.objects.create(
        accident=accident, is_concealed=True, description="隐瞒不报经查证属实", found_on=timezone.localdate()
    )
    for _ in range(5):
        HazardFactory(
            enterprise=cast.enterprise_y,
            grade=Hazard.Grade.MAJOR,
            due_on=timezone.localdate() - timedelta(days=5),
        )
    run = f.computed_run(cast)
    town_a, town_b = f.result_of(run, units["town_a"]), f.result_of(run, units["town_b"])
    assert town_a.vetoed and not town_b.vetoed
    assert town_a.score == Decimal("98") > town_b.score == Decimal("85")
    assert (town_b.rank, town_a.rank) == (1, 2)


def test_a_published_run_is_not_recomputed(cast):
    run = f.published_run(cast)
    with pytest.raises(DomainError) as error:
        services.start_scoring(actor=cast["county_office"], scheme_pk=run.scheme_id)
    assert error.value.code == services.ErrorCode.RESULTS_PUBLISHED


# ---------------------------------------------------------------- who sees what


def test_before_publication_a_town_sees_neither_the_ranking_nor_its_own_result(cast, as_user):
    run = f.computed_run(cast)
    own = f.result_of(run, f.unit_of(cast.town_a))
    client = as_user(cast["town_a"])
    assert client.get(reverse("governance:assessment-run-detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("governance:assessment-result-detail", args=[own.pk])).status_code == 404
    leader = as_user(cast["leader"])
    assert leader.get(reverse("governance:assessment-result-detail", args=[own.pk])).status_code == 200


def test_after_publication_a_town_sees_the_ranking_and_its_own_lines_but_not_another_towns(cast, as_user):
    run = f.published_run(cast)
    own = f.result_of(run, f.unit_of(cast.town_a))
    other = f.result_of(run, f.unit_of(cast.town_b))
    client = as_user(cast["town_a"])
    page = client.get(reverse("governance:assessment-run-detail", args=[run.pk]))
    assert page.status_code == 200
    assert page.context["linked"] == {own.pk}
    assert client.get(reverse("governance:assessment-result-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("governance:assessment-result-detail", args=[other.pk])).status_code == 404
    listing = client.get(reverse("governance:assessment-run-list"))
    assert [r.pk for r in listing.context["own"]] == [own.pk]


def test_publication_tells_each_units_members_their_own_score_and_rank_once(cast):
    run = f.published_run(cast)
    own = f.result_of(run, f.unit_of(cast.town_a))
    message = Notification.objects.get(recipient=cast["town_a"], kind=services.NOTICE)
    assert message.url == reverse("governance:assessment-result-detail", args=[own.pk])
    assert message.body == f"{own.unit.name}：得分 {own.score}，第 {own.rank} 名。"
    assert Notification.objects.filter(recipient=cast["dept_housing"], kind=services.NOTICE).count() == 1
    # Not the office, the leader nor the enterprise: they are not scored units' members.
    assert not Notification.objects.filter(
        recipient__in=[cast["county_office"], cast["leader"], cast["enterprise_x"]], kind=services.NOTICE
    ).exists()
    jobs.run_here(services.PUBLISHED_JOB, owner=cast["county_office"], params={"run": run.pk})
    assert Notification.objects.filter(recipient=cast["town_a"], kind=services.NOTICE).count() == 1


def test_an_enterprise_never_sees_a_published_ranking(cast, as_user):
    run = f.published_run(cast)
    client = as_user(cast["enterprise_x"])
    assert client.get(reverse("governance:assessment-run-detail", args=[run.pk])).status_code == 404


# ---------------------------------------------------------------- pages


def test_the_office_drafts_a_scheme_and_adds_an_indicator_through_the_pages(cast, as_user):
    f.cast_units(cast)
    client = as_user(cast["county_office"])
    response = client.post(
        reverse("governance:assessment-scheme-create"),
        {"region": cast.county.pk, "year": 2026, "title": "2026年度考核方案", "base": "100"},
    )
    assert response.status_code == 302
    scheme = AssessmentScheme.objects.get()
    response = client.post(
        reverse("governance:assessment-indicator-create", args=[scheme.pk]),
        {
            "name": "较大事故",
            "kind": "deduction",
            "category": "result",
            "applies_to": "all",
            "provider": "accidents.relatively_major",
            "points": "10",
            "cap": "30",
        },
    )
    assert response.status_code == 302
    assert scheme.indicators.get().provider == "accidents.relatively_major"
    assert client.get(reverse("governance:assessment-scheme-detail", args=[scheme.pk])).status_code == 200


def test_a_manual_score_above_the_cap_is_shown_on_the_form_and_nothing_saved(cast, as_user):
    scheme = f.published_scheme(cast)
    client = as_user(cast["county_office"])
    response = client.post(
        reverse("governance:assessment-manual", args=[scheme.pk]),
        {
            "indicator": f.indicator(scheme, rules.MANUAL).pk,
            "unit": f.unit_of(cast.town_a).pk,
            "amount": "11",
            "evidence": "缺台账",
        },
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not ManualScore.objects.exists()


def test_the_ranking_exports_as_xlsx(cast, as_user):
    run = f.published_run(cast)
    response = as_user(cast["town_a"]).get(reverse("governance:assessment-run-export", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
