"""The places' warning receivers (突发事件应对法 第六十五条): named by the place or its supervisors, a mobile number
required (warnings reach them by SMS), changes kept in history; the list shows the places still without one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from anlan.core.errors import DomainError
from anlan.warnings.models import PlaceReceiver
from anlan.warnings.services import receivers as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(cast):
    cast.enterprise_x.is_crowded_place = True
    cast.enterprise_x.save()
    return cast.enterprise_x


def test_the_place_names_its_receiver_and_a_change_is_kept_in_history(cast, place):
    services.set_receiver(
        actor=cast["enterprise_x"], enterprise_pk=place.pk, name="张经理", phone="139 0000 0001"
    )
    receiver = PlaceReceiver.objects.get(enterprise=place)
    assert (receiver.name, receiver.phone) == ("张经理", "13900000001")
    services.set_receiver(actor=cast["town_a"], enterprise_pk=place.pk, name="李值班", phone="13900000002")
    receiver.refresh_from_db()
    assert receiver.name == "李值班" and PlaceReceiver.objects.count() == 1
    assert [h.name for h in receiver.history.order_by("history_date")] == ["张经理", "李值班"]
    assert receiver.history.latest().history_user == cast["town_a"]


@pytest.mark.parametrize(
    ("name", "phone", "field"),
    [
        ("", "13900000001", "name"),
        ("  ", "13900000001", "name"),
        ("张经理", "", "phone"),
        ("张经理", "1390000000", "phone"),
        ("张经理", "0550-1234567", "phone"),
    ],
)
def test_a_name_and_a_mobile_number_are_required(cast, place, name, phone, field):
    with pytest.raises(DomainError) as error:
        services.set_receiver(actor=cast["county_office"], enterprise_pk=place.pk, name=name, phone=phone)
    assert error.value.field == field
    assert not PlaceReceiver.objects.exists()


def test_a_place_not_flagged_crowded_needs_no_receiver(cast):
    with pytest.raises(DomainError) as error:
        services.set_receiver(
            actor=cast["county_office"],
            enterprise_pk=cast.enterprise_x.pk,
            name="张经理",
            phone="13900000001",
        )
    assert "人员密集场所" in error.value.message


def test_others_are_refused_or_never_see_the_place(cast, place):
    with pytest.raises(Http404):
        services.set_receiver(actor=cast["town_b"], enterprise_pk=place.pk, name="张", phone="13900000001")
    with pytest.raises(PermissionDenied):
        services.set_receiver(actor=cast["leader"], enterprise_pk=place.pk, name="张", phone="13900000001")


def test_the_list_puts_places_without_a_receiver_first_and_masks_phones_for_viewers(cast, place, client):
    cast.enterprise_y.is_crowded_place = True
    cast.enterprise_y.save()
    services.set_receiver(
        actor=cast["county_office"], enterprise_pk=place.pk, name="张经理", phone="13900000001"
    )
    client.force_login(cast["county_office"])
    page = client.get(reverse("warnings:receiver-list")).content.decode()
    assert page.index(cast.enterprise_y.name) < page.index(place.name)
    assert 'data-testid="missing-receivers"' in page and "13900000001" in page
    missing = client.get(reverse("warnings:receiver-list"), {"receiver": "missing"}).content.decode()
    assert cast.enterprise_y.name in missing and place.name not in missing
    client.force_login(cast["town_b"])
    page = client.get(reverse("warnings:receiver-list")).content.decode()
    assert place.name not in page and cast.enterprise_y.name in page


def test_the_form_names_the_receiver_from_the_page(cast, place, client):
    client.force_login(cast["enterprise_x"])
    url = reverse("warnings:receiver-edit", args=[place.pk])
    bad = client.post(url, {"name": "张经理", "phone": "0550-1234567"})
    assert bad.status_code == 200 and "11位手机号码" in bad.content.decode()
    assert client.post(url, {"name": "张经理", "phone": "13900000001"}).status_code == 302
    assert PlaceReceiver.objects.get(enterprise=place).name == "张经理"
    panel = client.get(reverse("warnings:enterprise-receiver", args=[place.pk])).content.decode()
    assert "张经理" in panel and "13900000001" in panel


def test_the_panel_is_empty_for_an_enterprise_that_is_not_a_crowded_place(cast, client):
    client.force_login(cast["county_office"])
    assert client.get(reverse("warnings:enterprise-receiver", args=[cast.enterprise_x.pk])).content == b""


def test_the_ledger_exports(cast, place, client):
    client.force_login(cast["county_office"])
    response = client.get(reverse("warnings:receiver-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
