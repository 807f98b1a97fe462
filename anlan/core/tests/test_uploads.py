"""Uploads are decoded and re-encoded (pictures) or strictly checked (PDF), stored under generated names, and
served with their verified type, nosniff, and never inline unless a PNG or JPEG picture."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anlan.core import uploads
from anlan.core.errors import DomainError
from anlan.core.uploads import UploadCode

POLYGLOT = b"GIF89a<html><script>alert(document.domain)</script></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def picture(fmt: str = "PNG", size=(8, 6), mode: str = "RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None).save(out, format=fmt, **save)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height pixels, with almost no data (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_gif_header_followed_by_html_is_not_a_picture():
    with pytest.raises(DomainError) as refused:
        uploads.accept_image(upload("evil.html", POLYGLOT), field="photos")
    assert (refused.value.code, refused.value.field) == (UploadCode.NOT_AN_IMAGE, "photos")
    assert "evil.html" in str(refused.value.message)


def test_a_real_png_named_html_is_re_encoded_under_a_generated_name_with_its_real_extension():
    accepted = uploads.accept_image(upload("evil.html", picture("PNG")))
    assert accepted.name.endswith(".png") and "evil" not in accepted.name and len(accepted.name) == 36
    assert accepted.original_name == "evil.png"
    assert accepted.content_type == "image/png"
    with Image.open(io.BytesIO(accepted.read())) as image:
        assert (image.format, image.size) == ("PNG", (8, 6))


def test_bytes_appended_to_a_picture_do_not_survive_re_encoding():
    accepted = uploads.accept_image(upload("a.png", picture("PNG") + b"<script>alert(1)</script>"))
    assert b"<script>" not in accepted.read()


def test_a_jpeg_stays_a_jpeg_and_loses_its_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Maker"  # Make
    accepted = uploads.accept_image(upload("site.jpeg", picture("JPEG", exif=exif.tobytes())))
    content = accepted.read()
    assert accepted.name.endswith(".jpg") and accepted.original_name == "site.jpg"
    assert b"Secret Camera Maker" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG" and not image.getexif()


@pytest.mark.parametrize(
    ("fmt", "mode", "stored"),
    [("WEBP", "RGB", "jpg"), ("WEBP", "RGBA", "png"), ("GIF", "P", "png")],
    ids=["webp-opaque-as-jpeg", "webp-transparent-as-png", "gif-as-png"],
)
def test_webp_and_gif_pictures_are_kept_as_png_or_jpeg(fmt, mode, stored):
    accepted = uploads.accept_image(upload(f"x.{fmt.lower()}", picture(fmt, mode=mode)))
    assert accepted.extension == stored


def test_a_picture_over_the_byte_limit_is_refused(settings):
    settings.ANLAN_PHOTO_MAX_BYTES = 10
    with pytest.raises(DomainError) as refused:
        uploads.accept_image(upload("big.png", picture("PNG")))
    assert refused.value.code == UploadCode.TOO_LARGE and "big.png" in str(refused.value.message)


def test_a_picture_over_the_pixel_limit_is_refused_from_its_header_before_it_is_decoded(settings):
    settings.ANLAN_PHOTO_MAX_PIXELS = 50_000_000
    started = time.monotonic()
    with pytest.raises(DomainError) as refused:
        uploads.accept_image(upload("bomb.png", png_header_only(60_000, 60_000)))
    assert refused.value.code == UploadCode.TOO_MANY_PIXELS
    assert time.monotonic() - started < 1
    settings.ANLAN_PHOTO_MAX_PIXELS = 47
    with pytest.raises(DomainError) as small:
        uploads.accept_image(upload("a.png", picture("PNG", size=(8, 6))))
    assert small.value.code == UploadCode.TOO_MANY_PIXELS
    settings.ANLAN_PHOTO_MAX_PIXELS = 48
    assert uploads.accept_image(upload("a.png", picture("PNG", size=(8, 6)))).extension == "png"


@pytest.mark.parametrize(
    "content",
    [picture("BMP"), picture("TIFF"), b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'],
    ids=["bmp", "tiff", "svg"],
)
def test_formats_a_camera_does_not_produce_are_refused(content):
    with pytest.raises(DomainError) as refused:
        uploads.accept_image(upload("x.png", content))
    assert refused.value.code == UploadCode.NOT_AN_IMAGE


def test_a_pdf_is_kept_as_a_pdf_under_a_generated_name():
    accepted = uploads.accept_attachment(upload("证明.html", PDF), field="attachment")
    assert accepted.name.endswith(".pdf") and accepted.original_name == "证明.pdf"
    assert accepted.read() == PDF


@pytest.mark.parametrize(
    "content",
    [
        PDF.replace(b"trailer", b"<html><script>alert(1)</script>trailer"),
        b"%PDF-1.4 no end marker",
        b"<!DOCTYPE html><html><body>%PDF-1.4 %%EOF</body></html>",
        POLYGLOT,
    ],
    ids=["pdf-with-html", "pdf-without-eof", "html", "gif-html-polyglot"],
)
def test_an_attachment_that_is_neither_a_clean_pdf_nor_a_picture_is_refused(content):
    with pytest.raises(DomainError) as refused:
        uploads.accept_attachment(upload("proof.pdf", content), field="attachment")
    assert (refused.value.code, refused.value.field) == (UploadCode.NOT_ALLOWED, "attachment")


def test_an_attachment_may_be_a_scanned_picture():
    assert (
        uploads.accept_attachment(upload("scan.jpg", picture("JPEG")), field="signature_scan").extension
        == "jpg"
    )


def test_an_attachment_over_its_limit_is_refused(settings):
    settings.ANLAN_ATTACHMENT_MAX_BYTES = 20
    with pytest.raises(DomainError) as refused:
        uploads.accept_attachment(upload("proof.pdf", PDF), field="attachment")
    assert refused.value.code == UploadCode.TOO_LARGE


class Stored:
    """A stored FieldFile's face: its storage name and `open`."""

    def __init__(self, name: str, content: bytes):
        self.name = default_storage.save(name, ContentFile(content))

    def open(self, mode="rb"):
        return default_storage.open(self.name, mode)


@pytest.mark.parametrize(
    ("stored", "content", "content_type", "disposition"),
    [
        ("photos/a1.png", b"png", "image/png", "inline"),
        ("photos/a2.jpg", b"jpg", "image/jpeg", "inline"),
        ("photos/a3.pdf", PDF, "application/pdf", "attachment"),
        ("photos/old.html", POLYGLOT, "application/octet-stream", "attachment"),
        ("photos/old.svg", b"<svg/>", "application/octet-stream", "attachment"),
        ("photos/old.gif", POLYGLOT, "application/octet-stream", "attachment"),
    ],
    ids=["png", "jpeg", "pdf", "legacy-html", "legacy-svg", "legacy-gif"],
)
def test_a_stored_file_is_served_with_its_verified_type_nosniff_and_never_as_html(
    stored, content, content_type, disposition
):
    response = uploads.serve(Stored(stored, content), "原名.html")
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(disposition)
    assert ".html" not in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == content
