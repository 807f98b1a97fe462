"""List filters take only ids in the caller's scope (an out-of-scope id answers exactly like a missing one),
and no id, date or number a filter or a path is given ends in a server error."""

from __future__ import annotations

import pytest
from django.utils import timezone

from anlan.hazards.tests.factories import HazardFactory
from anlan.inspections.models import EnforcementAction, Suspension
from anlan.inspections.tests.factories import planned
from anlan.notifications.models import Notification

MISSING = 987654


@pytest.fixture
def outside(cast):
    """Records of enterprise Y (town B): out of town A's scope, each with an id that exists."""
    office = cast["county_office"]
    inspection = planned(cast.dept_housing, cast.enterprise_y, [], created_by=office)
    action = EnforcementAction.objects.create(
        inspection=inspection,
        kind=EnforcementAction.Kind.SUSPENSION,
        legal_basis="《安全生产法》第六十五条",
        description="停产整顿",
        issued_by=office,
        issued_on=timezone.localdate(),
    )
    suspension = Suspension.objects.create(
        action=action, enterprise=cast.enterprise_y, issuing_level="county"
    )
    hazard = HazardFactory(enterprise=cast.enterprise_y)
    return {
        "enterprise": cast.enterprise_y.pk,
        "inspection": inspection.pk,
        "suspension": suspension.pk,
        "hazard": hazard.pk,
    }


LEAKS = [
    ("/api/v1/inspections/", "enterprise"),
    ("/api/v1/hazards/", "enterprise"),
    ("/api/v1/suspensions/", "enterprise"),
    ("/api/v1/enforcement-actions/", "inspection"),
    ("/api/v1/resumptions/", "suspension"),
    ("/api/v1/hazard-extensions/", "hazard"),
]


@pytest.mark.parametrize(("url", "name"), LEAKS, ids=[f"{u}?{n}=" for u, n in LEAKS])
def test_an_out_of_scope_id_in_a_filter_answers_byte_for_byte_like_a_missing_one(
    cast, as_user, outside, url, name
):
    client = as_user(cast["town_a"])
    out_of_scope = client.get(url, {name: outside[name]})
    missing = client.get(url, {name: MISSING})
    assert (out_of_scope.status_code, missing.status_code) == (400, 400)
    assert out_of_scope.content == missing.content
    assert list(out_of_scope.json()) == [name]


def test_a_department_out_of_scope_answers_like_a_missing_one(cast, as_user):
    client = as_user(cast["town_a"])  # a town sees the departments of its own town only
    out_of_scope = client.get("/api/v1/inspections/", {"department": cast.dept_housing.pk})
    missing = client.get("/api/v1/inspections/", {"department": MISSING})
    assert (out_of_scope.status_code, out_of_scope.content) == (400, missing.content)


def test_an_id_in_scope_still_filters(cast, as_user, outside):
    response = as_user(cast["town_b"]).get("/api/v1/inspections/", {"enterprise": outside["enterprise"]})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [outside["inspection"]]


def test_the_page_treats_an_out_of_scope_id_like_a_missing_one(cast, as_user, outside):
    client = as_user(cast["town_a"])
    HazardFactory(enterprise=cast.enterprise_x, description="甲镇的隐患")
    out_of_scope = client.get("/hazards/", {"enterprise": outside["enterprise"]})
    missing = client.get("/hazards/", {"enterprise": MISSING})
    assert (out_of_scope.status_code, missing.status_code) == (200, 200)
    assert out_of_scope.context["filter"].errors == missing.context["filter"].errors
    assert "enterprise" in missing.context["filter"].errors


BAD_QUERIES = [
    ("/api/v1/hazards/", {"enterprise": "99999999999999999999"}),
    ("/api/v1/inspections/", {"enterprise": "99999999999999999999"}),
    ("/api/v1/inspections/", {"year": "99999999999999999999"}),
    ("/api/v1/hazards/", {"found_from": "0001-01-01"}),
    ("/api/v1/accidents/", {"date_from": "0001-01-01"}),
    ("/api/v1/accidents/", {"date_to": "9999-12-31"}),
    ("/api/v1/enforcement-actions/", {"inspection": "abc"}),
]


@pytest.mark.parametrize(("url", "query"), BAD_QUERIES, ids=[f"{u}{q}" for u, q in BAD_QUERIES])
def test_an_out_of_range_filter_value_is_a_400_naming_the_filter(cast, as_user, url, query):
    response = as_user(cast["county_office"]).get(url, query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


PAGES = [
    ("/hazards/", {"enterprise": "99999999999999999999"}),
    ("/inspections/", {"year": "99999999999999999999"}),
    ("/accidents/", {"date_from": "0001-01-01"}),
    ("/accidents/", {"date_to": "9999-12-31"}),
]


@pytest.mark.parametrize(("url", "query"), PAGES, ids=[f"{u}{q}" for u, q in PAGES])
def test_a_list_page_shows_an_out_of_range_filter_as_a_form_error(cast, as_user, url, query):
    response = as_user(cast["county_office"]).get(url, query)
    assert response.status_code == 200
    assert list(response.context["filter"].errors) == list(query)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/notifications/abc/"),
        ("post", "/api/v1/notifications/abc/read/"),
        ("post", "/api/v1/notifications/99999999999999999999/read/"),
        ("get", "/api/v1/hazards/abc/"),
        ("get", "/api/v1/hazards/99999999999999999999/"),
        ("post", "/notifications/99999999999999999999/read/"),
    ],
)
def test_a_malformed_or_huge_id_in_a_path_is_a_404(cast, as_user, method, url):
    response = getattr(as_user(cast["county_office"]), method)(url)
    assert response.status_code == 404


def test_a_notification_id_still_marks_it_read(cast, as_user):
    notification = Notification.objects.create(recipient=cast["town_a"], kind="test", title="通知")
    response = as_user(cast["town_a"]).post(f"/api/v1/notifications/{notification.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
