"""The audit timeline of a record: its django-simple-history rows (and those of related records),
each with actor, time, action, reason and the field changes before → after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {"+": _("新建"), "~": _("修改"), "-": _("删除")}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime
    actor: str
    action: str
    subject: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def record_text(text) -> str:
    """Text the system writes into a record (e.g. a change reason), in the site's language, not the user's."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _display(model, field_name: str, value) -> str:
    if value is None or value == "":
        return "—"
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:  # a history-only field
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.many_to_many:
        related = model_field.related_model
        ids = [row[model_field.m2m_reverse_field_name()] for row in value]
        names = related.objects.filter(pk__in=ids).values_list("name", flat=True)
        return str(_("、")).join(sorted(names)) or "—"
    if model_field.is_relation:
        obj = model_field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else str(value)
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(value)


def _entries(history_qs, model, subject: str) -> list[Entry]:
    records = list(history_qs.select_related("history_user").order_by("history_date", "history_id"))
    entries: list[Entry] = []
    previous_by_pk: dict = {}
    pk_name = model._meta.pk.attname
    for record in records:
        changes = []
        previous = previous_by_pk.get(getattr(record, pk_name))
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                label = str(model._meta.get_field(change.field).verbose_name)
                changes.append(
                    Change(
                        label,
                        _display(model, change.field, change.old),
                        _display(model, change.field, change.new),
                    )
                )
        user = record.history_user
        entries.append(
            Entry(
                at=record.history_date,
                actor=str(user) if user else str(_("系统")),
                action=str(ACTION_LABELS.get(record.history_type, record.history_type)),
                subject=subject.format(record=record),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous_by_pk[getattr(record, pk_name)] = record
    return entries


def timeline(obj, related: list[tuple] | None = None) -> list[Entry]:
    """Newest first. `related`: (history queryset, model, subject template) of records shown with obj."""
    entries = _entries(obj.history.all(), type(obj), str(obj._meta.verbose_name))
    for history_qs, model, subject in related or []:
        entries.extend(_entries(history_qs, model, subject))
    return sorted(entries, key=lambda e: e.at, reverse=True)
