"""Permission matrix rows of the notifications inbox and API (own messages only; see tests/matrix.py)."""

from __future__ import annotations

from tests.matrix import Route, api, page


def town_a_message(c):
    from anlan.notifications.models import Notification

    return {"pk": Notification.objects.create(recipient=c["town_a"], kind="t", title="给新安镇").pk}


# A message belongs to town A: everyone else gets 404, as for a record outside their scope.
OWN = {"town_a": 302}

ROUTES = [
    Route("notifications:inbox", page(200)),
    Route("notifications:read", page(404, **OWN), kwargs=town_a_message, method="post"),
    Route("notifications:read-all", page(302), method="post"),
    Route("api:notification-list", api(200)),
    Route("api:notification-detail", api(404, town_a=200), kwargs=town_a_message),
    Route("api:notification-read", api(404, town_a=200), kwargs=town_a_message, method="post"),
    Route("api:notification-read-all", api(200), method="post"),
]
AUDITED: list = []
