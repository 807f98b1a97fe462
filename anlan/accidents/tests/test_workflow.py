"""Every (state, transition) pair of the investigation's and the measures' state machines, through the
services; the guards (domain rules) that hide a button and refuse the step; and stale copies racing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from anlan.accidents import services
from anlan.accidents.models import Investigation, PreventiveMeasure
from anlan.accidents.rules import ErrorCode
from anlan.accidents.tests.factories import report
from anlan.core.errors import Code, DomainError
from anlan.core.workflow import apply_transition, available_transitions, find

pytestmark = pytest.mark.django_db

S = Investigation.Status
M = PreventiveMeasure.Status


def opened(cast, state=S.ONGOING, measures=(M.DONE,)) -> Investigation:
    """An investigation of enterprise X's accident in `state`, with measures in the given states."""
    accident = report(cast)
    investigation = services.open_investigation(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        data={"lead_organ": "县政府", "team_leader": "张"},
    )
    for status in measures:
        PreventiveMeasure.objects.create(
            investigation=investigation,
            description="排查",
            responsible_party="建工集团",
            due_on=timezone.localdate(),
            status=status,
        )
    Investigation.objects.filter(pk=investigation.pk).update(status=state)
    investigation.refresh_from_db()
    return investigation


def take(name: str, investigation: Investigation, cast):
    office, pk = cast["county_office"], investigation.accident_id
    if name == "extend":
        return services.extend_investigation(
            actor=office, accident_pk=pk, days=30, approved_by="县政府", reason="技术鉴定"
        )
    if name == "conclude":
        return services.conclude_investigation(actor=office, accident_pk=pk, direct_cause="违章作业")
    if name == "close":
        return services.close_investigation(actor=office, accident_pk=pk)
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("state", "transition"),
    [pytest.param(s, t, id=f"{s}-{t.name}") for s in S.values for t in Investigation.TRANSITIONS],
)
def test_every_investigation_transition_from_every_state(cast, state, transition):
    investigation = opened(cast, state)
    before = Investigation.history.filter(id=investigation.pk).count()
    if state in transition.sources:
        take(transition.name, investigation, cast)
        investigation.refresh_from_db()
        assert investigation.status == transition.target
        row = Investigation.history.filter(id=investigation.pk).latest("history_id")
        assert (row.status, row.history_user) == (transition.target, cast["county_office"])
    else:
        with pytest.raises(DomainError) as caught:
            take(transition.name, investigation, cast)
        assert caught.value.code == Code.ILLEGAL_TRANSITION
        investigation.refresh_from_db()
        assert investigation.status == state
        assert Investigation.history.filter(id=investigation.pk).count() == before


@pytest.mark.parametrize(
    ("state", "transition"),
    [pytest.param(s, t, id=f"{s}-{t.name}") for s in M.values for t in PreventiveMeasure.TRANSITIONS],
)
def test_every_measure_transition_from_every_state(cast, state, transition):
    measure = opened(cast, measures=(state,)).measures.get()
    before = PreventiveMeasure.history.filter(id=measure.pk).count()

    def complete():
        return services.complete_measure(
            actor=cast["county_office"],
            accident_pk=measure.investigation.accident_id,
            measure_pk=measure.pk,
            completed_on=timezone.localdate(),
            note="已完成",
        )

    if state in transition.sources:
        complete()
        measure.refresh_from_db()
        assert (measure.status, measure.completed_on) == (transition.target, timezone.localdate())
        assert PreventiveMeasure.history.filter(id=measure.pk).count() == before + 1
    else:
        with pytest.raises(DomainError) as caught:
            complete()
        assert caught.value.code == Code.ILLEGAL_TRANSITION
        measure.refresh_from_db()
        assert measure.status == state
        assert PreventiveMeasure.history.filter(id=measure.pk).count() == before


@pytest.mark.parametrize(
    ("measures", "code"),
    [((), ErrorCode.NO_MEASURES), ((M.DONE, M.OPEN), ErrorCode.MEASURES_OPEN)],
    ids=["no measures", "a measure still open"],
)
def test_the_loop_closes_only_over_done_measures_and_the_button_is_hidden_until_then(cast, measures, code):
    investigation = opened(cast, S.CONCLUDED, measures)
    office = cast["county_office"]
    assert [t.name for t in available_transitions(investigation, office, Investigation.TRANSITIONS)] == []
    before = Investigation.history.filter(id=investigation.pk).count()
    with pytest.raises(DomainError) as caught:
        services.close_investigation(actor=office, accident_pk=investigation.accident_id)
    assert caught.value.code == code
    investigation.refresh_from_db()
    assert investigation.status == S.CONCLUDED
    assert investigation.closed_on is None
    assert Investigation.history.filter(id=investigation.pk).count() == before


def test_the_close_button_shows_once_every_measure_is_done(cast):
    investigation = opened(cast, S.CONCLUDED, (M.DONE,))
    names = [
        t.name for t in available_transitions(investigation, cast["county_office"], Investigation.TRANSITIONS)
    ]
    assert names == ["close"]


def test_the_close_endpoint_refuses_by_the_guard_and_changes_nothing(cast, as_user):
    investigation = opened(cast, S.CONCLUDED, (M.OPEN,))
    response = as_user(cast["county_office"]).post(
        reverse("accidents:investigation-close", args=[investigation.pk])
    )
    assert response.status_code == 302
    investigation.refresh_from_db()
    assert investigation.status == S.CONCLUDED


def test_a_measure_of_a_closed_investigation_cannot_be_completed(cast):
    investigation = opened(cast, S.CLOSED, (M.OPEN,))
    measure = investigation.measures.get()
    assert available_transitions(measure, cast["county_office"], PreventiveMeasure.TRANSITIONS) == []
    with pytest.raises(DomainError) as caught:
        services.complete_measure(
            actor=cast["county_office"],
            accident_pk=investigation.accident_id,
            measure_pk=measure.pk,
            completed_on=timezone.localdate(),
            note="补记",
        )
    assert caught.value.code == ErrorCode.INVESTIGATION_CLOSED
    measure.refresh_from_db()
    assert (measure.status, measure.completed_on) == (M.OPEN, None)


def test_of_two_competing_investigation_transitions_exactly_one_wins(cast):
    """Extend and conclude race on the same ongoing investigation: the compare-and-set lets one through."""
    investigation = opened(cast, S.ONGOING)
    stale_copy = Investigation.objects.get(pk=investigation.pk)
    office = cast["county_office"]
    apply_transition(investigation, find(Investigation.TRANSITIONS, "conclude"), actor=office)
    with pytest.raises(DomainError) as caught:
        apply_transition(stale_copy, find(Investigation.TRANSITIONS, "extend"), actor=office, reason="鉴定")
    assert caught.value.code == Code.STALE
    assert Investigation.objects.get(pk=investigation.pk).status == S.CONCLUDED


def test_of_two_completions_of_one_measure_exactly_one_wins(cast):
    measure = opened(cast, measures=(M.OPEN,)).measures.get()
    stale_copy = PreventiveMeasure.objects.select_related("investigation").get(pk=measure.pk)
    complete = find(PreventiveMeasure.TRANSITIONS, "complete")
    office = cast["county_office"]
    apply_transition(measure, complete, actor=office, changes={"completion_note": "甲"})
    with pytest.raises(DomainError) as caught:
        apply_transition(stale_copy, complete, actor=office, changes={"completion_note": "乙"})
    assert caught.value.code == Code.STALE
    assert PreventiveMeasure.objects.get(pk=measure.pk).completion_note == "甲"
