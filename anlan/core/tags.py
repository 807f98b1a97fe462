"""Record tags (记录标签): a module puts its tag on records of other apps without either importing the other —
a campaign tags the hazards and inspections it covers, and lists them back with `tagged(queryset, tag)`.

Only models declared taggable (`c.taggable_model("app_label.model_name")` in a module's contribution) may carry
tags; a tag with an owner unit is put on and taken off by that unit's members only; the record must be one
the actor can see. Each tagging and untagging leaves a history row.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import contract, units
from .errors import Code, DomainError, ErrorCode
from .models import RecordTag, TaggedRecord
from .records import delete_with_history, save_with_history


def _check(actor, tag: RecordTag, record) -> ContentType:
    label = record._meta.label_lower
    if not contract.is_taggable(label):
        raise DomainError(
            ErrorCode.TAG_MODEL_NOT_TAGGABLE,
            _("“%(model)s”类记录不能加标签。") % {"model": record._meta.verbose_name},
            field="record",
        )
    if (
        tag.owner_unit_id is not None
        and not actor.is_superuser
        and not units.is_member(actor, tag.owner_unit)
    ):
        raise DomainError(
            ErrorCode.TAG_OWNER_ONLY,
            _("标签“%(tag)s”只能由%(unit)s使用。") % {"tag": tag, "unit": tag.owner_unit},
            field="tag",
        )
    manager = type(record)._default_manager
    if hasattr(manager, "for_user") and not manager.for_user(actor).filter(pk=record.pk).exists():
        raise DomainError(Code.OUT_OF_SCOPE, _("该记录不在您的管辖范围内。"), field="record")
    return ContentType.objects.get_for_model(record)


def tag(*, actor, tag: RecordTag, record) -> TaggedRecord:
    """Put `tag` on `record` (a row of a taggable model the actor can see)."""
    with transaction.atomic():
        content_type = _check(actor, tag, record)
        if TaggedRecord.objects.filter(tag=tag, content_type=content_type, object_id=record.pk).exists():
            raise DomainError(ErrorCode.TAG_ALREADY_SET, _("该记录已有此标签。"), field="tag")
        tagged = TaggedRecord(
            tag=tag, content_type=content_type, object_id=record.pk, tagged_by=actor, tagged_at=timezone.now()
        )
        save_with_history(tagged, actor, "")
    return tagged


def untag(*, actor, tag: RecordTag, record, reason: str = "") -> None:
    """Take `tag` off `record`."""
    with transaction.atomic():
        content_type = _check(actor, tag, record)
        tagged = (
            TaggedRecord.objects.select_for_update()
            .filter(tag=tag, content_type=content_type, object_id=record.pk)
            .first()
        )
        if tagged is None:
            raise DomainError(ErrorCode.TAG_NOT_SET, _("该记录没有此标签。"), field="tag")
        delete_with_history(tagged, actor, reason)


def tagged(queryset: QuerySet, tag: RecordTag | str) -> QuerySet:
    """The rows of `queryset` that carry `tag` (a RecordTag or its code): one subquery, no Python loop."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    marks = TaggedRecord.objects.filter(content_type=content_type)
    marks = marks.filter(tag__code=tag) if isinstance(tag, str) else marks.filter(tag=tag)
    return queryset.filter(pk__in=marks.values("object_id"))
