"""Transitions with guards: a refused step is neither offered nor performed; compare-and-set with one history row.

The table here is the test's own, over `Enterprise.status`, so it does not move when apps rename theirs.
"""

from enum import StrEnum

import pytest

from anlan.core.errors import Code, DomainError
from anlan.core.models import Enterprise
from anlan.core.scope import memberships_of
from anlan.core.workflow import (
    Refusal,
    Transition,
    apply_transition,
    available_transitions,
    available_transitions_by_pk,
)

S = Enterprise.Status
RIGHT = "core.change_enterprise_status"  # the 安委办, departments and towns hold it


class KernelRule(StrEnum):
    MAJOR_HAZARD_SOURCE = "major_hazard_source"


def not_with_a_major_hazard_source(enterprise, user):
    if enterprise.has_major_hazard_source:
        return Refusal(KernelRule.MAJOR_HAZARD_SOURCE, "重大危险源单位不能直接关闭。")
    return None


def never(enterprise, user):
    return None


SUSPEND = Transition("suspend", frozenset({S.OPERATING}), S.SUSPENDED, RIGHT, "停产", guards=(never,))
CLOSE = Transition(
    "close",
    frozenset({S.OPERATING, S.SUSPENDED}),
    S.CLOSED,
    RIGHT,
    "关闭",
    reason_required=True,
    guards=(never, not_with_a_major_hazard_source),
)
RESUME = Transition("resume", frozenset({S.SUSPENDED}), S.OPERATING, RIGHT, "复产")
TABLE = (SUSPEND, CLOSE, RESUME)


@pytest.fixture
def hazardous(cast):
    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(has_major_hazard_source=True)
    return Enterprise.objects.get(pk=cast.enterprise_x.pk)


def fresh(enterprise):
    return Enterprise.objects.get(pk=enterprise.pk)


# ---------------------------------------------------------------- what is offered


def test_the_transitions_leaving_the_current_state_are_offered_in_table_order(cast):
    assert available_transitions(fresh(cast.enterprise_x), cast["town_a"], TABLE) == [SUSPEND, CLOSE]


def test_a_transition_whose_guard_refuses_is_not_offered(hazardous, cast):
    assert available_transitions(hazardous, cast["town_a"], TABLE) == [SUSPEND]


def test_nothing_is_offered_to_a_role_without_the_right(cast):
    assert available_transitions(fresh(cast.enterprise_x), cast["enterprise_x"], TABLE) == []


def test_nothing_is_offered_outside_the_users_scope(cast):
    assert available_transitions(fresh(cast.enterprise_x), cast["town_b"], TABLE) == []


def test_the_guard_is_asked_with_the_record_and_the_user(cast):
    seen = []
    spy = Transition(
        "suspend",
        frozenset({S.OPERATING}),
        S.SUSPENDED,
        RIGHT,
        "停产",
        guards=(lambda o, u: seen.append((o, u)),),
    )
    x = fresh(cast.enterprise_x)
    available_transitions(x, cast["town_a"], (spy,))
    assert seen == [(x, cast["town_a"])]


def test_the_first_refusing_guard_names_the_rule(hazardous):
    assert CLOSE.refusal(hazardous, None) == Refusal(
        KernelRule.MAJOR_HAZARD_SOURCE, "重大危险源单位不能直接关闭。"
    )
    assert SUSPEND.refusal(hazardous, None) is None


def test_a_page_of_records_gets_the_same_answer_with_one_query_per_right(
    hazardous, cast, django_assert_num_queries
):
    user = cast["town_a"]
    memberships_of(user)  # loaded once per request, before the page
    page = [hazardous, fresh(cast.enterprise_y)]
    with django_assert_num_queries(1):
        found = available_transitions_by_pk(page, user, TABLE)
    assert found == {hazardous.pk: [SUSPEND], cast.enterprise_y.pk: []}
    assert found[hazardous.pk] == available_transitions(hazardous, user, TABLE)


def test_an_empty_page_has_no_transitions(cast):
    assert available_transitions_by_pk([], cast["town_a"], TABLE) == {}


# ---------------------------------------------------------------- performing


def test_a_transition_moves_the_state_and_writes_one_history_row_with_actor_and_reason(cast):
    x = fresh(cast.enterprise_x)
    before = x.history.count()
    apply_transition(x, CLOSE, actor=cast["town_a"], reason=" 已搬迁 ", changes={"employees": 0})
    stored = fresh(x)
    assert (stored.status, stored.employees) == (S.CLOSED, 0)
    assert (x.status, x.employees) == (S.CLOSED, 0)
    assert x.history.count() == before + 1
    row = x.history.first()
    assert (row.status, row.history_user, row.history_change_reason) == (S.CLOSED, cast["town_a"], "已搬迁")


def test_a_transition_without_a_reason_is_recorded_under_its_label(cast):
    x = fresh(cast.enterprise_x)
    apply_transition(x, SUSPEND, actor=cast["town_a"])
    assert x.history.first().history_change_reason == "停产"


def test_a_refusing_guard_stops_the_transition_with_its_code_and_changes_nothing(hazardous, cast):
    before = hazardous.history.count()
    with pytest.raises(DomainError) as caught:
        apply_transition(hazardous, CLOSE, actor=cast["town_a"], reason="已搬迁")
    assert (caught.value.code, caught.value.field, caught.value.message) == (
        KernelRule.MAJOR_HAZARD_SOURCE,
        "__all__",
        "重大危险源单位不能直接关闭。",
    )
    assert hazardous.status == S.OPERATING
    assert fresh(hazardous).status == S.OPERATING
    assert hazardous.history.count() == before


def test_a_transition_from_another_state_is_illegal_and_changes_nothing(cast):
    x = fresh(cast.enterprise_x)
    with pytest.raises(DomainError) as caught:
        apply_transition(x, RESUME, actor=cast["town_a"])
    assert (caught.value.code, caught.value.field) == (Code.ILLEGAL_TRANSITION, "__all__")
    assert fresh(x).status == S.OPERATING


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_a_transition_requiring_a_reason_refuses_without_one_on_the_reason_field(cast, reason):
    x = fresh(cast.enterprise_x)
    with pytest.raises(DomainError) as caught:
        apply_transition(x, CLOSE, actor=cast["town_a"], reason=reason)
    assert (caught.value.code, caught.value.field) == (Code.INVALID, "reason")
    assert fresh(x).status == S.OPERATING


def test_of_two_competing_transitions_exactly_one_wins(cast):
    # Given two requests that both loaded enterprise X while it operated
    first, second = fresh(cast.enterprise_x), fresh(cast.enterprise_x)
    before = first.history.count()
    # When both try to leave that state
    apply_transition(first, SUSPEND, actor=cast["town_a"])
    with pytest.raises(DomainError) as caught:
        apply_transition(second, CLOSE, actor=cast["county_office"], reason="关闭")
    # Then the second is stale, and only the first change and its history row exist
    assert caught.value.code == Code.STALE
    assert fresh(first).status == S.SUSPENDED
    assert first.history.count() == before + 1
