"""The module contract, end to end: a module added to INSTALLED_APPS alone — `tests/example_module`, the
walkthrough of docs/development.md — is picked up without touching core: its right, navigation entry,
route, enterprise panel, to-do provider, home indicator, event handler, sweep, demo step and
permission-matrix table all take effect."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from anlan.core import contract, sweeps
from anlan.core.permissions import RIGHTS, has_right
from tests.example_module import handlers
from tests.example_module import matrix as example_matrix
from tests.matrix import WHO, check_route


def test_without_the_module_nothing_of_it_exists(cast):
    assert "example_module.check_hydrants" not in RIGHTS
    assert "example_module" not in contract.registry().sweeps


def test_its_right_joins_the_one_rights_table(example_module, cast):
    assert RIGHTS["example_module.check_hydrants"] == frozenset({"town"})
    assert has_right(cast["town_a"], "example_module.check_hydrants")
    assert not has_right(cast["county_office"], "example_module.check_hydrants")


def test_its_navigation_entry_shows_only_to_holders_of_its_right(example_module, cast, client):
    client.force_login(cast["town_a"])
    assert "消防栓巡检" in client.get(reverse("core:home")).content.decode()
    client.force_login(cast["enterprise_x"])
    assert reverse("example_module:hydrant-list") not in client.get(reverse("core:home")).content.decode()


def test_its_to_do_and_indicator_reach_the_home_page_of_holders_of_its_right_only(
    example_module, cast, client
):
    cast.enterprise_x.is_crowded_place = True
    cast.enterprise_x.save()
    client.force_login(cast["town_a"])
    home = client.get(reverse("core:home")).content.decode()
    todo, indicator = 'data-todo="example_module.hydrants"', 'data-indicator="example_module.crowded_places"'
    assert todo in home and indicator in home
    client.force_login(cast["county_office"])
    home = client.get(reverse("core:home")).content.decode()
    assert todo not in home and indicator not in home


def test_its_panel_is_loaded_on_the_enterprise_page(example_module, cast, client):
    client.force_login(cast["county_office"])
    page = client.get(reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])).content.decode()
    assert reverse("example_module:enterprise-panel", args=[cast.enterprise_x.pk]) in page
    panel = client.get(reverse("example_module:enterprise-panel", args=[cast.enterprise_x.pk]))
    assert "消防栓巡检 · " + cast.enterprise_x.name in panel.content.decode()


def test_its_record_action_shows_on_the_enterprise_page_to_whoever_may_take_it(example_module, cast, client):
    page = reverse("core:enterprise-detail", args=[cast.enterprise_x.pk])
    client.force_login(cast["town_a"])
    assert 'data-action="check-hydrants"' in client.get(page).content.decode()
    client.force_login(cast["county_office"])
    assert 'data-action="check-hydrants"' not in client.get(page).content.decode()


def test_its_to_do_counts_only_what_the_user_may_do(example_module, cast):
    cast.enterprise_x.is_crowded_place = True
    cast.enterprise_x.save()
    provider = next(t for t in example_module.todos if t.key == "example_module.hydrants")
    assert list(provider.rows(cast["town_a"])) == [cast.enterprise_x]
    assert provider.rows(cast["town_b"]).count() == 0
    assert provider.rows(cast["county_office"]).count() == 0  # sees it, but holds no right to check
    assert provider.link(cast["town_a"]) == reverse("example_module:hydrant-list")


def test_its_indicator_yields_the_number_and_the_query_behind_it(example_module, cast):
    cast.enterprise_y.is_crowded_place = True
    cast.enterprise_y.save()
    indicator = next(i for i in example_module.indicators if i.key == "example_module.crowded_places")
    assert indicator.value(cast["county_office"]) == 1
    assert list(indicator.rows(cast["county_office"])) == [cast.enterprise_y]
    assert indicator.value(cast["town_a"]) == 0


def test_its_handler_hears_another_modules_event(example_module, cast):
    from anlan.accidents.tests.factories import report

    accident = report(cast)  # its on-commit emit does not run inside the test's transaction
    handlers.RECEIVED.clear()
    contract.emit("accidents.reported", accident=accident)
    assert [accident.pk] == handlers.RECEIVED


def test_a_handler_for_an_event_no_module_declares_is_refused():
    contributions = contract.Contributions()
    contributions.on("nobody.declared_this", "tests.example_module.handlers.accident_reported")
    with pytest.raises(ValueError, match="nobody.declared_this"):
        contributions.check()


def test_emitting_an_undeclared_event_is_an_error():
    with pytest.raises(KeyError):
        contract.emit("nobody.declared_this")


def test_its_sweep_runs_with_the_others_and_by_name(example_module, cast):
    now = timezone.now()
    assert sweeps.run_all(today=date.today(), now=now, only=["example_module"]) == {
        "example_module": {"crowded_places": 0}
    }
    call_command("anlan_sweep", only="example_module")


def test_an_unknown_sweep_name_is_an_error(example_module):
    with pytest.raises(KeyError):
        sweeps.run_all(today=date.today(), now=timezone.now(), only=["no_such_sweep"])


def test_its_demo_step_runs_after_the_step_it_names(example_module):
    names = [step.name for step in example_module.ordered_demo_steps]
    assert names.index("example_module") > names.index("users")


def test_demo_steps_that_wait_on_each_other_are_refused():
    contributions = contract.Contributions()
    contributions.demo("a", "x.a", after=["b"])
    contributions.demo("b", "x.b", after=["a"])
    with pytest.raises(ValueError, match="wait on each other"):
        _ = contributions.ordered_demo_steps


def test_its_matrix_table_is_collected_with_the_others(example_module):
    assert "tests.example_module.matrix" in example_module.matrix_modules


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("route", example_matrix.ROUTES, ids=lambda route: route.id)
def test_its_routes_obey_the_matrix(example_module, route, who, cast, client):
    check_route(route, who, cast, client, example_matrix.AUDITED)
