"""The audit timeline shows a many-to-many change whatever the related model is called by (issue #12: 60 of
1,519 demo inspection pages answered 500, `Cannot resolve keyword 'name'`, for actions whose findings changed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anlan.core import audit
from anlan.inspections import services
from anlan.inspections.models import Answer, EnforcementAction, Inspection
from anlan.inspections.tests.factories import answers, inspector, planned, record_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(cast) -> EnforcementAction:
    team = [inspector(cast.dept_housing, name="张执法", user=cast["dept_housing"])]
    inspection = planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])
    services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=inspection.pk,
        data=record_data(),
        answers=answers("construction", failing=("con-5", "con-6")),
    )
    first = Answer.objects.filter(inspection=inspection, result=Answer.Result.NON_COMPLIANT).first()
    return services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=inspection.pk,
        data={
            "kind": "rectification",
            "legal_basis": "《安全生产法》第六十五条",
            "description": "限期整改",
            "due_on": timezone.localdate() + timedelta(days=10),
        },
        finding_ids=[first.pk],
    )


def test_a_many_to_many_value_of_records_without_a_name_is_shown_by_their_text(action):
    findings = list(Answer.objects.filter(result=Answer.Result.NON_COMPLIANT).order_by("pk"))
    value = [{"answer": answer.pk} for answer in findings]
    assert audit.display_value(EnforcementAction, "findings", value) == "、".join(sorted(map(str, findings)))


def test_the_inspection_page_shows_an_action_whose_findings_changed(action, cast, client):
    rows = EnforcementAction.history.filter(id=action.pk)
    before = rows.count()
    action.findings.set(Answer.objects.filter(result=Answer.Result.NON_COMPLIANT))  # as the demo does
    assert rows.count() == before + 1
    client.force_login(cast["county_office"])
    response = client.get(reverse("inspections:inspection-detail", args=[action.inspection_id]))
    assert response.status_code == 200
    changes = [c for entry in response.context["timeline"] for c in entry.changes if c.label == "对应问题"]
    assert len(changes) == 1 and "con-6" in changes[0].new and "con-6" not in changes[0].old
    assert Inspection.objects.get(pk=action.inspection_id).status == Inspection.Status.RECORDED
