"""Issue numbered documents: a gap-free counter per (issuer, kind, year) and the issued record with its file."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from anlan.core import records
from anlan.core.models import Department

from . import rules
from .models import DocumentNumber, IssuedDocument


def next_in_sequence(model, **key) -> int:
    """Increment and return the `last` counter of the row of `model` identified by `key`, creating it at 0.

    The row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite runs IMMEDIATE transactions, which hold the
    database write lock from BEGIN), so concurrent callers queue and no value is given twice. Call it inside
    the transaction that uses the value: it is consumed only if that transaction commits, so no gaps.
    """
    with transaction.atomic():
        row = model.objects.select_for_update().filter(**key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = model.objects.create(last=0, **key)
            except IntegrityError:  # another transaction created the row first: wait for it and lock it
                row = model.objects.select_for_update().get(**key)
        model.objects.filter(pk=row.pk).update(last=F("last") + 1)
        row.refresh_from_db(fields=["last"])
        return row.last


def next_number(issuer: Department, kind: str, year: int) -> int:
    """The next serial of an issuer's document numbers of this kind and year (gap-free, no duplicates)."""
    return next_in_sequence(DocumentNumber, issuer=issuer, kind=kind, year=year)


def number_text(issuer: Department, kind: str, year: int, serial: int) -> str:
    return rules.format_number(
        rules.issuer_prefix(issuer.region.name, issuer.short_name or issuer.name), kind, year, serial
    )


def issue_document(
    *,
    actor,
    issuer: Department,
    kind: str,
    title: str,
    render: Callable[[str], bytes],
    target=None,
    filename: str = "",
) -> IssuedDocument:
    """Take the next number, render the DOCX with it and keep the issued document (one history row).

    `render(number)` returns the file's bytes. Everything happens in one transaction: a failure anywhere
    gives the number back.
    """
    now = timezone.now()
    year = timezone.localdate(now).year
    with transaction.atomic():
        serial = next_number(issuer, kind, year)
        number = number_text(issuer, kind, year, serial)
        document = IssuedDocument(
            kind=kind,
            title=title,
            number=number,
            issuer=issuer,
            year=year,
            serial=serial,
            issued_at=now,
            issued_by=actor,
        )
        if target is not None:
            document.target_type = ContentType.objects.get_for_model(target)
            document.target_id = str(target.pk)
        content = render(number)
        document.file.save(filename or f"{kind}-{year}-{serial}.docx", ContentFile(content), save=False)
        records.record_change(document, actor, "")
        document.save()
    return document


def documents_for(target) -> list[IssuedDocument]:
    content_type = ContentType.objects.get_for_model(target)
    return list(IssuedDocument.objects.filter(target_type=content_type, target_id=str(target.pk)))
