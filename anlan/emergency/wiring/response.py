"""What the response part of the emergency module contributes to the kernel (called from apps.py)."""

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    return None
