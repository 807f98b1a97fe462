"""The scope's extensions: records owned by a unit, taken part in, addressed to a user, public, opened by a token,
and a per-role narrowing. Specs are built over existing models with `dataclasses.replace`.

Receipt tasks sit in another county (全椒县) so that no cast member sees them by territory: whatever a member
sees comes from the extension under test.
"""

from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from anlan.core import units
from anlan.core.models import Enterprise, Person, ReceiptTask, Region, Role, Unit, User
from anlan.core.scope import ScopeSpec, scope_q
from anlan.core.tests.factories import EnterpriseFactory, UserFactory, industry

EVERYONE = ["county_office", "town_a", "town_b", "dept_housing", "enterprise_x", "grid_worker", "leader"]
OTHER_COUNTY = "341124000000"  # 全椒县
ALL_ROLES = frozenset(Role.values)

# Receipt tasks by territory alone (not the model's own spec, which other work may extend): each test adds the
# one extension it is about.
TASKS = ScopeSpec(region="region")


def task(cast, title, **fields) -> ReceiptTask:
    now = timezone.now()
    return ReceiptTask.objects.create(
        content_type=ContentType.objects.get_for_model(Enterprise),
        object_id=cast.enterprise_x.pk,
        kind="kernel_test",
        title=title,
        sender=fields.pop("sender", cast["county_office"]),
        region=Region.objects.get(pk=OTHER_COUNTY),
        sent_at=now,
        confirm_by=now,
        next_escalation_at=now,
        **fields,
    )


def seen(user, spec, model=ReceiptTask, roles=None) -> set[str]:
    field = "title" if model is ReceiptTask else "name"
    return set(model.objects.filter(scope_q(user, spec, roles)).values_list(field, flat=True))


def fresh(user):
    return User.objects.get(pk=user.pk)  # memberships are read once per user object


# ---------------------------------------------------------------- without extensions


def test_without_extensions_no_cast_member_sees_a_task_of_another_county(cast):
    task(cast, "给镇", recipient_user=cast["town_a"], sender=cast["town_a"])
    for name in EVERYONE:
        assert seen(cast[name], TASKS) == set(), name


# ---------------------------------------------------------------- participant and addressee


@pytest.mark.parametrize("name", EVERYONE)
def test_a_participant_sees_the_record_and_nobody_else_does(cast, name):
    task(cast, "镇发出", recipient_user=cast["leader"], sender=cast["town_a"])
    expected = {"镇发出"} if name == "town_a" else set()
    assert seen(cast[name], replace(TASKS, participant="sender")) == expected


@pytest.mark.parametrize("name", EVERYONE)
def test_the_addressee_sees_the_record_and_nobody_else_does(cast, name):
    task(cast, "致企业", recipient_user=cast["enterprise_x"])
    expected = {"致企业"} if name == "enterprise_x" else set()
    assert seen(cast[name], replace(TASKS, addressee="recipient_user")) == expected


def test_taking_part_or_being_addressed_gives_no_right_to_act(cast):
    task(cast, "致镇", recipient_user=cast["town_a"], sender=cast["town_a"])
    spec = replace(TASKS, participant="sender", addressee="recipient_user")
    assert seen(cast["town_a"], spec) == {"致镇"}
    assert seen(cast["town_a"], spec, roles=ALL_ROLES) == set()


def test_a_participant_sees_a_record_once_beside_its_territorial_access(cast):
    # Given a task in town A that town A's officer also sent
    mine = task(cast, "本镇", recipient_user=cast["leader"], sender=cast["town_a"])
    ReceiptTask.objects.filter(pk=mine.pk).update(region=cast.village_a)
    rows = list(ReceiptTask.objects.filter(scope_q(cast["town_a"], replace(TASKS, participant="sender"))))
    assert rows == [mine]


def test_a_user_without_any_membership_still_sees_what_is_addressed_to_them(cast):
    outsider = UserFactory(username="outsider")
    task(cast, "致外部", recipient_user=outsider)
    assert seen(outsider, replace(TASKS, addressee="recipient_user")) == {"致外部"}


def test_an_inactive_or_anonymous_user_sees_nothing_even_when_addressed(cast):
    task(cast, "致镇", recipient_user=cast["town_a"])
    spec = replace(TASKS, addressee="recipient_user")
    User.objects.filter(pk=cast["town_a"].pk).update(is_active=False)
    assert seen(fresh(cast["town_a"]), spec) == set()
    assert seen(AnonymousUser(), spec) == set()


# ---------------------------------------------------------------- public and token


@pytest.fixture
def published(cast, monkeypatch):
    """Enterprise's spec with `is_crowded_place` as the public flag and `uscc` as the token; two enterprises in
    another county, one of them public."""
    monkeypatch.setattr(
        Enterprise, "scope", replace(Enterprise.scope, public="is_crowded_place", token="uscc")
    )
    town = Region.objects.create(
        code="341124100000", name="襄河镇", level=Region.Level.TOWN, parent_id=OTHER_COUNTY
    )
    shown = EnterpriseFactory(
        name="公开单位", region=town, industry=industry("commerce"), is_crowded_place=True
    )
    hidden = EnterpriseFactory(name="未公开单位", region=town, industry=industry("commerce"))
    return shown, hidden


@pytest.mark.parametrize("name", EVERYONE)
def test_a_public_record_is_seen_by_every_signed_in_user_and_a_private_one_is_not(published, cast, name):
    others = seen(cast[name], Enterprise.scope, model=Enterprise) - {
        "来安县建工集团有限公司",
        "安徽来安化工有限公司",
    }
    assert others == {"公开单位"}


def test_a_public_record_gives_no_right_to_act(published, cast):
    assert "公开单位" not in seen(cast["town_a"], Enterprise.scope, model=Enterprise, roles=ALL_ROLES)


def test_an_anonymous_user_does_not_see_public_records_through_the_scope(published):
    assert seen(AnonymousUser(), Enterprise.scope, model=Enterprise) == set()


def test_the_portal_reads_public_records_alone(published):
    assert list(Enterprise.objects.public()) == [published[0]]


def test_a_model_without_a_public_path_publishes_nothing(cast):
    assert list(Enterprise.objects.public()) == []


def test_a_token_opens_exactly_its_record(published):
    shown, hidden = published
    assert list(Enterprise.objects.for_token(hidden.uscc)) == [hidden]
    assert list(Enterprise.objects.for_token("not-a-token")) == []


def test_an_empty_token_opens_nothing(published):
    assert list(Enterprise.objects.for_token("")) == []


def test_a_model_without_a_token_path_opens_nothing(cast):
    assert list(Enterprise.objects.for_token(cast.enterprise_x.uscc)) == []


# ---------------------------------------------------------------- refine


def hide_suspended_from_enterprises(membership, q):
    return q & ~Q(status=Enterprise.Status.SUSPENDED) if membership.role == Role.ENTERPRISE else q


def test_refine_narrows_what_one_role_sees_and_leaves_the_others(cast):
    Enterprise.objects.filter(pk=cast.enterprise_x.pk).update(status=Enterprise.Status.SUSPENDED)
    spec = replace(Enterprise.scope, refine=hide_suspended_from_enterprises)
    assert seen(cast["enterprise_x"], spec, model=Enterprise) == set()
    assert seen(cast["town_a"], spec, model=Enterprise) == {"来安县建工集团有限公司"}


def test_refine_leaves_a_record_it_does_not_match(cast):
    spec = replace(Enterprise.scope, refine=hide_suspended_from_enterprises)
    assert seen(cast["enterprise_x"], spec, model=Enterprise) == {"来安县建工集团有限公司"}


def test_refine_is_asked_once_per_membership_with_its_territorial_q(cast):
    asked = []

    def spy(membership, q):
        asked.append((membership, q))
        return q

    scope_q(cast["town_a"], replace(Enterprise.scope, refine=spy))
    assert [(m.role, str(q)) for m, q in asked] == [
        (Role.TOWN, str(Q(region__gte="341122100000", region__lte="341122100999")))
    ]


def test_a_superuser_sees_everything_whatever_the_refinement(cast):
    root = UserFactory(username="root", is_superuser=True)
    spec = replace(Enterprise.scope, refine=lambda membership, q: Q(pk__in=[]))
    assert len(seen(root, spec, model=Enterprise)) == Enterprise.objects.count()


# ---------------------------------------------------------------- owner unit


OWNED = replace(TASKS, owner_unit="recipient_unit")


@pytest.mark.parametrize("name", EVERYONE)
def test_a_departments_unit_is_seen_by_its_staff_wherever_the_record_is(cast, name):
    task(cast, "致住建局", recipient_unit=units.unit_for(cast.dept_housing))
    expected = {"致住建局"} if name == "dept_housing" else set()
    assert seen(cast[name], OWNED) == expected


@pytest.mark.parametrize("name", EVERYONE)
def test_an_enterprises_unit_is_seen_by_its_own_users(cast, name):
    task(cast, "致企业", recipient_unit=units.unit_for(cast.enterprise_x))
    expected = {"致企业"} if name == "enterprise_x" else set()
    assert seen(cast[name], OWNED) == expected


@pytest.mark.parametrize("name", EVERYONE)
def test_a_towns_unit_is_seen_by_its_town_officers(cast, name):
    task(cast, "致新安镇", recipient_unit=units.unit_for(cast.town_a))
    expected = {"致新安镇"} if name == "town_a" else set()
    assert seen(cast[name], OWNED) == expected


def test_a_unit_membership_holding_the_right_may_act_on_the_units_records(cast):
    task(cast, "致住建局", recipient_unit=units.unit_for(cast.dept_housing))
    assert seen(cast["dept_housing"], OWNED, roles=frozenset({Role.DEPARTMENT})) == {"致住建局"}
    assert seen(cast["dept_housing"], OWNED, roles=frozenset({Role.TOWN})) == set()


def test_a_user_without_memberships_owns_no_unit(cast):
    task(cast, "致住建局", recipient_unit=units.unit_for(cast.dept_housing))
    assert seen(UserFactory(username="outsider"), OWNED) == set()


@pytest.mark.parametrize("name", EVERYONE)
def test_the_countys_committee_office_unit_is_seen_by_its_office_alone(cast, name):
    task(cast, "致安委办", recipient_unit=units.committee_office_for(cast.county))
    expected = {"致安委办"} if name == "county_office" else set()
    assert seen(cast[name], OWNED) == expected


def test_an_outside_bodys_unit_is_seen_by_the_people_working_there(cast):
    police = Unit.objects.create(kind=Unit.Kind.OUTSIDE_BODY, name="来安县公安局", region=cast.county)
    officer = UserFactory(username="police_officer")
    Person.objects.create(name="王警官", user=officer, employer=police)
    task(cast, "致公安", recipient_unit=police)
    assert seen(officer, OWNED) == {"致公安"}
    assert seen(cast["county_office"], OWNED) == set()
