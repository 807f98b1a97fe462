"""docs/workflows.md is generated from the TRANSITIONS tables (`python manage.py anlan_workflows`)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from anlan.core.management.commands.anlan_workflows import render, workflows
from anlan.core.workflow import Transition

DOC = Path(__file__).resolve().parent.parent / "docs" / "workflows.md"


def test_the_committed_workflows_doc_is_the_generators_output():
    assert DOC.read_text(encoding="utf-8") == render(), "run `python manage.py anlan_workflows` and commit"


def test_every_transitions_table_of_every_model_is_documented():
    documented = {(w.model, w.table) for w in workflows()}
    for model in apps.get_models():
        table = getattr(model, "TRANSITIONS", None)
        if isinstance(table, tuple) and table and isinstance(table[0], Transition):
            assert (model, table) in documented, model


def test_every_state_of_a_table_is_a_choice_of_its_models_field():
    for workflow in workflows():
        choices = {str(value) for value, _label in workflow.model._meta.get_field(workflow.field).flatchoices}
        states = {str(state) for t in workflow.table for state in (*t.sources, t.target)}
        assert states <= choices, workflow.source


def test_the_check_fails_on_a_stale_file_and_passes_on_a_fresh_one(tmp_path):
    path = tmp_path / "workflows.md"
    path.write_text(render() + "edited by hand\n", encoding="utf-8")
    with pytest.raises(CommandError, match="stale"):
        call_command("anlan_workflows", "--check", output=str(path))
    call_command("anlan_workflows", output=str(path))
    call_command("anlan_workflows", "--check", output=str(path))
    assert path.read_text(encoding="utf-8") == render()
