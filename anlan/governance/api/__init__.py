"""The governance module's read-only API (one module per part), each viewset on the part's scoped selector."""

from anlan.core.api import ScopedReadOnly

__all__ = ["ScopedReadOnly"]
