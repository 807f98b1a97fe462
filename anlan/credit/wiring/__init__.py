"""The credit parts, each a module of this package with `contribute(c)`. A part adds its name to PARTS."""

from importlib import import_module

PARTS: tuple[str, ...] = ("dishonesty", "rating")


def parts():
    return [import_module(f"{__name__}.{name}") for name in PARTS]
