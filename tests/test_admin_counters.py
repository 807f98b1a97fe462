"""Numbering counters cannot be deleted or lowered in the admin (issue #12: deleting a document-number counter
restarted its sequence); issued documents keep their numbers."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from anlan.core.tests.factories import UserFactory
from anlan.documents import services
from anlan.documents.models import DocumentKind, DocumentNumber, IssuedDocument
from anlan.hazards.models import HazardCounter

pytestmark = pytest.mark.django_db

KIND = DocumentKind.HAZARD_SUPERVISION


def counter_models() -> list[type]:
    """Every model that numbers something: the known counters and any registered model with a `last`."""
    registered = [m for m in admin.site._registry if any(f.name == "last" for f in m._meta.get_fields())]
    return sorted({DocumentNumber, HazardCounter, *registered}, key=lambda model: model.__name__)


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize("model", counter_models(), ids=lambda m: m.__name__)
def test_no_counter_can_be_added_changed_or_deleted_in_the_admin(model, superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = admin.site._registry.get(model)
    if model_admin is None:  # not in the admin at all: nothing to delete there
        return
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_a_document_number_counter_is_shown_but_neither_deleted_nor_lowered(cast, client, superuser):
    issuer = cast.dept_housing
    assert [services.next_number(issuer, KIND, 2026) for _ in range(3)] == [1, 2, 3]
    counter = DocumentNumber.objects.get()
    client.force_login(superuser)
    assert client.get(reverse("admin:documents_documentnumber_changelist")).status_code == 200
    assert (
        client.post(
            reverse("admin:documents_documentnumber_delete", args=[counter.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    client.post(
        reverse("admin:documents_documentnumber_change", args=[counter.pk]),
        {"issuer": issuer.pk, "kind": KIND, "year": 2026, "last": 0},
    )
    client.post(
        reverse("admin:documents_documentnumber_changelist"),
        {"action": "delete_selected", "_selected_action": [counter.pk], "post": "yes"},
    )
    assert DocumentNumber.objects.get().last == 3
    assert services.next_number(issuer, KIND, 2026) == 4


def test_an_issued_document_cannot_be_deleted_in_the_admin(cast, client, superuser):
    issuer = cast.dept_housing
    document = services.issue_document(
        actor=superuser, issuer=issuer, kind=KIND, title="督办函", render=lambda number: b"docx"
    )
    client.force_login(superuser)
    url = reverse("admin:documents_issueddocument_delete", args=[document.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert IssuedDocument.objects.filter(pk=document.pk).exists()
