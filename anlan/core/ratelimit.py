"""Rate limits for pages open without login (a warning's confirmation link), shared by every web process.

A fixed window per key, counted in the database (`RateCounter`) by an atomic UPDATE — the only store every
Anlan deployment shares. django-ratelimit was weighed and not taken: it needs memcached or Redis and refuses the
database cache as not atomic (its check django_ratelimit.E003), and Anlan runs on the database alone.

    @rate_limited("warnings.link", per_minute=settings.ANLAN_LINK_RATE_PER_MINUTE)
    def confirm_link(request, token): ...

Over the limit the view answers 429 with a Retry-After header; old windows are deleted by the sweep.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from .account import client_address
from .models import RateCounter

KEEP = timedelta(hours=1)


def window_start(now: datetime, period: timedelta) -> datetime:
    seconds = int(period.total_seconds())
    stamp = int(now.timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, tz=now.tzinfo or timezone.get_current_timezone())


def hit(
    key: str, *, limit: int, period: timedelta = timedelta(minutes=1), now: datetime | None = None
) -> bool:
    """Count one hit of `key`; True while the window's hits are at most `limit`."""
    window = window_start(now or timezone.now(), period)
    counter = RateCounter.objects.filter(key=key[:200], window=window)
    if not counter.update(hits=F("hits") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key[:200], window=window, hits=1)
        except IntegrityError:  # another process created it first
            counter.update(hits=F("hits") + 1)
    return counter.values_list("hits", flat=True).first() <= limit


def rate_limited(group: str, *, per_minute: int):
    """Limit a view to `per_minute` requests a minute from one client address."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = per_minute() if callable(per_minute) else per_minute
            if limit and not hit(f"{group}:{client_address(request) or '-'}", limit=limit):
                answer = render(request, "core/rate_limited.html", status=429)
                answer["Retry-After"] = "60"
                return answer
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def sweep(*, today, now, stdout=None) -> dict[str, int]:
    """Delete windows older than an hour. Idempotent."""
    deleted, _per_model = RateCounter.objects.filter(window__lt=now - KEEP).delete()
    return {"rate_windows_deleted": deleted}
