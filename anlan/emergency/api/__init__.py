"""The emergency module's read-only API (one module per part); `ScopedReadOnly` is what every viewset here is."""

from anlan.core.api import ScopedReadOnly

__all__ = ["ScopedReadOnly"]
