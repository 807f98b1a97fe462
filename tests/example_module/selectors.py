"""Scoped reads of the example module: every query goes through `for_user`."""

from django.urls import reverse

from anlan.core.models import Enterprise


def crowded_places(user):
    """Crowded places (人员密集场所) the user can see."""
    return Enterprise.objects.for_user(user).filter(is_crowded_place=True)


def hydrants_to_check(user):
    """The 待办: crowded places in scope of a membership that holds the right to check hydrants."""
    return Enterprise.objects.for_user(user, "example_module.check_hydrants").filter(is_crowded_place=True)


def hydrant_list_url(user) -> str:
    return reverse("example_module:hydrant-list")
