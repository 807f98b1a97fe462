"""What the module declares on the contract (apps.py): its to-do providers and home indicators list only rows
the user may act on or see; plus the audit of photos and sweeps, the one deadline default, and the error
codes of refusals (each names its rule and nothing is written)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from anlan.core import audit, units
from anlan.core.contract import registry
from anlan.core.errors import Code, DomainError
from anlan.core.models import Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.core.workflow import available_transitions, find
from anlan.hazards import rules, selectors, services, sweeps
from anlan.hazards.models import Extension, Hazard, Lead, Photo
from anlan.hazards.rules import ErrorCode

from .factories import HazardFactory, LeadFactory, on, photo

S = Hazard.Status


def provider(key):
    return next(item for item in registry().todos if item.key == key)


def indicator(key):
    return next(item for item in registry().indicators if item.key == key)


@pytest.fixture
def scene(cast):
    """Hazards of enterprise X (town A, housing's industry) and Y (town B), in several states."""
    # Found by the towns' own checks (the finding unit verifies), the others by the department.
    x_awaiting = HazardFactory(
        enterprise=cast.enterprise_x,
        status=S.AWAITING_VERIFICATION,
        finding_unit=units.unit_for(cast.town_a),
    )
    y_awaiting = HazardFactory(
        enterprise=cast.enterprise_y,
        status=S.AWAITING_VERIFICATION,
        finding_unit=units.unit_for(cast.town_b),
    )
    x_major_awaiting = HazardFactory(
        enterprise=cast.enterprise_x,
        grade=Hazard.Grade.MAJOR,
        status=S.AWAITING_VERIFICATION,
        submitted_by=cast["enterprise_x"],
    )
    x_own_submission = HazardFactory(
        enterprise=cast.enterprise_x, status=S.AWAITING_VERIFICATION, submitted_by=cast["town_a"]
    )
    x_registered = HazardFactory(enterprise=cast.enterprise_x)
    x_rectifying = HazardFactory(enterprise=cast.enterprise_x, status=S.RECTIFYING)
    y_registered = HazardFactory(enterprise=cast.enterprise_y)
    x_closed = HazardFactory(enterprise=cast.enterprise_x, status=S.CLOSED, closed_on=on(0))
    x_overdue = HazardFactory(enterprise=cast.enterprise_x, due_on=on(-1), found_on=on(-9))
    y_major_overdue = HazardFactory(
        enterprise=cast.enterprise_y, grade=Hazard.Grade.MAJOR, due_on=on(-1), found_on=on(-9)
    )
    return {name: value for name, value in locals().items() if name != "cast"}


def keys(queryset, scene) -> set[str]:
    names = {value.pk: name for name, value in scene.items() if isinstance(value, Hazard)}
    return {names[pk] for pk in queryset.values_list("pk", flat=True)}


def test_the_module_declares_its_to_dos_and_home_indicators():
    todos = {item.key for item in registry().todos}
    indicators = {item.key for item in registry().indicators}
    assert {
        "hazards_to_verify",
        "hazards_to_rectify",
        "hazard_leads_to_confirm",
        "hazard_extensions_to_decide",
    } <= todos
    assert {"open_hazards", "overdue_hazards", "open_major_hazards"} <= indicators


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # A town verifies the ordinary hazards it found, not its own submission, never a major one.
        ("town_a", {"x_awaiting"}),
        ("town_b", {"y_awaiting"}),
        # The supervising department verifies majors of its industry too; enterprise Y is not its industry.
        ("dept_housing", {"x_awaiting", "x_major_awaiting", "x_own_submission"}),
        ("county_office", {"x_awaiting", "y_awaiting", "x_major_awaiting", "x_own_submission"}),
        # An enterprise never closes what a government body found (test_shortcuts covers its self-inspections).
        ("enterprise_x", set()),
        ("grid_worker", set()),
        ("leader", set()),
    ],
)
def test_hazards_to_verify_are_those_the_user_may_verify_now(cast, scene, who, expected):
    user = cast[who]
    rows = provider("hazards_to_verify").rows(user)
    assert keys(rows, scene) == expected
    verify = find(Hazard.TRANSITIONS, "verify")
    for hazard in Hazard.objects.filter(status=S.AWAITING_VERIFICATION):
        assert (verify in available_transitions(hazard, user, Hazard.TRANSITIONS)) is (hazard in rows)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("enterprise_x", {"x_registered", "x_rectifying", "x_overdue"}),
        ("town_a", set()),  # enterprise X rectifies its own hazards
        ("county_office", set()),
        ("dept_housing", set()),
    ],
)
def test_hazards_to_rectify_are_the_enterprises_own_open_ones(cast, scene, who, expected):
    rows = provider("hazards_to_rectify").rows(cast[who])
    assert keys(rows, scene) == expected


def test_a_town_rectifies_the_hazards_at_places_of_its_town(cast):
    from anlan.core.tests.factories import industry

    place = HazardFactory(place="东关菜市场", region=cast.village_a, industry=industry("commerce"))
    HazardFactory(place="半塔镇集市", region=cast.town_b, industry=industry("commerce"))
    assert list(provider("hazards_to_rectify").rows(cast["town_a"])) == [place]


def test_leads_to_confirm_are_pending_leads_in_scope(cast):
    a = LeadFactory(enterprise=cast.enterprise_x, region=cast.village_a, grid=cast.grid_a)
    b = LeadFactory(place="半塔镇集市", region=cast.village_b)
    LeadFactory(place="东关", region=cast.village_a, status=Lead.Status.DISMISSED)
    rows = provider("hazard_leads_to_confirm")
    assert set(rows.rows(cast["town_a"])) == {a}
    assert set(rows.rows(cast["town_b"])) == {b}
    assert set(rows.rows(cast["county_office"])) == {a, b}
    assert not rows.rows(cast["grid_worker"]).exists()
    assert not rows.rows(cast["enterprise_x"]).exists()


def test_extensions_to_decide_are_pending_requests_the_user_may_decide(cast):
    def extension(enterprise, requester, grade=Hazard.Grade.ORDINARY):
        hazard = HazardFactory(enterprise=enterprise, grade=grade)
        return Extension.objects.create(
            hazard=hazard,
            old_due_on=hazard.due_on,
            new_due_on=hazard.due_on + timedelta(days=5),
            reason="x",
            requested_by=requester,
        )

    ordinary_x = extension(cast.enterprise_x, cast["enterprise_x"])
    major_x = extension(cast.enterprise_x, cast["enterprise_x"], Hazard.Grade.MAJOR)
    own_request = extension(cast.enterprise_x, cast["town_a"])
    ordinary_y = extension(cast.enterprise_y, cast["town_b"])
    rows = provider("hazard_extensions_to_decide")
    assert set(rows.rows(cast["town_a"])) == {ordinary_x}  # not a major one, not its own request
    assert set(rows.rows(cast["town_b"])) == set()  # its own request
    assert set(rows.rows(cast["dept_housing"])) == {ordinary_x, major_x, own_request}
    assert set(rows.rows(cast["county_office"])) == {ordinary_x, major_x, own_request, ordinary_y}
    assert not rows.rows(cast["enterprise_x"]).exists()


@pytest.mark.parametrize(
    ("who", "open_", "overdue", "major"),
    [
        (
            "county_office",
            {
                "x_awaiting",
                "y_awaiting",
                "x_major_awaiting",
                "x_own_submission",
                "x_registered",
                "x_rectifying",
                "y_registered",
                "x_overdue",
                "y_major_overdue",
            },
            {"x_overdue", "y_major_overdue"},
            {"x_major_awaiting", "y_major_overdue"},
        ),
        (
            "town_b",
            {"y_awaiting", "y_registered", "y_major_overdue"},
            {"y_major_overdue"},
            {"y_major_overdue"},
        ),
        (
            "enterprise_x",
            {
                "x_awaiting",
                "x_major_awaiting",
                "x_own_submission",
                "x_registered",
                "x_rectifying",
                "x_overdue",
            },
            {"x_overdue"},
            {"x_major_awaiting"},
        ),
    ],
)
def test_the_home_indicators_count_the_scoped_rows_behind_them(cast, scene, who, open_, overdue, major):
    user = cast[who]
    assert keys(indicator("open_hazards").rows(user), scene) == open_
    assert keys(indicator("overdue_hazards").rows(user), scene) == overdue
    assert keys(indicator("open_major_hazards").rows(user), scene) == major
    assert indicator("overdue_hazards").value(user) == len(overdue)


def test_a_to_do_links_to_the_list_of_exactly_its_rows(cast, scene, as_user):
    client = as_user(cast["dept_housing"])
    url = provider("hazards_to_verify").link(cast["dept_housing"])
    listed = {h.pk for h in client.get(url).context["page"]}
    assert listed == set(
        provider("hazards_to_verify").rows(cast["dept_housing"]).values_list("pk", flat=True)
    )
    home = client.get(reverse("core:home"))
    assert b'data-todo="hazards_to_verify"' in home.content


# ---------------------------------------------------------------- one rule each


def test_the_default_rectification_deadline_is_one_setting(settings):
    assert rules.default_rectification_due_on(on(0)) == on(rules.DEFAULT_RECTIFICATION_DAYS)
    settings.ANLAN_RECTIFICATION_DAYS = 7
    assert selectors.default_due_on(on(-2)) == on(5)


def test_the_overdue_query_is_the_overdue_rule(cast):
    today = on(0)
    hazards = [
        HazardFactory(enterprise=cast.enterprise_x, due_on=on(days), found_on=on(-30), status=status)
        for days in (-2, -1, 0, 1)
        for status in S.values
    ]
    matched = set(Hazard.objects.filter(selectors.overdue_q(today)).values_list("pk", flat=True))
    assert matched == {h.pk for h in hazards if h.is_open and rules.is_overdue(h.due_on, today)}
    assert matched == {h.pk for h in hazards if h.is_overdue}


# ---------------------------------------------------------------- audit


def test_attached_photos_and_their_hand_over_to_the_hazard_are_in_the_history(cast):
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
    picture = Photo.objects.get()
    assert [(r.history_type, r.history_user, r.lead_id) for r in picture.history.all()] == [
        ("+", cast["grid_worker"], lead.pk)
    ]
    hazard = services.confirm_lead(
        actor=cast["town_a"],
        lead_pk=lead.pk,
        data={"category": Hazard.Category.UNSAFE_CONDITION, "grade": Hazard.Grade.ORDINARY, "due_on": on(7)},
    )
    handed = picture.history.latest("history_id")
    assert (handed.history_type, handed.history_user, handed.hazard_id) == ("~", cast["town_a"], hazard.pk)
    assert hazard.number in handed.history_change_reason


def test_an_overdue_escalation_is_recorded_by_the_system_actor(cast):
    hazard = HazardFactory(enterprise=cast.enterprise_x, due_on=on(-1), found_on=on(-9))
    before = hazard.history.count()
    sweeps.run(today=on(0))
    row = hazard.history.latest("history_id")
    assert hazard.history.count() == before + 1
    assert row.history_user == audit.system_actor()
    sweeps.run(today=on(0))
    assert hazard.history.count() == before + 1


# ---------------------------------------------------------------- error codes of refusals


def test_refusals_name_their_rule_and_write_nothing(cast, hazard_x):
    def refused(code, call, *records):
        counts = [type(r).history.filter(id=r.pk).count() for r in records]
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.code == code
        assert [type(r).history.filter(id=r.pk).count() for r in records] == counts

    expert_less = UserFactory(username="not_an_expert")
    refused(
        ErrorCode.NOT_AN_EXPERT,
        lambda: services.assign_expert(
            actor=cast["dept_housing"], hazard_pk=hazard_x.pk, expert_pk=expert_less.pk
        ),
        hazard_x,
    )
    refused(
        ErrorCode.NO_ISSUER,  # no 安委办 department registered for the county
        lambda: services.issue_supervision(
            actor=cast["county_office"],
            hazard_pk=hazard_x.pk,
            level="county",
            due_on=on(10),
            responsible_unit="x",
            requirements="y",
        ),
        hazard_x,
    )
    refused(
        ErrorCode.SUPERVISION_DUE_PAST,
        lambda: services.issue_supervision(
            actor=cast["dept_housing"],
            hazard_pk=hazard_x.pk,
            level="county",
            due_on=on(-1),
            responsible_unit="x",
            requirements="y",
        ),
        hazard_x,
    )
    refused(
        ErrorCode.REASON_REQUIRED,
        lambda: services.request_extension(
            actor=cast["enterprise_x"],
            hazard_pk=hazard_x.pk,
            new_due_on=hazard_x.due_on + timedelta(days=3),
            reason=" ",
        ),
        hazard_x,
    )
    rectifying = HazardFactory(enterprise=cast.enterprise_x, status=S.RECTIFYING)
    refused(
        ErrorCode.EVIDENCE_MISSING,
        lambda: services.submit_rectification(
            actor=cast["enterprise_x"], hazard_pk=rectifying.pk, description=" ", photos=[photo()]
        ),
        rectifying,
    )
    closed = HazardFactory(enterprise=cast.enterprise_x, status=S.CLOSED, closed_on=on(0))
    refused(
        ErrorCode.CHECKED_IN_FUTURE,
        lambda: services.record_recheck(
            actor=cast["town_a"], hazard_pk=closed.pk, checked_on=on(1), held=True, notes="好"
        ),
        closed,
    )
    refused(
        ErrorCode.RECHECK_DUE_MISSING,
        lambda: services.record_recheck(
            actor=cast["town_a"], hazard_pk=closed.pk, checked_on=on(0), held=False, notes="未保持"
        ),
        closed,
    )
    assert Extension.objects.count() == 0 and closed.rechecks.count() == 0 and Hazard.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"place": ""}, ErrorCode.NO_PLACE, "place"),
        ({"place": "东关菜市场", "reported_on": on(1)}, ErrorCode.FOUND_IN_FUTURE, "reported_on"),
    ],
)
def test_a_lead_without_a_place_or_found_tomorrow_is_refused(cast, data, code, field):
    values = {
        "source": Lead.Source.TIP_OFF,
        "region": cast.village_a,
        "description": "堆物",
        "reported_on": on(0),
    }
    with pytest.raises(DomainError) as caught:
        services.report_lead(actor=cast["town_a"], data={**values, **data})
    assert (caught.value.code, caught.value.field) == (code, field)
    assert Lead.objects.count() == 0


def test_plain_input_errors_keep_the_generic_code(cast, hazard_x):
    closed = HazardFactory(enterprise=cast.enterprise_x, status=S.CLOSED, closed_on=on(0))
    with pytest.raises(DomainError) as caught:
        services.record_recheck(
            actor=cast["town_a"], hazard_pk=closed.pk, checked_on=on(0), held=True, notes=""
        )
    assert (caught.value.code, caught.value.field) == (Code.INVALID, "notes")


def test_an_expert_membership_is_what_makes_an_expert(cast, hazard_x):
    user = UserFactory(username="expert_b")
    MembershipFactory(user=user, role=Role.EXPERT)
    services.assign_expert(actor=cast["dept_housing"], hazard_pk=hazard_x.pk, expert_pk=user.pk)
    hazard_x.refresh_from_db()
    assert hazard_x.expert == user


def test_the_rating_facts_index_holds_the_rows_the_counts_read():
    """The partial index behind `enterprise_hazard_counts` spells its statuses out (Meta cannot name
    Hazard.OPEN): it must cover exactly the open hazards and those closed late, the rows the counts read."""
    from django.db.models import F, Q

    index = next(i for i in Hazard._meta.indexes if i.name == "hazard_open_or_late")
    assert index.condition == Q(status__in=Hazard.OPEN) | Q(status=S.CLOSED, closed_on__gt=F("due_on"))
    assert index.fields[0] == "enterprise"
