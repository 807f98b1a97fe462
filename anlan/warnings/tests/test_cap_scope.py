"""CAP import through the importer's scope: a region outside it is refused on the region field, and a repeat
or a Cancel neither names nor touches a draft someone else made outside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from anlan.core.errors import DomainError
from anlan.warnings import rules
from anlan.warnings.models import Warning
from anlan.warnings.services import cap as services
from anlan.warnings.tests.factories import draft

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"
ORANGE = (SAMPLES / "cma_rainstorm_orange.xml").read_bytes()
CANCEL = (SAMPLES / "cma_rainstorm_cancel.xml").read_bytes()
TITLE = "来安县气象台发布暴雨橙色预警信号"


def _import(cast, who: str, data: bytes, region):
    return services.import_file(actor=cast[who], data=data, region=region)


def test_a_region_outside_the_scope_is_refused_on_the_region_field(cast):
    with pytest.raises(DomainError) as error:
        _import(cast, "town_b", ORANGE, cast.town_a)
    assert (error.value.code, error.value.field) == ("out_of_scope", "region")
    assert not Warning.objects.exists()


@pytest.mark.parametrize("who", ["enterprise_x", "expert", "grid_worker"])
def test_who_may_not_draft_may_not_import(cast, who):
    with pytest.raises(PermissionDenied):
        _import(cast, who, ORANGE, cast.town_a)
    assert not Warning.objects.exists()


def test_a_repeat_names_the_draft_only_to_whom_it_is_in_scope(cast):
    _import(cast, "county_office", ORANGE, cast.town_a)
    with pytest.raises(DomainError) as error:
        _import(cast, "town_a", ORANGE, cast.town_a)
    assert TITLE in error.value.message and error.value.code == "cap_duplicate"
    with pytest.raises(DomainError) as error:
        _import(cast, "town_b", ORANGE, cast.town_b)
    assert "已由其他单位导入" in error.value.message and TITLE not in error.value.message
    assert error.value.code == "cap_duplicate" and error.value.field == "file"
    assert Warning.objects.count() == 1


def test_a_cancel_does_not_reach_a_draft_outside_the_scope(cast):
    (made,) = _import(cast, "county_office", ORANGE, cast.town_a)
    with pytest.raises(DomainError) as error:
        _import(cast, "town_b", CANCEL, cast.town_b)
    assert "未曾导入" in error.value.message
    made.refresh_from_db()
    assert made.status == rules.DRAFT
    (withdrawn,) = _import(cast, "town_a", CANCEL, cast.town_a)
    assert withdrawn.pk == made.pk and withdrawn.status == rules.WITHDRAWN


def test_a_cancel_of_an_issued_warning_outside_the_scope_does_not_name_it(cast):
    (made,) = _import(cast, "county_office", ORANGE, cast.town_a)
    Warning.objects.filter(pk=made.pk).update(status=rules.ISSUED)
    with pytest.raises(DomainError) as error:
        _import(cast, "town_b", CANCEL, cast.town_b)
    assert TITLE not in error.value.message and "未曾导入" in error.value.message


def test_the_cap_of_a_draft_outside_the_scope_is_not_found(cast, client):
    warning = draft(cast, region=cast.town_a, area="新安镇")
    client.force_login(cast["town_b"])
    assert client.get(reverse("warnings:warning-cap", args=[warning.pk])).status_code == 404
    client.force_login(cast["town_a"])
    response = client.get(reverse("warnings:warning-cap", args=[warning.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")


def test_the_import_page_shows_an_out_of_scope_region_on_the_form(cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast["town_b"])
    upload = SimpleUploadedFile("alert.xml", ORANGE, content_type="text/xml")
    page = client.post(reverse("warnings:cap-import"), {"file": upload, "region": cast.town_a.code})
    assert page.status_code == 200 and not Warning.objects.exists()


HOSTILE = {
    "billion laughs": b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol4;</identifier></alert>""",
    "external DTD": b"""<?xml version="1.0"?>
<!DOCTYPE alert SYSTEM "http://127.0.0.1:9/cap.dtd">
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>""",
    "parameter entity": b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY % remote SYSTEM "file:///etc/passwd"> %remote;]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>""",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_documents_are_refused_unexpanded(cast, name):
    with pytest.raises(DomainError) as error:
        _import(cast, "county_office", HOSTILE[name], cast.town_a)
    assert error.value.field == "file" and error.value.code in ("cap_doctype", "cap_not_xml")
    assert "root:" not in error.value.message and "lollol" not in error.value.message
    assert not Warning.objects.exists()
