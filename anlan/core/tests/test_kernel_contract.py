"""The module contract: what `Contributions` accepts and refuses, and the kernel-side readers."""

from datetime import timedelta

import pytest

from anlan.core import contract
from anlan.core.models import Enterprise


def collector(app_label="alpha") -> contract.Contributions:
    c = contract.Contributions()
    c.app_label = app_label
    return c


@pytest.fixture
def fresh(monkeypatch):
    """An empty assembled registry in place of the installed modules' one, for the readers."""
    c = contract.Contributions()
    monkeypatch.setattr(contract, "_registry", c)
    return c


# ---------------------------------------------------------------- declarations refused


def test_a_right_declared_twice_is_refused_naming_both_apps():
    c = collector("alpha")
    c.rights({"alpha.approve": {"town"}})
    c.app_label = "beta"
    with pytest.raises(ValueError, match=r"right 'alpha.approve' declared twice \(alpha, beta\)"):
        c.rights({"alpha.approve": {"committee_office"}})
    assert c.rights_table["alpha.approve"] == frozenset({"town"})


def test_rights_of_different_names_are_kept_with_their_owner():
    c = collector("alpha")
    c.rights({"alpha.approve": ["town", "department"]})
    c.app_label = "beta"
    c.rights({"beta.close": []})
    assert c.rights_table == {"alpha.approve": frozenset({"town", "department"}), "beta.close": frozenset()}
    assert c.right_owner == {"alpha.approve": "alpha", "beta.close": "beta"}


@pytest.mark.parametrize(
    ("declare", "message"),
    [
        pytest.param(lambda c: c.sweep("deadlines", "alpha.sweeps.run"), "sweep 'deadlines'", id="sweep"),
        pytest.param(
            lambda c: c.provide("pyramid.layer", "alpha.hooks.layer"), "hook 'pyramid.layer'", id="hook"
        ),
        pytest.param(
            lambda c: c.enterprise_attribute(
                contract.EnterpriseAttribute("credit", "信用", "alpha.credit.values")
            ),
            "enterprise attribute 'credit'",
            id="enterprise-attribute",
        ),
        pytest.param(
            lambda c: c.recipient_group("duty_officers", "alpha.duty.officers"),
            "recipient group 'duty_officers'",
            id="recipient-group",
        ),
        pytest.param(lambda c: c.event("alpha.reported", "doc"), "event 'alpha.reported'", id="event"),
    ],
)
def test_a_name_declared_twice_is_refused(declare, message):
    c = collector()
    declare(c)
    with pytest.raises(ValueError, match=f"{message} declared twice"):
        declare(c)


def test_a_sweep_keeps_its_schedule():
    c = collector()
    c.sweep("deadlines", "alpha.sweeps.run", every=timedelta(minutes=5))
    c.sweep("hourly", "alpha.sweeps.hourly")
    assert c.sweeps["deadlines"] == contract.Sweep("deadlines", "alpha.sweeps.run", timedelta(minutes=5))
    assert c.sweeps["hourly"].every == timedelta(hours=1)


def test_a_handler_of_an_event_nobody_declares_is_refused_when_assembled():
    c = collector()
    c.event("alpha.reported")
    c.on("alpha.reported", "beta.handlers.on_report")
    c.check()
    c.on("gamma.happened", "beta.handlers.on_gamma")
    with pytest.raises(ValueError, match=r"undeclared events: \['gamma.happened'\]"):
        c.check()


# ---------------------------------------------------------------- demo steps


def test_demo_steps_run_in_declaration_order_each_after_the_steps_it_names():
    c = collector()
    c.demo("users", "a.users", after=["enterprises"])
    c.demo("regions", "a.regions")
    c.demo("enterprises", "a.enterprises", after=["departments", "regions"])
    c.demo("departments", "a.departments", after=["regions"])
    c.demo("hazards", "a.hazards")
    assert [step.name for step in c.ordered_demo_steps] == [
        "regions",
        "departments",
        "enterprises",
        "users",
        "hazards",
    ]


def test_a_demo_step_after_an_unknown_step_is_refused():
    c = collector()
    c.demo("hazards", "a.hazards", after=["enterprises"])
    with pytest.raises(ValueError, match=r"demo step 'hazards' runs after unknown steps \['enterprises'\]"):
        c.ordered_demo_steps  # noqa: B018


def test_demo_steps_waiting_on_each_other_are_refused():
    c = collector()
    c.demo("a", "x.a", after=["b"])
    c.demo("b", "x.b", after=["a"])
    with pytest.raises(ValueError, match="demo steps wait on each other"):
        c.ordered_demo_steps  # noqa: B018


def test_the_installed_demo_steps_put_core_regions_before_enterprises():
    names = [step.name for step in contract.registry().ordered_demo_steps]
    assert (
        names.index("regions")
        < names.index("departments")
        < names.index("enterprises")
        < names.index("users")
    )


# ---------------------------------------------------------------- the assembled registry


def test_the_assembled_registry_knows_cores_rights_and_sorts_navigation_by_order(db):
    registry = contract.registry()
    assert registry.right_owner["core.manage_region"] == "core"
    assert registry.app_label == ""
    orders = [entry.order for entry in registry.nav_entries]
    assert orders == sorted(orders)


# ---------------------------------------------------------------- enterprise attributes


def test_an_attribute_no_module_declares_is_none_for_every_enterprise(fresh):
    assert contract.enterprise_attribute("credit_colour", [3, 1, 2]) == {3: None, 1: None, 2: None}


def test_a_declared_attribute_gives_known_values_and_its_default_for_unknown_ids(fresh):
    asked = []

    def values(ids):
        asked.append(ids)
        return {1: "red", 2: "yellow"}

    fresh.enterprise_attribute(contract.EnterpriseAttribute("credit_colour", "信用", values, default="green"))
    assert contract.enterprise_attribute("credit_colour", iter([1, 2, 7])) == {
        1: "red",
        2: "yellow",
        7: "green",
    }
    assert asked == [[1, 2, 7]]


# ---------------------------------------------------------------- events, hooks, groups, tags


def test_an_event_calls_its_handlers_in_registration_order_with_the_payload(fresh):
    calls = []
    fresh.event("alpha.reported")
    fresh.on("alpha.reported", lambda **payload: calls.append(("first", payload)) or 1)
    fresh.on("alpha.reported", lambda **payload: calls.append(("second", payload)) or 2)
    assert contract.emit("alpha.reported", pk=5) == [1, 2]
    assert calls == [("first", {"pk": 5}), ("second", {"pk": 5})]


def test_a_declared_event_without_handlers_reaches_nobody(fresh):
    fresh.event("alpha.reported")
    assert contract.emit("alpha.reported", pk=5) == []


def test_emitting_an_undeclared_event_is_an_error(fresh):
    with pytest.raises(KeyError, match="alpha.unknown"):
        contract.emit("alpha.unknown")


def test_a_hook_nobody_provides_gives_the_default(fresh):
    default = object()
    assert contract.provided("pyramid.layer", default) is default
    assert contract.provided("pyramid.layer") is None


def test_a_provided_hook_is_imported_from_its_dotted_path(fresh):
    fresh.provide("kernel.trees", "anlan.core.trees.county_of")
    assert contract.provided("kernel.trees", None)("341122100001") == "341122000000"


def test_an_undeclared_recipient_group_is_an_error(fresh):
    with pytest.raises(KeyError, match="duty_officers"):
        contract.recipient_group("duty_officers")


def test_a_taggable_model_is_matched_whatever_its_case(fresh):
    fresh.taggable_model("Hazards.Hazard")
    assert contract.is_taggable("hazards.hazard") is True
    assert contract.is_taggable("HAZARDS.HAZARD") is True
    assert contract.is_taggable("accidents.accident") is False


# ---------------------------------------------------------------- to-do providers and indicators


def test_a_todo_provider_resolves_its_rows_and_link(cast):
    todo = contract.TodoProvider(
        "enterprises",
        "待核实单位",
        queryset=lambda user: Enterprise.objects.for_user(user),
        url=lambda user: "/e/",
    )
    assert list(todo.rows(cast["town_a"])) == [cast.enterprise_x]
    assert todo.link(cast["town_a"]) == "/e/"


def test_an_indicator_counts_its_rows_unless_it_names_an_aggregate(cast):
    def rows(user, **params):
        return Enterprise.objects.for_user(user).filter(**params)

    count = contract.Indicator("enterprises", "单位数", queryset=rows)
    employees = contract.Indicator(
        "employees",
        "从业人员",
        queryset=rows,
        aggregate=lambda qs: sum(qs.values_list("employees", flat=True)),
    )
    assert count.value(cast["county_office"]) == 2
    assert count.value(cast["county_office"], region=cast.town_b) == 1
    assert employees.value(cast["town_a"]) == cast.enterprise_x.employees
    assert count.link(cast["town_a"]) is None
