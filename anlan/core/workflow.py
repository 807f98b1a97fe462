"""Explicit state machines (design.md, "Workflows are explicit state machines").

A model declares its `TRANSITIONS` next to its status choices: a tuple of `Transition`s (name, from-states,
to-state, the action right it needs, whether a reason is required). `available_transitions` gives the ones a
user may take now (for buttons), `available_transitions_by_pk` the same for a page of records at once; `apply_transition` performs one with a compare-and-set UPDATE on the old
state, so of two competing transitions exactly one wins, and writes one history row with actor and reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from .audit import record_text
from .errors import Code, DomainError
from .permissions import can, has_right


@dataclass(frozen=True)
class Refusal:
    """Why a guard refuses a transition: an error code (an app's ErrorCode) and a message for people."""

    code: str
    message: str


# A guard is a domain rule on the record and the user: `guard(obj, user)` returns None when the transition
# may proceed, or a Refusal naming the rule. Guards run for buttons (a refused button is not shown) and
# again inside `apply_transition`, so a page that went stale cannot slip past them.
Guard = Callable[[object, object], "Refusal | None"]


@dataclass(frozen=True)
class Transition:
    """One allowed change of state. `label` is shown on the button; `right` is a right of the rights table;
    `guards` are the domain rules that must also hold; `form` (dotted path) is the form the step asks
    for — without one the button posts directly (asking for confirmation when `confirm` is set)."""

    name: str
    sources: frozenset[str]
    target: str
    right: str
    label: str
    reason_required: bool = False
    guards: tuple[Guard, ...] = ()
    form: str | None = None
    confirm: str = ""
    style: str = "primary"

    def refusal(self, obj, user) -> Refusal | None:
        """The first guard that refuses this transition for the user, or None."""
        for guard in self.guards:
            refused = guard(obj, user)
            if refused is not None:
                return refused
        return None


def find(table: Iterable[Transition], name: str) -> Transition:
    for item in table:
        if item.name == name:
            return item
    raise KeyError(f"unknown transition {name!r}")


def available_transitions(obj, user, table: Iterable[Transition], field: str = "status") -> list[Transition]:
    """Transitions leaving the object's current state that the user holds the right for, in table order."""
    state = getattr(obj, field)
    return [
        t for t in table if state in t.sources and can(user, t.right, obj) and t.refusal(obj, user) is None
    ]


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
        record.pk: [
            t
            for t in table
            if getattr(record, field) in t.sources
            and record.pk in allowed[t.right]
            and t.refusal(record, user) is None
        ]
        for record in records
    }


def illegal_message(obj, transition: Transition, field: str = "status") -> str:
    """Why the transition cannot leave the object's current state, for people."""
    current = getattr(obj, f"get_{field}_display")()
    return _("当前状态为“%(state)s”，不能执行“%(action)s”。") % {"state": current, "action": transition.label}


def check_transition(obj, transition: Transition, reason: str = "", field: str = "status") -> None:
    """Refuse a transition that does not leave the current state, or lacks its required reason."""
    if getattr(obj, field) not in transition.sources:
        raise DomainError(Code.ILLEGAL_TRANSITION, illegal_message(obj, transition, field), field="__all__")
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
    refused = transition.refusal(obj, actor)
    if refused is not None:
        raise DomainError(refused.code, refused.message, field="__all__")
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
        obj._change_reason = (reason or "").strip() or record_text(transition.label)
        post_save.send(
            sender=model, instance=obj, created=False, update_fields=None, raw=False, using=obj._state.db
        )
    return obj
