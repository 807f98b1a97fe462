"""The emergency module at scale: "who is on duty now" over 1,500 duty offices, and "the nearest N items" over
100,000 material items in 2,000 warehouses across 安徽.

    .venv/bin/python bench/run.py --only emergency [--emergency-runs 50]

Made once per data set (rows marked by their names, reused when already there): 1,500 Units (outside bodies of
the benchmark county) each with a published roster of this month's 24-hour shifts; 2,000 warehouses at random
points in 安徽 (lat 29.4–34.6, lng 114.9–119.6) with 50 items each. Measured:
- `selectors.duty.on_duty(all 1,500 offices, now)` — target p95 ≤ 50 ms (one query);
- `selectors.materials.nearest(point, n=10)` of a category at random points in 安徽 — target p95 ≤ 100 ms.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

TARGET_ON_DUTY_P95_MS = 50.0
TARGET_NEAREST_P95_MS = 100.0
OFFICES = 1500
WAREHOUSES = 2000
ITEMS_PER_WAREHOUSE = 50
MARK = "bench-duty-"
WAREHOUSE_MARK = "bench-warehouse-"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--emergency-runs", type=int, default=50, help="measured runs per emergency case (default 50)"
    )


def _ensure_offices(county, user, log) -> list[int]:
    from django.utils import timezone

    from anlan.core.models import Unit
    from anlan.emergency import rules
    from anlan.emergency.models import DutyRoster, DutyShift

    month = rules.month_start(timezone.localdate())
    existing = list(Unit.objects.filter(name__startswith=MARK).values_list("pk", flat=True))
    current = DutyRoster.objects.filter(unit__name__startswith=MARK, month=month).count()
    if len(existing) >= OFFICES and current >= OFFICES:
        return existing[:OFFICES]
    wipe()  # another month's rosters (or a partial set): make this month's again
    log(f"Emergency: making {OFFICES} duty offices with this month's shifts …")
    units = Unit.objects.bulk_create(
        [Unit(kind=Unit.Kind.OUTSIDE_BODY, name=f"{MARK}{i:04d}", region=county) for i in range(OFFICES)]
    )
    rosters = DutyRoster.objects.bulk_create(
        [DutyRoster(unit=u, month=month, phone="0550-0000000", status="published") for u in units]
    )
    shifts = []
    for roster in rosters:
        day = month
        while day < rules.next_month(month):
            start = timezone.make_aware(datetime.combine(day, time(8, 30)))
            shifts.append(
                DutyShift(
                    roster=roster,
                    unit_id=roster.unit_id,
                    published=True,
                    starts_at=start,
                    ends_at=start + timedelta(days=1),
                    officer=user,
                    officer_phone="1",
                    leader=user,
                    leader_phone="2",
                )
            )
            day += timedelta(days=1)
    DutyShift.objects.bulk_create(shifts, batch_size=5000)
    return [u.pk for u in units]


def wipe() -> None:
    """Delete the duty offices made here, with their rosters and shifts (their shifts hold the bench users)."""
    from anlan.core.models import Unit
    from anlan.emergency.models import DutyRoster, DutyShift

    DutyShift.objects.filter(unit__name__startswith=MARK).delete()
    DutyRoster.objects.filter(unit__name__startswith=MARK).delete()
    Unit.objects.filter(name__startswith=MARK).delete()


def _ensure_materials(county, log) -> None:
    from anlan.core.models import Unit
    from anlan.emergency.models import MaterialItem, Warehouse
    from anlan.emergency.rules import MATERIAL_CATEGORIES

    if Warehouse.objects.filter(name__startswith=WAREHOUSE_MARK).count() >= WAREHOUSES:
        return
    log(f"Emergency: making {WAREHOUSES} warehouses × {ITEMS_PER_WAREHOUSE} items …")
    rng = random.Random("bench-materials")
    owner, _ = Unit.objects.get_or_create(
        kind=Unit.Kind.OUTSIDE_BODY, name=f"{WAREHOUSE_MARK}owner", defaults={"region": county}
    )
    warehouses = Warehouse.objects.bulk_create(
        [
            Warehouse(
                owner=owner,
                region=county,
                name=f"{WAREHOUSE_MARK}{i:05d}",
                address="-",
                latitude=Decimal(f"{rng.uniform(29.4, 34.6):.6f}"),
                longitude=Decimal(f"{rng.uniform(114.9, 119.6):.6f}"),
                keeper="-",
                keeper_phone="-",
            )
            for i in range(WAREHOUSES)
        ]
    )
    categories = [code for code, _label in MATERIAL_CATEGORIES]
    items = [
        MaterialItem(
            warehouse=w,
            owner=owner,
            region=county,
            latitude=w.latitude,
            longitude=w.longitude,
            category=rng.choice(categories),
            name=f"物资{j}",
            unit="件",
            quantity=Decimal(rng.randint(0, 100)),
        )
        for w in warehouses
        for j in range(ITEMS_PER_WAREHOUSE)
    ]
    MaterialItem.objects.bulk_create(items, batch_size=5000)


def run(dataset, args, log, Row) -> list:
    """The emergency section for bench/run.py (`--only emergency`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from anlan.core.models import Region
    from anlan.emergency import rules
    from anlan.emergency.models import DutyRoster, MaterialItem
    from anlan.emergency.selectors import duty, materials
    from bench.generate import BENCH_COUNTY
    from bench.measure import repeat

    county = Region.objects.get(pk=BENCH_COUNTY)
    user = dataset.users["county"]
    offices = _ensure_offices(county, user, log)
    _ensure_materials(county, log)
    rows = []

    now = timezone.now()
    # The offices as the 值班在岗 board gives them: the month's published rosters, as a subquery.
    board = DutyRoster.objects.filter(
        unit__name__startswith=MARK,
        month=rules.month_start(timezone.localdate()),
        status=DutyRoster.Status.PUBLISHED,
    ).values("unit_id")
    with CaptureQueriesContext(connection) as captured:
        found = duty.on_duty(board, now)
    timing = repeat(lambda: duty.on_duty(board, now), args.emergency_runs, 3)
    rows.append(
        Row(
            "emergency",
            f"on_duty({len(offices)} offices, now)",
            "-",
            p50_ms=timing.p50_ms,
            p95_ms=timing.p95_ms,
            queries=len(captured),
            rows=sum(len(v) for v in found.values()),
            target="PASS" if timing.p95_ms <= TARGET_ON_DUTY_P95_MS else "FAIL",
        )
    )
    log(f"  on_duty: p95 {timing.p95_ms:.1f} ms, {len(captured)} queries")

    rng = random.Random("bench-nearest")
    points = [(rng.uniform(29.6, 34.4), rng.uniform(115.1, 119.4)) for _ in range(100)]
    turn = iter(range(10**9))

    def ask():
        lat, lng = points[next(turn) % len(points)]
        return materials.nearest(user, latitude=lat, longitude=lng, n=10, category="flood_control")

    with CaptureQueriesContext(connection) as captured:
        sample = ask()
    timing = repeat(ask, args.emergency_runs, 3)
    total = MaterialItem.objects.count()
    rows.append(
        Row(
            "emergency",
            "nearest(10 flood_control items to a point)",
            "county office",
            p50_ms=timing.p50_ms,
            p95_ms=timing.p95_ms,
            queries=len(captured),
            rows=len(sample),
            target="PASS" if timing.p95_ms <= TARGET_NEAREST_P95_MS else "FAIL",
            note=f"{total} items",
        )
    )
    log(f"  nearest: p95 {timing.p95_ms:.1f} ms over {total} items")
    return rows
