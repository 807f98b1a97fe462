"""The modules' enterprise fields are type-ahead pickers (core.pickers) that validate against the user's scope:
the page holds only the chosen enterprise, and a posted id outside the scope is refused on the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anlan.core import pickers

SEARCH = "core:enterprise-search"


def test_the_hazard_form_renders_only_the_chosen_enterprise_with_the_search_address(cast, client):
    client.force_login(cast["county_office"])
    page = client.get(reverse("hazards:hazard-create"), {"enterprise": cast.enterprise_x.pk}).content.decode()
    assert 'data-picker="enterprise"' in page
    assert f'data-search-url="{reverse(SEARCH)}"' in page
    assert cast.enterprise_x.uscc in page
    assert cast.enterprise_y.name not in page


def test_a_picker_never_renders_an_enterprise_outside_the_scope_even_when_posted(cast):
    from anlan.hazards.forms import HazardForm

    form = HazardForm({"enterprise": cast.enterprise_y.pk}, user=cast["town_a"])
    assert not form.is_valid()
    assert form.errors["enterprise"] == [str(pickers.OUT_OF_SCOPE)]
    assert cast.enterprise_y.name not in str(form["enterprise"])
    assert cast.enterprise_y.uscc not in str(form["enterprise"])


@pytest.mark.parametrize(
    ("form_path", "kwargs"),
    [
        ("anlan.hazards.forms.LeadForm", {}),
        ("anlan.accidents.forms.AccidentForm", {}),
        ("anlan.accidents.forms.ResponsibilityForm", {}),
        ("anlan.accidents.forms.MinorEventForm", {}),
        ("anlan.accidents.forms.NearMissForm", {}),
        ("anlan.inspections.forms.ConflictForm", {}),
        ("anlan.inspections.forms.InspectionForm", {}),
        ("anlan.inspections.forms.OwnCheckForm", {}),
        ("anlan.inspections.forms.PersonForm", {}),
    ],
    ids=lambda v: v.rsplit(".", 1)[-1] if isinstance(v, str) else "",
)
def test_every_enterprise_field_is_a_picker_that_refuses_an_enterprise_outside_the_scope(
    cast, form_path, kwargs
):
    from django.utils.module_loading import import_string

    form = import_string(form_path)({"enterprise": cast.enterprise_y.pk}, user=cast["town_a"], **kwargs)
    assert isinstance(form.fields["enterprise"].widget, pickers.EnterprisePicker)
    form.is_valid()
    assert form.errors["enterprise"] == [str(pickers.OUT_OF_SCOPE)]
    accepted = import_string(form_path)({"enterprise": cast.enterprise_x.pk}, user=cast["town_a"], **kwargs)
    accepted.is_valid()
    assert "enterprise" not in accepted.errors


def test_an_enterprise_user_registers_for_their_own_enterprise_without_searching(cast, client):
    client.force_login(cast["enterprise_x"])
    page = client.get(reverse("hazards:hazard-create")).content.decode()
    assert f'<option value="{cast.enterprise_x.pk}" selected' in page
    client.force_login(cast["county_office"])  # a supervisor chooses: nothing is chosen for them
    page = client.get(reverse("hazards:hazard-create")).content.decode()
    assert f'<option value="{cast.enterprise_x.pk}" selected' not in page
