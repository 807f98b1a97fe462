"""The shared rate limit of the pages open without login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from anlan.core import ratelimit
from anlan.core.models import RateCounter

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 7, 1, 8, 0, 0, tzinfo=UTC)


def test_hits_up_to_the_limit_pass_and_the_next_is_refused():
    assert all(ratelimit.hit("k", limit=3, now=T0 + timedelta(seconds=s)) for s in range(3))
    assert not ratelimit.hit("k", limit=3, now=T0 + timedelta(seconds=59))


def test_a_new_window_starts_the_count_again():
    for _hit in range(4):
        ratelimit.hit("k", limit=3, now=T0)
    assert ratelimit.hit("k", limit=3, now=T0 + timedelta(minutes=1))


def test_keys_are_counted_apart():
    for _hit in range(3):
        ratelimit.hit("a", limit=3, now=T0)
    assert ratelimit.hit("b", limit=3, now=T0)
    assert not ratelimit.hit("a", limit=3, now=T0)


def test_the_window_starts_on_the_period_boundary():
    assert ratelimit.window_start(T0 + timedelta(seconds=59), timedelta(minutes=1)) == T0
    assert ratelimit.window_start(T0 + timedelta(seconds=60), timedelta(minutes=1)) == T0 + timedelta(
        minutes=1
    )


def test_the_view_answers_429_over_the_limit_per_address(settings):
    @ratelimit.rate_limited("test.view", per_minute=2)
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    answers = [view(factory.get("/", REMOTE_ADDR="10.0.0.1")).status_code for _request in range(3)]
    assert answers == [200, 200, 429]
    assert view(factory.get("/", REMOTE_ADDR="10.0.0.2")).status_code == 200


def test_a_limit_of_zero_is_off():
    @ratelimit.rate_limited("test.off", per_minute=0)
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    assert all(view(factory.get("/", REMOTE_ADDR="10.0.0.1")).status_code == 200 for _request in range(5))
    assert not RateCounter.objects.exists()


def test_the_sweep_deletes_windows_older_than_an_hour():
    ratelimit.hit("old", limit=3, now=T0)
    ratelimit.hit("new", limit=3, now=T0 + timedelta(minutes=59))
    assert ratelimit.sweep(today=None, now=T0 + timedelta(minutes=61)) == {"rate_windows_deleted": 1}
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["new"]
