"""Every upload goes through `core.uploads` (stored XSS, issue #12): hazard and lead photos, inspection answer
photos and signed scans, 复产 proof files. A disguised file is refused with nothing written; a real picture
under a misleading name is stored under a generated name with its real extension and served as a picture,
nosniff; no served file ever comes back as text/html."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from anlan.core.errors import DomainError
from anlan.core.uploads import UploadCode
from anlan.hazards import services as hazard_services
from anlan.hazards.models import Hazard, Lead, Photo
from anlan.hazards.tests.factories import on
from anlan.inspections import services as inspection_services
from anlan.inspections.models import Answer, AnswerPhoto, Inspection, Resumption
from anlan.inspections.tests.factories import answers, inspector, planned, record_data

pytestmark = pytest.mark.django_db

POLYGLOT = b"GIF89a<html><script>alert(document.domain)</script></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def real_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (10, 120, 10)).save(out, format="PNG")
    return out.getvalue()


def file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/html")


def hazard_data(cast) -> dict:
    return {
        "enterprise": cast.enterprise_x,
        "source": Hazard.Source.DEPARTMENT_INSPECTION,
        "category": Hazard.Category.UNSAFE_CONDITION,
        "grade": Hazard.Grade.ORDINARY,
        "description": "塔吊限位装置失效",
        "found_on": on(-1),
        "due_on": on(14),
    }


def assert_served_as_picture(response, content_type: str = "image/png") -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "text/html" not in response["Content-Type"]


# ---------------------------------------------------------------- hazards and leads


def test_a_gif_header_followed_by_html_named_html_is_refused_and_nothing_is_written(cast):
    with pytest.raises(DomainError) as refused:
        hazard_services.register_hazard(
            actor=cast["town_a"], data=hazard_data(cast), photos=[file("x.html", POLYGLOT)]
        )
    assert (refused.value.field, refused.value.code) == ("photos", UploadCode.NOT_AN_IMAGE)
    assert Hazard.objects.count() == 0 and Photo.objects.count() == 0


def test_a_real_png_named_html_is_stored_as_png_and_served_as_image_png_with_nosniff(cast, as_user):
    hazard = hazard_services.register_hazard(
        actor=cast["town_a"], data=hazard_data(cast), photos=[file("x.html", real_png())]
    )
    photo = hazard.photos.get()
    assert photo.file.name.endswith(".png") and "x.html" not in photo.file.name
    assert photo.name == "x.png"
    response = as_user(cast["county_office"]).get(reverse("hazards:photo", args=[photo.pk]))
    assert_served_as_picture(response)
    assert response["Content-Disposition"].startswith("inline")
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.format == "PNG"


def test_a_lead_photo_is_verified_like_a_hazard_photo(cast):
    data = {"description": "工地无防护", "place": "东关路", "region": cast.village_a}
    with pytest.raises(DomainError):
        hazard_services.report_lead(actor=cast["grid_worker"], data=data, photos=[file("x.png", POLYGLOT)])
    assert Lead.objects.count() == 0 and Photo.objects.count() == 0


def test_a_photo_stored_before_verification_is_downloaded_not_rendered(cast, as_user):
    hazard = hazard_services.register_hazard(actor=cast["town_a"], data=hazard_data(cast))
    legacy = Photo(hazard=hazard, name="x.html")
    legacy.file.save("x.html", io.BytesIO(POLYGLOT), save=False)
    legacy.save()
    response = as_user(cast["county_office"]).get(reverse("hazards:photo", args=[legacy.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------- inspections and 复产


@pytest.fixture
def planned_x(cast):
    team = [inspector(cast.dept_housing, name="张执法", user=cast["dept_housing"])]
    return planned(cast.dept_housing, cast.enterprise_x, team, created_by=cast["dept_housing"])


def record(cast, planned_x, *, photos=None, signature=None) -> Inspection:
    return inspection_services.record_inspection(
        actor=cast["dept_housing"],
        inspection_pk=planned_x.pk,
        data=record_data(),
        answers=answers("construction", failing=("con-5",)),
        photos=photos or {},
        signature=signature,
    )


@pytest.mark.parametrize(
    ("photos", "signature", "field"),
    [
        ({"con-5": [file("site.html", POLYGLOT)]}, None, "photos"),
        ({}, file("signed.pdf", POLYGLOT), "signature_scan"),
        ({}, file("signed.pdf", PDF.replace(b"trailer", b"<script>x</script>")), "signature_scan"),
    ],
    ids=["answer-photo", "signature-polyglot", "signature-pdf-with-script"],
)
def test_a_disguised_inspection_upload_refuses_the_whole_record(cast, planned_x, photos, signature, field):
    with pytest.raises(DomainError) as refused:
        record(cast, planned_x, photos=photos, signature=signature)
    assert refused.value.field == field
    planned_x.refresh_from_db()
    assert planned_x.status == Inspection.Status.PLANNED and not planned_x.signature_scan
    assert Answer.objects.count() == 0 and AnswerPhoto.objects.count() == 0 and Hazard.objects.count() == 0


def test_inspection_photos_and_signature_are_stored_verified_and_served_safely(cast, planned_x, as_user):
    recorded = record(
        cast, planned_x, photos={"con-5": [file("site.html", real_png())]}, signature=file("签字.html", PDF)
    )
    photo = AnswerPhoto.objects.get()
    assert photo.file.name.endswith(".png") and photo.name == "site.png"
    assert recorded.signature_scan.name.endswith(".pdf")
    client = as_user(cast["county_office"])
    assert_served_as_picture(client.get(reverse("inspections:answer-photo", args=[photo.pk])))
    signature = client.get(reverse("inspections:inspection-signature", args=[recorded.pk]))
    assert signature["Content-Type"] == "application/pdf"
    assert signature["Content-Disposition"].startswith("attachment")
    assert signature["X-Content-Type-Options"] == "nosniff"
    # The finding's hazard carries the same verified picture.
    finding = recorded.answers.get(result=Answer.Result.NON_COMPLIANT)
    hazard_photo = Photo.objects.get(hazard=finding.hazard)
    assert hazard_photo.file.name.endswith(".png") and hazard_photo.name == "site.png"


def test_a_disguised_resumption_proof_is_refused_and_a_pdf_is_kept(cast, planned_x):
    recorded = record(cast, planned_x)
    finding = recorded.answers.get(result=Answer.Result.NON_COMPLIANT)
    suspension = inspection_services.take_enforcement(
        actor=cast["dept_housing"],
        inspection_pk=recorded.pk,
        data={"kind": "suspension", "legal_basis": "《安全生产法》第六十五条", "description": "停产整顿"},
        finding_ids=[finding.pk],
    ).suspension
    with pytest.raises(DomainError) as refused:
        inspection_services.apply_resumption(
            actor=cast["enterprise_x"],
            suspension_pk=suspension.pk,
            evidence="已整改",
            attachment=file("proof.html", POLYGLOT),
        )
    assert (refused.value.field, refused.value.code) == ("attachment", UploadCode.NOT_ALLOWED)
    assert Resumption.objects.count() == 0
    application = inspection_services.apply_resumption(
        actor=cast["enterprise_x"],
        suspension_pk=suspension.pk,
        evidence="已整改",
        attachment=file("proof.html", PDF),
    )
    assert application.attachment.name.endswith(".pdf")
