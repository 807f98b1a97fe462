"""Factories and helpers for hazard tests: hazards in any state, real (tiny) pictures, uploads."""

from __future__ import annotations

import itertools
import struct
import zlib
from datetime import date, timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from anlan.hazards.models import Hazard, Lead

_serial = itertools.count(1)


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def photo(name: str = "after.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type="image/png")


class HazardFactory(DjangoModelFactory):
    """A hazard written straight to the table (no service, no history): for setting up states in tests."""

    class Meta:
        model = Hazard

    number = factory.LazyFunction(lambda: f"YH341122-2026-T{next(_serial):05d}")
    source = Hazard.Source.DEPARTMENT_INSPECTION
    category = Hazard.Category.UNSAFE_CONDITION
    grade = Hazard.Grade.ORDINARY
    description = "脚手架连墙件缺失"
    found_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        enterprise = kwargs.get("enterprise")
        if enterprise is not None:
            kwargs.setdefault("region", enterprise.region)
            kwargs.setdefault("industry", enterprise.industry)
            kwargs.setdefault("grid", enterprise.grid)
        if kwargs.get("grade") == Hazard.Grade.MAJOR:
            kwargs.setdefault("major_criterion", "it-3-2")
        return super()._create(model_class, *args, **kwargs)


class LeadFactory(DjangoModelFactory):
    class Meta:
        model = Lead

    source = Lead.Source.GRID_PATROL
    description = "工地围挡倒塌，临街一侧无防护"
    reported_on = factory.LazyFunction(timezone.localdate)


def on(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
