"""转移避险: a warning's evacuation per town, seeded from the points its hazard threatens and added to by hand;
each household moved (and where it stays), home again only after the lifting; the 应转必转 rate from them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from anlan.core.errors import DomainError
from anlan.emergency.tests.factories_forces import make_shelter
from anlan.warnings import rules
from anlan.warnings.models import Evacuation, Household
from anlan.warnings.selectors import evacuation as selectors
from anlan.warnings.services import evacuation as services
from anlan.warnings.services import points as point_services
from anlan.warnings.services import warnings as warning_services
from anlan.warnings.tests.factories import draft, issued
from anlan.warnings.tests.factories_evacuation import household, moved, opened
from anlan.warnings.tests.factories_points import geohazard, reservoir

pytestmark = pytest.mark.django_db
E = services.EvacuationError


# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("moved_people", "to_move", "rate"),
    [
        (0, 0, None),
        (0, 17, Decimal("0.0")),
        (1, 3, Decimal("33.3")),
        (1999, 2000, Decimal("99.9")),
        (17, 17, Decimal("100.0")),
    ],
    ids=["nobody-to-move", "none-moved", "a-third", "one-short-is-not-100", "all-moved"],
)
def test_evacuation_rate_is_people_moved_over_people_to_move(moved_people, to_move, rate):
    assert rules.evacuation_rate(moved_people, to_move) == rate


@pytest.mark.parametrize(("moved_people", "to_move"), [(18, 17), (-1, 3), (1, -1)])
def test_evacuation_rate_refuses_impossible_counts(moved_people, to_move):
    with pytest.raises(ValueError):
        rules.evacuation_rate(moved_people, to_move)


@pytest.mark.parametrize(
    ("status", "counted"), [(rules.TO_MOVE, False), (rules.MOVED, True), (rules.RETURNED, True)]
)
def test_a_household_back_home_still_counts_as_moved(status, counted):
    assert rules.counts_as_moved(status) is counted


@pytest.mark.parametrize(
    ("kind", "has_shelter", "note", "missing"),
    [
        ("", False, "", "shelter_kind"),
        ("hotel", False, "", "shelter_kind"),
        (rules.IN_SHELTER, False, "", "shelter"),
        (rules.IN_SHELTER, True, "", None),
        (rules.WITH_RELATIVES, False, "", None),
        (rules.ELSEWHERE, False, "  ", "shelter_note"),
        (rules.ELSEWHERE, False, "村委会活动室", None),
    ],
)
def test_a_move_names_where_the_household_stays(kind, has_shelter, note, missing):
    assert rules.shelter_missing(kind, has_shelter=has_shelter, note=note) == missing


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(rules.DRAFT, False), (rules.ISSUED, False), (rules.LIFTED, True), (rules.WITHDRAWN, True)],
)
def test_households_go_home_only_once_the_warning_is_over(status, allowed):
    assert rules.may_return(status) is allowed


# ---------------------------------------------------------------- opening


def test_opening_makes_an_evacuation_per_town_seeded_from_the_threatened_points_with_people(cast):
    geohazard(cast)  # town A's village, 5 households, 17 people
    reservoir(cast, households=2, people=6)  # town B's village
    geohazard(cast, name="无人居住的崩塌点", households=0, people=0)
    closed = geohazard(cast, name="已治理滑坡")
    point_services.close(actor=cast["county_office"], point_pk=closed.pk, reason="治理完工")
    warning = issued(cast)

    opened_rows = services.open_evacuations(actor=cast["county_office"], warning_pk=warning.pk)

    assert {e.town_id for e in opened_rows} == {cast.town_a.code, cast.town_b.code}
    rows = Household.objects.filter(evacuation__warning=warning).order_by("people")
    assert [(r.evacuation.town_id, r.households, r.people) for r in rows] == [
        (cast.town_b.code, 2, 6),
        (cast.town_a.code, 5, 17),
    ]
    row = rows.last()
    assert row.status == rules.TO_MOVE and row.label == "东关社区后山滑坡受威胁群众"
    assert Evacuation.history.count() == 2 and Household.history.count() == 2


def test_a_geohazard_warning_does_not_move_the_people_below_a_reservoir(cast):
    reservoir(cast, households=2, people=6)
    warning = issued(cast, hazard="geohazard", level=3, title="来安县地质灾害气象风险黄色预警")
    services.open_evacuations(actor=cast["county_office"], warning_pk=warning.pk)
    assert not Household.objects.filter(evacuation__warning=warning).exists()
    assert Evacuation.objects.filter(warning=warning).count() == 2


def test_opening_again_adds_only_points_registered_since(cast):
    warning, evacuation = opened(cast)
    services.open_evacuations(actor=cast["county_office"], warning_pk=warning.pk)
    assert evacuation.households.count() == 1
    geohazard(cast, name="东关社区北坡崩塌", households=1, people=2)
    services.open_evacuations(actor=cast["town_a"], warning_pk=warning.pk)
    assert evacuation.households.count() == 2
    assert Evacuation.objects.filter(warning=warning).count() == 2


def test_a_town_opens_only_its_own_evacuation(cast):
    geohazard(cast)
    warning = issued(cast)
    opened_rows = services.open_evacuations(actor=cast["town_b"], warning_pk=warning.pk)
    assert [e.town_id for e in opened_rows] == [cast.town_b.code]
    assert not Household.objects.exists()


def test_a_warning_for_a_town_opens_that_town_only(cast):
    geohazard(cast)
    warning = issued(cast, region=cast.town_a, title="新安镇暴雨橙色预警")
    services.open_evacuations(actor=cast["county_office"], warning_pk=warning.pk)
    assert list(Evacuation.objects.filter(warning=warning).values_list("town_id", flat=True)) == [
        cast.town_a.code
    ]


def test_only_a_standing_warning_opens_an_evacuation(cast):
    warning = draft(cast)
    with pytest.raises(DomainError) as refused:
        services.open_evacuations(actor=cast["county_office"], warning_pk=warning.pk)
    assert refused.value.code == E.NOT_ISSUED
    assert not Evacuation.objects.exists()


def test_a_department_may_not_open_an_evacuation(cast):
    warning = issued(cast)
    with pytest.raises(PermissionDenied):
        services.open_evacuations(actor=cast["dept_housing"], warning_pk=warning.pk)
    assert not Evacuation.objects.exists()


# ---------------------------------------------------------------- households


def test_a_household_added_by_hand_needs_a_head_and_at_least_one_person(cast):
    _warning, evacuation = opened(cast)
    with pytest.raises(DomainError) as no_head:
        services.add_household(actor=cast["town_a"], evacuation_pk=evacuation.pk, data={"people": 3})
    with pytest.raises(DomainError) as nobody:
        services.add_household(
            actor=cast["town_a"], evacuation_pk=evacuation.pk, data={"head_name": "陈大海", "people": 0}
        )
    with pytest.raises(DomainError) as bad_phone:
        services.add_household(
            actor=cast["town_a"],
            evacuation_pk=evacuation.pk,
            data={"head_name": "陈大海", "people": 1, "phone": "12345"},
        )
    assert (no_head.value.field, nobody.value.field, bad_phone.value.field) == (
        "head_name",
        "people",
        "phone",
    )
    assert evacuation.households.count() == 1

    row = services.add_household(
        actor=cast["town_a"],
        evacuation_pk=evacuation.pk,
        data={"head_name": "陈大海", "people": 3, "phone": "13900001111"},
    )
    assert (row.point, row.households, row.people, row.status) == (None, 1, 3, rules.TO_MOVE)
    assert selectors.totals(evacuation.households.all())["to_move"] == 20


def test_town_b_cannot_reach_town_a_households(cast):
    row = household(cast)
    with pytest.raises(Http404):
        services.move(actor=cast["town_b"], household_pk=row.pk, data={"shelter_kind": "relatives"})
    row.refresh_from_db()
    assert row.status == rules.TO_MOVE


def test_a_department_reads_but_does_not_register_moves(cast):
    row = household(cast)
    assert selectors.access_household(cast["dept_housing"], row.pk) == row
    before = Household.history.count()
    with pytest.raises(PermissionDenied):
        services.move(actor=cast["dept_housing"], household_pk=row.pk, data={"shelter_kind": "relatives"})
    assert Household.history.count() == before


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({}, "shelter_kind", E.SHELTER_KIND),
        ({"shelter_kind": "shelter"}, "shelter", E.SHELTER_REQUIRED),
        ({"shelter_kind": "other", "shelter_note": ""}, "shelter_note", E.SHELTER_NOTE),
    ],
)
def test_a_move_without_where_the_household_stays_is_refused(cast, data, field, code):
    row = household(cast)
    with pytest.raises(DomainError) as refused:
        services.move(actor=cast["town_a"], household_pk=row.pk, data=data)
    assert (refused.value.field, refused.value.code) == (field, code)
    row.refresh_from_db()
    assert row.status == rules.TO_MOVE and row.moved_at is None


def test_a_household_moves_to_a_shelter_of_the_town_not_to_one_out_of_reach(cast):
    row = household(cast)
    theirs = make_shelter(cast, actor=cast["town_b"], region=cast.town_b, name="半塔镇避难场所")
    ours = make_shelter(cast)
    with pytest.raises(DomainError) as refused:
        services.move(
            actor=cast["town_a"], household_pk=row.pk, data={"shelter_kind": "shelter", "shelter": theirs}
        )
    assert refused.value.code == E.SHELTER_OUT_OF_REACH

    services.move(
        actor=cast["town_a"], household_pk=row.pk, data={"shelter_kind": "shelter", "shelter": ours}
    )
    row.refresh_from_db()
    assert (row.status, row.shelter, row.shelter_kind) == (rules.MOVED, ours, "shelter")
    assert row.moved_at is not None


def test_the_rate_follows_the_moves(cast):
    warning, evacuation = opened(cast)
    services.add_household(
        actor=cast["town_a"], evacuation_pk=evacuation.pk, data={"head_name": "陈大海", "people": 3}
    )
    assert selectors.rate(warning) == {"to_move": 20, "moved": 0, "unmoved": 2, "rate": Decimal("0.0")}
    point_row = evacuation.households.get(point__isnull=False)
    services.move(actor=cast["town_a"], household_pk=point_row.pk, data={"shelter_kind": "relatives"})
    assert selectors.rate(warning) == {"to_move": 20, "moved": 17, "unmoved": 1, "rate": Decimal("85.0")}
    assert list(selectors.unmoved(cast["town_a"], warning).values_list("head_name", flat=True)) == ["陈大海"]
    assert not selectors.unmoved(cast["town_b"], warning).exists()


def test_a_household_returns_only_after_the_lifting_and_still_counts_as_moved(cast):
    row = moved(cast)
    with pytest.raises(DomainError) as early:
        services.return_home(actor=cast["town_a"], household_pk=row.pk)
    assert early.value.code == "household_return_early"

    warning_services.lift(
        actor=cast["county_office"], warning_pk=row.evacuation.warning_id, reason="险情解除"
    )
    services.return_home(actor=cast["town_a"], household_pk=row.pk)
    row.refresh_from_db()
    assert row.status == rules.RETURNED and row.returned_at is not None
    assert selectors.rate(row.evacuation.warning)["rate"] == Decimal("100.0")


def test_undoing_a_move_needs_a_reason_and_forgets_where_it_stayed(cast):
    row = moved(cast)
    with pytest.raises(DomainError) as no_reason:
        services.undo_move(actor=cast["town_a"], household_pk=row.pk, reason=" ")
    assert no_reason.value.field == "reason"
    services.undo_move(actor=cast["town_a"], household_pk=row.pk, reason="误登记")
    row.refresh_from_db()
    assert (row.status, row.shelter_kind, row.shelter_note, row.moved_at) == (rules.TO_MOVE, "", "", None)
    assert row.history.first().history_change_reason == "误登记"


def test_of_two_stale_copies_only_one_move_is_registered(cast):
    from anlan.core.workflow import apply_transition, find

    row = household(cast)
    first, second = Household.objects.get(pk=row.pk), Household.objects.get(pk=row.pk)
    step = find(Household.TRANSITIONS, "move")
    apply_transition(first, step, actor=cast["town_a"], changes={"shelter_kind": "relatives"})
    with pytest.raises(DomainError) as stale:
        apply_transition(second, step, actor=cast["town_a"], changes={"shelter_kind": "other"})
    assert stale.value.code == "stale"


def test_the_towns_to_do_lists_households_still_to_move_under_a_standing_warning(cast):
    row = household(cast)
    assert list(selectors.my_unmoved(cast["town_a"])) == [row]
    assert not selectors.my_unmoved(cast["town_b"]).exists()
    assert not selectors.my_unmoved(cast["leader"]).exists()
    warning_services.lift(
        actor=cast["county_office"], warning_pk=row.evacuation.warning_id, reason="险情解除"
    )
    assert not selectors.my_unmoved(cast["town_a"]).exists()


# ---------------------------------------------------------------- pages


def test_the_board_shows_the_rate_the_towns_and_the_unmoved(cast, client):
    warning, evacuation = opened(cast)
    client.force_login(cast["county_office"])
    page = client.get(reverse("warnings:evacuation-board", args=[warning.pk])).content.decode()
    assert 'data-testid="rate">0.0%' in page and "新安镇" in page and "半塔镇" in page
    assert "东关社区后山滑坡受威胁群众" in page

    client.force_login(cast["town_b"])
    page = client.get(reverse("warnings:evacuation-board", args=[warning.pk])).content.decode()
    assert "东关社区后山滑坡受威胁群众" not in page and "新安镇" not in page
    assert 'data-testid="rate">—' in page


def test_the_board_opens_the_evacuation(cast, client):
    geohazard(cast)
    warning = issued(cast)
    client.force_login(cast["town_a"])
    response = client.post(reverse("warnings:evacuation-open", args=[warning.pk]))
    assert response.status_code == 302
    assert list(Evacuation.objects.values_list("town_id", flat=True)) == [cast.town_a.code]


def test_town_b_gets_404_for_town_a_evacuation(cast, client):
    _warning, evacuation = opened(cast)
    client.force_login(cast["town_b"])
    assert client.get(reverse("warnings:evacuation-detail", args=[evacuation.pk])).status_code == 404


def test_phones_are_masked_for_readers_who_do_not_register_moves(cast, client):
    _warning, evacuation = opened(cast)
    client.force_login(cast["leader"])
    page = client.get(reverse("warnings:evacuation-detail", args=[evacuation.pk])).content.decode()
    assert "137****0001" in page and "13700000001" not in page
    assert 'data-testid="household-form"' not in page
    client.force_login(cast["town_a"])
    page = client.get(reverse("warnings:evacuation-detail", args=[evacuation.pk])).content.decode()
    assert "tel:13700000001" in page and 'data-testid="household-form"' in page
    assert reverse("warnings:household-move", args=[evacuation.households.get().pk]) in page


def test_a_household_is_moved_from_a_phone_form_with_the_towns_shelter(cast, client):
    row = household(cast)
    shelter = make_shelter(cast)
    client.force_login(cast["town_a"])
    url = reverse("warnings:household-move", args=[row.pk])
    form = client.get(url).content.decode()
    assert shelter.name in form and 'data-testid="move-form"' in form

    missing = client.post(url, {"shelter_kind": "shelter"})
    assert missing.status_code == 200 and "请选择避难场所" in missing.content.decode()

    response = client.post(url, {"shelter_kind": "shelter", "shelter": shelter.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.shelter_id) == (rules.MOVED, shelter.pk)


def test_the_list_shows_each_towns_counts(cast, client):
    opened(cast)
    client.force_login(cast["town_a"])
    page = client.get(reverse("warnings:evacuation-list")).content.decode()
    assert "新安镇" in page and "半塔镇" not in page and ">17<" in page


def test_the_ledger_lists_the_households_of_the_scope_phones_masked_for_readers(cast, client):
    import io

    from openpyxl import load_workbook

    warning, _evacuation = opened(cast)

    def sheet(who):
        client.force_login(cast[who])
        response = client.get(reverse("warnings:evacuation-export"), {"warning": warning.pk})
        assert response.status_code == 200
        rows = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
        return [" ".join(str(v) for v in row if v is not None) for row in rows]

    town_a, leader, town_b = sheet("town_a"), sheet("leader"), sheet("town_b")
    assert any("东关社区后山滑坡受威胁群众" in row and "13700000001" in row for row in town_a)
    assert any("137****0001" in row for row in leader) and not any("13700000001" in row for row in leader)
    assert not any("东关社区后山滑坡" in row for row in town_b)


# ---------------------------------------------------------------- API


def test_the_api_gives_each_towns_counts_and_rate_in_scope(cast, client):
    row = moved(cast)
    client.force_login(cast["county_office"])
    body = client.get(reverse("api:warnings-evacuation-list")).json()["results"]
    by_town = {r["town"]: r for r in body}
    assert (by_town[cast.town_a.code]["to_move"], by_town[cast.town_a.code]["moved"]) == (17, 17)
    assert by_town[cast.town_a.code]["rate"] == 100.0
    assert by_town[cast.town_b.code]["rate"] is None  # nobody to move: no rate, neither 0 % nor 100 %

    client.force_login(cast["town_b"])
    assert [r["town"] for r in client.get(reverse("api:warnings-evacuation-list")).json()["results"]] == [
        cast.town_b.code
    ]
    url = reverse("api:warnings-evacuation-detail", args=[row.evacuation_id])
    assert client.get(url).status_code == 404


def test_the_api_households_mask_phones_for_readers_and_stop_at_the_scope(cast, client):
    row = household(cast)
    url = reverse("api:warnings-household-list")
    client.force_login(cast["town_a"])
    body = client.get(url, {"warning": row.evacuation.warning_id}).json()["results"]
    assert [(r["id"], r["phone"], r["status"]) for r in body] == [(row.pk, "13700000001", rules.TO_MOVE)]
    client.force_login(cast["leader"])
    assert client.get(url).json()["results"][0]["phone"] == "137****0001"
    client.force_login(cast["town_b"])
    assert client.get(url).json()["results"] == []
    assert client.get(reverse("api:warnings-household-detail", args=[row.pk])).status_code == 404


def test_the_warnings_page_shows_its_evacuation_and_links_the_board(cast, client):
    row = moved(cast)
    warning = row.evacuation.warning
    client.force_login(cast["county_office"])
    page = client.get(reverse("warnings:warning-detail", args=[warning.pk])).content.decode()
    assert 'data-testid="evacuation-progress"' in page and "100.0%" in page
    assert reverse("warnings:evacuation-board", args=[warning.pk]) in page


def test_a_warning_with_nobody_to_move_offers_the_board_only_to_who_registers_moves(cast, client):
    warning = issued(cast)
    client.force_login(cast["county_office"])
    page = client.get(reverse("warnings:warning-detail", args=[warning.pk])).content.decode()
    assert "尚未登记需转移的群众" in page and reverse("warnings:evacuation-board", args=[warning.pk]) in page
    client.force_login(cast["leader"])
    page = client.get(reverse("warnings:warning-detail", args=[warning.pk])).content.decode()
    assert 'data-testid="evacuation-progress"' not in page


def test_a_town_that_received_the_county_warning_sees_its_own_evacuation_on_the_warnings_page(cast, client):
    row = household(cast)
    warning = row.evacuation.warning
    client.force_login(cast["town_a"])
    page = client.get(reverse("warnings:warning-detail", args=[warning.pk])).content.decode()
    assert (
        'data-testid="evacuation-progress"' in page
        and reverse("warnings:evacuation-board", args=[warning.pk]) in page
    )
    assert "已转移 0 / 应转移 17 人，待转移 1 户" in page
