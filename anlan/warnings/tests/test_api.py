"""The warnings read-only API: the list is what the user may open, a warning out of reach is 404, the board
is for the warning's own scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anlan.core.models import ReceiptTask
from anlan.warnings.models import WarningRecipient
from anlan.warnings.tests.factories import draft, issued

pytestmark = pytest.mark.django_db


def _ids(client):
    return {row["id"] for row in client.get(reverse("api:warnings-warning-list")).json()["results"]}


def test_recipients_see_issued_warnings_and_drafts_stay_with_the_county(cast, client):
    live = issued(cast)
    pending = draft(cast, title="草稿预警")
    client.force_login(cast["county_office"])
    assert _ids(client) == {live.pk, pending.pk}
    client.force_login(cast["town_a"])
    assert _ids(client) == {live.pk}
    body = client.get(reverse("api:warnings-warning-detail", args=[live.pk])).json()
    assert body["colour"] == "orange" and body["level_display"] == "二级" and body["status"] == "issued"
    assert client.get(reverse("api:warnings-warning-detail", args=[pending.pk])).status_code == 404
    client.force_login(cast["expert"])
    assert client.get(reverse("api:warnings-warning-detail", args=[live.pk])).status_code == 404


def test_the_list_filters_by_level(cast, client):
    orange = issued(cast)
    client.force_login(cast["county_office"])
    url = reverse("api:warnings-warning-list")
    assert {row["id"] for row in client.get(url, {"level": "2"}).json()["results"]} == {orange.pk}
    assert client.get(url, {"level": "1"}).json()["results"] == []


def test_the_board_counts_confirmations_per_town_for_the_county_only(cast, client):
    warning = issued(cast)
    row = WarningRecipient.objects.get(warning=warning, user=cast["town_a"])
    ReceiptTask.objects.filter(pk=row.task_id).update(status=ReceiptTask.Status.CONFIRMED)
    client.force_login(cast["county_office"])
    board = client.get(reverse("api:warnings-warning-board", args=[warning.pk])).json()
    total = WarningRecipient.objects.filter(warning=warning).count()
    assert board["totals"]["confirmed"] == 1 and board["totals"]["total"] == total
    town = next(entry for entry in board["rows"] if entry["code"] == cast.town_a.code)
    assert town["confirmed"] == 1 and town["name"] == cast.town_a.name
    client.force_login(cast["town_a"])  # a recipient: the warning, not who else confirmed
    assert client.get(reverse("api:warnings-warning-board", args=[warning.pk])).status_code == 404
