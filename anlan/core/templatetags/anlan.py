"""Template filters used across Anlan's pages (loaded as a builtin)."""

from django import template

from anlan.core.rules import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    return _mask_phone(value or "")
