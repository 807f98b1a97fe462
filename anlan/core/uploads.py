"""Uploaded files: verified before they are stored, served so that a browser can never run them.

Every upload goes through here (hazard, lead and rectification photos, inspection answer photos and signed
scans, 复产 proof files):

- a picture is decoded with Pillow and re-encoded (PNG when the source is lossless or has transparency,
  else JPEG), which drops metadata and anything appended to or hidden in the file; it is bounded in bytes
  (`ANLAN_PHOTO_MAX_BYTES`) and in pixels (`ANLAN_PHOTO_MAX_PIXELS`, checked from the header before decoding);
- a document is a PDF (its header and end marker present, no HTML or script markup inside), bounded by
  `ANLAN_ATTACHMENT_MAX_BYTES`;
- either is stored under a generated name (a uuid) with the extension of what it really is.

`serve(field_file, name)` answers with the type of the stored file (from the closed list below, never
text/html or image/svg+xml), `X-Content-Type-Options: nosniff`, and `Content-Disposition: attachment` for
anything that is not a PNG or JPEG picture.
"""

from __future__ import annotations

import io
import uuid
from enum import StrEnum
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .errors import DomainError


class UploadCode(StrEnum):
    TOO_LARGE = "upload_too_large"
    TOO_MANY_PIXELS = "upload_too_many_pixels"
    NOT_AN_IMAGE = "upload_not_an_image"
    NOT_ALLOWED = "upload_not_allowed"


# Formats a phone or camera produces; anything else Pillow could read (SVG is not one of them) is refused.
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
JPEG_QUALITY = 90
# Content types by stored extension: the only types a stored file is ever served with.
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "pdf": "application/pdf"}
# Markup that would make a "PDF" render as a page if a browser were ever talked into sniffing it.
PDF_FORBIDDEN = (b"<html", b"<script", b"<!doctype", b"<body", b"<svg", b"<iframe", b"<meta", b"javascript:")
PDF_END_WINDOW = 1024


class Upload(ContentFile):
    """A verified file ready to save: `name` is the generated storage name (uuid + real extension),
    `original_name` the name to show (the sender's stem with the real extension)."""

    def __init__(self, content: bytes, extension: str, original: str):
        super().__init__(content, name=f"{uuid.uuid4().hex}.{extension}")
        self.extension = extension
        self.original_name = display_name(original, extension)
        self.content_type = CONTENT_TYPES[extension]


def display_name(original: str, extension: str) -> str:
    """The sender's file name with the extension of what the file really is (at most 200 characters)."""
    stem = PurePath(original or "").stem.strip() or "file"
    return f"{stem[: 199 - len(extension)]}.{extension}"


def _read(upload, limit: int, field: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(upload, limit, field)
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise _too_large(upload, limit, field)
    return data


def _too_large(upload, limit: int, field: str) -> DomainError:
    return DomainError(
        UploadCode.TOO_LARGE,
        _("文件“%(name)s”过大：上限为 %(mb)s MB。") % {"name": upload.name, "mb": round(limit / 2**20, 1)},
        field=field,
    )


def _not_an_image(upload, field: str) -> DomainError:
    return DomainError(
        UploadCode.NOT_AN_IMAGE,
        _("文件“%(name)s”不是有效的图片（支持 JPEG、PNG、GIF、WebP）。") % {"name": upload.name},
        field=field,
    )


def _too_many_pixels(upload, max_pixels: int, field: str) -> DomainError:
    return DomainError(
        UploadCode.TOO_MANY_PIXELS,
        _("图片“%(name)s”像素过多：上限为 %(mp)s 百万像素。")
        % {"name": upload.name, "mp": round(max_pixels / 1_000_000, 1)},
        field=field,
    )


def accept_image(upload, *, field: str = "photos") -> Upload:
    """Decode the picture and re-encode it; refuse anything that does not decode as a JPEG, PNG, GIF or WebP
    picture within the byte and pixel bounds (DomainError naming `field` and the file)."""
    data = _read(upload, settings.ANLAN_PHOTO_MAX_BYTES, field)
    max_pixels = settings.ANLAN_PHOTO_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise _not_an_image(upload, field)
            if image.width * image.height > max_pixels:
                raise _too_many_pixels(upload, max_pixels, field)
            image.seek(0)  # the first frame of an animation
            image.load()
            source = image.format
            picture = ImageOps.exif_transpose(image)  # keep the orientation the camera recorded
            content, extension = _encode(picture, source)
    except DomainError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own bound, met before ours when far beyond it
        raise _too_many_pixels(upload, max_pixels, field) from exc
    except Exception as exc:  # Pillow raises many types for broken, truncated or disguised files
        raise _not_an_image(upload, field) from exc
    return Upload(content, extension, upload.name)


def _encode(picture: Image.Image, source: str) -> tuple[bytes, str]:
    """PNG for lossless sources and anything with transparency, JPEG otherwise; no metadata is carried."""
    transparent = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    out = io.BytesIO()
    if source in ("PNG", "GIF") or transparent:
        picture = picture.convert("RGBA" if transparent else "RGB")
        picture.save(out, format="PNG", optimize=False)
        return out.getvalue(), "png"
    picture.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue(), "jpg"


def accept_pdf(upload, *, field: str) -> Upload:
    """A PDF document: its header and end marker present, no markup a browser would render."""
    data = _read(upload, settings.ANLAN_ATTACHMENT_MAX_BYTES, field)
    lowered = data.lower()
    if (
        not data.startswith(b"%PDF-")
        or b"%%EOF" not in data[-PDF_END_WINDOW:]
        or any(marker in lowered for marker in PDF_FORBIDDEN)
    ):
        raise DomainError(
            UploadCode.NOT_ALLOWED,
            _("文件“%(name)s”不是有效的 PDF 文件或图片。") % {"name": upload.name},
            field=field,
        )
    return Upload(data, "pdf", upload.name)


def accept_attachment(upload, *, field: str) -> Upload:
    """A scan or proof file: a picture (re-encoded) or a PDF; anything else is refused."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return accept_pdf(upload, field=field)
    try:
        return accept_image(upload, field=field)
    except DomainError as exc:
        if exc.code != UploadCode.NOT_AN_IMAGE:
            raise
        raise DomainError(
            UploadCode.NOT_ALLOWED,
            _("文件“%(name)s”不是有效的 PDF 文件或图片。") % {"name": upload.name},
            field=field,
        ) from exc


def content_type_of(stored_name: str) -> str:
    """The type a stored file is served with: by its extension from a closed list, else a download."""
    extension = PurePath(stored_name).suffix.lower().lstrip(".")
    extension = "jpg" if extension == "jpeg" else extension
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def serve(field_file, name: str = "") -> FileResponse:
    """A stored upload as a response: its verified type, nosniff, and attachment unless a PNG/JPEG picture.

    Files stored before uploads were verified keep their sender's extension; anything not in the closed
    list is sent as application/octet-stream for download."""
    content_type = content_type_of(field_file.name)
    extension = PurePath(field_file.name).suffix.lower().lstrip(".")
    extension = "jpg" if extension == "jpeg" else extension
    inline = content_type.startswith("image/")
    filename = display_name(name or field_file.name, extension) if extension in CONTENT_TYPES else "file.bin"
    response = FileResponse(
        field_file.open("rb"), as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
