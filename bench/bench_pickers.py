"""The type-ahead pickers' search (`GET /enterprises/search/?q=`, core.selectors.enterprise_choices).

For the county office of 来安县 (≈ 30 % of the enterprises) and a town of it, each query kind the search knows:
a name prefix, text inside names, a pinyin-initials prefix, a credit-code prefix, and text that matches
nothing (every kind then reads its whole scope). The queries are cut from a few enterprises of the town, so
both users find them; the runs cycle over those enterprises. Target: p95 ≤ 50 ms per case for the whole
request (README); the column "ORM SQL p95" is the part spent in the search's queries on the enterprise table.
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

TARGET_P95_MS = 50.0
SAMPLES = 5  # enterprises the queries are cut from
TOWN_USER = "bench-town"

# (case, how a query is cut from an enterprise)
KINDS = [
    ("name prefix", lambda e: e.name[:2]),
    ("contained text", lambda e: e.name[2:4]),
    ("initials prefix", lambda e: e.name_initials[:4]),
    ("credit-code prefix", lambda e: e.uscc[:12]),
    ("no match", lambda e: "无此单位"),
]


def add_arguments(parser) -> None:
    parser.add_argument(
        "--picker-runs", type=int, default=60, help="measured searches per picker case (default 60)"
    )


def _town_user(town_code: str):
    """A 乡镇 user of the benchmark county's first town (made once; the generator's users stay as they are)."""
    from anlan.core.models import Membership, Role, User

    user, created = User.objects.get_or_create(username=TOWN_USER, defaults={"real_name": TOWN_USER})
    if created:
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, role=Role.TOWN, region_id=town_code, title="bench")
    return user


def run(dataset, args, log, Row) -> list:
    """The picker section for bench/run.py (`--only pickers`)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from anlan.core.models import Enterprise
    from bench.generate import BENCH_COUNTY
    from bench.measure import fetch, repeat_with_sql

    town_code = BENCH_COUNTY[:6] + "400000"
    users = {"county office": dataset.users["county"], "town": _town_user(town_code)}
    missing = Enterprise.objects.filter(name_initials="").count()
    if missing:
        log(f"Pickers: {missing} enterprises have no initials (regenerate the data set).")
    in_town = list(
        Enterprise.objects.filter(region_id__gte=town_code, region_id__lt=BENCH_COUNTY[:6] + "401000")
        .order_by("pk")
        .only("name", "name_initials", "uscc")[:2000]
    )
    samples = random.Random(f"pickers:{args.seed}").sample(in_town, min(SAMPLES, len(in_town)))
    log(f"Pickers: {len(in_town)} enterprises in the town; queries cut from {[e.name for e in samples]}.")
    url = reverse("core:enterprise-search")
    rows = []
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        scope = Enterprise.objects.for_user(user).count()
        for case, cut in KINDS:
            queries = [cut(e) for e in samples]
            turn = iter(range(10**9))

            def search(queries=queries, turn=turn, client=client):
                q = queries[next(turn) % len(queries)]
                return fetch(client, f"{url}?{urlencode({'q': q})}")

            timing, sql = repeat_with_sql(search, args.picker_runs, args.warmup, Enterprise._meta.db_table)
            with CaptureQueriesContext(connection) as captured:
                found = client.get(f"{url}?{urlencode({'q': queries[0]})}").json()["results"]
            p95 = timing.p95_ms
            rows.append(
                Row(
                    "pickers",
                    f"{case} (q={queries[0]!r} …)",
                    label,
                    p50_ms=timing.p50_ms,
                    p95_ms=p95,
                    queries=len(captured),
                    orm_sql_p95_ms=sql.p95_ms,
                    rows=len(found),
                    target="PASS" if p95 <= TARGET_P95_MS else "FAIL",
                    note=f"{scope} enterprises in scope" if case == KINDS[0][0] else "",
                )
            )
            log(
                f"  {label:>13} · {case:<18} p95 {p95:7.1f} ms (SQL {sql.p95_ms:5.1f} ms), {len(found)} results"
            )
    return rows
