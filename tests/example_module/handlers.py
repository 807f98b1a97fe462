"""Reactions to other modules' events (declared with `c.on`); the accidents module never imports this."""

RECEIVED: list[int] = []


def accident_reported(*, accident) -> None:
    RECEIVED.append(accident.pk)
