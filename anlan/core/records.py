"""Records — the unit of work every service uses (design.md, "Data flow of a change").

    validate(obj)                                   full_clean, as a DomainError naming the field
    save_with_history(obj, actor, reason, m2m)      save + m2m values, exactly one history row
    delete_with_history(obj, actor, reason)         delete with a history row; IN_USE when protected
    ensure_in_scope(actor, action, obj, field)      after a write: still inside the actor's reach
    ensure_region_in_scope(actor, action, code)     a region the actor may act in with this right
    record_change(obj, actor, reason)               attach actor and reason for the next history row

All of them run inside the caller's `transaction.atomic()`: a failed scope check rolls the write back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from . import capacity
from .errors import Code, DomainError


def check_rule(rule, *args, **kwargs):
    """Apply a pure rule (core.rules and the modules' rules.py); its RuleViolation becomes the DomainError
    services raise, with the rule's code, message and field."""
    from .rules import RuleViolation

    try:
        return rule(*args, **kwargs)
    except RuleViolation as violation:
        raise DomainError(violation.code, violation.message, field=violation.field) from violation


def validate(obj, exclude: Iterable[str] | None = None) -> None:
    """`full_clean` (uniqueness included) with its first failure as a DomainError naming the field."""
    try:
        obj.full_clean(exclude=list(exclude or ()), validate_unique=True)
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc


def record_change(obj, actor, reason: str = "") -> None:
    """Attach the actor and reason that django-simple-history writes into the next history row."""
    obj._history_user = actor
    obj._change_reason = reason or ""


def save_with_history(obj, actor, reason: str, m2m: dict[str, list] | None = None) -> None:
    """Save and set many-to-many values so that exactly one history row carries the final state.

    django-simple-history writes its row in its post_save handler and copies the m2m values it finds
    then; saving and setting m2m with history suppressed, then sending post_save once, gives one
    row per change instead of one per step.
    """
    created = obj._state.adding
    record_change(obj, actor, reason)
    obj.skip_history_when_saving = True
    try:
        with transaction.atomic():
            obj.save()
            for name, values in (m2m or {}).items():
                getattr(obj, name).set(values)
    except IntegrityError as exc:
        raise DomainError(Code.DUPLICATE, _("记录与已有数据重复。"), field="__all__") from exc
    finally:
        del obj.skip_history_when_saving
    post_save.send(
        sender=type(obj), instance=obj, created=created, update_fields=None, raw=False, using=obj._state.db
    )


def update_with_history(obj, actor, reason: str, **values) -> None:
    """Set fields with a plain UPDATE (no model save, e.g. a link set after the fact) and still write
    exactly one history row carrying the new values."""
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)
    for key, value in values.items():
        setattr(obj, key, value)
    record_change(obj, actor, reason)
    post_save.send(
        sender=type(obj), instance=obj, created=False, update_fields=None, raw=False, using=obj._state.db
    )


def delete_with_history(obj, actor, reason: str) -> None:
    record_change(obj, actor, reason)
    try:
        obj.delete()
    except ProtectedError as exc:
        raise DomainError(Code.IN_USE, _("该记录仍被其他数据引用，不能删除。"), field="__all__") from exc


def ensure_in_scope(actor, action: str, obj, field: str) -> None:
    """After a write the record must still be one the actor may act on; otherwise the transaction rolls back."""
    if not type(obj).objects.for_user(actor, action).filter(pk=obj.pk).exists():
        raise DomainError(
            Code.OUT_OF_SCOPE, _("该记录不在您的管辖范围内（所属区划或行业超出权限）。"), field=field
        )


def ensure_region_in_scope(actor, action: str, region_code: str, field: str = "region") -> None:
    """Name the region field when it is the region that lies outside the actor's jurisdiction."""
    if not capacity.acts_for(actor, right=action, region=region_code):
        raise DomainError(Code.OUT_OF_SCOPE, _("所属区划不在您的管辖范围内。"), field=field)
