"""迟报/漏报/谎报/瞒报 follow from the investigator's facts (14号令, regulations.md §1.3) through the service,
the page and the API; the serious-dishonesty candidate follows the derived findings."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from anlan.accidents import selectors, services
from anlan.accidents.models import ReportingFinding
from anlan.accidents.rules import ErrorCode
from anlan.accidents.tests.factories import report
from anlan.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _find(cast, accident, **facts):
    return services.record_finding(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        description="经调查核实",
        found_on=timezone.localdate(),
        **facts,
    )


@pytest.mark.parametrize(
    ("facts", "kinds"),
    [
        pytest.param({"late": True}, ["late"], id="late"),
        pytest.param(
            {"omission": True, "omission_by_negligence": True}, ["omitted"], id="omitted-by-negligence"
        ),
        pytest.param({"omission": True}, ["false"], id="omitted-on-purpose-is-false"),
        pytest.param(
            {"late": True, "intentional_falsehood": True, "false_fields": ["casualties"]},
            ["late", "false"],
            id="late-and-false",
        ),
        pytest.param(
            {"reported": False, "deadline_passed": True, "concealment_verified": True},
            ["concealed"],
            id="concealed",
        ),
    ],
)
def test_the_classification_follows_from_the_facts(cast, facts, kinds):
    finding = _find(cast, report(cast), **facts)
    assert [str(kind) for kind in finding.kinds] == kinds
    assert finding.awaiting_verification is False
    assert finding.history.get().history_change_reason == "、".join(
        str(ReportingFinding.Kind(k).label) for k in kinds
    )


def test_not_reported_past_the_deadline_stays_flagged_until_concealment_is_verified(cast, client):
    accident = report(cast)
    pending = _find(cast, accident, reported=False, deadline_passed=True)
    assert (pending.kinds, pending.awaiting_verification) == ([], True)
    assert selectors.concealment_unverified(accident) is True
    client.force_login(cast["county_office"])
    assert 'data-testid="concealment-unverified"' in client.get(f"/accidents/{accident.pk}/").content.decode()
    verified = _find(cast, accident, reported=False, deadline_passed=True, concealment_verified=True)
    assert verified.kinds == [ReportingFinding.Kind.CONCEALED]
    assert selectors.concealment_unverified(accident) is False
    assert (
        'data-testid="concealment-unverified"'
        not in client.get(f"/accidents/{accident.pk}/").content.decode()
    )


@pytest.mark.parametrize(
    ("facts", "code", "field"),
    [
        pytest.param({}, ErrorCode.FINDING_EMPTY, "__all__", id="reported-on-time-completely"),
        pytest.param(
            {"reported": False}, ErrorCode.FINDING_EMPTY, "__all__", id="not-reported-deadline-open"
        ),
        pytest.param(
            {"reported": True, "deadline_passed": True, "concealment_verified": True},
            ErrorCode.FINDING_EMPTY,
            "__all__",
            id="concealment-facts-of-a-report-made",
        ),
        pytest.param(
            {"intentional_falsehood": True},
            ErrorCode.FALSE_FIELDS_REQUIRED,
            "false_fields",
            id="false-names-fields",
        ),
    ],
)
def test_facts_that_amount_to_no_failure_or_miss_what_was_false_are_refused(cast, facts, code, field):
    accident = report(cast)
    with pytest.raises(DomainError) as refused:
        _find(cast, accident, **facts)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not ReportingFinding.objects.exists()
    assert not ReportingFinding.history.exists()


def test_a_unit_of_an_accident_found_false_or_concealed_is_a_candidate_on_that_ground(cast):
    office = cast["county_office"]
    late = report(cast)
    _find(cast, late, late=True)
    concealed = report(cast)
    _find(cast, concealed, reported=False, deadline_passed=True, concealment_verified=True)
    bases = {}
    for accident in (late, concealed):
        services.open_investigation(
            actor=office, accident_pk=accident.pk, data={"lead_organ": "县政府", "team_leader": "张"}
        )
        bases[accident.pk] = services.add_responsibility(
            actor=office,
            accident_pk=accident.pk,
            data={
                "party": "unit",
                "enterprise": cast.enterprise_x,
                "finding": "x",
                "recommended_handling": "y",
            },
        ).candidate_basis
    assert bases[late.pk] == "事故责任单位，待信用管理部门认定"
    # The credit module names the situation of 应急管理部令第11号 (hook `credit.dishonesty_basis`).
    assert bases[concealed.pk] == "情形四：瞒报、谎报生产安全事故"


def test_the_page_posts_facts_and_shows_the_derived_finding(cast, client):
    accident = report(cast)
    client.force_login(cast["county_office"])
    response = client.post(
        f"/accidents/{accident.pk}/findings/new/",
        {
            "reported": "1",
            "intentional_falsehood": "on",
            "false_fields": ["casualties", "direct_loss"],
            "found_on": timezone.localdate().isoformat(),
            "description": "少报死亡人数",
        },
    )
    assert response.status_code == 302
    finding = ReportingFinding.objects.get()
    assert (finding.kinds, finding.false_fields) == (
        [ReportingFinding.Kind.FALSE],
        ["casualties", "direct_loss"],
    )
    page = client.get(f"/accidents/{accident.pk}/").content.decode()
    assert "谎报" in page
    assert "伤亡人数、直接经济损失" in page


def test_the_api_takes_facts_and_answers_the_kinds(cast, client):
    accident = report(cast)
    client.force_login(cast["county_office"])
    response = client.post(
        reverse("api:accident-findings", args=[accident.pk]),
        {
            "reported": True,
            "late": True,
            "omission": True,
            "omission_by_negligence": True,
            "found_on": timezone.localdate().isoformat(),
            "description": "迟报并漏报轻伤人数",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kinds"] == ["late", "omitted"]
    assert response.json()["awaiting_verification"] is False
