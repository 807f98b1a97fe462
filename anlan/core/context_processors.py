"""Values every page needs: site name, the user's roles and anchor regions, navigation rights."""

from django.conf import settings

from .permissions import has_right
from .scope import memberships_of


def anlan(request):
    user = getattr(request, "user", None)
    memberships = memberships_of(user) if user is not None else []
    return {
        "site_name": settings.ANLAN_SITE_NAME,
        "memberships": memberships,
        "nav": {
            "manage_registry": has_right(user, "core.manage_region") if user else False,
        },
    }
