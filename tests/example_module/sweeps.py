"""The module's deadline sweep: idempotent, safe with several workers (it only counts here)."""

from anlan.core.models import Enterprise


def run(*, today, now, stdout=None) -> dict[str, int]:
    return {"crowded_places": Enterprise.objects.filter(is_crowded_place=True).count()}
