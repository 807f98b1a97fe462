"""The audit timeline of a record: its django-simple-history rows (and those of related records),
each with actor, time, action, reason and the field changes before → after.

History keeps raw values; they are formatted only when shown (`display_value`): datetimes in local time,
dates as dates, choices as their labels, foreign keys as the related record, booleans as 是/否. Text the
system writes into a record is rendered in the site's language (`record_text`), so a plain message is stored
as its source string, a language-neutral code that `shown_text` translates for the reader. Jobs and sweeps
act as `system_actor()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {"+": _("新建"), "~": _("修改"), "-": _("删除")}
SYSTEM_USERNAME = "system"
SYSTEM_NAME = _("系统")


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
    is_system: bool = False


def record_text(text, /, **params) -> str:
    """Text the system writes into a record (a change reason, a notification title), in the site's language,
    whatever the acting user's language.

    Pass the message lazily (`gettext_lazy`) with its `params`: they are formatted inside the site language
    too (`record_text(gettext_lazy("事故报告：%(title)s"), title=accident.title)`). A message already
    translated with `gettext` arrives in the actor's language and is stored as it is. A plain message is thus
    stored as its source string, which `shown_text` translates for the reader.
    """
    with translation.override(settings.LANGUAGE_CODE):
        rendered = str(text)
        if params:
            rendered = rendered % {
                key: str(value) if isinstance(value, Promise) else value for key, value in params.items()
            }
    return rendered


def shown_text(stored: str | None) -> str:
    """Stored system text in the reader's language: a message stored by `record_text` is translated;
    free text (a reason typed by a user, a formatted message) is shown as it was stored."""
    if not stored:
        return ""
    return gettext(stored)


def system_actor():
    """The user that jobs and sweeps act as: `system`, shown as 系统, inactive and with an unusable password
    so it can never log in. Created on first use; `get_or_create` on the unique username is safe when two
    workers ask at once."""
    user, _created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"real_name": record_text(SYSTEM_NAME), "is_active": False, "password": make_password(None)},
    )
    return user


def is_system_actor(user) -> bool:
    return user is None or getattr(user, "username", None) == SYSTEM_USERNAME


def display_value(model, field_name: str, value) -> str:
    """A stored history value as the reader should see it (local time, labels, related records, 是/否)."""
    if value is None or value == "":
        return "—"
    try:
        model_field = model._meta.get_field(field_name)
    except FieldDoesNotExist:  # a history-only field
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.many_to_many:
        related = model_field.related_model
        ids = [row[model_field.m2m_reverse_field_name()] for row in value]
        # str() of each record: not every related model has a `name` (an enforcement action's findings).
        names = [str(obj) for obj in related._default_manager.filter(pk__in=ids)]
        return str(_("、")).join(sorted(names)) or "—"
    if model_field.is_relation:
        obj = model_field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else str(value)
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime):
        return format_date(timezone.localtime(value) if timezone.is_aware(value) else value, "Y-m-d H:i")
    if isinstance(value, date):
        return format_date(value, "Y-m-d")
    if isinstance(value, time):
        return value.strftime("%H:%M")
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
                        display_value(model, change.field, change.old),
                        display_value(model, change.field, change.new),
                    )
                )
        user = record.history_user
        system = is_system_actor(user)
        entries.append(
            Entry(
                at=record.history_date,
                actor=str(SYSTEM_NAME) if system else str(user),
                action=str(ACTION_LABELS.get(record.history_type, record.history_type)),
                subject=subject.format(record=record),
                reason=shown_text(record.history_change_reason),
                changes=changes,
                is_system=system,
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
