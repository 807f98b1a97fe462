"""Domain errors: a code to assert on, the field at fault, and a message for people."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    INVALID = "invalid"
    OUT_OF_SCOPE = "out_of_scope"
    DUPLICATE = "duplicate"
    IN_USE = "in_use"
    ILLEGAL_TRANSITION = "illegal_transition"
    STALE = "stale"


class DomainError(Exception):
    """Raised by services; views turn it into a form error, the API into a 400 with the same fields."""

    def __init__(self, code: Code | str, message, field: str | None = None, errors: dict | None = None):
        super().__init__(str(message))
        self.code = code
        self.field = field
        self.message = message
        # {field: [messages]} for validation failures of several fields at once
        self.errors = errors or {(field or "__all__"): [message]}

    @classmethod
    def from_validation(cls, exc) -> DomainError:
        """Wrap a Django ValidationError raised by full_clean()."""
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        field, messages = next(iter(errors.items()))
        return cls(Code.INVALID, messages[0], field=field, errors=errors)
