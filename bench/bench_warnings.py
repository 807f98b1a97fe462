"""A warning to 50,000 recipients: the list built, then sent (receipt tasks, in-app messages, SMS through the
adapter) as background jobs, then the confirmation board read while the confirmations come in.

    .venv/bin/python bench/run.py --only warnings [--warning-recipients 50000] [--warning-runs 30]

Made once per data set (marked by user names): N users with an active 网格员 membership on the bench county's
grids (each with a phone), so the warning's "grid" group reaches N people. Measured:
- the list built by its job (`warnings.build_recipients`) and the revision sent by its job (`warnings.dispatch`,
  run in this process by `jobs.work_off`) — time to the last dispatch, every recipient with a task, every user
  with one in-app message, every phone with an SMS (the in-memory adapter, so the gateway's time is not counted);
- `selectors.warnings.board(warning)` p95 after each of 25 batches of confirmations (2,000 each) — target
  ≤ 100 ms on PostgreSQL.
"""

from __future__ import annotations

import time

TARGET_BOARD_P95_MS = 100.0
MARK = "bench-warn-"
BATCHES = 25


def add_arguments(parser) -> None:
    parser.add_argument(
        "--warning-recipients",
        type=int,
        default=50000,
        help="recipients of the benchmark warning (default 50000)",
    )
    parser.add_argument(
        "--warning-runs", type=int, default=10, help="board reads measured per batch (default 10)"
    )


def _ensure_people(county, size: int, log) -> None:
    from django.contrib.auth import get_user_model

    from anlan.core.models import Grid, Membership, Role

    User = get_user_model()
    have = User.objects.filter(username__startswith=MARK).count()
    if have >= size:
        return
    grids = list(
        Grid.objects.filter(region__code__startswith=county.code[:6])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not grids:
        raise SystemExit("the bench county has no grids: generate the enterprise data set first")
    log(f"Warnings: making {size - have} grid workers …")
    users = User.objects.bulk_create(
        [
            User(username=f"{MARK}{i:06d}", real_name=f"网格员{i}", phone=f"139{i:08d}", password="!")
            for i in range(have, size)
        ],
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, role=Role.GRID_WORKER, grid_id=grids[i % len(grids)], is_active=True)
            for i, user in enumerate(users)
        ],
        batch_size=5000,
    )


def wipe_warnings() -> None:
    from anlan.core.models import ReceiptTask
    from anlan.notifications.models import Notification
    from anlan.warnings.models import Warning, WarningRecipient

    ours = Warning.objects.filter(title__startswith=MARK)
    Notification.objects.filter(kind="warnings.warning", title__contains=MARK).delete()
    tasks = list(WarningRecipient.objects.filter(warning__in=ours).values_list("task_id", flat=True))
    WarningRecipient.history.model.objects.filter(warning_id__in=ours.values("pk")).delete()
    WarningRecipient.objects.filter(warning__in=ours).delete()
    ReceiptTask.objects.filter(pk__in=[t for t in tasks if t]).delete()
    Warning.history.model.objects.filter(title__startswith=MARK).delete()
    ours.delete()


def run(dataset, args, log, Row) -> list:
    from datetime import timedelta

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from anlan.core import jobs
    from anlan.core.models import ReceiptTask, Region
    from anlan.notifications.models import Notification
    from anlan.notifications.sms import LocmemSmsBackend
    from anlan.warnings.models import WarningRecipient
    from anlan.warnings.selectors import warnings as selectors
    from anlan.warnings.services import warnings as services
    from bench.generate import BENCH_COUNTY
    from bench.measure import repeat

    size = args.warning_recipients
    county = Region.objects.get(pk=BENCH_COUNTY)
    office = dataset.users["county"]
    _ensure_people(county, size, log)
    wipe_warnings()
    settings.ANLAN_SMS_BACKEND = "anlan.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox, LocmemSmsBackend.keys = [], []
    now = timezone.now()
    warning = services.create_draft(
        actor=office,
        values={
            "kind": "emergency",
            "category": "natural_disaster",
            "hazard": "rainstorm",
            "level": 2,
            "title": f"{MARK}暴雨橙色预警",
            "region": county,
            "area": "全县",
            "starts_at": now,
            "ends_at": now + timedelta(days=1),
            "matters": "强降雨",
            "measures": "转移危险区域群众",
            "targets": {"groups": ["grid"]},
        },
    )
    rows = []
    started = time.perf_counter()
    services.build_list(actor=office, warning_pk=warning.pk)
    jobs.work_off("bench")
    built_s = time.perf_counter() - started
    listed = WarningRecipient.objects.filter(warning=warning).count()
    log(f"  list of {listed} built in {built_s:.1f} s")
    rows.append(
        Row("warnings", f"build the list ({listed} recipients)", "job", p50_ms=built_s * 1000, rows=listed)
    )

    started = time.perf_counter()
    services.issue(actor=office, warning_pk=warning.pk)
    jobs.work_off("bench")
    sent_s = time.perf_counter() - started
    tasks = WarningRecipient.objects.filter(warning=warning, task__isnull=False).count()
    messages = Notification.objects.filter(
        kind="warnings.warning", dedupe_key=f"warning:{warning.pk}:r1"
    ).count()
    users = WarningRecipient.objects.filter(warning=warning, user__isnull=False).count()
    texts = len(LocmemSmsBackend.outbox)
    lost = listed - tasks
    doubled = messages - users
    log(f"  sent in {sent_s:.1f} s: {tasks} tasks, {messages} in-app, {texts} SMS")
    rows.append(
        Row(
            "warnings",
            f"issue → last dispatch ({listed} recipients, in-app + SMS adapter)",
            "job",
            p50_ms=sent_s * 1000,
            rows=tasks,
            target="PASS" if lost == 0 and doubled == 0 and texts >= listed else "FAIL",
            note=f"lost {lost}, in-app doubled {doubled}, SMS {texts}",
        )
    )

    warning.refresh_from_db()
    task_ids = list(
        WarningRecipient.objects.filter(warning=warning).order_by("?").values_list("task_id", flat=True)
    )
    batch = max(1, len(task_ids) // BATCHES)
    samples = []
    with CaptureQueriesContext(connection) as captured:
        selectors.board(warning)
    for start in range(0, len(task_ids), batch):
        ReceiptTask.objects.filter(pk__in=task_ids[start : start + batch]).update(
            status=ReceiptTask.Status.CONFIRMED, confirmed_at=timezone.now(), confirmed_via="link"
        )
        timing = repeat(lambda: selectors.board(warning), args.warning_runs, 1)
        samples.extend(timing.samples)
    samples.sort()
    p50 = samples[len(samples) // 2] * 1000
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))] * 1000
    confirmed = selectors.board(warning).totals.confirmed
    log(f"  board: p95 {p95:.1f} ms over {len(samples)} reads while {confirmed} confirmations arrived")
    rows.append(
        Row(
            "warnings",
            f"confirmation board while {confirmed} confirmations arrive",
            "county office",
            p50_ms=p50,
            p95_ms=p95,
            queries=len(captured),
            rows=confirmed,
            target="PASS" if p95 <= TARGET_BOARD_P95_MS else "FAIL",
        )
    )
    return rows
