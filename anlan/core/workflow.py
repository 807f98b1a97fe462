"""Explicit state machines (design.md, "Workflows are explicit state machines").

A model declares its `TRANSITIONS` next to its status choices: a tuple of `Transition`s (name, from-states,
to-state, the action right it needs, whether a reason is required). `available_transitions` gives the ones a
user may take now (for buttons), `available_transitions_by_pk` the same for a page of records at once; `apply_transition` performs one with a compare-and-set UPDATE on the old
state, so of two competing transitions exactly one wins, and writes one history row with actor and reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from .errors import Code, DomainError
from .permissions import can, has_right


@dataclass(frozen=True)
class Transition:
    """One allowed change of state. `label` is shown on the button; `right` is a key of permissions.RIGHTS."""

    name: str
    sources: frozenset[str]
    target: str
    right: str
    label: str
    reason_required: bool = False


def find(table: Iterable[Transition], name: str) -> Transition:
    for item in table:
        if item.name == name:
            return item
    raise KeyError(f"unknown transition {name!r}")


def available_transitions(obj, user, table: Iterable[Transition], field: str = "status") -> list[Transition]:
    """Transitions leaving the object's current state that the user holds the right for, in table order."""
    state = getattr(obj, field)
    return [t for t in table if state in t.sources and can(user, t.right, obj)]


def available_transitions_by_pk(
    records: list, user, table: Iterable[Transition], field: str = "status"
) -> dict[int, list[Transition]]:
    """`available_transitions` of many records of one model (an API page): one scoped query per right
    involved instead of one per record and transition; for each record the same answer as `can`."""
    if not records:
        return {}
    model, ids = type(records[0]), [record.pk for record in records]
    rights = {t.right for record in records for t in table if getattr(record, field) in t.sources}
    allowed = {
        right: set(model.objects.for_user(user, right).filter(pk__in=ids).values_list("pk", flat=True))
        if has_right(user, right)
        else set()
        for right in rights
    }
    return {
        record.pk: [t for t in table if getattr(record, field) in t.sources and record.pk in allowed[t.right]]
        for record in records
    }


def check_transition(obj, transition: Transition, reason: str = "", field: str = "status") -> None:
    """Refuse a transition that does not leave the current state, or lacks its required reason."""
    state = getattr(obj, field)
    if state not in transition.sources:
        current = getattr(obj, f"get_{field}_display")()
        raise DomainError(
            Code.ILLEGAL_TRANSITION,
            _("当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": current, "action": transition.label},
            field="__all__",
        )
    if transition.reason_required and not (reason or "").strip():
        raise DomainError(
            Code.INVALID, _("“%(action)s”必须填写原因。") % {"action": transition.label}, field="reason"
        )


def apply_transition(
    obj,
    transition: Transition,
    *,
    actor,
    reason: str = "",
    changes: dict | None = None,
    field: str = "status",
):
    """Move `obj` along `transition` with a compare-and-set UPDATE on its old state; one history row.

    `changes` are other fields written in the same UPDATE (e.g. `closed_at`). The caller has checked the
    actor's right. Raises DomainError(STALE) when another request changed the state first.
    """
    check_transition(obj, transition, reason, field)
    old = getattr(obj, field)
    values = {field: transition.target, **(changes or {})}
    model = type(obj)
    with transaction.atomic():
        updated = model._default_manager.filter(pk=obj.pk, **{field: old}).update(**values)
        if updated != 1:
            raise DomainError(Code.STALE, _("该记录已被他人处理，请刷新页面后重试。"), field="__all__")
        for key, value in values.items():
            setattr(obj, key, value)
        obj._history_user = actor
        obj._change_reason = (reason or "").strip() or str(transition.label)
        post_save.send(
            sender=model, instance=obj, created=False, update_fields=None, raw=False, using=obj._state.db
        )
    return obj
